"""Projects scheduled backward (倒排工期): the workflows that write them, and their schedule as read.

The workflows (`project_create`, `project_from_template`, `project_set_front_load`,
`project_make_tasks`) are keyword-only, run in one transaction and write the project's
timeline (`ProjectEvent`). `project_plan` reads a project with its steps' actual dates,
taken from the reports on their tasks, and schedules it on the working-day calendar.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Min, Q
from django.urls import reverse
from django.utils import timezone

from luoshi.lib import workdays
from luoshi.lib.errors import ActionError
from luoshi.org.models import Unit, User
from luoshi.work.models import ProgressReport, Task
from luoshi.work.services import TaskSpec, task_create_many
from luoshi.work.steps import _claim_token, _require_office

from . import scheduling
from .models import ChainTemplate, LinkKind, Project, ProjectEvent, ProjectLink, ProjectStep, TemplateLink, TemplateStep

MAX_STEPS = 500


@dataclass
class StepInput:
    name: str
    duration: int
    unit: Unit | None = None
    weight: float | None = None


@dataclass
class LinkInput:
    """A dependency between two steps, by their position in the list (0-based)."""

    pred: int
    succ: int
    kind: str = LinkKind.FS
    lag: int = 0


def _run(
    durations, deps, *, start: date, deadline: date, today: date, names, weights=None, front_load=False, **actual
) -> scheduling.Schedule:
    return scheduling.schedule(
        durations=durations, deps=deps, cal=workdays.calendar(), start=start, deadline=deadline, today=today,
        names=names, weights=weights, front_load=front_load,
        min_buffer_days=settings.LUOSHI_PLAN_MIN_BUFFER_DAYS,
        min_buffer_percent=settings.LUOSHI_PLAN_MIN_BUFFER_PERCENT,
        front_warning_percent=settings.LUOSHI_PLAN_FRONT_WARNING_PERCENT,
        **actual,
    )  # fmt: skip


def _check(name: str, unit: Unit | None, deadline: date | None, start: date, steps, links, today: date) -> None:
    if not name.strip():
        raise ActionError("请填写项目名称。")
    if unit is None:
        raise ActionError("请选择牵头单位。")
    if deadline is None:
        raise ActionError("请填写完成时限。")
    if deadline < today:
        raise ActionError(f"完成时限 {deadline:%Y-%m-%d} 早于今天,新项目的完成时限应在今天或以后。")
    if deadline < start:
        raise ActionError(f"完成时限 {deadline:%Y-%m-%d} 早于计划开始日期 {start:%Y-%m-%d}。")
    if not steps:
        raise ActionError("项目至少要有一个步骤。")
    if len(steps) > MAX_STEPS:
        raise ActionError(f"一个项目最多 {MAX_STEPS} 个步骤。")
    for i, step in enumerate(steps, start=1):
        if not step.name.strip():
            raise ActionError(f"第{i}个步骤:请填写步骤名称。")
        if len(step.name) > 100:
            raise ActionError(f"第{i}个步骤:名称不能超过100字。")
    for i, link in enumerate(links, start=1):
        for end in (link.pred, link.succ):
            if not 0 <= end < len(steps):
                raise ActionError(f"第{i}条依赖:步骤序号 {end + 1} 不存在(共 {len(steps)} 个步骤)。")
        if link.kind not in LinkKind.values:
            raise ActionError(f"第{i}条依赖:类型应为 FS(完成-开始)或 SS(开始-开始)。")


def project_create(
    *,
    name: str,
    unit: Unit | None,
    deadline: date | None,
    steps: Sequence[StepInput],
    links: Sequence[LinkInput],
    by: User,
    start: date | None = None,
    template: ChainTemplate | None = None,
    token: str | None = None,
) -> tuple[Project, scheduling.Schedule]:
    """A project with its steps and links, scheduled at once. An unattainable deadline is accepted, with warnings.

    1. check the input (a deadline before today is refused);
    2. schedule it (a cycle, a duration ≤ 0 or a lead before the start is refused);
    3. write the project, its steps and links, and the 创建项目 entry, in one transaction.
    """
    _require_office(by)
    today = timezone.localdate()
    start = start or today
    _check(name, unit, deadline, start, steps, links, today)
    result = _run(
        [s.duration for s in steps], [(link.pred, link.succ, link.kind, link.lag) for link in links],
        start=start, deadline=deadline, today=today, names=[s.name for s in steps],
    )  # fmt: skip
    with transaction.atomic():
        _claim_token(token, by)
        project = Project.objects.create(
            name=name.strip(), unit=unit, template=template, start=start, deadline=deadline, created_by=by
        )
        rows = ProjectStep.objects.bulk_create(
            ProjectStep(
                project=project, order=i, name=s.name.strip(), duration=s.duration, weight=s.weight, unit=s.unit
            )
            for i, s in enumerate(steps)
        )
        ProjectLink.objects.bulk_create(
            ProjectLink(project=project, pred=rows[link.pred], succ=rows[link.succ], kind=link.kind, lag=link.lag)
            for link in links
        )
        ProjectEvent.objects.create(
            project=project, action=ProjectEvent.Action.CREATE, actor=by,
            after={"name": project.name, "deadline": f"{deadline:%Y-%m-%d}", "steps": len(rows)},
        )  # fmt: skip
    return project, result


def template_inputs(template: ChainTemplate) -> tuple[list[StepInput], list[LinkInput]]:
    steps = list(template.steps.select_related("unit").order_by("order"))
    position = {step.pk: i for i, step in enumerate(steps)}
    links = [
        LinkInput(pred=position[link.pred_id], succ=position[link.succ_id], kind=link.kind, lag=link.lag)
        for link in template.links.all()
    ]
    return [StepInput(name=s.name, duration=s.duration, unit=s.unit, weight=s.weight) for s in steps], links


def project_from_template(
    *,
    template: ChainTemplate,
    name: str,
    unit: Unit | None,
    deadline: date | None,
    by: User,
    start: date | None = None,
    token: str | None = None,
) -> tuple[Project, scheduling.Schedule]:
    """A project made from a chain template: its steps, durations and links, copied."""
    steps, links = template_inputs(template)
    for step in steps:
        step.unit = step.unit or unit
    return project_create(
        name=name, unit=unit, deadline=deadline, steps=steps, links=links, by=by, start=start, template=template,
        token=token,
    )  # fmt: skip


def project_set_front_load(*, project: Project, front_load: bool, by: User) -> Project:
    """Switch between as late as possible (倒排) and front-loaded (大头靠前), recorded."""
    _require_office(by)
    with transaction.atomic():
        project = Project.objects.select_for_update().get(pk=project.pk)
        if project.front_load != front_load:
            before = project.front_load
            project.front_load = front_load
            project.save(update_fields=["front_load"])
            ProjectEvent.objects.create(
                project=project, action=ProjectEvent.Action.FRONT_LOAD, actor=by,
                before={"front_load": "是" if before else "否"}, after={"front_load": "是" if front_load else "否"},
            )  # fmt: skip
    return project


# ---- Reading: the schedule with actual dates -------------------------------------------------


@dataclass
class StepRow:
    step: ProjectStep
    latest_start: date
    latest_finish: date
    earliest_start: date
    earliest_finish: date
    planned_start: date
    planned_finish: date
    slack: int
    critical: bool
    late: bool
    actual_start: date | None
    actual_finish: date | None
    task: Task | None

    @property
    def status(self) -> str:
        if self.actual_finish:
            return "已完成"
        if self.actual_start:
            return "进行中"
        return "未开始"


@dataclass
class ProjectPlan:
    project: Project
    schedule: scheduling.Schedule
    rows: list[StepRow]
    today: date
    links: list[ProjectLink] = field(default_factory=list)

    @property
    def buffer(self) -> int:
        return self.schedule.buffer

    @property
    def earliest_finish(self) -> date:
        return self.schedule.end_date(max(self.schedule.ef))

    @property
    def front_percent(self) -> int:
        return round(self.schedule.front_share * 100)

    @property
    def front_low(self) -> bool:
        return self.schedule.front_share * 100 < settings.LUOSHI_PLAN_FRONT_WARNING_PERCENT

    @property
    def light(self) -> str:
        if not self.schedule.attainable or any(row.late for row in self.rows):
            return "red"
        if self.schedule.missing_buffer or self.front_low:
            return "yellow"
        return "green"

    @property
    def light_label(self) -> str:
        return {"red": "红灯", "yellow": "黄灯", "green": "绿灯"}[self.light]

    @property
    def window_start(self) -> date:
        return min(self.project.start, *(row.planned_start for row in self.rows))


def _actual_dates(tasks: list[Task]) -> tuple[dict[int, date], dict[int, date]]:
    """{task id: first report's date} and {task id: the date it was done}, from the reports and closures.

    A report at 100% counts as finished on its day, even before the office closes the task.
    A step reported done at its first report started its duration earlier (the scheduler counts back).
    """
    ids = [task.pk for task in tasks]
    started: dict[int, date] = {}
    finished: dict[int, date] = {}
    tz = timezone.get_current_timezone()
    for task_id, first in (
        ProgressReport.objects.filter(task_id__in=ids).values_list("task_id").annotate(first=Min("created_at"))
    ):
        started[task_id] = first.astimezone(tz).date()
    for task_id, first in (
        ProgressReport.objects.filter(task_id__in=ids, percent__gte=100)
        .values_list("task_id")
        .annotate(first=Min("created_at"))
    ):
        finished[task_id] = first.astimezone(tz).date()
    for task in tasks:
        if task.status == Task.Status.DONE and task.done_on:
            finished[task.pk] = min(finished.get(task.pk, task.done_on), task.done_on)
        # Done with no earlier report: the start is unknown, and the scheduler counts back the duration.
        if task.pk in finished and started.get(task.pk, finished[task.pk]) >= finished[task.pk]:
            started.pop(task.pk, None)
    return started, finished


def project_plan(project: Project, *, today: date | None = None) -> ProjectPlan:
    """The project scheduled today: latest and earliest dates, slack, the critical path, lights."""
    today = today or timezone.localdate()
    steps = list(project.steps.select_related("unit", "task").order_by("order"))
    links = list(project.links.all())
    position = {step.pk: i for i, step in enumerate(steps)}
    tasks = [step.task for step in steps if step.task_id]
    started, finished = _actual_dates(tasks)
    actual_start = {i: started[s.task_id] for i, s in enumerate(steps) if s.task_id in started}
    actual_finish = {i: finished[s.task_id] for i, s in enumerate(steps) if s.task_id in finished}
    weights = [s.weight for s in steps] if any(s.weight for s in steps) else None
    if weights:
        weights = [w if w is not None else s.duration for w, s in zip(weights, steps, strict=True)]
    result = _run(
        [s.duration for s in steps],
        [(position[link.pred_id], position[link.succ_id], link.kind, link.lag) for link in links],
        start=project.start, deadline=project.deadline, today=today, names=[s.name for s in steps],
        weights=weights, front_load=project.front_load, actual_start=actual_start, actual_finish=actual_finish,
    )  # fmt: skip
    rows = [
        StepRow(
            step=step,
            latest_start=result.start_date(result.ls[i]),
            latest_finish=result.end_date(result.lf[i]),
            earliest_start=result.start_date(result.es[i]),
            earliest_finish=result.end_date(result.ef[i]),
            planned_start=result.start_date(result.planned_start[i]),
            planned_finish=result.end_date(result.planned_end[i]),
            slack=result.slack[i],
            critical=result.critical[i],
            late=result.late[i],
            actual_start=actual_start.get(i) or (result.start_date(result.es[i]) if i in actual_finish else None),
            actual_finish=actual_finish.get(i),
            task=step.task,
        )
        for i, step in enumerate(steps)
    ]
    return ProjectPlan(project=project, schedule=result, rows=rows, today=today, links=links)


# ---- Steps become tasks ---------------------------------------------------------------------


def project_make_tasks(*, project: Project, by: User, token: str | None = None) -> list[Task]:
    """Turn every step without a task into a 督办事项 for its unit, through `task_create_many`.

    The task's deadline is the step's planned finish (never before today); its milestones are
    the step's planned start and finish. The link is kept on the step.
    """
    _require_office(by)
    plan = project_plan(project)
    today = plan.today
    todo = [row for row in plan.rows if row.step.task_id is None]
    if not todo:
        raise ActionError("各步骤都已生成督办事项,没有重复生成。", status=409)
    specs = []
    for row in todo:
        deadline = max(row.planned_finish, today)
        start = row.planned_start
        milestones = [(f"{row.step.name}开始", start)] if start <= deadline else []
        specs.append(
            TaskSpec(
                title=f"{project.name}:{row.step.name}",
                lead=row.step.unit or project.unit,
                requirements=(
                    f"倒排工期:{row.step.name},工期 {row.step.duration} 个工作日,"
                    f"最晚 {row.latest_start:%Y年%-m月%-d日} 开始、{row.latest_finish:%Y年%-m月%-d日} 完成;"
                    f"项目完成时限 {project.deadline:%Y年%-m月%-d日}。"
                ),
                category="重点项目",
                source_title=project.name,
                deadline=deadline,
                milestones=milestones,
            )
        )
    with transaction.atomic():
        locked = Project.objects.select_for_update().get(pk=project.pk)
        if ProjectStep.objects.filter(pk__in=[row.step.pk for row in todo], task__isnull=False).exists():
            raise ActionError("各步骤已经生成过督办事项,没有重复生成。", status=409)
        tasks = task_create_many(specs=specs, by=by, token=token)
        for row, task in zip(todo, tasks, strict=True):
            row.step.task = task
        ProjectStep.objects.bulk_update([row.step for row in todo], ["task"])
        ProjectEvent.objects.create(
            project=locked, action=ProjectEvent.Action.TASKS, actor=by, after={"tasks": len(tasks)}
        )
    return tasks


# ---- Chain templates the office edits -----------------------------------------------------------


def template_update(
    *, template: ChainTemplate, durations: dict[int, int], lags: dict[int, int], by: User
) -> ChainTemplate:
    """New durations (by step id) and lags (by link id) for a template; projects made earlier keep theirs."""
    _require_office(by)
    steps = {step.pk: step for step in template.steps.all()}
    links = {link.pk: link for link in template.links.select_related("pred", "succ")}
    for pk, days in durations.items():
        if pk not in steps:
            raise ActionError("步骤不属于这个模板。")
        if days <= 0:
            raise ActionError(f"步骤“{steps[pk].name}”的工期应为正数(工作日),现为 {days}。")
    for pk in lags:
        if pk not in links:
            raise ActionError("依赖不属于这个模板。")
    # The chain must still schedule: a lead may not reach before its start.
    order = list(steps)
    scheduling.schedule(
        durations=[durations.get(pk, steps[pk].duration) for pk in order],
        deps=[
            (order.index(link.pred_id), order.index(link.succ_id), link.kind, lags.get(pk, link.lag))
            for pk, link in links.items()
        ],
        cal=workdays.calendar(), start=timezone.localdate(), deadline=timezone.localdate(),
        names=[steps[pk].name for pk in order],
    )  # fmt: skip
    with transaction.atomic():
        for pk, days in durations.items():
            steps[pk].duration = days
        for pk, lag in lags.items():
            links[pk].lag = lag
        TemplateStep.objects.bulk_update(list(steps.values()), ["duration"])
        TemplateLink.objects.bulk_update(list(links.values()), ["lag"])
    return template


# ---- The iCal feeds: each project's dates as scheduled ------------------------------------------


def calendar_dates(unit_ids: list[int] | None, *, today: date | None = None) -> list[tuple[str, date, str, str]]:
    """(uid, day, summary, path) for the iCal feeds: each unfinished step's latest start and finish, and the deadline.

    `unit_ids` None means every project (the office, the principal leader); otherwise the projects a unit
    leads or has a step in. Dates are as scheduled today, so a feed follows a project as it moves.
    """
    today = today or timezone.localdate()
    projects = Project.objects.filter(deadline__gte=today - timedelta(days=30)).select_related("unit")
    if unit_ids is not None:
        projects = projects.filter(
            Q(unit_id__in=unit_ids) | Q(pk__in=ProjectStep.objects.filter(unit_id__in=unit_ids).values("project_id"))
        )
    dates = []
    for project in projects.order_by("deadline", "id")[:200]:
        path = reverse("plans:project", args=[project.pk])
        dates.append((f"project-{project.pk}-deadline", project.deadline, f"【项目完成时限】{project.name}", path))
        for row in project_plan(project, today=today).rows:
            if row.actual_finish or (unit_ids is not None and project.unit_id not in unit_ids
                                     and row.step.unit_id not in unit_ids):  # fmt: skip
                continue
            name = f"{project.name}:{row.step.name}"
            if not row.actual_start:
                dates.append((f"step-{row.step.pk}-start", row.latest_start, f"【倒排工期·最迟开始】{name}", path))
            dates.append((f"step-{row.step.pk}-finish", row.latest_finish, f"【倒排工期·最迟完成】{name}", path))
    return dates
