"""Committing a ledger import: every row or none, through the work app's services."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from luoshi.lib.errors import ActionError
from luoshi.org.models import User
from luoshi.work.models import Cadence, ProgressReport, Task
from luoshi.work.services import ReportInput, TaskSpec, task_create_many, task_report_many
from luoshi.work.steps import _claim_token

from .models import LedgerImport, LedgerReport
from .preview import Preview, Row, require_ok


@dataclass
class Result:
    tasks: int
    top_tasks: list[Task]
    reports: int
    warnings: int
    conflicts: int = 0  # conflicts imported because the user ticked them


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
        cadence=row.cadence,
        cadence_day=row.cadence_day,
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
                  again: bool = False, conflicts: Collection[int] = ()) -> Result:  # fmt: skip
    """Write a previewed ledger, all or nothing.

    1. refuse a preview with errors, and a file imported before unless `again`;
    2. create the new rows' tasks through task_create_many, exactly as by hand;
    3. record a progress report, marked as imported, for every update, and for every conflict whose task
       is in `conflicts` (task IDs the user ticked); the others are left alone;
    4. note on each such report the ledger it came from and its date;
    5. mark the upload committed, with what it did.
    """
    require_ok(preview)
    specs = [_spec(row, preview) for row in preview.new_rows]
    ticked = {int(pk) for pk in conflicts}
    accepted = [row for row in preview.conflicts if row.task_id in ticked]
    updates = preview.updates + accepted
    if not specs and not updates:
        if preview.conflicts:
            raise ActionError(
                f"没有需要导入的内容:有 {len(preview.conflicts)} 条冲突未勾选。如要以台账内容为准,请在预览中勾选。"
            )
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
            last_id = ProgressReport.objects.order_by("-id").values_list("id", flat=True).first() or 0
            reports = task_report_many(items=items, by=by)
            made = {
                report.task_id: report
                for report in ProgressReport.objects.filter(
                    id__gt=last_id, task_id__in=[row.task_id for row in updates], created_by=by, imported=True
                )
            }
            conflict_ids = {row.task_id for row in accepted}
            sources = [LedgerReport(report=made[row.task_id], ledger_date=preview.base,
                                    conflict=row.task_id in conflict_ids) for row in updates]  # fmt: skip
        tasks = sum(len(spec.lead_group) - len({u.pk for u in spec.supporting} & {u.pk for u in spec.lead_group})
                    if spec.lead is None else 1 for spec in specs)  # fmt: skip
        if record is not None:
            record.committed_at = timezone.now()
            record.tasks_created = tasks
            record.reports_created = reports
            record.warnings = len(preview.warnings)
            record.save(update_fields=["committed_at", "tasks_created", "reports_created", "warnings"])
        else:
            record = LedgerImport.objects.create(
                name=preview.name[:200], sha256=preview.sha256, size=0, base_date=preview.base, created_by=by,
                committed_at=timezone.now(), tasks_created=tasks, reports_created=reports,
                warnings=len(preview.warnings),
            )  # fmt: skip
        if updates:
            for source in sources:
                source.ledger = record
            LedgerReport.objects.bulk_create(sources)
    return Result(tasks=tasks, top_tasks=tops, reports=reports, warnings=len(preview.warnings),
                  conflicts=len(accepted))  # fmt: skip
