"""Every kind of Word document Luoshi writes, converted as delivered through LibreOffice headless to PDF, its
layout read back with pdftotext -bbox-layout and checked against GB/T 9704-2012, and rendered to PNG.

    .venv/bin/python bench/check_officedoc.py        # → var/check-officedoc/*.docx, *.pdf, *-N.png
    apt-get install libreoffice-writer poppler-utils fonts-noto-cjk   # what it needs

It loads the demo county into a fresh SQLite database, then writes through the services, as the pages do:
a decided brief, this week's executive-meeting pack, last month's circular, a 督办通知单 and a 催办通知单
singly, a batch of three 催办通知单, and the 任务分解表 of the sample speech. For each it prints:
- pages (and the sets, for a batch: the page numbers restart at 1);
- lines on each full page (target 22; a page with a table or picture is shown but not judged);
- characters on each full line of body text (target 28; a digit or Latin letter counts half);
- the dates, and any written otherwise than 2026年11月30日;
- any heading that ends a page;
- where the page number's line sits below the text area (target 7 mm).
The official fonts (方正小标宋简体, 仿宋_GB2312, 楷体_GB2312, 黑体, 宋体) are not installed here, so a
fontconfig file maps them to Noto Serif CJK SC and Noto Sans CJK SC for the conversion only. Nothing else
differs from the file a user downloads: the grid is not switched off.
It exits non-zero when a full page misses 22 lines or a full line 28 characters.
"""

import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path

from lxml import etree

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
OUT = ROOT / "var" / "check-officedoc"

FONTCONFIG = """<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "fonts.dtd">
<fontconfig>
  <include ignore_missing="yes">/etc/fonts/fonts.conf</include>
  {aliases}
</fontconfig>
"""
ALIASES = {
    "方正小标宋简体": "Noto Serif CJK SC",
    "仿宋_GB2312": "Noto Serif CJK SC",
    "仿宋": "Noto Serif CJK SC",
    "楷体_GB2312": "Noto Serif CJK SC",
    "宋体": "Noto Serif CJK SC",
    "黑体": "Noto Sans CJK SC",
}


def setup_django() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    database = OUT / "check.sqlite3"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{database}{suffix}").unlink(missing_ok=True)
    os.environ["DATABASE_URL"] = f"sqlite:///{database}"
    os.environ["DEBUG"] = "0"
    os.environ.setdefault("SECRET_KEY", "check-only-secret-key-not-for-production-0123456789abcdefghijklmnop")
    os.environ.setdefault("LUOSHI_STATIC_ROOT", str(OUT / "static"))
    os.environ.setdefault("LUOSHI_LOG_LEVEL", "WARNING")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "luoshi.settings")
    import django

    django.setup()


