"""Reads that several pages share: the task filter, a unit's inbox, and the unit figures."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import Case, Count, F, IntegerField, OuterRef, Q, QuerySet, Subquery, Sum, Value, When
from django.utils import timezone

from luoshi.lib.workdays import Thresholds
from luoshi.org.models import Unit

from .models import Assignment, Instruction, Light, ProgressReport, Task, Urge

# Standing tasks (no deadline) come last on both databases; SQLite and PostgreSQL differ by default.
_DEADLINE = F("deadline").asc(nulls_last=True)
# Each sort a column header offers, and its reverse ("-" + key). "light" needs the day's thresholds (ordered()).
SORTS = {
    "light": ("_light_rank", _DEADLINE, "id"),
    "-light": ("-_light_rank", _DEADLINE, "id"),
    "deadline": (_DEADLINE, "id"),
    "-deadline": (F("deadline").desc(nulls_last=True), "-id"),
    "-updated": ("-updated_at", "-id"),
    "-priority": ("-priority", _DEADLINE, "id"),
    "unit": ("lead_unit__order", "lead_unit_id", _DEADLINE, "id"),
    "-unit": ("-lead_unit__order", "-lead_unit_id", _DEADLINE, "id"),
    "title": ("title", "id"),
    "-title": ("-title", "-id"),
    "leader": (F("leader__order").asc(nulls_last=True), "leader_id", _DEADLINE, "id"),
    "-leader": (F("leader__order").desc(nulls_last=True), "-leader_id", _DEADLINE, "id"),
    "status": ("_status_rank", _DEADLINE, "id"),
    "-status": ("-_status_rank", _DEADLINE, "id"),
    "urges": ("urge_count", _DEADLINE, "id"),
    "-urges": ("-urge_count", _DEADLINE, "id"),
}
SORT_LABELS = {
    "light": "灯色(红灯在前)",
    "-light": "灯色(绿灯、无灯在前)",
    "deadline": "完成时限(近→远)",
    "-deadline": "完成时限(远→近)",
    "-updated": "最近更新",
    "-priority": "紧急程度",
    "unit": "牵头单位",
    "-unit": "牵头单位(倒序)",
    "leader": "责任领导",
    "-leader": "责任领导(倒序)",
    "title": "事项名称",
    "-title": "事项名称(倒序)",
    "status": "状态(按办理流程)",
    "-status": "状态(倒序)",
    "-urges": "催办次数(多→少)",
    "urges": "催办次数(少→多)",
}
# The list's column headers: (label, sort key); a click on the sorted column reverses it.
SORT_COLUMNS = [
    ("灯色", "light"),
    ("事项", "title"),
    ("牵头单位", "unit"),
    ("责任领导", "leader"),
    ("完成时限", "deadline"),
    ("状态", "status"),
    ("催办", "-urges"),
]
# The statuses in the order a task goes through them.
_STATUS_ORDER = [
    "draft", "assigned", "in_progress", "extension_asked", "closure_asked", "returned", "paused", "done", "cancelled",
]  # fmt: skip


def _light_rank(t: Thresholds) -> Case:
    """Red 0, yellow 1, green 2, no light 3: the order the office reads its list in."""
    return Case(
        *(When(Task.objects.light_q(light, t), then=Value(rank)) for rank, light in enumerate(Light.values)),
        default=Value(len(Light.values)),
        output_field=IntegerField(),
    )


@dataclass
class TaskFilter:
    """The filters of the task list, the API's list and exports; every field optional."""

    year: int | None = None
    unit: int | None = None
    # The unit's supporting tasks too, not only those it leads.
    with_support: bool = False
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
        elif self.status in OUTSIDE_LIVE_SET:
            # Asked for by name: paused, cancelled or draft tasks of any year.
            pass
        else:
            # By default the live set: what every other page counts (carried-over tasks included).
            queryset = queryset.filter(live_q(year_period(today)))
        if self.unit and self.with_support:
            queryset = queryset.filter(Q(lead_unit_id=self.unit) | Q(pk__in=supported_task_ids(self.unit)))
        elif self.unit:
            queryset = queryset.filter(lead_unit_id=self.unit)
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
            # The live set spans years (结转): only a year asked for narrows the index.
            queryset = queryset.search(self.q, year=self.year or None)
        return queryset

    def with_light(self, queryset: QuerySet, t: Thresholds) -> QuerySet:
        if self.light in Light.values:
            queryset = queryset.filter(Task.objects.light_q(self.light, t))
        return queryset

    def ordered(self, queryset: QuerySet, t: Thresholds | None = None) -> QuerySet:
        order = SORTS.get(self.sort, SORTS["deadline"])
        if "_light_rank" in order or "-_light_rank" in order:
            from luoshi.lib import workdays

            queryset = queryset.alias(_light_rank=_light_rank(t or workdays.thresholds()))
        if "_status_rank" in order or "-_status_rank" in order:
            ranks = [When(status=status, then=Value(rank)) for rank, status in enumerate(_STATUS_ORDER)]
            queryset = queryset.alias(_status_rank=Case(*ranks, default=Value(99), output_field=IntegerField()))
        return queryset.order_by(*order)


