"""Reading one deadline phrase (`parse`): normalising numerals, the patterns, relative phrases, spans and cadences."""

from __future__ import annotations

import calendar
import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache

import cn2an
from django.core.exceptions import AppRegistryNotReady, ImproperlyConfigured
from django.db import DatabaseError

from .festivals import _FESTIVALS, _SEASON, _seasons, festival_date
from .result import MONTHLY, NONE, QUARTERLY, WEEKLY, YEARLY, Deadline, _Impossible, _Unsupported

MAX_LENGTH = 200
_YEARS = range(1990, 2101)


# -- normalising, keeping where each character came from --------------------------------------------------------

_CN_NUMBER = re.compile(r"[〇零一二三四五六七八九十两]+")
# The dashes Word and other editors put in ranges, read as the ones the patterns know (NFKC keeps them).
_DASHES = {"\u2013": "-", "\u2015": "—", "\u301c": "~"}  # – (en dash), ― (horizontal bar), 〜 (wave dash)
_CN_DIGITS = {"〇": 0, "零": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}


def _convert_numeral(string: str, start: int, end: int) -> str | None:
    """The Arabic form of the numeral string[start:end], or None where it counts nothing (一口清, 统一)."""
    run = string[start:end]
    following = string[end : end + 1]
    preceding = string[start - 1 : start] if start else ""
    if following == "年" and len(run) >= 2 and "十" not in run and "两" not in run:
        # A year written digit by digit: 二〇二二年, 零七年, 九零年.
        return "".join(str(_CN_DIGITS[char]) for char in run)
    counts = (following and following in "年月日号季周个天底末中上下旬") or (preceding and preceding in "第每前近周后")
    if not counts:
        return None
    if preceding == "周" and not (following and following in "年月日号季个天"):
        return None  # 周一 … 周日 is read as a weekday below
    if run == "十一" and following in ("", "前", "期", "假", "长", "节"):
        return None  # 十一 alone is the National Day holiday
    try:
        value = cn2an.cn2an(run.replace("两", "二"), "smart")
    except (ValueError, KeyError, IndexError, TypeError):
        return None
    return str(int(value))


def _normalise(text: str) -> tuple[str, list[int], list[int]]:
    """NFKC, one dash for each kind, and Arabic numerals (二〇二二年六月底 → 2022年6月底), with each output character's
    source span."""
    chars: list[str] = []
    starts: list[int] = []
    for index, char in enumerate(text):
        folded = _DASHES.get(char) or unicodedata.normalize("NFKC", char)
        for piece in folded:
            chars.append(piece)
            starts.append(index)
    folded = "".join(chars)
    out: list[str] = []
    out_starts: list[int] = []
    out_ends: list[int] = []
    position = 0
    for match in _CN_NUMBER.finditer(folded):
        converted = _convert_numeral(folded, match.start(), match.end())
        if converted is None:
            continue
        for k in range(position, match.start()):
            out.append(folded[k])
            out_starts.append(starts[k])
            out_ends.append(starts[k] + 1)
        for piece in converted:
            out.append(piece)
            out_starts.append(starts[match.start()])
            out_ends.append(starts[match.end() - 1] + 1)
        position = match.end()
    for k in range(position, len(folded)):
        out.append(folded[k])
        out_starts.append(starts[k])
        out_ends.append(starts[k] + 1)
    return "".join(out), out_starts, out_ends


def _arabic(text: str) -> str:
    """二〇二二年六月底 → 2022年6月底; 第三季度 → 第3季度; 一口清, 统一, 十分 stay as they are."""
    return _normalise(text)[0]


def _clean(text: str) -> str:
    return re.sub(r"\s+", "", _normalise(text)[0])


# -- the patterns ----------------------------------------------------------------------------------------------

