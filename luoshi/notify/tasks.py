"""Background tasks (Django's tasks API through django-tasks), run by `manage.py db_worker`."""

import signal
import threading
from datetime import date

from django_tasks import task


@task()
def deliver() -> int:
    """Send every delivery that is due; enqueued with the deliveries, and by the scheduler each minute.

    On SIGTERM the worker (django-tasks' db_worker) lets the running task finish: this one finishes the
    round it claimed, records it, and stops, so that a stopped worker holds nothing.
    """
    from .delivery import deliver_due

    stop = threading.Event()
    if threading.current_thread() is not threading.main_thread():
        return deliver_due()
    previous = {sig: signal.getsignal(sig) for sig in (signal.SIGTERM, signal.SIGINT)}

    def on_signal(signum, frame):
        stop.set()
        handler = previous[signum]
        if callable(handler):
            handler(signum, frame)

    for sig in previous:
        signal.signal(sig, on_signal)
    try:
        return deliver_due(should_stop=stop.is_set)
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


@task()
def reminders(day: str) -> int:
    """The day's reminder pass; the scheduler enqueues it once per working day."""
    from .reminders import reminders_run

    return reminders_run(day=date.fromisoformat(day))
