"""Who does a row's work: the units a task list writes after its item, and the mentions that are doers.

A task list names its units after the item (……专项整治。(责任单位:县住建局、各乡镇)); a group word that is
the object of the work (督促各乡镇) or a kind of institution (乡镇敬老院) is not a unit that does it.
Split out of extract.py, which proposes the rows.
"""

from __future__ import annotations

import re

from .mentions import Mention, Scanner

JOINED = re.compile(r"[、和及与]")


# A task list names its units after the item: ……专项整治。(责任单位:县住建局、各乡镇), (牵头单位:……;配合单位:……), or a
# line 责任单位:…… right after it. The units it names are the row's, in the order written, the 牵头 ones first.
_NOTE_ROLE = r"(?:责任|牵头|主办|承办|配合|协办|参与)(?:单位|部门)"
# (责任单位;住建局……) as typed, (牵头单位:……;配合单位:……): a semicolon inside the note does not end the sentence; the
# one after the label is its colon, the others separate its roles.
# [牵头单位:县发改局(粮食局);责任单位:各镇人民政府]: in square brackets too, with a unit's own brackets inside.
_OPEN, _CLOSE = r"[(([【]", r"[))\]】]"
_INNER = r"[^()()\[\]【】]*(?:[((][^()()]*[))][^()()\[\]【】]*)*"
_NOTE_WHOLE = re.compile(rf"{_OPEN}\s*{_NOTE_ROLE}\s*[::;;]{_INNER}{_CLOSE}")


def fold_notes(paragraph: str) -> str:
    """The paragraph with each (责任单位;……) note written as (责任单位:……), its inner semicolons as commas."""
    return _NOTE_WHOLE.sub(_note_folded, paragraph)


def _note_folded(match: re.Match) -> str:
    note = re.sub(rf"(?<={_NOTE_ROLE})\s*[;;]", lambda m: m.group(0)[:-1] + ":", match.group(0))
    return note.replace(";", ",").replace(";", ",")


_NOTE_IN_TEXT = re.compile(rf"{_OPEN}\s*{_NOTE_ROLE}\s*[::]{_INNER}{_CLOSE}")
_NOTE_LINE = re.compile(rf"^\s*{_OPEN}?\s*{_NOTE_ROLE}\s*[::]{_INNER}{_CLOSE}?\s*[。;]?\s*$")
_NOTE_LABEL = re.compile(rf"(?P<role>{_NOTE_ROLE})\s*[::]")
_SUPPORT_ROLES = ("配合", "协办", "参与")


def units_note(text: str) -> str:
    """The (责任单位:……) note a task-list item carries in its text, or ""."""
    found = _NOTE_IN_TEXT.search(text)
    return found.group(0) if found else ""


def is_units_note(text: str) -> bool:
    """A sentence that is only a note of units (责任单位:县住建局、各乡镇): it belongs to the item before it."""
    return bool(_NOTE_LINE.match(text))


def note_mentions(note: str, scanner: Scanner) -> list[Mention]:
    """The units a note names: the lead ones (责任, 牵头, 主办, 承办) first, then the supporting ones."""
    labels = list(_NOTE_LABEL.finditer(note))
    lead, support = [], []
    for label, following in zip(labels, [*labels[1:], None], strict=True):
        part = note[label.end() : following.start() if following else len(note)]
        found = scanner.units(part)
        (support if label.group("role").startswith(_SUPPORT_ROLES) else lead).extend(found)
    return [*lead, *support]


# 督促各乡镇……, 分包县直单位和乡镇办: a group word that is the object of the work names who is worked on, not who
# works; 乡镇敬老院 is a kind of institution, not every township.
_WORKS_ON = re.compile(r"(?:督促|督导|分包|指导|帮助|动员|约谈|通报|考核|督查|检查)$")
_INSTITUTION = re.compile(r"^(?:敬老院|卫生院|中心校|学校|中学|小学|幼儿园|医院|派出所|财政所|供电所|集市|干部)")


def doers(source: str, mentions: list[Mention]) -> list[Mention]:
    """The mentions that may carry the row out: without group words that are the object of a verb or a kind."""
    out, dropped_end = [], None
    for mention in mentions:
        if mention.group:
            before = source[max(0, mention.start - 4) : mention.start]
            joined = dropped_end is not None and JOINED.fullmatch(source[dropped_end : mention.start])
            if _WORKS_ON.search(before) or joined or _INSTITUTION.match(source[mention.end :]):
                dropped_end = mention.end
                continue
        out.append(mention)
    return out
