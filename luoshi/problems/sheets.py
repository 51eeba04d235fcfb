"""The problem ledger in and out of Excel: read with lib/sheets, preview with errors by cell, write with lib/xlsx."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.conf import settings
from openpyxl import Workbook

from luoshi.lib.sheets import SheetError, cell_text, column_letter, read_workbook
from luoshi.lib.text import split_names
from luoshi.lib.xlsx import write_table
from luoshi.org.models import Leader
from luoshi.org.services import UnitDirectory, leader_resolve, unit_resolve

from .models import CATEGORIES
from .services import ProblemInput

# Column header → field; the export writes the same headers, so an exported ledger imports back.
COLUMNS = [
    ("问题名称", "title", 30), ("类别", "category", 10), ("牵头单位", "lead_unit", 16), ("配合单位", "supporting", 18),
    ("责任县领导", "leader", 10), ("主要矛盾", "contradiction", 30), ("切入点", "entry_point", 24),
    ("最坏情况", "worst_case", 20), ("底线", "bottom_line", 20), ("法律政策依据", "laws", 20),
    ("涉及金额(万元)", "money", 12), ("专班成员", "task_force_members", 24),
]  # fmt: skip
EXPORT_EXTRA = [("处理层级", 14), ("本级时限", 12), ("状态", 10), ("依据文件", 30), ("专班会议", 20)]
REQUIRED = {"title", "lead_unit"}


@dataclass
class Preview:
    rows: list[dict] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors and bool(self.rows)


def read_ledger(fileobj) -> Preview:
    """Find the header row, read every row, and name each bad cell as 第N行「列」 with what to fix."""
    preview = Preview()
    try:
        sheets = read_workbook(fileobj, max_cells=settings.LUOSHI_MAX_SPREADSHEET_CELLS)
    except SheetError as error:
        preview.errors.append(str(error))
        return preview
    known = {header: key for header, key, _ in COLUMNS}
    for sheet in sheets:
        for index, row in enumerate(sheet.rows[:10]):
            mapping = {known[cell_text(value)]: col for col, value in enumerate(row) if cell_text(value) in known}
            if set(mapping) >= REQUIRED:
                _read_rows(sheet.rows[index + 1 :], index + 2, mapping, preview)
                if not preview.rows and not preview.errors:
                    preview.errors.append("表格里没有遗留问题(表头下面是空的)。")
                return preview
    preview.errors.append("找不到表头:表格须有“问题名称”和“牵头单位”两列(可先导出台账作为模板)。")
    return preview


def _read_rows(rows, first_number, mapping, preview: Preview) -> None:
    directory = UnitDirectory.load()
    letters = {key: column_letter(col) for key, col in mapping.items()}
    headers = {key: header for header, key, _ in COLUMNS}
    for offset, values in enumerate(rows):
        number = first_number + offset
        cells = {key: cell_text(values[col]) if col < len(values) else "" for key, col in mapping.items()}
        if not any(cells.values()):
            continue

        def bad(key, message, number=number):
            preview.errors.append(f"第{number}行「{headers[key]}」({letters[key]}{number}):{message}")

        if not cells.get("title"):
            bad("title", "问题名称不能为空。")
        category = cells.get("category") or "其他"
        if category not in CATEGORIES:
            bad("category", f"“{category}”不是可选类别,请填:{'、'.join(CATEGORIES)}。")
        lead = unit_resolve(cells.get("lead_unit", ""), directory=directory)
        if len(lead.units) != 1:
            hint = "、".join(unit.name for unit in lead.suggestions[:3])
            bad(
                "lead_unit", f"未找到单位“{lead.mention}”" + (f",是否是:{hint}?" if hint else ",请填写单位全称或简称。")
            )
        supporting = []
        for name in split_names(cells.get("supporting", "")):
            found = unit_resolve(name, directory=directory)
            if not found.units:
                hint = "、".join(unit.name for unit in found.suggestions[:3])
                bad("supporting", f"未找到单位“{name}”" + (f",是否是:{hint}?" if hint else "。"))
            supporting += [unit.pk for unit in found.units]
        leader = None
        if cells.get("leader"):
            leader = leader_resolve(cells["leader"])
            if leader is None:
                bad("leader", f"未找到县领导“{cells['leader']}”,请填写姓名或职务。")
        money = None
        if cells.get("money"):
            try:
                money = str(Decimal(cells["money"].replace(",", "")))
            except InvalidOperation:
                bad("money", f"“{cells['money']}”不是数字,请只填金额(万元)。")
        preview.rows.append({
            "number": number, "title": cells.get("title", "")[:200], "category": category,
            "lead_unit": lead.units[0].pk if len(lead.units) == 1 else None,
            "lead_name": lead.units[0].name if len(lead.units) == 1 else lead.mention,
            "supporting": supporting, "leader": leader.pk if leader else None,
            **{key: cells.get(key, "") for key in ("contradiction", "entry_point", "worst_case", "bottom_line", "laws")},
            "task_force_members": "、".join(split_names(cells.get("task_force_members", ""))),
            "money": money,
        })  # fmt: skip


def inputs(rows: list[dict]) -> list[ProblemInput]:
    from luoshi.org.models import Unit

    units = Unit.objects.in_bulk({row["lead_unit"] for row in rows} | {pk for row in rows for pk in row["supporting"]})
    leaders = Leader.objects.in_bulk({row["leader"] for row in rows if row["leader"]})
    return [
        ProblemInput(
            title=row["title"],
            category=row["category"],
            lead_unit=units[row["lead_unit"]],
            supporting=[units[pk] for pk in row["supporting"]],
            leader=leaders.get(row["leader"]),
            contradiction=row["contradiction"],
            entry_point=row["entry_point"],
            worst_case=row["worst_case"],
            bottom_line=row["bottom_line"],
            laws=row["laws"],
            money=Decimal(row["money"]) if row["money"] else None,
            task_force_members=row.get("task_force_members", ""),
        )
        for row in rows
    ]


def _task_force_summary(meetings) -> str:
    held = [m for m in meetings if m.status == "held"]
    planned = [m for m in meetings if m.status == "planned"]
    parts = [f"已召开 {len(held)} 次"] if held else []
    if planned:
        parts.append(f"下次 {planned[0].day:%Y-%m-%d}")
    return ";".join(parts)


def ledger_workbook(problems, *, title: str, documents: dict[int, list[str]] | None = None) -> Workbook:
    """The ledger; `documents` gives each problem's 依据 the reader may see (problem id → names), else none."""
    workbook = Workbook()
    ws = workbook.active
    ws.title = "遗留问题台账"
    documents = documents or {}
    rows = []
    for problem in problems:
        rows.append([
            problem.title, problem.category, problem.lead_unit.name,
            "、".join(unit.name for unit in problem.supporting.all()), problem.leader.name if problem.leader else "",
            problem.contradiction, problem.entry_point, problem.worst_case, problem.bottom_line, problem.laws,
            float(problem.money) if problem.money is not None else "", problem.task_force_members, problem.level_name,
            problem.level_due.isoformat() if problem.level_due else "", problem.get_status_display(),
            ";".join(documents.get(problem.pk, [])), _task_force_summary(problem.task_force_meetings.all()),
        ])  # fmt: skip
    write_table(
        ws, title=title, headers=[header for header, _, _ in COLUMNS] + [header for header, _ in EXPORT_EXTRA],
        rows=rows, widths=[width for _, _, width in COLUMNS] + [width for _, width in EXPORT_EXTRA],
    )  # fmt: skip
    return workbook
