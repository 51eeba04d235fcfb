"""The 督办 router: the task list, a task's details, and registering tasks.

The actions on a task or a request (签收, 反馈, 申请, 催办, 审核, and batch 签收) are the second
督办 router, in `luoshi.api.work_actions`, mounted beside this one at `/api/work`.

Each endpoint starts from `Task.objects.visible_to(request.user)` and calls the same
service as the page, so a rule is written once. A refusal (`ActionError`) becomes
JSON with its Chinese message and status, by the handlers in `luoshi.api.urls`.
"""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import Any, Literal

import pydantic
from django.http import Http404
from django.utils import timezone
from ninja import Field, Query, Router, Schema, Status
from ninja.errors import ValidationError

from luoshi.lib import workdays
from luoshi.lib.errors import ActionError
from luoshi.org.models import Leader, Unit
from luoshi.work import services
from luoshi.work.models import FIELD_LABELS as TIMELINE_LABELS
from luoshi.work.models import (
    Cadence,
    Decision,
    Light,
    ProgressReport,
    Task,
    TimelineEntry,
)
from luoshi.work.selectors import SORTS, TaskFilter, live_counts, task_list_rows

router = Router(tags=["督办"])

TASK_NOT_FOUND = "事项不存在或无权查看。"
# The refusals a write can answer, each as {"detail": "..."}; documented in the schema.
ERRORS = frozenset({400, 401, 403, 404, 409, 422})
MAX_PAGE_SIZE = 200
# How many of a task's reports the detail carries, newest first.
DETAIL_REPORTS = 20

# Field names as a person reads them, for the 422 message (luoshi.api.urls).
FIELD_LABELS = {
    "year": "年度",
    "unit": "单位",
    "leader": "责任领导",
    "source": "来源",
    "status": "状态",
    "light": "灯色",
    "deadline_from": "时限从",
    "deadline_to": "时限至",
    "q": "关键词",
    "sort": "排序",
    "archive": "往年归档",
    "page": "页码",
    "page_size": "每页条数",
    "task_id": "事项编号",
    "request_id": "申请编号",
    "title": "事项名称",
    "lead": "牵头单位",
    "lead_group": "按类别分解",
    "supporting": "配合单位",
    "deadline": "完成时限",
    "standing": "长期坚持",
    "backfill": "补录",
    "cadence": "反馈周期",
    "cadence_day": "反馈日",
    "priority": "紧急程度",
    "requirements": "具体要求",
    "category": "类别",
    "source_kind": "来源",
    "source_title": "来源文件",
    "source_date": "来源日期",
    "source_quote": "原文摘录",
    "milestones": "时间节点",
    "due": "节点日期",
    "done_text": "已完成",
    "problems": "存在问题",
    "next_steps": "下一步打算",
    "percent": "完成进度",
    "unchanged": "无变化",
    "reason": "延期理由",
    "new_deadline": "申请延至",
    "summary": "办结情况",
    "message": "催办内容",
    "approve": "是否同意",
    "note": "审核意见",
    "token": "幂等键",
    "granted_deadline": "批准延至",
    "task_ids": "事项编号",
}


class TaskNotFound(Http404):
    """A task the user may not see answers exactly as one that does not exist."""

    detail = TASK_NOT_FOUND


# --- Schemas ----------------------------------------------------------------


class ErrorOut(Schema):
    detail: str


class UnitRef(Schema):
    id: int
    name: str
    short_name: str


class LeaderRef(Schema):
    id: int
    name: str
    title: str


class TaskRow(Schema):
    id: int
    title: str
    lead_unit: UnitRef | None
    group_label: str
    leader: LeaderRef | None
    deadline: date | None
    standing: bool
    status: str
    status_label: str
    light: str = Field(description="red、yellow、green;已办结、暂停、已关闭的事项为空")
    light_label: str
    priority: int
    priority_label: str
    next_report_due: date | None
    percent: int | None
    urge_count: int
    carried: bool = Field(False, description="往年登记、尚未办结的结转事项")


class LightCounts(Schema):
    red: int
    yellow: int
    green: int
    none: int = Field(0, description="无灯:已办结(以及按名称筛选的暂停、已关闭)")
    carried: int = Field(0, description="其中往年登记、尚未办结的结转事项")
    total: int
    note: str = Field("", description="一句话说明各数如何相加")


