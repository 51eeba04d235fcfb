"""The 破难题 router: problems (scoped by visible_to, 关键人物 only for those allowed), escalation, and risks.

`/api/problems` and `/api/risks` are two routers of this module, mounted side by side in `luoshi.api.urls`.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from ninja import Field, Query, Router, Schema

from luoshi.lib.text import split_names
from luoshi.problems import services
from luoshi.problems.models import Problem, Risk
from luoshi.problems.selectors import linked_documents, risk_trends

from .work import _payload

router = Router(tags=["破难题"])
risks_router = Router(tags=["破难题"])

NOT_FOUND = "遗留问题不存在或无权查看。"
MAX_PAGE_SIZE = 200
ERRORS = frozenset({400, 401, 403, 404, 409, 422})
FIELD_LABELS = {"reason": "升级理由", "group": "处理小组", "chair": "召集人", "members": "成员"}


class ErrorOut(Schema):
    detail: str


class KeyPerson(Schema):
    name: str
    role: str = ""
    contact: str = ""


class ProblemRow(Schema):
    id: int
    title: str
    category: str
    status: str
    status_label: str
    level: int
    level_name: str
    level_due: date | None
    level_overdue: bool
    light: str
    lead_unit: str
    leader: str | None


class HistoryOut(Schema):
    day: date
    text: str


class PetitionOut(Schema):
    number: str
    day: date
    petitioners: int
    level: str
    next_visit: date | None


class DocumentOut(Schema):
    id: int
    title: str
    number: str
    issuer: str
    issued_on: date | None
    validity: str
    article: str = Field("", description="依据条款")
    url: str


class TaskForceMeetingOut(Schema):
    day: date
    start: str | None = Field(None, description="开始时间 HH:MM")
    place: str
    topic: str
    status: str
    status_label: str
    attendees: list[str]
    absent: list[dict]
    minutes: str


class ProblemDetail(ProblemRow):
    supporting: list[str]
    contradiction: str
    entry_point: str
    worst_case: str
    bottom_line: str
    laws: str
    money: Decimal | None
    history: list[HistoryOut]
    petitions: list[PetitionOut]
    task_force_members: list[str] = Field(description="专班成员")
    task_force_meetings: list[TaskForceMeetingOut] = Field(description="专班会议:安排、召开(纪要、出席)、取消")
    documents: list[DocumentOut] = Field(description="政策文件库中的依据文件(督查室内部文件仅督查室可见)")
    key_people: list[KeyPerson] | None = Field(
        None, description="关键人物:仅督查室、责任县领导和牵头单位主要负责人可见,否则为 null;每次读取都留痕"
    )


class ProblemPage(Schema):
    count: int
    page: int
    page_size: int
    results: list[ProblemRow]


class ProblemQuery(Schema):
    status: str = ""
    category: str = ""
    page: int = Field(1, ge=1, le=1_000_000)
    page_size: int = Field(50, ge=1, le=MAX_PAGE_SIZE)


class EscalateIn(Schema):
    reason: str = Field(..., min_length=1, max_length=2000)
    group: str = ""
    chair: str = ""
    members: str = ""
    token: str | None = Field(None, max_length=64, description="幂等键:同一键重复提交不会重复升级")


class EscalateOut(Schema):
    id: int
    level: int
    level_name: str
    level_due: date


class RiskRow(Schema):
    id: int
    title: str
    kind: str
    kind_label: str
    field: str
    likelihood: int
    impact: int
    score: int
    trend: list[int]
    rising: bool
    owner_unit: str
    next_review: date
    status: str


class RiskPage(Schema):
    count: int
    page: int
    page_size: int
    results: list[RiskRow]


class RiskQuery(Schema):
    kind: str = ""
    min_score: int = Field(0, ge=0, le=25)
    page: int = Field(1, ge=1, le=1_000_000)
    page_size: int = Field(50, ge=1, le=MAX_PAGE_SIZE)


def _row(problem: Problem, today: date) -> dict:
    return {
        "id": problem.pk, "title": problem.title, "category": problem.category, "status": problem.status,
        "status_label": problem.get_status_display(), "level": problem.level, "level_name": problem.level_name,
        "level_due": problem.level_due, "level_overdue": problem.level_overdue(today), "light": problem.light(today),
        "lead_unit": problem.lead_unit.name, "leader": problem.leader.name if problem.leader else None,
    }  # fmt: skip


@router.get("", response=ProblemPage, summary="遗留问题台账")
def problem_list(request, filters: Query[ProblemQuery]):
    problems = Problem.objects.visible_to(request.user).select_related("lead_unit", "leader").order_by("-id")
    if filters.status:
        problems = problems.filter(status=filters.status)
    if filters.category:
        problems = problems.filter(category=filters.category)
    start = (filters.page - 1) * filters.page_size
    today = timezone.localdate()
    return {
        "count": problems.count(), "page": filters.page, "page_size": filters.page_size,
        "results": [_row(problem, today) for problem in problems[start : start + filters.page_size]],
    }  # fmt: skip


def _get_problem(request, problem_id: int) -> Problem:
    problem = (
        Problem.objects.visible_to(request.user).select_related("lead_unit", "leader").filter(pk=problem_id).first()
    )
    if problem is None:
        raise Http404(NOT_FOUND)
    return problem


@router.get("/{problem_id}", response={200: ProblemDetail, 404: ErrorOut}, summary="遗留问题详情")
def problem_detail(request, problem_id: int):
    """关键人物 (`key_people`) 仅对督查室、责任县领导和牵头单位主要负责人返回,其他人为 null。"""
    problem = _get_problem(request, problem_id)
    allowed = problem.key_people_readers(request.user)
    people = services.key_people_read(problem=problem, by=request.user) if allowed else None
    return {
        **_row(problem, timezone.localdate()),
        "supporting": [unit.name for unit in problem.supporting.all()],
        "contradiction": problem.contradiction, "entry_point": problem.entry_point, "worst_case": problem.worst_case,
        "bottom_line": problem.bottom_line, "laws": problem.laws, "money": problem.money,
        "history": list(problem.history.all()), "petitions": list(problem.petitions.all()), "key_people": people,
        "documents": [_document(link) for link in linked_documents(problem, request.user)],
        "task_force_members": split_names(problem.task_force_members),
        "task_force_meetings": [
            {"day": m.day, "start": f"{m.start:%H:%M}" if m.start else None, "place": m.place, "topic": m.topic,
             "status": m.status, "status_label": m.get_status_display(), "attendees": m.attendees,
             "absent": m.absent, "minutes": m.minutes}
            for m in problem.task_force_meetings.all()
        ],
    }  # fmt: skip


def _document(link) -> dict:
    d = link.document
    return {"id": d.pk, "title": d.title, "number": d.number, "issuer": d.issuer, "issued_on": d.issued_on,
            "validity": d.validity, "article": link.article, "url": reverse("library:detail", args=[d.pk])}  # fmt: skip


@router.post(
    "/{problem_id}/escalate",
    response={200: EscalateOut, ERRORS: ErrorOut},
    summary="提交上一级处理",
    openapi_extra={
        "requestBody": {"required": True, "content": {"application/json": {"schema": EscalateIn.model_json_schema()}}}
    },
)
def problem_escalate(request, problem_id: int):
    """The body is read after the lookup, as the 督办 actions do, so that another unit's problem is a 404 first."""
    problem = _get_problem(request, problem_id)
    payload = _payload(request, EscalateIn)
    escalation = services.problem_escalate(
        problem=problem, reason=payload.reason, group=payload.group, chair=payload.chair, members=payload.members,
        by=request.user, token=payload.token,
    )  # fmt: skip
    return {
        "id": problem.pk,
        "level": escalation.level,
        "level_name": escalation.level_name,
        "level_due": escalation.due,
    }