def produce() -> dict[str, bytes]:
    """The documents, made through the services exactly as the pages make them."""
    from datetime import timedelta

    from django.core.management import call_command
    from django.utils import timezone

    from luoshi.org.demo import demo_load
    from luoshi.org.models import User
    from luoshi.reports import documents, services
    from luoshi.reports.services import BriefInput, OptionInput
    from luoshi.reports.views import next_meeting_day
    from luoshi.work.models import Task

    call_command("migrate", verbosity=0)
    demo_load()
    office = User.objects.get(username="office")
    liaison = User.objects.get(username="unit")
    leader = User.objects.get(username="leader")
    today = timezone.localdate()

    from luoshi.lib import workdays
    from luoshi.reports.selectors import brief_task_summary

    situation = (
        "我县2000年前建成的老旧小区共42个、涉及居民6800户,已纳入2026年改造计划的18个,已开工12个,"
        "完成投资1.2亿元。按省定标准测算,剩余改造资金缺口约8000万元。\n"
        + brief_task_summary(liaison.unit, workdays.thresholds(), subject="资金")
    )
    brief = services.brief_save(
        by=liaison,
        submit=True,
        data=BriefInput(
            subject="城区老旧小区改造资金筹措",
            requirements="省住房和城乡建设厅《关于推进城镇老旧小区改造的通知》要求,2026年底前基本完成2000年前建成的城镇老旧小区改造任务,"
            "并建立政府与居民合理共担的改造资金分摊机制。",
            situation=situation,
            peers="全市其他县(市)中,甲县争取专项债券3亿元用于老旧小区改造;乙县引入国有平台公司和社会资本参与,"
            "以停车场、充电桩等经营收益平衡资金;丙县以县级财政预算为主,进度相对滞后。",
            question="请领导决定我县老旧小区改造剩余资金缺口的筹措方式。",
            options=[
                OptionInput(
                    "申请地方政府专项债券",
                    "资金成本低、期限长,符合政策导向",
                    "额度有限,需项目有一定收益,申报审批周期约3个月",
                ),
                OptionInput(
                    "引入社会资本参与改造和运营",
                    "资金到位快,可减轻财政当期压力",
                    "需让渡停车、广告等经营收益,合同管理要求高",
                ),
                OptionInput("县级财政分年度安排", "程序简单、可控", "挤占其他支出,当年难以足额安排"),
            ],
            recommended=1,
        ),
    )
    services.brief_decide(brief=brief, by=leader, chosen=1, note="同意方案一,同时研究引入社会资本作为补充。")
    brief.refresh_from_db()

    meeting = next_meeting_day(today)
    pack = services.pack_issue(meeting_date=meeting, by=office)
    month_end = today.replace(day=1) - timedelta(days=1)
    circular = services.circular_create(kind="month", year=month_end.year, number=month_end.month, by=office)
    circular = services.circular_issue(circular=circular, by=office)
    red = list(Task.objects.leaves().filter(status__in=Task.LIT_STATUSES, deadline__lt=today).order_by("id")[:4])
    live = list(Task.objects.leaves().filter(status__in=Task.LIT_STATUSES).order_by("-id")[:1])
    message = "请于3个工作日内书面反馈办理情况及整改措施。"
    urge_one = services.notice_create(kind="urge", tasks=red[:1], by=office, message=message)
    supervise_one = services.notice_create(kind="supervise", tasks=live, by=office)
    batch = services.notice_create(kind="urge", tasks=red[1:4], by=office, message=message)
    return {
        "brief": documents.brief_docx(brief),
        "pack": documents.pack_docx(pack),
        "circular": documents.circular_docx(circular),
        "notice-urge": documents.notices_docx(urge_one),
        "notice-supervise": documents.notices_docx(supervise_one),
        "notices-batch-3": documents.notices_docx(batch),
        "decomposition": decomposition_docx(office),
    }


def decomposition_docx(office) -> bytes:
    """The 任务分解表 of the sample speech, as the intake's 导出 Word writes it."""
    from datetime import date

    from luoshi.intake import services as intake
    from luoshi.intake.documents import decomposition_docx
    from luoshi.intake.reading import read_upload

    sample = ROOT / "samples" / "speech-2022-work-deployment.reconstructed.docx"
    document = read_upload(sample.name, sample.read_bytes())
    decomposition = intake.decomposition_create(document=document, by=office, source_date=date(2022, 3, 15))
    return decomposition_docx(decomposition)


# --- Reading the PDF -------------------------------------------------------------------------

MM = 72 / 25.4
TEXT_TOP, TEXT_BOTTOM = 37 * MM, (297 - 35) * MM
TEXT_LEFT, TEXT_RIGHT = 28 * MM, (210 - 26) * MM
BODY_MIN_HEIGHT = 18  # pt: a 3号 line's box is about 21 pt high; 10.5–14 pt table text is lower
PITCH = 579 / 20  # the grid's line, pt
PUNCTUATION = set("，。、；：？！”’）》")
HEADING = re.compile(r"^([一二三四五六七八九十]+、|（[一二三四五六七八九十]+）|\d+[.．]|（\d+）)")
OFFICIAL_DATE = re.compile(r"(?:19|20)\d\d年[1-9]\d?月[1-9]\d?日")
BAD_DATE = re.compile(r"(?:19|20)\d\d-\d\d?-\d\d?|(?:19|20)\d\d年0\d|月0\d日|[〇零][一二三四五六七八九〇零]{3}年")
PAGE_NUMBER = re.compile(r"^—\s*(\d+)\s*—$")


def width(text: str) -> float:
    return sum(0.5 if ord(c) < 0x2000 else 1 for c in text if not c.isspace())


