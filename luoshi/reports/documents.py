"""The reports as files: Word documents through `lib/officedoc`, the circular's table through `lib/xlsx`,
and the chart of lights by unit as a PNG drawn with matplotlib in a CJK font."""

from __future__ import annotations

import logging
from datetime import date
from io import BytesIO

from django.conf import settings
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import PatternFill

from luoshi.lib.officedoc import OfficeDoc, cn_punct, official_date
from luoshi.lib.xlsx import Percent, write_table

from .models import NUMERALS, Brief, Circular, MeetingPack, Notice
from .selectors import percent

logger = logging.getLogger(__name__)

OFFICE_NAME = "县人民政府督查室"
# Families tried in turn for Chinese text in charts; Debian's fonts-noto-cjk provides the first.
CJK_FAMILIES = ["Noto Sans CJK SC", "Noto Serif CJK SC", "WenQuanYi Zen Hei", "Source Han Sans SC", "SimHei"]
CHART_UNITS = 12
LIGHT_COLOURS = {"red": "#d9342b", "yellow": "#f2b100", "green": "#2e9d48"}


def office_name() -> str:
    county = getattr(settings, "LUOSHI_COUNTY_NAME", "")
    return f"{county}人民政府督查室" if county else OFFICE_NAME


def _cn_date(value: str | date) -> str:
    return official_date(value)


def unit_full_name(unit) -> str:
    """The name a unit signs with (落款): the county's name in front, 示范县财政局, not 财政局."""
    county = getattr(settings, "LUOSHI_COUNTY_NAME", "")
    name = unit.name
    if not county or name.startswith(county):
        return name
    name = county + (name[1:] if name.startswith("县") else name)
    if unit.kind == unit.Kind.TOWNSHIP and name.endswith(("镇", "乡")):
        name += "人民政府"
    return name


# --- The brief ----------------------------------------------------------------------


def brief_docx(brief: Brief) -> bytes:
    """The brief as an official document: the situation, the options with 利弊, the recommendation."""
    doc = OfficeDoc(title=f"关于{brief.subject}的汇报" if not brief.subject.startswith("关于") else brief.subject)
    leader = brief.leader
    if leader:
        doc.paragraph(f"{leader.title}{leader.name}:", indent=False)
    doc.heading("上级要求", 1)
    doc.paragraph(brief.requirements or "(未填写)")
    doc.heading("本县情况", 1)
    doc.paragraph(brief.situation or "(未填写)")
    doc.heading("兄弟县情况", 1)
    doc.paragraph(brief.peers or "(未填写)")
    doc.heading("方案比选", 1)
    for option in brief.options.all():
        mark = "(推荐方案)" if option.position == brief.recommended else ""
        doc.heading(f"方案{NUMERALS[option.position - 1]}:{option.title}{mark}", 2)
        doc.paragraph(f"利:{option.pros}")
        doc.paragraph(f"弊:{option.cons}")
    doc.heading("请示事项", 1)
    recommended = brief.option(brief.recommended)
    if recommended:
        doc.paragraph(f"经综合比较,{brief.unit.display_name}建议采用方案{NUMERALS[recommended.position - 1]}。")
    doc.paragraph(brief.question or "(未填写)")
    doc.paragraph("妥否,请批示。")
    if brief.status == Brief.Status.DECIDED:
        doc.heading("领导决定", 1)
        doc.paragraph(
            f"{brief.decided_by}于{_cn_date(timezone.localdate(brief.decided_at))}决定采用方案{NUMERALS[brief.chosen - 1]}。"
            + (f"意见:{brief.decision_note}" if brief.decision_note else "")
        )
    doc.signature(unit_full_name(brief.unit), timezone.localdate(brief.submitted_at or brief.updated_at))
    return doc.to_bytes()


# --- The meeting pack --------------------------------------------------------------


def chart_font_path(families: list[str] = CJK_FAMILIES) -> str | None:
    """The file of the first CJK family matplotlib finds on this machine, or None (the chart would draw boxes)."""
    from matplotlib import font_manager

    for family in families:
        try:
            return font_manager.findfont(font_manager.FontProperties(family=family), fallback_to_default=False)
        except ValueError:
            continue
    return None


