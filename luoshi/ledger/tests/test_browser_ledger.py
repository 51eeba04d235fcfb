"""The shared sample imported in a real Chromium by the demo office, with the clock at 15 March 2022."""

import pytest

from luoshi.testing import SAMPLES, log_in
from luoshi.work.models import Task

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SAMPLE = SAMPLES / "ledger-2022-work-deployment.xlsx"
TITLE = "示范县2022年政府系统工作部署会议重点任务分解表"


def test_the_office_imports_the_sample_ledger_into_twenty_tasks(demo_county, page, march_2022):
    log_in(page, "office")

    page.get_by_role("link", name="导入台账").click()
    page.set_input_files("#id_file", str(SAMPLE))
    page.get_by_role("button", name="上传并预览").click()

    page.wait_for_url("**/ledger/import/*/")
    assert page.locator("#task-count").inner_text() == "20"
    assert page.locator("#error-count").inner_text() == "错误 0"
    assert "第18行「配合单位」:未找到单位“项目单位”" in page.locator(".ledger-problems").inner_text()
    land = page.locator("tr", has_text="土地出让提前谋划")
    assert "→ 自然资源局" in land.inner_text() and "→ 2022-11-30" in land.inner_text()

    page.get_by_role("button", name="确认导入(20 个事项)").click()

    page.wait_for_url("**/work/?year=2022")
    assert "导入完成:新增事项 20 个" in page.locator(".messages").inner_text()
    tasks = Task.objects.filter(source_title=TITLE)
    assert tasks.count() == 20
    land = tasks.get(title="土地出让提前谋划")
    assert (land.lead_unit.name, land.deadline.isoformat()) == ("自然资源局", "2022-11-30")
    assert page.locator("tr", has_text="土地出让提前谋划").count() == 1

    # The list downloads as the ledger, with the same filter.
    with page.expect_download() as download:
        page.locator("#export-ledger").click()
    assert download.value.suggested_filename == "示范县2022年重点工作任务台账_2022-03-15.xlsx"
