"""Background tasks (Django's tasks API through django-tasks), run by `manage.py db_worker`."""

from datetime import date

from django_tasks import task


@task()
def deliver() -> int:
    """Send every delivery that is due; enqueued with the deliveries, and by the scheduler each minute."""
    from .delivery import deliver_due

    return deliver_due()


@task()
def reminders(day: str) -> int:
    """The day's reminder pass; the scheduler enqueues it once per working day."""
    from .reminders import reminders_run

    return reminders_run(day=date.fromisoformat(day))