class TaskPage(Schema):
    count: int = Field(description="符合筛选条件(含灯色)的事项数")
    page: int
    page_size: int
    pages: int
    light_counts: LightCounts = Field(description="除灯色外符合筛选条件的事项,按灯色计数")
    items: list[TaskRow]


class AssignmentOut(Schema):
    unit: UnitRef
    role: str
    role_label: str
    signed_at: datetime | None


class ReportOut(Schema):
    id: int
    unit: UnitRef
    is_lead: bool
    done_text: str
    problems: str
    next_steps: str
    percent: int | None
    unchanged: bool
    due: date | None
    late: bool
    on_behalf: bool
    created_by: str
    created_at: datetime


class MilestoneOut(Schema):
    title: str
    due: date
    done_on: date | None


class ExtensionOut(Schema):
    id: int
    unit: UnitRef
    reason: str
    old_deadline: date
    new_deadline: date = Field(description="申请延至")
    granted_deadline: date | None = Field(
        description="督查室批准的日期与申请的不同时为批准的日期(理由见审核意见),否则为空"
    )
    deadline_granted: date | None = Field(description="同意后的完成时限:批准的日期,或申请的日期;未同意为空")
    status: str
    status_label: str
    requested_at: datetime
    decided_at: datetime | None
    decision_note: str


class ClosureOut(Schema):
    id: int
    unit: UnitRef
    summary: str
    status: str
    status_label: str
    requested_at: datetime
    decided_at: datetime | None
    decision_note: str


class ChangeOut(Schema):
    field: str
    label: str
    before: Any
    after: Any


class TimelineOut(Schema):
    id: int
    action: str
    action_label: str
    actor: str
    actor_side: str = Field("", description="操作人所在:督查室、单位名称或县领导职务")
    unit: UnitRef | None
    at: datetime
    note: str
    on_behalf: bool
    before: dict[str, Any]
    after: dict[str, Any]
    changes: list[ChangeOut]


class TaskDetail(TaskRow):
    year: int
    parent_id: int | None
    requirements: str
    category: str
    source_kind: str
    source_kind_label: str
    source_title: str
    source_date: date | None
    source_quote: str
    cadence: str
    cadence_day: int
    cadence_label: str
    sign_by: date | None
    held_green: bool
    assigned_at: datetime | None
    signed_at: datetime | None
    done_on: date | None
    last_report_at: datetime | None
    assignments: list[AssignmentOut]
    reports: list[ReportOut] = Field(description=f"最近 {DETAIL_REPORTS} 次进展反馈,新的在前")
    milestones: list[MilestoneOut]
    extensions: list[ExtensionOut]
    closures: list[ClosureOut]
    children: list[TaskRow]
    timeline: list[TimelineOut]


class ActionOut(Schema):
    detail: str
    id: int | None = Field(None, description="新建的事项、反馈或申请的编号")
    task: TaskDetail


Token = Field(
    None,
    max_length=40,
    description="幂等键(可选):同一用户用同一个键重复提交时只处理一次,重复的请求返回 409",
)


class TaskListQuery(Schema):
    year: int | None = Field(
        None,
        ge=2000,
        le=2100,
        description="不填为本年度在办事项(含往年结转未办结,加本年已办结);填写则为该年登记的全部事项;archive=true 时不填为往年全部",
    )
    unit: int | None = Field(None, description="牵头单位的编号")
    with_support: bool = Field(False, description="true:也列出该单位配合的事项")
    leader: int | None = Field(None, description="责任领导的编号")
    source: Literal[("", *Task.SourceKind.values)] = ""
    status: Literal[("", "open", *Task.Status.values)] = Field("", description="open 为未办结(全部)")
    light: Literal[("", *Light.values)] = ""
    deadline_from: date | None = None
    deadline_to: date | None = None
    q: str = Field("", max_length=100)
    sort: Literal[tuple(SORTS)] = "deadline"
    archive: bool = False
    page: int = Field(1, ge=1, le=1_000_000)
    page_size: int = Field(50, ge=1, le=MAX_PAGE_SIZE)


