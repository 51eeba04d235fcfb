"""From a document's paragraphs to the proposed 任务分解表: the outline and one row per requirement.

A requirement is a sentence that directs someone to act. The rules are the general markers of
Chinese official writing, never words of one document:

- directive words: 要, 必须, 务必, 确保, 力争, 一定要, 抓好, 推进, 加快, 做到, 严禁, 不能, 应当 …;
  a sentence addressed to units (各部门到村里去……) directs them too, and so does an enumerated
  point (一是……, 第三,……, 首先,……) under a heading;
- not requirements: narrative and past achievements (去年……, 实现了……), quotations and
  proverbs (古人说……, 法乎其上……), examples told as stories (举个例子,去年……), questions;
- sentences are kept together when one carries on the other (a heading and its first sentence;
  a requirement and a following 包括……/特别是……), never more than two; a long sentence that
  turns to a second requirement with 特别是/尤其是 gives two rows.

The markers are matched on characters, so no word segmentation (jieba) is needed and nothing
loads per document: a 30,000-character speech reads in well under a second.

Everything here is pure: the scanner (units and leaders) is passed in, so that the command line,
the bench and the page share it and nothing reads the database per sentence.
"""

from __future__ import annotations

import dataclasses
import itertools
import re
from dataclasses import dataclass, field
from datetime import date

from luoshi.lib import deadlines

from .clauses import flat_work, listed_works, point_cuts, work_cuts
from .doers import doers, fold_notes, is_units_note, note_mentions, units_note
from .judging import _ATTITUDE, _CONCRETE, Verdict, _directive_words, judge
from .mentions import Mention, Scanner
from .outline import Marker, Section, build_outline, find_marker, is_enumerating, sentence_spans
from .reading import CELL_SEPARATOR, SourceDocument
from .sections import _OPTION, RELAYED, in_task_item, looks_back, names_a_deadline, relayed, states_principles
from .subjects import addressed_unit, clause_subject, directive_tail, group_lead, unit_clauses, unit_duty

# A heading sentence this short (after its marker) is a title, not a passage.
HEADING_CHARS = 18
# A sentence longer than this that turns to a second requirement gives two rows.
SPLIT_CHARS = 60
MAX_SOURCE_SENTENCES = 2

_CONTINUES = re.compile(r"^(包括|特别是|尤其是|以及|并且|而且|还要|同时还|做到)")
_TURN = re.compile(r"[,,;;](特别是|尤其是)")
_LEADING = re.compile(
    r"^(?:同时|另外|此外|比如|例如|又如|所以说?|因此|但是|而且|并且|包括|首先|其次|最后|总之"
    r"|会议(?:要求|决定|议定|明确|强调|指出)|[\u4e00-\u9fff]{2,3}(?:要求|强调|指出)(?=[,,::]))[,,、::]?"
)


@dataclass
class Sentence:
    index: int
    paragraph: int
    start: int
    end: int
    text: str
    table: bool = False

    @property
    def body(self) -> str:
        return self.text.strip()


@dataclass
class Row:
    """One proposed requirement."""

    text: str
    source: str
    paragraph: int
    start: int
    paragraph_end: int
    end: int
    section: str
    why: list[str]
    mentions: list[Mention] = field(default_factory=list)
    leader_mention: str = ""
    leader: object = None
    deadline: deadlines.Deadline | None = None
    when: str = ""
    milestones: list[tuple[str, date]] = field(default_factory=list)
    deadline_note: str = ""
    # Bodies named that the directory does not know (全市各城市区, 区级新闻单位): shown, never dropped.
    unresolved: list[str] = field(default_factory=list)
    # The index, in the proposal's rows, of the heading row this row carries out (1、会战的氛围要造浓。).
    parent: int | None = None

    @property
    def units(self) -> list:
        seen, out = set(), []
        for mention in self.mentions:
            for unit in mention.resolution.units:
                if unit.pk not in seen:
                    seen.add(unit.pk)
                    out.append(unit)
        return out

    def as_dict(self) -> dict:
        deadline = self.deadline
        return {
            "text": self.text,
            "source": self.source,
            "span": {
                "paragraph": self.paragraph,
                "start": self.start,
                "paragraph_end": self.paragraph_end,
                "end": self.end,
            },
            "section": self.section,
            "units": [unit.name for unit in self.units],
            "unit_mentions": list(dict.fromkeys([*(m.text for m in self.mentions), *self.unresolved])),
            "unresolved_mentions": self.unresolved,
            "parent": self.parent,
            "leader": self.leader.name if self.leader else None,
            "deadline": deadline.date.isoformat() if deadline and deadline.date else None,
            "cadence": deadline.cadence if deadline and deadline.cadence != deadlines.NONE else None,
            "standing": bool(deadline and deadline.standing),
            "when": self.when or None,
            "milestones": [{"title": title, "due": due.isoformat()} for title, due in self.milestones],
            "deadline_warnings": [
                w for w in (deadline.warning.split(";") if deadline and deadline.warning else []) if w
            ],
            "why": self.why,
        }