def missing_glyphs(text: str, font_path: str | None = None) -> set[str]:
    """The characters of `text` that the chart's font cannot draw (every non-ASCII one when there is no font)."""
    from matplotlib.ft2font import FT2Font

    path = font_path or chart_font_path()
    wanted = {c for c in text if not c.isspace()}
    if path is None:
        return {c for c in wanted if ord(c) > 127}
    covered = FT2Font(path).get_charmap()
    return {c for c in wanted if ord(c) not in covered}


def chart_labels(rows: list[dict], limit: int) -> list[str]:
    return [row["unit"] for row in rows] + [
        "红灯",
        "黄灯",
        "绿灯",
        "事项数",
        "无在办督办事项",
        cn_punct(f"各单位督办事项红黄绿灯情况(红灯最多的前{limit}个单位)"),
    ]


def lights_chart_png(by_unit: list[dict], *, limit: int = CHART_UNITS) -> bytes:
    """A horizontal stacked bar of red, yellow and green tasks for the units with the most red.

    Empty when the machine's fonts cannot draw every label: a chart of boxes is never frozen into a pack.
    """
    missing = missing_glyphs("".join(chart_labels(by_unit[:limit], limit)))
    if missing:
        logger.error(
            "服务器缺少能显示这些文字的中文字体,未生成图表:%s(请安装 fonts-noto-cjk)", "".join(sorted(missing))
        )
        return b""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.figure import Figure

    rows = by_unit[:limit][::-1]
    height = max(2.4, 0.26 * len(rows) + 1.1)
    longest = max((len(row["unit"]) for row in rows), default=4)
    figure = Figure(figsize=(8, height), dpi=150)
    # Margins set by hand rather than by tight_layout, which draws the whole figure once more.
    figure.subplots_adjust(left=min(0.4, 0.05 + 0.022 * longest), right=0.97, top=1 - 0.5 / height, bottom=0.8 / height)
    axes = figure.subplots()
    with matplotlib.rc_context({"font.family": "sans-serif", "font.sans-serif": [*CJK_FAMILIES, "DejaVu Sans"]}):
        names = [row["unit"] for row in rows]
        left = [0] * len(rows)
        for light, label in (("red", "红灯"), ("yellow", "黄灯"), ("green", "绿灯")):
            values = [row[light] for row in rows]
            axes.barh(names, values, left=left, color=LIGHT_COLOURS[light], label=label, height=0.6)
            left = [a + b for a, b in zip(left, values, strict=True)]
        if not rows:
            axes.text(0.5, 0.5, "无在办督办事项", ha="center", va="center", transform=axes.transAxes, fontsize=12)
            axes.set_yticks([])
        axes.tick_params(axis="both", labelsize=11)
        axes.set_xlabel("事项数")
        axes.set_title(chart_labels([], limit)[-1], fontsize=13)
        axes.legend(loc="lower right", frameon=False, ncols=3)
        axes.spines[["top", "right"]].set_visible(False)
        axes.xaxis.get_major_locator().set_params(integer=True)
        buffer = BytesIO()
        figure.savefig(buffer, format="png", facecolor="white")
    return buffer.getvalue()


