"""The scheduler's daily pass: reports due, deadlines near and passed, unsigned tasks.

Each task gets at most one reminder per unit and day (ReminderLog), whatever the rules say; a unit
gets one message per kind listing its tasks; the office gets one digest of what passed and what
is unsigned.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from django.db import transaction
from django.db.models import Q
from django.urls import reverse

from luoshi.lib import workdays
from luoshi.lib.bulk import insert_rows
from luoshi.work.models import Task

from . import services
from .models import Event, Kind, ReminderLog
from .services import EventSpec

# When a task meets several rules the day, the most pressing one speaks.
ORDER = [Kind.DEADLINE_PASSED, Kind.REPORT_LATE, Kind.REPORT_TODAY, Kind.DEADLINE_NEAR, Kind.REPORT_DUE,
         Kind.UNSIGNED]  # fmt: skip
ASK = {
    Kind.DEADLINE_PASSED: ("已超过完成时限", "请抓紧办理,并如实反馈进展或申请办结。"),
    Kind.REPORT_LATE: ("进展反馈已逾期", "请尽快反馈进展。"),
    Kind.REPORT_TODAY: ("今天应反馈进展", "请于今天下班前反馈进展。"),
    Kind.DEADLINE_NEAR: ("完成时限临近", "请确保按期完成,确有困难的请在时限前申请延期。"),
    Kind.REPORT_DUE: ("进展反馈即将到期", "请按时反馈进展。"),
    Kind.UNSIGNED: ("超过签收期限未签收", "请尽快签收。"),
}


class _Row:
    __slots__ = ("deadline", "lead_unit_id", "next_report_due", "pk", "sign_by", "signed_at", "standing", "status",
                 "title")  # fmt: skip

    def __init__(self, values):
        for name, value in zip(self.__slots__, values, strict=True):
            setattr(self, name, value)

    def deadline_label(self) -> str:
        if self.standing:
            return "长期坚持"
        return f"{self.deadline:%Y-%m-%d}" if self.deadline else "—"


def reminders_find(day: date) -> dict[str, list[_Row]]:
    """Every live task that a rule reminds of today, under its most pressing kind. One query."""
    rules = services.rules()
    cal = workdays.calendar()
    on = {kind: rules[kind].enabled for kind in ORDER}
    report_soon = cal.add(day, rules[Kind.REPORT_DUE].days_ahead)
    deadline_soon = cal.add(day, rules[Kind.DEADLINE_NEAR].days_ahead)
    wanted = Q(deadline__lt=day) | Q(next_report_due__lte=report_soon) | Q(deadline=deadline_soon)
    wanted |= Q(status=Task.Status.ASSIGNED, sign_by__lt=day, signed_at__isnull=True)
    rows = (
        Task.objects.filter(status__in=Task.LIT_STATUSES, lead_unit__isnull=False, held_green=False)
        .filter(wanted)
        .values_list(*_Row.__slots__)
        .order_by("lead_unit_id", "deadline", "pk")
    )
    found: dict[str, list[_Row]] = defaultdict(list)
    for values in rows.iterator(chunk_size=5000):
        row = _Row(values)
        kind = None
        if on[Kind.DEADLINE_PASSED] and row.deadline and row.deadline < day:
            kind = Kind.DEADLINE_PASSED
        elif on[Kind.REPORT_LATE] and row.next_report_due and row.next_report_due < day:
            kind = Kind.REPORT_LATE
        elif on[Kind.REPORT_TODAY] and row.next_report_due == day:
            kind = Kind.REPORT_TODAY
        elif on[Kind.DEADLINE_NEAR] and row.deadline == deadline_soon:
            kind = Kind.DEADLINE_NEAR
        elif on[Kind.REPORT_DUE] and row.next_report_due == report_soon:
            kind = Kind.REPORT_DUE
        elif on[Kind.UNSIGNED] and row.status == Task.Status.ASSIGNED and row.sign_by and row.sign_by < day:
            kind = Kind.UNSIGNED
        if kind:
            found[kind].append(row)
    return found


def reminders_run(*, day: date) -> int:
    """Raise the day's reminders, once. Returns how many tasks were reminded of."""
    found = reminders_find(day)
    with transaction.atomic():
        already = set(ReminderLog.objects.filter(day=day).values_list("task_id", "unit_id"))
        grouped: dict[tuple[str, int], list[_Row]] = defaultdict(list)
        fresh = []
        for kind in ORDER:
            for row in found.get(kind, ()):
                if (row.pk, row.lead_unit_id) in already:
                    continue
                already.add((row.pk, row.lead_unit_id))
                grouped[(kind, row.lead_unit_id)].append(row)
                fresh.append({"task_id": row.pk, "unit_id": row.lead_unit_id, "day": day})
        insert_rows(ReminderLog, fresh)
        people = services.liaisons_of({unit_id for _, unit_id in grouped})
        specs = []
        for (kind, unit_id), rows in grouped.items():
            what, ask = ASK[kind]
            one = len(rows) == 1
            specs.append(
                EventSpec(
                    kind=kind,
                    title=f"{what}:{rows[0].title}" if one else f"{what}的事项 {len(rows)} 项",
                    body=services._listing(rows, ask),
                    url=services.task_url(rows[0].pk) if one else reverse("work:inbox"),
                    users=people.get(unit_id, []),
                    robot_units=[unit_id],
                    task_id=rows[0].pk if one else None,
                    unit_id=unit_id,
                    key=f"{kind}:{unit_id}:{day:%Y%m%d}",
                )
            )
        digest = _office_digest(found, day)
        if digest:
            specs.append(digest)
        specs += _leader_digests(found, day)
        # A second pass the same day (a scheduler restarted, a run by hand) raises nothing again.
        taken = set(Event.objects.filter(key__in=[s.key for s in specs]).values_list("key", flat=True))
        services.events_raise([spec for spec in specs if spec.key not in taken])
    return len(fresh)