LIST_LIMIT = 10_000
OUTSIDE_LIVE_SET = ("paused", "cancelled", "draft")


def supported_task_ids(unit_id: int):
    """The tasks a unit supports, as a list where it is short.

    `lead_unit = X OR id IN (subquery)` makes PostgreSQL scan the whole table; with a list it
    combines two index scans. A unit supporting more than LIST_LIMIT tasks gets the subquery
    back, so that the statement stays within SQLite's limit on parameters (32,766).
    """
    assignments = Assignment.objects.filter(unit_id=unit_id, role=Assignment.Role.SUPPORT)
    ids = list(assignments.order_by().values_list("task_id", flat=True)[: LIST_LIMIT + 1])
    return ids if len(ids) <= LIST_LIMIT else assignments.order_by().values("task_id")


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


def unit_inbox(unit: Unit, t: Thresholds, *, limit: int = 10) -> Inbox:
    """What a liaison must act on: sign, report this week, redo, answer an urge or a 批示.

    Each section lists its first `limit` tasks by deadline; `counts` are the true totals.
    A busy unit has thousands of open tasks, so they are read once, as a few columns, and
    sorted into sections here; then only the rows shown are read whole.
    """
    week_end = week_end_of(t.today)
    lit = Task.LIT_STATUSES

    def by_deadline(rows):
        return [row[0] for row in sorted(rows, key=lambda row: (row[1] is None, row[1] or date.max, row[0]))]

    # In deadline order from the index, so that each section below keeps it without sorting.
    mine = list(
        Task.objects.filter(lead_unit=unit, status__in=lit)
        .order_by(*SORTS["deadline"])
        .values_list("id", "deadline", "status", "next_report_due")
    )
    # An urge or 批示 is fresh until the unit's next report; the database compares, and returns only those.
    fresh = Q(created_at__gt=F("task__last_report_at")) | Q(task__last_report_at__isnull=True)
    urged = set(
        Urge.objects.filter(fresh, unit=unit, task__status__in=lit, task__lead_unit=unit).values_list(
            "task_id", flat=True
        )
    )
    instructed = set(
        Instruction.objects.filter(fresh, task__status__in=lit, task__lead_unit=unit).values_list("task_id", flat=True)
    )
    support = list(
        Assignment.objects.filter(unit=unit, role=Assignment.Role.SUPPORT, task__status__in=lit).values_list(
            "task_id", "task__deadline", "signed_at"
        )
    )
    supporting = [(task_id, deadline) for task_id, deadline, _ in support]
    unsigned_support = {task_id for task_id, _, signed_at in support if signed_at is None}
    sections = {
        "to_sign": by_deadline(
            [r for r in mine if r[2] == Task.Status.ASSIGNED] + [r for r in supporting if r[0] in unsigned_support]
        ),
        "to_report": [r[0] for r in mine if r[3] and r[3] <= week_end],
        "returned": [r[0] for r in mine if r[2] == Task.Status.RETURNED],
        "urged": [r[0] for r in mine if r[0] in urged],
        "instructed": [r[0] for r in mine if r[0] in instructed],
        "supporting": by_deadline(supporting),
    }
    shown = {pk for ids in sections.values() for pk in ids[:limit]}
    tasks = Task.objects.filter(pk__in=shown).with_light(t).select_related("lead_unit", "leader").in_bulk()
    rows = {name: [tasks[pk] for pk in ids[:limit]] for name, ids in sections.items()}
    counts = {name: len(ids) for name, ids in sections.items()}
    return Inbox(**rows, counts=counts)


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


