"""督办 workflows: registering tasks, and the units' side (signing, reporting, asking), and 批示.

Each runs in one transaction and writes the timeline (留痕) in it. The office's decisions, urging,
pausing and cancelling are in `office`; the steps both share are in `steps`.
Views, the API, imports and commands all call these, so each rule is written once.
A refusal raises `ActionError` with a Chinese message that says what to fix.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from luoshi.lib import workdays
from luoshi.lib.bulk import insert_many, insert_rows
from luoshi.lib.errors import ActionError
from luoshi.notify import services as notify
from luoshi.org.models import Leader, Unit, User

from .attachments import CheckedFile
from .cadence import next_due_after_report, report_due_after
from .models import (
    Assignment,
    Attachment,
    Cadence,
    ClosureRequest,
    ExtensionRequest,
    Instruction,
    Milestone,
    ProgressReport,
    Task,
    TimelineEntry,
)
from .search import task_search_text
from .steps import Action, Status, _claim_token, _fmt, _lock, _moment, _require_office, _require_status, _timeline

# --- Helpers ----------------------------------------------------------------


def _acting_unit(task: Task, by: User, unit: Unit | None = None, *, lead_only=False) -> tuple[Unit, bool, Assignment]:
    """The unit `by` acts for on `task`, and whether the office is recording it on the unit's behalf (代报)."""
    if by.role == User.Role.UNIT:
        if unit is not None and unit.pk != by.unit_id:
            raise ActionError("只能以本单位名义办理。", status=403)
        unit = by.unit
        on_behalf = False
    elif by.is_office:
        unit = unit or task.lead_unit
        on_behalf = True
    else:
        raise ActionError("县领导不直接办理事项,可以作出批示。", status=403)
    assignment = Assignment.objects.filter(task=task, unit=unit).first() if unit else None
    if assignment is None:
        raise ActionError("本单位不是该事项的承办单位。", status=404)
    if lead_only and assignment.role != Assignment.Role.LEAD:
        raise ActionError("只有牵头单位可以提出此申请,配合单位请向牵头单位反馈。", status=403)
    return unit, on_behalf, assignment


# --- Registering tasks ------------------------------------------------------


# Group words a lead can be written as: one task per active unit of the kind, under a common parent.
LEAD_GROUPS = {
    "township": ("各乡镇", Unit.Kind.TOWNSHIP),
    "department": ("县直各单位", Unit.Kind.DEPARTMENT),
}


@dataclass
class TaskSpec:
    """What the office fills in to register a task (or an import row, or an intake row)."""

    title: str
    lead: Unit | None = None
    # A group in the lead column (各乡镇): one task per unit under a common parent.
    lead_group: Sequence[Unit] = ()
    group_label: str = ""
    supporting: Sequence[Unit] = ()
    requirements: str = ""
    category: str = ""
    source_kind: str = Task.SourceKind.OTHER
    source_title: str = ""
    source_date: date | None = None
    source_quote: str = ""
    leader: Leader | None = None
    deadline: date | None = None
    standing: bool = False
    cadence: str = Cadence.NONE
    cadence_day: int = 0
    priority: int = Task.Priority.NORMAL
    backfill: bool = False
    milestones: Sequence[tuple[str, date]] = ()
    parent: Task | None = None
    year: int | None = None
    problems: list[str] = field(default_factory=list)

    def lead_by_group(self, key: str) -> None:
        """Make the lead a group (LEAD_GROUPS key): one task per active unit of its kind."""
        label, kind = LEAD_GROUPS[key]
        self.group_label = label
        self.lead_group = list(Unit.objects.active().filter(kind=kind).order_by("order", "id"))
        if not self.lead_group:
            raise ActionError(f"“{label}”下没有启用的单位,无法分解。")

    def check(self, today: date) -> None:
        where = f"“{self.title[:20]}”" if self.title else "事项"
        if not self.title.strip():
            raise ActionError("请填写事项名称。")
        if len(self.title) > 300:
            raise ActionError(f"{where}:事项名称不能超过300字,较长的内容请写在“具体要求”里。")
        if self.lead is None and not self.lead_group:
            raise ActionError(f"{where}:请选择牵头单位。")
        if not self.standing and self.deadline is None:
            raise ActionError(f"{where}:请填写完成时限,或勾选“长期坚持”。")
        if self.deadline and self.deadline < today and not self.backfill:
            raise ActionError(f"{where}:完成时限 {self.deadline:%Y-%m-%d} 早于今天。如是补录以往工作,请勾选“补录”。")
        if self.cadence == Cadence.WEEKLY and not 0 <= self.cadence_day <= 7:
            raise ActionError(f"{where}:每周反馈日应为周一至周日。")
        if self.cadence in (Cadence.MONTHLY, Cadence.QUARTERLY, Cadence.YEARLY) and not 0 <= self.cadence_day <= 31:
            raise ActionError(f"{where}:反馈日应为1至31日。")
        for title, due in self.milestones:
            if self.deadline and due > self.deadline:
                raise ActionError(f"{where}:时间节点“{title}”({due:%Y-%m-%d})晚于完成时限。")
        lead_ids = {self.lead.pk} if self.lead else {unit.pk for unit in self.lead_group}
        if any(unit.pk in lead_ids for unit in self.supporting) and self.lead:
            raise ActionError(f"{where}:牵头单位不能同时是配合单位。")


