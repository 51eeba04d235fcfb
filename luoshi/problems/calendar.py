"""专班 meetings as iCal (RFC 5545): timed in Asia/Shanghai when a start is set, all-day otherwise."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.utils import timezone
from icalendar import Calendar, Event

MEETING_HOURS = 2


def task_force_ical(meetings, *, name: str, base: str) -> bytes:
    cal = Calendar()
    cal.add("prodid", "-//Luoshi//破难题 专班//ZH")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", f"落实 · {name}")
    cal.add("x-wr-timezone", settings.TIME_ZONE)
    stamp = timezone.now()
    for meeting in meetings:
        event = Event()
        event.add("uid", f"task-force-{meeting.pk}@luoshi")
        event.add("dtstamp", stamp)
        if meeting.start:
            start = timezone.make_aware(datetime.combine(meeting.day, meeting.start))
            event.add("dtstart", start)
            event.add("dtend", start + timedelta(hours=MEETING_HOURS))
        else:
            event.add("dtstart", meeting.day)
            event.add("dtend", meeting.day + timedelta(days=1))
        event.add("summary", f"【专班】{meeting.problem.title}:{meeting.topic}")
        if meeting.place:
            event.add("location", meeting.place)
        if meeting.status == "held":
            event.add("description", meeting.minutes)
        event.add("url", f"{base}/problems/{meeting.problem_id}/task-force/")
        cal.add_component(event)
    return cal.to_ical()