# --- The live set -------------------------------------------------------------


def year_period(today: date) -> tuple[date, date]:
    """The period every page counts in unless told otherwise: this year, up to today."""
    return date(today.year, 1, 1), today


def live_q(period: tuple[date, date]) -> Q:
    """The live set of a period (ARCHITECTURE.md, "The live set"), as one condition.

    Tasks not done, not cancelled and not paused, whatever year they were registered in (结转),
    plus the tasks done within the period. For a period that has ended, "not done" means not
    done by its end, and only tasks assigned by then count.
    """
    start, end = period
    if end >= timezone.localdate():
        return Q(status__in=Task.LIT_STATUSES) | Q(status=Task.Status.DONE, done_on__gte=start, done_on__lte=end)
    end_at = timezone.make_aware(datetime.combine(end + timedelta(days=1), time.min))
    return Q(assigned_at__lt=end_at) & (
        Q(status__in=Task.LIT_STATUSES) | Q(status=Task.Status.DONE, done_on__gte=start)
    )


def live_set(queryset: QuerySet, period: tuple[date, date]) -> QuerySet:
    """The live set of a period within `queryset` (which starts from `visible_to`): leaves only."""
    return queryset.leaves().filter(live_q(period))


# What the line under every set of counts says, so that a reader sees why they add up.
COUNTS_NOTE = (
    "红灯{red} + 黄灯{yellow} + 绿灯{green} + 无灯{none}(本年已办结)= 共{total}项;"
    "含往年结转未办结{carried}项,不含暂停和已关闭的事项。"
)


def live_counts(queryset: QuerySet, t: Thresholds, period: tuple[date, date] | None = None) -> dict[str, int]:
    """Red, yellow, green, 无灯 (done in the period), 结转 and the total of the live set, in one query.

    `queryset` is already the live set, or is narrowed to it here when `period` is given.
    """
    if period is not None:
        queryset = live_set(queryset, period)
    year = t.today.year
    counts = queryset.aggregate(
        **{light: Count("pk", filter=Task.objects.light_q(light, t)) for light in Light.values},
        carried=Count("pk", filter=Q(year__lt=year, status__in=Task.LIT_STATUSES)),
        total=Count("pk"),
    )
    return with_note(counts)


def with_note(counts: dict[str, int]) -> dict:
    """Adds 无灯 (the total less the lights) and the one-line explanation to a set of counts."""
    counts["none"] = counts["total"] - counts["red"] - counts["yellow"] - counts["green"]
    counts.setdefault("carried", 0)
    counts["note"] = COUNTS_NOTE.format(**counts)
    return counts


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
    # The unit's names at the period's end (机构改革: a renamed unit is reported under the name of that time).
    name: str = ""
    display_name: str = ""

    @property
    def done_rate(self) -> float | None:
        return self.done / self.assigned if self.assigned else None

    @property
    def on_time_rate(self) -> float | None:
        return self.on_time / self.done if self.done else None


