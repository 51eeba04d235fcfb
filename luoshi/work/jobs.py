"""Large imports on the worker (issue 20 §1): a big ledger is previewed and imported by `db_worker`, not in the request.

The upload is still checked in the request (`lib.sheets.check_workbook`: hostile or oversized files are refused
at once); only the reading, resolving and writing of a large file moves to the worker. The preview the worker
computes is kept, signed, beside the upload, so that the preview page does not compute it again.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import pickle
from pathlib import Path

from django.conf import settings
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.crypto import salted_hmac

from luoshi.ops.jobs import job_enqueue, job_function, job_progress

# An upload larger than this is read on the worker: about 3,000 ledger rows, 2 s of a web worker.
INLINE_BYTES = 256 * 1024


def runs_on_worker(record) -> bool:
    return (record.size or 0) > INLINE_BYTES


# --- The kept preview -------------------------------------------------------------------------------------------


def _cache_path(record) -> Path:
    return Path(settings.MEDIA_ROOT) / "imports" / "previews" / f"ledger-{record.pk}.pickle"


def _cache_key(record, user) -> str:
    state = [record.sha256, record.mapping, record.choices, str(record.base_date), user.pk]
    return hashlib.sha256(json.dumps(state, sort_keys=True, default=str).encode()).hexdigest()


def _sign(data: bytes) -> bytes:
    return salted_hmac("luoshi.work.jobs.preview", data, algorithm="sha256").hexdigest().encode()


def preview_keep(record, user, preview) -> None:
    """Keep a computed preview, signed: only a file this site wrote is ever unpickled."""
    data = pickle.dumps((_cache_key(record, user), preview), protocol=pickle.HIGHEST_PROTOCOL)
    path = _cache_path(record)
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_suffix(".tmp")
    temporary.write_bytes(_sign(data) + b"\n" + data)
    temporary.replace(path)


def preview_kept(record, user):
    """The kept preview of this upload in its current state (mapping, choices, date, user), or None."""
    path = _cache_path(record)
    try:
        signature, data = path.read_bytes().split(b"\n", 1)
    except (OSError, ValueError):
        return None
    if not hmac.compare_digest(signature, _sign(data)):
        return None
    key, preview = pickle.loads(data)  # only a file signed above with the site's key
    return preview if key == _cache_key(record, user) else None


def preview_forget(record) -> None:
    _cache_path(record).unlink(missing_ok=True)


def ledger_preview(record, user):
    """The ledger views' preview: the kept one when it matches, else computed here (and kept for a large file)."""
    from luoshi.ledger.views import _preview

    if runs_on_worker(record) and (kept := preview_kept(record, user)) is not None:
        return kept
    result = _preview(record, user)
    if runs_on_worker(record):
        preview_keep(record, user, result)
    return result


# --- The jobs ---------------------------------------------------------------------------------------------------


def _record_and_user(record_id: int, user_id: int):
    from luoshi.ledger.models import LedgerImport
    from luoshi.org.models import User

    return LedgerImport.objects.get(pk=record_id), User.objects.get(pk=user_id)


@job_function
def ledger_preview_job(job, *, record_id: int, user_id: int):
    """Read, map, resolve and check a large ledger; keep the preview; the page then shows it."""
    from luoshi.ledger.views import _preview

    record, user = _record_and_user(record_id, user_id)
    job_progress(job, message=f"正在读取并核对“{record.name}”…")
    result = _preview(record, user)
    preview_keep(record, user, result)
    job_progress(job, done=len(result.rows), total=len(result.rows))
    message = f"预览已就绪:{len(result.rows)} 行,错误 {len(result.errors)} 个,提示 {len(result.warnings)} 个。"
    return message, reverse("ledger:preview", args=[record.pk])


@job_function
def ledger_commit_job(job, *, record_id: int, user_id: int, token: str | None, again: bool, conflicts: list[int]):
    """Import a large, previewed ledger all or nothing, as the commit page does for a small one."""
    from luoshi.ledger.services import ledger_import
    from luoshi.ledger.views import _preview

    record, user = _record_and_user(record_id, user_id)
    if record.committed:
        return "这个文件已经导入过了,没有重复导入。", reverse("ledger:upload")
    job_progress(job, message="正在重新核对台账…")
    result = _preview(record, user)
    job_progress(
        job, total=len(result.rows), message=f"正在写入 {len(result.rows)} 行(整份导入,要么全部成功,要么一条不写)…"
    )
    done = ledger_import(preview=result, by=user, token=token, record=record, again=again, conflicts=conflicts)
    job_progress(job, done=len(result.rows))
    preview_forget(record)
    parts = []
    if done.tasks:
        parts.append(f"新增事项 {done.tasks} 个")
    if done.reports:
        parts.append(
            f"导入进展 {done.reports} 条" + (f"(其中冲突 {done.conflicts} 条,经勾选)" if done.conflicts else "")
        )
    if done.warnings:
        parts.append(f"{done.warnings} 个提示已记入事项的办理记录")
    return "导入完成:" + ",".join(parts) + "。", f"{reverse('work:list')}?year={result.base.year}"


# --- What the ledger views call -----------------------------------------------------------------------------------


def ledger_preview_enqueue(record, user):
    """Hand the preview of a large upload to the worker; the answer is the job's page."""
    preview_forget(record)
    job = job_enqueue(
        function=ledger_preview_job, title=f"台账预览:{record.name}", by=user,
        args={"record_id": record.pk, "user_id": user.pk}, go_when_done=True,
    )  # fmt: skip
    return redirect("ops:job", pk=job.pk)


def ledger_commit_enqueue(record, user, *, token: str | None, again: bool, conflicts: list[int]):
    job = job_enqueue(
        function=ledger_commit_job, title=f"台账导入:{record.name}", by=user,
        args={"record_id": record.pk, "user_id": user.pk, "token": token, "again": again, "conflicts": conflicts},
    )  # fmt: skip
    return redirect("ops:job", pk=job.pk)