def read_pages(pdf: Path) -> list[dict]:
    """Each page's rows of text (merged by baseline), and its page number."""
    xhtml = subprocess.run(["pdftotext", "-bbox-layout", str(pdf), "-"], check=True, capture_output=True).stdout
    root = etree.fromstring(xhtml, etree.XMLParser(recover=True, huge_tree=True))
    ns = {"x": "http://www.w3.org/1999/xhtml"}
    pages = []
    for page in root.iterfind(".//x:page", ns):
        rows: dict[int, dict] = {}
        for line in page.iterfind(".//x:line", ns):
            words = line.findall("x:word", ns)
            if not words:
                continue
            box = [float(line.get(k)) for k in ("xMin", "yMin", "xMax", "yMax")]
            key = round(box[3])
            row = next((rows[k] for k in (key - 1, key, key + 1) if k in rows), None)
            if row is None:
                row = rows[key] = {"words": [], "box": box}
            row["words"] += [(float(w.get("xMin")), w.text or "") for w in words]
            row["box"] = [min(row["box"][0], box[0]), min(row["box"][1], box[1]),
                          max(row["box"][2], box[2]), max(row["box"][3], box[3])]  # fmt: skip
        ordered = []
        for row in sorted(rows.values(), key=lambda r: r["box"][3]):
            row["text"] = "".join(text for _, text in sorted(row["words"]))
            ordered.append(row)
        body = [r for r in ordered if r["box"][1] >= TEXT_TOP - 8 and r["box"][3] <= TEXT_BOTTOM + 4]
        footer = [r for r in ordered if r["box"][1] > TEXT_BOTTOM + 4]
        number = next((int(m[1]) for r in footer if (m := PAGE_NUMBER.match(r["text"].strip()))), None)
        pages.append({"rows": ordered, "body": body, "footer": footer, "number": number})
    return pages


EXCUSED: list[str] = []  # full pages short of 22 lines for a reason printed beside them


def grid_lines(body: list[dict]) -> int:
    """Lines of the grid a page uses, blank ones included: from the top of the text area to its last row."""
    last = body[-1]["box"][3]
    # A 3号 row's box ends 27.4 pt below the top of its grid line (measured on this conversion).
    return round((last - TEXT_TOP - 27.4) / PITCH) + 1