@dataclass
class Proposal:
    document: SourceDocument
    base: date
    outline: Section
    rows: list[Row]

    def as_dict(self) -> dict:
        return {
            "title": self.document.title,
            "date": self.base.isoformat(),
            "outline": [child.as_dict() for child in self.outline.children],
            "rows": [row.as_dict() for row in self.rows],
        }


def sentences_of(document: SourceDocument) -> list[Sentence]:
    out: list[Sentence] = []
    for number, paragraph in enumerate(document.paragraphs):
        if number in document.table_rows:
            out.append(Sentence(len(out), number, 0, len(paragraph), paragraph, table=True))
            continue
        for start, end in sentence_spans(paragraph):
            out.append(Sentence(len(out), number, start, end, paragraph[start:end]))
    return out


_PUNCT_START = re.compile(r"^[,,、\s]+")
_PUNCT_END = re.compile(r"[,,、::]+$")


def _bare(marker: str) -> str:
    """第一, → 第一: the marker as the why column shows it."""
    return _PUNCT_END.sub("", marker)


def _clean_text(source: str) -> str:
    if CELL_SEPARATOR in source:
        # A table row: the requirement is its longest cell, the others are its number, units and dates.
        return max(source.split(CELL_SEPARATOR), key=len).strip()
    text = source.strip()
    marker = find_marker(text)
    if marker:
        text = text[len(marker.text) :]
    previous = None
    while previous != text:
        previous = text
        text = _PUNCT_START.sub("", _LEADING.sub("", text, count=1))
    return text.replace(CELL_SEPARATOR, ";")


def find_when(text: str, base: date) -> tuple[str, deadlines.Deadline | None]:
    """The deadline or cadence the text names: the last date (earlier ones as milestones), the first cadence.

    Found and read by `lib/deadlines` alone, so that a phrase is never read two ways.
    """
    return deadlines.in_text(text, base=base)


# Full-width punctuation as published (（一）, ，, ；) read as the markers and clauses expect, one character for
# one, so that every offset still points into the document's own paragraphs.
_FOLD = str.maketrans("（），；：！？．", "(),;:!?.")


def _folded(document: SourceDocument) -> SourceDocument:
    if not any(char in paragraph for paragraph in document.paragraphs for char in "（），；：！？．;"):
        return document
    paragraphs = [fold_notes(paragraph.translate(_FOLD)) for paragraph in document.paragraphs]
    return dataclasses.replace(document, paragraphs=paragraphs)


