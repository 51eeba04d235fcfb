"""An old ledger must never overwrite newer progress: the issue-13 sequence on every file a unit may send back.

The office exports eight tasks (seven with a first report, one with a tab in it); three tasks then get newer
reports through the web form; the unit fills three other rows of its old copy, and one row of a task that has
moved on, and sends it back as:

- .xlsx filled with openpyxl;
- .xls and .ods re-saved by LibreOffice headless (`soffice --convert-to`);
- .ods and .xlsx filled inside LibreOffice Calc through UNO (needs /usr/bin/python3 with `uno`,
  Debian's python3-uno), as a unit typing in Calc would.

For each it imports the file in a transaction that is rolled back, and prints the changes found, the reports
recorded, the reversals (a task put back to older words) and the conflicts listed, against the target
(3 reports, 0 reversals, 1 conflict) and against the old two-way rule (the baseline), which recorded every
row that differed from the current report:

    .venv/bin/python bench/ledger_roundtrip.py
    .venv/bin/python bench/ledger_roundtrip.py --rows 20000   # then the preview of a returned ledger that size

With --rows N it also times the preview of a returned N-row ledger (half the tasks with a report, 1% of rows
filled in), with the version column (three-way) and without it (the old two-way comparison, the baseline);
target: three-way within 1.5 times the baseline.
"""

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
OUT = ROOT / "var" / "bench" / "ledger_roundtrip"
TITLES = [f"事项{n}" for n in range(1, 9)]
FILLED = {"事项4": "台账填报4", "事项5": "台账填报5", "事项8": "台账填报8", "事项3": "台账里的旧说法3"}
TARGET = {"reports": 3, "reversals": 0, "conflicts": 1}


class Rollback(Exception):
    pass


def resave(data: bytes, to: str) -> bytes:
    with tempfile.TemporaryDirectory(prefix="luoshi-lo-") as tmp:
        folder = Path(tmp)
        (folder / "台账.xlsx").write_bytes(data)
        subprocess.run(["soffice", f"-env:UserInstallation=file://{folder / 'profile'}", "--headless",
                        "--convert-to", to, "--outdir", str(folder / "out"), str(folder / "台账.xlsx")],
                       check=True, capture_output=True, timeout=180)  # fmt: skip
        return (folder / "out" / f"台账.{to}").read_bytes()


def uno_fill(data: bytes, suffix: str) -> bytes | None:
    python = "/usr/bin/python3"
    probe = subprocess.run([python, "-c", "import uno"], capture_output=True)
    if probe.returncode != 0:
        return None
    with tempfile.TemporaryDirectory(prefix="luoshi-uno-") as tmp:
        source, target = Path(tmp) / "台账.xlsx", Path(tmp) / f"填好{suffix}"
        source.write_bytes(data)
        subprocess.run([python, str(ROOT / "bench" / "uno_fill.py"), str(source), str(target),
                        json.dumps(FILLED, ensure_ascii=False)], check=True, timeout=240)  # fmt: skip
        return target.read_bytes()


