"""How fast the policy library indexes and searches, and whether a known document comes up first.

Documents of synthetic policy text (--chars characters each, words drawn from the county's vocabulary)
are indexed exactly as an upload is (`library.services._index`: bigram search text, 文号 key, jieba
TF-IDF keywords) and inserted in batches, the index kept by its triggers (SQLite FTS5) or its
generated column (PostgreSQL GIN). Then:

- indexing: documents per second, and the time 50,000 would take (target ≤ 10 min on SQLite);
- search: p50 and p95 of `search_documents` for common two-word queries (target p95 ≤ 200 ms);
- known item: a document's distinctive title words, is it in the top 3 (target ≥ 95%);
- reading a 30-page .docx online: the first view (mammoth's HTML, written once) ≤ 1 s, the next from the
  kept HTML.

    .venv/bin/python bench/library.py                       # SQLite, 2,000 documents × 8,000 characters
    .venv/bin/python bench/library.py --docs 50000          # the issue's full size (long)
    .venv/bin/python bench/library.py --database postgres   # PostgreSQL luoshi_bench_library
"""

import argparse
import os
import random
import statistics
import sys
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from _bench import prepare_database, setup_django  # noqa: E402

TARGETS = {"index_50k_s": 600, "search_p95_ms": 200, "known_top3": 0.95, "read_docx_first_ms": 1000}
WORDS = [
    "河湖保洁",
    "三重一大",
    "放管服",
    "乡村振兴",
    "招商引资",
    "营商环境",
    "高标准农田",
    "人居环境",
    "专项债券",
    "一网通办",
    "落实",
    "推进",
    "加强",
    "建立",
    "完善",
    "机制",
    "责任",
    "考核",
    "督查",
    "通报",
    "资金",
    "项目",
    "建设",
    "改革",
    "服务",
    "群众",
    "企业",
    "乡镇",
    "部门",
    "工作",
    "目标",
    "任务",
    "要求",
    "全面",
    "深化",
    "持续",
    "巩固",
    "提升",
    "保障",
    "监管",
    "安全",
    "生产",
    "生态",
    "环境",
    "农业",
    "农村",
    "土地",
    "财政",
    "税收",
    "收入",
    "支出",
    "预算",
    "审批",
]
NAME_CHARS = "东南西北上下前后大小新老金银铜铁石木水火土山川河湖林田桥庄集店岗坡湾塘平安康乐和顺兴旺丰盛龙凤云松柏"
TOPICS = ["秸秆禁烧", "农村公路养护", "校舍安全排查", "集贸市场整治", "乡村医生培训", "河道采砂管理"]


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--url", default="postgres://postgres@127.0.0.1:5432/luoshi_bench_library")
    parser.add_argument("--docs", type=int, default=2000)
    parser.add_argument("--chars", type=int, default=8000)
    parser.add_argument("--queries", type=int, default=100)
    parser.add_argument("--reuse", action="store_true")
    return parser.parse_args()


def body(rng: random.Random, chars: int) -> str:
    out, size = [], 0
    while size < chars:
        sentence = "".join(rng.choice(WORDS) for _ in range(rng.randint(6, 14))) + "。"
        if rng.random() < 0.2:
            sentence += "\n"
        out.append(sentence)
        size += len(sentence)
    return "".join(out)[:chars]


def main():
    args = parse_args()
    prepare_database(args, "library.sqlite3")
    os.environ.setdefault("LUOSHI_MEDIA_ROOT", str(ROOT / "var" / "bench" / "media-library"))
    setup_django("static-library")
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from luoshi.library.models import Document

    rng = random.Random(20261130)
    if args.docs > len(NAME_CHARS) ** 3:
        sys.exit(f"--docs {args.docs}: at most {len(NAME_CHARS) ** 3:,} distinct three-character place names")
    names = set()
    while len(names) < args.docs:
        names.add("".join(rng.choice(NAME_CHARS) for _ in range(3)))
    names = sorted(names)
    rng.shuffle(names)
    titles = [f"关于{name}村{rng.choice(TOPICS)}工作的通知" for name in names]

    if args.reuse and Document.objects.count() >= args.docs:
        print(f"indexing: skipped (--reuse: the database holds {args.docs:,} documents)")
    else:
        index(args, rng, titles)
    search_and_known(args, rng, titles)


