"""Sentences and the outline of Chinese official writing.

The outline markers are the general ones of speeches, minutes and reports:
一、 / (一) / 1. / (1); 一要 / 二要; 一是 / 二是; 第一 / 第二 followed by 要, a comma or 、;
首先 / 其次 / 最后. A marker counts only where its number continues its list (一要 after
nothing, 二要 after 一要), and a "list" of one item is no outline: 首先是定位 with no 其次
is a figure of speech.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

_CN = "一二三四五六七八九十"
_CN_VALUE = {c: i + 1 for i, c in enumerate(_CN)}


def cn_value(text: str) -> int:
    """一 → 1, 十 → 10, 十二 → 12, 二十 → 20, 3 → 3."""
    if text.isdigit():
        return int(text)
    if len(text) == 1:
        return _CN_VALUE.get(text, 0)
    if text.startswith("十"):
        return 10 + _CN_VALUE.get(text[1:], 0)
    if len(text) >= 2 and text[1] == "十":
        return _CN_VALUE.get(text[0], 0) * 10 + (_CN_VALUE.get(text[2:], 0) if len(text) > 2 else 0)
    return 0


# (kind, pattern, label). Kinds that introduce a titled section, and kinds that enumerate points.
# Brackets and punctuation as ASCII or full-width (（一）, 1．, 第一，), as documents are published.
_MARKERS: list[tuple[str, re.Pattern, str]] = [
    ("cn_dun", re.compile(rf"^([{_CN}]{{1,3}})、"), "一、"),
    ("cn_paren", re.compile(rf"^[(\uff08]([{_CN}]{{1,3}})[)\uff09]"), "(一)"),
    ("num_paren", re.compile(r"^[(\uff08](\d{1,2})[)\uff09]"), "(1)"),
    ("num_dot", re.compile(r"^(\d{1,2})(?:[.\uff0e、](?!\d)|\s)"), "1."),
    ("yao", re.compile(rf"^([{_CN}]{{1,3}})要(?![求素点])"), "一要"),
    ("shi", re.compile(rf"^([{_CN}]{{1,3}})是(?![{_CN}])"), "一是"),
    ("di", re.compile(rf"^第([{_CN}]{{1,3}})(?:(?=要)|[,\uff0c、:\uff1a])"), "第一"),
    ("seq", re.compile(r"^(首先|其次|再次|最后)(?:(?=[要是])|[,\uff0c、:\uff1a])"), "首先"),
]
# Enumerated points: the point itself is the requirement (第三,集思广益……).
ENUMERATING = {"shi", "seq"}
_SEQ = {"首先": 1, "其次": 2, "再次": 3, "最后": 99}


@dataclass(frozen=True)
class Marker:
    kind: str
    number: int
    text: str  # as written: 第一, / 一要 / (一)


def find_marker(text: str) -> Marker | None:
    stripped = text.lstrip()
    for kind, pattern, _ in _MARKERS:
        if match := pattern.match(stripped):
            word = match.group(1)
            number = _SEQ[word] if kind == "seq" else cn_value(word)
            if number:
                return Marker(kind=kind, number=number, text=match.group(0))
    return None


def starts_with_marker(text: str) -> bool:
    return find_marker(text) is not None


def is_enumerating(marker: Marker) -> bool:
    if marker.kind in ENUMERATING:
        return True
    # 第一,必须…… enumerates; 第一要做好盯上 titles a section.
    return marker.kind == "di" and marker.text[-1] in ",\uff0c、:\uff1a"


# --- Sentences --------------------------------------------------------------

_END = re.compile(r"(?:[。!?!?;;]|……)[”’」』))》]*")


def sentence_spans(paragraph: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence: up to 。!?; and any closing quote after it."""
    spans, start = [], 0
    for match in _END.finditer(paragraph):
        end = match.end()
        if paragraph[start:end].strip():
            spans.append((start, end))
        start = end
    if paragraph[start:].strip():
        spans.append((start, len(paragraph)))
    # Leading white space belongs to no sentence.
    out = []
    for s, e in spans:
        while s < e and paragraph[s].isspace():
            s += 1
        out.append((s, e))
    return out