class _Dues:
    """The due dates a new task starts with, worked out once per import rather than once per task."""

    def __init__(self, today: date, cal) -> None:
        self.today, self.cal = today, cal
        self.sign_by = cal.add(today, settings.LUOSHI_SIGN_WORKDAYS)
        self._reports: dict[tuple[str, int], date | None] = {}

    def report(self, cadence: str, day: int) -> date | None:
        key = (cadence, day)
        if key not in self._reports:
            self._reports[key] = report_due_after(cadence, day, self.today, self.cal)
        return self._reports[key]


class _TaskMaker:
    """Builds Task instances positionally, as Model.from_db does: keyword arguments and the related-object
    descriptors cost more than the insert itself on 100,000 tasks. Related objects are not cached on the
    instances it makes (task.lead_unit reads the database); task_create_many keeps them beside each task.
    """

    def __init__(self) -> None:
        fields = Task._meta.concrete_fields
        self.names = [field.attname for field in fields]
        self.defaults = {field.attname: field.get_default() for field in fields}

    def __call__(self, values: dict) -> Task:
        row = self.defaults | values
        return Task(*[row[name] for name in self.names])


def _new_task(spec: TaskSpec, lead: Unit | None, parent: Task | None, by: User, now, dues: _Dues, make) -> Task:
    title, requirements = spec.title.strip(), spec.requirements.strip()
    category, source_title = spec.category.strip(), spec.source_title.strip()
    values = {
        "parent_id": parent.pk if parent else None,
        "year": spec.year or (parent.year if parent else dues.today.year),
        "title": title,
        "requirements": requirements,
        "category": category,
        "source_kind": spec.source_kind,
        "source_title": source_title,
        "source_date": spec.source_date,
        "source_quote": spec.source_quote.strip(),
        "leader_id": spec.leader.pk if spec.leader else None,
        "lead_unit_id": lead.pk if lead else None,
        "group_label": spec.group_label if lead is None else "",
        "deadline": None if spec.standing else spec.deadline,
        "standing": spec.standing,
        "cadence": spec.cadence,
        "cadence_day": spec.cadence_day,
        "priority": spec.priority,
        "backfill": spec.backfill,
        "status": Status.ASSIGNED,
        "assigned_at": now,
        "created_by_id": by.pk,
        "created_at": now,
        "updated_at": now,
        "search_text": task_search_text(title, requirements, category, source_title),
    }
    if lead is not None:
        values["sign_by"] = dues.sign_by
        values["next_report_due"] = dues.report(spec.cadence, spec.cadence_day)
    return make(values)


_PRIORITY_LABELS = dict(Task.Priority.choices)
_STATUS_LABELS = dict(Task.Status.choices)


def _require_decider(by: User, specs: Sequence[TaskSpec]) -> None:
    """A leader deciding a brief may assign its follow-ups to the units they 分管 (a principal, to any unit)."""
    if by.role == User.Role.LEADER and by.leader_id:
        if by.leader.is_principal:
            return
        supervised = set(by.leader.supervises.values_list("pk", flat=True))
        leads = {unit.pk for spec in specs for unit in ([spec.lead] if spec.lead else spec.lead_group)}
        if leads and leads <= supervised:
            return
    _require_office(by)


