"""Large files on the worker, in a real Chromium: the progress page waits, the worker runs, the page moves on by itself.

"Large" is lowered to 1 KB (the live server runs in this process, so the patch reaches it); the worker is the
test itself, running the queued job while the browser polls.
"""

from io import BytesIO

import pytest
from django_tasks_db.models import DBTaskResult
from openpyxl import Workbook

from luoshi.intake.models import Decomposition
from luoshi.ops.jobs import run_job
from luoshi.plans.models import Plan
from luoshi.testing import SAMPLES, browser_login
from luoshi.work import jobs as ledger_jobs

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DOCX = SAMPLES / "speech-2022-work-deployment.reconstructed.docx"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture(autouse=True)
def large_means_over_1_kb(monkeypatch):
    monkeypatch.setattr(ledger_jobs, "INLINE_BYTES", 1024)


def run_queued() -> None:
    for result in DBTaskResult.objects.filter(task_path="luoshi.ops.jobs.run_job").order_by("enqueued_at"):
        run_job.call(*result.args_kwargs["args"])


def test_a_large_document_waits_on_the_progress_page_then_opens_its_review(browser, live_site, demo_county):
    context, page = browser_login(browser, live_site, "office", timeout=20_000)
    try:
        page.goto("/intake/")
        page.locator("#id_file").set_input_files(str(DOCX))
        page.locator("main button[type=submit]").click()
        page.wait_for_url("**/jobs/*/")
        assert page.locator("#job-status").inner_text() == "排队中"
        assert page.locator("h1").inner_text() == f"文件分解:{DOCX.name}"

        run_queued()

        page.wait_for_url("**/intake/*/")
        page.wait_for_selector(".intake-doc mark")
        decomposition = Decomposition.objects.get()
        assert page.url.endswith(f"/intake/{decomposition.pk}/")
        assert page.locator("tr[data-row]").count() == decomposition.rows.count() > 10
    finally:
        context.close()


def test_a_large_plan_is_previewed_by_the_worker_and_imported_from_the_page(browser, live_site, demo_county):
    book = Workbook()
    sheet = book.active
    sheet.append(["财政局2026年度计划"])
    sheet.append(["序号", "事项", "指标", "计量单位", "年度目标", *[f"{m}月" for m in range(1, 13)]])
    sheet.append(
        [1, "一般公共预算收入", "收入", "亿元", 8, *[round(0.8 * m, 1) if m < 11 else 8 for m in range(1, 13)]]
    )
    sheet.append([2, "盘活存量资产", "处置", "宗", 12, *[None] * 12])
    buffer = BytesIO()
    book.save(buffer)

    context, page = browser_login(browser, live_site, "unit", timeout=20_000)
    try:
        page.goto("/plans/units/")
        page.wait_for_url("**/plans/units/*/")
        page.goto(page.url + "import/")
        page.fill("#id_year", "2026")
        page.locator("#id_file").set_input_files({"name": "计划.xlsx", "mimeType": XLSX, "buffer": buffer.getvalue()})
        page.locator("main form.card button[type=submit]").click()
        page.wait_for_url("**/jobs/*/")
        assert page.locator("h1").inner_text() == "计划预览:计划.xlsx"

        run_queued()

        page.wait_for_url("**/import/?job=*")
        assert page.locator("h2", has_text="预览:2 项").count() == 1
        assert not Plan.objects.exists()
        page.locator("button", has_text="确认导入").click()
        page.wait_for_selector("text=已导入财政局2026年年度计划(第1版),共 2 项")
        assert Plan.objects.get().items.count() == 2
    finally:
        context.close()
