"""Reading a deadline as offices write it: 2022年6月底前, 年底前, 三季度, 每月25日前, 长期坚持.

One parser serves the ledger import, the document intake and the forms
(ARCHITECTURE.md, "Shared pieces"). A span (年底, 三季度, 6月) gives its last
day; a phrase that repeats (每月25日前, 每季度末) gives a cadence; 长期坚持
gives a standing task. Text that names no date it can trust gives a problem in
Chinese and never an exception: `parse` must not raise on any string.
"""

from __future__ import annotations

import calendar
import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache

import cn2an

# The values of work.models.Cadence, kept here as plain strings: lib has no models.
NONE, WEEKLY, MONTHLY, QUARTERLY, YEARLY = "none", "weekly", "monthly", "quarterly", "yearly"

MAX_LENGTH = 200
_YEARS = range(1990, 2101)


@dataclass(frozen=True)
class Deadline:
    """What a deadline phrase says. `date` is the final date when there is one."""

    text: str
    date: date | None = None
    cadence: str = NONE
    cadence_day: int = 0
    standing: bool = False
    problem: str = ""

    @property
    def ok(self) -> bool:
        return not self.problem

    @property
    def label(self) -> str:
        """How Luoshi writes it back: 2022-06-30, 长期坚持, 每月25日."""
        parts = []
        if self.standing:
            parts.append("长期坚持")
        if self.date:
            parts.append(self.date.isoformat())
        if self.cadence != NONE:
            parts.append(cadence_label(self.cadence, self.cadence_day))
        return ";".join(parts)


_WEEKDAY_NAMES = "一二三四五六日天"


def cadence_label(cadence: str, day: int) -> str:
    if cadence == WEEKLY:
        return f"每周{_WEEKDAY_NAMES[day - 1]}" if 1 <= day <= 7 else "每周"
    if cadence == MONTHLY:
        return f"每月{day}日" if day else "每月"
    if cadence == QUARTERLY:
        return f"每季度末月{day}日" if day else "每季度末"
    if cadence == YEARLY:
        return f"每年12月{day}日" if day else "每年"
    return ""


# -- normalising -----------------------------------------------------------------------------------------------

_CN_NUMBER = re.compile(r"[〇零一二三四五六七八九十两]+")


def _arabic(text: str) -> str:
    """二〇二二年六月底 → 2022年6月底; 第三季度 → 第3季度; 每月二十五日 → 每月25日."""

    def convert(match: re.Match) -> str:
        # Only numerals that count something: 一口清, 统一, 十分 stay as they are.
        run = match.group(0)
        end = match.end()
        following = match.string[end : end + 1]
        preceding = match.string[match.start() - 1 : match.start()] if match.start() else ""
        # `"" in "…"` is always true: the start and the end of the text are followed or preceded by nothing.
        counts = (following and following in "年月日号季周个天底末中上下旬") or (
            preceding and preceding in "第每前近周"
        )
        if not counts:
            return run
        if preceding == "周" and not (following and following in "年月日号季个天"):
            return run  # 周一 … 周日 is read as a weekday below
        try:
            value = cn2an.cn2an(run.replace("两", "二"), "smart")
        except (ValueError, KeyError, IndexError, TypeError):
            return run
        return str(int(value))

    return _CN_NUMBER.sub(convert, text)


def _clean(text: str) -> str:
    text = unicodedata.normalize("NFKC", text)
    text = re.sub(r"\s+", "", text)
    return _arabic(text)


# -- the patterns ----------------------------------------------------------------------------------------------

