"""iCal feeds per unit and per leader: deadlines, report due dates, milestones, project steps, meetings. All-day."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from icalendar import Calendar, Event

from luoshi.work.models import Milestone, Task

from .models import FeedToken, _new_token


def feed_token_set(*, owner: dict, renew: bool = False, revoke: bool = False) -> FeedToken | None:
    """Create the feed's secret, or renew it (the old URL stops working), or revoke it."""
    with transaction.atomic():
        if renew or revoke:
            FeedToken.objects.filter(**owner).delete()
        if revoke:
            return None
        token, _ = FeedToken.objects.get_or_create(**owner, defaults={"token": _new_token()})
    return token


def _tasks(unit=None, leader=None):
    tasks = Task.objects.filter(status__in=Task.LIT_STATUSES, lead_unit__isnull=False)
    if unit is not None:
        return tasks.filter(Q(lead_unit=unit) | Q(assignments__unit=unit)).distinct()
    if leader.is_principal:
        return tasks
    return tasks.filter(Q(lead_unit__in=leader.supervises.all()) | Q(leader=leader)).distinct()


def _event(uid: str, day, summary: str, url: str, stamp) -> Event:
    event = Event()
    event.add("uid", f"{uid}@luoshi")
    event.add("dtstamp", stamp)
    event.add("dtstart", day)
    event.add("dtend", day + timedelta(days=1))
    event.add("summary", summary)
    event.add("url", url)
    event.add("transp", "TRANSPARENT")
    return event


def ical_for(*, unit=None, leader=None) -> bytes:
    owner = unit.display_name if unit is not None else f"{leader.title}{leader.name}"
    cal = Calendar()
    cal.add("prodid", "-//Luoshi//督查督办//ZH")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", f"落实 · {owner}")
    cal.add("x-wr-timezone", settings.TIME_ZONE)
    stamp = timezone.now()
    base = settings.LUOSHI_SITE_URL
    tasks = list(_tasks(unit, leader).values("pk", "title", "deadline", "next_report_due")[:5000])
    for task in tasks:
        url = f"{base}/work/{task['pk']}/"
        if task["deadline"]:
            cal.add_component(_event(f"task-{task['pk']}-deadline", task["deadline"], f"【完成时限】{task['title']}",
                                     url, stamp))  # fmt: skip
        if task["next_report_due"]:
            cal.add_component(_event(f"task-{task['pk']}-report", task["next_report_due"],
                                     f"【反馈进展】{task['title']}", url, stamp))  # fmt: skip
    ids = [task["pk"] for task in tasks]
    for milestone in Milestone.objects.filter(task_id__in=ids, done_on__isnull=True).select_related("task"):
        cal.add_component(_event(f"milestone-{milestone.pk}", milestone.due,
                                 f"【节点】{milestone.task.title}:{milestone.title}",
                                 f"{base}/work/{milestone.task_id}/", stamp))  # fmt: skip
    # Projects scheduled backward (倒排工期): each step's latest start and finish, and the deadline.
    from luoshi.plans.projects import calendar_dates

    if unit is not None:
        scope = [unit.pk]
    else:
        scope = None if leader.is_principal else list(leader.supervises.values_list("pk", flat=True))
    for uid, day, summary, path in calendar_dates(scope):
        cal.add_component(_event(uid, day, summary, f"{base}{path}", stamp))
    if leader is not None:
        from luoshi.reports.models import MeetingPack

        for pack in MeetingPack.objects.order_by("-meeting_date")[:100]:
            cal.add_component(_event(f"pack-{pack.pk}", pack.meeting_date, f"【常务会】{pack.title}",
                                     f"{base}/reports/packs/{pack.pk}/", stamp))  # fmt: skip
    return cal.to_ical()
