"""The 督办 app's background tasks (Django's tasks API through django-tasks), run by `manage.py db_worker`."""

from datetime import date

from django_tasks import task


@task()
def unit_snapshot(day: str) -> int:
    """The day's per-unit counts for the cockpit's trends; the scheduler enqueues it once a day."""
    from .snapshots import unit_snapshot_take

    return unit_snapshot_take(day=date.fromisoformat(day))