def scale(rows: int, personas) -> bool:
    """The preview of a big returned ledger, three-way against two-way."""
    from datetime import date
    from io import BytesIO

    from django.utils import timezone
    from openpyxl import Workbook, load_workbook

    from luoshi.ledger.export import ledger_workbook
    from luoshi.ledger.preview import preview_ledger
    from luoshi.ledger.services import ledger_import
    from luoshi.lib import workdays, xlsx
    from luoshi.work.models import ProgressReport, Task

    today = timezone.localdate()
    book = Workbook()
    sheet = book.active
    sheet.append(["序号", "工作任务", "牵头单位", "完成时限"])
    for n in range(1, rows + 1):
        sheet.append([n, f"规模事项{n}", "财政局", f"{today.year}年12月31日"])
    buffer = BytesIO()
    book.save(buffer)
    ledger_import(preview=preview_ledger(buffer.getvalue(), name="规模.xlsx", user=personas.office),
                  by=personas.office)  # fmt: skip
    tasks = Task.objects.filter(title__startswith="规模事项").order_by("id")
    now = timezone.now()
    # Setup data only: the reports a county would have, written in bulk.
    ProgressReport.objects.bulk_create(
        [ProgressReport(task_id=pk, unit=personas.finance, done_text=f"已完成第一阶段{pk}", created_by=personas.liaison,
                        created_at=now) for pk in tasks.values_list("pk", flat=True)[: rows // 2]],
        batch_size=2000,
    )  # fmt: skip
    buffer = BytesIO()
    xlsx.save(ledger_workbook(tasks, t=workdays.thresholds(), year=today.year, as_of=today,
                              period=(date(today.year, 1, 1), today)), buffer)  # fmt: skip
    returned = load_workbook(BytesIO(buffer.getvalue()))
    sheet = returned["台账"]
    for r in range(3, sheet.max_row + 1, 100):
        sheet.cell(row=r, column=11, value=f"台账填报{r}")
    buffer = BytesIO()
    returned.save(buffer)
    three_way = buffer.getvalue()
    sheet.delete_cols(17)
    buffer = BytesIO()
    returned.save(buffer)
    two_way = buffer.getvalue()
    timings = {}
    # Each twice, in turn; the faster of the two, so that a cold cache does not favour either.
    for label, data in [("two_way", two_way), ("three_way", three_way)] * 2:
        started = time.perf_counter()
        preview = preview_ledger(data, name="台账.xlsx", user=personas.liaison)
        timings[label] = min(timings.get(label, float("inf")), time.perf_counter() - started)
        assert preview.ok and len(preview.updates) == len(range(3, rows + 3, 100)), (label, len(preview.updates))
    ratio = timings["three_way"] / timings["two_way"]
    print(
        f"\n回收台账 {rows:,} 行预览:三方比较 {timings['three_way']:.2f} 秒,旧的两方比较(基线) "
        f"{timings['two_way']:.2f} 秒,比值 {ratio:.2f}(目标 ≤ 1.5)"
    )
    return ratio <= 1.5


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=0, help="也测这么多行的回收台账的预览")
    args = parser.parse_args()
    if shutil.which("soffice") is None:
        sys.exit("找不到 soffice:请先 apt-get install libreoffice-calc-nogui")
    shutil.rmtree(OUT, ignore_errors=True)
    OUT.mkdir(parents=True)
    os.environ.update(DATABASE_URL=f"sqlite:///{OUT / 'bench.sqlite3'}", DEBUG="1", LUOSHI_LOG_LEVEL="WARNING",
                      DJANGO_SETTINGS_MODULE="luoshi.settings")  # fmt: skip
    import django

    django.setup()
    from datetime import date
    from io import BytesIO

    from django.core.management import call_command
    from django.db import transaction
    from django.utils import timezone
    from openpyxl import Workbook, load_workbook

    from luoshi.ledger.compare import Change, same
    from luoshi.ledger.export import ledger_workbook
    from luoshi.ledger.preview import preview_ledger
    from luoshi.ledger.services import ledger_import
    from luoshi.lib import workdays, xlsx
    from luoshi.testing import make_personas
    from luoshi.work import services
    from luoshi.work.models import ProgressReport, Task

    call_command("migrate", verbosity=0)
    personas = make_personas()
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["序号", "工作任务", "牵头单位", "完成时限"])
    for n, title in enumerate(TITLES, start=1):
        sheet.append([n, title, "财政局", f"{timezone.localdate().year}年12月31日"])
    buffer = BytesIO()
    workbook.save(buffer)
    ledger_import(preview=preview_ledger(buffer.getvalue(), name="分解表.xlsx", user=personas.office),
                  by=personas.office)  # fmt: skip
    tasks = {task.title: task for task in Task.objects.all()}

    def report(title: str, text: str) -> None:
        services.task_report(task=tasks[title], by=personas.liaison, report=services.ReportInput(done_text=text))

    for n, title in enumerate(TITLES[:7], start=1):
        report(title, f"第一次反馈\t{n}" if n == 4 else f"第一次反馈{n}")
    today = timezone.localdate()
    exported_book = ledger_workbook(Task.objects.order_by("id"), t=workdays.thresholds(), year=today.year,
                                    as_of=today, period=(date(today.year, 1, 1), today))  # fmt: skip
    buffer = BytesIO()
    xlsx.save(exported_book, buffer)
    exported = buffer.getvalue()
    for title in TITLES[:3]:
        report(title, f"{title}较新的进展")

    book = load_workbook(BytesIO(exported))
    ledger = book["台账"]
    headers = [cell.value for cell in ledger[2]]
    for r in range(3, ledger.max_row + 1):
        name = ledger.cell(row=r, column=headers.index("工作任务") + 1).value
        if name in FILLED:
            ledger.cell(row=r, column=headers.index("进展情况") + 1, value=FILLED[name])
    buffer = BytesIO()
    book.save(buffer)
    filled = buffer.getvalue()

    variants = [("xlsx(openpyxl 填写)", lambda: filled), ("xls(LibreOffice 另存)", lambda: resave(filled, "xls")),
                ("ods(LibreOffice 另存)", lambda: resave(filled, "ods")),
                ("ods(LibreOffice UNO 填写)", lambda: uno_fill(exported, ".ods")),
                ("xlsx(LibreOffice UNO 填写)", lambda: uno_fill(exported, ".xlsx"))]  # fmt: skip
    failures = 0
    print(f"{'文件':<26}{'转换秒':>7}{'预览秒':>7}  更新 冲突 无变化  导入进展 倒退 | 旧规则:导入 倒退   目标 {TARGET}")
    for label, make in variants:
        started = time.perf_counter()
        data = make()
        made = time.perf_counter() - started
        if data is None:
            print(f"{label:<26} 跳过:/usr/bin/python3 没有 uno 模块(apt-get install python3-uno)")
            continue
        started = time.perf_counter()
        preview = preview_ledger(data, name=f"台账.{label[:4]}", user=personas.liaison)
        previewed = time.perf_counter() - started
        counts = {change: sum(1 for row in preview.rows if row.change == change) for change in Change}
        # The old rule: every row whose cells differ from the current report, stripped, became a report.
        old = [row for row in preview.rows if row.task_id and any(row.file_texts)
               and tuple(t.strip() for t in row.file_texts) != tuple(t.strip() for t in row.current)]  # fmt: skip
        old_reversals = sum(1 for row in old if row.exported is not None and same(row.file_texts, row.exported))
        before = {title: task.reports.order_by("-created_at", "-id").first().pk for title, task in tasks.items()
                  if task.reports.exists()}  # fmt: skip
        try:
            with transaction.atomic():
                count_before = ProgressReport.objects.count()
                result = ledger_import(preview=preview, by=personas.liaison)
                recorded = ProgressReport.objects.count() - count_before
                reversals = 0
                for title, task in tasks.items():
                    latest = task.reports.order_by("-created_at", "-id").first()
                    older = task.reports.exclude(pk=latest.pk).values_list("done_text", flat=True) if latest else []
                    if latest and latest.pk != before.get(title) and latest.done_text in older:
                        reversals += 1
                raise Rollback
        except Rollback:
            pass
        figures = {"reports": recorded, "reversals": reversals, "conflicts": len(preview.conflicts)}
        ok = figures == TARGET and result.reports == recorded and preview.ok
        failures += not ok
        print(f"{label:<26}{made:>7.1f}{previewed:>7.2f}  {counts[Change.UPDATE]:>4} {counts[Change.CONFLICT]:>4}"
              f" {counts[Change.UNCHANGED]:>6}  {recorded:>8} {reversals:>4} | {len(old):>10} {old_reversals:>4}"
              f"   {'达标' if ok else '未达标'}"
              f";进展条数 {recorded}/{len(old)} = {recorded / len(old) if old else 0:.2f} 倍于旧规则")  # fmt: skip
    if args.rows and not scale(args.rows, personas):
        failures += 1
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
