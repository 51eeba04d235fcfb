"""The preview of a ledger import: every row read, resolved and checked, nothing written.

Problems come in two severities. Errors block the import: an unknown or
missing lead unit, an unreadable deadline on a task that is not standing, a
row for a task the user may not see. Warnings let it through and are recorded
on the task: an unknown supporting unit (kept as written), an unresolved
leader, a past deadline, a hidden column, a formula with no value.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date

from django.utils import timezone

from luoshi.lib import deadlines
from luoshi.lib.deadlines import Deadline
from luoshi.lib.errors import ActionError
from luoshi.lib.sheets import SheetError, cell_text, column_letter, read_workbook
from luoshi.lib.text import normalize, split_names
from luoshi.org.models import CountySettings, Leader, Unit, User
from luoshi.org.services import HOW_GROUP, UnitDirectory, leader_resolve, unit_resolve
from luoshi.work.models import ProgressReport, Task

from .compare import CHANGE_LABELS, Change, Texts, classify
from .reader import FIELDS, IGNORED, PROGRESS_FIELDS, REQUIRED, Table, find_table, header_key, row_kind

ERROR, WARNING = "error", "warning"


@dataclass
class Problem:
    row: int  # as Excel numbers it; 0 for the file as a whole
    column: str  # the header as written
    letter: str
    severity: str
    message: str

    def __str__(self) -> str:
        where = f"第{self.row}行" if self.row else "文件"
        if self.column:
            where += f"「{self.column}」"
        return f"{where}:{self.message}"

    def as_json(self) -> dict:
        return {"row": self.row, "column": self.column, "letter": self.letter, "severity": self.severity,
                "message": str(self)}  # fmt: skip


@dataclass
class Row:
    number: int
    cells: dict[str, str]  # field → text as written
    task_id: int | None = None
    task: Task | None = None
    lead: list[Unit] = field(default_factory=list)
    lead_group: str = ""  # 各乡镇: one task per unit
    supporting: list[Unit] = field(default_factory=list)
    supporting_unknown: list[str] = field(default_factory=list)
    leader: Leader | None = None
    deadline: Deadline | None = None
    cadence: str = "none"  # the feedback cadence the task gets: the row's own, else the county's default
    cadence_day: int = 0
    problems: list[Problem] = field(default_factory=list)
    progress_changed: bool = False  # an update, or a conflict (imported only if ticked)
    deadline_raw: object = None  # the cell itself: a real date stays a date
    change: Change = Change.NEW
    exported: Texts | None = None  # the progress the ledger showed; None for a file with no version column
    current: Texts = ("", "", "")  # the task's latest report now
    version: int | None = None  # the report the ledger showed (0: none), from the hidden column

    @property
    def file_texts(self) -> Texts:
        return tuple(_plain(self.cells.get(key, "")) for key in PROGRESS_FIELDS)

    @property
    def feedback_label(self) -> str:
        """反馈 as the task will have it: 每月25日前, or 不定期."""
        if self.cadence == "none":
            return "不定期"
        return deadlines.cadence_label(self.cadence, self.cadence_day) + ("前" if self.cadence_day else "")

    @property
    def change_label(self) -> str:
        return CHANGE_LABELS[self.change]

    def texts_json(self) -> dict | None:
        if self.change not in (Change.UPDATE, Change.CONFLICT):
            return None
        return {side: None if texts is None else dict(zip(PROGRESS_FIELDS, texts, strict=True))
                for side, texts in (("exported", self.exported), ("file", self.file_texts),
                                    ("current", self.current))}  # fmt: skip

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == ERROR]

    @property
    def is_update(self) -> bool:
        return self.task_id is not None

    def as_json(self) -> dict:
        d = self.deadline
        return {
            "row": self.number,
            "cells": self.cells,
            "task_id": self.task_id,
            "lead": [u.name for u in self.lead],
            "lead_group": self.lead_group,
            "supporting": [u.name for u in self.supporting],
            "supporting_unknown": self.supporting_unknown,
            "leader": self.leader.name if self.leader else None,
            "deadline": None
            if d is None
            else {
                "date": d.date.isoformat() if d.date else None,
                "cadence": d.cadence,
                "cadence_day": d.cadence_day,
                "standing": d.standing,
                "text": d.text,
                "feedback": {"cadence": self.cadence, "cadence_day": self.cadence_day},
            },
            "progress_changed": self.progress_changed,
            "change": str(self.change),
            "texts": self.texts_json(),
            "problems": [p.as_json() for p in self.problems],
        }


@dataclass
class Preview:
    name: str
    sha256: str
    table: Table | None
    mapping: dict[str, int]
    rows: list[Row]
    problems: list[Problem]  # every problem, the file's own first
    base: date
    title: str
    unknown_leads: dict[str, list[Unit]] = field(default_factory=dict)  # mention → suggestions
    county: CountySettings | None = None  # the default feedback cadence

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == ERROR]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == WARNING]

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def new_rows(self) -> list[Row]:
        return [row for row in self.rows if not row.is_update]

    @property
    def updates(self) -> list[Row]:
        """Rows that become a report: the file changed what was exported, and the task has not moved on."""
        return [row for row in self.rows if row.progress_changed and row.change == Change.UPDATE]

    @property
    def conflicts(self) -> list[Row]:
        """Rows that changed what was exported on a task that has moved on since: a person decides."""
        return [row for row in self.rows if row.progress_changed and row.change == Change.CONFLICT]

    @property
    def legacy(self) -> bool:
        """A returned ledger made before ledgers carried the report version: only two-way comparison."""
        return "task_id" in self.mapping and "version" not in self.mapping and any(r.task_id for r in self.rows)

    @property
    def task_count(self) -> int:
        """The tasks a commit creates: a group lead (各乡镇) makes one per unit under a parent."""
        return sum(len(row.lead) if row.lead_group else 1 for row in self.new_rows)

    def mapping_json(self) -> dict:
        headers = {c.index: c for c in self.table.columns} if self.table else {}
        return {
            key: {"column": column_letter(index), "header": headers[index].header if index in headers else ""}
            for key, index in self.mapping.items()
        }

    def as_json(self) -> dict:
        return {
            "file": self.name,
            "sha256": self.sha256,
            "sheet": self.table.sheet.name if self.table else None,
            "title": self.title,
            "base_date": self.base.isoformat(),
            "mapping": self.mapping_json(),
            "rows": [row.as_json() for row in self.rows],
            "problems": [p.as_json() for p in self.problems],
            "summary": {
                "rows": len(self.rows),
                "tasks": self.task_count,
                "updates": len(self.updates),
                "conflicts": len(self.conflicts),
                "legacy": self.legacy,
                "errors": len(self.errors),
                "warnings": len(self.warnings),
            },
        }


def _file_problem(message: str) -> Problem:
    return Problem(0, "", "", ERROR, message)


def preview_ledger(
    data: bytes,
    *,
    name: str,
    user: User,
    mapping: dict[str, int] | None = None,
    choices: dict[str, int] | None = None,
    base: date | None = None,
    max_cells: int | None = None,
) -> Preview:
    """Read, map, resolve and check a ledger. Raises SheetError for a file that is not a readable spreadsheet.

    `mapping` overrides the guessed columns (field → column index); `choices` are units picked by hand for
    names that did not resolve (mention → unit id); `base` overrides the document's own date.
    """
    from django.conf import settings

    sha256 = hashlib.sha256(data).hexdigest()
    sheets = read_workbook(data, max_cells=max_cells or settings.LUOSHI_MAX_SPREADSHEET_CELLS)
    table = find_table(sheets)
    today = timezone.localdate()
    if table is None:
        raise SheetError(
            "找不到表头:没有一个工作表的前 20 行里同时有「工作任务」「牵头单位」这类列名。"
            "请确认表头写有 序号、工作任务、牵头单位、配合单位、完成时限 等列。"
        )
    effective = dict(table.mapping)
    if mapping is not None:
        effective = {key: index for key, index in mapping.items() if index is not None and index >= 0}
    base_date = base or table.base or today
    preview = Preview(name=name, sha256=sha256, table=table, mapping=effective, rows=[], problems=[],
                      base=base_date, title=table.title, county=CountySettings.load())  # fmt: skip
    headers = {c.index: c.header for c in table.columns}

    missing = [FIELDS[key][0] for key in REQUIRED if key not in effective]
    if missing:
        preview.problems.append(
            _file_problem(f"没有找到「{'」「'.join(missing)}」列。请在“列对应”里指定哪一列是{'、'.join(missing)}。")
        )
        return preview
    for column in table.columns:
        key = next((k for k, i in effective.items() if i == column.index), None)
        if column.hidden and key not in ("task_id", "version"):
            preview.problems.append(
                Problem(
                    0,
                    column.header,
                    column.letter,
                    WARNING,
                    f"{column.letter}列「{column.header}」是隐藏列,请确认其内容无误。",
                )
            )
        if key is None and header_key(column.header) is None and normalize(column.header) not in IGNORED:
            preview.problems.append(
                Problem(0, column.header, column.letter, WARNING, f"{column.letter}列「{column.header}」未导入。")
            )

    rows = _read_rows(table, effective, headers, preview)
    _resolve(rows, preview, user=user, choices=choices or {}, today=today)
    preview.rows = rows
    for row in rows:
        preview.problems.extend(row.problems)
    if not rows and not preview.errors:
        preview.problems.append(_file_problem("表头下面没有任何事项行。请填写后再导入。"))
    return preview


def _read_rows(table: Table, mapping: dict[str, int], headers: dict[int, str], preview: Preview) -> list[Row]:
    rows: list[Row] = []
    category = ""
    uncached = table.sheet.uncached_formulas
    for r, values in table.data:
        kind = row_kind(values, mapping)
        if kind == "footnote":
            break
        if kind in ("blank", "total"):
            continue
        if kind == "section":
            category = next(cell_text(v) for v in values if cell_text(v))
            continue
        cells = {key: cell_text(values[index]) if index < len(values) else "" for key, index in mapping.items()}
        raw_deadline = (
            values[mapping["deadline"]] if "deadline" in mapping and mapping["deadline"] < len(values) else None
        )
        row = Row(number=r + 1, cells=cells)
        row.cells["category"] = cells.get("category") or category
        row.deadline_raw = raw_deadline
        for _key, index in mapping.items():
            if (r, index) in uncached:
                row.problems.append(
                    Problem(
                        r + 1,
                        headers.get(index, ""),
                        column_letter(index),
                        WARNING,
                        "该单元格是公式,但没有计算结果(文件未在 Excel 中保存过),按空白处理。请在 Excel 中打开并保存后重新导入。",
                    )
                )
        if r in table.sheet.hidden_rows:
            row.problems.append(Problem(r + 1, "", "", WARNING, "该行是隐藏行,已一并导入,请确认。"))
        task_id = cells.get("task_id", "")
        if task_id:
            if task_id.isdigit():
                row.task_id = int(task_id)
            else:
                row.problems.append(
                    Problem(
                        r + 1,
                        headers.get(mapping["task_id"], ""),
                        column_letter(mapping["task_id"]),
                        ERROR,
                        f"系统编号“{task_id}”不是数字。这一列由系统填写,请勿修改。",
                    )
                )
        version = cells.get("version", "")
        if version.isdigit():
            row.version = int(version)
        rows.append(row)
    return rows


def _where(row: Row, key: str, preview: Preview) -> tuple[str, str]:
    index = preview.mapping.get(key)
    if index is None:
        return FIELDS[key][0], ""
    header = next((c.header for c in preview.table.columns if c.index == index), FIELDS[key][0])
    return header, column_letter(index)


def _add(row: Row, key: str, severity: str, message: str, preview: Preview) -> None:
    header, letter = _where(row, key, preview)
    row.problems.append(Problem(row.number, header, letter, severity, message))


def _suggest(units: list[Unit]) -> str:
    return "、".join(f"“{u.name}”" for u in units[:3])


def _resolve(rows: list[Row], preview: Preview, *, user: User, choices: dict[str, int], today: date) -> None:
    directory = UnitDirectory.load()
    names: dict[str, object] = {}
    leaders: dict[str, Leader | None] = {}

    def resolve(name: str):
        if name not in names:
            names[name] = unit_resolve(name, directory=directory)
        return names[name]

    _check_updates(rows, preview, user)
    office = user.is_office
    for row in rows:
        if row.is_update:
            continue
        if not office:
            _add(row, "title", ERROR, "单位联络员只能导入本单位事项的进展(带系统编号的台账),不能新增事项。", preview)
            continue
        if not row.cells.get("title"):
            _add(row, "title", ERROR, "工作任务为空。请填写事项名称,或删除这一行。", preview)
        _resolve_lead(row, preview, resolve, directory, choices)
        for name in split_names(row.cells.get("supporting", "")):
            if name in choices and choices[name] in directory.by_id:
                row.supporting.append(directory.by_id[choices[name]])
                continue
            found = resolve(name)
            if found.units:
                row.supporting += found.units
            else:
                row.supporting_unknown.append(name)
                hint = f",是否为{_suggest(found.suggestions)}?" if found.suggestions else "。"
                _add(row, "supporting", WARNING, f"未找到单位“{name}”{hint}将按原文记录在事项上。", preview)
        lead_ids = {u.pk for u in row.lead}
        row.supporting = [u for u in dict.fromkeys(row.supporting) if row.lead_group or u.pk not in lead_ids]
        leader_text = row.cells.get("leader", "")
        if leader_text:
            if leader_text not in leaders:
                leaders[leader_text] = leader_resolve(leader_text)
            row.leader = leaders[leader_text]
            if row.leader is None:
                _add(
                    row,
                    "leader",
                    WARNING,
                    f"未能确定责任领导“{leader_text}”是哪位县领导,导入后请在事项中补充。",
                    preview,
                )
        _read_deadline(row, preview, today)


def _resolve_lead(row: Row, preview: Preview, resolve, directory: UnitDirectory, choices: dict[str, int]) -> None:
    text = row.cells.get("lead", "")
    mentions = split_names(text)
    if not mentions:
        _add(row, "lead", ERROR, "牵头单位为空。每个事项须有一个牵头单位。", preview)
        return
    first, rest = mentions[0], mentions[1:]
    if first in choices and choices[first] in directory.by_id:
        row.lead = [directory.by_id[choices[first]]]
    else:
        found = resolve(first)
        if not found.units:
            hint = (
                f",是否为{_suggest(found.suggestions)}?"
                if found.suggestions
                else "。请在预览中选择对应单位,或先在通讯录中添加。"
            )
            _add(row, "lead", ERROR, f"未找到单位“{first}”{hint}", preview)
            preview.unknown_leads.setdefault(first, found.suggestions)
            return
        row.lead = found.units
        if found.how == HOW_GROUP:
            row.lead_group = first
    if rest:
        _add(row, "lead", WARNING,
             f"牵头单位填了{len(mentions)}个,以“{first}”为牵头,其余({'、'.join(rest)})作为配合单位。", preview)  # fmt: skip
        row.cells["supporting"] = "、".join([*rest, row.cells.get("supporting", "")]).strip("、")


def _read_deadline(row: Row, preview: Preview, today: date) -> None:
    raw = row.deadline_raw
    if raw is None or raw == "":
        raw = row.cells.get("deadline", "")
    cadence_text = str(row.cells.get("cadence") or "").strip()
    if cadence_text:
        # 完成时限 and 反馈周期 in two columns read as the one phrase "2026-06-30;每月25日前".
        text = f"{raw:%Y-%m-%d}" if isinstance(raw, date) else str(raw or "").strip()
        raw = f"{text};{cadence_text}" if text else cadence_text
    deadline = deadlines.parse(raw, base=preview.base)
    row.deadline = deadline
    county = preview.county or CountySettings.load()
    row.cadence, row.cadence_day = county.cadence_for(deadline.cadence, deadline.cadence_day, deadline.text)
    if not deadline.ok:
        _add(row, "deadline", ERROR, deadline.problem, preview)
    elif deadline.standing and row.cadence == "none":
        _add(row, "deadline", WARNING,
             "长期坚持且不定期反馈:这个事项既没有完成时限,也不要求按期反馈,永远不会亮红灯。建议写明反馈周期,如“长期坚持;每月25日前”。",
             preview)  # fmt: skip
    elif deadline.date and deadline.date < today:
        _add(row, "deadline", WARNING,
             f"完成时限 {deadline.date:%Y-%m-%d} 已过,将按补录事项导入(可能立即亮红灯)。", preview)  # fmt: skip


def _check_updates(rows: list[Row], preview: Preview, user: User) -> None:
    """Rows that carry a 系统编号 may update the task's progress; the user must be allowed to report on it.

    Each is compared three ways (compare.classify): the progress the ledger showed, by the hidden report
    version; the file's cells; the task's latest report now.
    """
    ids = [row.task_id for row in rows if row.task_id]
    if not ids:
        return
    visible = {t.pk: t for t in Task.objects.visible_to(user).filter(pk__in=ids).select_related("lead_unit")}
    latest = {}
    for report in (
        ProgressReport.objects.filter(task_id__in=list(visible), is_lead=True)
        .order_by("task_id", "-created_at", "-id")
        .only("task_id", "done_text", "problems", "next_steps")
    ):
        latest.setdefault(report.task_id, report)
    versions = {row.version for row in rows if row.version}
    # Only the versions' own IDs in the query: a report is used below only for the visible task it belongs to.
    shown = {
        r.pk: r for r in ProgressReport.objects.filter(pk__in=versions).only("task_id", "done_text", "problems",
                                                                              "next_steps")
    }  # fmt: skip
    has_versions = "version" in preview.mapping
    office = user.is_office
    seen: dict[int, int] = {}
    for row in rows:
        if row.task_id is None:
            continue
        task = visible.get(row.task_id)
        if task is None:
            _add(
                row,
                "task_id",
                ERROR,
                f"系统编号 {row.task_id} 对应的事项不存在,或您无权查看。请勿修改系统编号列。",
                preview,
            )
            continue
        if row.task_id in seen:
            _add(
                row,
                "task_id",
                ERROR,
                f"与第{seen[row.task_id]}行是同一事项(系统编号 {row.task_id}),请只保留一行。",
                preview,
            )
            continue
        seen[row.task_id] = row.number
        row.task = task
        last = latest.get(task.pk)
        row.current = _texts(last)
        if has_versions and row.version == 0:
            row.exported = ("", "", "")
        elif has_versions and row.version in shown and shown[row.version].task_id == task.pk:
            row.exported = _texts(shown[row.version])
        elif has_versions:
            _add(row, "version", WARNING,
                 "反馈版本列的内容与事项对不上(可能被修改过),无法判断导出后是否有新的进展,按当前进展比较。",
                 preview)  # fmt: skip
        moved_on = (last.pk if last else 0) != row.version
        row.change = classify(row.file_texts, exported=row.exported, current=row.current, moved_on=moved_on)
        changed = row.change in (Change.UPDATE, Change.CONFLICT)
        after = row.file_texts
        if changed and not office and task.lead_unit_id != user.unit_id:
            _add(row, "task_id", ERROR, f"“{task.title[:20]}”不是本单位牵头的事项,不能导入其进展。", preview)
            continue
        if changed and task.lead_unit_id is None:
            _add(row, "progress", ERROR, "这是按单位分解的汇总事项,请在各单位的分事项行填写进展。", preview)
            continue
        if changed and not after[0]:
            _add(row, "progress", ERROR, "填写了存在问题或下一步打算,但“进展情况”为空。请填写进展情况。", preview)
            continue
        if changed and task.status not in Task.LIT_STATUSES:
            _add(
                row, "progress", ERROR, f"事项“{task.title[:20]}”{task.get_status_display()},不能再反馈进展。", preview
            )
            continue
        row.progress_changed = changed


def _texts(report: ProgressReport | None) -> Texts:
    return (_plain(report.done_text), _plain(report.problems), _plain(report.next_steps)) if report else ("", "", "")


def _plain(text: str) -> str:
    # Excel writes line breaks as \n, a form may have sent \r\n: the same words are no change.
    return (text or "").replace("\r\n", "\n").strip()


def require_ok(preview: Preview) -> None:
    if not preview.ok:
        raise ActionError(f"有 {len(preview.errors)} 个错误,未导入任何内容。请修改后重新导入。")