def unit_stats(units, period: tuple[date, date]) -> list[UnitStats]:
    """The figures per unit for a period (ARCHITECTURE.md, "Unit figures"), in three queries (four for a past one).

    - assigned: tasks the unit leads in the period's live set (`live_q`: not paused, not
      cancelled, assigned by its end, not done before its start; carried-over tasks included);
    - done: of those, done within the period; on time: done on or before the deadline (as extended);
    - overdue: not done, deadline before the period's end (or today, if sooner);
    - reports late: the unit's reports in the period that came after their due date;
    - urges: urges the unit received in the period;
    - mean working days from assignment to done, over the tasks done in the period.

    A task counts for the unit that led it when the period ended: one moved since to a successor (机构改革,
    `org.reorg.moved_since`) still counts for its predecessor.
    """
    start, end = period
    units = list(units)
    ids = [unit.pk for unit in units]
    as_of = min(end, timezone.localdate())
    # Aware bounds, not __date: a cast per row defeats the indexes (and is a Python call per row on SQLite).
    start_at = timezone.make_aware(datetime.combine(start, time.min))
    end_at = timezone.make_aware(datetime.combine(end + timedelta(days=1), time.min))
    done_in = Q(status=Task.Status.DONE, done_on__gte=start, done_on__lte=end)
    figures = {
        "assigned": Count("pk"),
        "done": Count("pk", filter=done_in),
        "on_time": Count("pk", filter=done_in & Q(done_on_time=True)),
        # Overdue as the period ended: not done by then, whatever happened after.
        "overdue": Count("pk", filter=(Q(done_on__isnull=True) | Q(done_on__gt=as_of)) & Q(deadline__lt=as_of)),
        # The mean as a sum and a count, so that the tasks moved since (below) can be taken out and put back.
        "workdays": Sum("workdays_to_done", filter=done_in),
        "timed": Count("workdays_to_done", filter=done_in),
    }
    rows = Task.objects.filter(lead_unit_id__in=ids).filter(live_q(period)).values("lead_unit_id").annotate(**figures)
    from luoshi.org.reorg import moved_since, unit_names_on

    names = unit_names_on(units, end)
    by_unit = {unit.pk: UnitStats(unit, name=names[unit.pk][0], display_name=names[unit.pk][1]) for unit in units}
    sums = {pk: dict.fromkeys(figures, 0) for pk in by_unit}
    for row in rows:
        for key in figures:
            sums[row["lead_unit_id"]][key] += row[key] or 0
    if end < timezone.localdate():
        # 机构改革: a task moved to a successor after the period is counted under the unit that led it then.
        moved = moved_since(Task.objects.filter(live_q(period)), end)
        moved = moved.filter(Q(lead_unit_id__in=ids) | Q(lead_then_id__in=ids))
        for row in moved.order_by().values("lead_unit_id", "lead_then_id").annotate(**figures):
            for key in figures:
                if row["lead_unit_id"] in sums:
                    sums[row["lead_unit_id"]][key] -= row[key] or 0
                if row["lead_then_id"] in sums:
                    sums[row["lead_then_id"]][key] += row[key] or 0
    for pk, total in sums.items():
        stats = by_unit[pk]
        stats.assigned, stats.done, stats.on_time = total["assigned"], total["done"], total["on_time"]
        stats.overdue = total["overdue"]
        stats.mean_workdays = total["workdays"] / total["timed"] if total["timed"] else None
    # Count a column of the index (not the id), so that PostgreSQL counts from the index alone.
    late = (
        ProgressReport.objects.filter(unit_id__in=ids, late=True, created_at__gte=start_at, created_at__lt=end_at)
        .values("unit_id")
        .annotate(n=Count("unit_id"))
    )
    for row in late:
        by_unit[row["unit_id"]].reports_late = row["n"]
    urges = (
        Urge.objects.filter(unit_id__in=ids, created_at__gte=start_at, created_at__lt=end_at)
        .values("unit_id")
        .annotate(n=Count("unit_id"))
    )
    for row in urges:
        by_unit[row["unit_id"]].urges = row["n"]
    return list(by_unit.values())


