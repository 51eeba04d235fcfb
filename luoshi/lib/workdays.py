"""The Chinese working-day calendar: weekends off, public holidays off, 调休 make-up days on.

The exceptions to the weekday rule live in `plans.CalendarDay`, which the office edits
and which is seeded from chinese-calendar. A year with no entries counts weekends only,
and `missing_years` names it so that pages can say so; nothing fails for an unknown year.

The table is small (about 35 rows a year), so it is read whole and kept in memory for
a minute. An edit clears this process's copy at once; other app servers see it within
the minute.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.utils import timezone

_CACHE_SECONDS = 60
_lock = threading.Lock()
_cached: tuple[float, Calendar] | None = None


class Calendar:
    def __init__(self, holidays: set[date], workdays: set[date]):
        self.holidays = holidays
        self.workdays = workdays
        self.known_years = {d.year for d in holidays} | {d.year for d in workdays}

    def is_workday(self, day: date) -> bool:
        if day in self.workdays:
            return True
        if day in self.holidays:
            return False
        return day.weekday() < 5

    def add(self, day: date, n: int) -> date:
        """The date n working days after `day` (before it for negative n)."""
        step = 1 if n >= 0 else -1
        remaining = abs(n)
        while remaining:
            day += timedelta(days=step)
            if self.is_workday(day):
                remaining -= 1
        return day

    def on_or_after(self, day: date) -> date:
        """`day` if it is a working day, else the next one (a due date falling on a holiday moves on)."""
        while not self.is_workday(day):
            day += timedelta(days=1)
        return day

    def between(self, start: date, end: date) -> int:
        """Working days after `start` up to and including `end`; negative when end is before start."""
        if end < start:
            return -self.between(end, start)
        count = 0
        day = start
        # Whole weeks at once: five weekdays each, corrected by the exceptions inside them.
        weeks = (end - start).days // 7
        if weeks:
            last = start + timedelta(days=weeks * 7)
            count += weeks * 5
            count -= sum(1 for d in self.holidays if start < d <= last and d.weekday() < 5)
            count += sum(1 for d in self.workdays if start < d <= last and d.weekday() >= 5)
            day = last
        while day < end:
            day += timedelta(days=1)
            if self.is_workday(day):
                count += 1
        return count

    def missing_years(self, *years: int) -> list[int]:
        return [year for year in years if year not in self.known_years]


def calendar() -> Calendar:
    global _cached
    now = time.monotonic()
    cached = _cached
    if cached is not None and now - cached[0] < _CACHE_SECONDS:
        return cached[1]
    with _lock:
        from luoshi.plans.models import CalendarDay

        holidays: set[date] = set()
        workdays: set[date] = set()
        for day, kind in CalendarDay.objects.values_list("date", "kind"):
            (holidays if kind == CalendarDay.Kind.HOLIDAY else workdays).add(day)
        result = Calendar(holidays, workdays)
        _cached = (now, result)
        return result


def forget() -> None:
    """Drop the cached calendar, after an edit or in tests."""
    global _cached
    _cached = None


@dataclass(frozen=True)
class Thresholds:
    """Today's edges for the lights, computed once per request and compared with stored dates in SQL.

    - `today`;
    - `soon`: today + N working days; a deadline on or before it is yellow;
    - `report_red`: today - N working days; a report due before it is more than N working days late.
    """

    today: date
    soon: date
    report_red: date
    n: int


def thresholds(today: date | None = None) -> Thresholds:
    today = today or timezone.localdate()
    n = settings.LUOSHI_WARNING_WORKDAYS
    cal = calendar()
    return Thresholds(today=today, soon=cal.add(today, n), report_red=cal.add(today, -n), n=n)
