"""文件分解 on the worker (issue 20 §1): a large document is read and decomposed by `db_worker`, not in the request.

The rule is the ledger's (`luoshi.work.jobs.INLINE_BYTES`): an upload, or a pasted text once encoded as UTF-8,
larger than that goes to the worker; a smaller one is read in the request as before. A file over the size limit
is still refused in the request, at once. Everything else a file can be refused for (a hostile zip, a DTD, a text
past the limit, a damaged PDF) is found by the same reader on the worker, and the job ends failed with the
reader's own Chinese message; nothing is written.
"""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.shortcuts import redirect
from django.urls import reverse

from luoshi.ops.jobs import job_enqueue, job_function, job_progress, upload_forget, upload_keep, upload_read
from luoshi.work import jobs as ledger_jobs

from . import services
from .reading import read_text, read_upload


def runs_on_worker(size: int, *, chars: int | None = None) -> bool:
    """Larger than the ledger's threshold, and not past a limit (which the request refuses at once, as before):
    the document's bytes, or a pasted text's characters."""
    if chars is not None and chars > settings.LUOSHI_MAX_TEXT_CHARS:
        return False
    return ledger_jobs.INLINE_BYTES < size <= settings.LUOSHI_MAX_DOCUMENT_BYTES


@job_function
def decompose_job(
    job, *, stored: str, name: str, pasted: bool, user_id: int, title: str, source_date: str | None, source_kind: str
):
    """Read the document, propose its rows and write the draft; the review page then shows it."""
    from luoshi.org.models import User

    try:
        user = User.objects.get(pk=user_id)
        job_progress(job, message=f"正在读取“{name}”…" if not pasted else "正在读取粘贴的文字…")
        data = upload_read(stored)
        document = read_text(data.decode("utf-8")) if pasted else read_upload(name, data)
        if title:
            document.title = title
        job_progress(job, total=len(document.paragraphs), message=f"正在分解:共 {len(document.paragraphs)} 段…")
        decomposition = services.decomposition_create(
            document=document, by=user, source_kind=source_kind,
            source_date=date.fromisoformat(source_date) if source_date else None,
        )  # fmt: skip
        job_progress(job, done=len(document.paragraphs))
    finally:
        upload_forget(stored)
    count = decomposition.rows.count()
    message = f"已读取“{decomposition.title}”,找到 {count} 条工作要求。请逐条核对后确认。"
    return message, reverse("intake:review", args=[decomposition.pk])


def decompose_enqueue(*, data: bytes, name: str, pasted: bool, user, title: str, source_date, source_kind: str):
    """Keep the upload (or the pasted text) and hand it to the worker; the answer is the job's page."""
    stored = upload_keep(data, name="粘贴的文字.txt" if pasted else name)
    job = job_enqueue(
        function=decompose_job, title=f"文件分解:{'粘贴的文字' if pasted else name}", by=user, go_when_done=True,
        args={
            "stored": stored, "name": name, "pasted": pasted, "user_id": user.pk, "title": title,
            "source_date": source_date.isoformat() if source_date else None, "source_kind": source_kind,
        },
    )  # fmt: skip
    return redirect("ops:job", pk=job.pk)
