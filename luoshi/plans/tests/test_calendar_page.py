"""The 工作日历 page: the notice pasted, previewed, then saved whole; names in Chinese; office only."""

from datetime import date

import pytest

from luoshi.plans.models import CalendarDay
from luoshi.testing import PASSWORD, SAMPLES

NOTICE_2026 = (SAMPLES / "holiday-notices" / "2026.txt").read_text()


def _office(client):
    assert client.login(username="alice", password=PASSWORD)
    return client


def test_the_notice_is_previewed_then_saved_all_at_once(client, personas):
    _office(client)
    CalendarDay.objects.filter(date__year=2026).delete()

    page = client.post("/plans/calendar/", {"action": "notice_preview", "year": "2026", "text": NOTICE_2026})

    html = page.content.decode()
    assert "2026年节假日安排预览" in html and "周末,本来休息" in html
    assert not CalendarDay.objects.filter(date__year=2026).exists()
    response = client.post("/plans/calendar/", {"action": "notice_save", "year": "2026", "text": NOTICE_2026})
    assert response.status_code == 302
    assert CalendarDay.objects.filter(date__year=2026).count() == 25
    assert CalendarDay.objects.get(date=date(2026, 2, 28)).get_kind_display() == "调休上班"
    listing = client.get("/plans/calendar/?year=2026").content.decode()
    assert "春节" in listing


def test_a_range_with_a_mistake_saves_nothing_and_says_what_to_fix(client, personas):
    _office(client)
    before = CalendarDay.objects.count()

    html = client.post("/plans/calendar/", {"action": "notice_save", "year": "2027",
                                            "text": "春节:2月10日至2月30日放假"}).content.decode()  # fmt: skip

    assert "春节:“2月30日”不是有效日期" in html and "未保存任何日期" in html
    assert CalendarDay.objects.count() == before


def test_a_notice_of_another_year_is_refused(client, personas):
    _office(client)

    html = client.post("/plans/calendar/", {"action": "notice_save", "year": "2025",
                                            "text": NOTICE_2026}).content.decode()  # fmt: skip

    assert "通知标题是2026年,与所选年份2025年不一致,请核对。" in html


def test_the_seeded_holidays_show_their_chinese_names(client, personas):
    _office(client)
    CalendarDay.objects.update_or_create(date=date(2025, 10, 6), defaults={"kind": "holiday",
                                                                            "name": "Mid-autumn Festival"})  # fmt: skip

    html = client.get("/plans/calendar/?year=2025").content.decode()

    assert "中秋节" in html and "Mid-autumn Festival" not in html and "National Day" not in html


@pytest.mark.parametrize("username", ["bob", "charlie"])
def test_only_the_office_enters_holidays(client, personas, username):
    assert client.login(username=username, password=PASSWORD)

    response = client.post("/plans/calendar/", {"action": "notice_save", "year": "2026", "text": NOTICE_2026})

    assert response.status_code == 403