def pack_docx(pack: MeetingPack) -> bytes:
    s = pack.snapshot
    doc = OfficeDoc(title=pack.title, subtitle=f"(截至{_cn_date(s['as_of'])})")
    if s["empty"]:
        doc.paragraph(f"截至{_cn_date(s['as_of'])},全县没有在办的督办事项,也没有待决定的申请和汇报。本期无材料。")
        if "rank_alerts" in s:
            _pack_stance_sections(doc, s)
        doc.signature(office_name(), timezone.localdate(pack.issued_at))
        return doc.to_bytes()
    counts = s["counts"]
    doc.heading("总体情况", 1)
    # Packs issued before the live set have no 无灯 or 结转 counts.
    done = (
        f"另有本年已办结{counts['none']}项(无灯),合计{counts['total']}项;在办事项含往年结转{counts['carried']}项。"
        if "none" in counts
        else ""
    )
    doc.paragraph(
        f"截至{_cn_date(s['as_of'])},全县在办督办事项{counts['total'] - counts.get('none', 0)}项,"
        f"其中红灯{counts['red']}项、黄灯{counts['yellow']}项、绿灯{counts['green']}项。{done}"
    )
    if s["leaders"]:
        doc.table(
            ["县领导", "红灯", "黄灯", "绿灯", "合计"],
            [[f"{r['title']} {r['name']}", r["red"], r["yellow"], r["green"], r["total"]] for r in s["leaders"]],
            widths_cm=[6.0, 2.4, 2.4, 2.4, 2.4],
        )
    if s["by_unit"]:
        chart = bytes(pack.chart) if pack.chart else lights_chart_png(s["by_unit"])
        if chart:
            doc.picture(chart, width_cm=14.5)
        else:
            doc.paragraph("(服务器缺少中文字体,本期未附各单位红黄绿灯图表。)")
    doc.heading("红灯事项", 1)
    if s["red"]:
        doc.table(
            ["序号", "事项", "牵头单位", "完成时限", "亮灯原因", "最近进展", "存在问题"],
            [
                [i, r["title"], r["unit"], r["deadline"], r["why"],
                 (f"{r['report_on']}:{r['done']}" if r["report_on"] else "未反馈"), r["problems"] or "—"]
                for i, r in enumerate(s["red"], start=1)
            ],
            widths_cm=[1.2, 3.2, 1.9, 2.3, 2.0, 2.9, 2.1],
            font_pt=10.5,
        )  # fmt: skip
    else:
        doc.paragraph("无红灯事项。")
    doc.heading("待决定事项", 1)
    waiting = [
        *[["延期申请", r["title"], r["unit"], r["asked"], f"{r['what']}。{r['reason']}"] for r in s["extensions"]],
        *[["办结申请", r["title"], r["unit"], r["asked"], r["reason"]] for r in s["closures"]],
        *[["汇报请示", r["subject"], r["unit"], r["asked"], f"呈{r['leader']}决定"] for r in s["briefs"]],
    ]
    if waiting:
        doc.table(
            ["类别", "事项", "单位", "提出日期", "内容"], waiting, widths_cm=[2.0, 4.2, 2.2, 2.2, 5.0], font_pt=10.5
        )
    else:
        doc.paragraph("无待决定事项。")
    doc.heading(f"今后{s['due_soon_days']}天内到期事项", 1)
    if s["due_soon"]:
        doc.table(
            ["序号", "事项", "牵头单位", "完成时限", "进度"],
            [[i, r["title"], r["unit"], r["deadline"], f"{r['percent']}%" if r["percent"] is not None else "—"]
             for i, r in enumerate(s["due_soon"], start=1)],
            widths_cm=[1.2, 7.6, 2.6, 2.4, 1.8],
            font_pt=10.5,
        )  # fmt: skip
    else:
        doc.paragraph("无。")
    doc.heading("未按期反馈的单位", 1)
    if s["silent"]:
        doc.paragraph("、".join(f"{r['unit']}({r['tasks']}项)" for r in s["silent"]) + "。")
    else:
        doc.paragraph("各单位均已按期反馈。")
    if "rank_alerts" in s:  # packs issued before these sections have none
        _pack_stance_sections(doc, s)
    doc.signature(office_name(), timezone.localdate(pack.issued_at))
    return doc.to_bytes()


def _pack_stance_sections(doc: OfficeDoc, s: dict) -> None:
    doc.heading("争先进位", 1)
    if s["rank_alerts"]:
        doc.table(
            ["指标", "全市位次", "目标", "状态", "差距"],
            [[a["name"], f"第{a['rank']}名/{a['n']}", a["rule_label"], a["status_label"], a["gap_text"]]
             for a in s["rank_alerts"]],
            widths_cm=[4.4, 2.4, 2.2, 1.8, 4.8],
            font_pt=10.5,
        )  # fmt: skip
    else:
        doc.paragraph("各项指标均达到目标。")
    doc.heading("待升级的遗留问题", 1)
    if s["overdue_problems"]:
        doc.table(
            ["序号", "问题", "牵头单位", "当前层级", "本级时限"],
            [[i, r["title"], r["unit"], r["level"], r["level_due"]] for i, r in enumerate(s["overdue_problems"], 1)],
            widths_cm=[1.2, 6.6, 2.8, 2.6, 2.4],
            font_pt=10.5,
        )
    else:
        doc.paragraph("没有超过本级时限待升级的遗留问题。")
    doc.heading("重大风险", 1)
    if s["risks"]:
        doc.paragraph(
            ";".join(f"{r['title']}({r['kind']},{r['unit']},风险值{r['score']}{',上升' if r['rising'] else ''})"
                     for r in s["risks"]) + "。"
        )  # fmt: skip
    else:
        doc.paragraph("无达到通报分值的风险。")
    if "plan_progress" in s:  # packs issued before these two sections have neither
        _pack_plan_sections(doc, s)