_RANGE = r"(?:至|到|—+|-|~|－)"
_STANDING = re.compile(r"长期(坚持)?|长效|常态化|持续(推进|开展|抓好)?|常年|一直|长期性")
_FULL_DATE = re.compile(r"(?<!\d)(\d{4}|\d{2})[年.\-/](\d{1,2})[月.\-/](\d{1,2})(?!\d)[日号]?")
_COMPACT_DATE = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
_MONTH_DAY = re.compile(r"(?<![\d年.\-/])(\d{1,2})月(\d{1,2})(?:[日号]|(?![\d月]))")
_YEAR_MONTH = re.compile(r"(?<!\d)(\d{4}|\d{2})年(\d{1,2})月(上旬|中旬|下旬|初|中|底|末|份)?(?!\d)")
_YEAR_MONTH_DOT = re.compile(r"(?<![\d./])(\d{4})[.\-/](\d{1,2})(?![\d.月日号/])(?!-\d{1,2}(?!\d))")
_MONTH = re.compile(r"(?<![\d年每])(\d{1,2})月(上旬|中旬|下旬|初|中|底|末|份)?(?![\d日号])")
_DAY_AFTER = re.compile(r"(?<=[至到\-—~,,、和])(\d{1,2})[日号]")
_DAY_ONLY = re.compile(r"^(\d{1,2})[日号]$")
_QUARTER = re.compile(r"(?<![每\d])(?:(\d{4}|\d{2})年)?(?:第)?([1-4])季度?(末|底|初)?")
_QUARTER_EN = re.compile(r"(?:(\d{4}|\d{2})年)?(?<![A-Za-z])Q([1-4])(?![0-9])", re.I)
_HALF = re.compile(r"(?:(\d{4}|\d{2})年)?(上|下)半年")
_YEAR_END = re.compile(r"(?:(\d{4}|\d{2})年|(全年|年内|年度内))?(年底|年末|年终|底前|底|末|终)?")
_BARE_YEAR = re.compile(r"(?<![\d./])(\d{4})年?(?![\d.\-/月])|(?<!\d)(\d{2})年(?![\d月])")
_WITHIN = re.compile(
    r"(?<![\d.\-/])(\d{1,3})(个半月|个月|月|个季度|季度|个?周|个?星期|个?礼拜|天|日|个工作日|工作日|年)(之?内|以内|后|之后|以后)"
)
_SERIAL = re.compile(r"^\d{5}(\.0+)?$")
_MONTH_ONLY_DAY = re.compile(r"^(\d{1,2})[.\-/·](\d{1,2})$")

_WEEKLY = re.compile(r"每周([一二三四五六日天1-7])?|按周|逐周|每星期([一二三四五六日天])?")
_MONTHLY = re.compile(r"每月(?:的)?(?:(\d{1,2})[日号]|(底|末))?|按月|逐月|每个月")
_QUARTERLY = re.compile(r"每季度?(?:(?:最后[一1]个月|末月)(\d{1,2})[日号]|末|底)?|按季度?|逐季")
_YEARLY = re.compile(r"每年(?:(\d{1,2})月(\d{1,2})[日号])?|按年|逐年|每年度")

_TEN_DAYS = {"上旬": 10, "初": 10, "中旬": 20, "中": 20}


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def _year(text: str, base: date) -> int:
    """A year as written: 22 is 2022, 98 is 1998 (whichever century is nearer the document's date)."""
    year = int(text)
    if year >= 100:
        return year
    candidates = [1900 + year, 2000 + year]
    return min(candidates, key=lambda y: abs(y - base.year))


def _check_year(year: int) -> None:
    if year not in _YEARS:
        raise _Impossible(f"年份“{year}”不在1990至2100年之间")


def _make(year: int, month: int, day: int, written: str) -> date:
    _check_year(year)
    if not 1 <= month <= 12:
        raise _Impossible(f"“{written}”中没有{month}月")
    try:
        return date(year, month, day)
    except ValueError:
        raise _Impossible(
            f"日期“{written}”不存在({year}年{month}月只有{calendar.monthrange(year, month)[1]}天)"
        ) from None


