"""Word documents of the library, through lib/officedoc: a unit's fact sheet (情况一口清) and a 调研报告."""

from __future__ import annotations

from django.conf import settings
from django.utils import timezone

from luoshi.lib import workdays
from luoshi.lib.officedoc import OfficeDoc
from luoshi.org.models import Unit

from .models import FieldVisit, KeyFigure

LIGHT_LABELS = {"red": "红灯", "yellow": "黄灯", "green": "绿灯", "": "—"}


def fact_sheet_docx(unit: Unit) -> bytes:
    """One page for a leader's visit: the unit's key figures, the year's tasks with lights, its main problems."""
    from luoshi.problems.models import Problem
    from luoshi.work.models import Task

    today = timezone.localdate()
    doc = OfficeDoc(title=f"{unit.name}情况一口清")
    doc.heading("一、主要数据", 1)
    figures = KeyFigure.objects.filter(owner=unit)
    if figures:
        doc.table(
            ["名称", "数值", "时期", "来源"],
            [[f.name, f.display_value, f.period, f.source] for f in figures],
            widths_cm=[5.0, 3.4, 3.4, 3.8],
        )
    else:
        doc.paragraph("暂无一口清数据。")
    doc.heading(f"二、{today.year}年重点工作", 1)
    tasks = (
        Task.objects.filter(lead_unit=unit, year=today.year)
        .exclude(status="cancelled")
        .with_light(workdays.thresholds(today))
        .order_by("deadline", "id")[:15]
    )
    if tasks:
        doc.table(
            ["事项", "完成时限", "状态"],
            [
                [
                    t.title,
                    t.deadline.strftime("%Y-%m-%d") if t.deadline else "长期",
                    LIGHT_LABELS.get(t.light, "") or t.get_status_display(),
                ]
                for t in tasks
            ],
            widths_cm=[9.6, 3.0, 3.0],
        )
    else:
        doc.paragraph("本年度暂无牵头事项。")
    doc.heading("三、主要问题", 1)
    problems = Problem.objects.filter(lead_unit=unit).exclude(status__in=Problem.CLOSED)[:5]
    for number, problem in enumerate(problems, start=1):
        doc.paragraph(f"{number}.{problem.title}")
    if not problems:
        doc.paragraph("暂无未化解的遗留问题。")
    doc.signature(unit.name, today)
    return doc.to_bytes()


def visit_report_docx(visit: FieldVisit) -> bytes:
    """调研报告: purpose, places, findings by place, proposals."""
    county = getattr(settings, "LUOSHI_COUNTY_NAME", "") or ""
    doc = OfficeDoc(title=f"关于{visit.title}的调研报告")
    doc.heading("一、调研目的", 1)
    doc.paragraph(visit.purpose or "—")
    if visit.document_id:
        doc.paragraph(
            f"检查落实的政策:{visit.document.title}{'(' + visit.document.number + ')' if visit.document.number else ''}。"
        )
    doc.heading("二、调研地点和人员", 1)
    when = f"{visit.visit_on.year}年{visit.visit_on.month}月{visit.visit_on.day}日," if visit.visit_on else ""
    doc.paragraph(f"{when}{visit.members or '调研组'}到{'、'.join(visit.place_list)}进行了调研。")
    findings = list(visit.findings.all())
    doc.heading("三、发现的问题", 1)
    places = [p for p in visit.place_list if any(f.place == p and f.kind == "finding" for f in findings)]
    for number, place in enumerate(places, start=1):
        doc.heading(f"({'一二三四五六七八九十'[number - 1] if number <= 10 else number}){place}", 2)
        for finding in findings:
            if finding.place == place and finding.kind == "finding":
                doc.paragraph(finding.text + (f"({finding.figures})" if finding.figures else ""))
    if not places:
        doc.paragraph("暂未记录发现的问题。")
    doc.heading("四、意见建议", 1)
    proposals = [f for f in findings if f.kind == "proposal"]
    for number, finding in enumerate(proposals, start=1):
        doc.paragraph(f"{number}.{finding.text}")
    if not proposals:
        doc.paragraph("暂无。")
    doc.signature(
        visit.unit.name if visit.unit_id else f"{county}人民政府办公室", visit.visit_on or timezone.localdate()
    )
    return doc.to_bytes()
