"""The steps every 督办 workflow shares, whether a unit or the office acts.

`services` (registering, signing, reporting, asking) and `office` (deciding, urging, pausing) both
build on these; other apps' services claim their forms' one-time tokens with `_claim_token`.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime

from django.db import IntegrityError, transaction
from django.utils import timezone

from luoshi.lib.errors import ActionError, AlreadySubmitted
from luoshi.org.models import Leader, Unit, User

from .models import SubmitToken, Task, TimelineEntry

Action = TimelineEntry.Action
Status = Task.Status


def _fmt(value) -> object:
    """A value as the timeline keeps it: JSON, readable by a person."""
    if value is None:
        return None
    if isinstance(value, date):
        return f"{value:%Y-%m-%d}"
    if isinstance(value, Unit | Leader | User):
        return str(value)
    return value


def _timeline(
    task: Task, by: User, action: str, *, note="", before=None, after=None, unit=None, on_behalf=False, at=None
):
    return TimelineEntry.objects.create(
        task=task,
        at=at or timezone.now(),
        actor=by,
        action=action,
        note=note,
        before={k: _fmt(v) for k, v in (before or {}).items()},
        after={k: _fmt(v) for k, v in (after or {}).items()},
        unit=unit,
        on_behalf=on_behalf,
    )


def _moment(at: datetime | None) -> datetime:
    """When an action happens: now, or the explicit past moment a loader replays it at (the demo's history)."""
    now = timezone.now()
    if at is None:
        return now
    if timezone.is_naive(at) or at > now:
        raise ValueError(f"at={at!r}: an action can only be replayed at an aware moment in the past")
    return at


def _claim_token(token: str | None, by: User) -> None:
    """Claim a form's one-time token inside the caller's transaction; the second claim refuses."""
    if not token:
        return
    try:
        with transaction.atomic():
            SubmitToken.objects.create(token=token[:64], user=by)
    except IntegrityError:
        raise AlreadySubmitted("该表单已经提交过,没有重复处理。请刷新页面查看结果。") from None


def _require_office(by: User) -> None:
    if not by.is_office:
        raise ActionError("只有督查室可以进行此操作。", status=403)


def _lock(task: Task) -> Task:
    """Re-read the task under a row lock, so that two actions on it take turns."""
    # of=("self",): PostgreSQL refuses FOR UPDATE on the nullable side of the join to lead_unit.
    return Task.objects.select_for_update(of=("self",)).select_related("lead_unit").get(pk=task.pk)


def _require_status(task: Task, allowed: Iterable[str], doing: str) -> None:
    if task.status not in allowed:
        raise ActionError(f"该事项当前状态为“{task.get_status_display()}”,不能{doing}。", status=409)