@risks_router.get("", response=RiskPage, summary="风险清单(含风险值和趋势)")
def risk_list(request, filters: Query[RiskQuery]):
    """`trend` 为历次评估的风险值(由早到晚);`rising` 表示最近一次评估高于前一次。"""
    risks = Risk.objects.visible_to(request.user).select_related("owner_unit").order_by("-score", "id")
    if filters.kind:
        risks = risks.filter(kind=filters.kind)
    if filters.min_score:
        risks = risks.filter(score__gte=filters.min_score)
    start = (filters.page - 1) * filters.page_size
    page = list(risks[start : start + filters.page_size])
    trends = risk_trends(risk.pk for risk in page)
    results = []
    for risk in page:
        trend = trends.get(risk.pk, [])
        results.append({
            "id": risk.pk, "title": risk.title, "kind": risk.kind, "kind_label": risk.get_kind_display(),
            "field": risk.field, "likelihood": risk.likelihood, "impact": risk.impact, "score": risk.score,
            "trend": trend, "rising": len(trend) > 1 and trend[-1] > trend[-2], "owner_unit": risk.owner_unit.name,
            "next_review": risk.next_review, "status": risk.status,
        })  # fmt: skip
    return {"count": risks.count(), "page": filters.page, "page_size": filters.page_size, "results": results}
