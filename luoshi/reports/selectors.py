"""Reads for the reports: a unit's live summary, the meeting pack's contents and the circular's figures.

The pack and the circular are compiled into plain JSON (dicts, lists, strings, numbers), so that
issuing freezes exactly what was shown, and a past one renders from its snapshot alone.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, time, timedelta

from django.db.models import Case, Count, OuterRef, Subquery, When
from django.utils import timezone

from luoshi.lib.workdays import Thresholds
from luoshi.org.models import Leader, Unit
from luoshi.org.reorg import moved_since, unit_names_on
from luoshi.work.models import ClosureRequest, Decision, ExtensionRequest, Light, ProgressReport, Task
from luoshi.work.selectors import live_set, unit_stats, with_note

from .models import Brief

LIGHT_LABELS = {"red": "红灯", "yellow": "黄灯", "green": "绿灯"}
DUE_SOON_DAYS = 14


def _d(value: date | None) -> str:
    return f"{value:%Y-%m-%d}" if value else ""


def cn_day(value: date) -> str:
    return f"{value.year}年{value.month}月{value.day}日"


# --- The brief's live summary -------------------------------------------------


def brief_task_summary(unit: Unit, t: Thresholds, *, subject: str = "", limit: int = 5) -> str:
    """本县情况 as the unit can insert it: its open tasks by light, and those related to the subject.

    Related tasks are found by the Chinese search on the subject; with none, the most urgent ones.
    """
    mine = Task.objects.filter(lead_unit=unit, status__in=Task.LIT_STATUSES)
    counts = mine.light_counts(t)
    lines = [
        f"截至{cn_day(t.today)},{unit.display_name}牵头办理中的督办事项{counts['total']}项,"
        f"其中红灯{counts['red']}项、黄灯{counts['yellow']}项、绿灯{counts['green']}项。"
    ]
    related = []
    if subject.strip():
        related = list(mine.search(subject.strip()).with_light(t).order_by("deadline", "id")[:limit])
    heading = "与本事项相关的督办事项:"
    if not related:
        heading = "需重点关注的督办事项:"
        order = {Light.RED: 0, Light.YELLOW: 1, Light.GREEN: 2}
        candidates = list(mine.with_light(t).order_by("deadline", "id")[:200])
        candidates.sort(key=lambda task: (order.get(task.light, 3), task.deadline or date.max, task.pk))
        related = candidates[:limit]
    if related:
        lines.append(heading)
        latest = _latest_reports([task.pk for task in related])
        for index, task in enumerate(related, start=1):
            report = latest.get(task.pk)
            progress = ""
            if report:
                when = timezone.localtime(report["created_at"])
                progress = f";最近反馈({when.month}月{when.day}日):{report['done_text'].strip()[:60]}"
            lines.append(
                f"{index}. {task.title}(完成时限{task.deadline_label()},{LIGHT_LABELS.get(task.light, '—')}){progress}"
            )
    return "\n".join(lines)


def _latest_reports(task_ids: list[int]) -> dict[int, dict]:
    """The lead unit's latest report on each task, in two queries whatever the number of reports."""
    if not task_ids:
        return {}
    latest = (
        ProgressReport.objects.filter(task_id=OuterRef("pk"), is_lead=True).order_by("-created_at", "-id").values("pk")
    )
    ids = []
    for start in range(0, len(task_ids), 900):
        chunk = task_ids[start : start + 900]
        ids += [
            pk
            for pk in Task.objects.filter(pk__in=chunk)
            .annotate(last=Subquery(latest[:1]))
            .values_list("last", flat=True)
            if pk
        ]
    reports = {}
    for start in range(0, len(ids), 900):
        rows = ProgressReport.objects.filter(pk__in=ids[start : start + 900]).values(
            "task_id", "created_at", "done_text", "problems"
        )
        for row in rows:
            reports[row["task_id"]] = row
    return reports


# --- The executive-meeting pack -------------------------------------------------


