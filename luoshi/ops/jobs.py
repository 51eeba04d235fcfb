"""Handing long work to the worker: a Job row and a django-tasks task, written in one transaction.

A view calls `job_enqueue(function=..., ...)` and redirects to the job's page, which shows the progress
and moves on to `next_url` when the work is done. The worker runs `run_job`, which claims the job once
(a second run of the same task finds it taken and does nothing), calls the function, and records how it
ended. A function is a plain function marked with `@job_function`; it receives the Job and its arguments,
reports progress with `job_progress` (outside any long transaction of its own), and returns a message
and the page to go to, and optionally a result (JSON) that the page reads back from `Job.result`.

An upload a job reads is kept with `upload_keep` in the request and read with `upload_read` on the worker;
the job function forgets it (`upload_forget`) however it ends. What is left behind (a job that never ran, a
worker killed before its `finally`, a request that failed after keeping the file) is removed by
`uploads_sweep`, once a day from the scheduler.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable
from datetime import timedelta
from pathlib import PurePath

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string
from django_tasks import task

from luoshi.lib.errors import ActionError

from .models import Job, SweptUpload

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


def jobs_recent(*, user, function: Callable, unfinished_only: bool = False, limit: int = 5, **args) -> list[Job]:
    """The user's own jobs of this kind from the last day (matching `args`), newest first: the page that started
    them lists them, so that whoever left the progress page finds the job, and its result, again."""
    jobs = Job.objects.filter(
        created_by=user, function=f"{function.__module__}.{function.__name__}",
        created_at__gte=timezone.now() - timedelta(days=1),
    )  # fmt: skip
    for key, value in args.items():
        jobs = jobs.filter(**{f"args__{key}": value})
    if unfinished_only:
        jobs = jobs.exclude(status=Job.Status.DONE)
    return list(jobs.order_by("-created_at")[:limit])


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
        message, next_url, *result = function(job, **job.args)
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
    _finish(job, Job.Status.DONE, message, next_url=next_url, result=result[0] if result else None)
    return "done"


def _finish(job: Job, status: str, message: str, *, next_url: str = "", result=None) -> None:
    # One UPDATE: the page never sees a finished job without its result.
    Job.objects.filter(pk=job.pk).update(
        status=status, message=message[:1000], next_url=next_url, finished_at=timezone.now(), result=result
    )


# --- Uploads a job reads ------------------------------------------------------------------------------------------

_UPLOADS = "imports/jobs/"


def upload_keep(data: bytes, *, name: str) -> str:
    """Keep an upload for the worker under a name of our own (the user's name keeps only its extension)."""
    suffix = PurePath(name).suffix.lower()[:10]
    return default_storage.save(f"{_UPLOADS}{uuid.uuid4().hex}{suffix}", ContentFile(data))


def _own(stored: str) -> str:
    # Only a file `upload_keep` wrote: a job's arguments never name another path.
    if not stored.startswith(_UPLOADS) or ".." in stored or "/" in stored[len(_UPLOADS) :]:
        raise ValueError(f"not a kept upload: {stored!r}")
    return stored


def upload_read(stored: str) -> bytes:
    with default_storage.open(_own(stored), "rb") as handle:
        return handle.read()


def upload_forget(stored: str) -> None:
    default_storage.delete(_own(stored))


def uploads_sweep(*, now=None) -> list[SweptUpload]:
    """Delete the kept uploads no job will read again, and record each one removed.

    1. an upload of a job that has finished (done or failed) goes;
    2. an upload of a job still queued after `LUOSHI_JOB_UPLOAD_DAYS` goes, and the job is ended as failed
       first (claimed like a worker claims it, so that a worker starting it at that moment finds it taken);
    3. an upload no job names goes once it is that old too (a younger one may belong to a request still
       committing its job);
    4. a job running now keeps its upload, whatever its age; one running for longer than
       `LUOSHI_JOB_STALE_MINUTES` was interrupted, and is ended as failed first (`jobs_interrupted`).
    """
    now = now or timezone.now()
    jobs_interrupted(now=now)
    cutoff = now - timedelta(days=settings.LUOSHI_JOB_UPLOAD_DAYS)
    try:
        _, names = default_storage.listdir(_UPLOADS)
    except FileNotFoundError:
        return []
    paths = [f"{_UPLOADS}{name}" for name in sorted(names)]
    jobs: dict[str, Job] = {}
    for start in range(0, len(paths), 500):
        for job in Job.objects.filter(args__stored__in=paths[start : start + 500]):
            jobs[job.args["stored"]] = job
    swept = []
    for path in paths:
        job = jobs.get(path)
        if job is None:
            if default_storage.get_modified_time(path) >= cutoff:
                continue
            reason = SweptUpload.Reason.ORPHAN
        elif job.status in (Job.Status.DONE, Job.Status.FAILED):
            reason = SweptUpload.Reason.FINISHED
        elif job.status == Job.Status.QUEUED and job.created_at < cutoff and _give_up(job, now):
            reason = SweptUpload.Reason.NEVER_RAN
        else:
            continue
        size = default_storage.size(path)
        default_storage.delete(path)
        swept.append(SweptUpload(path=path, size=size, job=job, job_title=job.title if job else "", reason=reason,
                                 swept_at=now))  # fmt: skip
        log.info("swept upload %s (%s bytes, %s)", path, size, reason)
    return SweptUpload.objects.bulk_create(swept)


INTERRUPTED = "处理中断:后台进程在处理时停止了(可能是服务器重启),没有写入任何内容。请重新提交。"


def jobs_interrupted(*, now=None, job: Job | None = None) -> int:
    """End as failed the jobs a worker began and never finished: running for longer than LUOSHI_JOB_STALE_MINUTES.

    A job's work is written in one transaction, which the database rolls back when its worker dies, so nothing of
    it was written. With `job`, only that one (its page asks). Returns how many were ended.
    """
    now = now or timezone.now()
    since = now - timedelta(minutes=settings.LUOSHI_JOB_STALE_MINUTES)
    stale = Job.objects.filter(status=Job.Status.RUNNING, started_at__lt=since)
    if job is not None:
        if job.status != Job.Status.RUNNING or job.started_at is None or job.started_at >= since:
            return 0  # the page polls a running job every few seconds: no write unless it is stale
        stale = stale.filter(pk=job.pk)
    ended = stale.update(status=Job.Status.FAILED, message=INTERRUPTED, finished_at=now)
    if ended:
        log.warning("%s job(s) interrupted while running, ended as failed", ended)
    return ended


def _give_up(job: Job, now) -> bool:
    days = settings.LUOSHI_JOB_UPLOAD_DAYS
    message = f"提交后 {days} 天仍未处理,上传的文件已清理。请重新上传。"
    return bool(
        Job.objects.filter(pk=job.pk, status=Job.Status.QUEUED).update(
            status=Job.Status.FAILED, message=message, finished_at=now
        )
    )
