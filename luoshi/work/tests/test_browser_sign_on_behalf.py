"""督查室代签收 in a real Chromium (#13 §3): tick rows on the office's list, 代为签收, confirm the list, signed."""

from datetime import timedelta

import pytest
from django.utils import timezone

from luoshi.testing import PASSWORD
from luoshi.work import services
from luoshi.work.models import Task, TimelineEntry
from luoshi.work.tests.test_browser_work import Session

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_office_signs_ticked_rows_for_their_units_after_confirming(browser, live_site, personas):
    deadline = timezone.localdate() + timedelta(days=60)
    tasks = [
        services.task_create(
            spec=services.TaskSpec(title=f"导入的事项{number}", lead=unit, deadline=deadline), by=personas.office
        )
        for number, unit in enumerate([personas.finance, personas.housing, personas.finance], start=1)
    ]
    office = Session(browser, live_site, "alice", password=PASSWORD)
    try:
        office.page.goto("/work/?status=assigned")
        for task in tasks[:2]:
            office.page.locator(f"input[name=task][value='{task.pk}']").check()
        office.click("#sign-box summary")
        office.click("button:has-text('代为签收勾选的事项')")
        office.page.wait_for_selector("#sign-confirm")
        listed = office.page.locator("#sign-tasks tbody").inner_text()
        assert "导入的事项1" in listed and "导入的事项2" in listed and "导入的事项3" not in listed
        assert office.page.locator("#sign-count").inner_text() == "2"
        office.click("button:has-text('确认代为签收这 2 项')")
        office.page.wait_for_url("**/work/?status=assigned")
        assert "已代为签收 2 个事项" in office.message()
        statuses = dict(Task.objects.filter(pk__in=[t.pk for t in tasks]).values_list("title", "status"))
        assert statuses == {"导入的事项1": "in_progress", "导入的事项2": "in_progress", "导入的事项3": "assigned"}
        assert TimelineEntry.objects.filter(action="sign", note="督查室代签收", actor=personas.office).count() == 2
    finally:
        office.close()