def _span_end(year: int, month: int, part: str | None, written: str) -> date:
    _check_year(year)
    if not 1 <= month <= 12:
        raise _Impossible(f"“{written}”中没有{month}月")
    if part in _TEN_DAYS:
        return date(year, month, _TEN_DAYS[part])
    return _month_end(year, month)


def _cadence_day(written: str | None, last: int, where: str) -> int:
    """A cadence's day as written, 0 when none is; a day outside 1..last is refused."""
    if written is None:
        return 0
    day = int(written)
    if not 1 <= day <= last:
        raise _Impossible(f"{where}没有{day}日")
    return day


def _cadence(text: str) -> tuple[str, int, str]:
    """The repeating part of a phrase, and the text with it taken out."""
    if match := _WEEKLY.search(text):
        name = match.group(1) or match.group(2) or ""
        day = "一二三四五六日天".find(name) + 1 if name else 0
        if name == "天":
            day = 7  # 每周天 is Sunday, as 每周日
        elif name.isdigit():
            day = int(name)
        return WEEKLY, day, text[: match.start()] + text[match.end() :]
    if match := _MONTHLY.search(text):
        day = 31 if match.group(2) else _cadence_day(match.group(1), 31, "每月")
        return MONTHLY, day, text[: match.start()] + text[match.end() :]
    if match := _QUARTERLY.search(text):
        day = _cadence_day(match.group(1), 31, "每季度末月")
        return QUARTERLY, day, text[: match.start()] + text[match.end() :]
    if match := _YEARLY.search(text):
        day = 0
        if match.group(1):
            month = int(match.group(1))
            if not 1 <= month <= 12:
                raise _Impossible(f"“{match.group(0)}”中没有{month}月")
            day = _cadence_day(match.group(2), calendar.monthrange(2000, month)[1], f"每年{month}月")
            if month != 12:
                # A yearly cadence reports on a day of December; read as 每年 it would fall due at the year end,
                # half a year after the date the office wrote.
                raise _Unsupported(
                    f"按年报送的日期只能在12月(如“每年12月20日”),“{match.group(0)}”请写成具体日期"
                    f"(如“{month}月{day}日前”)或改为每季度、每月报送"
                )
        return YEARLY, day, text[: match.start()] + text[match.end() :]
    return NONE, 0, text


# -- relative phrases, written out against the document's date -----------------------------------------------


def _shift_month(year: int, month: int, by: int) -> tuple[int, int]:
    index = year * 12 + month - 1 + by
    return index // 12, index % 12 + 1