def index(args, rng, titles):
    from django.db import connection

    from luoshi.library.models import Document
    from luoshi.library.services import _index

    Document.objects.all().delete()
    texts = [body(rng, args.chars) for _ in titles]  # generating the text is not indexing: outside the clock
    _index(Document(title="预热", body="预热"))  # jieba's dictionary loads once per process, also outside
    started, cpu_started = time.perf_counter(), time.process_time()
    index_cpu = 0.0
    batch = []
    for i, title in enumerate(titles):
        year = 2015 + i % 11  # ten years of a county's documents, dated as their 文号 says
        document = Document(
            title=title, number=f"示政办〔{year}〕{i + 1}号", body=texts[i],
            issued_on=date(year, 1, 1) + timedelta(days=rng.randrange(365)),
        )  # fmt: skip
        t0 = time.process_time()
        _index(document)
        index_cpu += time.process_time() - t0
        batch.append(document)
        if len(batch) == 500:
            Document.objects.bulk_create(batch)
            batch = []
    Document.objects.bulk_create(batch)
    with connection.cursor() as cursor:  # as autovacuum would soon: the planner needs the new rows' statistics
        cursor.execute("ANALYZE library_document")
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu_started
    projected, projected_cpu = seconds / args.docs * 50_000, cpu / args.docs * 50_000
    print(
        f"indexing: {args.docs} documents × {args.chars} chars in {seconds:.1f} s wall, {cpu:.1f} s CPU "
        f"({args.docs / seconds:.0f}/s wall); words and keywords {index_cpu:.1f} s CPU, insert and FTS "
        f"{cpu - index_cpu:.1f} s CPU; load average {os.getloadavg()[0]:.1f}"
    )
    print(f"  projected for 50,000: {projected:.0f} s wall, {projected_cpu:.0f} s CPU; target ≤ "
          f"{TARGETS['index_50k_s']} s; ratio {TARGETS['index_50k_s'] / projected_cpu:.2f} (CPU), "
          f"{TARGETS['index_50k_s'] / projected:.2f} (wall); baseline (last stop) 666 s")  # fmt: skip


def search_and_known(args, rng, titles):
    from luoshi.library.models import Document
    from luoshi.library.search import parse_query, search_documents

    documents = Document.objects.all()
    timings, cpu_timings = [], []
    for _ in range(args.queries):
        query = parse_query(f"{rng.choice(WORDS)} {rng.choice(WORDS)}")
        t0, c0 = time.perf_counter(), time.process_time()
        search_documents(documents, query)
        timings.append((time.perf_counter() - t0) * 1000)
        cpu_timings.append((time.process_time() - c0) * 1000)
    timings.sort()
    cpu_timings.sort()
    p95 = timings[int(len(timings) * 0.95) - 1]
    cpu_p95 = cpu_timings[int(len(cpu_timings) * 0.95) - 1]
    print(f"search: p50 {statistics.median(timings):.0f} ms, p95 {p95:.0f} ms wall over {args.queries} queries "
          f"(p95 {cpu_p95:.0f} ms CPU of this process; the database server's time on PostgreSQL is not in it); "
          f"target p95 ≤ {TARGETS['search_p95_ms']} ms; ratio {TARGETS['search_p95_ms'] / p95:.2f} (wall); "
          f"load average {os.getloadavg()[0]:.1f}")  # fmt: skip
    if args.database == "sqlite":
        print(f"  baseline (stop 24, one query ordering every match, quiet machine): p95 304 ms; ratio {304 / p95:.2f}")

    hits = 0
    sample = rng.sample(range(len(titles)), min(args.queries, len(titles)))
    for i in sample:
        wanted = titles[i]
        query = parse_query(wanted.removeprefix("关于").removesuffix("工作的通知"))
        top = [hit.document.title for hit in search_documents(documents, query)[:3]]
        hits += wanted in top
    rate = hits / len(sample)
    print(f"known item in top 3: {rate:.1%} of {len(sample)}; target ≥ {TARGETS['known_top3']:.0%}; "
          f"ratio {rate / TARGETS['known_top3']:.2f}")  # fmt: skip
    known_real(rng, documents)
    reading()


GENERIC = {"关于", "通知", "意见", "印发", "国务院", "办公厅", "实施", "方案", "工作", "进一步", "有关", "若干", "指导"}


