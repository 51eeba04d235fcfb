"""Reads that several pages share: the task filter, a unit's inbox, and the unit figures."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Avg, Count, Exists, F, OuterRef, Q, QuerySet
from django.utils import timezone

from luoshi.lib.workdays import Thresholds
from luoshi.org.models import Unit

from .models import Assignment, Instruction, Light, ProgressReport, Task, Urge

# Standing tasks (no deadline) come last on both databases; SQLite and PostgreSQL differ by default.
_DEADLINE = F("deadline").asc(nulls_last=True)
SORTS = {
    "deadline": (_DEADLINE, "id"),
    "-deadline": (F("deadline").desc(nulls_last=True), "-id"),
    "-updated": ("-updated_at", "-id"),
    "-priority": ("-priority", _DEADLINE, "id"),
    "unit": ("lead_unit__order", "lead_unit_id", _DEADLINE, "id"),
}
SORT_LABELS = {
    "deadline": "完成时限(近→远)",
    "-deadline": "完成时限(远→近)",
    "-updated": "最近更新",
    "-priority": "紧急程度",
    "unit": "牵头单位",
}


@dataclass
class TaskFilter:
    """The filters of the task list, the API's list and exports; every field optional."""

    year: int | None = None
    unit: int | None = None
    leader: int | None = None
    source: str = ""
    status: str = ""
    light: str = ""
    deadline_from: date | None = None
    deadline_to: date | None = None
    q: str = ""
    sort: str = "deadline"
    archive: bool = False

    def apply(self, queryset: QuerySet, t: Thresholds) -> QuerySet:
        queryset = queryset.leaves()
        today = t.today
        if self.year:
            queryset = queryset.filter(year=self.year)
        elif self.archive:
            queryset = queryset.filter(year__lt=today.year)
        else:
            queryset = queryset.filter(year=today.year)
        if self.unit:
            queryset = queryset.filter(
                Q(lead_unit_id=self.unit)
                | Q(pk__in=Assignment.objects.filter(unit_id=self.unit, role=Assignment.Role.SUPPORT).values("task_id"))
            )
        if self.leader:
            queryset = queryset.filter(leader_id=self.leader)
        if self.source:
            queryset = queryset.filter(source_kind=self.source)
        if self.status == "open":
            queryset = queryset.filter(status__in=Task.OPEN_STATUSES)
        elif self.status == "unsigned":
            queryset = queryset.filter(status=Task.Status.ASSIGNED, sign_by__lt=today)
        elif self.status:
            queryset = queryset.filter(status=self.status)
        if self.deadline_from:
            queryset = queryset.filter(deadline__gte=self.deadline_from)
        if self.deadline_to:
            queryset = queryset.filter(deadline__lte=self.deadline_to)
        if self.q:
            queryset = queryset.search(self.q)
        return queryset

    def with_light(self, queryset: QuerySet, t: Thresholds) -> QuerySet:
        if self.light in Light.values:
            queryset = queryset.filter(Task.objects.light_q(self.light, t))
        return queryset

    def ordered(self, queryset: QuerySet) -> QuerySet:
        return queryset.order_by(*SORTS.get(self.sort, SORTS["deadline"]))


def task_list_rows(queryset: QuerySet, t: Thresholds) -> QuerySet:
    """A page of the list: lights and the names the rows show, in one query."""
    return queryset.with_light(t).select_related("lead_unit", "leader")


# --- A unit's inbox ---------------------------------------------------------


@dataclass
class Inbox:
    to_sign: list
    to_report: list
    returned: list
    urged: list
    instructed: list
    supporting: list
    counts: dict


def unit_inbox(unit: Unit, t: Thresholds, *, limit: int = 100) -> Inbox:
    """What a liaison must act on: sign, report this period, redo, answer an urge or a 批示."""
    mine = Task.objects.filter(lead_unit=unit, status__in=Task.LIT_STATUSES)
    since_report = Q(created_at__gt=OuterRef("last_report_at")) | Q(task__last_report_at__isnull=True)
    urged_q = Exists(Urge.objects.filter(since_report, task=OuterRef("pk")))
    instructed_q = Exists(Instruction.objects.filter(since_report, task=OuterRef("pk")))
    unsigned_support = Assignment.objects.filter(
        unit=unit, role=Assignment.Role.SUPPORT, signed_at__isnull=True
    ).values("task_id")
    week_end = week_end_of(t.today)

    def rows(queryset):
        return list(queryset.with_light(t).select_related("lead_unit", "leader").order_by("deadline", "id")[:limit])

    supporting_qs = Task.objects.filter(
        pk__in=Assignment.objects.filter(unit=unit, role=Assignment.Role.SUPPORT).values("task_id"),
        status__in=Task.LIT_STATUSES,
    )
    to_sign = mine.filter(status=Task.Status.ASSIGNED) | Task.objects.filter(
        pk__in=unsigned_support, status__in=Task.LIT_STATUSES
    )
    inbox = Inbox(
        to_sign=rows(to_sign),
        to_report=rows(mine.filter(next_report_due__lte=week_end)),
        returned=rows(mine.filter(status=Task.Status.RETURNED)),
        urged=rows(mine.filter(urged_q)),
        instructed=rows(mine.filter(instructed_q)),
        supporting=rows(supporting_qs),
        counts={},
    )
    inbox.counts = {
        "to_sign": len(inbox.to_sign),
        "to_report": len(inbox.to_report),
        "returned": len(inbox.returned),
        "urged": len(inbox.urged),
        "instructed": len(inbox.instructed),
    }
    return inbox


