"""The 机构改革 page in a real browser: the system administrator previews a merger, then confirms it."""

from datetime import date

import pytest

from luoshi.org.models import Unit
from luoshi.testing import PASSWORD, log_in, make_personas
from luoshi.work import services as work_services
from luoshi.work.models import Task

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_administrator_previews_and_confirms_a_merger(page, screenshot_dir):
    personas = make_personas()
    spec = work_services.TaskSpec(title="编制年度增收计划", lead=personas.finance, deadline=date(2099, 6, 30))
    work_services.task_create(spec=spec, by=personas.office)

    log_in(page, "erin", PASSWORD)
    page.goto("/org/reorg/merge/")
    page.get_by_label("财政局").check()
    page.get_by_label("住房和城乡建设局").check()
    page.fill("#id_into", "财政和住房建设局")
    page.fill("#id_on", date.today().isoformat())
    page.click("button[name=preview]")
    preview = page.locator(".reorg-preview")
    preview.wait_for()
    assert "并入新设的“财政和住房建设局”" in preview.inner_text()
    assert "编制年度增收计划" in preview.inner_text()
    page.screenshot(path=str(screenshot_dir / "reorg-preview.png"), full_page=True)
    assert not Unit.objects.filter(name="财政和住房建设局").exists()

    page.click("button[name=confirm]")
    page.wait_for_url("**/org/reorg/")
    assert "已完成" in page.inner_text("main")
    assert Task.objects.get(title="编制年度增收计划").lead_unit.name == "财政和住房建设局"