def split_flat(lines: list[str]) -> list[str]:
    """Paragraphs for text with few or no breaks: a sentence that opens a list item starts one.

    A scraped speech is one line of 10,000 characters; broken at its own markers (一要, 第一要,
    第一,) it reads as the Word file does, and the review page shows it in paragraphs.
    """
    last: dict[str, int] = {}
    paragraphs: list[str] = []
    for line in lines:
        current = ""
        for start, end in sentence_spans(line):
            sentence = line[start:end]
            marker = find_marker(sentence)
            opens = False
            if marker and marker.kind != "seq":
                previous = last.get(marker.kind, 0)
                opens = marker.number == 1 or marker.number == previous + 1
                if opens:
                    last[marker.kind] = marker.number
            if opens and current.strip():
                paragraphs.append(current.strip())
                current = ""
            current += sentence
        if current.strip():
            paragraphs.append(current.strip())
    return paragraphs


# --- The outline tree -------------------------------------------------------


@dataclass
class Section:
    title: str
    marker: str
    kind: str
    number: int
    paragraph: int
    start: int
    children: list[Section] = field(default_factory=list)
    parent: Section | None = field(default=None, repr=False)
    id: int = 0

    def path(self) -> list[str]:
        node, titles = self, []
        while node is not None and node.kind != "root":
            titles.append(node.title)
            node = node.parent
        return titles[::-1]

    def as_dict(self) -> dict:
        return {
            "title": self.title,
            "marker": self.marker,
            "paragraph": self.paragraph,
            "start": self.start,
            "children": [child.as_dict() for child in self.children],
        }


def heading_title(sentence: str) -> str:
    """The words of a heading: 一要立足于争一流。 → 一要立足于争一流; 第一,必须吃透难题,特别是… → 第一,必须吃透难题."""
    text = re.sub(r"[。!?;;!?]+$", "", sentence.strip())
    marker = find_marker(text)
    head = len(marker.text) if marker else 0
    cut = re.search(r"[,,;;。]", text[head:])
    if cut:
        text = text[: head + cut.start()]
    return text[:60]


def build_outline(candidates: list[tuple[int, int, int, str, Marker]]) -> tuple[Section, dict[int, Section]]:
    """The outline from (sentence index, paragraph, start, text, marker) in document order.

    Returns the root and, for each sentence index that opens a section, its section.
    Lists of one item are dropped and the tree rebuilt without them.
    """
    allowed = {index for index, *_ in candidates}
    while True:
        root, opened, lists = _build(candidates, allowed)
        single = {items[0] for items in lists if len(items) == 1 and items}
        if not single & allowed:
            return root, opened
        allowed -= single


def _build(candidates, allowed):
    root = Section(title="", marker="", kind="root", number=0, paragraph=0, start=0)
    stack: list[Section] = [root]
    opened: dict[int, Section] = {}
    lists: list[list[int]] = []
    list_of: dict[int, list[int]] = {}  # id(section's parent list) → sentence indexes
    counter = 0
    for index, paragraph, start, text, marker in candidates:
        if index not in allowed:
            continue
        depth = next((d for d in range(len(stack) - 1, 0, -1) if stack[d].kind == marker.kind), None)
        if depth is not None:
            previous = stack[depth]
            fits = marker.number == previous.number + 1 or (marker.kind == "seq" and marker.number == 99)
            if not fits:
                continue
            del stack[depth:]
            members = list_of[id(previous)]
        else:
            if marker.number != 1:
                continue
            members = []
            lists.append(members)
        counter += 1
        section = Section(
            title=heading_title(text),
            marker=marker.text,
            kind=marker.kind,
            number=marker.number,
            paragraph=paragraph,
            start=start,
            parent=stack[-1],
            id=counter,
        )
        members.append(index)
        list_of[id(section)] = members
        stack[-1].children.append(section)
        stack.append(section)
        opened[index] = section
    return root, opened, lists
