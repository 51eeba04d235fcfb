"""Handing long work to the worker: a Job row and a django-tasks task, written in one transaction.

A view calls `job_enqueue(function=..., ...)` and redirects to the job's page, which shows the progress
and moves on to `next_url` when the work is done. The worker runs `run_job`, which claims the job once
(a second run of the same task finds it taken and does nothing), calls the function, and records how it
ended. A function is a plain function marked with `@job_function`; it receives the Job and its arguments,
reports progress with `job_progress` (outside any long transaction of its own), and returns a message
and the page to go to.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string
from django_tasks import task

from luoshi.lib.errors import ActionError

from .models import Job

log = logging.getLogger(__name__)


def job_function(function: Callable) -> Callable:
    """Mark a function the worker may run as a job: `run_job` refuses anything not marked."""
    function.is_job = True
    return function


def job_enqueue(
    *, function: Callable, title: str, by, args: dict, total: int = 0, message: str = "", go_when_done: bool = False
) -> Job:
    """Record the job and enqueue its task in the same transaction: either both are written or neither."""
    name = f"{function.__module__}.{function.__name__}"
    if not getattr(function, "is_job", False):
        raise TypeError(f"{name} is not marked @job_function")
    with transaction.atomic():
        job = Job.objects.create(
            function=name, title=title[:200], args=args, created_by=by, total=total,
            message=message or "排队等待处理…", go_when_done=go_when_done,
        )  # fmt: skip
        run_job.enqueue(str(job.pk))
    return job


def job_progress(job: Job, *, done: int | None = None, total: int | None = None, message: str | None = None) -> None:
    """Move the page's progress bar. Call it outside the function's own long transaction."""
    fields = {}
    if done is not None:
        fields["done"] = job.done = done
    if total is not None:
        fields["total"] = job.total = total
    if message is not None:
        fields["message"] = job.message = message[:1000]
    if fields:
        Job.objects.filter(pk=job.pk).update(**fields)


@task()
def run_job(job_id: str) -> str:
    """Claim the job (once), run its function, record the outcome in Chinese."""
    claimed = Job.objects.filter(pk=job_id, status=Job.Status.QUEUED).update(
        status=Job.Status.RUNNING, started_at=timezone.now(), message="正在处理…"
    )
    if not claimed:
        return "already taken"
    job = Job.objects.get(pk=job_id)
    try:
        function = import_string(job.function)
        if not getattr(function, "is_job", False):
            raise TypeError(f"{job.function} is not a job function")
        message, next_url = function(job, **job.args)
    except ActionError as error:
        _finish(job, Job.Status.FAILED, error.message)
        return "failed"
    except Exception as error:
        from luoshi.lib.sheets import SheetError

        if isinstance(error, SheetError):
            _finish(job, Job.Status.FAILED, str(error))
            return "failed"
        log.exception("job %s (%s) failed", job.pk, job.function)
        _finish(job, Job.Status.FAILED, "处理时出现内部错误,没有写入任何内容。请稍后重试;仍不行请联系系统管理员。")
        raise
    _finish(job, Job.Status.DONE, message, next_url=next_url)
    return "done"


def _finish(job: Job, status: str, message: str, *, next_url: str = "") -> None:
    Job.objects.filter(pk=job.pk).update(
        status=status, message=message[:1000], next_url=next_url, finished_at=timezone.now()
    )