def _pack_plan_sections(doc: OfficeDoc, s: dict) -> None:
    progress = s["plan_progress"]
    doc.heading("年度目标序时进度", 1)
    doc.paragraph(progress["note"])
    if progress["units"]:
        doc.table(
            ["单位", "红灯", "黄灯", "绿灯", "落后最多的事项"],
            [[r["unit"], r["red"], r["yellow"], r["green"],
              ";".join(f"{p['name']}:序时{p['expected']},实际{p['actual']},落后{p['gap']}个百分点"
                       for p in r["behind"]) or "均达到序时进度"]
             for r in progress["units"]],
            widths_cm=[3.0, 1.4, 1.4, 1.4, 8.4],
            font_pt=10.5,
        )  # fmt: skip
    doc.heading("还本付息预警", 1)
    if s["debt_warnings"]:
        doc.table(
            ["到期日", "剩余天数", "债务(债权人)", "应还(万元)", "当月已入库", "缺口"],
            [[w["due"], w["days"], f"{w['loan']}({w['creditor']})", w["amount"], w["collected"], w["gap"]]
             for w in s["debt_warnings"]],
            widths_cm=[2.4, 1.8, 5.2, 2.2, 2.2, 1.8],
            font_pt=10.5,
        )  # fmt: skip
    else:
        doc.paragraph("近期到期的还本付息均有当月入库收入覆盖。")


# --- The circular -------------------------------------------------------------------

CIRCULAR_HEADERS = ["名次", "单位", "交办", "办结", "办结率", "按期办结", "按期率", "逾期", "逾期反馈", "被催办"]


def circular_rows(group: dict, rate=percent) -> list[list]:
    """The table's rows; `rate` writes a rate (text 91.7% in Word, a number formatted as percent in Excel)."""
    return [
        [r["rank"], r["unit"], r["assigned"], r["done"], rate(r["done_rate"]), r["on_time"],
         rate(r["on_time_rate"]), r["overdue"], r["reports_late"], r["urges"]]
        for r in group["rows"]
    ]  # fmt: skip


def _excel_rate(value: float | None):
    return "—" if value is None else Percent(value)


def circular_docx(circular: Circular) -> bytes:
    s = circular.snapshot
    doc = OfficeDoc(title=circular.title)
    doc.paragraph("各乡镇(街道)、县直各单位:", indent=False)
    doc.paragraph(circular.intro)
    totals = s["totals"]
    doc.heading("总体情况", 1)
    if s["empty"]:
        doc.paragraph(f"{circular.period_label}没有交办的督办事项。")
    else:
        doc.paragraph(
            f"{circular.period_label},全县{totals['units']}个单位共办理督办事项{totals['assigned']}项,"
            f"办结{totals['done']}项,办结率{percent(totals['done_rate'])};按期办结{totals['on_time']}项,"
            f"按期率{percent(totals['on_time_rate'])};逾期未办结{totals['overdue']}项,"
            f"逾期反馈{totals['reports_late']}次,催办{totals['urges']}次。"
        )
    doc.heading("各单位办理情况", 1)
    if s.get("formula"):
        doc.paragraph(f"排名方法:{s['formula']}")
    for group in s["groups"]:
        doc.heading(f"{group['label']}", 2)
        if group["rows"]:
            doc.table(
                CIRCULAR_HEADERS,
                circular_rows(group),
                widths_cm=[1.1, 3.3, 1.2, 1.2, 1.6, 1.5, 1.6, 1.2, 1.5, 1.4],
                font_pt=10.5,
            )
        else:
            doc.paragraph(f"本期没有交办事项达到{s['min_tasks']}项的单位,不作排名。")
        if group["well"]:
            doc.paragraph(f"表现较好的单位:{'、'.join(group['well'])}。")
        if group["lagging"]:
            doc.paragraph(f"{'需要加力' if s.get('formula') else '推进滞后'}的单位:{'、'.join(group['lagging'])}。")
        if group["unranked"]:
            names = "、".join(r["unit"] for r in group["unranked"])
            doc.paragraph(f"交办事项不足{s['min_tasks']}项、未参与排名的单位:{names}。")
    if circular.closing:
        doc.heading("下一步要求", 1)
        doc.paragraph(circular.closing)
    doc.signature(office_name(), timezone.localdate(circular.issued_at or circular.created_at), seal=True)
    return doc.to_bytes()


