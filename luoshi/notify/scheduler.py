"""Periodic work: each job is taken once per period through a unique row, however many schedulers run."""

from __future__ import annotations

from datetime import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone

from luoshi.lib import workdays

from .models import ScheduledRun


def take(job: str, period: str) -> bool:
    """True for the one scheduler that records (job, period) first; the row commits with the enqueue."""
    try:
        with transaction.atomic():
            ScheduledRun.objects.create(job=job, period=period)
    except IntegrityError:
        return False
    return True


def tick(now: datetime | None = None) -> list[str]:
    """One pass of the scheduler. Returns the jobs it enqueued."""
    from . import services
    from .delivery import due_count
    from .tasks import deliver, reminders

    now = now or timezone.now()
    local = timezone.localtime(now)
    done = []
    _, quiet_end = services.quiet_hours()
    day = local.date()
    with transaction.atomic():
        if workdays.calendar().is_workday(day) and local.time() >= quiet_end and take("reminders", f"{day}"):
            reminders.enqueue(day.isoformat())
            done.append("reminders")
    # 破难题: levels of the three-level handling overdue or closing, told to their leaders (problems.reminders).
    with transaction.atomic():
        if workdays.calendar().is_workday(day) and local.time() >= quiet_end and take("problem_reminders", f"{day}"):
            from luoshi.problems.tasks import escalation_reminders

            escalation_reminders.enqueue(day.isoformat())
            done.append("problem_reminders")
    # The units' 一口清 figures due for an update, on the same working days (library.services.key_figures_remind).
    with transaction.atomic():
        if workdays.calendar().is_workday(day) and local.time() >= quiet_end and take("key_figures", f"{day}"):
            from luoshi.library.tasks import key_figures_remind

            key_figures_remind.enqueue(day.isoformat())
            done.append("key_figures")
    # The cockpit's daily per-unit snapshot, every day (weekends too: the trend has no gaps).
    with transaction.atomic():
        if take("snapshot", f"{day}"):
            from luoshi.work.tasks import unit_snapshot

            unit_snapshot.enqueue(day.isoformat())
            done.append("snapshot")
    # 还本付息预警 (plans): payments within 30/15/7 days that the month's revenue does not cover, once a day.
    with transaction.atomic():
        if take("debt", f"{day}"):
            from luoshi.plans.tasks import debt_warnings

            debt_warnings.enqueue(day.isoformat())
            done.append("debt")
    # Finished task results older than a week go, once a day (django-tasks-db keeps every one otherwise).
    if take("prune", f"{day}"):
        from django.core.management import call_command

        call_command("prune_db_task_results", min_age_days=7, verbosity=0)
        # And the uploads of jobs that ended, or never ran (ops.jobs.uploads_sweep records what it removes).
        from luoshi.ops.jobs import uploads_sweep

        uploads_sweep(now=now)
        done.append("prune")
    # Retries, quiet-hour holds, digests and rows a killed worker left: swept once a minute.
    with transaction.atomic():
        if due_count() and take("deliver", f"{local:%Y%m%d%H%M}"):
            deliver.enqueue()
            done.append("deliver")
    return done
