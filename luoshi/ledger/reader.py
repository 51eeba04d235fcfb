"""Finding the table in a 任务分解表 as offices lay it out, and guessing what each column holds.

Title rows and a date line above the header; a header on any row, over one or
two rows (责任主体 over 牵头单位 and 配合单位); merged cells (a category over
many rows, a leader over several); blank rows, a 合计 row and footnotes below
the data; several sheets, of which one holds the table.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from luoshi.lib.sheets import Sheet, cell_text, column_letter
from luoshi.lib.text import normalize

# field → (label, the header names offices use). The first name is how Luoshi's own ledger writes it.
FIELDS: dict[str, tuple[str, tuple[str, ...]]] = {
    "seq": ("序号", ("序号", "编号", "序", "No", "NO")),
    "category": ("类别", ("类别", "分类", "板块", "领域", "任务类别", "工作类别", "项目类别", "所在部分")),
    "title": (
        "工作任务",
        (
            "工作任务",
            "任务内容",
            "重点任务",
            "目标任务",
            "议定事项",
            "工作事项",
            "任务名称",
            "事项名称",
            "督办事项",
            "工作内容",
            "主要任务",
            "具体任务",
            "事项",
        ),
    ),
    "requirements": (
        "具体措施",
        ("具体措施", "工作措施", "目标要求", "工作要求", "具体要求", "主要措施", "工作目标", "推进措施", "任务要求"),
    ),
    "leader": (
        "责任县领导",
        (
            "责任县领导",
            "责任领导",
            "牵头领导",
            "牵头县领导",
            "分管领导",
            "分管县领导",
            "县级领导",
            "包抓领导",
            "联系县领导",
            "责任县级领导",
        ),
    ),
    "lead": (
        "牵头单位",
        ("牵头单位", "责任单位", "主要责任单位", "牵头部门", "责任部门", "主责单位", "牵头责任单位", "承办单位"),
    ),
    "supporting": (
        "配合单位",
        ("配合单位", "协同单位", "协办单位", "配合部门", "参与单位", "协助单位", "责任配合单位"),
    ),
    "deadline": (
        "完成时限",
        ("完成时限", "时间节点", "完成时间", "时限要求", "办结时限", "完成期限", "时限", "时间要求", "办结时间"),
    ),
    # The feedback cadence in a column of its own (Luoshi's export), read together with 完成时限.
    "cadence": ("反馈周期", ("反馈周期", "反馈频次", "报送频次", "反馈要求", "报送要求")),
    "progress": ("进展情况", ("进展情况", "完成情况", "工作进展", "推进情况", "落实情况", "进展")),
    "problems": ("存在问题", ("存在问题", "存在的问题", "困难问题", "问题", "困难和问题")),
    "next_steps": ("下一步打算", ("下一步打算", "下一步工作", "下步打算", "下一步计划", "下一步工作打算")),
    "note": ("备注", ("备注", "说明")),
    "task_id": ("系统编号", ("系统编号",)),
    "version": ("反馈版本", ("反馈版本",)),  # the report the ledger showed, for the three-way comparison
}
# Columns Luoshi's own ledger writes that an import reads past.
IGNORED = {"状态", "灯色", "反馈时间", "最近反馈", "完成进度", "完成进度(%)", "督办状态", "原文摘录"}
REQUIRED = ("title", "lead")
PROGRESS_FIELDS = ("progress", "problems", "next_steps")

_LOOKUP = {normalize(name): key for key, (_, names) in FIELDS.items() for name in names}
_HEADER_SCAN = 20
_FOOTNOTE = re.compile(r"^(注|备注|说明|填表说明|附注)\s*[::\d一1((]")
_TOTAL = re.compile(r"^(合\s*计|总\s*计|小\s*计)$")
_DATE_LINE = re.compile(r"(\d{4})\s*年(?:\s*(\d{1,2})\s*月(?:\s*(\d{1,2})\s*日)?)?")


def header_key(text: str) -> str | None:
    """The field a header names: 牵头单位 → lead, 系统编号(请勿修改) → task_id."""
    key = normalize(text).replace("*", "")
    if not key:
        return None
    if key in _LOOKUP:
        return _LOOKUP[key]
    if key.startswith("系统编号"):
        return "task_id"
    if key.startswith("反馈版本"):
        return "version"
    stripped = re.sub(r"[((].*?[))]", "", key)  # 完成时限(年月日), 牵头单位(一个)
    return _LOOKUP.get(stripped)


@dataclass
class Column:
    index: int
    header: str
    hidden: bool = False

    @property
    def letter(self) -> str:
        return column_letter(self.index)


@dataclass
class Table:
    sheet: Sheet
    header_rows: tuple[int, ...]  # from 0
    columns: list[Column]  # every non-empty header
    mapping: dict[str, int]  # field → column index
    data: list[tuple[int, list]]  # (row from 0, values with merged cells filled in)
    title: str = ""
    base: date | None = None  # the document's date, from a title or date line
    skipped_sheets: list[str] = field(default_factory=list)

    def column(self, key: str) -> Column | None:
        index = self.mapping.get(key)
        return next((c for c in self.columns if c.index == index), None) if index is not None else None


def _headers(rows: list[list], first: int, second: int | None, merged) -> list[str]:
    """Header text per column, for a header on one row or over two (责任主体 over 牵头单位)."""
    width = max(len(rows[first]), len(rows[second]) if second is not None else 0)
    top = [cell_text(rows[first][i]) if i < len(rows[first]) else "" for i in range(width)]
    # A merged header cell spreads over the columns below it.
    for (r1, c1), (r2, c2) in merged:
        if r1 <= first <= r2 and c2 > c1:
            for c in range(c1 + 1, min(c2 + 1, width)):
                top[c] = top[c] or top[c1]
    if second is None:
        return top
    bottom = [cell_text(rows[second][i]) if i < len(rows[second]) else "" for i in range(width)]
    return [bottom[i] or top[i] for i in range(width)]


def _score(headers: list[str]) -> int:
    keys = {header_key(h) for h in headers} - {None}
    return len(keys) + (2 if "title" in keys else 0) + (2 if "lead" in keys else 0)


def _find_header(sheet: Sheet) -> tuple[int, tuple[int, ...], list[str]]:
    """The header row, or two rows when the second adds names (责任主体 over 牵头单位, 配合单位)."""
    rows = sheet.rows
    scan = min(_HEADER_SCAN, len(rows))
    singles = [_headers(rows, r, None, sheet.merged) for r in range(scan)]
    scores = [_score(headers) for headers in singles]
    best = (0, (), [])
    for r in range(scan):
        if scores[r] > best[0]:
            best = (scores[r], (r,), singles[r])
        if r + 1 < scan:
            pair = _headers(rows, r, r + 1, sheet.merged)
            score = _score(pair)
            if score > max(scores[r], scores[r + 1]) and score > best[0]:
                best = (score, (r, r + 1), pair)
    return best


def _base_date(rows: list[list], above: int) -> tuple[str, date | None]:
    """The first line above the header is the title; the most precise date there is the document's."""
    title, best, precision = "", None, 0
    for row in rows[:above]:
        text = " ".join(cell_text(v) for v in row if cell_text(v))
        if not text:
            continue
        title = title or text
        for match in _DATE_LINE.finditer(text):
            parts = [int(p) for p in match.groups() if p]
            if len(parts) <= precision:
                continue
            try:
                best, precision = date(parts[0], *([*parts[1:], 1, 1])[:2]), len(parts)
            except ValueError:
                continue
    return title, best