def pack_compile(meeting_date: date, t: Thresholds) -> dict:
    """Everything the 常务会 hears, from the live data, as JSON.

    1. the counts by light, overall and per leader (the units they 分管, and tasks they are responsible for);
    2. every red task, with its latest report and stated problem;
    3. what awaits a decision: extensions, closures, briefs submitted to leaders;
    4. what falls due in the two weeks after the meeting;
    5. units with a report overdue (not reported this period);
    6. the lights by unit, for the chart.

    Lights are those of the meeting date (`t`); tasks count if they were assigned by then.
    """
    cutoff = timezone.make_aware(datetime.combine(meeting_date + timedelta(days=1), time.min))
    live = Task.objects.leaves().filter(status__in=Task.LIT_STATUSES, assigned_at__lt=cutoff)

    # 1 and 6: one grouped query over the live set (work.selectors.live_set: carried-over tasks in,
    # the year's done tasks as 无灯) gives the counts per (unit, responsible leader, light, 结转).
    counted = live_set(Task.objects.all(), (date(meeting_date.year, 1, 1), meeting_date)).filter(assigned_at__lt=cutoff)
    rows = list(
        counted.with_light(t)
        .annotate(carried=Case(When(year__lt=t.today.year, status__in=Task.LIT_STATUSES, then=1), default=0))
        .order_by()
        .values("lead_unit_id", "leader_id", "light", "carried")
        .annotate(n=Count("pk"))
    )
    if meeting_date < timezone.localdate():
        # 机构改革: a task moved to a successor since the meeting counts for the unit that led it then.
        moved = list(
            moved_since(counted.with_light(t), meeting_date)
            .annotate(carried=Case(When(year__lt=t.today.year, status__in=Task.LIT_STATUSES, then=1), default=0))
            .order_by()
            .values("lead_unit_id", "lead_then_id", "leader_id", "light", "carried")
            .annotate(n=Count("pk"))
        )
        rows += [{**row, "n": -row["n"]} for row in moved]
        rows += [{**row, "lead_unit_id": row["lead_then_id"]} for row in moved]
    keys = ("red", "yellow", "green", "none", "carried")
    totals = dict.fromkeys((*keys, "total"), 0)
    per_unit: dict[int, dict[str, int]] = defaultdict(lambda: dict.fromkeys(keys, 0))
    per_unit_leader = defaultdict(int)
    for row in rows:
        light = row["light"] or "none"
        for key in (light, "carried") if row["carried"] else (light,):
            totals[key] += row["n"]
            per_unit[row["lead_unit_id"]][key] += row["n"]
            per_unit_leader[(row["lead_unit_id"], row["leader_id"], key)] += row["n"]
        totals["total"] += row["n"]
    totals = with_note(totals)
    # A unit whose every task has moved since (the moves above take them out) is not listed.
    per_unit = {unit_id: counts for unit_id, counts in per_unit.items() if any(counts[key] for key in keys)}
    units = Unit.objects.in_bulk(list(per_unit))
    names = unit_names_on(units.values(), meeting_date)
    supervision = defaultdict(set)
    for leader_id, unit_id in Leader.supervises.through.objects.values_list("leader_id", "unit_id"):
        supervision[leader_id].add(unit_id)
    leaders = []
    for leader in Leader.objects.filter(active=True).order_by("order", "id"):
        counts = dict.fromkeys(keys, 0)
        for (unit_id, leader_id, key), n in per_unit_leader.items():
            if leader.is_principal or unit_id in supervision[leader.pk] or leader_id == leader.pk:
                counts[key] += n
        counts["total"] = sum(counts[key] for key in ("red", "yellow", "green", "none"))
        leaders.append({"name": leader.name, "title": leader.title, **counts})
    by_unit = [
        {
            "unit": names[unit_id][1],
            "unit_id": unit_id,
            "order": (units[unit_id].kind, units[unit_id].order, unit_id),
            **counts,
        }
        for unit_id, counts in per_unit.items()
    ]
    by_unit.sort(key=lambda row: (-row["red"], -row["yellow"], -row["green"], row["order"]))
    for row in by_unit:
        del row["order"]

    # 2. Red tasks, most overdue first. Read as values: a county has a thousand of them.
    status_label = dict(Task.Status.choices)
    red_rows = list(
        live.filter(Task.objects.light_q(Light.RED, t))
        .order_by("deadline", "next_report_due", "id")
        .values(
            "id",
            "title",
            "lead_unit__short_name",
            "lead_unit__name",
            "leader__name",
            "deadline",
            "standing",
            "status",
            "held_green",
            "next_report_due",
        )
    )
    latest = _latest_reports([row["id"] for row in red_rows])
    red = []
    for row in red_rows:
        report = latest.get(row["id"])
        red.append(
            {
                "id": row["id"],
                "title": row["title"],
                "unit": row["lead_unit__short_name"] or row["lead_unit__name"],
                "leader": row["leader__name"] or "",
                "deadline": "长期坚持" if row["standing"] else _d(row["deadline"]) or "—",
                "status": status_label.get(row["status"], row["status"]),
                "why": _why_red(row["deadline"], row["next_report_due"], t),
                "report_on": f"{timezone.localtime(report['created_at']):%Y-%m-%d}" if report else "",
                "done": report["done_text"].strip() if report else "",
                "problems": report["problems"].strip() if report else "",
            }
        )

    # 3. Awaiting a decision.
    request_fields = ("task_id", "task__title", "unit__short_name", "unit__name", "requested_at")
    extensions = [
        {
            "task_id": r["task_id"],
            "title": r["task__title"],
            "unit": r["unit__short_name"] or r["unit__name"],
            "asked": f"{timezone.localtime(r['requested_at']):%Y-%m-%d}",
            "what": f"原时限{_d(r['old_deadline'])},申请延至{_d(r['new_deadline'])}",
            "reason": r["reason"],
        }
        for r in ExtensionRequest.objects.filter(status=Decision.PENDING, requested_at__lt=cutoff)
        .order_by("requested_at", "id")
        .values(*request_fields, "old_deadline", "new_deadline", "reason")
    ]
    closures = [
        {
            "task_id": r["task_id"],
            "title": r["task__title"],
            "unit": r["unit__short_name"] or r["unit__name"],
            "asked": f"{timezone.localtime(r['requested_at']):%Y-%m-%d}",
            "what": "申请办结",
            "reason": r["summary"],
        }
        for r in ClosureRequest.objects.filter(status=Decision.PENDING, requested_at__lt=cutoff)
        .order_by("requested_at", "id")
        .values(*request_fields, "summary")
    ]
    briefs = [
        {
            "id": b.pk,
            "subject": b.subject,
            "unit": b.unit.display_name,
            "leader": b.leader.name if b.leader else "",
            "asked": f"{timezone.localtime(b.submitted_at):%Y-%m-%d}" if b.submitted_at else "",
        }
        for b in Brief.objects.filter(status=Brief.Status.SUBMITTED, submitted_at__lt=cutoff)
        .select_related("unit", "leader")
        .order_by("submitted_at", "id")
    ]

    # 4. Due in the next two weeks.
    due_soon = [
        {
            "id": row["id"],
            "title": row["title"],
            "unit": row["lead_unit__short_name"] or row["lead_unit__name"],
            "deadline": _d(row["deadline"]),
            "percent": row["percent"],
        }
        for row in live.filter(deadline__gte=meeting_date, deadline__lte=meeting_date + timedelta(days=DUE_SOON_DAYS))
        .order_by("deadline", "lead_unit__order", "id")
        .values("id", "title", "lead_unit__short_name", "lead_unit__name", "deadline", "percent")
    ]

    # 5. Units with a report overdue on the meeting date.
    silent_rows = (
        live.filter(next_report_due__lt=meeting_date).order_by().values("lead_unit_id").annotate(n=Count("pk"))
    )
    silent_units = Unit.objects.in_bulk([row["lead_unit_id"] for row in silent_rows])
    silent = sorted(
        (
            {"unit": silent_units[row["lead_unit_id"]].display_name, "tasks": row["n"],
             "order": (silent_units[row["lead_unit_id"]].kind, silent_units[row["lead_unit_id"]].order)}
            for row in silent_rows
        ),
        key=lambda row: (-row["tasks"], row["order"]),
    )  # fmt: skip
    for row in silent:
        del row["order"]

    empty = not (totals["total"] or extensions or closures or briefs)
    for row in by_unit:
        row["total"] = row["red"] + row["yellow"] + row["green"] + row["none"]
    return {
        "meeting_date": _d(meeting_date),
        "as_of": _d(t.today),
        "compiled_at": f"{timezone.localtime():%Y-%m-%d %H:%M}",
        "empty": empty,
        "counts": totals,
        "leaders": [row for row in leaders if row["total"]],
        "red": red,
        "extensions": extensions,
        "closures": closures,
        "briefs": briefs,
        "due_soon": due_soon,
        "due_soon_days": DUE_SOON_DAYS,
        "silent": silent,
        "by_unit": by_unit,
        **stance_sections(meeting_date),
    }