def propose(document: SourceDocument, *, base: date, scanner: Scanner | None = None, minutes: bool = False) -> Proposal:
    """The outline and the rows of one document, against `base` (the document's date).

    1. split the paragraphs into sentences and find the outline markers;
    2. judge each sentence (directive, or why not);
    3. group sentences into rows: an enumerated point with its first sentence, a requirement with
       a sentence that carries it on (包括……, 这……), a long sentence that turns into two;
    4. read each row's units, leader and deadline.

    `minutes`: the office says the document is a meeting's minutes (文件类型 会议纪要), so every paragraph speaks in
    the meeting's voice and a sentence framed by a modal lists works, a row each, as under 会议强调 in any document.
    """
    original, document = document, _folded(document)
    sentences = sentences_of(document)
    markers = {}
    for sentence in sentences:
        if not sentence.table and (marker := find_marker(sentence.body)):
            markers[sentence.index] = marker
    root, opened = build_outline(
        [(s.index, s.paragraph, s.start, s.body, markers[s.index]) for s in sentences if s.index in markers]
    )
    section_of: dict[int, Section] = {}
    current = root
    for sentence in sentences:
        current = opened.get(sentence.index, current)
        section_of[sentence.index] = current

    verdicts = []
    for s in sentences:
        verdict = judge(s.body, marker_len=len(markers[s.index].text) if s.index in opened else 0)
        marker = markers.get(s.index)
        if (
            marker is not None
            and marker.kind == "yao"
            and not verdict.directive
            and not verdict.excluded
            and len(s.body) - len(marker.text) > HEADING_CHARS
            and not _ATTITUDE.search(s.body)
        ):
            # 三要认真落实……决策部署,打赢……大会战: the 要 of the heading carries the work it names.
            verdict = Verdict(True, why=[_bare(marker.text)])
        if not verdict.directive and not verdict.excluded and scanner is not None:
            verdict = addressed_unit(s.body, scanner) or verdict
        point = markers.get(s.index)
        if (
            point is not None
            and is_enumerating(point)
            and not verdict.directive
            and not verdict.excluded
            and _POINT_WORK.match(s.body[len(point.text) :])
        ):
            # 三是抓聚居点建设进度,……: a point of a list of requirements that names its work without a modal word.
            verdict = Verdict(True, why=[_bare(point.text)])
        if verdict.directive and s.index not in opened and _restates(s.body, section_of[s.index]):
            verdict = Verdict(False, excluded="重申标题")
        if verdict.directive and looks_back(section_of[s.index]):
            verdict = Verdict(False, excluded="回顾")
        if verdict.directive and states_principles(section_of[s.index]):
            verdict = Verdict(False, excluded="原则")
        if is_units_note(s.body):
            verdict = Verdict(False, excluded="责任单位")
        verdicts.append(verdict)

    # 1.地区生产总值(GDP)增长10%左右。责任单位:县发改局: a numbered item a task list gives its units is a task, a
    # target to reach, not a result to report.
    for s in sentences[:-1]:
        verdict = verdicts[s.index]
        if (
            s.index in markers
            and verdicts[s.index + 1].excluded == "责任单位"
            and not verdict.directive
            and verdict.excluded in ("", "已取得的成绩", "叙述")
        ):
            verdicts[s.index] = Verdict(True, why=["任务清单"])

    # 为全面落实……,助力……。现结合工作实际,特制定本方案。: the purpose, in the sentence before the one that says so.
    for s in sentences[1:]:
        before = sentences[s.index - 1]
        if (
            verdicts[s.index].excluded == "制定目的"
            and s.body.startswith(("现", "特"))
            and before.paragraph == s.paragraph
            and before.body.startswith("为")
        ):
            verdicts[before.index] = Verdict(False, excluded="制定目的")

    # (一)带量采购,以量换价。在……基础上,……进行带量采购: a numbered measure of a plan that says what to do
    # without a directive word is carried by its first statement.
    items: dict[int, list[int]] = {}
    for s in sentences:
        if s.index not in opened and in_task_item(section_of[s.index]) and verdicts[s.index].excluded != "责任单位":
            items.setdefault(section_of[s.index].id, []).append(s.index)
    for members in items.values():
        if any(verdicts[k].directive for k in members):
            continue
        first = next((k for k in members if not verdicts[k].excluded and not _OPTION.search(sentences[k].body)), None)
        if first is not None:
            verdicts[first] = Verdict(True, why=["方案条目"])
    # 医保基金……按……提前预付给医疗机构: a measure stated flatly beside one with a directive word is a row too.
    for members in items.values():
        for k in members:
            verdict, body = verdicts[k], sentences[k].body
            if not verdict.directive and not verdict.excluded and not _OPTION.search(body) and flat_work(body):
                verdicts[k] = Verdict(True, why=["方案条目"])

    # 1.宣传发动阶段(5月2日—7日),各有关乡镇对……摸底造册。 / 2.全面开展……。(责任单位:……): a numbered item of a task
    # part whose work is stated in the item's own first sentence (long, or a flat statement of work), with nothing
    # under it but its units, is a row.
    for s in sentences:
        i, section = s.index, opened.get(s.index)
        if (
            section is not None
            and section.id not in items
            and in_task_item(section)
            and not verdicts[i].directive
            and not verdicts[i].excluded
            and (len(s.body) - len(markers[i].text) > HEADING_CHARS or flat_work(s.body[len(markers[i].text) :]))
            and not _OPTION.search(s.body)
        ):
            verdicts[i] = Verdict(True, why=["方案条目"])

    groups: list[tuple[list[tuple[int, int, int]], list[str], Mention | list[Mention] | None]] = []
    heading_rows: dict[int, int] = {}  # section id → the group of its heading, when the heading is a row
    taken: set[int] = set()
    notes: dict[int, str] = {}  # group → the (责任单位:……) note after it
    duty_lead: tuple[int, Mention] | None = None
    for sentence in sentences:
        i = sentence.index
        if i in taken:
            continue
        if verdicts[i].excluded == "责任单位":
            # ……专项整治。(责任单位:县住建局、各乡镇): the units of the row (or rows) of the sentence before; a note the
            # semicolon cut in two ((牵头单位:……; 配合单位:……)) goes on.
            follows = i - 1
            while follows >= 0 and verdicts[follows].excluded == "责任单位":
                follows -= 1
            number = len(groups) - 1
            while number >= 0 and groups[number][0][-1][0] == follows:
                notes[number] = notes.get(number, "") + sentence.body
                number -= 1
            if follows >= 0 and sentences[follows].paragraph != sentence.paragraph:
                # (1)……。(2)……。(责任单位:……) on a line of its own after several items: the units of each item of that
                # list back to the last one with a note of its own.
                parent = section_of[follows].parent
                while (
                    number >= 0
                    and number not in notes
                    and section_of[groups[number][0][0][0]].parent is parent
                    and not any(units_note(sentences[k].body) for k, _, _ in groups[number][0])
                ):
                    notes[number] = sentence.body
                    number -= 1
            continue
        verdict = verdicts[i]
        marker = markers.get(i) if i in opened else None
        nxt = sentences[i + 1] if i + 1 < len(sentences) else None
        next_free = nxt is not None and nxt.index not in opened and not nxt.table and not sentence.table
        if sentence.table:
            # A table's first row is its header unless it already says what to do.
            first_row = sentence.paragraph - 1 not in document.table_rows
            cells = sentence.body.split(CELL_SEPARATOR)
            short = all(len(cell.strip()) <= 8 for cell in cells)  # 序号 | 议定事项 | 牵头单位 | 完成时限
            header = first_row and (short or not verdict.directive) and not names_a_deadline(sentence.body)
            if not header and _table_row_is_requirement(sentence, verdict):
                groups.append(([(i, sentence.start, sentence.end)], verdict.why or ["表格行"], None))
            continue
        # 一是 at a paragraph's start may open no part, but enumerates all the same.
        inline = (
            point
            if marker is None
            and (point := markers.get(i)) is not None
            and point.kind == "shi"
            and next_free
            and nxt.paragraph == sentence.paragraph
            and nxt.index not in markers
            and not set(verdict.why) & _MODALS  # 一是各乡镇要在6月底前完成隐患排查。 is a requirement of its own
            else None
        )
        head = marker or inline
        if head is not None and len(sentence.body) - len(head.text) <= HEADING_CHARS:
            # A short heading. One that titles a section (一要立足于争一流, 第一要做好盯上) is the
            # section; one that enumerates a point (第三,集思广益……) is a requirement, read with
            # the sentence that explains it.
            if is_enumerating(head):
                if verdict.excluded == "原则":
                    continue  # 一是坚持以人民为中心: a principle, however enumerated
                why = [_bare(head.text), *verdict.why]
                members = [(i, sentence.start, sentence.end)]
                more: list[tuple[int, int]] = []
                if next_free and verdicts[i + 1].excluded not in ("引语", "古语"):
                    # 一是坚持车间“总量不减”。……要创建……,同时要稳步推进……,实施……: the point with its first work, then a
                    # row for each further work of its sentence.
                    cuts = work_cuts(nxt.text) or point_cuts(nxt.text)
                    bounds = [0, *cuts, len(nxt.text)]
                    members.append((i + 1, nxt.start, nxt.start + bounds[1]))
                    more = list(itertools.pairwise(bounds))[1:]
                    why += verdicts[i + 1].why
                    taken.add(i + 1)
                groups.append((members, why, None))
                lead = clause_subject(nxt.text[: cuts[0]], scanner) if more else None
                for start, end in more:
                    piece = _piece_why(why, nxt.text, nxt.text[start:end], True)
                    groups.append(([(i + 1, nxt.start + start, nxt.start + end)], piece, lead))
            elif (
                verdict.directive
                and not _has_children(i, nxt, opened)
                and (nxt is None or nxt.index in opened or verdicts[i + 1].excluded == "责任单位")
            ):
                # A short numbered item with nothing under it ((二)县财政局要在2月底前拨付经费。) is a row; a heading over
                # numbered items (一、杨松县长牵头重点工作) is not.
                groups.append(([(i, sentence.start, sentence.end)], [_bare(marker.text), *verdict.why], None))
            elif _requirement_heading(sentence.body[len(marker.text) :], marker, verdict):
                # 1、会战的氛围要造浓。 / 二要抓好项目建设: the heading is itself a requirement, the parent of the rows under it.
                heading_rows[opened[i].id] = len(groups)
                groups.append(([(i, sentence.start, sentence.end)], [_bare(marker.text), *verdict.why], None))
            continue
        titled = markers.get(i)
        if (
            marker is None
            and titled is not None
            and not is_enumerating(titled)
            and len(sentence.body) - len(titled.text) <= HEADING_CHARS
            and next_free
            and verdicts[i + 1].directive
            and not _HEADING_MODAL.match(sentence.body[len(titled.text) :])
            and (nxt.paragraph == sentence.paragraph or _echoed(sentence.body[len(titled.text) :], nxt.body))
        ):
            # (一)成立机构,加强领导。各有关乡镇要……: a heading naming the part its own sentence carries out; (一)切实推进权限下放
            # over ……要……,切实推进权限下放: the heading the next paragraph says again.
            continue
        if (
            marker is None
            and titled is not None
            and not is_enumerating(titled)
            and len(sentence.body) - len(titled.text) <= HEADING_CHARS
            and nxt is not None
            and nxt.index in markers
            and _LEVEL.get(titled.kind, 9) < _LEVEL.get(markers[nxt.index].kind, 9)
            and not _HEADING_MODAL.match(sentence.body[len(titled.text) :])
        ):
            continue  # 一、县长牵头重点工作 over 1.……: a heading over numbered items, even one the outline did not open
        if duty_lead is not None and duty_lead[0] == sentence.paragraph and marker is None:
            # The next duty of the unit named before the colon: 指导各乡镇开展排查;
            if len(sentence.body) >= 4:
                groups.append(([(i, sentence.start, sentence.end)], ["职责分工", *verdict.why], duty_lead[1]))
            continue
        duty_lead = None
        if scanner is not None and (duty := unit_duty(sentence, marker, scanner)):
            start, lead = duty
            duty_lead = (sentence.paragraph, lead)
            words = _directive_words(sentence.text[start - sentence.start :])
            groups.append(([(i, start, sentence.end)], ["职责分工", *words], lead))
            continue
        if not verdict.directive:
            if verdict.excluded in _RESCUABLE and (tail := directive_tail(sentence, scanner)):
                groups.append(([(i, sentence.start + tail, sentence.end)], ["分句", *verdict.why], None))
            continue
        why = ([_bare(marker.text)] if marker else []) + verdict.why
        if (
            i not in markers
            and (tail := directive_tail(sentence, scanner))
            and not judge(sentence.text[:tail]).directive
        ):
            # 张恒强调,应对极端天气关系着社会稳定和发展,相关部门和各个乡镇要……: what is stated before the clause with
            # its own subject is no part of the work.
            tail = max(sentence.text.rfind(mark, 0, tail) for mark in ",,;;") + 1  # with its 所以, 因此
            sentence = dataclasses.replace(sentence, start=sentence.start + tail, text=sentence.text[tail:])
        if _RHETORIC.search(sentence.text) and (tail := directive_tail(sentence, scanner)):
            # 如果搞不好,……就不是一个称职的基层干部,各地、各部门必须……: the directive clause alone.
            groups.append(([(i, sentence.start + tail, sentence.end)], why, None))
            continue
        if scanner is not None and len(cuts := unit_clauses(sentence, scanner)) >= 2:
            # 交通局要……,财政局要……: a row for each unit.
            for start, end in zip(cuts, [*cuts[1:], len(sentence.text)], strict=True):
                # 创建办要加强督促考核,……,搞好资金调度: the unit's own several works, each a row it leads.
                voiced = minutes or _in_meetings_voice(document, sentence)
                listed = listed_works(sentence.text[start:end]) if voiced else []
                works = [start, *(start + cut for cut in listed)]
                lead = clause_subject(sentence.text[start:end], scanner) if len(works) > 1 else None
                for a, b in itertools.pairwise([*works, end]):
                    piece = _piece_why(why, sentence.text, sentence.text[a:b], a != start)
                    groups.append(([(i, sentence.start + a, sentence.start + b)], piece, lead if a != start else None))
            continue
        if marker is None and (cuts := work_cuts(sentence.text)):
            # 县卫健局要制定方案,并开展演练: a task for each, the later ones led by the subject of the first.
            lead = clause_subject(sentence.text[: cuts[0]], scanner)
            bounds = [0, *cuts, len(sentence.text)]
            for start, end in itertools.pairwise(bounds):
                piece = _piece_why(why, sentence.text, sentence.text[start:end], bool(start))
                groups.append(([(i, sentence.start + start, sentence.start + end)], piece, lead if start else None))
            continue
        point = marker or markers.get(i)  # 一是……;二是……: a point inside a paragraph opens no part, but enumerates
        if point is not None and is_enumerating(point):
            cuts = point_cuts(sentence.text)
        elif marker is None:
            cuts = listed_works(sentence.text) if minutes or _in_meetings_voice(document, sentence) else []
        else:
            cuts = []
        if cuts:
            # 一是要加快推进A,督促B,及时拨付C: a row for each work, led by the subject of the first.
            skip = len(sentence.text) - len(sentence.text.lstrip()) + len(point.text) if point else 0
            lead = clause_subject(sentence.text[skip : cuts[0]], scanner)
            bounds = [0, *cuts, len(sentence.text)]
            for start, end in itertools.pairwise(bounds):
                piece = _piece_why(why, sentence.text, sentence.text[start:end], bool(start))
                groups.append(([(i, sentence.start + start, sentence.start + end)], piece, lead if start else None))
            continue
        parts = [] if marker else _split_turn(sentence)
        if parts:
            for start, end in parts:
                words = _directive_words(sentence.text[start - sentence.start : end - sentence.start])
                groups.append(([(i, start, end)], [*why, *words], None))
            continue
        members = [(i, sentence.start, sentence.end)]
        if next_free and not verdicts[i + 1].excluded and _carries_on(nxt.body, verdicts[i + 1]):
            members.append((i + 1, nxt.start, nxt.end))
            taken.add(i + 1)
        if marker is not None and not is_enumerating(marker):
            # 三要认真落实……,打赢……大会战。: a long heading that is a row is the parent of the rows under it.
            heading_rows[opened[i].id] = len(groups)
        groups.append((members, why, group_lead(sentence.text, scanner)))

    rows = [
        _row(document, sentences, members, list(dict.fromkeys(why)), section_of, base, scanner, lead, notes.get(n, ""))
        for n, (members, why, lead) in enumerate(groups)
    ]
    for number, (members, _, _) in enumerate(groups):
        first = members[0][0]
        node = section_of[first]
        if first in opened and node is opened[first]:
            node = node.parent  # the heading's own row looks above its section
        while node is not None and node.kind != "root":
            if (parent := heading_rows.get(node.id)) is not None and parent != number:
                rows[number].parent = parent
                break
            node = node.parent
    relaying = relayed(sentences, opened, section_of)
    for row, (members, _, _) in zip(rows, groups, strict=True):
        if members[0][0] in relaying:
            row.section = f"{RELAYED}:{row.section}" if row.section else RELAYED
    return Proposal(document=original, base=base, outline=root, rows=_with_words(rows))


