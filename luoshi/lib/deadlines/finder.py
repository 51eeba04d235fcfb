"""Finding deadline phrases in running text: each candidate run of date words is a phrase when `parse` reads it."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date

from .parser import _COMPACT_DATE, _normalise, parse
from .result import NONE, Deadline

_TOKEN = re.compile(
    r"(?:\d{1,4}(?:\s(?=\d))?"
    r"|工作日|个半月|伊始|左右|以前|之前|以内|之内|以后|之后|前后|期间|上旬|中旬|下旬|上半年|下半年|季度|年度"
    r"|大前年|明年|今年|次年|来年|后年|去年|前年|本年|当年|这[一1]?年|今明[2两]年"
    r"|本月|当月|这[一1]?个月|下[一1]?个?月|次月|上[一1]?个?月|本季度?|当季度?|下[一1]?个?季度|上[一1]?个?季度|首个?季度|首个?月"
    r"|本日|今日|当日|今天|明天|大*后天|[下本这]*[一1]?个?(?:周|星期|礼拜)[一二三四五六日天末]?"
    r"|农历|春节|元旦|清明节?|五一|劳动节|端午节?|中秋节?|国庆节?|十一(?=前|期间|假期|节|长假|完成)|元宵节?|除夕|大年三十|重阳节?"
    r"|主汛期|汛期|春耕|夏收|三夏|秋收|三秋|秋冬季|到来前|结束前"
    r"|每个?月|每周[一二三四五六日天1-7]?|每星期[一二三四五六日天]?|每季度?|每年度?|按[周月季年]度?|逐[周月季年]|长期坚持|月末|末月"
    r"|[,,、](?=\d{1,2}[日号])"
    r"|月份|的(?=第)"
    r"|[年月日号天周季底末初中前内后至到个第Qq·\-—~/.])+",
)
_FESTIVAL_NAMES = frozenset({"国庆", "中秋", "端午", "清明", "元宵", "重阳", "五一"})
_TRIM_START = "至到-—~·./、,,个内中的"
_TRIM_END = "至到-—~·./、,,个第"
_BARE = re.compile(
    r"^(?:\d+|\d{2,4}年度?|(?:[明今次来后去前本当]|这[一1]?|下[一1]?|上[一1]?)年度?|\d{1,2}|\d{1,2}[日号])$"
)


@dataclass(frozen=True)
class Found:
    """A deadline phrase in running text: where it is (offsets into the text given) and what it says."""

    start: int
    end: int
    phrase: str
    deadline: Deadline


def _candidates(normal: str):
    """The (start, end) of each run of date words, trimmed of the joining characters at its ends.

    A festival's short name followed by 月 is a run of its own, so that the name alone needs its time word:
    中秋月饼 is a mooncake, and 刘国庆月底前 names no day in October.
    """
    for match in _TOKEN.finditer(normal):
        a, b = match.start(), match.end()
        while a < b and normal[a] in _TRIM_START and not normal.startswith("中秋", a):
            a += 1  # a 中 before a date is the text's (工作中6月底前), but 中秋 is the festival
        while b > a and normal[b - 1] in _TRIM_END:
            b -= 1
        if normal[a : a + 2] in _FESTIVAL_NAMES and normal[a + 2 : a + 3] == "月":
            yield a, a + 2
            a += 2
        if a < b:
            yield a, b


def find(text: str, *, base: date, workdays=None) -> list[Found]:
    """Every deadline phrase of a passage, in order, each read by `parse`.

    The runs of the characters and words deadlines are written with are candidates; a candidate is a
    phrase when `parse` reads it. A number or a year alone (32亿元, 2021年实现……) is not a deadline.
    """
    if not text:
        return []
    text = text[:100_000]
    normal, starts, ends = _normalise(text)
    out: list[Found] = []
    for a, b in _candidates(normal):
        candidate = normal[a:b]
        squeezed = candidate.replace(" ", "")
        if _BARE.match(squeezed) or _COMPACT_DATE.match(squeezed):
            # A number or a year alone (32亿元, 2021年实现……) is a deadline only where the words around it
            # say so: 在2023年完成, 于30日前, 2025年前.
            before, after = normal[max(0, a - 2) : a], normal[b : b + 2]
            told = bool(re.search(r"[在于到至]$|截[至止]$|力争$|争取$", before))
            if not (told or (re.match(r"前|内|底", after) and re.match(r"\d{4}", squeezed))):
                continue
        if squeezed in _FESTIVAL_NAMES and not (
            re.match(r"假|长假|到来|节|完成", normal[b : b + 2]) or re.search(r"[在于到至]$", normal[max(0, a - 1) : a])
        ):
            # A festival's short name alone is a deadline only where the words around it say it is a time
            # (在国庆完成, 国庆假期; 国庆前 and 国庆期间 are phrases of their own): 刘国庆 is a name, 政治清明 a state.
            continue
        if not candidate.startswith(("十一", "五一")) and not re.search(
            r"\d|[年季节旦明午秋庆宵夕期耕收坚每按逐本当首周星拜天]", candidate
        ):
            continue
        parsed = parse(candidate, base=base, workdays=workdays)
        if not parsed.ok:
            continue
        start, end = starts[a], ends[b - 1]
        out.append(Found(start, end, text[start:end], replace(parsed, text=text[start:end])))
    return out


def in_text(text: str, *, base: date, workdays=None) -> tuple[str, Deadline | None]:
    """The deadline of a passage: its last date (the earlier ones as milestones), its first cadence.

    Returns the phrases as written, joined by 、, and the combined reading (None when there is none).
    """
    found = find(text, base=base, workdays=workdays)
    if not found:
        return "", None
    phrases = [f.phrase for f in found]
    dates = sorted({d for f in found for d in (*f.deadline.milestones, f.deadline.date) if d})
    cadence = next((f.deadline for f in found if f.deadline.cadence != NONE), None)
    final = dates[-1] if dates else None
    standing = any(f.deadline.standing for f in found) and final is None
    warnings = [f.deadline.warning for f in found if f.deadline.warning]
    suggested = next((f.deadline.suggested for f in found if f.deadline.date == final and f.deadline.suggested), None)
    if final is not None and final >= base:
        warnings = [w for w in warnings if "早于文件日期" not in w]
        suggested = None
    combined = Deadline(
        text="、".join(phrases),
        date=final,
        cadence=cadence.cadence if cadence else NONE,
        cadence_day=cadence.cadence_day if cadence else 0,
        standing=standing,
        milestones=tuple(dates[:-1]),
        warning=";".join(dict.fromkeys(warnings)),
        suggested=suggested,
    )
    return "、".join(phrases), combined


def milestones(text: str, *, base: date, workdays=None) -> list[tuple[str, date]]:
    """The earlier dates of a passage as (what is due, when): 9月底前完成招标、年底前开工 → [("完成招标", 9-30)].

    The name is the clause the date stands in, without the date phrase; the last date is the deadline, not a milestone.
    """
    found = find(text, base=base, workdays=workdays)
    dates = sorted({f.deadline.date for f in found if f.deadline.date})
    if len(dates) < 2:
        return []
    out: list[tuple[str, date]] = []
    for f in found:
        day = f.deadline.date
        if day is None or day == dates[-1] or any(day == due for _, due in out):
            continue
        clause = re.split(r"[、,,;;。!!]", text[f.end :], maxsplit=1)[0]
        clause = re.sub(r"^(?:前|以前|之前|内|底前)", "", clause).strip() or f.phrase
        out.append((clause[:60], day))
    return sorted(out, key=lambda item: item[1])
