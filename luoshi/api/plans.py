"""The plans router: projects scheduled backward (倒排工期), and a unit's plans.

Every endpoint starts from `Project.objects.visible_to(request.user)` and calls the same
service as the page; a refusal (`ActionError`) becomes JSON with its Chinese message.
"""

from __future__ import annotations

from datetime import date
from typing import Literal

from django.http import Http404
from ninja import Field, Router, Schema, Status

from luoshi.lib.errors import ActionError
from luoshi.org.models import Unit
from luoshi.plans import cascade, projects
from luoshi.plans.models import Plan, PlanActual, Project

router = Router(tags=["计划与倒排工期"])

ERRORS = frozenset({400, 401, 403, 404, 409, 422})
PROJECT_NOT_FOUND = "项目不存在或无权查看。"
UNIT_NOT_FOUND = "单位不存在或无权查看。"

FIELD_LABELS = {
    "steps": "步骤",
    "dependencies": "依赖",
    "duration": "工期",
    "predecessor": "前置步骤",
    "successor": "后续步骤",
    "lag": "间隔",
    "type": "依赖类型",
    "weight": "权重",
}


class ErrorOut(Schema):
    detail: str


class StepIn(Schema):
    name: str = Field(..., max_length=100, description="步骤名称")
    unit: int | None = Field(None, description="责任单位编号;不填则为项目牵头单位")
    duration: int = Field(..., description="工期(工作日),应为正数")
    weight: float | None = Field(None, description="工作量权重;不填按工期计")


class DependencyIn(Schema):
    predecessor: int = Field(..., ge=1, description="前置步骤的序号(从 1 起,按 steps 的顺序)")
    successor: int = Field(..., ge=1, description="后续步骤的序号(从 1 起)")
    type: Literal["FS", "SS"] = Field("FS", description="FS:前置完成后开始;SS:前置开始后开始")
    lag: int = Field(0, description="间隔(工作日),可为负数(提前)")


class ProjectIn(Schema):
    name: str = Field(..., max_length=200)
    unit: int = Field(..., description="牵头单位编号")
    deadline: date = Field(..., description="完成时限")
    start: date | None = Field(None, description="计划开始日期,不填为今天")
    steps: list[StepIn] = Field(..., max_length=projects.MAX_STEPS)
    dependencies: list[DependencyIn] = Field(default_factory=list)
    token: str | None = Field(None, max_length=64, description="幂等键:同一键重复提交不会重复创建")


class StepOut(Schema):
    number: int
    name: str
    unit: str
    duration: int
    latest_start: date
    latest_finish: date
    earliest_start: date
    earliest_finish: date
    planned_start: date
    planned_finish: date
    slack: int = Field(..., description="机动时间(工作日):最晚开始 - 最早开始")
    critical: bool
    late: bool = Field(..., description="已过最晚开始日期仍未开始")
    actual_start: date | None
    actual_finish: date | None
    task: int | None


class ScheduleOut(Schema):
    id: int
    name: str
    unit: str
    start: date
    deadline: date
    front_load: bool
    earliest_finish: date
    buffer: int = Field(..., description="今天开始的最早完成日到完成时限之间的工作日数;负数为无法按期")
    required_buffer: int
    length: int = Field(..., description="总工期(工作日)")
    front_share: float = Field(..., description="前半程安排的工作量占比(0-1)")
    light: Literal["red", "yellow", "green"]
    warnings: list[str]
    steps: list[StepOut]


class ItemOut(Schema):
    order: int
    name: str
    indicator: str
    measure: str
    target: float | None = Field(None, description="年度目标(年度计划)")
    targets: dict[str, float] = Field(default_factory=dict, description="各年目标(三年行动计划)")
    profile: list[float] = Field(default_factory=list, description="逐月累计目标,12 个")
    milestones: list[str] = Field(default_factory=list)
    actuals: dict[int, float | None] = Field(default_factory=dict, description="各月累计完成")
    expected: float | None = Field(None, description="序时目标(截至上月底)")
    light: Literal["red", "yellow", "green", "none"] = "none"


class PlanOut(Schema):
    id: int
    horizon: Literal["three_year", "annual"]
    year: int
    version: int
    title: str
    items: list[ItemOut]


class UnitPlansOut(Schema):
    unit: int
    name: str
    plans: list[PlanOut]
    projects: list[ScheduleOut]