def _absolute(text: str, base: date) -> str:
    """明年3月底 → 2023年3月底, 下月9号 → 2022年4月9号, 首季度 → 第1季度 …: the phrase with its reference filled in."""
    y, m = base.year, base.month
    q = (m - 1) // 3 + 1
    text = re.sub(r"今明[2两]年", f"{y}年至{y + 1}年", text)
    text = re.sub(r"前后|左右|上下(?!半)", "", text)  # 中秋节前后: the festival, not the day before
    text = re.sub(r"大前年", f"{y - 3}年", text)
    text = re.sub(r"(?<![\d年])前年", f"{y - 2}年", text)
    text = re.sub(r"明年|次年|来年|下[一1]?年(?!度)|下[一1]?年度", f"{y + 1}年", text)
    text = re.sub(r"(?<![\d年])后年", f"{y + 2}年", text)
    text = re.sub(r"去年|上[一1]?年度?(?![底末终初中])|上[一1]年", f"{y - 1}年", text)
    text = re.sub(r"今年|本年度?|当年|这[一1]?年|年度内", f"{y}年", text)

    def months(by: int) -> str:
        year, month = _shift_month(y, m, by)
        return f"{year}年{month}月"

    text = re.sub(r"(?:本|当|这[一1]?个?)月(?!份)", months(0), text)
    text = re.sub(r"(?:下[一1]?个?|次)月", months(1), text)
    text = re.sub(r"上[一1]?个?月", months(-1), text)

    def quarter(by: int) -> str:
        index = y * 4 + q - 1 + by
        return f"{index // 4}年第{index % 4 + 1}季度"

    text = re.sub(r"(?:本|当|这[一1]?个?)季度?", quarter(0), text)
    text = re.sub(r"下[一1]?个?季度", quarter(1), text)
    text = re.sub(r"上[一1]?个?季度", quarter(-1), text)
    text = re.sub(r"首个?季度?(?=度|$|[^月])", "第1季度", text).replace("季度度", "季度")
    text = re.sub(r"首个?月", "1月", text)
    text = re.sub(r"本日|今日|当日|今天", f"{y}年{m}月{base.day}日", text)
    text = _days_and_weeks(text, base)
    # Within a year: 前两个季度, 前十一个月, 后三月, 第8个月.
    text = re.sub(r"前(\d)个?季度?", r"第\1季度", text)
    text = re.sub(r"(?<=年)前(\d{1,2})个?月(?!内)|(?<=^)前(\d{1,2})个?月(?!内)", lambda k: f"{k.group(1) or k.group(2)}月", text)  # fmt: skip
    text = re.sub(r"(?<=年)后\d{1,2}个?月", "12月", text)
    text = re.sub(r"(?<=年)第(\d{1,2})个月", r"\1月", text)
    # 年初 is its first two months, 伊始 its first, 年中 its middle.
    text = re.sub(r"(\d{2,4})年年?初", r"\g<1>年2月底", text)
    text = re.sub(r"(?<![\d月])年初", f"{y}年2月底", text)
    text = re.sub(r"(\d{2,4})年伊始|(\d{2,4})年初始", lambda k: f"{k.group(1) or k.group(2)}年1月底", text)
    text = re.sub(r"(\d{2,4})年年?中(?!旬|秋)", r"\g<1>年6月底", text)  # 2022年中秋 is the festival
    text = re.sub(r"(?<![\d月一])年中(?!旬|秋)", f"{y}年6月底", text)
    text = re.sub(r"(\d{1,2})月月(底|末)", r"\1月\2", text)
    # 月底前 with no month is this month's end; 月内 too.
    text = re.sub(
        r"(?<![\d每本当个上下半])月(底|末|内)", lambda k: f"{months(0)}{'底' if k.group(1) != '内' else ''}", text
    )
    # A month range inside one year, with or without it: 2019年1-5月 → 2019年1月至5月, 4至6月 → 4月至6月.
    text = re.sub(rf"(?<![\d.\-/~—月A-Za-z])(\d{{1,2}}){_RANGE}+(\d{{1,2}})月", r"\1月至\2月", text)
    return text


_WEEKDAY = {"一": 0, "二": 1, "三": 2, "四": 3, "五": 4, "六": 5, "日": 6, "天": 6, "末": 6}
_WEEK = r"(?:个?周|个?星期|个?礼拜)"
_DAY_WORDS = {"今天": 0, "明天": 1, "后天": 2, "大后天": 3, "大大后天": 4}


def _first_monday(year: int, month: int) -> date:
    """Week 1 of a month or a year is the first whole week, Monday to Sunday (JioNLP reads it so too)."""
    first = date(year, month, 1)
    return first + timedelta(days=(7 - first.weekday()) % 7)


