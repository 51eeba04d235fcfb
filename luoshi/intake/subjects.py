"""Who a clause is addressed to: the subject that opens it, the units that lead its work, a unit and its duties.

- 各乡镇、县直各单位要立即开展……: a clause with its own subject, kept with it when the sentence before it only states;
- 县卫健委要……; 各镇、各部门要……: the units a clause opens with, which lead the works after it too;
- (三)县住建局:负责……;指导……: a unit and its duties, each duty a row it leads;
- 交通局要……,财政局要……; 有关部门要……; 灵宝市负责……: the clauses of a sentence that each open with a body and what it
  is to do;
- 像住建局,需要在……贴牌: a named unit followed by what it is to do.

Split out of extract.py, which proposes the rows; these read one sentence and the directory's scanner.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from luoshi.org.services import HOW_FUZZY

from .clauses import group_lead_span
from .doers import JOINED, doers
from .judging import _SOFT, ADDRESSED_GROUPS, Verdict, judge
from .mentions import Mention, Scanner
from .outline import Marker, find_marker
from .sections import names_a_deadline

if TYPE_CHECKING:
    from .extract import Sentence


# The group words a sentence addresses (judging's), and the other words a clause's subject can be.
_SUBJECT = re.compile(
    rf"(?:在座的)?(?:{ADDRESSED_GROUPS}|各地|各镇|各乡|县直有关部门|各县区|各街道|各村|我们|大家|全县上下|各级"
    r"|相关部门|有关部门|各个乡镇|各主要责任单位|各相关单位)"
)
_CLAUSE_LEAD = re.compile(r"(?:因此|所以|为此|对此|今年|下一步|当前|目前|同时|今后)?[,,]?")
_CLAUSE_BREAK = re.compile(r"[,,;;]")


def _subject_at(text: str, scanner: Scanner | None) -> bool:
    if _SUBJECT.match(text):
        return True
    if scanner is None:
        return False
    return any(m.start == 0 and m.resolution.how != HOW_FUZZY for m in scanner.units(text[:30]))


def directive_tail(sentence: Sentence, scanner: Scanner | None) -> int | None:
    """Where, in a sentence, a later clause with its own subject directs with a modal word: its offset, or None."""
    body = sentence.text
    for match in _CLAUSE_BREAK.finditer(body):
        k = match.end()
        k += _CLAUSE_LEAD.match(body, k).end() - k
        tail = body[k:]
        if len(tail.strip()) < 6 or not _subject_at(tail, scanner):
            continue
        verdict = judge(tail)
        if verdict.directive and not all(word in _SOFT for word in verdict.why):
            return k
    return None


_MEMBERS = re.compile(r"(?:全体)?(?:班子成员|领导班子|主要负责同志|主要负责人|负责同志|负责人|干部职工)?")


def clause_subject(text: str, scanner: Scanner | None) -> list[Mention] | None:
    """The units a clause opens with, followed by its modal (县卫健委要……; 各镇、各部门要……), or None."""
    if scanner is None:
        return None
    found: list[Mention] = []
    for mention in doers(text, scanner.units(text[:40])):
        members = _MEMBERS.match(text, mention.end)  # 县自然资源局全体班子成员要……: the unit, through its people
        after = text[members.end() : members.end() + 6]
        if mention.resolution.how == HOW_FUZZY or (found and not JOINED.fullmatch(text[found[-1].end : mention.start])):
            continue
        if _UNIT_ACTS.match(after):
            return [*found, mention]
        if JOINED.match(after):
            found.append(mention)
    return found or None


def group_lead(text: str, scanner: Scanner | None) -> Mention | None:
    """The unit that leads a group set up in the sentence: where its office sits, else the first of its members."""
    if scanner is None or (span := group_lead_span(text)) is None:
        return None
    return next((m for m in scanner.units(text) if m.start >= span[0] and m.resolution.how != HOW_FUZZY), None)


_DUTIES = re.compile(r"[::]")


def unit_duty(sentence: Sentence, marker: Marker | None, scanner: Scanner) -> tuple[int, Mention] | None:
    """(三)县住建局:负责……; → where its first duty starts, and the unit before the colon, which leads each duty."""
    body = sentence.text
    offset = len(body) - len(body.lstrip())
    marker = marker or find_marker(body.lstrip())  # a list of one item is no outline, but still a number
    if marker is not None and body.lstrip().startswith(marker.text):
        offset += len(marker.text)
    colon = _DUTIES.search(body, offset, offset + 30)
    if colon is None or len(body[colon.end() :].strip()) < 4:
        return None
    head = body[offset : colon.start()].strip()
    mentions = [m for m in scanner.units(head) if m.resolution.how != HOW_FUZZY]
    if not mentions or mentions[0].start > 1 or mentions[-1].end < len(head) - 1:
        return None
    return sentence.start + colon.end(), mentions[0]


def unit_clauses(sentence: Sentence, scanner: Scanner) -> list[int]:
    """Offsets of the clauses of a sentence that each open with a unit and what it is to do (交通局要……,财政局要……)."""
    body = sentence.text
    starts = [0, *(m.end() for m in _CLAUSE_BREAK.finditer(body))]
    cuts = []
    for k in starts:
        if k and _GROUP_ACTS.match(body, k):
            # ……,各省级药监部门要强化……: a group of bodies the directory may not know, with its own modal.
            cuts.append(k)
            continue
        mentions = [m for m in scanner.units(body[k : k + 40]) if m.resolution.how != HOW_FUZZY]
        if not mentions or mentions[0].start != 0:
            continue
        end = mentions[0].end
        for mention in mentions[1:]:
            # 县教育局、县卫健委要……: the units named together, then what they are to do.
            if JOINED.fullmatch(body[k + end : k + mention.start]):
                end = mention.end
        if _UNIT_ACTS.match(body[k + end : k + end + 6]):
            cuts.append(k)
    if (
        cuts
        and cuts[0] != 0
        and _GROUP_ACTS.match(body, cuts[0])
        and (judge(body[: cuts[0]]).directive or _BY_UNITS.match(body))
    ):
        cuts.insert(0, 0)  # the clause before the group's is a requirement of its own
    if len(cuts) < 2:
        return []
    cuts[0] = 0
    return cuts


_MODAL_ACTS = r"(?:和[^,,。;]{1,8})?(?:要|应当|必须|不得|负责|牵头)"
_GROUP_ACTS = re.compile(
    rf"\s*(?:(?:各[^,,。;、]{{1,12}}?(?:部门|单位|机构|地区|城市)"
    # 有关部门要……, 各分指挥部要……, 各县级领导要……: a body the directory may not know, with its own modal.
    rf"|(?:各|有关|相关)?[^,,。;;、要的]{{0,8}}?(?:部门|单位|机构|指挥部|工作组|专班|小组|领导|负责人|负责同志)){_MODAL_ACTS}"
    # 创建办要……, 县政府新闻办制定方案……, 灵宝市负责……: an office or a place the county's directory does not hold
    # (a county of the city, a city of the province), with its modal or the verb of its work.
    rf"|(?:[^,,。;;、要的]{{1,8}}?办|[\u4e00-\u9fff]{{2,4}}[市县区])(?:{_MODAL_ACTS}|制定|组织|开展|提出|编制))"
)
# 由县人事劳动和社会保障局、监察局、法制办提出公开承诺单位,……: the units that do the clause's work, named first.
_BY_UNITS = re.compile(r"\s*由[^,,。;;]{2,40}?(?:提出|负责|制定|组织|开展|牵头|审核|确定)")
_UNIT_ACTS = re.compile(r"^[,,、\s]*(?:需要|要|应当|应该|应|负责|牵头|必须)")


def addressed_unit(text: str, scanner: Scanner) -> Verdict | None:
    """像住建局,需要在……贴牌: a named unit followed by what it is to do.

    In a plan a unit that opens a sentence with a deadline in it is given work too:
    县农业农村局组织……验收,12月20日前形成总结.
    """
    mentions = scanner.units(text)
    for mention in mentions:
        if _UNIT_ACTS.match(text[mention.end : mention.end + 6]):
            return Verdict(True, why=[mention.text])
    body = text.lstrip()
    first = next((m for m in mentions if m.resolution.how != HOW_FUZZY), None)
    if first is not None and first.start <= len(text) - len(body) + 4 and names_a_deadline(text):
        return Verdict(True, why=[first.text, "时限"])
    return None