# 会议指出/会议强调/杨天生要求: minutes speak in the meeting's voice, and pack several works of one subject into a
# sentence (要成立……领导小组,加快……征拆工作,办理好……手续); a plan states one measure a sentence, with its steps.
_VOICE = re.compile(
    r"(?:^|[。;;])(?:[^。;;]{0,40}?[,,])?(?:会议|[\u4e00-\u9fff]{2,3})(?:指出|强调|要求|认为|明确|议定|提出)[,,::]"
    r"|提出[^。;;,,]{0,8}要求[::]"  # 同时就六个方面提出严格要求:一是……
)


def _in_meetings_voice(document: SourceDocument, sentence: Sentence) -> bool:
    return bool(_VOICE.search(document.paragraphs[sentence.paragraph][: sentence.end]))


_WORDY = re.compile(r"[\u4e00-\u9fffA-Za-z0-9]")


def _with_words(rows: list[Row]) -> list[Row]:
    """The rows that say something: 会议要求。 with its marker taken off leaves "。", which is no task."""
    keep = [n for n, row in enumerate(rows) if _WORDY.search(row.text)]
    if len(keep) == len(rows):
        return rows
    place = {old: new for new, old in enumerate(keep)}
    kept = [rows[n] for n in keep]
    for row in kept:
        if row.parent is not None:
            row.parent = place.get(row.parent)
    return kept


