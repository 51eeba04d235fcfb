"""The daily snapshot of per-unit counts: the cockpit's trends (a read model, written once a day)."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone

from luoshi.lib import workdays

from .models import Task, UnitSnapshot
from .selectors import live_set, year_period


@transaction.atomic
def unit_snapshot_take(*, day: date | None = None) -> int:
    """Write today's per-unit counts of the live set, once: a second run the same day writes nothing.

    Steps: stop if the day already has its snapshot (kept forever, never recomputed); count the
    live set (work.selectors.live_set) per lead unit in one grouped query, lights as of today,
    with the month's done and on-time counts (for a past day, a task moved since in a 机构改革 counts
    for the unit that led it that day); insert one row per unit that has any task.
    Returns the number of rows written.
    """
    t = workdays.thresholds()
    day = day or t.today
    if UnitSnapshot.objects.filter(day=day).exists():
        return 0
    month_start = day.replace(day=1)
    done_month = Q(status=Task.Status.DONE, done_on__gte=month_start, done_on__lte=day)
    live = live_set(Task.objects.all(), year_period(day))
    figures = {
        **{light: Count("pk", filter=Task.objects.light_q(light, t)) for light in ("red", "yellow", "green")},
        "carried": Count("pk", filter=Q(year__lt=day.year, status__in=Task.LIT_STATUSES)),
        "total": Count("pk"),
        "month_done": Count("pk", filter=done_month),
        "month_on_time": Count("pk", filter=done_month & Q(done_on_time=True)),
    }
    rows = list(live.order_by().values("lead_unit_id").annotate(**figures))
    if day < t.today:
        # A day's snapshot taken late (a queued job run after a 机构改革): a task moved since counts for the unit
        # that led it that day.
        from luoshi.org.reorg import moved_since

        by_unit = {row["lead_unit_id"]: row for row in rows}
        for row in moved_since(live, day).order_by().values("lead_unit_id", "lead_then_id").annotate(**figures):
            for unit_id, sign in ((row["lead_unit_id"], -1), (row["lead_then_id"], 1)):
                target = by_unit.setdefault(unit_id, {"lead_unit_id": unit_id, **dict.fromkeys(figures, 0)})
                for key in figures:
                    target[key] += sign * row[key]
        rows = [row for row in by_unit.values() if row["total"]]
    now = timezone.now()
    snapshots = [
        UnitSnapshot(
            day=day, unit_id=row["lead_unit_id"], red=row["red"], yellow=row["yellow"], green=row["green"],
            none=row["total"] - row["red"] - row["yellow"] - row["green"], carried=row["carried"],
            total=row["total"], month_done=row["month_done"], month_on_time=row["month_on_time"], taken_at=now,
        )
        for row in rows
    ]  # fmt: skip
    # Two runs racing on the same day: the unique (day, unit) keeps the first.
    UnitSnapshot.objects.bulk_create(snapshots, batch_size=500, ignore_conflicts=True)
    return len(snapshots)
