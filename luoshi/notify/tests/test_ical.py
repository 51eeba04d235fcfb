"""iCal feeds on a secret URL: they parse back with icalendar; a revoked or renewed-away token answers 404."""

from datetime import date

import pytest
from icalendar import Calendar

from luoshi.notify.models import FeedToken
from luoshi.reports import services as reports
from luoshi.work.models import Milestone
from luoshi.work.tests.service_helpers import create, signed

pytestmark = pytest.mark.django_db


def _feed_url(client, user) -> str:
    client.force_login(user)
    client.post("/notify/feed/", {"action": "renew"})
    token = FeedToken.objects.get()
    return f"/notify/ical/{token.token}.ics"


def test_a_units_feed_holds_its_deadlines_report_dates_and_milestones(client, personas, clock):
    task = signed(personas, cadence="monthly", cadence_day=25)
    Milestone.objects.create(task=task, title="完成招标", due=date(2026, 4, 30))
    create(personas, title="别的单位的事项", lead=personas.housing)
    url = _feed_url(client, personas.liaison)
    client.logout()
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"].startswith("text/calendar")
    cal = Calendar.from_ical(response.content)
    events = {str(e["summary"]): e for e in cal.walk("VEVENT")}
    assert set(events) == {
        "【完成时限】推进财政数字化改革",
        "【反馈进展】推进财政数字化改革",
        "【节点】推进财政数字化改革:完成招标",
    }
    deadline = events["【完成时限】推进财政数字化改革"]
    assert deadline.decoded("dtstart") == date(2026, 6, 30)  # all-day: a date, not a datetime
    assert deadline.decoded("dtend") == date(2026, 7, 1)
    assert str(cal["x-wr-timezone"]) == "Asia/Shanghai"


def test_a_leaders_feed_holds_the_units_they_oversee(client, personas, clock):
    signed(personas)
    create(personas, title="住建局事项", lead=personas.housing)
    reports.pack_issue(meeting_date=date(2026, 3, 17), by=personas.office)
    url = _feed_url(client, personas.leader)
    cal = Calendar.from_ical(client.get(url).content)
    summaries = {str(e["summary"]) for e in cal.walk("VEVENT")}
    assert "【完成时限】推进财政数字化改革" in summaries and not any("住建局" in s for s in summaries)
    assert "【常务会】2026年3月17日县政府常务会议督查工作汇报材料" in summaries


def test_a_revoked_or_renewed_token_answers_404(client, personas, clock):
    old = _feed_url(client, personas.liaison)
    client.post("/notify/feed/", {"action": "renew"})
    assert client.get(old).status_code == 404
    new = f"/notify/ical/{FeedToken.objects.get().token}.ics"
    assert client.get(new).status_code == 200
    client.post("/notify/feed/", {"action": "revoke"})
    assert client.get(new).status_code == 404 and FeedToken.objects.count() == 0