_STANDING = re.compile(r"长期(坚持)?|长效|常态化|持续(推进|开展|抓好)?|常年|一直|长期性")
_FULL_DATE = re.compile(r"(?<!\d)(\d{4}|\d{2})\s*[年.\-/](\d{1,2})\s*[月.\-/](\d{1,2})(?!\d)\s*[日号]?")
_MONTH_DAY = re.compile(r"(?<![\d年.\-/])(\d{1,2})月(\d{1,2})[日号]")
_YEAR_MONTH = re.compile(r"(?<!\d)(\d{4}|\d{2})年(\d{1,2})月(上旬|中旬|下旬|初|中|底|末|份)?(?!\d)")
_YEAR_MONTH_DOT = re.compile(r"^(\d{4})[.\-/](\d{1,2})$")
_MONTH = re.compile(r"(?<![\d年每])(\d{1,2})月(上旬|中旬|下旬|初|中|底|末|份)?(?![\d日号])")
_QUARTER = re.compile(r"(?<!每)(?:(\d{4})年)?(?:第)?([1-4])季度(末|底|初)?")
_QUARTER_EN = re.compile(r"(?<![A-Za-z])Q([1-4])(?![0-9])", re.I)
_HALF = re.compile(r"(?:(\d{4})年)?(上|下)半年")
# 今年, 明年 … are written as years before the patterns run (see _read).
_YEAR_END = re.compile(r"(?:(\d{4})年|(全年|年内))?(年底|年末|年终|底前|底|末)?")
_WITHIN = re.compile(r"(\d{1,3})(?:(个月)内?|(周|天|日)内)")
_SERIAL = re.compile(r"^\d{5}(\.0+)?$")
_MONTH_ONLY_DAY = re.compile(r"^(\d{1,2})[.\-/](\d{1,2})$")

_WEEKLY = re.compile(r"每周([一二三四五六日天1-7])?|按周|逐周|每星期([一二三四五六日天])?")
_MONTHLY = re.compile(r"每月(?:的)?(?:(\d{1,2})[日号]|(底|末))?|按月|逐月|每个月")
_QUARTERLY = re.compile(r"每季度?(?:(?:最后[一1]个月|末月)(\d{1,2})[日号]|末|底)?|按季度?|逐季")
_YEARLY = re.compile(r"每年(?:(\d{1,2})月(\d{1,2})[日号])?|按年|逐年|每年度")

_TEN_DAYS = {"上旬": 10, "初": 10, "中旬": 20, "中": 20}


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def _year(text: str) -> int:
    """A year as written: 22 is 2022."""
    year = int(text)
    return 2000 + year if year < 100 else year


class _Impossible(ValueError):
    pass


class _Unsupported(_Impossible):
    """A phrase that is clear but that a task cannot hold; the message says how to write it instead."""


def _make(year: int, month: int, day: int, written: str) -> date:
    if year not in _YEARS:
        raise _Impossible(f"年份“{year}”不在1990至2100年之间")
    if not 1 <= month <= 12:
        raise _Impossible(f"“{written}”中没有{month}月")
    try:
        return date(year, month, day)
    except ValueError:
        raise _Impossible(
            f"日期“{written}”不存在({year}年{month}月只有{calendar.monthrange(year, month)[1]}天)"
        ) from None


def _span_end(year: int, month: int, part: str | None, written: str) -> date:
    if year not in _YEARS:
        raise _Impossible(f"年份“{year}”不在1990至2100年之间")
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


