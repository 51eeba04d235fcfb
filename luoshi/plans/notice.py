"""Holidays as the State Council publishes them: the annual notice (国务院办公厅关于某年部分节假日安排的通知),
or one line of it typed by hand (春节:2月15日至23日放假,2月14日、2月28日上班), read into the year's holidays
and 调休 make-up workdays, then saved all or nothing.

The notice's items read "一、元旦:1月1日(周四)至3日(周六)放假调休,共3天。1月4日(周日)上班。". A range
gives every day in it; a month or year left out is the one before (2月15日至23日, 2022年12月31日至2023年1月2日).
Words in brackets (周三, 农历除夕, 星期日) are remarks; "安排职工在除夕(2月9日)休息" is advice, not a holiday.

The table keeps what breaks the weekday rule, as the seed from chinese-calendar does: holidays on weekdays and
every make-up workday.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db import transaction

from .models import CalendarDay

HOLIDAYS = ("元旦", "春节", "清明节", "劳动节", "端午节", "中秋节", "国庆节")
# chinese-calendar's names, which the seeded table holds.
ENGLISH = {
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "Mid-autumn Festival": "中秋节",
    "National Day": "国庆节",
    "Anti-Fascist 70th Day": "抗战胜利70周年纪念日",
}
_ALIASES = {"清明": "清明节", "五一": "劳动节", "劳动": "劳动节", "端午": "端午节", "中秋": "中秋节", "国庆": "国庆节"}
_ITEM = re.compile(r"(?:^|\n|(?<=。))\s*(?:[一二三四五六七八九十]+、)?\s*([\u4e00-\u9fff、]{2,20}?)\s*[::]\s*")
_DATE = re.compile(r"(?:(\d{4})\s*年\s*)?(?:(\d{1,2})\s*月\s*)?(\d{1,2})\s*日")
_REMARK = re.compile(r"\([^()]*\)")
_YEAR = re.compile(r"关于\s*(\d{4})\s*年\s*部分节假日安排")


def notice_year(text: str) -> int | None:
    """The year a pasted notice's title names (关于2026年部分节假日安排的通知), if it has one."""
    match = _YEAR.search(unicodedata.normalize("NFKC", text or ""))
    return int(match.group(1)) if match else None


def chinese_name(name: str) -> str:
    """元旦 for New Year's Day: the seeded table holds chinese-calendar's English names."""
    return ENGLISH.get(name, name)


@dataclass(frozen=True)
class NoticeDay:
    date: date
    kind: str  # CalendarDay.Kind
    name: str

    @property
    def weekend(self) -> bool:
        return self.date.weekday() >= 5

    @property
    def kept(self) -> bool:
        """What the table stores: a holiday on a weekday, or a make-up workday."""
        return self.kind == CalendarDay.Kind.WORKDAY or not self.weekend


@dataclass
class Notice:
    year: int | None
    days: list[NoticeDay] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems and bool(self.days)

    @property
    def holidays(self) -> list[NoticeDay]:
        return [d for d in self.days if d.kind == CalendarDay.Kind.HOLIDAY]

    @property
    def workdays(self) -> list[NoticeDay]:
        return [d for d in self.days if d.kind == CalendarDay.Kind.WORKDAY]

    @property
    def kept(self) -> list[NoticeDay]:
        return [d for d in self.days if d.kept]


def _names(text: str) -> list[str]:
    out = []
    for part in text.split("、"):
        part = _ALIASES.get(part, part)
        if part in HOLIDAYS:
            out.append(part)
    return out


def _dates(text: str, year: int, month: int | None) -> list[tuple[date | None, int, int, str]]:
    """Every date written in `text`, carrying the year and month forward: (date or None, year, month, as written)."""
    out = []
    for match in _DATE.finditer(text):
        y = int(match.group(1)) if match.group(1) else year
        m = int(match.group(2)) if match.group(2) else month
        if m is None:
            out.append((None, y, 0, match.group(0)))
            continue
        year, month = y, m
        try:
            out.append((date(y, m, int(match.group(3))), y, m, match.group(0)))
        except ValueError:
            out.append((None, y, m, match.group(0)))
    return out


