"""A unit's annual plan from the Excel its office already keeps, previewed with errors by cell.

The sheet has a header row with 事项 (or 项目/工作任务), 指标, 计量单位, 年度目标 and the twelve
months 1月 … 12月 (cumulative targets; or milestone texts for an item without a number).
Nothing is written until the preview has no error (all or nothing, as the ledger import).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from luoshi.lib.sheets import Sheet, SheetError, cell_text, column_letter, read_workbook

from .cascade import ItemInput

NAME_HEADERS = ("事项", "项目", "工作任务", "重点工作", "计划事项")
_MONTH = re.compile(r"^\s*(\d{1,2})\s*月\s*(?:份)?\s*(?:累计)?\s*(?:目标)?\s*$")


@dataclass
class CellProblem:
    row: int  # as Excel numbers it, from 1
    column: str  # A, B, …
    message: str

    def __str__(self) -> str:
        if not self.row:  # the whole file: no header, or not readable
            return self.message
        return f"第{self.row}行 {self.column}列:{self.message}" if self.column else f"第{self.row}行:{self.message}"


@dataclass
class PlanPreview:
    sheet: str = ""
    items: list[ItemInput] = field(default_factory=list)
    rows: list[int] = field(default_factory=list)
    problems: list[CellProblem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return bool(self.items) and not self.problems


def _number(value) -> float | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool):
        raise ValueError
    if isinstance(value, int | float):
        return float(value)
    text = str(value).strip().replace(",", "").replace(",", "")
    return float(text)


def _find_header(sheet: Sheet) -> int | None:
    for index, row in enumerate(sheet.rows[:20]):
        texts = [cell_text(v) for v in row]
        if any(t in NAME_HEADERS for t in texts) and any("年度目标" in t or t == "目标" for t in texts):
            return index
    return None


def preview_plan(data: bytes) -> PlanPreview:
    preview = PlanPreview()
    try:
        sheets = read_workbook(data, max_cells=200_000)
    except SheetError as exc:
        preview.problems.append(CellProblem(0, "", str(exc)))
        return preview
    sheet = next((s for s in sheets if not s.hidden and _find_header(s) is not None), None)
    if sheet is None:
        preview.problems.append(
            CellProblem(0, "", "找不到表头:需要“事项”和“年度目标”两列,以及 1月 至 12月 各列。请对照导出的模板修改。")
        )
        return preview
    preview.sheet = sheet.name
    header = _find_header(sheet)
    columns: dict[str, int] = {}
    months: dict[int, int] = {}
    for col, value in enumerate(sheet.rows[header]):
        text = cell_text(value)
        if not text:
            continue
        if text in NAME_HEADERS:
            columns["name"] = col
        elif text == "指标":
            columns["indicator"] = col
        elif text in ("计量单位", "单位"):
            columns["measure"] = col
        elif "年度目标" in text or text == "目标":
            columns["target"] = col
        elif "月" in text:
            match = _MONTH.match(text)
            month = int(match.group(1)) if match else 0
            if not 1 <= month <= 12 or month in months:
                why = "重复" if month in months else "无法识别"
                preview.problems.append(
                    CellProblem(header + 1, column_letter(col), f"月份列“{text}”{why},应为 1月 至 12月 各一列。")
                )
                continue
            months[month] = col
    if months and len(months) != 12:
        missing = "、".join(f"{m}月" for m in range(1, 13) if m not in months)
        preview.problems.append(CellProblem(header + 1, "", f"缺少月份列:{missing}。"))
    for index in range(header + 1, len(sheet.rows)):
        row = sheet.rows[index]

        def at(col, row=row):
            return row[col] if col is not None and col < len(row) else None

        name = cell_text(at(columns.get("name")))
        if not name:
            continue
        line = index + 1
        problems: list[CellProblem] = []
        target = None
        target_col = columns.get("target")
        try:
            target = _number(at(target_col))
        except ValueError:
            problems.append(
                CellProblem(line, column_letter(target_col), f"年度目标“{cell_text(at(target_col))}”不是数字。")
            )
        values: dict[int, object] = {m: at(col) for m, col in months.items()}
        profile: list[float] | None = None
        milestones: list[str] = []
        filled = {m: v for m, v in values.items() if cell_text(v)}
        if target is not None and filled:
            numbers: list[float] = []
            for m in sorted(filled):
                try:
                    number = _number(values[m])
                except ValueError:
                    problems.append(
                        CellProblem(line, column_letter(months[m]), f"{m}月“{cell_text(values[m])}”不是数字。")
                    )
                    continue
                if number > target:
                    problems.append(
                        CellProblem(line, column_letter(months[m]), f"{m}月累计 {number:g} 超过年度目标 {target:g}。")
                    )
                if numbers and number < numbers[-1]:
                    problems.append(
                        CellProblem(
                            line,
                            column_letter(months[m]),
                            f"{m}月累计 {number:g} 小于此前月份 {numbers[-1]:g},应为累计数。",
                        )
                    )
                numbers.append(number)
            if len(months) == 12 and len(filled) != 12:
                empty = "、".join(f"{m}月" for m in range(1, 13) if m not in filled)
                problems.append(
                    CellProblem(line, "", f"逐月目标应 12 个月都填,或全部留空(按大头靠前自动分配);缺 {empty}。")
                )
            if len(filled) == 12 and len(numbers) == 12:
                profile = numbers
        elif target is None:
            milestones = [cell_text(values.get(m)) for m in range(1, 13)] if months else []
        if problems:
            preview.problems += problems
            continue
        preview.items.append(
            ItemInput(
                name=name[:200],
                indicator=cell_text(at(columns.get("indicator")))[:200],
                measure=cell_text(at(columns.get("measure")))[:20],
                target=target,
                profile=profile if profile and len(profile) == 12 else None,
                milestones=milestones,
            )
        )
        preview.rows.append(line)
    if not preview.items and not preview.problems:
        preview.problems.append(CellProblem(header + 2, "", "表头下没有任何事项。"))
    return preview


_YEAR = re.compile(r"^\s*(\d{4})\s*年?\s*(?:目标)?\s*$")


def preview_three_year(data: bytes, *, year: int) -> PlanPreview:
    """A three-year plan: 事项, 指标, 计量单位 and a target column for each year (2026年, 2027年目标…)."""
    preview = PlanPreview()
    try:
        sheets = read_workbook(data, max_cells=200_000)
    except SheetError as exc:
        preview.problems.append(CellProblem(0, "", str(exc)))
        return preview
    wanted = [year, year + 1, year + 2]
    for sheet in sheets:
        if sheet.hidden:
            continue
        for header, row in enumerate(sheet.rows[:20]):
            texts = [cell_text(v) for v in row]
            name_col = next((i for i, t in enumerate(texts) if t in NAME_HEADERS), None)
            years = {int(m.group(1)): i for i, t in enumerate(texts) if (m := _YEAR.match(t))}
            if name_col is None or not years:
                continue
            missing = [y for y in wanted if y not in years]
            if missing:
                preview.problems.append(
                    CellProblem(header + 1, "", "缺少年度目标列:" + "、".join(f"{y}年" for y in missing) + "。")
                )
                return preview
            indicator = next((i for i, t in enumerate(texts) if t == "指标"), None)
            measure = next((i for i, t in enumerate(texts) if t in ("计量单位", "单位")), None)
            for index in range(header + 1, len(sheet.rows)):
                cells = sheet.rows[index]

                def at(col, cells=cells):
                    return cells[col] if col is not None and col < len(cells) else None

                name = cell_text(at(name_col))
                if not name:
                    continue
                targets, bad = {}, False
                for y in wanted:
                    try:
                        value = _number(at(years[y]))
                    except ValueError:
                        preview.problems.append(
                            CellProblem(
                                index + 1, column_letter(years[y]), f"{y}年目标“{cell_text(at(years[y]))}”不是数字。"
                            )
                        )
                        bad = True
                        continue
                    if value is not None:
                        targets[str(y)] = value
                if not bad:
                    preview.items.append(
                        ItemInput(
                            name=name[:200],
                            indicator=cell_text(at(indicator))[:200],
                            measure=cell_text(at(measure))[:20],
                            targets=targets,
                        )
                    )
                    preview.rows.append(index + 1)
            if not preview.items and not preview.problems:
                preview.problems.append(CellProblem(header + 2, "", "表头下没有任何事项。"))
            return preview
    preview.problems.append(
        CellProblem(0, "", f"找不到表头:需要“事项”列和 {year}年、{year + 1}年、{year + 2}年 的目标列。")
    )
    return preview