def week_end_of(day: date) -> date:
    """The Sunday that ends `day`'s week: the week page covers what is due up to it."""
    from datetime import timedelta

    return day + timedelta(days=6 - day.weekday())


def week_tasks(unit: Unit, t: Thresholds) -> list[Task]:
    """Every task the unit leads with a report due this week or overdue, each with its last report."""
    tasks = list(
        Task.objects.filter(lead_unit=unit, status__in=Task.LIT_STATUSES, next_report_due__lte=week_end_of(t.today))
        .with_light(t)
        .order_by("next_report_due", "deadline", "id")[:200]
    )
    last: dict[int, ProgressReport] = {}
    for report in ProgressReport.objects.filter(task__in=tasks, unit=unit).order_by("task_id", "-created_at", "-id"):
        last.setdefault(report.task_id, report)
    for task in tasks:
        task.last_report = last.get(task.pk)
    return tasks


# --- Unit figures -----------------------------------------------------------


@dataclass
class UnitStats:
    unit: Unit
    assigned: int = 0
    done: int = 0
    on_time: int = 0
    overdue: int = 0
    reports_late: int = 0
    urges: int = 0
    mean_workdays: float | None = None

    @property
    def done_rate(self) -> float | None:
        return self.done / self.assigned if self.assigned else None

    @property
    def on_time_rate(self) -> float | None:
        return self.on_time / self.done if self.done else None


def unit_stats(units, period: tuple[date, date]) -> list[UnitStats]:
    """The figures per unit for a period (ARCHITECTURE.md, "Unit figures"), in three queries.

    - assigned: tasks the unit leads, not cancelled, live in the period (assigned by its end,
      not done before its start);
    - done: of those, done within the period; on time: done on or before the deadline (as extended);
    - overdue: not done, deadline before the period's end (or today, if sooner);
    - reports late: the unit's reports in the period that came after their due date;
    - urges: urges the unit received in the period;
    - mean working days from assignment to done, over the tasks done in the period.
    """
    start, end = period
    units = list(units)
    ids = [unit.pk for unit in units]
    as_of = min(end, timezone.localdate())
    live = (
        Task.objects.filter(lead_unit_id__in=ids, assigned_at__date__lte=end)
        .exclude(status__in=[Task.Status.CANCELLED, Task.Status.DRAFT])
        .filter(Q(done_on__isnull=True) | Q(done_on__gte=start))
    )
    done_in = Q(status=Task.Status.DONE, done_on__gte=start, done_on__lte=end)
    rows = live.values("lead_unit_id").annotate(
        assigned=Count("pk"),
        done=Count("pk", filter=done_in),
        on_time=Count("pk", filter=done_in & Q(done_on_time=True)),
        # Overdue as the period ended: not done by then, whatever happened after.
        overdue=Count("pk", filter=(Q(done_on__isnull=True) | Q(done_on__gt=as_of)) & Q(deadline__lt=as_of)),
        mean_workdays=Avg("workdays_to_done", filter=done_in),
    )
    by_unit = {unit.pk: UnitStats(unit=unit) for unit in units}
    for row in rows:
        stats = by_unit[row["lead_unit_id"]]
        stats.assigned, stats.done, stats.on_time = row["assigned"], row["done"], row["on_time"]
        stats.overdue, stats.mean_workdays = row["overdue"], row["mean_workdays"]
    late = (
        ProgressReport.objects.filter(
            unit_id__in=ids, late=True, created_at__date__gte=start, created_at__date__lte=end
        )
        .values("unit_id")
        .annotate(n=Count("pk"))
    )
    for row in late:
        by_unit[row["unit_id"]].reports_late = row["n"]
    urges = (
        Urge.objects.filter(unit_id__in=ids, created_at__date__gte=start, created_at__date__lte=end)
        .values("unit_id")
        .annotate(n=Count("pk"))
    )
    for row in urges:
        by_unit[row["unit_id"]].urges = row["n"]
    return list(by_unit.values())
