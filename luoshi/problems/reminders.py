"""Reminders of the three-level handling, raised through the notify app's public service.

Once a working day (the notify scheduler enqueues `problems.tasks.escalation_reminders`):
- each responsible county leader hears of their problems whose level ran out of time without a
  conclusion (待升级的遗留问题); at level 3 the principal leader hears too, since the 三重一大
  decision is taken at the meeting they chair;
- each leader hears, N working days ahead (the office's 完成时限临近 rule), of a level about to run out;
- the office gets one digest of every overdue level, and of the risk reviews past due;
- the lead unit hears of its 专班 meetings the working day before, and of a meeting whose day has passed
  without minutes (待记录纪要);
- risk reviews come due like reports: the owner unit hears N working days ahead (反馈即将到期's days),
  on the day, and each working day once late, in one message per unit and kind.

A problem's first overdue reminder at a level is written on its trace (留痕), so the timeline shows
when the leader was told; the messages repeat daily like the task reminders, each keyed by leader and
day so that a second run the same day raises nothing again.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from django.db import transaction
from django.urls import reverse

from luoshi.audit.services import audit_record
from luoshi.lib import workdays
from luoshi.notify import services as notify
from luoshi.notify.models import Event, Kind
from luoshi.org.models import Leader, User

from .models import LEVEL_NAMES, Problem, Risk, TaskForceMeeting
from .selectors import overdue_escalations

LISTED = 10


def _line(problem: Problem, day: date) -> str:
    late = workdays.calendar().between(problem.level_due, day)
    return (
        f"· {problem.title}({problem.lead_unit.display_name}牵头;{LEVEL_NAMES[problem.level]},"
        f"时限 {problem.level_due:%Y-%m-%d},已超 {late} 个工作日)"
    )


def _listing(problems: list[Problem], day: date, ask: str) -> str:
    lines = [_line(problem, day) for problem in problems[:LISTED]]
    if len(problems) > LISTED:
        lines.append(f"……等 {len(problems)} 个问题。")
    return "\n".join([*lines, ask])


def _leader_accounts(leader_ids) -> dict[int, list[int]]:
    accounts: dict[int, list[int]] = defaultdict(list)
    for uid, leader_id in User.objects.filter(
        role=User.Role.LEADER, is_active=True, leader_id__in=set(leader_ids), leader__active=True
    ).values_list("pk", "leader_id"):
        accounts[leader_id].append(uid)
    return accounts


def escalation_reminders_find(day: date) -> tuple[dict[int, list[Problem]], dict[int, list[Problem]], list[Problem]]:
    """(overdue by leader, near by leader, every overdue problem) for the day."""
    overdue = list(overdue_escalations(day).select_related("lead_unit"))
    principals = list(Leader.objects.filter(active=True, is_principal=True).values_list("pk", flat=True))
    by_leader: dict[int, list[Problem]] = defaultdict(list)
    for problem in overdue:
        told = {problem.leader_id} if problem.leader_id else set()
        if problem.level == 3:
            told |= set(principals)
        for leader_id in told:
            by_leader[leader_id].append(problem)
    days_ahead = notify.rules()[Kind.DEADLINE_NEAR].days_ahead
    soon = workdays.calendar().add(day, days_ahead) if days_ahead else day
    near: dict[int, list[Problem]] = defaultdict(list)
    for problem in (
        Problem.objects.filter(level_due=soon, level_concluded=False, level__gte=1, leader__isnull=False)
        .exclude(status__in=Problem.CLOSED)
        .select_related("lead_unit")
        .order_by("id")
    ):
        near[problem.leader_id].append(problem)
    return by_leader, near, overdue


REVIEW_ASK = {
    Kind.REPORT_LATE: ("风险评估已逾期", "请尽快评估可能性和影响,并记录观察到的先兆。"),
    Kind.REPORT_TODAY: ("今天应评估风险", "请于今天评估可能性和影响。"),
    Kind.REPORT_DUE: ("风险评估即将到期", "请按时评估可能性和影响。"),
}


def risk_review_specs(day: date) -> tuple[list[notify.EventSpec], int]:
    """One message per owner unit and kind for the open risks whose review is late, due today or due soon."""
    soon = workdays.calendar().add(day, notify.rules()[Kind.REPORT_DUE].days_ahead)
    grouped: dict[tuple[str, int], list] = defaultdict(list)
    late = 0
    for risk in (
        Risk.objects.exclude(status=Risk.Status.CLOSED)
        .filter(next_review__lte=soon)
        .only("pk", "title", "next_review", "owner_unit_id")
        .order_by("owner_unit_id", "next_review", "pk")
    ):
        if risk.next_review < day:
            kind, late = Kind.REPORT_LATE, late + 1
        elif risk.next_review == day:
            kind = Kind.REPORT_TODAY
        elif risk.next_review == soon:
            kind = Kind.REPORT_DUE
        else:
            continue
        grouped[(kind, risk.owner_unit_id)].append(risk)
    people = notify.liaisons_of({unit_id for _, unit_id in grouped})
    specs = []
    for (kind, unit_id), risks in grouped.items():
        what, ask = REVIEW_ASK[kind]
        lines = [f"· {risk.title}(应于 {risk.next_review:%Y-%m-%d} 评估)" for risk in risks[:LISTED]]
        if len(risks) > LISTED:
            lines.append(f"……等 {len(risks)} 项。")
        specs.append(
            notify.EventSpec(
                kind=kind,
                title=f"{what}:{risks[0].title}" if len(risks) == 1 else f"{what}的风险 {len(risks)} 项",
                body="\n".join([*lines, ask]),
                url=risks[0].get_absolute_url() if len(risks) == 1 else reverse("problems:risks"),
                users=people.get(unit_id, []),
                robot_units=[unit_id],
                unit_id=unit_id,
                key=f"risk-review:{kind}:{unit_id}:{day:%Y%m%d}",
            )
        )
    return specs, late


def task_force_specs(day: date) -> list[notify.EventSpec]:
    """The lead unit's liaisons: tomorrow's (next working day's) 专班 meetings, and held ones still without minutes."""
    following = workdays.calendar().add(day, 1)
    planned = (
        TaskForceMeeting.objects.filter(status=TaskForceMeeting.Status.PLANNED, day__lte=following)
        .exclude(problem__status__in=Problem.CLOSED)
        .select_related("problem")
        .order_by("day", "start", "pk")
    )
    coming: dict[int, list[TaskForceMeeting]] = defaultdict(list)
    unrecorded: dict[int, list[TaskForceMeeting]] = defaultdict(list)
    for meeting in planned:
        if meeting.day < day:
            unrecorded[meeting.problem.lead_unit_id].append(meeting)
        elif meeting.day > day:
            coming[meeting.problem.lead_unit_id].append(meeting)
    people = notify.liaisons_of({*coming, *unrecorded})
    specs = []
    for unit_id, meetings in coming.items():
        lines = [
            f"· {m.day:%m月%d日}" + (f" {m.start:%H:%M}" if m.start else "") + f" {m.problem.title}:{m.topic}"
            + (f"(地点:{m.place})" if m.place else "")
            for m in meetings
        ]  # fmt: skip
        specs.append(notify.EventSpec(
            kind=Kind.DEADLINE_NEAR, title=f"专班会议提醒:{meetings[0].problem.title}"
            + (f"等 {len(meetings)} 个会议" if len(meetings) > 1 else ""),
            body="\n".join([*lines, "请做好会议准备,通知专班成员按时参加。"]),
            url=reverse("problems:task_force", args=[meetings[0].problem_id]), users=people.get(unit_id, []),
            unit_id=unit_id, key=f"task-force-coming:{unit_id}:{day:%Y%m%d}",
        ))  # fmt: skip
    for unit_id, meetings in unrecorded.items():
        specs.append(notify.EventSpec(
            kind=Kind.REPORT_LATE, title=f"专班会议待记录纪要:{meetings[0].problem.title}"
            + (f"等 {len(meetings)} 个会议" if len(meetings) > 1 else ""),
            body="\n".join([*(f"· {m.day:%Y-%m-%d} {m.problem.title}:{m.topic}" for m in meetings[:LISTED]),
                            "会议开过后,请记录纪要和出席情况;未开的请调整时间或取消。"]),
            url=reverse("problems:task_force", args=[meetings[0].problem_id]), users=people.get(unit_id, []),
            unit_id=unit_id, key=f"task-force-unrecorded:{unit_id}:{day:%Y%m%d}",
        ))  # fmt: skip
    return specs


def escalation_reminders_run(*, day: date) -> int:
    """Raise the day's reminders of the three-level handling, once. Returns how many overdue problems there are.

    1. find the overdue levels, by leader, and the levels about to run out;
    2. trace the first reminder of each overdue level on its problem (留痕), and mark the day;
    3. raise one message per leader and kind, and the office's digest, each keyed by day.
    """
    by_leader, near, overdue = escalation_reminders_find(day)
    accounts = _leader_accounts([*by_leader, *near])
    listing = reverse("problems:list") + "?overdue=1"
    specs = []
    for leader_id, problems in by_leader.items():
        if not accounts.get(leader_id):
            continue
        one = len(problems) == 1
        specs.append(
            notify.EventSpec(
                kind=Kind.DEADLINE_PASSED,
                title=(
                    f"遗留问题本级处理已超时限:{problems[0].title}"
                    if one
                    else f"待升级的遗留问题 {len(problems)} 个:本级处理已超时限"
                ),
                body=_listing(problems, day, "本级时限已到仍未形成结论,请研究是否提请上一级处理。"),
                url=problems[0].get_absolute_url() if one else listing,
                users=accounts[leader_id],
                key=f"problem-overdue:{leader_id}:{day:%Y%m%d}",
            )
        )
    for leader_id, problems in near.items():
        if not accounts.get(leader_id):
            continue
        specs.append(
            notify.EventSpec(
                kind=Kind.DEADLINE_NEAR,
                title=f"遗留问题本级时限临近:{problems[0].title}"
                + (f"等 {len(problems)} 个" if len(problems) > 1 else ""),
                body="\n".join(
                    f"· {p.title}({LEVEL_NAMES[p.level]},时限 {p.level_due:%Y-%m-%d})" for p in problems[:LISTED]
                )
                + "\n请在时限内形成结论,或提请上一级处理。",
                url=problems[0].get_absolute_url() if len(problems) == 1 else reverse("problems:list"),
                users=accounts[leader_id],
                key=f"problem-near:{leader_id}:{day:%Y%m%d}",
            )
        )
    review_specs, reviews_late = risk_review_specs(day)
    specs += review_specs + task_force_specs(day)
    if overdue or reviews_late:
        body = _listing(overdue, day, "请提醒责任县领导研究,或提请上一级处理。") if overdue else ""
        if reviews_late:
            body += f"\n另有 {reviews_late} 项风险逾期未评估。"
        specs.append(
            notify.EventSpec(
                kind=Kind.DIGEST,
                title=f"{day:%m月%d日}待升级的遗留问题 {len(overdue)} 个"
                + (f",逾期未评估的风险 {reviews_late} 项" if reviews_late else ""),
                body=body.strip(),
                url=reverse("problems:overdue") if overdue else reverse("problems:risks") + "?review=late",
                users=notify.office_ids(),
                key=f"problem-overdue-office:{day:%Y%m%d}",
            )
        )
    with transaction.atomic():
        first = [problem for problem in overdue if problem.level_flagged_on is None]
        told: dict[int, list[int]] = defaultdict(list)
        for leader_id, mine in by_leader.items():
            for problem in mine:
                told[problem.pk].append(leader_id)
        names = dict(
            Leader.objects.filter(pk__in={pk for ids in told.values() for pk in ids}).values_list("pk", "name")
        )
        for problem in first:
            audit_record(
                obj=problem, action="overdue_flag", by=None,
                note=f"{LEVEL_NAMES[problem.level]}时限 {problem.level_due:%Y-%m-%d} 已过,仍无结论:已提醒"
                + ("、".join(names[pk] for pk in told[problem.pk] if pk in names and accounts.get(pk)) or "督查室"),
            )  # fmt: skip
        Problem.objects.filter(pk__in=[problem.pk for problem in first]).update(level_flagged_on=day)
        taken = set(Event.objects.filter(key__in=[spec.key for spec in specs]).values_list("key", flat=True))
        notify.events_raise([spec for spec in specs if spec.key not in taken])
    return len(overdue)
