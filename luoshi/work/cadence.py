"""Report due dates by cadence, on the working-day calendar."""

import calendar as month_calendar
from datetime import date, timedelta

from luoshi.lib.workdays import Calendar

DEFAULT_WEEKDAY = 5  # Friday
DEFAULT_MONTH_DAY = 25


def _clamp(year: int, month: int, day: int) -> date:
    last = month_calendar.monthrange(year, month)[1]
    return date(year, month, min(day, last) if day else last)


def _raw_due_after(cadence: str, day: int, after: date) -> date | None:
    if cadence == "weekly":
        weekday = (day or DEFAULT_WEEKDAY) - 1
        return after + timedelta(days=((weekday - after.weekday() - 1) % 7) + 1)
    if cadence == "monthly":
        candidate = _clamp(after.year, after.month, day or DEFAULT_MONTH_DAY)
        if candidate > after:
            return candidate
        year, month = (after.year + 1, 1) if after.month == 12 else (after.year, after.month + 1)
        return _clamp(year, month, day or DEFAULT_MONTH_DAY)
    if cadence == "quarterly":
        month = ((after.month - 1) // 3 + 1) * 3
        candidate = _clamp(after.year, month, day)
        if candidate > after:
            return candidate
        year, month = (after.year + 1, 3) if month == 12 else (after.year, month + 3)
        return _clamp(year, month, day)
    if cadence == "yearly":
        candidate = _clamp(after.year, 12, day)
        return candidate if candidate > after else _clamp(after.year + 1, 12, day)
    return None


def report_due_after(cadence: str, day: int, after: date, cal: Calendar) -> date | None:
    """The first report due date strictly after `after`; a due date on a holiday moves to the next working day."""
    raw = _raw_due_after(cadence, day, after)
    return cal.on_or_after(raw) if raw else None


def _due_on_or_after(cadence: str, day: int, start: date, cal: Calendar) -> date | None:
    """The first due date, as moved off days off, on or after `start`.

    A raw due date before `start` counts when the days from it up to `start` are all off: it has
    moved onto or past `start` (25 April 2026 is a Saturday, so on the 26th the April report is
    due on Monday the 27th). So the raw due dates to look at are those after the last working day
    before `start`.
    """
    last_workday = start - timedelta(days=1)
    while not cal.is_workday(last_workday):
        last_workday -= timedelta(days=1)
    return report_due_after(cadence, day, last_workday, cal)


def next_due_after_report(cadence: str, day: int, *, current: date | None, today: date, cal: Calendar) -> date | None:
    """The next report due date once the lead unit has reported today.

    Periods end on the due dates as moved to working days, never on the raw ones:
    - late (the due date has passed): the first due date after today, so a late report answers the
      missed period and the period in progress still reports by its own due date;
    - the first report of the period that ends on the first due date on or after today: the due date after it;
    - a second report in a period already reported: unchanged, so the next period is not skipped.
    """
    if current is None or current < today:
        return _due_on_or_after(cadence, day, today + timedelta(days=1), cal)
    this_period = _due_on_or_after(cadence, day, today, cal)
    if this_period is None or current > this_period:
        return current
    return _due_on_or_after(cadence, day, this_period + timedelta(days=1), cal)
