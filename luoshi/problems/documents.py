"""The 议定事项 of a 三重一大 decision as a 会议纪要-style .docx, through lib/officedoc."""

from __future__ import annotations

from django.conf import settings

from luoshi.lib.officedoc import OfficeDoc

from .models import CollectiveDecision


def decision_docx(decision: CollectiveDecision) -> bytes:
    county = getattr(settings, "LUOSHI_COUNTY_NAME", "") or ""
    doc = OfficeDoc(title=f"{decision.meeting}纪要", subtitle=f"(关于{decision.problem.title})")
    doc.paragraph(
        f"{decision.day.year}年{decision.day.month}月{decision.day.day}日,召开{decision.meeting},"
        f"按照“三重一大”集体决策程序,研究{decision.get_category_display()}事项:{decision.matter}"
        + (f"(涉及金额{decision.amount}万元)" if decision.amount else "")
        + "。现将会议议定事项纪要如下:"
    )
    if decision.corrects_id:
        doc.paragraph(
            f"本纪要更正{decision.corrects.day.year}年{decision.corrects.day.month}月{decision.corrects.day.day}日"
            f"{decision.corrects.meeting}的议定事项,更正理由:{decision.correction_reason}。"
        )
    doc.heading("议定事项", 1)
    for line in [line.strip() for line in decision.resolution.splitlines() if line.strip()]:
        doc.paragraph(line)
    doc.heading("表决情况", 1)
    if decision.consensus:
        doc.paragraph("出席人员一致同意。")
    else:
        doc.paragraph(
            f"赞成{decision.votes_for or 0}票,反对{decision.votes_against or 0}票,弃权{decision.votes_abstain or 0}票。"
        )
    if decision.dissent:
        doc.heading("不同意见", 1)
        for item in decision.dissent:
            doc.paragraph(f"{item['name']}:{item['opinion'] or '不同意'}")
    tasks = list(decision.tasks.select_related("lead_unit").order_by("id"))
    if tasks:
        doc.heading("交办事项", 1)
        for task in tasks:
            deadline = (
                f",{task.deadline.year}年{task.deadline.month}月{task.deadline.day}日前完成" if task.deadline else ""
            )
            doc.paragraph(f"{task.title}(牵头单位:{task.lead_unit.name if task.lead_unit else '—'}{deadline})")
    doc.paragraph(f"出席:{'、'.join(decision.attendees)}", indent=False)
    if decision.absent:
        doc.paragraph(f"缺席:{'、'.join(decision.absent)}", indent=False)
    doc.signature(f"{county}人民政府办公室" if county else "县人民政府办公室", decision.day)
    return doc.to_bytes()