class MilestoneIn(Schema):
    title: str = Field(max_length=200)
    due: date


class TaskIn(Schema):
    title: str
    lead: int | None = Field(None, description="牵头单位的编号;与 lead_group 二选一")
    lead_group: Literal["township", "department"] | None = Field(
        None, description="按类别分解:township 各乡镇、department 县直各单位,每个单位一项"
    )
    supporting: list[int] = Field(default_factory=list, description="配合单位的编号")
    leader: int | None = Field(None, description="责任领导的编号")
    deadline: date | None = None
    standing: bool = False
    backfill: bool = False
    cadence: Literal[tuple(Cadence.values)] = Cadence.NONE.value
    cadence_day: int = Field(0, ge=0, le=31)
    priority: Literal[tuple(Task.Priority.values)] = Task.Priority.NORMAL.value
    requirements: str = ""
    category: str = Field("", max_length=50)
    source_kind: Literal[tuple(Task.SourceKind.values)] = Task.SourceKind.OTHER.value
    source_title: str = Field("", max_length=200)
    source_date: date | None = None
    source_quote: str = ""
    milestones: list[MilestoneIn] = Field(default_factory=list)
    token: str | None = Token


# --- Building the answers ---------------------------------------------------


def _local(value: datetime | None) -> datetime | None:
    return timezone.localtime(value) if value else None


def _unit(unit: Unit | None) -> dict | None:
    if unit is None:
        return None
    return {"id": unit.pk, "name": unit.name, "short_name": unit.short_name}


def _row(task: Task, light: str) -> dict:
    leader = task.leader
    return {
        "id": task.pk,
        "title": task.title,
        "lead_unit": _unit(task.lead_unit),
        "group_label": task.group_label,
        "leader": {"id": leader.pk, "name": leader.name, "title": leader.title} if leader else None,
        "deadline": task.deadline,
        "standing": task.standing,
        "status": task.status,
        "status_label": task.get_status_display(),
        "light": light,
        "light_label": Light(light).label if light else "",
        "priority": task.priority,
        "priority_label": task.get_priority_display(),
        "next_report_due": task.next_report_due,
        "percent": task.percent,
        "urge_count": task.urge_count,
        "carried": task.carried_over,
    }


def _detail(request, task: Task) -> dict:
    t = workdays.thresholds()
    # Re-read: an action has just changed the row, and the detail shows it as stored.
    task = Task.objects.select_related("lead_unit", "leader").get(pk=task.pk)
    reports = (
        ProgressReport.objects.filter(task=task).select_related("unit", "created_by").order_by("-created_at", "-id")
    )[:DETAIL_REPORTS]
    children = (
        task.children.visible_to(request.user)
        .with_light(t)
        .select_related("lead_unit", "leader")
        .order_by("lead_unit__order", "id")
    )
    return {
        **_row(task, task.light_for(t)),
        "year": task.year,
        "parent_id": task.parent_id,
        "requirements": task.requirements,
        "category": task.category,
        "source_kind": task.source_kind,
        "source_kind_label": task.get_source_kind_display(),
        "source_title": task.source_title,
        "source_date": task.source_date,
        "source_quote": task.source_quote,
        "cadence": task.cadence,
        "cadence_day": task.cadence_day,
        "cadence_label": task.cadence_label(),
        "sign_by": task.sign_by,
        "held_green": task.held_green,
        "assigned_at": _local(task.assigned_at),
        "signed_at": _local(task.signed_at),
        "done_on": task.done_on,
        "last_report_at": _local(task.last_report_at),
        "assignments": [
            {
                "unit": _unit(a.unit),
                "role": a.role,
                "role_label": a.get_role_display(),
                "signed_at": _local(a.signed_at),
            }
            for a in task.assignments.select_related("unit")
        ],
        "reports": [
            {
                "id": r.pk,
                "unit": _unit(r.unit),
                "is_lead": r.is_lead,
                "done_text": r.done_text,
                "problems": r.problems,
                "next_steps": r.next_steps,
                "percent": r.percent,
                "unchanged": r.unchanged,
                "due": r.due,
                "late": r.late,
                "on_behalf": r.on_behalf,
                "created_by": r.created_by.display_name,
                "created_at": _local(r.created_at),
            }
            for r in reports
        ],
        "milestones": [{"title": m.title, "due": m.due, "done_on": m.done_on} for m in task.milestones.all()],
        "extensions": [
            {
                "id": e.pk,
                "unit": _unit(e.unit),
                "reason": e.reason,
                "old_deadline": e.old_deadline,
                "new_deadline": e.new_deadline,
                "granted_deadline": e.granted_deadline,
                "deadline_granted": e.granted if e.status == Decision.APPROVED else None,
                "status": e.status,
                "status_label": e.get_status_display(),
                "requested_at": _local(e.requested_at),
                "decided_at": _local(e.decided_at),
                "decision_note": e.decision_note,
            }
            for e in task.extensions.select_related("unit")
        ],
        "closures": [
            {
                "id": c.pk,
                "unit": _unit(c.unit),
                "summary": c.summary,
                "status": c.status,
                "status_label": c.get_status_display(),
                "requested_at": _local(c.requested_at),
                "decided_at": _local(c.decided_at),
                "decision_note": c.decision_note,
            }
            for c in task.closures.select_related("unit")
        ],
        "children": [_row(child, child.light) for child in children],
        "timeline": [
            _timeline_entry(entry)
            for entry in task.timeline.select_related("actor", "actor__leader", "actor__unit", "unit")
        ],
    }