def parse_notice(text: str, *, year: int | None = None) -> Notice:
    """Read a notice, or lines of one, for `year` (else the year its title names)."""
    text = unicodedata.normalize("NFKC", text or "").replace("\r\n", "\n")
    if year is None and (match := _YEAR.search(text)):
        year = int(match.group(1))
    notice = Notice(year=year)
    if year is None:
        notice.problems.append("无法确定年份:请选择年份,或粘贴含“关于某年部分节假日安排的通知”标题的全文。")
        return notice
    items = list(_ITEM.finditer(text))
    seen: dict[date, NoticeDay] = {}
    for number, item in enumerate(items, start=1):
        names = _names(item.group(1))
        end = items[number].start() if number < len(items) else len(text)
        body = _REMARK.sub("", text[item.end() : end])
        if not names:
            if "放假" in body or "上班" in body:
                notice.problems.append(f"“{item.group(1)}”不是法定节日名称,请写{'、'.join(HOLIDAYS)}之一。")
            continue
        name = "、".join(names)
        found = False
        for sentence in re.split(r"[。;,\n]", body):
            if "放假" in sentence:
                before = sentence.split("放假")[0]
                dates = _dates(before, year, None)
                if not dates:
                    continue
                if bad := next((written for d, *_rest, written in dates if d is None), None):
                    notice.problems.append(f"{name}:“{bad}”不是有效日期,请写成“2月15日”这样。")
                    continue
                first, last = dates[0][0], dates[-1][0]
                if "至" in before and len(dates) >= 2 and last < first:
                    notice.problems.append(f"{name}:放假结束日{last:%m月%d日}早于开始日{first:%m月%d日}。")
                    continue
                if "至" not in before:
                    last = first
                day = first
                while day <= last:
                    _add(notice, seen, NoticeDay(day, CalendarDay.Kind.HOLIDAY, name))
                    day += timedelta(days=1)
                found = True
            elif "上班" in sentence:
                for d, *_rest, written in _dates(sentence, year, None):
                    if d is None:
                        notice.problems.append(f"{name}:“{written}”不是有效日期,请写成“2月14日”这样。")
                        continue
                    _add(notice, seen, NoticeDay(d, CalendarDay.Kind.WORKDAY, name))
                    if d.weekday() < 5:
                        notice.problems.append(f"{name}:{d:%m月%d日}是工作日,不需要登记“上班”,请核对。")
        if not found:
            notice.problems.append(f"{name}:没有找到放假日期。请写成“{name}:5月1日至5日放假,4月27日上班”这样。")
    if not items or (not notice.days and not notice.problems):
        notice.problems.append("没有找到任何节日安排。每个节日写一行,如“春节:2月15日至23日放假,2月14日、2月28日上班”。")
    notice.days.sort(key=lambda d: d.date)
    return notice


def _add(notice: Notice, seen: dict[date, NoticeDay], day: NoticeDay) -> None:
    if day.date in seen:
        if seen[day.date].kind != day.kind:
            notice.problems.append(f"{day.date:%m月%d日}既写了放假又写了上班,请核对。")
        return
    seen[day.date] = day
    notice.days.append(day)


def holidays_save(*, notice: Notice, by) -> int:
    """Replace the year's holidays and make-up days with the notice's, all or nothing. Returns the days kept.

    Every day goes through the calendar's own services, so each is logged and the cached calendar dropped.
    """
    from . import services

    if not notice.ok:
        raise ValueError("；".join(notice.problems) or "没有可保存的日期。")
    years = {day.date.year for day in notice.kept} | {notice.year}
    with transaction.atomic():
        for old in CalendarDay.objects.filter(date__year__in=years).select_for_update():
            if old.date.year == notice.year or old.date in {d.date for d in notice.kept}:
                services.calendar_day_delete(day=old, by=by)
        for day in notice.kept:
            services.calendar_day_save(day=CalendarDay(date=day.date, kind=day.kind, name=day.name), by=by)
    return len(notice.kept)