def _dates(text: str, base: date) -> list[date]:
    """Every date the text names, as the last day of any span it names."""
    found: list[date] = []
    taken = text

    def take(pattern: re.Pattern, make) -> None:
        nonlocal taken
        for match in list(pattern.finditer(taken)):
            found.append(make(match))
        taken = pattern.sub("#", taken)

    take(_FULL_DATE, lambda m: _make(_year(m.group(1)), int(m.group(2)), int(m.group(3)), m.group(0)))
    take(_MONTH_DAY, lambda m: _make(base.year, int(m.group(1)), int(m.group(2)), m.group(0)))
    take(_YEAR_MONTH, lambda m: _span_end(_year(m.group(1)), int(m.group(2)), m.group(3), m.group(0)))
    take(_YEAR_MONTH_DOT, lambda m: _span_end(int(m.group(1)), int(m.group(2)), None, m.group(0)))
    take(_MONTH_ONLY_DAY, lambda m: _make(base.year, int(m.group(1)), int(m.group(2)), m.group(0)))

    def quarter(m: re.Match) -> date:
        year = int(m.group(1)) if m.group(1) else base.year
        return _span_end(year, int(m.group(2)) * 3, None, m.group(0))

    take(_QUARTER, quarter)
    take(_QUARTER_EN, lambda m: _month_end(base.year, int(m.group(1)) * 3))
    take(_MONTH, lambda m: _span_end(base.year, int(m.group(1)), m.group(2), m.group(0)))

    def half(m: re.Match) -> date:
        year = int(m.group(1)) if m.group(1) else base.year
        return _span_end(year, 6 if m.group(2) == "上" else 12, None, m.group(0))

    take(_HALF, half)

    def within(m: re.Match) -> date:
        count, unit = int(m.group(1)), m.group(2) or m.group(3)
        if unit == "个月":
            month = base.month - 1 + count
            year = base.year + month // 12
            if year not in _YEARS:
                raise _Impossible(f"“{m.group(0)}”超出了可识别的年份")
            day = min(base.day, calendar.monthrange(year, month % 12 + 1)[1])
            return date(year, month % 12 + 1, day)
        end = base + timedelta(days=count * 7 if unit == "周" else count)
        if end.year not in _YEARS:
            raise _Impossible(f"“{m.group(0)}”超出了可识别的年份")
        return end

    take(_WITHIN, within)
    if not found:
        for match in _YEAR_END.finditer(taken):
            year_text, word, end = match.groups()
            if not (year_text or word or end):
                continue
            if year_text and not end:
                continue  # 2022年 alone is a year, not a deadline
            year = _year(year_text) if year_text else base.year
            if year not in _YEARS:
                raise _Impossible(f"年份“{year}”不在1990至2100年之间")
            found.append(date(year, 12, 31))
            break
    if (
        not found
        and (match := re.fullmatch(r"(\d{4})年?(前|以前|之前|内|底前)?", taken))
        and int(match.group(1)) in _YEARS
    ):
        found.append(date(int(match.group(1)), 12, 31))
    return found


def _excel_serial(text: str) -> date | None:
    """A date cell read as text (44651 is 2022-03-31), within the years a deadline may name."""
    if _SERIAL.match(text):
        day = date(1899, 12, 30) + timedelta(days=int(float(text)))
        if day.year in _YEARS:
            return day
    return None


def parse(value: str | date | datetime | None, *, base: date) -> Deadline:
    """Read one deadline phrase against `base`, the document's date (its year fills in 6月底, 年底 …)."""
    if isinstance(value, datetime):
        return Deadline(text=value.strftime("%Y-%m-%d"), date=value.date())
    if isinstance(value, date):
        return Deadline(text=value.isoformat(), date=value)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        value = str(value)
    return _parse_text(str(value or ""), base)


@lru_cache(maxsize=4096)
def _parse_text(text: str, base: date) -> Deadline:
    written = text.strip()
    if not written:
        return Deadline(
            text=written, problem="未填写完成时限。请填写日期(如2022年6月30日、6月底前、三季度)或“长期坚持”。"
        )
    if len(written) > MAX_LENGTH:
        return Deadline(text=written[:MAX_LENGTH], problem=f"完成时限过长(超过{MAX_LENGTH}字),请只写日期或周期。")
    try:
        return _read(written, base)
    except _Unsupported as exc:
        return Deadline(text=written, problem=f"完成时限“{written}”无法使用:{exc}。")
    except _Impossible as exc:
        return Deadline(text=written, problem=f"完成时限“{written}”无法识别:{exc}。请改为存在的日期。")
    except (ValueError, OverflowError, IndexError) as exc:  # a guard: no phrase may crash an import
        return Deadline(text=written, problem=f"完成时限“{written}”无法识别({exc.__class__.__name__})。")


def _read(written: str, base: date) -> Deadline:
    text = _clean(written)
    # 明年3月底 is 3月底 of the year after the document's.
    text = re.sub(r"明年|次年|下[一1]年", f"{base.year + 1}年", text)  # 下一年 has had its 一 read as 1
    text = re.sub(r"今年|本年度?|当年", f"{base.year}年", text)
    if serial := _excel_serial(text):
        return Deadline(text=written, date=serial)
    standing = bool(_STANDING.search(text))
    cadence, day, rest = _cadence(text)
    dates = _dates(rest, base)
    final = max(dates) if dates else None
    if final is None and not standing and cadence == NONE:
        return Deadline(
            text=written,
            problem=f"完成时限“{written}”无法识别。请写明日期(如2022年6月30日、6月底前、三季度、年底前),"
            "或周期(如每月25日前),或“长期坚持”。",
        )
    return Deadline(text=written, date=final, cadence=cadence, cadence_day=day, standing=standing and final is None)
