"""The 督办 actions: 签收 (one task or a batch), 进展反馈, 延期 and 办结 requests, 催办, and the office's decisions.

A second router of the 督办 API, mounted beside `luoshi.api.work` at `/api/work`. As there, each
endpoint finds its task through `Task.objects.visible_to(request.user)` and calls the same service
as the page; a refusal (`ActionError`) becomes JSON with its Chinese message and status.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated

from ninja import Field, Router, Schema, Status

from luoshi.lib.errors import ActionError
from luoshi.org.models import Unit
from luoshi.work import office as work_office
from luoshi.work import services
from luoshi.work.models import Assignment, ClosureRequest, ExtensionRequest, Task

from .work import (
    ERRORS,
    FIELD_LABELS,
    TASK_NOT_FOUND,
    ActionOut,
    ErrorOut,
    TaskNotFound,
    Token,
    _done,
    _get_request_for_user,
    _get_task_for_user,
    _idempotency_key,
    _payload,
)

router = Router(tags=["督办"])


def _post(path: str, **kwargs):
    """`router.post`, keeping the operation id these endpoints had when they lived in `luoshi.api.work`.

    Clients generated from /api/openapi.json call the operations by these ids.
    """

    def register(view):
        return router.post(path, operation_id=f"luoshi_api_work_{view.__name__}", **kwargs)(view)

    return register


# --- Request bodies ---------------------------------------------------------


class SignIn(Schema):
    unit: int | None = Field(None, description="督查室代单位签收时,单位的编号;不填为牵头单位")


class SignManyIn(Schema):
    task_ids: list[Annotated[int, Field(ge=1, le=2**63 - 1)]] = Field(
        min_length=1, max_length=500, description="要签收的事项编号,一次最多 500 个"
    )


class SignManyOut(Schema):
    detail: str
    signed: list[int] = Field(description="本次签收的事项编号")
    already_signed: list[int] = Field(description="此前已签收、本次未重复签收的事项编号")


class ReportIn(Schema):
    done_text: str = ""
    problems: str = ""
    next_steps: str = ""
    percent: int | None = Field(None, ge=0, le=100)
    unchanged: bool = Field(False, description="无变化:沿用本单位上次的反馈")
    unit: int | None = Field(None, description="督查室代报时,单位的编号;不填为牵头单位")
    token: str | None = Token


class ExtensionIn(Schema):
    reason: str = ""
    new_deadline: date
    token: str | None = Token


class ClosureIn(Schema):
    summary: str = ""
    token: str | None = Token


class UrgeIn(Schema):
    message: str = ""
    token: str | None = Token


class DecisionIn(Schema):
    approve: bool
    note: str = ""


class ExtensionDecisionIn(DecisionIn):
    granted_deadline: date | None = Field(
        None, description="同意延期时可批准与申请不同的日期,须晚于原完成时限,并在审核意见中写明理由;不填为申请的日期"
    )


# --- Endpoints ----------------------------------------------------------------


def _acting_unit(unit_id: int | None) -> Unit | None:
    if unit_id is None:
        return None
    unit = Unit.objects.filter(pk=unit_id).first()
    if unit is None:
        raise ActionError(f"单位:找不到编号为 {unit_id} 的单位。")
    return unit


def _action(path: str, body: type[Schema], *, summary: str, status: int = 200):
    """A POST on one object, its JSON body documented in the schema but read by `_payload`."""
    schema = body.model_json_schema()
    for name, field in schema.get("properties", {}).items():
        field["title"] = FIELD_LABELS.get(name, name)
    return _post(
        path,
        response={status: ActionOut, ERRORS: ErrorOut},
        summary=summary,
        openapi_extra={"requestBody": {"required": False, "content": {"application/json": {"schema": schema}}}},
    )


@_action("/tasks/{task_id}/sign", SignIn, summary="签收")
def task_sign(request, task_id: int):
    """请求体可以为空。督查室代单位签收时写明单位。"""
    task = _get_task_for_user(request, task_id)
    payload = _payload(request, SignIn)
    services.task_sign(task=task, by=request.user, unit=_acting_unit(payload.unit))
    return _done(request, task, "已签收。")


@_post("/batch/sign", response={200: SignManyOut, ERRORS: ErrorOut}, summary="批量签收(单位;督查室代为签收)")
def task_sign_many(request, payload: SignManyIn):
    """单位联络员签收本单位的事项;督查室代各事项的牵头单位签收,留痕记为“督查室代签收”。

    全部签收或全部不签收;此前已签收的事项不重复签收,列在 already_signed 中。有一个事项无权查看即为 404。
    """
    ids = list(dict.fromkeys(payload.task_ids))
    tasks = list(Task.objects.visible_to(request.user).leaves().filter(pk__in=ids))
    if len(tasks) != len(ids):
        missing = sorted(set(ids) - {task.pk for task in tasks})
        error = TaskNotFound(TASK_NOT_FOUND)
        error.detail = f"事项 {'、'.join(map(str, missing[:10]))} 不存在或无权查看,本次没有签收任何事项。"
        raise error
    on_behalf = request.user.is_office
    before = set(
        Assignment.objects.filter(task__in=tasks, signed_at__isnull=False, **_signer(request.user)).values_list(
            "task_id", flat=True
        )
    )
    signed, skipped = services.task_sign_many(tasks=tasks, by=request.user, on_behalf=on_behalf)
    detail = f"已{'代为' if on_behalf else ''}签收 {signed} 个事项。" + (
        f"另有 {skipped} 个事项此前已签收,未重复签收。" if skipped else ""
    )
    return {"detail": detail, "signed": [pk for pk in ids if pk not in before],
            "already_signed": [pk for pk in ids if pk in before]}  # fmt: skip


def _signer(user) -> dict:
    """Whose signature a batch sign gives: the liaison's unit, or (the office) each task's lead unit."""
    if user.is_office:
        return {"role": Assignment.Role.LEAD}
    return {"unit_id": user.unit_id}


@_action("/tasks/{task_id}/report", ReportIn, summary="进展反馈", status=201)
def task_report(request, task_id: int):
    """单位联络员以本单位名义反馈;督查室可代报(默认代牵头单位),记为代报。"""
    task = _get_task_for_user(request, task_id)
    payload = _payload(request, ReportIn)
    report = services.task_report(
        task=task,
        by=request.user,
        unit=_acting_unit(payload.unit),
        token=_idempotency_key(request, payload.token),
        report=services.ReportInput(
            done_text=payload.done_text,
            problems=payload.problems,
            next_steps=payload.next_steps,
            percent=payload.percent,
            unchanged=payload.unchanged,
        ),
    )
    message = "进展已反馈" + ("(代报)" if report.on_behalf else "") + "。"
    return Status(201, _done(request, task, message, pk=report.pk))


@_action("/tasks/{task_id}/extension", ExtensionIn, summary="申请延期(牵头单位)", status=201)
def task_extension(request, task_id: int):
    task = _get_task_for_user(request, task_id)
    payload = _payload(request, ExtensionIn)
    extension = services.task_extension_ask(
        task=task,
        by=request.user,
        reason=payload.reason,
        new_deadline=payload.new_deadline,
        token=_idempotency_key(request, payload.token),
    )
    return Status(201, _done(request, task, "延期申请已提交,等待督查室审核。", pk=extension.pk))


@_action("/tasks/{task_id}/closure", ClosureIn, summary="申请办结(牵头单位)", status=201)
def task_closure(request, task_id: int):
    task = _get_task_for_user(request, task_id)
    payload = _payload(request, ClosureIn)
    closure = services.task_closure_ask(
        task=task, by=request.user, summary=payload.summary, token=_idempotency_key(request, payload.token)
    )
    return Status(201, _done(request, task, "办结申请已提交,等待督查室审核。", pk=closure.pk))


@_action("/tasks/{task_id}/urge", UrgeIn, summary="催办(督查室)")
def task_urge(request, task_id: int):
    task = _get_task_for_user(request, task_id)
    payload = _payload(request, UrgeIn)
    work_office.task_urge(
        tasks=[task], message=payload.message, by=request.user, token=_idempotency_key(request, payload.token)
    )
    return _done(request, task, f"已催办{task.lead_unit.display_name if task.lead_unit else ''}。")


@_action("/extensions/{request_id}/decision", ExtensionDecisionIn, summary="审核延期申请(督查室)")
def extension_decision(request, request_id: int):
    """同意时可批准与申请不同的日期(granted_deadline),理由写在审核意见(note)中,与页面上的审核相同。"""
    extension = _get_request_for_user(request, ExtensionRequest, request_id)
    payload = _payload(request, ExtensionDecisionIn)
    extension = work_office.extension_decide(
        request=extension, approve=payload.approve, by=request.user, note=payload.note,
        deadline=payload.granted_deadline,
    )  # fmt: skip
    if not payload.approve:
        message = "已不同意延期。"
    elif extension.granted_deadline:
        message = f"已同意延期,批准延至 {extension.granted_deadline:%Y-%m-%d}。"
    else:
        message = "已同意延期,完成时限已更新。"
    return _done(request, extension.task, message, pk=extension.pk)


@_action("/closures/{request_id}/decision", DecisionIn, summary="审核办结申请(督查室)")
def closure_decision(request, request_id: int):
    closure = _get_request_for_user(request, ClosureRequest, request_id)
    payload = _payload(request, DecisionIn)
    work_office.closure_decide(request=closure, approve=payload.approve, by=request.user, note=payload.note)
    message = "已办结销号。" if payload.approve else "已退回重办。"
    return _done(request, closure.task, message, pk=closure.pk)