def stance_sections(meeting_date: date) -> dict:
    """The pack's sections from the speech's other stances, as plain JSON frozen with the pack.

    争先进位: indicators whose rank breaks its rule or is one place from it (rankings); 待升级的遗留问题:
    problems whose level ran out of time without a conclusion; 重大风险: risks at or above the pack's score, or rising;
    年度目标序时进度: the units' annual plan items behind their monthly profile (plans); 还本付息预警: payments due
    within the warning days that the month's collected revenue does not cover (plans).
    """
    from luoshi.plans.cascade import progress_section
    from luoshi.plans.revenue import debt_warnings
    from luoshi.problems.models import Risk
    from luoshi.problems.selectors import overdue_escalations, pack_risks
    from luoshi.rankings.selectors import rank_alerts

    return {
        "plan_progress": progress_section(today=meeting_date, limit=30),
        "debt_warnings": debt_warnings(meeting_date),
        "rank_alerts": [alert.as_dict() for alert in rank_alerts(meeting_date)],
        "overdue_problems": [
            {
                "id": problem.pk,
                "title": problem.title,
                "unit": problem.lead_unit.display_name,
                "leader": problem.leader.name if problem.leader_id else "",
                "level": problem.level_name,
                "level_due": _d(problem.level_due),
            }
            for problem in overdue_escalations(meeting_date)[:50]
        ],
        "risks": [
            {
                "id": risk.pk,
                "title": risk.title,
                "kind": risk.get_kind_display(),
                "field": risk.field,
                "score": risk.score,
                "unit": risk.owner_unit.display_name,
                "rising": len(trend) > 1 and trend[-1] > trend[-2],
            }
            for risk, trend in pack_risks(Risk.objects.all())
        ],
    }