def task_create_many(
    *,
    specs: Sequence[TaskSpec],
    by: User,
    token: str | None = None,
    leader_decision: bool = False,
    at: datetime | None = None,
) -> list[Task]:
    """Register and assign tasks in bulk, each exactly as by hand. Returns the top task of each spec.

    Only the office registers tasks, except the follow-ups a leader creates in deciding a brief
    (`leader_decision`, reports.services.brief_decide).

    1. check every spec (all or nothing);
    2. insert the group parents, then every task a unit carries out, in batches;
    3. insert their assignments and milestones;
    4. write one 登记交办 entry per task in the timeline.
    """
    if leader_decision:
        _require_decider(by, specs)
    else:
        _require_office(by)
    now = _moment(at)
    today = timezone.localdate(now)
    dues = _Dues(today, workdays.calendar())
    for spec in specs:
        spec.check(today)
    with transaction.atomic():
        _claim_token(token, by)
        make = _TaskMaker()
        parents = [_new_task(spec, None, spec.parent, by, now, dues, make) for spec in specs if spec.lead is None]
        insert_many(Task, parents)
        parent_of = iter(parents)
        tops: list[Task] = []
        leaves: list[tuple[Task, TaskSpec, Unit]] = []
        for spec in specs:
            if spec.lead is not None:
                task = _new_task(spec, spec.lead, spec.parent, by, now, dues, make)
                tops.append(task)
                leaves.append((task, spec, spec.lead))
            else:
                parent = next(parent_of)
                tops.append(parent)
                leaves += [
                    (_new_task(spec, unit, parent, by, now, dues, make), spec, unit)
                    for unit in spec.lead_group
                    if unit.pk not in {s.pk for s in spec.supporting}
                ]
        insert_many(Task, [task for task, _, _ in leaves])

        # Plain rows, not model instances: building 400,000 of those costs more than inserting them.
        assignments, milestones, entries = [], [], []
        lead_role, support_role = Assignment.Role.LEAD, Assignment.Role.SUPPORT
        for task, spec, _ in leaves:
            assignments.append({"task_id": task.pk, "unit_id": task.lead_unit_id, "role": lead_role, "created_at": now})
            assignments += [
                {"task_id": task.pk, "unit_id": unit.pk, "role": support_role, "created_at": now}
                for unit in dict.fromkeys(spec.supporting)
                if unit.pk != task.lead_unit_id
            ]
            milestones += [{"task_id": task.pk, "title": title, "due": due} for title, due in spec.milestones]
        group_specs = [spec for spec in specs if spec.lead is None]
        for task, spec, lead in [(p, s, None) for p, s in zip(parents, group_specs, strict=True)] + leaves:
            after = {
                "title": task.title,
                "lead_unit": lead or task.group_label,
                "supporting": "、".join(str(u) for u in spec.supporting) if lead else "",
                "leader": spec.leader,
                "deadline": task.deadline_label(),
                "priority": _PRIORITY_LABELS.get(task.priority, task.priority),
                "cadence": task.cadence_label(),
                "status": _STATUS_LABELS[task.status],
            }
            note = "补录" if task.backfill else ""
            if lead and spec.problems:
                note = ";".join([note, *spec.problems]).strip(";")
            after = {key: _fmt(value) for key, value in after.items()}
            entries.append(
                {
                    "task_id": task.pk,
                    "actor_id": by.pk,
                    "action": Action.CREATE,
                    "after": after,
                    "note": note,
                    "at": now,
                }
            )
        insert_rows(Assignment, assignments)
        insert_rows(Milestone, milestones)
        insert_rows(TimelineEntry, entries)
        notify.tasks_assigned(task_ids=[task.pk for task, _, _ in leaves])
    return tops


def task_create(*, spec: TaskSpec, by: User, token: str | None = None) -> Task:
    return task_create_many(specs=[spec], by=by, token=token)[0]


def task_split(*, task: Task, parts: Sequence[TaskSpec], by: User, token: str | None = None) -> list[Task]:
    """Split a task into sub-tasks, each with its own lead and deadline, under it."""
    if not parts:
        raise ActionError("请至少填写一个子事项。")
    for part in parts:
        part.parent = task
        part.year = task.year
        if task.deadline and part.deadline and part.deadline > task.deadline:
            raise ActionError(f"子事项“{part.title[:20]}”的完成时限晚于上级事项的完成时限。")
    with transaction.atomic():
        children = task_create_many(specs=parts, by=by, token=token)
        _timeline(task, by, Action.SPLIT, note="分解为:" + "、".join(child.title for child in children))
    return children