# --- The cockpit (领导驾驶舱) ---------------------------------------------------


def leader_tasks(leader) -> QuerySet:
    """The tasks a leader sees (as `visible_to` gives them): for the office's switch per leader."""
    if leader.is_principal:
        return Task.objects.all()
    from luoshi.org.models import Leader

    supervised = Leader.supervises.through.objects.filter(leader_id=leader.pk).values("unit_id")
    return Task.objects.filter(Q(lead_unit_id__in=supervised) | Q(leader_id=leader.pk))


def _live_halves(queryset: QuerySet, period: tuple[date, date]) -> list[QuerySet]:
    """The live set as its two halves, open and done in the period, when the period runs to today.

    Counted apart, each half is one range of the index task_live_lights: PostgreSQL then counts
    from the index alone, where the OR of `live_q` makes it visit the table (four times slower).
    """
    start, end = period
    if end < timezone.localdate():
        return [live_set(queryset, period)]
    leaves = queryset.leaves()
    return [
        leaves.filter(status__in=Task.LIT_STATUSES),
        leaves.filter(status=Task.Status.DONE, done_on__gte=start, done_on__lte=end),
    ]


def units_lights(queryset: QuerySet, t: Thresholds, period: tuple[date, date], *, units=()) -> list[dict]:
    """The live set's counts per lead unit, red first: every unit in `units` is listed, even with none."""
    by_unit: dict[int, dict] = {}
    for part in _live_halves(queryset, period):
        rows = (
            part.order_by()
            .values("lead_unit_id")
            .annotate(
                **{light: Count("pk", filter=Task.objects.light_q(light, t)) for light in Light.values},
                carried=Count("pk", filter=Q(year__lt=t.today.year, status__in=Task.LIT_STATUSES)),
                total=Count("pk"),
            )
        )
        for row in rows:
            if row["lead_unit_id"] in by_unit:
                merged = by_unit[row["lead_unit_id"]]
                for key in ("red", "yellow", "green", "carried", "total"):
                    merged[key] += row[key]
            else:
                by_unit[row["lead_unit_id"]] = row
    for unit in units:
        by_unit.setdefault(unit.pk, {"lead_unit_id": unit.pk, "red": 0, "yellow": 0, "green": 0, "carried": 0,
                                     "total": 0})  # fmt: skip
    # Names as plain values: a county's 600 units as model instances cost more than the counting.
    names = {
        pk: (short or name, kind, order)
        for pk, name, short, kind, order in Unit.objects.filter(pk__in=list(by_unit)).values_list(
            "pk", "name", "short_name", "kind", "order"
        )
    }
    result = []
    for unit_id, row in by_unit.items():
        name, kind, order = names[unit_id]
        result.append({
            "unit_id": unit_id, "unit": name, "order": (kind, order, unit_id),
            "red": row["red"], "yellow": row["yellow"], "green": row["green"], "carried": row["carried"],
            "none": row["total"] - row["red"] - row["yellow"] - row["green"], "total": row["total"],
        })  # fmt: skip
    result.sort(key=lambda row: (-row["red"], -row["yellow"], row["order"]))
    for row in result:
        del row["order"]
    return result


def counts_of(units: list[dict]) -> dict:
    """The live counts as the sum of `units_lights` rows: the same numbers, without a second scan."""
    counts = {key: sum(row[key] for row in units) for key in ("red", "yellow", "green", "carried", "total")}
    return with_note(counts)


