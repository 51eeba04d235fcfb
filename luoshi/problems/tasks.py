"""Background tasks of 破难题 (Django's tasks API through django-tasks), run by `manage.py db_worker`."""

from datetime import date

from django_tasks import task


@task()
def escalation_reminders(day: str) -> int:
    """The day's reminders of overdue and closing levels; the notify scheduler enqueues it once per working day."""
    from .reminders import escalation_reminders_run

    return escalation_reminders_run(day=date.fromisoformat(day))