_MODALS = {"要", "必须", "务必", "一定要", "应当", "应该"}


# A point that opens with the verb of its work (抓聚居点建设进度, 做好……, 建立……).
_POINT_WORK = re.compile(
    r"(?:进一步|切实|全力|认真|扎实)?(?:抓|搞|做|建立|建设|开展|实施|完成|组织|推行|推广|落实|提高|提升)"
)


# The levels of a plan's numbering, outermost first: 一、 > (一) > 1. > (1).
_LEVEL = {"cn_dun": 0, "cn_paren": 1, "num_dot": 2, "num_paren": 3}


def _piece_why(why: list[str], sentence: str, piece: str, later: bool) -> list[str]:
    """The reasons shown for one work of a sentence cut into several: the sentence's labels (职责分工, 任务清单), the
    reasons that are words of this piece, and 分项 for a later work, so that a row never shows a word of another."""
    kept = [word for word in why if word in piece or word not in sentence]  # 职责分工, 方案条目: no words of the text
    return list(dict.fromkeys([*(["分项"] if later else []), *kept, *_directive_words(piece)]))


def _has_children(i: int, nxt: Sentence | None, opened: dict[int, Section]) -> bool:
    """Whether the heading of sentence i is followed at once by the heading of a part under it."""
    return nxt is not None and i in opened and nxt.index in opened and opened[nxt.index].parent is opened[i]


