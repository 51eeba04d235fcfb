"""Background tasks of the plans app (Django's tasks API), enqueued by the notify scheduler."""

from datetime import date

from django_tasks import task


@task()
def debt_warnings(day: str) -> int:
    """The day's 还本付息预警 to the office; each (payment, 30/15/7-day threshold) is raised once."""
    from .revenue import debt_warnings_raise

    return debt_warnings_raise(day=date.fromisoformat(day))
