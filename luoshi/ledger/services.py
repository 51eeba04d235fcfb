"""Committing a ledger import: every row or none, through the work app's services."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from luoshi.lib.errors import ActionError
from luoshi.org.models import User
from luoshi.work.models import Cadence, Task
from luoshi.work.services import ReportInput, TaskSpec, _claim_token, task_create_many, task_report_many

from .models import LedgerImport
from .preview import Preview, Row, require_ok


@dataclass
class Result:
    tasks: int
    top_tasks: list[Task]
    reports: int
    warnings: int


def _spec(row: Row, preview: Preview) -> TaskSpec:
    deadline = row.deadline
    cells = row.cells
    # A cadence with no end date (每月25日前) is a standing task, reported on that cadence.
    standing = deadline.standing or (deadline.date is None and deadline.cadence != Cadence.NONE)
    warnings = [str(p) for p in row.problems]
    if row.supporting_unknown:
        warnings.append(f"未识别的配合单位(按原文记录):{'、'.join(row.supporting_unknown)}")
    requirements = cells.get("requirements", "")
    if cells.get("note"):
        requirements = f"{requirements}\n备注:{cells['note']}".strip()
    spec = TaskSpec(
        title=cells.get("title", "")[:300],
        supporting=row.supporting,
        requirements=requirements,
        category=cells.get("category", "")[:50],
        source_kind=Task.SourceKind.OTHER,
        source_title=(preview.title or preview.name)[:200],
        source_date=preview.base,
        leader=row.leader,
        deadline=deadline.date,
        standing=standing,
        cadence=deadline.cadence,
        cadence_day=deadline.cadence_day,
        backfill=bool(deadline.date and deadline.date < timezone.localdate()),
        year=preview.base.year,
        problems=["台账导入", *warnings],
    )
    if row.lead_group:
        spec.group_label = row.lead_group
        spec.lead_group = row.lead
    else:
        spec.lead = row.lead[0]
    return spec


def earlier_import(sha256: str) -> LedgerImport | None:
    """The last committed import of a file with the same content, if any."""
    return LedgerImport.objects.filter(sha256=sha256, committed_at__isnull=False).select_related("created_by").first()


def ledger_import(*, preview: Preview, by: User, token: str | None = None, record: LedgerImport | None = None,
                  again: bool = False) -> Result:  # fmt: skip
    """Write a previewed ledger, all or nothing.

    1. refuse a preview with errors, and a file imported before unless `again`;
    2. create the new rows' tasks through task_create_many, exactly as by hand;
    3. record a progress report, marked as imported, for every row whose progress changed;
    4. mark the upload committed, with what it did.
    """
    require_ok(preview)
    specs = [_spec(row, preview) for row in preview.new_rows]
    updates = preview.updates
    if not specs and not updates:
        raise ActionError("没有需要导入的内容:没有新事项,已有事项的进展也没有变化。")
    if specs and not again and (earlier := earlier_import(preview.sha256)):
        raise ActionError(
            f"这个文件已于 {timezone.localtime(earlier.committed_at):%Y-%m-%d %H:%M} 由{earlier.created_by}导入过"
            f"(新增 {earlier.tasks_created} 个事项)。如确需再次导入,请勾选“仍要导入”。"
        )
    with transaction.atomic():
        _claim_token(token, by)
        tops = task_create_many(specs=specs, by=by) if specs else []
        reports = 0
        if updates:
            items = [
                (row.task, ReportInput(done_text=row.cells.get("progress", ""), problems=row.cells.get("problems", ""),
                                       next_steps=row.cells.get("next_steps", ""), imported=True))
                for row in updates
            ]  # fmt: skip
            reports = task_report_many(items=items, by=by)
        tasks = sum(len(spec.lead_group) - len({u.pk for u in spec.supporting} & {u.pk for u in spec.lead_group})
                    if spec.lead is None else 1 for spec in specs)  # fmt: skip
        if record is not None:
            record.committed_at = timezone.now()
            record.tasks_created = tasks
            record.reports_created = reports
            record.warnings = len(preview.warnings)
            record.save(update_fields=["committed_at", "tasks_created", "reports_created", "warnings"])
        else:
            LedgerImport.objects.create(
                name=preview.name[:200], sha256=preview.sha256, size=0, base_date=preview.base, created_by=by,
                committed_at=timezone.now(), tasks_created=tasks, reports_created=reports,
                warnings=len(preview.warnings),
            )  # fmt: skip
    return Result(tasks=tasks, top_tasks=tops, reports=reports, warnings=len(preview.warnings))