def _echoed(heading: str, text: str) -> bool:
    words = _TRAILING_PUNCT.sub("", heading.strip())
    return len(words) >= 4 and words in text


_TRAILING_PUNCT = re.compile(r"[。,,;;!!]+$")


# A heading with a subject before its modal (会战的氛围要造浓) states a requirement; 要做好盯上 titles a part.
_HEADING_MODAL = re.compile(r"^[^,,。;;::要]{2,14}?(?:一定要|必须|务必|要)")


# Work a 一要 heading can name besides _CONCRETE's acts: 二要抓好项目建设, 三要打赢征迁攻坚战.
_WORK = re.compile(r"项目|建设|工程|招商|改造|拆迁|征迁|攻坚|会战|防汛|安全生产|整改|改革|民生")


def _requirement_heading(rest: str, marker: Marker, verdict: Verdict) -> bool:
    """A short heading that is itself a requirement: the parent of the rows under it, not only a section title."""
    if not verdict.directive or _ATTITUDE.search(rest) or is_enumerating(marker):
        return False
    if marker.kind == "yao":
        # 二要抓好项目建设: a 一要 heading that names concrete work; 一要立足于争一流 only titles a part.
        return bool(_CONCRETE.search(rest) or _WORK.search(rest))
    return bool(_HEADING_MODAL.match(rest)) and any(
        word in _directive_words(rest) for word in ("要", "必须", "务必", "一定要")
    )