def _actor_side(user) -> str:
    """Who acted, by office: 督查室 for the office's users, not the unit of the task they acted on."""
    if user.is_office:
        return "督查室"
    if user.leader_id:
        return user.leader.title
    return user.unit.display_name if user.unit_id else ""


def _timeline_entry(entry: TimelineEntry) -> dict:
    keys = list(dict.fromkeys([*entry.before, *entry.after]))
    return {
        "id": entry.pk,
        "action": entry.action,
        "action_label": entry.get_action_display(),
        "actor": entry.actor.display_name,
        "actor_side": _actor_side(entry.actor),
        "unit": _unit(entry.unit),
        "at": _local(entry.at),
        "note": entry.note,
        "on_behalf": entry.on_behalf,
        "before": entry.before,
        "after": entry.after,
        "changes": [
            {
                "field": key,
                "label": TIMELINE_LABELS.get(key, key),
                "before": entry.before.get(key),
                "after": entry.after.get(key),
            }
            for key in keys
        ],
    }


# --- Look-ups ---------------------------------------------------------------


def _get_task_for_user(request, pk: int) -> Task:
    """The task, if the user may see it; another unit's task is a 404, as if it did not exist."""
    task = Task.objects.visible_to(request.user).select_related("lead_unit", "leader").filter(pk=pk).first()
    if task is None:
        raise TaskNotFound(TASK_NOT_FOUND)
    return task


def _get_request_for_user(request, model, pk: int):
    """An extension or closure request on a task the user may see."""
    visible = Task.objects.visible_to(request.user)
    found = model.objects.filter(task__in=visible).select_related("task").filter(pk=pk).first()
    if found is None:
        raise TaskNotFound(TASK_NOT_FOUND)
    return found


def _units(ids: list[int], what: str) -> list[Unit]:
    found = Unit.objects.active().in_bulk(ids)
    missing = [str(pk) for pk in dict.fromkeys(ids) if pk not in found]
    if missing:
        raise ActionError(f"{what}:找不到编号为 {'、'.join(missing)} 的单位,或该单位已停用。")
    return [found[pk] for pk in dict.fromkeys(ids)]


def _idempotency_key(request, token: str | None) -> str | None:
    # Scoped to the user: one client's key never blocks another's (SubmitToken is unique site-wide).
    return f"api:{request.user.pk}:{token}" if token else None


def _done(request, task: Task, message: str, *, pk: int | None = None) -> dict:
    return {"detail": message, "id": pk, "task": _detail(request, task)}


# --- Endpoints: reading -----------------------------------------------------