def _why_red(deadline: date | None, next_report_due: date | None, t: Thresholds) -> str:
    if deadline and deadline < t.today:
        return f"超过完成时限{(t.today - deadline).days}天"
    if next_report_due and next_report_due < t.report_red:
        return f"应于{next_report_due.month}月{next_report_due.day}日反馈,逾期未报"
    return ""


# --- The circular -----------------------------------------------------------------

MIN_TASKS_TO_RANK = 3
SHORT_LIST = 3
RANK_GROUPS = [
    ("department", "县直单位", [Unit.Kind.DEPARTMENT]),
    ("township", "乡镇(街道)", [Unit.Kind.TOWNSHIP]),
    ("enterprise", "县属国有企业及其他", [Unit.Kind.ENTERPRISE, Unit.Kind.OTHER]),
]


def period_bounds(kind: str, year: int, number: int) -> tuple[date, date]:
    """A month (1-12) or a quarter (1-4) as its first and last day."""
    from calendar import monthrange

    if kind == "month":
        return date(year, number, 1), date(year, number, monthrange(year, number)[1])
    first_month = 3 * (number - 1) + 1
    return date(year, first_month, 1), date(year, first_month + 2, monthrange(year, first_month + 2)[1])


def _rate(numerator: int, denominator: int) -> float | None:
    return round(numerator / denominator, 4) if denominator else None


def score_formula(weights: dict, min_tasks: int) -> str:
    """The score in one sentence, as the page and the document print it."""
    w = weights
    return (
        f"综合得分 = 办结率×{w['done']} + 按期办结率×{w['on_time']} + 反馈及时率×{w['reports']}"
        f" − 逾期未办结事项数×{w['overdue']} − 被催办次数×{w['urges']}"
        f"(办结率 = 办结数 ÷ 期内应办事项数,按期办结率 = 按期办结数 ÷ 期内应办事项数,"
        f"反馈及时率 = 按时反馈次数 ÷ 反馈次数,无反馈计为100%);期内应办事项不足{min_tasks}项的单位列出但不排名。"
    )


def unit_score(s, reports: int, weights: dict) -> float:
    """A unit's composite score: rewards finishing on time, penalises what is late (`score_formula`)."""
    if not s.assigned:
        return 0.0
    timely = (reports - s.reports_late) / reports if reports else 1.0
    score = (
        weights["done"] * s.done / s.assigned
        + weights["on_time"] * s.on_time / s.assigned
        + weights["reports"] * max(timely, 0.0)
        - weights["overdue"] * s.overdue
        - weights["urges"] * s.urges
    )
    return round(score, 1)


WELL_SCORE = 80
LAGGING_SCORE = 60