def _days_and_weeks(text: str, base: date) -> str:
    """明天, 下周五, 本周, 6月第3周, 第三个星期日, 今年第37周 → written dates."""

    def written(day: date) -> str:
        return f"{day.year}年{day.month}月{day.day}日"

    text = re.sub(
        r"大大后天|大后天|今天|明天|(?<![\d年])后天",
        lambda k: written(base + timedelta(days=_DAY_WORDS[k.group(0)])),
        text,
    )
    monday = base - timedelta(days=base.weekday())

    def ahead(prefix: str | None) -> int:
        return {"下下": 2, "下": 1}.get((prefix or "")[:2].rstrip("一1个"), 0)

    def week_day(k: re.Match) -> str:
        name = k.group(2)
        day = monday + timedelta(days=7 * ahead(k.group(1)) + (int(name) - 1 if name.isdigit() else _WEEKDAY[name]))
        if not k.group(1) and day < base:
            day += timedelta(days=7)  # 周五前, said on a Saturday, is the coming Friday
        return written(day)

    text = re.sub(
        rf"(?<![每第个\d])(下下|下[一1]?个?|本|这[一1]?个?)?{_WEEK}的?(?:周|星期|礼拜)?([一二三四五六日天末1-7])",
        week_day,
        text,
    )
    text = re.sub(
        rf"(?<![每第个\d])(下下|下[一1]?个?|本|这[一1]?个?){_WEEK}",
        lambda k: written(monday + timedelta(days=6 + 7 * ahead(k.group(1)))),
        text,
    )

    def nth_week(k: re.Match) -> str:
        year = _year(k.group(1), base) if k.group(1) else base.year
        month, number, weekday = k.group(2), int(k.group(3)), k.group(4)
        if not 1 <= number <= 53 or (month and not 1 <= int(month) <= 12) or year not in _YEARS:
            return k.group(0)
        if weekday:  # 6月第3个星期日: the third Sunday of June
            first = date(year, int(month) if month else 1, 1)
            day = first + timedelta(days=(_WEEKDAY[weekday] - first.weekday()) % 7 + 7 * (number - 1))
        else:
            day = _first_monday(year, int(month) if month else 1) + timedelta(days=7 * (number - 1) + 6)
        return written(day)

    text = re.sub(
        r"(?:(\d{2,4})年)?(?:(\d{1,2})月份?)?的?第(\d{1,2})个?(?:周|星期|礼拜)([一二三四五六日天])?",
        lambda k: nth_week(k) if (k.group(1) or k.group(2)) else k.group(0),
        text,
    )
    return text


# -- reading ---------------------------------------------------------------------------------------------------


@dataclass
class _Hit:
    at: int
    date: date
    explicit_year: int | None = None
    explicit_month: int | None = None


