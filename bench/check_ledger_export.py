"""Render the ledger export as a person would see it printed: .xlsx → PDF (LibreOffice) → PNG (pdftoppm).

It imports the shared sample ledger into a scratch SQLite database (dated this year, so the lights vary),
records a few progress reports, exports the list and converts it. Look at the PNGs: title, header repeated,
the table fit to the page width, 仿宋, the lights as fills.

    .venv/bin/python bench/check_ledger_export.py            # writes var/check/ledger/*.png
    apt-get install libreoffice-calc poppler-utils fonts-noto-cjk   # what it needs
"""

import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
OUT = ROOT / "var" / "check" / "ledger"


def main() -> None:
    for tool in ("libreoffice", "pdftoppm"):
        if shutil.which(tool) is None:
            sys.exit(f"找不到 {tool}:请先 apt-get install libreoffice-calc poppler-utils fonts-noto-cjk")
    shutil.rmtree(OUT, ignore_errors=True)
    OUT.mkdir(parents=True)
    database = OUT / "check.sqlite3"
    os.environ.update(DATABASE_URL=f"sqlite:///{database}", DEBUG="1", LUOSHI_LOG_LEVEL="WARNING",
                      DJANGO_SETTINGS_MODULE="luoshi.settings")  # fmt: skip
    import django

    django.setup()
    from datetime import date

    from django.core.management import call_command
    from django.utils import timezone

    from luoshi.ledger.export import ledger_workbook
    from luoshi.ledger.preview import preview_ledger
    from luoshi.ledger.services import ledger_import
    from luoshi.lib import workdays
    from luoshi.lib import xlsx as xlsx_lib
    from luoshi.org.demo import demo_load
    from luoshi.org.models import User
    from luoshi.testing import SAMPLES
    from luoshi.work import services
    from luoshi.work.models import Task

    call_command("migrate", verbosity=0)
    demo_load()
    office = User.objects.get(username="office")
    today = timezone.localdate()
    sample = (SAMPLES / "ledger-2022-work-deployment.xlsx").read_bytes()
    preview = preview_ledger(sample, name="sample.xlsx", user=office, base=date(today.year, 3, 1))
    ledger_import(preview=preview, by=office)
    imported = Task.objects.filter(year=today.year, source_title__contains="任务分解表").leaves().order_by("id")
    for task in imported[:6]:
        services.task_report(task=task, by=office, report=services.ReportInput(
            done_text="已制定工作方案,明确责任人和时间表,完成阶段目标的60%。", problems="资金尚未完全到位",
            next_steps="下月完成剩余工作并报送总结"))  # fmt: skip
    t = workdays.thresholds()
    workbook = ledger_workbook(imported, t=t, year=today.year, as_of=today, period=(date(today.year, 1, 1), today))
    xlsx = OUT / "台账.xlsx"
    xlsx_lib.save(workbook, xlsx)
    result = subprocess.run(["libreoffice", "--headless", "--convert-to", "pdf", "--outdir", str(OUT), str(xlsx)],
                            capture_output=True, text=True, timeout=180)  # fmt: skip
    pdf = OUT / "台账.pdf"
    print(f"libreoffice exit {result.returncode}; PDF {pdf.stat().st_size if pdf.exists() else 0:,} bytes")
    if result.returncode != 0 or not pdf.exists() or pdf.stat().st_size == 0:
        sys.exit(result.stderr or "PDF 未生成")
    subprocess.run(["pdftoppm", "-png", "-r", "70", str(pdf), str(OUT / "page")], check=True, timeout=120)
    for png in sorted(OUT.glob("page*.png")):
        print(png)


if __name__ == "__main__":
    main()