def circular_compute(start: date, end: date, *, units=None, weights: dict | None = None,
                     min_tasks: int = MIN_TASKS_TO_RANK) -> dict:  # fmt: skip
    """The circular's figures, from `work.selectors.unit_stats`: units ranked by the composite score, per group.

    Units, never people, are ranked; townships and departments separately; only a unit with at
    least `min_tasks` tasks in the period is ranked, the others are listed unranked. Ties share
    a rank (1, 2, 2, 4). 表现较好: the best ranked with a score of WELL_SCORE or more and nothing
    overdue; 需要加力: the lowest ranked under LAGGING_SCORE.
    """
    from luoshi.reports.models import default_weights

    weights = {**default_weights(), **(weights or {})}
    if units is None:
        # The units of that time: those merged or split since are still reported for the period.
        units = Unit.objects.existing_during(start)
    stats = unit_stats(units.order_by("kind", "order", "id"), (start, end))
    reports = _reports_in(start, end, [s.unit.pk for s in stats if s.assigned])
    groups = []
    totals = {"units": 0, "assigned": 0, "done": 0, "on_time": 0, "overdue": 0, "reports_late": 0, "urges": 0}
    for key, label, kinds in RANK_GROUPS:
        members = [s for s in stats if s.unit.kind in kinds and s.assigned]
        if not members:
            continue
        scores = {s.unit.pk: unit_score(s, reports.get(s.unit.pk, 0), weights) for s in members}
        ranked = [s for s in members if s.assigned >= min_tasks]
        unranked = [s for s in members if s.assigned < min_tasks]
        ranked.sort(key=lambda s: (-scores[s.unit.pk], -s.on_time, s.overdue, s.unit.order))
        rows, previous, rank = [], object(), 0
        for position, s in enumerate(ranked, start=1):
            if scores[s.unit.pk] != previous:
                rank, previous = position, scores[s.unit.pk]
            rows.append(_stat_row(s, rank, scores[s.unit.pk]))
        well = [r for r in rows if r["score"] >= WELL_SCORE and not r["overdue"]]
        lagging = [r for r in rows if r["score"] < LAGGING_SCORE]
        groups.append(
            {
                "key": key,
                "label": label,
                "rows": rows,
                "unranked": [_stat_row(s, None, scores[s.unit.pk]) for s in unranked],
                "well": [r["unit"] for r in well[:SHORT_LIST]],
                "lagging": [r["unit"] for r in reversed(lagging[-SHORT_LIST:])],
            }
        )
        for s in members:
            totals["units"] += 1
            for field in ("assigned", "done", "on_time", "overdue", "reports_late", "urges"):
                totals[field] += getattr(s, field)
    totals["done_rate"] = _rate(totals["done"], totals["assigned"])
    totals["on_time_rate"] = _rate(totals["on_time"], totals["done"])
    return {
        "start": _d(start),
        "end": _d(end),
        "computed_at": f"{timezone.localtime():%Y-%m-%d %H:%M}",
        "min_tasks": min_tasks,
        "weights": weights,
        "formula": score_formula(weights, min_tasks),
        "totals": totals,
        "groups": groups,
        "empty": not groups,
    }


def _reports_in(start: date, end: date, unit_ids: list[int]) -> dict[int, int]:
    """Each unit's reports in the period, the denominator of 反馈及时率."""
    start_at = timezone.make_aware(datetime.combine(start, time.min))
    end_at = timezone.make_aware(datetime.combine(end + timedelta(days=1), time.min))
    rows = (
        ProgressReport.objects.filter(unit_id__in=unit_ids, created_at__gte=start_at, created_at__lt=end_at)
        .values("unit_id")
        .annotate(n=Count("unit_id"))
    )
    return {row["unit_id"]: row["n"] for row in rows}


def _stat_row(s, rank: int | None, score: float | None = None) -> dict:
    return {
        "rank": rank,
        "score": score,
        "unit": s.display_name,
        "assigned": s.assigned,
        "done": s.done,
        "done_rate": _rate(s.done, s.assigned),
        "on_time": s.on_time,
        "on_time_rate": _rate(s.on_time, s.done),
        "overdue": s.overdue,
        "reports_late": s.reports_late,
        "urges": s.urges,
    }


def percent(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.1f}%"


def notice_overdue_text(task: Task, t: Thresholds) -> str:
    """For a 催办通知单: what is overdue, in words."""
    parts = []
    if task.deadline and task.deadline < t.today and task.status in Task.LIT_STATUSES:
        parts.append(f"已超过完成时限({cn_day(task.deadline)}){(t.today - task.deadline).days}天仍未办结")
    if task.next_report_due and task.next_report_due < t.today and task.status in Task.LIT_STATUSES:
        parts.append(f"应于{cn_day(task.next_report_due)}前反馈进展,至今未报")
    if task.status == Task.Status.ASSIGNED and task.sign_by and task.sign_by < t.today:
        parts.append(f"应于{cn_day(task.sign_by)}前签收,至今未签收")
    return ";".join(parts) + ("。" if parts else "")