# 所谓……就是……, ……也就是……: a definition, which restates when it repeats the heading.
_DEFINES = re.compile(r"就是|即是|也即|指的是")
_THEME_NOISE = re.compile(r"立足于|做好|关于|工作|问题|情况|方面|有关|其他|事项|要|是|的|于|把|和|与|及|抓|加强")
_BACK_REFERENCE = re.compile(r"^(这|此|这些|这一|这样|上述)")
# A short sentence that points back (这一块必须要学习研究) belongs to the requirement before it.
BACK_REFERENCE_CHARS = 20
# A sentence this short that repeats its heading's words restates the heading.
RESTATE_CHARS = 25


def _carries_on(text: str, verdict: Verdict) -> bool:
    if _CONTINUES.match(text) and not verdict.directive:
        return True
    return bool(_BACK_REFERENCE.match(text)) and len(text) <= BACK_REFERENCE_CHARS


def _restates(text: str, section: Section) -> bool:
    """所谓的定位,就是工作从上到下要立足于争一流 under 一要立足于争一流: the heading again."""
    if section.kind == "root" or len(text) > RESTATE_CHARS:
        return False
    # Under an enumerated point (第一,必须吃透难题) the point is the row and a short echo of it is
    # not another; under a titled part only a definition (所谓……就是……) restates the title.
    enumerated = is_enumerating(Marker(kind=section.kind, number=section.number, text=section.marker))
    if not enumerated and not _DEFINES.search(text):
        return False
    theme = section.title[len(section.marker) :] if section.title.startswith(section.marker) else section.title
    theme = _THEME_NOISE.sub("|", theme)
    bigrams = {part[k : k + 2] for part in theme.split("|") for k in range(len(part) - 1)}
    return any(bigram in text for bigram in bigrams)


