"""The three-way comparison of a ledger that comes back: what was exported, what the file says, what is current.

A unit fills in a copy of an exported ledger, sometimes weeks later; meanwhile
the task may have had newer reports, by the web form or another ledger. A row
whose progress cells still say what was exported tells us nothing, whatever
happened since. A row that says something else is news: an update when the
task's latest report is still the one exported, a conflict when the task has
moved on, which a person must decide.

Pure functions, no database: the preview gathers the three texts and asks here.
"""

from __future__ import annotations

import re
from enum import StrEnum

Texts = tuple[str, ...]  # the progress cells: 进展情况, 存在问题, 下一步打算


class Change(StrEnum):
    NEW = "new"  # a row with no 系统编号: a task to create
    UNCHANGED = "unchanged"
    UPDATE = "update"
    CONFLICT = "conflict"


CHANGE_LABELS = {
    Change.NEW: "新增事项",
    Change.UNCHANGED: "无变化",
    Change.UPDATE: "更新进展",
    Change.CONFLICT: "冲突",
}

_SPACE = re.compile(r"\s+")  # str.split's whitespace: tabs, line breaks, NBSP, the ideographic space


def squeeze(text: str | None) -> str:
    """The words of a cell without its spacing: a tab for a space or a trailing blank is no change."""
    return _SPACE.sub("", text or "")


def same(a: Texts, b: Texts) -> bool:
    """The same progress cells, whitespace aside; a missing trailing cell counts as blank."""
    return all(squeeze(_cell(a, i)) == squeeze(_cell(b, i)) for i in range(max(len(a), len(b))))


def _cell(texts: Texts, index: int) -> str:
    return texts[index] if index < len(texts) else ""


def classify(file: Texts, *, exported: Texts | None, current: Texts, moved_on: bool) -> Change:
    """How one returned row relates to its task.

    `exported` is what the ledger showed when it was made, or None for a file made before ledgers carried a
    version; `current` is the task's latest report now; `moved_on` says whether that report is newer than the
    one exported.

    - blank progress cells never erase a report: unchanged;
    - the exported text, or the current text, sent back: unchanged (nothing new, so a file imported twice
      records nothing twice);
    - anything else is an update, unless the task moved on since the export: a conflict.
      A file with no version cannot tell, so every difference is an update, which the preview lists.
    """
    if not any(squeeze(text) for text in file):
        return Change.UNCHANGED
    if exported is not None and same(file, exported):
        return Change.UNCHANGED
    if same(file, current):
        return Change.UNCHANGED
    if exported is not None and moved_on:
        return Change.CONFLICT
    return Change.UPDATE