def circular_workbook(circular: Circular) -> Workbook:
    """The circular's table, one sheet per group, as an office's own ledger."""
    s = circular.snapshot
    workbook = Workbook()
    workbook.remove(workbook.active)
    groups = s["groups"] or [{"label": "通报", "rows": [], "unranked": []}]
    for group in groups:
        ws = workbook.create_sheet(group["label"][:31])
        rows = circular_rows(group, rate=_excel_rate) + [
            ["未排名", r["unit"], r["assigned"], r["done"], _excel_rate(r["done_rate"]), r["on_time"],
             _excel_rate(r["on_time_rate"]), r["overdue"], r["reports_late"], r["urges"]]
            for r in group["unranked"]
        ]  # fmt: skip
        write_table(
            ws,
            title=f"{circular.title}({group['label']})",
            headers=CIRCULAR_HEADERS,
            rows=rows,
            widths=[8, 24, 8, 8, 10, 10, 10, 8, 10, 8],
        )
        lagging = set(group.get("lagging", []))
        well = set(group.get("well", []))
        for row_index in range(3, 3 + len(rows)):
            name = ws.cell(row=row_index, column=2).value
            colour = "FDE2E0" if name in lagging else "DCF3E0" if name in well else None
            if colour:
                ws.cell(row=row_index, column=2).fill = PatternFill("solid", fgColor=colour)
    return workbook


# --- Notices ---------------------------------------------------------------------------


def _quoted(title: str) -> str:
    """“title”, a quotation inside it in single quotes: “村庄清洁行动‘三清一改’”."""
    return "“" + title.replace("“", "‘").replace("”", "’").replace('"', "") + "”"


def notices_docx(notices: list[Notice]) -> bytes:
    """Each notice a section of its own (a new page, page numbers from 1), signed for the office's seal."""
    first = notices[0]
    doc = OfficeDoc(title=first.get_kind_display(), doc_number=first.number_label)
    for index, notice in enumerate(notices):
        if index:
            doc.new_section()
            doc.title_block(notice.get_kind_display(), doc_number=notice.number_label)
        doc.paragraph(f"{notice.unit.name}:", indent=False)
        if notice.kind == Notice.Kind.URGE:
            doc.paragraph(f"你单位牵头承办的{_quoted(notice.title)}{notice.overdue or '尚未按要求办结。'}现予催办。")
        else:
            doc.paragraph(f"现将{_quoted(notice.title)}交由你单位牵头办理,请按要求抓好落实。")
        rows = [
            ["事项名称", notice.title],
            ["具体要求", notice.requirement or "—"],
            ["任务来源", notice.source or "—"],
            ["完成时限", notice.deadline or "—"],
        ]
        if notice.kind == Notice.Kind.URGE:
            rows.append(["逾期情况", notice.overdue or "—"])
        rows.append(["办理要求", notice.message or "请于收到本通知单后3个工作日内将办理情况书面反馈县政府督查室。"])
        doc.table(["项目", "内容"], rows, widths_cm=[3.2, 12.4], font_pt=14)
        doc.signature(office_name(), timezone.localdate(notice.created_at), seal=True)
    return doc.to_bytes()