def _dates(text: str, base: date, workdays) -> tuple[list[_Hit], list[str]]:
    """Every date the text names, as the last day of any span it names, with where it stands in the text.

    A date written without a year takes the year of an earlier date in the same phrase (2017年8月至11月),
    else the document's; a day alone after a range (12月9号到15号) takes that date's month too.
    """
    hits: list[_Hit] = []
    warnings: list[str] = []
    taken = list(text)

    def blank(match: re.Match) -> None:
        for k in range(match.start(), match.end()):
            taken[k] = "#"

    def scan(pattern: re.Pattern, make) -> None:
        for match in list(pattern.finditer("".join(taken))):
            hit = make(match)
            if hit is not None:
                hits.append(hit)
                blank(match)

    def year_at(at: int) -> int | None:
        earlier = [h for h in hits if h.at < at and h.explicit_year]
        return max(earlier, key=lambda h: h.at).explicit_year if earlier else None

    def month_at(at: int) -> tuple[int, int] | None:
        earlier = [h for h in hits if h.at < at and h.explicit_month]
        if not earlier:
            return None
        hit = max(earlier, key=lambda h: h.at)
        return hit.date.year, hit.explicit_month

    def festival(m: re.Match) -> _Hit:
        year = _year(m.group(1), base) if m.group(1) else None
        if year is not None:
            _check_year(year)  # 2200年清明: the years a deadline may name, before the calendars' own limits
        when = m.group(3) or ""
        if year is None:
            day = festival_date(m.group(2), base.year)
            if day < base - timedelta(days=7):
                day = festival_date(m.group(2), base.year + 1)  # the next one, as a deadline looks forward
        else:
            day = festival_date(m.group(2), year)
        if when in ("前", "以前", "之前"):
            day -= timedelta(days=1)
        _check_year(day.year)
        return _Hit(m.start(), day, explicit_year=year)

    def season(m: re.Match) -> _Hit:
        name, when = m.group(2), m.group(3) or ""
        start_month, start_day, end_month, end_day = _seasons()[name]
        year = _year(m.group(1), base) if m.group(1) else base.year
        start = _make(year, start_month, start_day, m.group(0))
        if not m.group(1) and start < base and when not in ("期间", "内"):
            year += 1
            start = _make(year, start_month, start_day, m.group(0))
        end_year = year + 1 if (end_month, end_day) < (start_month, start_day) else year
        end = _make(end_year, end_month, min(end_day, calendar.monthrange(end_year, end_month)[1]), m.group(0))
        before = when in ("前", "以前", "之前", "到来前")
        warnings.append(
            f"“{name}”按本县设定({start_month}月{start_day}日至{end_month}月{end_day}日)计算,请确认本年度的实际日期"
        )
        return _Hit(m.start(), start - timedelta(days=1) if before else end)

    scan(_FESTIVALS, festival)
    scan(_SEASON, season)
    scan(_COMPACT_DATE, lambda m: _Hit(m.start(), _make(int(m.group(1)), int(m.group(2)), int(m.group(3)), m.group(0))))

    def full(m: re.Match) -> _Hit:
        year = _year(m.group(1), base)
        return _Hit(m.start(), _make(year, int(m.group(2)), int(m.group(3)), m.group(0)), year, int(m.group(2)))

    scan(_FULL_DATE, full)

    def year_month(m: re.Match) -> _Hit:
        year = _year(m.group(1), base)
        return _Hit(m.start(), _span_end(year, int(m.group(2)), m.group(3), m.group(0)), year, int(m.group(2)))

    scan(_YEAR_MONTH, year_month)
    scan(
        _YEAR_MONTH_DOT,
        lambda m: _Hit(m.start(), _span_end(int(m.group(1)), int(m.group(2)), None, m.group(0)), int(m.group(1))),
    )

    def quarter(m: re.Match) -> _Hit:
        year = _year(m.group(1), base) if m.group(1) else (year_at(m.start()) or base.year)
        month = int(m.group(2)) * 3
        if m.group(3) == "初":
            month -= 2
        return _Hit(m.start(), _span_end(year, month, None, m.group(0)), year if m.group(1) else None)

    scan(_QUARTER, quarter)

    def quarter_en(m: re.Match) -> _Hit:
        year = _year(m.group(1), base) if m.group(1) else (year_at(m.start()) or base.year)
        _check_year(year)
        return _Hit(m.start(), _month_end(year, int(m.group(2)) * 3), year if m.group(1) else None)

    scan(_QUARTER_EN, quarter_en)

    def half(m: re.Match) -> _Hit:
        year = _year(m.group(1), base) if m.group(1) else (year_at(m.start()) or base.year)
        return _Hit(
            m.start(), _span_end(year, 6 if m.group(2) == "上" else 12, None, m.group(0)), year if m.group(1) else None
        )

    scan(_HALF, half)

    def onward(m: re.Match, make) -> date:
        """The date `make(year)` gives, a year on where a range would end before it starts: 11月至2月, 12月20日至1月10日."""
        day = make(year_at(m.start()) or base.year)
        if re.search(rf"{_RANGE}$", text[: m.start()]):
            start = max((h for h in hits if h.at < m.start()), key=lambda h: h.at, default=None)
            if start is not None and start.date > day:
                return make(day.year + 1)
        return day

    def month_day(m: re.Match) -> _Hit:
        day = onward(m, lambda year: _make(year, int(m.group(1)), int(m.group(2)), m.group(0)))
        return _Hit(m.start(), day, None, int(m.group(1)))

    scan(_MONTH_DAY, month_day)

    def month(m: re.Match) -> _Hit:
        day = onward(m, lambda year: _span_end(year, int(m.group(1)), m.group(2), m.group(0)))
        return _Hit(m.start(), day, None, int(m.group(1)))

    scan(_MONTH, month)
    whole = "".join(taken)
    if m := _MONTH_ONLY_DAY.match(whole):
        hits.append(_Hit(0, _make(base.year, int(m.group(1)), int(m.group(2)), m.group(0))))
        blank(m)
    if m := _DAY_ONLY.match(whole):
        hits.append(_Hit(0, _make(base.year, base.month, int(m.group(1)), m.group(0))))
        blank(m)

    def day_after(m: re.Match) -> _Hit | None:
        known = month_at(m.start())
        if known is None:
            return None
        return _Hit(m.start(), _make(known[0], known[1], int(m.group(1)), m.group(0)))

    scan(_DAY_AFTER, day_after)

    def duration(count: int, unit: str, after: bool, at: int, written: str) -> _Hit:
        """N个月内 is the same day N months on; N周后, N个月后 (JioNLP's reading too) the end of that week or month."""
        unit = unit.lstrip("个")
        if unit in ("月", "半月", "年", "季度"):
            months = {"年": 12, "季度": 3}.get(unit, 1) * count
            year, month = _shift_month(base.year, base.month, months)
            if year not in _YEARS:
                raise _Impossible(f"“{written}”超出了可识别的年份")
            end = date(year, month, min(base.day, calendar.monthrange(year, month)[1]))
            if unit == "半月":
                end += timedelta(days=15)
            elif after and unit in ("月", "季度"):
                end = _month_end(year, month)
        elif unit == "工作日":
            end = workdays(base, count)
        elif unit in ("周", "星期", "礼拜"):
            end = base + timedelta(days=count * 7)
            if after:
                end += timedelta(days=6 - end.weekday())
        else:
            end = base + timedelta(days=count)
        if end.year not in _YEARS:
            raise _Impossible(f"“{written}”超出了可识别的年份")
        return _Hit(at, end)

    scan(_WITHIN, lambda m: duration(int(m.group(1)), m.group(2), "后" in m.group(3), m.start(), m.group(0)))
    # "4个月" with no 内: the old spelling of a duration.
    scan(re.compile(r"^(\d{1,2})个月$"), lambda m: duration(int(m.group(1)), "月", False, 0, m.group(0)))
    if not hits:
        whole = "".join(taken)
        for m in _YEAR_END.finditer(whole):
            year_text, word, end = m.groups()
            if not (year_text or word or end):
                continue
            if year_text and not end:
                continue  # 2022年 alone is a year, not a deadline; read below as the year's end only when alone
            year = _year(year_text, base) if year_text else base.year
            _check_year(year)
            hits.append(_Hit(m.start(), date(year, 12, 31)))
            break
    whole = "".join(taken)
    bare = list(_BARE_YEAR.finditer(whole))
    if bare and (not hits or re.search(rf"{_RANGE}\s*$", whole[: bare[-1].start()])):
        # 2018, 2025年前, 2008.03-2009, 从2008年——2018年: a year alone is its last day.
        rest = _BARE_YEAR.sub("", whole)
        if not hits and re.sub(r"[#从自至到\-—~－前以之内止年度]", "", rest):
            return hits, warnings
        match = bare[-1]
        year = _year(match.group(1) or match.group(2), base)
        _check_year(year)
        hits.append(_Hit(match.start(), date(year, 12, 31)))
    return hits, warnings