# --- The unit's side --------------------------------------------------------


def task_sign(*, task: Task, by: User, unit: Unit | None = None, at: datetime | None = None) -> Assignment:
    """签收: the unit acknowledges its assignment; the lead's signature starts the work."""
    with transaction.atomic():
        assignment, new = _sign_one(_lock(task), by, unit, at)
        if not new:
            raise ActionError(
                f"本单位已于 {timezone.localtime(assignment.signed_at):%Y-%m-%d %H:%M} 签收。", status=409
            )
    return assignment


def task_sign_many(
    *, tasks: Sequence[Task], by: User, unit: Unit | None = None, on_behalf: bool = False
) -> tuple[int, int]:
    """批量签收, all or nothing: each task as `task_sign` does it, one timeline entry per task.

    `on_behalf`: the office signs for each task's lead unit (督查室代签收, e.g. right after an import);
    only the office may, and the timeline names the office user who did. A task the unit has signed
    already (a second submit, or signed on another page meanwhile) is skipped and counted, never signed
    twice. Returns (signed, already signed).
    """
    if on_behalf and not by.is_office:
        raise ActionError("只有督查室可以代单位签收,本单位的事项请在“本单位待办”中签收。", status=403)
    if not tasks:
        raise ActionError("请勾选要代为签收的事项。" if on_behalf else "请勾选要签收的事项。")
    signed = skipped = 0
    with transaction.atomic():
        for task in sorted(tasks, key=lambda task: task.pk):  # one lock order, whoever signs at once
            locked = _lock(task)
            try:
                _, new = _sign_one(locked, by, unit)
            except ActionError as error:
                raise ActionError(
                    f"“{locked.title[:30]}”:{error.message}本次没有签收任何事项。", status=error.status
                ) from None
            if not new:
                skipped += 1
            else:
                signed += 1
    return signed, skipped


def _sign_one(task: Task, by: User, unit: Unit | None, at: datetime | None = None) -> tuple[Assignment, bool]:
    """Sign a locked task for the acting unit; False beside it when it was signed already."""
    unit, on_behalf, assignment = _acting_unit(task, by, unit)
    if assignment.signed_at:
        return assignment, False
    _require_status(task, Task.LIT_STATUSES, "签收")
    now = _moment(at)
    assignment.signed_at, assignment.signed_by = now, by
    assignment.save(update_fields=["signed_at", "signed_by"])
    before = {"status": task.get_status_display()}
    if assignment.role == Assignment.Role.LEAD:
        task.signed_at = now
        if task.status == Status.ASSIGNED:
            task.status = Status.IN_PROGRESS
        task.updated_at = now
        task.save(update_fields=["signed_at", "status", "updated_at"])
    _timeline(
        task, by, Action.SIGN, unit=unit, on_behalf=on_behalf, note=SIGNED_BY_OFFICE if on_behalf else "",
        before=before, after={"status": task.get_status_display()}, at=now,
    )  # fmt: skip
    return assignment, True


SIGNED_BY_OFFICE = "督查室代签收"


@dataclass
class ReportInput:
    done_text: str = ""
    problems: str = ""
    next_steps: str = ""
    percent: int | None = None
    unchanged: bool = False
    files: Sequence[CheckedFile] = ()
    imported: bool = False  # from a ledger that came back (台账导入)


def report_prefill(task: Task, unit: Unit) -> ProgressReport | None:
    """The unit's last report on the task, which the form starts from (最多报一次)."""
    return ProgressReport.objects.filter(task=task, unit=unit).order_by("-created_at", "-id").first()