@router.get("/tasks", response=TaskPage, summary="事项列表")
def task_list(request, filters: Query[TaskListQuery]):
    """与“督办事项”页面相同的筛选;`light_counts` 为除灯色外同样筛选下的红黄绿灯数。"""
    t = workdays.thresholds()
    task_filter = TaskFilter(
        year=filters.year,
        unit=filters.unit,
        with_support=filters.with_support,
        leader=filters.leader,
        source=filters.source,
        status=filters.status,
        light=filters.light,
        deadline_from=filters.deadline_from,
        deadline_to=filters.deadline_to,
        q=filters.q.strip(),
        sort=filters.sort,
        archive=filters.archive,
    )
    base = task_filter.apply(Task.objects.visible_to(request.user), t)
    counts = live_counts(base, t)
    # The light filter narrows `base` by exactly the condition its count was taken with.
    count = counts[task_filter.light] if task_filter.light else counts["total"]
    rows = task_list_rows(task_filter.ordered(task_filter.with_light(base, t)), t)
    start = (filters.page - 1) * filters.page_size
    return {
        "count": count,
        "page": filters.page,
        "page_size": filters.page_size,
        "pages": max((count + filters.page_size - 1) // filters.page_size, 1),
        "light_counts": counts,
        "items": [_row(task, task.light) for task in rows[start : start + filters.page_size]],
    }


@router.get("/tasks/{task_id}", response={200: TaskDetail, 404: ErrorOut}, summary="事项详情")
def task_detail(request, task_id: int):
    """承办单位、最近的进展反馈、时间节点、延期和办结申请、下级事项和留痕记录。"""
    return _detail(request, _get_task_for_user(request, task_id))


# --- Endpoints: writing -----------------------------------------------------


@router.post("/tasks", response={201: ActionOut, ERRORS: ErrorOut}, summary="登记并交办事项(督查室)")
def task_create(request, payload: TaskIn):
    if payload.lead and payload.lead_group:
        raise ActionError("牵头单位和按类别分解只能选一项。")
    leader = None
    if payload.leader:
        leader = Leader.objects.filter(active=True, pk=payload.leader).first()
        if leader is None:
            raise ActionError(f"责任领导:找不到编号为 {payload.leader} 的在任县领导。")
    spec = services.TaskSpec(
        title=payload.title,
        lead=_units([payload.lead], "牵头单位")[0] if payload.lead else None,
        supporting=_units(payload.supporting, "配合单位"),
        requirements=payload.requirements,
        category=payload.category,
        source_kind=payload.source_kind,
        source_title=payload.source_title,
        source_date=payload.source_date,
        source_quote=payload.source_quote,
        leader=leader,
        deadline=payload.deadline,
        standing=payload.standing,
        backfill=payload.backfill,
        cadence=payload.cadence,
        cadence_day=payload.cadence_day,
        priority=payload.priority,
        milestones=[(m.title, m.due) for m in payload.milestones],
    )
    if payload.lead_group:
        spec.lead_by_group(payload.lead_group)
    task = services.task_create(spec=spec, by=request.user, token=_idempotency_key(request, payload.token))
    count = task.children.count()
    message = f"已登记并交办:{task.title}" + (f"(分解为 {count} 个单位各一项)" if count else "")
    return Status(201, _done(request, task, message, pk=task.pk))


# The actions on one task read their body only after the task is found: a task the user
# may not see answers 404 whatever was sent, exactly as on the pages.


def _payload(request, schema: type[Schema]) -> Any:
    """The request's JSON body as `schema`; a bad one raises what ninja would (400, or 422 with the fields)."""
    data: Any = {}
    if request.body.strip():
        try:
            data = json.loads(request.body)
        except ValueError:
            raise ActionError("请求体不是合法的 JSON。") from None
    if not isinstance(data, dict):
        raise ActionError("请求体应为 JSON 对象。")
    try:
        return schema.model_validate(data)
    except pydantic.ValidationError as error:
        raise ValidationError([_error_as_ninja_does(e) for e in error.errors(include_url=False)]) from None


def _error_as_ninja_does(error: dict) -> dict:
    error = {key: value for key, value in error.items() if key != "input"}
    error["loc"] = ["body", *error["loc"]]
    if "ctx" in error:
        error["ctx"] = {
            key: value if isinstance(value, str | int | float | bool) or value is None else str(value)
            for key, value in error["ctx"].items()
        }
    return error
