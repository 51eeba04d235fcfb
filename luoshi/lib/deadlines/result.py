"""What reading a deadline phrase gives: a `Deadline`, its cadence, and the refusals the reading raises inside."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

# The values of work.models.Cadence, kept here as plain strings: lib has no models.
NONE, WEEKLY, MONTHLY, QUARTERLY, YEARLY = "none", "weekly", "monthly", "quarterly", "yearly"


@dataclass(frozen=True)
class Deadline:
    """What a deadline phrase says. `date` is the final date when there is one."""

    text: str
    date: date | None = None
    cadence: str = NONE
    cadence_day: int = 0
    standing: bool = False
    problem: str = ""
    # The earlier dates the phrase names (9月底前完成招标、年底前开工: 9月底), in order.
    milestones: tuple[date, ...] = ()
    # Something the office should check: a date before the document's, a county season's assumed dates.
    warning: str = ""
    # For a date before the document's: the date it probably means (the same day a year later).
    suggested: date | None = None

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


class _Impossible(ValueError):
    pass


class _Unsupported(_Impossible):
    """A phrase that is clear but that a task cannot hold; the message says how to write it instead."""
