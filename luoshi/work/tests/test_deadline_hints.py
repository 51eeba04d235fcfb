"""#12 "Small things": 已逾期 N 天 / 剩 N 个工作日 beside the deadline on every list a role opens, not only the
office's (test_cockpit.py covers the office list and the task page), and none once a task is done."""

from datetime import date

import pytest

from luoshi.lib import workdays
from luoshi.work import office as work_office
from luoshi.work import services
from luoshi.work.tests.service_helpers import create, signed

pytestmark = pytest.mark.django_db


@pytest.fixture
def tasks(personas, clock):
    clock(date(2026, 3, 2))
    late = signed(personas, title="逾期的事项", deadline=date(2026, 3, 10))
    soon = create(personas, title="待签收的事项", deadline=date(2026, 3, 20))
    create(personas, title="过期未签收的事项", deadline=date(2026, 3, 10))
    done = signed(personas, title="已销号的事项", deadline=date(2026, 3, 13))
    closure = services.task_closure_ask(task=done, by=personas.liaison, summary="已全部完成")
    work_office.closure_decide(request=closure, approve=True, by=personas.office, note="同意")
    clock(date(2026, 3, 16))
    return {"late": late, "soon": soon, "done": done}


def _row(page: str, title: str) -> str:
    start = page.index(title)
    return page[start : page.index("</tr>", start)]


def test_the_liaisons_inbox_says_how_late_or_how_long_is_left(client, personas, tasks):
    client.force_login(personas.liaison)
    page = client.get("/work/inbox/").content.decode()
    assert "已逾期 6 天" in _row(page, "过期未签收的事项")
    left = workdays.calendar().between(date(2026, 3, 16), date(2026, 3, 20))
    assert left == 4
    assert "剩 4 个工作日" in _row(page, "待签收的事项")


def test_the_leaders_and_the_units_lists_say_it_too(client, personas, tasks):
    for user in (personas.leader, personas.liaison):
        client.force_login(user)
        page = client.get("/work/").content.decode()
        assert "已逾期 6 天" in _row(page, "逾期的事项"), user
        assert "剩 4 个工作日" in _row(page, "待签收的事项"), user


def test_a_done_task_shows_no_countdown(client, personas, tasks):
    client.force_login(personas.office)
    page = client.get("/work/?status=done").content.decode()
    assert "已销号的事项" in page
    row = _row(page, "已销号的事项")
    assert "已逾期" not in row and "个工作日" not in row
    detail = client.get(f"/work/{tasks['done'].pk}/").content.decode()
    assert "deadline-hint" not in detail