def _fill_merged(sheet: Sheet, first_data: int) -> list[list]:
    """Copy a merged cell's value into every cell it covers, as a reader of the printed table sees it."""
    rows = sheet.rows
    for (r1, c1), (r2, c2) in sheet.merged:
        if r2 < first_data or r1 >= len(rows):
            continue
        value = rows[r1][c1] if c1 < len(rows[r1]) else None
        for r in range(max(r1, first_data), min(r2 + 1, len(rows))):
            row = rows[r]
            for c in range(c1, min(c2 + 1, len(row))):
                if (r, c) != (r1, c1):
                    row[c] = value
    return rows


def find_table(sheets: list[Sheet]) -> Table | None:
    """The sheet whose header looks most like a 任务分解表, and its data rows."""
    scored = []
    for sheet in sheets:
        score, header_rows, headers = _find_header(sheet)
        if header_rows:
            scored.append((score - (1 if sheet.hidden else 0), sheet, header_rows, headers))
    scored.sort(key=lambda item: -item[0])
    if not scored or scored[0][0] < 4:
        return None
    _, sheet, header_rows, headers = scored[0]
    mapping: dict[str, int] = {}
    columns = []
    for index, header in enumerate(headers):
        if not header:
            continue
        columns.append(Column(index=index, header=header, hidden=index in sheet.hidden_columns))
        key = header_key(header)
        if key and key not in mapping:
            mapping[key] = index
    first_data = header_rows[-1] + 1
    title, base = _base_date(sheet.rows, header_rows[0])
    rows = _fill_merged(sheet, first_data)
    data = [(r, rows[r]) for r in range(first_data, len(rows))]
    others = [s.name for s in sheets if s is not sheet]
    return Table(sheet, header_rows, columns, mapping, data, title=title, base=base, skipped_sheets=others)


_OUTLINE = re.compile(
    r"^([一二三四五六七八九十]+、|[((][一二三四五六七八九十]+[))]|第[一二三四五六七八九十]+[部分类项])"
)


def row_kind(values: list, mapping: dict[str, int]) -> str:
    """data, blank, total (合计), footnote (注:… ends the table) or section (a category line across the row)."""
    texts = [cell_text(v) for v in values]
    filled = [(i, t) for i, t in enumerate(texts) if t]
    if not filled:
        return "blank"
    if any(_TOTAL.match(t.replace(" ", "")) for _, t in filled[:2]):
        return "total"
    distinct = {t for _, t in filled}
    if len(distinct) == 1:
        text = filled[0][1]
        if _FOOTNOTE.match(text):
            return "footnote"
        lonely = len(filled) == 1 and filled[0][0] in (mapping.get("seq"), mapping.get("category"))
        if len(filled) >= 3 or _OUTLINE.match(text) or lonely:
            return "section"
    return "data"
