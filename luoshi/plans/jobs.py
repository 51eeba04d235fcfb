"""The plans' Excel imports on the worker (issue 20 §1): a large unit plan or debt calendar is previewed by `db_worker`.

The rule is the ledger's (`luoshi.work.jobs.INLINE_BYTES`): a larger upload is checked in the request
(`lib.sheets.check_workbook`, streaming, with the reader's own cell limit: a hostile or oversized file is refused
at once, with the message the inline preview gives), kept, and read on the worker. The preview lands in
`Job.result`, with the token that makes its confirmation count once; the page reads it back from there (not from
the session, which the worker cannot write), and the commit stays one transaction in the request, all or nothing.

A file the worker cannot read at all (no header, damaged) ends the job failed with the preview's own message;
errors by cell are a preview like any other, shown on the import page.
"""

from __future__ import annotations

import dataclasses
import uuid
from datetime import date

from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse

from luoshi.lib.errors import ActionError
from luoshi.lib.sheets import SheetError, check_workbook
from luoshi.ops.jobs import job_enqueue, job_function, job_progress, upload_forget, upload_keep, upload_read
from luoshi.ops.models import Job
from luoshi.work import jobs as ledger_jobs
from luoshi.work.forms import new_token

from . import revenue
from .cascade import ItemInput
from .plan_import import CellProblem, PlanPreview, preview_plan, preview_three_year

# The readers' own cell limits (plan_import.py, revenue.py): the request's early check refuses what they would.
PLAN_MAX_CELLS = 200_000
DEBT_MAX_CELLS = 500_000


# A preview page lists this many rows and problems and counts the rest: a 100,000-row table helps nobody,
# and drawing it would hold the web worker the job was meant to spare.
SHOWN = 500


def preview_hidden(preview, rows) -> dict:
    """How many rows and problems a preview page does not list."""
    if preview is None:
        return {}
    return {"rows": max(0, len(rows) - SHOWN), "problems": max(0, len(preview.problems) - SHOWN)}


def runs_on_worker(size: int) -> bool:
    return size > ledger_jobs.INLINE_BYTES


def refused_now(data: bytes, *, max_cells: int) -> CellProblem | None:
    """The early check of a large upload, as the ledger's: the problem the page shows, or None to go on."""
    try:
        check_workbook(data, max_cells=max_cells)
    except SheetError as exc:
        return CellProblem(0, "", str(exc))
    return None


def _unreadable(problems: list[CellProblem]) -> None:
    """A file with nothing but whole-file problems ends the job failed, saying why as the inline page does."""
    if problems and all(problem.row == 0 for problem in problems):
        raise ActionError("".join(str(problem) for problem in problems))


# --- The unit plan ---------------------------------------------------------------------------------------------


@job_function
def plan_preview_job(job, *, stored: str, name: str, unit_id: int, horizon: str, year: int):
    from .models import Plan

    try:
        job_progress(job, message=f"正在读取并核对“{name}”…")
        data = upload_read(stored)
        preview = preview_plan(data) if horizon == Plan.Horizon.ANNUAL else preview_three_year(data, year=year)
    finally:
        upload_forget(stored)
    _unreadable(preview.problems)
    job_progress(job, done=len(preview.items), total=len(preview.items))
    result = {
        "unit_id": unit_id, "horizon": horizon, "year": year, "sheet": preview.sheet, "rows": preview.rows,
        "items": [dataclasses.asdict(item) for item in preview.items],
        "problems": [dataclasses.asdict(problem) for problem in preview.problems],
        "token": new_token() if preview.ok else "",
    }  # fmt: skip
    message = f"预览已就绪:{len(preview.items)} 项,问题 {len(preview.problems)} 处。"
    return message, f"{reverse('plans:plan_import', args=[unit_id])}?job={job.pk}", result


def plan_preview_enqueue(*, data: bytes, name: str, unit, user, horizon: str, year: int):
    stored = upload_keep(data, name=name)
    job = job_enqueue(
        function=plan_preview_job, title=f"计划预览:{name}", by=user, go_when_done=True,
        args={"stored": stored, "name": name, "unit_id": unit.pk, "horizon": horizon, "year": year},
    )  # fmt: skip
    return redirect("ops:job", pk=job.pk)


def plan_preview_of(result: dict) -> PlanPreview:
    return PlanPreview(
        sheet=result["sheet"], rows=result["rows"], items=[ItemInput(**item) for item in result["items"]],
        problems=[CellProblem(**problem) for problem in result["problems"]],
    )  # fmt: skip


# --- The debt calendar -----------------------------------------------------------------------------------------


@job_function
def debt_preview_job(job, *, stored: str, name: str):
    try:
        job_progress(job, message=f"正在读取并核对“{name}”…")
        preview = revenue.preview_debt(upload_read(stored))
    finally:
        upload_forget(stored)
    _unreadable(preview.problems)
    job_progress(job, done=len(preview.rows), total=len(preview.rows))
    result = {
        "rows": [{**dataclasses.asdict(row), "due": row.due.isoformat()} for row in preview.rows],
        "problems": [dataclasses.asdict(problem) for problem in preview.problems],
        "token": new_token() if preview.ok else "",
    }
    message = f"预览已就绪:{len(preview.rows)} 笔,问题 {len(preview.problems)} 处。"
    return message, f"{reverse('plans:debt_import')}?job={job.pk}", result


def debt_preview_enqueue(*, data: bytes, name: str, user):
    stored = upload_keep(data, name=name)
    job = job_enqueue(
        function=debt_preview_job, title=f"还本付息计划预览:{name}", by=user, go_when_done=True,
        args={"stored": stored, "name": name},
    )  # fmt: skip
    return redirect("ops:job", pk=job.pk)


def debt_preview_of(result: dict) -> revenue.DebtPreview:
    return revenue.DebtPreview(
        rows=[revenue.DebtRow(**{**row, "due": date.fromisoformat(row["due"])}) for row in result["rows"]],
        problems=[CellProblem(**problem) for problem in result["problems"]],
    )


# --- What the import pages call --------------------------------------------------------------------------------


def finished_preview_job(request, job_id: str, *, function) -> Job | None:
    """The caller's finished preview job of this kind; None while it runs or when it failed (its page says why).

    Anyone but its submitter and the office gets a 404, as on the job's own page.
    """
    try:
        pk = uuid.UUID(str(job_id))
    except ValueError:
        raise Http404 from None
    name = f"{function.__module__}.{function.__name__}"
    job = get_object_or_404(Job, pk=pk, function=name)
    if not job.visible_to(request.user):
        raise Http404
    if job.status != Job.Status.DONE or job.result is None:
        return None
    return job
