"""Produce every Word document of the reports for the demo county, and render them for a person to look at.

    .venv/bin/python bench/check_reports_docs.py            # → var/check-docs/*.docx, *.pdf, *-N.png

It loads the demo county into a fresh SQLite database (var/check-docs/check.sqlite3), writes and
decides a brief, issues this week's executive-meeting pack, drafts and issues last month's circular
and makes a batch of two 催办通知单; saves each .docx; converts it to PDF with
`libreoffice --headless --convert-to pdf` and each page to PNG with `pdftoppm`.

Two things differ from a government office's machine, and the rendering copes with both:
- the official fonts (方正小标宋简体, 仿宋_GB2312, 楷体_GB2312, 黑体, 宋体) are not installed here, so a
  fontconfig file maps them to Noto Serif CJK SC (宋/仿宋/楷) and Noto Sans CJK SC (黑体) for the
  conversion only;
- the document grid puts 28 characters on a 156 mm line, a cell (15.79 pt) narrower than a 3号
  character (16 pt). Word and WPS squeeze the character into its cell; LibreOffice gives it two and
  the page comes out with 16 spaced characters a line. The PDF is therefore made from a copy whose
  grid cell is 16 pt (27 characters a line); the .docx delivered to users keeps the 28-character grid.
"""

import os
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
OUT = ROOT / "var" / "check-docs"

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
    red = list(Task.objects.leaves().filter(status__in=Task.LIT_STATUSES, deadline__lt=today)[:2])
    notices = services.notice_create(
        kind="urge", tasks=red, by=office, message="请于3个工作日内书面反馈办理情况及整改措施。"
    )
    return {
        "brief": documents.brief_docx(brief),
        "pack": documents.pack_docx(pack),
        "circular": documents.circular_docx(circular),
        "notices": documents.notices_docx(notices),
    }


def preview_copy(source: Path, target: Path) -> None:
    """A copy for LibreOffice, with the grid cell at the character's width (see the module's docstring)."""
    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename == "word/document.xml":
                data = re.sub(rb'w:charSpace="-?\d+"', b'w:charSpace="0"', data)
            zout.writestr(item, data)


def render(files: dict[str, bytes]) -> None:
    soffice = shutil.which("libreoffice") or shutil.which("soffice")
    if not soffice or not shutil.which("pdftoppm"):
        sys.exit("需要 libreoffice 和 pdftoppm(apt-get install libreoffice-writer poppler-utils)。")
    with tempfile.TemporaryDirectory() as temp:
        temp = Path(temp)
        aliases = "\n  ".join(
            f'<alias binding="same"><family>{name}</family><prefer><family>{font}</family></prefer></alias>'
            for name, font in ALIASES.items()
        )
        (temp / "fonts.conf").write_text(FONTCONFIG.format(aliases=aliases), encoding="utf-8")
        env = dict(os.environ, FONTCONFIG_FILE=str(temp / "fonts.conf"), HOME=str(temp))
        for name, data in files.items():
            docx_path = OUT / f"{name}.docx"
            docx_path.write_bytes(data)
            preview = temp / f"{name}.docx"
            preview_copy(docx_path, preview)
            subprocess.run(
                [soffice, "--headless", "--convert-to", "pdf", "--outdir", str(OUT), str(preview)],
                check=True, env=env, capture_output=True, timeout=180,
            )  # fmt: skip
            for old in OUT.glob(f"{name}-*.png"):
                old.unlink()
            subprocess.run(["pdftoppm", "-r", "70", "-png", str(OUT / f"{name}.pdf"), str(OUT / name)], check=True)
            pages = sorted(OUT.glob(f"{name}-*.png"))
            print(f"{name}.docx:{len(data):,} 字节 → {name}.pdf,{len(pages)} 页 PNG:{', '.join(p.name for p in pages)}")


def main() -> None:
    setup_django()
    files = produce()
    render(files)
    print(f"请打开 {OUT} 查看各页 PNG。")


if __name__ == "__main__":
    main()
