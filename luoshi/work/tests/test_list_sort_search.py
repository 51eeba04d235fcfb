"""The task list (#13 §3): red first by default, headers that sort, and search by unit and leader name."""

import re
from datetime import date

import pytest

from luoshi.work import office as work_office
from luoshi.work import services
from luoshi.work.models import Task
from luoshi.work.tests.service_helpers import create

pytestmark = pytest.mark.django_db


def _titles(response) -> list[str]:
    html = response.content.decode()
    return re.findall(r'<td data-label="事项"><a href="/work/\d+/">([^<]+)</a>', html)


@pytest.fixture
def three(personas, clock):
    """On 2026-03-16: one green task due in June, one red (overdue), one yellow (due in two working days), one done."""
    green = create(personas, title="绿灯事项", deadline=date(2026, 6, 30))
    red = create(
        personas, title="红灯事项", deadline=date(2026, 4, 10), lead=personas.housing, leader=personas.leader_row
    )
    yellow = create(personas, title="黄灯事项", deadline=date(2026, 3, 18))
    done = create(personas, title="已办结事项", deadline=date(2026, 3, 20))
    services.task_sign(task=done, by=personas.liaison)
    services.task_closure_ask(task=done, by=personas.liaison, summary="已完成")
    work_office.closure_decide(request=done.closures.get(), approve=True, by=personas.office)
    Task.objects.filter(pk=red.pk).update(deadline=date(2026, 3, 10))  # overdue now
    return green, red, yellow, done


def test_the_list_opens_red_first_with_done_tasks_last(client, personas, three):
    client.force_login(personas.office)
    response = client.get("/work/")
    assert _titles(response) == ["红灯事项", "黄灯事项", "绿灯事项", "已办结事项"]
    html = response.content.decode()
    assert 'aria-sort="ascending"' in html and "灯色<span" in html
    # Done tasks are one click away, from the 无灯 count.
    assert "status=done" in html
    assert _titles(client.get("/work/?status=done")) == ["已办结事项"]


def test_a_header_sorts_and_a_second_click_reverses(client, personas, three):
    client.force_login(personas.office)
    html = client.get("/work/").content.decode()
    assert 'href="?sort=deadline"' in html
    by_deadline = client.get("/work/?sort=deadline")
    assert _titles(by_deadline) == ["红灯事项", "黄灯事项", "已办结事项", "绿灯事项"]
    assert 'href="?sort=-deadline"' in by_deadline.content.decode()
    assert _titles(client.get("/work/?sort=-deadline")) == ["绿灯事项", "已办结事项", "黄灯事项", "红灯事项"]
    assert _titles(client.get("/work/?sort=title"))[0] == "已办结事项"
    assert _titles(client.get("/work/?sort=-light"))[0] == "已办结事项"
    # The sort keeps the filters, and a filter keeps the sort.
    filtered = client.get("/work/?light=red&sort=deadline").content.decode()
    assert 'href="?light=red&amp;sort=-deadline"' in filtered


def test_an_unknown_sort_falls_back_without_an_error(client, personas, three):
    client.force_login(personas.office)
    response = client.get("/work/?sort=drop%20table")
    assert response.status_code == 200
    assert _titles(response)[0] == "红灯事项"


def test_search_finds_tasks_by_the_lead_units_name_short_name_and_alias(client, personas, three):
    client.force_login(personas.office)
    for query in ("住建局", "住房和城乡建设局"):
        assert _titles(client.get("/work/", {"q": query})) == ["红灯事项"], query
    assert set(_titles(client.get("/work/", {"q": "财政"}))) == {"绿灯事项", "黄灯事项", "已办结事项"}


def test_search_finds_tasks_by_the_leaders_name(client, personas, three):
    client.force_login(personas.office)
    assert _titles(client.get("/work/", {"q": "李强"})) == ["红灯事项"]
    # A name and a word of the title narrow together.
    assert _titles(client.get("/work/", {"q": "李强 绿灯"})) == []


def test_search_by_name_stays_within_what_the_user_may_see(client, personas, three):
    client.force_login(personas.liaison)
    assert _titles(client.get("/work/", {"q": "住建局"})) == []


def test_the_export_follows_the_lists_order(client, personas, three):
    from io import BytesIO

    from openpyxl import load_workbook

    client.force_login(personas.office)
    response = client.get("/ledger/export/")
    sheet = load_workbook(BytesIO(b"".join(response.streaming_content if response.streaming else [response.content])))[
        "台账"
    ]
    titles = [row[2] for row in sheet.iter_rows(min_row=3, values_only=True) if row[2]]
    assert titles == ["红灯事项", "黄灯事项", "绿灯事项", "已办结事项"]
