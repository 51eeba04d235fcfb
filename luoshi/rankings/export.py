"""The ranking table as an office's .xlsx, and a 通报-style .docx of our county's positions (lib/officedoc)."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from openpyxl import Workbook

from luoshi.lib.officedoc import OfficeDoc
from luoshi.lib.xlsx import LIGHT_FILLS, write_table

from .models import Indicator
from .selectors import Standing, num

HEADERS = ["序号", "类别", "指标", "计量单位", "期别", "本县绝对值", "本县增速(%)", "全市位次", "目标", "状态",
           "与上一名差距", "与目标线差距", "责任单位", "分管县领导"]  # fmt: skip
WIDTHS = [6, 10, 24, 9, 14, 12, 12, 10, 10, 8, 34, 40, 16, 10]
_FILLS = {"broken": "red", "at_risk": "yellow", "met": "green"}


def _row(index: int, s: Standing) -> list:
    ours = s.ours
    ind = s.indicator
    return [
        index, ind.get_category_display(), ind.name, ind.measure, s.period_label,
        num(ours.value) if ours else "—", num(ours.growth) if ours else "—",
        f"{s.rank}/{s.n}" if s.rank else "—", ind.rule_label, s.status_label, s.gap_above_text,
        s.gap_threshold_text, ind.responsible_unit.display_name if ind.responsible_unit else "",
        ind.leader.name if ind.leader else "",
    ]  # fmt: skip


def ranking_workbook(standings: list[Standing], today: date) -> Workbook:
    wb = Workbook()
    ws = wb.active
    ws.title = "全市位次"
    title = f"{settings.LUOSHI_COUNTY_NAME}主要指标全市位次表(截至{today:%Y年%m月%d日})"
    write_table(ws, title=title, headers=HEADERS, rows=[_row(i, s) for i, s in enumerate(standings, 1)], widths=WIDTHS)
    status_column = HEADERS.index("状态") + 1
    for offset, s in enumerate(standings):
        light = _FILLS.get(s.status)
        if light:
            ws.cell(row=offset + 3, column=status_column).fill = LIGHT_FILLS[light]
    return wb


def ranking_docx(standings: list[Standing], today: date) -> bytes:
    county = settings.LUOSHI_COUNTY_NAME
    doc = OfficeDoc(title=f"关于{county}主要指标在全市位次情况的通报")
    broken = [s for s in standings if s.status == "broken"]
    at_risk = [s for s in standings if s.status == "at_risk"]
    ranked = [s for s in standings if s.rank]
    doc.paragraph(
        f"截至{today.year}年{today.month}月{today.day}日,我县纳入全市排名的{len(standings)}项指标中,"
        f"有数据的{len(ranked)}项,达到目标{sum(1 for s in ranked if s.status == 'met')}项,"
        f"处于临界{len(at_risk)}项,未达到目标{len(broken)}项。现将有关情况通报如下。"
    )
    doc.heading("未达到目标的指标", 1)
    if broken:
        for s in broken:
            doc.paragraph(f"{s.indicator.name}({s.period_label}):全市第{s.rank}名,目标“{s.indicator.rule_label}”,"
                          f"{s.gap_above_text};{s.gap_threshold_text}。")  # fmt: skip
    else:
        doc.paragraph("无。")
    doc.heading("处于临界的指标", 1)
    if at_risk:
        for s in at_risk:
            doc.paragraph(f"{s.indicator.name}({s.period_label}):全市第{s.rank}名,再退一位即未达到目标“"
                          f"{s.indicator.rule_label}”;{s.gap_threshold_text}。")  # fmt: skip
    else:
        doc.paragraph("无。")
    doc.heading("各项指标位次", 1)
    for category, label in Indicator.Category.choices:
        rows = [s for s in standings if s.indicator.category == category]
        if not rows:
            continue
        doc.heading(label, 2)
        doc.table(["指标", "期别", "位次", "目标", "状态"],
                  [[s.indicator.name, s.period_label, f"{s.rank}/{s.n}" if s.rank else "—", s.indicator.rule_label,
                    s.status_label] for s in rows],
                  widths_cm=[5.6, 3.4, 1.9, 2.3, 2.2])  # fmt: skip
    doc.heading("工作要求", 1)
    doc.paragraph("各责任单位要对照目标查找差距,盯紧排名靠前的县(市、区),逐月分析,确保保三争一、不进后三。"
                  "未达到目标的指标,责任单位于5个工作日内向分管县领导报告原因和措施。")  # fmt: skip
    doc.signature(f"{county}人民政府督查室", today)
    return doc.to_bytes()
