"""Helpers shared by the reports tests."""

from datetime import date

from luoshi.reports import services
from luoshi.reports.services import BriefInput, OptionInput
from luoshi.work import services as work_services


def brief_input(**fields) -> BriefInput:
    values = {
        "subject": "城区老旧小区改造资金筹措",
        "requirements": "省住建厅要求2026年底前完成2000年前建成小区改造。",
        "situation": "我县纳入计划的小区42个,已开工12个,资金缺口约8000万元。",
        "peers": "甲县通过专项债解决,乙县引入社会资本。",
        "question": "请领导决定资金筹措方式。",
        "options": [
            OptionInput("申请专项债券", "成本低、期限长", "额度有限、审批周期长"),
            OptionInput("引入社会资本", "到位快", "需让渡部分经营收益"),
        ],
        "recommended": 1,
    }
    values.update(fields)
    return BriefInput(**values)


def submitted_brief(personas, **fields):
    return services.brief_save(by=personas.liaison, data=brief_input(**fields), submit=True)


def task(personas, title="推进财政数字化改革", lead=None, deadline=date(2026, 6, 30), **fields):
    spec = work_services.TaskSpec(title=title, lead=lead or personas.finance, deadline=deadline, **fields)
    return work_services.task_create(spec=spec, by=personas.office)
