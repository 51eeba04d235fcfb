"""Reads of notify that other apps' pages show."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from luoshi.org.models import Unit, User

from .models import NoticeTrail


@dataclass
class NoticeTimelineEntry:
    """A notice's trail entry as the task's timeline shows it, beside the task's own TimelineEntry rows."""

    at: datetime
    actor: User
    unit: Unit
    notice: object
    action: str
    note: str = ""
    on_behalf: bool = False
    confirmed_at: datetime | None = None
    _changes: list = field(default_factory=list)

    def get_action_display(self) -> str:
        return f"{self.notice.get_kind_display()}{dict(NoticeTrail.Action.choices)[self.action]}"

    def changes(self) -> list:
        return self._changes


def notice_trail_for_task(task, user) -> list[NoticeTimelineEntry]:
    """The issue, re-sends, 已阅 and 回执 of the task's notices that `user` may see, in one query.

    `task` is one `user` may see (the page found it through visible_to): the office and a leader see each of its
    notices; a unit only those addressed to it.
    """
    trail = NoticeTrail.objects.filter(task_id=task.pk).select_related(
        "actor", "notice", "notice__unit", "notice__receipt"
    )
    if user.role == User.Role.UNIT:
        # A supporting unit reads the task, not the notices addressed to the lead unit.
        trail = trail.filter(notice__unit_id=user.unit_id)
    elif not (user.is_office or user.role == User.Role.LEADER):
        return []
    entries = []
    for item in trail.order_by("at", "id"):
        notice = item.notice
        receipt = getattr(notice, "receipt", None)
        if item.action in (NoticeTrail.Action.ISSUE, NoticeTrail.Action.RESEND):
            note = f"{notice.number_label} 送达{notice.unit.display_name}"
        elif item.action == NoticeTrail.Action.READ:
            note = f"{notice.number_label} 已打开阅读"
        else:
            note = f"{notice.number_label} 已确认收到"
        entries.append(
            NoticeTimelineEntry(at=item.at, actor=item.actor, unit=notice.unit, notice=notice, action=item.action,
                                note=note, confirmed_at=receipt.confirmed_at if receipt else None)
        )  # fmt: skip
    return entries