def _report_one(task: Task, unit: Unit, by: User, item: ReportInput, on_behalf: bool, assignment: Assignment, now):
    if item.unchanged:
        last = report_prefill(task, unit)
        if last is None:
            raise ActionError(f"“{task.title[:20]}”还没有反馈过,不能选“无变化”,请填写已完成情况。")
        item = ReportInput(
            done_text=last.done_text, problems=last.problems, next_steps=last.next_steps,
            percent=last.percent, unchanged=True, files=item.files, imported=item.imported,
        )  # fmt: skip
    if not item.done_text.strip():
        raise ActionError(f"“{task.title[:20]}”:请填写“已完成”情况。")
    if item.percent is not None and not 0 <= item.percent <= 100:
        raise ActionError(f"“{task.title[:20]}”:完成进度应在0到100之间。")
    _require_status(task, [*Task.LIT_STATUSES], "反馈进展")
    today = timezone.localdate(now)
    is_lead = assignment.role == Assignment.Role.LEAD
    due = task.next_report_due if is_lead else None
    report = ProgressReport.objects.create(
        task=task, unit=unit, is_lead=is_lead, done_text=item.done_text.strip(), problems=item.problems.strip(),
        next_steps=item.next_steps.strip(), percent=item.percent, unchanged=item.unchanged,
        due=due, late=bool(due and today > due), on_behalf=on_behalf, imported=item.imported,
        created_by=by, created_at=now,
    )  # fmt: skip
    for checked in item.files:
        _attach(task, checked, by, report=report)
    if not assignment.signed_at:
        assignment.signed_at, assignment.signed_by = now, by
        assignment.save(update_fields=["signed_at", "signed_by"])
    before = {"percent": task.percent, "next_report_due": task.next_report_due, "status": task.get_status_display()}
    if is_lead:
        if task.status == Status.ASSIGNED:
            task.status = Status.IN_PROGRESS
            task.signed_at = task.signed_at or now
        if item.percent is not None:
            task.percent = item.percent
        task.last_report_at = now
        if task.cadence != Cadence.NONE:
            task.next_report_due = next_due_after_report(
                task.cadence, task.cadence_day, current=due, today=today, cal=workdays.calendar()
            )
        task.updated_at = now
        task.save(update_fields=["status", "signed_at", "percent", "last_report_at", "next_report_due", "updated_at"])
    after = {"percent": task.percent, "next_report_due": task.next_report_due, "status": task.get_status_display()}
    changed_before = {k: v for k, v in before.items() if after[k] != v}
    changed_after = {k: after[k] for k in changed_before}
    note = "无变化,沿用上期反馈" if item.unchanged else item.done_text.strip()[:200]
    if item.imported:
        note = f"台账导入:{note}"
    if report.late:
        note += f"(应于 {due:%Y-%m-%d} 前反馈,逾期)"
    _timeline(
        task, by, Action.REPORT, unit=unit, on_behalf=on_behalf, note=note,
        before=changed_before, after=changed_after, at=now,
    )  # fmt: skip
    return report


def task_report(
    *,
    task: Task,
    by: User,
    report: ReportInput,
    unit: Unit | None = None,
    token: str | None = None,
    at: datetime | None = None,
) -> ProgressReport:
    """进展反馈 on one task. The office may record it for the unit (代报), marked as such."""
    with transaction.atomic():
        _claim_token(token, by)
        task = _lock(task)
        unit, on_behalf, assignment = _acting_unit(task, by, unit)
        return _report_one(task, unit, by, report, on_behalf, assignment, _moment(at))


def task_report_many(*, items: Sequence[tuple[Task, ReportInput]], by: User, token: str | None = None) -> int:
    """A liaison's whole week, submitted at once: every report or none."""
    if not items:
        raise ActionError("没有选择任何事项。请对每个事项点“无变化”或填写新的进展。")
    now = timezone.now()
    with transaction.atomic():
        _claim_token(token, by)
        for task, item in items:
            locked = _lock(task)
            unit, on_behalf, assignment = _acting_unit(locked, by)
            _report_one(locked, unit, by, item, on_behalf, assignment, now)
    return len(items)