def known_real(rng, documents):
    """The 30 real documents of samples/library among the synthetic ones: 2–3 words of each title, top 3?"""
    import csv

    from luoshi.library.models import Document
    from luoshi.library.search import parse_query, search_documents, words
    from luoshi.library.services import _index

    with (ROOT / "samples" / "library" / "sources.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    made = []
    for row in rows:
        text = (ROOT / "samples" / "library" / row["file"]).read_text(encoding="utf-8")
        document = Document(
            title=row["title"], number=row["number"], issuer=row["issuer"], body=text,
            issued_on=date.fromisoformat(row["issued_on"]),
        )  # fmt: skip
        _index(document)
        made.append(document)
    # A --reuse run finds the last run's copies: replace them rather than add 30 more each time.
    Document.objects.filter(title__in=[row["title"] for row in rows]).delete()
    Document.objects.bulk_create(made)
    hits, misses = 0, []
    for row in rows:
        candidates = [w for w in dict.fromkeys(words(row["title"])) if len(w) >= 2 and w not in GENERIC]
        picked = rng.sample(candidates, min(len(candidates), rng.choice([2, 3])))
        query = parse_query(" ".join(picked))
        top = [hit.document.title for hit in search_documents(documents, query)[:3]]
        if row["title"] in top:
            hits += 1
        else:
            misses.append(" ".join(picked))
    rate = hits / len(rows)
    print(f"known item, real titles: {rate:.1%} of {len(rows)} in the top 3 (2–3 title words each); "
          f"target ≥ {TARGETS['known_top3']:.0%}; ratio {rate / TARGETS['known_top3']:.2f}"
          + (f"; missed: {', '.join(misses)}" if misses else ""))  # fmt: skip


def thirty_page_docx() -> bytes:
    """About 30 pages of an official document (22 lines of 28 characters a page, GB/T 9704): the real texts
    of samples/library, their 一、(一) headings as Word headings, and a 12-row table after every 5,000 characters."""
    import io

    import docx

    document = docx.Document()
    size, tables = 0, 0
    for path in sorted((ROOT / "samples" / "library").glob("*.txt")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if not line.strip():
                continue
            if line.startswith(("一、", "二、", "三、", "四、", "五、", "六、", "七、", "八、")):
                document.add_heading(line, level=1)
            elif line.startswith("（") and "）" in line[:5]:
                document.add_heading(line, level=2)
            else:
                document.add_paragraph(line)
            size += len(line)
            if size // 5000 > tables:
                tables += 1
                table = document.add_table(rows=12, cols=5)
                for r, row in enumerate(table.rows):
                    for c, cell in enumerate(row.cells):
                        cell.text = ["单位", "目标", "完成", "进度", "备注"][c] if r == 0 else f"{r}-{c}"
            if size >= 30 * 22 * 28:
                buffer = io.BytesIO()
                document.save(buffer)
                return buffer.getvalue()
    raise SystemExit("samples/library 的文字不够 30 页。")


def reading():
    """The issue's figure: a 30-page .docx read online, ≤ 1 s for the first view, the kept HTML after that.

    Measured twice, in a warm server process (another .docx read first): a document whose HTML the worker
    wrote after the upload (tasks.document_html_prepare, as in production), and one whose first reader
    comes before the worker, so that the view runs mammoth itself."""
    import mammoth
    from django.core.management import call_command
    from django.test import Client

    from luoshi.intake.reading import read_upload
    from luoshi.library import services
    from luoshi.library.models import Document
    from luoshi.library.tasks import document_html_prepare
    from luoshi.org.models import User

    call_command("collectstatic", interactive=False, verbosity=0)  # the page is rendered as in production
    office, _ = User.objects.get_or_create(username="bench-library-office", defaults={"role": User.Role.OFFICE})
    content = thirty_page_docx()
    client = Client(HTTP_HOST="localhost")
    client.force_login(office)

    def upload(name):
        return services.document_create(source=read_upload(name, content), content=content, by=office)

    def view(document):
        started, cpu = time.perf_counter(), time.process_time()
        response = client.get(f"/library/{document.pk}/")
        if response.status_code != 200 or b'<div class="docx-html">' not in response.content:
            sys.exit(f"/library/{document.pk}/ 返回 {response.status_code},或没有 .docx 的 HTML。")
        return (time.perf_counter() - started) * 1000, (time.process_time() - cpu) * 1000

    view(upload("预热.docx"))  # imports, templates, the first request: once per process, not per document
    started = time.perf_counter()
    prepared = upload("三十页.docx")
    upload_ms = (time.perf_counter() - started) * 1000
    started = time.perf_counter()
    document_html_prepare.call(prepared.pk)
    worker_ms = (time.perf_counter() - started) * 1000
    conversions = []
    convert = mammoth.convert_to_html
    mammoth.convert_to_html = lambda *a, **k: conversions.append(1) or convert(*a, **k)
    first, first_cpu = view(prepared)
    after = statistics.median(view(prepared)[0] for _ in range(5))
    ran_prepared = len(conversions)
    unprepared = upload("三十页-未预备.docx")
    inline, inline_cpu = view(unprepared)
    inline_after = statistics.median(view(unprepared)[0] for _ in range(5))
    mammoth.convert_to_html = convert
    kept = bool(Document.objects.get(pk=unprepared.pk).html)
    print(
        f"reading a 30-page .docx ({len(prepared.body):,} characters, {len(content) // 1024} KB): upload "
        f"{upload_ms:.0f} ms, the worker's HTML {worker_ms:.0f} ms; first view {first:.0f} ms wall "
        f"({first_cpu:.0f} ms CPU), then {after:.0f} ms (median of 5), mammoth ran {ran_prepared} time(s); "
        f"target first ≤ {TARGETS['read_docx_first_ms']} ms; ratio {TARGETS['read_docx_first_ms'] / first:.2f}"
    )
    print(f"  read before the worker ran: first view {inline:.0f} ms wall ({inline_cpu:.0f} ms CPU, mammoth in "
          f"the view), then {inline_after:.0f} ms; HTML kept: {'yes' if kept else 'NO'}; ratio "
          f"{TARGETS['read_docx_first_ms'] / inline:.2f}; load average {os.getloadavg()[0]:.1f}")  # fmt: skip


if __name__ == "__main__":
    main()