# Sentences excluded whole whose later clause may still direct someone (……去年总体平稳,各乡镇要立即……).
_RESCUABLE = {"叙述", "已取得的成绩", "引语", "古语", "举例"}
_RHETORIC = re.compile(r"如果|假如|要是|否则|不然|就不是|就不能算")


def _table_row_is_requirement(sentence: Sentence, verdict: Verdict) -> bool:
    cells = sentence.body.split(CELL_SEPARATOR)
    words = sum(1 for cell in cells for char in cell if "\u4e00" <= char <= "\u9fff")
    return words >= 8 and (verdict.directive or names_a_deadline(sentence.body) or len(cells) >= 3)


def _split_turn(sentence: Sentence) -> list[tuple[int, int]]:
    """A long sentence that turns (……,特别是X,一定要Y) to a second requirement: its two halves."""
    body = sentence.text
    if len(body.strip()) <= SPLIT_CHARS:
        return []
    match = _TURN.search(body)
    if not match:
        return []
    cut = match.start() + 1
    if not (_directive_words(body[:cut]) and _directive_words(body[cut:])):
        return []
    return [(sentence.start, sentence.start + cut), (sentence.start + cut, sentence.end)]


def _row(document, sentences, members, why, section_of, base, scanner, lead=None, note="") -> Row:
    first, last = members[0], members[-1]
    p0, p1 = sentences[first[0]].paragraph, sentences[last[0]].paragraph
    if p0 == p1:
        source = document.paragraphs[p0][first[1] : last[2]]
    else:
        source = document.paragraphs[p0][first[1] : first[2]] + document.paragraphs[p1][last[1] : last[2]]
    section = section_of[first[0]]
    if section.paragraph == p0 and section.start == first[1] and section.parent and section.parent.kind != "root":
        # An enumerated point (一是……, 第一,……) is a row of the part it enumerates.
        section = section.parent
    when, deadline = find_when(source, base)
    if deadline is None:
        # 1.动员部署(3月15日前)。各乡镇制定具体方案: a stage's date is the deadline of the rows under it.
        node = section_of[first[0]]
        while node is not None and node.kind != "root" and deadline is None:
            when, deadline = find_when(node.title, base)
            node = node.parent
    text = _clean_text(source)
    if inner := units_note(source):
        # ……专项整治(责任单位:县住建局、各乡镇)。: the note names the units and is not the work.
        note = note or inner
        text = text.replace(inner, "")
    row = Row(
        text=text,
        source=source,
        paragraph=p0,
        start=first[1],
        paragraph_end=p1,
        end=last[2],
        section=section.title,
        why=why,
        deadline=deadline,
        when=when,
        milestones=deadlines.milestones(source, base=base) if deadline and deadline.milestones else [],
        deadline_note=deadlines.note(deadline),
    )
    if scanner is not None:
        row.mentions = scanner.units(source)
        row.unresolved = scanner.unknown(source, row.mentions)
        row.mentions = doers(source, row.mentions)
        if lead is not None:
            # 县住建局:负责……;指导……: the unit before the colon leads every duty after it; 各镇、各部门要……,全力推进……:
            # the subject of the first work leads the next ones.
            leads = lead if isinstance(lead, list) else [lead]
            named = {m.text for m in leads}
            row.mentions = [*leads, *[m for m in row.mentions if m.text not in named]]
        if note:
            # The units a task list names for the item are its units, whatever else the work mentions.
            row.mentions = note_mentions(note, scanner)
            row.unresolved = scanner.unknown(note, row.mentions)
        row.leader_mention, row.leader = scanner.leader(source)
    return row