def task_extension_ask(
    *, task: Task, by: User, reason: str, new_deadline: date, token: str | None = None, at: datetime | None = None
) -> ExtensionRequest:
    """延期申请: only before the deadline has passed; afterwards the task is judged on the original date."""
    if not reason.strip():
        raise ActionError("请填写延期理由。")
    with transaction.atomic():
        _claim_token(token, by)
        task = _lock(task)
        unit, on_behalf, _ = _acting_unit(task, by, lead_only=True)
        now = _moment(at)
        today = timezone.localdate(now)
        if task.standing or task.deadline is None:
            raise ActionError("长期坚持的事项没有完成时限,无需申请延期。")
        if task.deadline < today:
            raise ActionError(f"完成时限 {task.deadline:%Y-%m-%d} 已过,不能再申请延期,该事项按原时限考核。", status=409)
        if new_deadline <= task.deadline:
            raise ActionError(f"申请延至的日期应晚于现完成时限 {task.deadline:%Y-%m-%d}。")
        if task.status == Status.EXTENSION_ASKED:
            raise ActionError("该事项已有待审核的延期申请。", status=409)
        _require_status(task, [Status.ASSIGNED, Status.IN_PROGRESS, Status.RETURNED], "申请延期")
        request = ExtensionRequest.objects.create(
            task=task, unit=unit, reason=reason.strip(), old_deadline=task.deadline, new_deadline=new_deadline,
            status_before=task.status, requested_by=by, requested_at=now,
        )  # fmt: skip
        before = {"status": task.get_status_display()}
        task.status = Status.EXTENSION_ASKED
        task.updated_at = now
        task.save(update_fields=["status", "updated_at"])
        _timeline(
            task, by, Action.EXTENSION_ASK, unit=unit, on_behalf=on_behalf,
            note=f"申请延至 {new_deadline:%Y-%m-%d}。理由:{reason.strip()}",
            before=before, after={"status": task.get_status_display()}, at=now,
        )  # fmt: skip
        notify.request_awaiting(request=request)
    return request


def task_closure_ask(
    *,
    task: Task,
    by: User,
    summary: str,
    files: Sequence[CheckedFile] = (),
    token: str | None = None,
    at: datetime | None = None,
) -> ClosureRequest:
    """办结申请, with a summary and evidence. Asked before the deadline, it holds the task green."""
    if not summary.strip():
        raise ActionError("请填写办结情况。")
    with transaction.atomic():
        _claim_token(token, by)
        task = _lock(task)
        unit, on_behalf, _ = _acting_unit(task, by, lead_only=True)
        if task.status == Status.CLOSURE_ASKED:
            raise ActionError("该事项已有待审核的办结申请。", status=409)
        _require_status(task, [Status.ASSIGNED, Status.IN_PROGRESS, Status.RETURNED], "申请办结")
        now = _moment(at)
        request = ClosureRequest.objects.create(
            task=task, unit=unit, summary=summary.strip(), status_before=task.status, requested_by=by,
            requested_at=now,
        )  # fmt: skip
        for checked in files:
            _attach(task, checked, by, closure=request)
        today = timezone.localdate(now)
        before = {"status": task.get_status_display()}
        task.status = Status.CLOSURE_ASKED
        task.held_green = task.deadline is None or today <= task.deadline
        task.signed_at = task.signed_at or now
        task.updated_at = now
        task.save(update_fields=["status", "held_green", "signed_at", "updated_at"])
        _timeline(
            task, by, Action.CLOSURE_ASK, unit=unit, on_behalf=on_behalf, note=summary.strip()[:500],
            before=before, after={"status": task.get_status_display()}, at=now,
        )  # fmt: skip
        notify.request_awaiting(request=request)
    return request


def task_instruct(
    *, task: Task, by: User, text: str, token: str | None = None, at: datetime | None = None
) -> Instruction:
    """批示: a leader writes on a task they see; the unit finds it in its inbox."""
    if by.role != User.Role.LEADER or by.leader is None:
        raise ActionError("只有县领导可以作出批示。", status=403)
    if not text.strip():
        raise ActionError("请填写批示内容。")
    if not Task.objects.visible_to(by).filter(pk=task.pk).exists():
        raise ActionError("事项不存在或无权查看。", status=404)
    with transaction.atomic():
        _claim_token(token, by)
        now = _moment(at)
        instruction = Instruction.objects.create(
            task=task, leader=by.leader, text=text.strip(), created_by=by, created_at=now
        )
        _timeline(task, by, Action.INSTRUCT, note=f"{by.leader}:{text.strip()}", at=now)
        notify.instruction_written(instruction=instruction)
    return instruction


# --- Attachments ------------------------------------------------------------


def _attach(task: Task, checked: CheckedFile, by: User, *, report=None, closure=None) -> Attachment:
    attachment = Attachment(
        task=task, report=report, closure=closure, name=checked.name, kind=checked.kind, size=checked.size,
        sha256=hashlib.sha256(checked.content).hexdigest(), uploaded_by=by,
    )  # fmt: skip
    from django.core.files.base import ContentFile

    attachment.file.save(checked.name, ContentFile(checked.content), save=False)
    attachment.save()
    return attachment