def dash_gap_mm(pdf: Path, page: int, footer: dict) -> float:
    """How far below the text area the page number's 一字线 is drawn: rendered at 600 dpi and measured on
    the first dash's stroke (GB/T 9704-2012 §7.5: 一字线上距版心下边缘7mm)."""
    dpi = 600
    scale = dpi / 72
    x0, y0 = int(footer["box"][0] * scale), int(TEXT_BOTTOM * scale)
    width, height = int(10 * scale), int(20 * MM * scale)
    with tempfile.TemporaryDirectory() as temp:
        base = Path(temp) / "crop"
        subprocess.run(
            ["pdftoppm", "-r", str(dpi), "-f", str(page), "-l", str(page), "-x", str(x0), "-y", str(y0),
             "-W", str(width), "-H", str(height), "-gray", str(pdf), str(base)],
            check=True,
        )  # fmt: skip
        image = next(Path(temp).glob("crop*.pgm")).read_bytes()
    # A binary PGM: "P5\n<w> <h>\n<max>\n" then one byte a pixel.
    header = image.split(b"\n", 3)
    w, h = (int(v) for v in header[1].split())
    pixels = header[3]
    dark = [y for y in range(h) if sum(1 for x in range(w) if pixels[y * w + x] < 128) > w // 3]
    if not dark:
        return float("nan")
    middle = (dark[0] + dark[-1]) / 2
    return middle / scale / MM


def check(name: str, pdf: Path) -> list[str]:
    """Print the figures of one document; return what misses the target."""
    pages = read_pages(pdf)
    problems = []
    sets = sum(1 for p in pages if p["number"] == 1)
    numbers = [p["number"] for p in pages]
    print(f"\n{name}:{len(pages)} 页,{sets} 份(页码 {numbers})")
    texts = "".join(r["text"] for p in pages for r in p["rows"])
    dates = sorted(set(OFFICIAL_DATE.findall(texts)))
    bad = sorted(set(BAD_DATE.findall(texts)))
    print(f"  日期:{'、'.join(dates[:6]) or '无'}{'……' if len(dates) > 6 else ''};写法不对的:{'、'.join(bad) or '无'}")
    if bad:
        problems.append(f"{name}: 日期写法 {bad}")
    char_counts, hanging, with_latin = Counter(), 0, 0
    for index, page in enumerate(pages):
        last_of_set = index + 1 == len(pages) or pages[index + 1]["number"] == 1
        body = page["body"]
        heights = [r["box"][3] - r["box"][1] for r in body]
        mixed = any(h < BODY_MIN_HEIGHT for h in heights) or any(h > 40 for h in heights)
        for row in body:
            full = abs(row["box"][0] - TEXT_LEFT) < 2 and TEXT_RIGHT - row["box"][2] < 4
            if not full or row["box"][3] - row["box"][1] < BODY_MIN_HEIGHT:
                continue
            text = "".join(row["text"].split())
            if any(ord(c) < 0x2000 for c in text):
                with_latin += 1  # digits and Latin letters are proportional: not counted in cells
                continue
            if row["box"][2] > TEXT_RIGHT + 3 and text[-1] in PUNCTUATION:
                text, hanging = text[:-1], hanging + 1  # a mark hung in the margin, as Word and WPS do too
            char_counts[len(text)] += 1
        if body and HEADING.match(body[-1]["text"]) and not last_of_set and width(body[-1]["text"]) < 20:
            problems.append(f"{name}: 第{index + 1}页以标题结尾:{body[-1]['text']}")
            print(f"  第{index + 1}页以标题结尾:{body[-1]['text']}")
        dash = ",无页码"
        if page["footer"]:
            dash = f",一字线距版心下边缘 {dash_gap_mm(pdf, index + 1, page['footer'][0]):.1f} mm"
        lines = grid_lines(body) if body else 0
        if last_of_set:
            print(f"  第{index + 1}页(末页):{lines} 行{dash}")
            continue
        following = pages[index + 1]["body"]
        heading_next = bool(following) and bool(HEADING.match(following[0]["text"]))
        if mixed:
            label = "(含表格或图,不计)"
        elif lines == 22:
            label = ""
        elif lines == 21 and heading_next:
            label = "(下页以标题开头:标题与正文同页,不落页尾)"
        elif heading_next and (index + 2 == len(pages) or pages[index + 2]["number"] == 1):
            # The last heading, the closing text and the 落款 are kept together: LibreOffice moves the whole
            # chain rather than split the text (Word splits it). Shown, not counted as a miss.
            label = f"(下页为末页:末一标题、结尾段与落款连在一起移到下页,LibreOffice 不拆段;缺 {22 - lines} 行)"
            EXCUSED.append(f"{name} 第{index + 1}页 {lines} 行")
        else:
            label = "≠ 22"
            problems.append(f"{name}: 第{index + 1}页 {lines} 行")
        print(f"  第{index + 1}页:{lines} 行{label}{dash}")
    if char_counts:
        shown = "、".join(f"{chars} 字 × {n} 行" for chars, n in sorted(char_counts.items()))
        print(
            f"  整行正文每行字数(全为汉字和全角标点的行):{shown};行末标点悬挂 {hanging} 行;含数字或字母的整行 {with_latin} 行不计"
        )
        for chars in char_counts:
            if chars != 28:
                problems.append(f"{name}: 整行 {chars} 字")
    else:
        print("  整行正文每行字数:(没有全为汉字的整行)")
    return problems


def render(files: dict[str, bytes]) -> list[str]:
    soffice = shutil.which("libreoffice") or shutil.which("soffice")
    if not soffice or not shutil.which("pdftoppm") or not shutil.which("pdftotext"):
        sys.exit("需要 libreoffice、pdftotext 和 pdftoppm(apt-get install libreoffice-writer poppler-utils)。")
    problems = []
    with tempfile.TemporaryDirectory() as temp:
        temp = Path(temp)
        aliases = "\n  ".join(
            f'<alias binding="same"><family>{name}</family><prefer><family>{font}</family></prefer></alias>'
            for name, font in ALIASES.items()
        )
        (temp / "fonts.conf").write_text(FONTCONFIG.format(aliases=aliases), encoding="utf-8")
        env = dict(os.environ, FONTCONFIG_FILE=str(temp / "fonts.conf"), HOME=str(temp))
        for name in files:
            (OUT / f"{name}.docx").write_bytes(files[name])
        # One LibreOffice start for all the files.
        subprocess.run(
            [soffice, "--headless", "--convert-to", "pdf", "--outdir", str(OUT), *(str(OUT / f"{n}.docx") for n in files)],
            check=True, env=env, capture_output=True, timeout=600,
        )  # fmt: skip
        for name in files:
            for old in OUT.glob(f"{name}-*.png"):
                old.unlink()
            subprocess.run(["pdftoppm", "-r", "60", "-png", str(OUT / f"{name}.pdf"), str(OUT / name)], check=True)
            problems += check(name, OUT / f"{name}.pdf")
    return problems


def main() -> None:
    setup_django()
    files = produce()
    problems = render(files)
    print(f"\nPNG 在 {OUT}(每页一张,供人查看)。")
    if problems:
        print("未达标:\n  " + "\n  ".join(problems))
        sys.exit(1)
    print("全部达标:每个整页 22 行,每个整行 28 字,日期均为阿拉伯数字,没有标题落在页尾。")
    if EXCUSED:
        print(f"例外(见各页说明,不计为未达标):{'、'.join(EXCUSED)}")


if __name__ == "__main__":
    main()
