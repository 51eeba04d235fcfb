"""Background tasks of the library, run by `manage.py db_worker`."""

from datetime import date

from django_tasks import task


@task()
def key_figures_remind(day: str) -> int:
    """The day's pass over the units' key figures: linked ones refreshed, due ones reminded (notify's scheduler)."""
    from .services import key_figures_remind as remind

    return remind(date.fromisoformat(day))
