"""A project out: the Gantt's data for the page, the .xlsx the office files, the .tjp for TaskJuggler."""

from __future__ import annotations

from openpyxl import Workbook

from luoshi.lib import workdays
from luoshi.lib.xlsx import LIGHT_FILLS, write_table, xlsx_response

from . import tjp
from .models import Project
from .projects import ProjectPlan


def _d(day) -> str:
    return f"{day:%Y-%m-%d}" if day else ""


def gantt_data(plan: ProjectPlan) -> dict:
    """What static/plans/gantt.js draws: one bar per step (planned), its latest window, today, deadline, buffer."""
    return {
        "today": _d(plan.today),
        "deadline": _d(plan.project.deadline),
        "finish": _d(plan.earliest_finish),
        "start": _d(plan.window_start),
        "steps": [
            {
                "name": row.step.name,
                "start": _d(row.planned_start),
                "end": _d(row.planned_finish),
                "latest_start": _d(row.latest_start),
                "latest_end": _d(row.latest_finish),
                "actual_start": _d(row.actual_start),
                "actual_end": _d(row.actual_finish),
                "critical": row.critical,
                "late": row.late,
                "done": bool(row.actual_finish),
            }
            for row in plan.rows
        ],
    }


def _row(i: int, row, project: Project) -> list:
    return [
        i, row.step.name, (row.step.unit or project.unit).name, row.step.duration,
        _d(row.latest_start), _d(row.latest_finish), _d(row.earliest_start), _d(row.earliest_finish),
        row.slack, "是" if row.critical else "", _d(row.actual_start), _d(row.actual_finish),
        "逾期未开始" if row.late else row.status,
    ]  # fmt: skip


def project_xlsx(plan: ProjectPlan):
    project = plan.project
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "倒排工期"
    headers = [
        "序号", "步骤", "责任单位", "工期(工作日)", "最晚开始", "最晚完成", "最早开始", "最早完成",
        "机动(工作日)", "关键路径", "实际开始", "实际完成", "状态",
    ]  # fmt: skip
    rows = [_row(i, row, project) for i, row in enumerate(plan.rows, start=1)]
    title = (
        f"{project.name} 倒排工期表(完成时限 {project.deadline:%Y年%-m月%-d日},"
        f"余量 {plan.buffer} 个工作日,前半程工作量 {plan.front_percent}%)"
    )
    write_table(
        sheet, title=title, headers=headers, rows=rows, widths=[6, 18, 22, 10, 12, 12, 12, 12, 10, 8, 12, 12, 12]
    )
    for i, row in enumerate(plan.rows, start=3):
        if row.late:
            sheet.cell(row=i, column=13).fill = LIGHT_FILLS["red"]
        elif row.actual_finish:
            sheet.cell(row=i, column=13).fill = LIGHT_FILLS["green"]
    return xlsx_response(workbook, f"倒排工期-{project.name}.xlsx")


def project_tjp(project: Project) -> str:
    """The project for TaskJuggler, as late as possible when every link is finish-to-start, else as early as possible.

    Holidays become vacations; tj3 has no working Saturday (调休), so those are left out.
    """
    steps = list(project.steps.order_by("order"))
    position = {step.pk: i for i, step in enumerate(steps)}
    deps = [(position[link.pred_id], position[link.succ_id], link.kind, link.lag) for link in project.links.all()]
    alap = not project.front_load and all(kind == "FS" for _, _, kind, _ in deps)
    return tjp.to_tjp(
        title=project.name, names=[step.name for step in steps], durations=[step.duration for step in steps],
        deps=deps, start=project.start, deadline=project.deadline, holidays=workdays.calendar().holidays,
        alap=alap, report="steps",
    )  # fmt: skip


def plan_xlsx(plan, progress) -> object:
    """An annual plan as the office's own table: the import's columns, and 序时进度 with its light."""
    from .models import Plan

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "年度计划" if plan.horizon == Plan.Horizon.ANNUAL else "三年行动计划"
    if plan.horizon == Plan.Horizon.ANNUAL:
        months = [f"{m}月" for m in range(1, 13)]
        headers = ["序号", "事项", "指标", "计量单位", "年度目标", *months, "序时目标", "累计完成", "灯色"]
        by_item = {p.item.pk: p for p in progress}
        rows = []
        for item in plan.items.all():
            cells = item.profile if item.profile else (item.milestones + [""] * 12)[:12]
            p = by_item.get(item.pk)
            light = p.light_label if p and p.light != "none" else ""
            rows.append(
                [
                    item.order,
                    item.name,
                    item.indicator,
                    item.measure,
                    item.target,
                    *cells,
                    p.expected if p else None,
                    p.actual if p else None,
                    light,
                ]
            )
        widths = [6, 28, 18, 8, 10, *([8] * 12), 10, 10, 8]
    else:
        headers = ["序号", "事项", "指标", "计量单位", *[f"{y}年目标" for y in plan.years]]
        rows = [
            [item.order, item.name, item.indicator, item.measure, *[item.targets.get(str(y)) for y in plan.years]]
            for item in plan.items.all()
        ]
        widths = [6, 28, 18, 8, 12, 12, 12]
    write_table(sheet, title=f"{plan.title}(第{plan.version}版)", headers=headers, rows=rows, widths=widths)
    if plan.horizon == Plan.Horizon.ANNUAL:
        fills = {"红灯": "red", "黄灯": "yellow", "绿灯": "green"}
        for i, row in enumerate(rows, start=3):
            if row[-1] in fills:
                sheet.cell(row=i, column=len(headers)).fill = LIGHT_FILLS[fills[row[-1]]]
    return xlsx_response(workbook, f"{plan.title}.xlsx")