def red_lines(queryset: QuerySet, t: Thresholds, period: tuple[date, date], *, limit: int = 50) -> list[dict]:
    """Each red task in one line: days overdue, the last report's date and first line, whether it was urged.

    The most overdue first, `limit` of them; the count of all is in the live counts.
    """
    # A red task is open, and every open task is in the live set: no need for the set's OR here.
    # The last lead report's text by a correlated subquery on the index (task, unit, -created_at):
    # one row per task, where reading every report of the tasks cost more than the rest of the cockpit.
    last_text = (
        ProgressReport.objects.filter(task_id=OuterRef("pk"), is_lead=True)
        .order_by("-created_at", "-id")
        .values("done_text")[:1]
    )
    tasks = list(
        queryset.leaves()
        .filter(Task.objects.light_q(Light.RED, t))
        .order_by(_DEADLINE, "next_report_due", "id")
        .select_related("lead_unit")
        # Not the long text columns (requirements, the search bigrams): a line needs none of them.
        .only(
            "id",
            "title",
            "year",
            "status",
            "deadline",
            "next_report_due",
            "urge_count",
            "last_report_at",
            "lead_unit_id",
            "lead_unit__name",
            "lead_unit__short_name",
        )
        .annotate(last_text=Subquery(last_text))[:limit]
    )
    lines = []
    for task in tasks:
        if task.deadline and task.deadline < t.today:
            why = f"已逾期 {(t.today - task.deadline).days} 天"
        elif task.next_report_due:
            why = f"反馈已逾期 {(t.today - task.next_report_due).days} 天"
        else:
            why = ""
        lines.append({
            "id": task.pk, "title": task.title, "unit": task.lead_unit.display_name, "unit_id": task.lead_unit_id,
            "why": why, "deadline": task.deadline, "carried": task.carried_over,
            "report_on": timezone.localtime(task.last_report_at).date() if task.last_report_at else None,
            "report_line": ((task.last_text or "").strip().splitlines() or [""])[0][:60],
            "urged": task.urge_count,
        })  # fmt: skip
    return lines


def _for_units(queryset: QuerySet, unit_ids) -> QuerySet:
    """`unit_ids` None means the whole county."""
    return queryset if unit_ids is None else queryset.filter(unit_id__in=unit_ids)


def lights_trend(unit_ids, today: date, *, weeks: int = 12) -> list[dict]:
    """The lights of these units at the end of each of the past `weeks` weeks, from the daily snapshots.

    A week shows its last snapshot; a week with none is left out. Never recomputed from tasks.
    """
    from .models import UnitSnapshot

    since = today - timedelta(days=7 * weeks - 1)
    rows = (
        _for_units(UnitSnapshot.objects.filter(day__gte=since, day__lte=today), unit_ids)
        .order_by()
        .values("day")
        .annotate(red=Sum("red"), yellow=Sum("yellow"), green=Sum("green"), carried=Sum("carried"))
        .order_by("day")
    )
    by_week: dict[date, dict] = {}
    for row in rows:
        by_week[week_end_of(row["day"])] = {**row, "day": row["day"]}
    return [{"week": week, **row} for week, row in sorted(by_week.items())]


def month_figures(unit_ids, today: date) -> list[dict]:
    """This month's done and on-time rate against last month's, from the daily snapshots."""
    from .models import UnitSnapshot

    this_start = today.replace(day=1)
    last_end = this_start - timedelta(days=1)
    result = []
    for label, start, end in (("上月", last_end.replace(day=1), last_end), ("本月", this_start, today)):
        day = (
            _for_units(UnitSnapshot.objects.filter(day__gte=start, day__lte=end), unit_ids)
            .order_by("-day")
            .values_list("day", flat=True)
            .first()
        )
        if day is None:
            result.append({"label": label, "day": None, "done": None, "on_time": None, "on_time_rate": None})
            continue
        sums = _for_units(UnitSnapshot.objects.filter(day=day), unit_ids).aggregate(
            done=Sum("month_done"), on_time=Sum("month_on_time")
        )
        done, on_time = sums["done"] or 0, sums["on_time"] or 0
        result.append({"label": label, "day": day, "done": done, "on_time": on_time,
                       "on_time_rate": on_time / done if done else None})  # fmt: skip
    return result