def _office_digest(found: dict[str, list[_Row]], day: date) -> EventSpec | None:
    passed, unsigned = found.get(Kind.DEADLINE_PASSED, []), found.get(Kind.UNSIGNED, [])
    if not passed and not unsigned:
        return None
    lines = [f"已超完成时限未办结:{len(passed)} 项;逾期未签收:{len(unsigned)} 项。"]
    lines += [f"· [超期] {row.title}(时限 {row.deadline_label()})" for row in passed[:10]]
    lines += [f"· [未签收] {row.title}(签收期限 {row.sign_by:%Y-%m-%d})" for row in unsigned[:10]]
    return EventSpec(
        kind=Kind.DIGEST,
        title=f"{day:%m月%d日}督办提醒汇总:超期 {len(passed)} 项,未签收 {len(unsigned)} 项",
        body="\n".join(lines),
        url=reverse("work:list") + "?light=red",
        users=services.office_ids(),
        key=f"office-digest:{day:%Y%m%d}",
    )


def _leader_digests(found: dict[str, list[_Row]], day: date) -> list[EventSpec]:
    """Each leader hears, once a day, of the passed deadlines in the units they 分管 (the principal: all)."""
    passed = found.get(Kind.DEADLINE_PASSED, [])
    if not passed:
        return []
    from luoshi.org.models import Leader, User

    specs = []
    users = defaultdict(list)
    for uid, leader_id in User.objects.filter(role=User.Role.LEADER, is_active=True).values_list("pk", "leader_id"):
        users[leader_id].append(uid)
    for leader in Leader.objects.filter(active=True, pk__in=list(users)).prefetch_related("supervises"):
        units = {unit.pk for unit in leader.supervises.all()}
        mine = passed if leader.is_principal else [row for row in passed if row.lead_unit_id in units]
        if not mine:
            continue
        specs.append(
            EventSpec(
                kind=Kind.DIGEST,
                title=f"{day:%m月%d日}分管单位超期事项 {len(mine)} 项",
                body=services._listing(mine, "请督促有关单位抓紧办理。"),
                url=reverse("work:list") + "?light=red",
                users=users[leader.pk],
                key=f"leader-digest:{leader.pk}:{day:%Y%m%d}",
            )
        )
    return specs