def _schedule(plan: projects.ProjectPlan) -> dict:
    project = plan.project
    return {
        "id": project.pk,
        "name": project.name,
        "unit": project.unit.name,
        "start": project.start,
        "deadline": project.deadline,
        "front_load": project.front_load,
        "earliest_finish": plan.earliest_finish,
        "buffer": plan.buffer,
        "required_buffer": plan.schedule.required_buffer,
        "length": plan.schedule.length,
        "front_share": round(plan.schedule.front_share, 4),
        "light": plan.light,
        "warnings": plan.schedule.warnings,
        "steps": [
            {
                "number": i,
                "name": row.step.name,
                "unit": (row.step.unit or project.unit).name,
                "duration": row.step.duration,
                "latest_start": row.latest_start,
                "latest_finish": row.latest_finish,
                "earliest_start": row.earliest_start,
                "earliest_finish": row.earliest_finish,
                "planned_start": row.planned_start,
                "planned_finish": row.planned_finish,
                "slack": row.slack,
                "critical": row.critical,
                "late": row.late,
                "actual_start": row.actual_start,
                "actual_finish": row.actual_finish,
                "task": row.step.task_id,
            }
            for i, row in enumerate(plan.rows, start=1)
        ],
    }


def _unit(unit_id: int, what: str) -> Unit:
    unit = Unit.objects.active().filter(pk=unit_id).first()
    if unit is None:
        raise ActionError(f"{what}:找不到编号为 {unit_id} 的启用单位。")
    return unit


@router.post("/projects", response={201: ScheduleOut, ERRORS: ErrorOut}, summary="创建重点项目并倒排工期(督查室)")
def project_create(request, payload: ProjectIn):
    steps = [
        projects.StepInput(
            name=step.name,
            duration=step.duration,
            weight=step.weight,
            unit=_unit(step.unit, f"第{i}个步骤的责任单位") if step.unit else None,
        )
        for i, step in enumerate(payload.steps, start=1)
    ]
    links = [
        projects.LinkInput(pred=dep.predecessor - 1, succ=dep.successor - 1, kind=dep.type, lag=dep.lag)
        for dep in payload.dependencies
    ]
    unit = _unit(payload.unit, "牵头单位")
    for step in steps:
        step.unit = step.unit or unit
    project, _ = projects.project_create(
        name=payload.name, unit=unit, deadline=payload.deadline, start=payload.start, steps=steps, links=links,
        by=request.user, token=payload.token and f"api:{request.user.pk}:{payload.token}",
    )  # fmt: skip
    return Status(201, _schedule(projects.project_plan(project)))


@router.get("/projects/{project_id}/schedule", response={200: ScheduleOut, ERRORS: ErrorOut}, summary="项目的倒排工期")
def project_schedule(request, project_id: int):
    project = Project.objects.visible_to(request.user).select_related("unit").filter(pk=project_id).first()
    if project is None:
        raise Http404(PROJECT_NOT_FOUND)
    return _schedule(projects.project_plan(project))


@router.get("/units/{unit_id}/plans", response={200: UnitPlansOut, ERRORS: ErrorOut}, summary="单位的计划与项目")
def unit_plans(request, unit_id: int):
    unit = cascade.unit_for_user(request.user, unit_id)
    items = Project.objects.visible_to(request.user).filter(unit=unit).select_related("unit")
    return {
        "unit": unit.pk,
        "name": unit.name,
        "plans": [_plan(plan) for plan in cascade.latest_plans(unit)],
        "projects": [_schedule(projects.project_plan(p)) for p in items],
    }


def _plan(plan: Plan) -> dict:
    progress = {p.item.pk: p for p in cascade.annual_progress(plan)} if plan.horizon == Plan.Horizon.ANNUAL else {}
    actuals: dict[int, dict[int, float | None]] = {}
    for item_id, month, value in PlanActual.objects.filter(item__plan=plan).values_list("item_id", "month", "value"):
        actuals.setdefault(item_id, {})[month] = value
    return {
        "id": plan.pk, "horizon": plan.horizon, "year": plan.year, "version": plan.version, "title": plan.title,
        "items": [
            {
                "order": item.order, "name": item.name, "indicator": item.indicator, "measure": item.measure,
                "target": item.target, "targets": item.targets, "profile": item.profile,
                "milestones": item.milestones, "actuals": actuals.get(item.pk, {}),
                "expected": progress[item.pk].expected if item.pk in progress else None,
                "light": progress[item.pk].light if item.pk in progress else "none",
            }
            for item in plan.items.all()
        ],
    }  # fmt: skip