def _excel_serial(text: str) -> date | None:
    """A date cell read as text (44651 is 2022-03-31), within the years a deadline may name."""
    if _SERIAL.match(text):
        day = date(1899, 12, 30) + timedelta(days=int(float(text)))
        if day.year in _YEARS:
            return day
    return None


def _default_workdays(day: date, n: int) -> date:
    """n working days after `day` on the county's calendar, or on chinese-calendar's where there is no database."""
    try:
        from luoshi.lib import workdays

        return workdays.calendar().add(day, n)
    except (ImportError, ImproperlyConfigured, AppRegistryNotReady, DatabaseError, RuntimeError):
        # No database here (a script, a test without one): the package's own calendar.
        import chinese_calendar

        step = 0
        while n > 0:
            step += 1
            probe = day + timedelta(days=step)
            try:
                working = chinese_calendar.is_workday(probe)
            except NotImplementedError:
                working = probe.weekday() < 5
            n -= working
        return day + timedelta(days=step)


def parse(value: str | date | datetime | None, *, base: date, workdays=None) -> Deadline:
    """Read one deadline phrase against `base`, the document's date (its year fills in 6月底, 年底 …).

    `workdays(day, n)` gives the date n working days after day; by default the county's calendar.
    """
    if isinstance(value, datetime):
        return Deadline(text=value.strftime("%Y-%m-%d"), date=value.date())
    if isinstance(value, date):
        return Deadline(text=value.isoformat(), date=value)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        value = str(value)
    text = str(value or "")
    if "工作日" in text or workdays is not None or _SEASON.search(text):
        # Not cached: the office edits the working-day calendar, and the county its seasons.
        return _parse_text.__wrapped__(text, base, workdays or _default_workdays)
    return _parse_text(text, base, _default_workdays)


@lru_cache(maxsize=4096)
def _parse_text(text: str, base: date, workdays) -> Deadline:
    written = text.strip()
    if not written:
        return Deadline(
            text=written, problem="未填写完成时限。请填写日期(如2022年6月30日、6月底前、三季度)或“长期坚持”。"
        )
    if len(written) > MAX_LENGTH:
        return Deadline(text=written[:MAX_LENGTH], problem=f"完成时限过长(超过{MAX_LENGTH}字),请只写日期或周期。")
    try:
        return _read(written, base, workdays)
    except _Unsupported as exc:
        return Deadline(text=written, problem=f"完成时限“{written}”无法使用:{exc}。")
    except _Impossible as exc:
        return Deadline(text=written, problem=f"完成时限“{written}”无法识别:{exc}。请改为存在的日期。")
    except (ValueError, OverflowError, IndexError, KeyError) as exc:  # a guard: no phrase may crash an import
        return Deadline(text=written, problem=f"完成时限“{written}”无法识别({exc.__class__.__name__})。")


def _read(written: str, base: date, workdays) -> Deadline:
    text = _clean(written)
    if serial := _excel_serial(text):
        return Deadline(text=written, date=serial)
    text = _absolute(text, base)
    standing = bool(_STANDING.search(text))
    cadence, day, rest = _cadence(text)
    hits, warnings = _dates(rest, base, workdays)
    if not hits and not standing and cadence == NONE:
        return Deadline(
            text=written,
            problem=f"完成时限“{written}”无法识别。请写明日期(如2022年6月30日、6月底前、三季度、年底前),"
            "或周期(如每月25日前),或“长期坚持”。",
        )
    dates = sorted({hit.date for hit in hits})
    final = dates[-1] if dates else None
    suggested = _later(final, base) if final is not None and final < base else None
    if warning := past_warning(final, base):
        warnings.append(warning)
    return Deadline(
        text=written,
        date=final,
        cadence=cadence,
        cadence_day=day,
        standing=standing and final is None,
        milestones=tuple(dates[:-1]),
        warning=";".join(dict.fromkeys(warnings)),
        suggested=suggested,
    )


def past_warning(day: date | None, base: date) -> str:
    """The warning for a deadline before the document's date, with the date it probably means; "" otherwise."""
    if day is None or day >= base:
        return ""
    suggested = _later(day, base)
    hint = f",是否漏写了“明年”?可能应为{suggested:%Y年%-m月%-d日}" if suggested else ",请核对"
    return f"时限{day:%Y年%-m月%-d日}早于文件日期{base:%Y年%-m月%-d日}{hint}"


def _later(day: date, base: date) -> date | None:
    """The same month and day in the first year that is not before `base` (a year at most ahead)."""
    for year in (day.year + 1, base.year, base.year + 1):
        try:
            candidate = day.replace(year=year)
        except ValueError:
            candidate = _month_end(year, day.month)
        if candidate >= base and year <= base.year + 1:
            return candidate
    return None


def note(deadline: Deadline | None) -> str:
    """The warnings that stay true whatever the document's date (a season's assumed dates), without the past-date one."""
    if deadline is None or not deadline.warning:
        return ""
    return ";".join(part for part in deadline.warning.split(";") if "早于文件日期" not in part)
