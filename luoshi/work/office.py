"""The office's side of 督办: deciding extension and closure requests, urging, pausing, resuming, cancelling.

Each runs in one transaction and writes the timeline (留痕) in it, as the units' side in `services` does.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date, datetime

from django.db import transaction
from django.db.models import F, QuerySet
from django.utils import timezone

from luoshi.lib import workdays
from luoshi.lib.bulk import insert_rows
from luoshi.lib.errors import ActionError
from luoshi.notify import services as notify
from luoshi.org.models import User

from .cadence import report_due_after
from .models import ClosureRequest, Decision, ExtensionRequest, Task, TimelineEntry, Urge
from .steps import Action, Status, _claim_token, _lock, _moment, _require_office, _require_status, _timeline

# --- Deciding requests ------------------------------------------------------


def _claim_decision(model, request, by: User, approve: bool, note: str, now: datetime):
    """Mark a pending request decided, or refuse if someone else decided it first."""
    claimed = model.objects.filter(pk=request.pk, status=Decision.PENDING).update(
        status=Decision.APPROVED if approve else Decision.REJECTED, decided_by=by, decided_at=now, decision_note=note
    )
    if not claimed:
        done = model.objects.select_related("decided_by").get(pk=request.pk)
        when = f"{timezone.localtime(done.decided_at):%m-%d %H:%M}" if done.decided_at else ""
        raise ActionError(
            f"该申请已由{done.decided_by or '他人'}于{when}处理({done.get_status_display()}),"
            "本次操作未生效。请刷新页面查看。",
            status=409,
        )
    request.refresh_from_db()
    return request


def extension_decide(
    *,
    request: ExtensionRequest,
    approve: bool,
    by: User,
    note: str = "",
    deadline: date | None = None,
    at: datetime | None = None,
) -> ExtensionRequest:
    """The office approves (the deadline moves, the old one kept in the timeline) or denies.

    The office may grant a date other than the one asked (`deadline`), saying why in `note`;
    the request keeps both, and the timeline says what was asked and what was granted.
    """
    _require_office(by)
    note = note.strip()
    if not approve and not note:
        raise ActionError("不同意延期时请填写理由。")
    granted = deadline if approve and deadline and deadline != request.new_deadline else None
    if granted is not None:
        if granted <= request.old_deadline:
            raise ActionError(
                f"批准的完成时限 {granted:%Y-%m-%d} 应晚于原完成时限 {request.old_deadline:%Y-%m-%d};"
                "不同意延期请选“不同意”。"
            )
        if not note:
            raise ActionError(
                f"批准的时限({granted:%Y-%m-%d})与申请的({request.new_deadline:%Y-%m-%d})不同,请在审核意见中写明理由。"
            )
    with transaction.atomic():
        now = _moment(at)
        request = _claim_decision(ExtensionRequest, request, by, approve, note, now)
        if granted is not None:
            request.granted_deadline = granted
            request.save(update_fields=["granted_deadline"])
        task = _lock(request.task)
        # A request left over on a task paused or closed meanwhile is refused, and the claim rolls back.
        _require_status(task, [Status.EXTENSION_ASKED], "审核延期申请")
        before = {"status": task.get_status_display(), "deadline": task.deadline}
        if task.status == Status.EXTENSION_ASKED:
            task.status = request.status_before
        if approve:
            task.deadline = request.granted
        task.updated_at = now
        task.save(update_fields=["status", "deadline", "updated_at"])
        after = {"status": task.get_status_display(), "deadline": task.deadline}
        if granted is not None:
            note = f"申请延至 {request.new_deadline:%Y-%m-%d},批准延至 {granted:%Y-%m-%d}。{note}"
        _timeline(
            task, by, Action.EXTENSION_APPROVE if approve else Action.EXTENSION_DENY, unit=request.unit,
            note=note, before={k: v for k, v in before.items() if after[k] != v},
            after={k: v for k, v in after.items() if before[k] != v}, at=now,
        )  # fmt: skip
        notify.request_decided(request=request, approve=approve)
    return request


def extension_decide_many(*, requests: Sequence[ExtensionRequest], approve: bool, by: User, note: str = "") -> int:
    """批量审核延期 in 待审核, all or nothing: each as `extension_decide`, at the date asked."""
    return _decide_many(requests, lambda request: extension_decide(request=request, approve=approve, by=by, note=note))


def closure_decide_many(*, requests: Sequence[ClosureRequest], approve: bool, by: User, note: str = "") -> int:
    """批量办结销号 (or 退回) in 待审核, all or nothing: each as `closure_decide`."""
    return _decide_many(requests, lambda request: closure_decide(request=request, approve=approve, by=by, note=note))


def _decide_many(requests, decide) -> int:
    if not requests:
        raise ActionError("请勾选要审核的申请。")
    with transaction.atomic():
        for request in sorted(requests, key=lambda request: request.task_id):
            try:
                decide(request)
            except ActionError as error:
                raise ActionError(
                    f"“{request.task.title[:30]}”:{error.message}本次勾选的申请均未处理。", status=error.status
                ) from None
    return len(requests)


def closure_decide(
    *, request: ClosureRequest, approve: bool, by: User, note: str = "", at: datetime | None = None
) -> ClosureRequest:
    """办结销号 or 退回重办. A task is on time when the closure was asked on or before its deadline."""
    _require_office(by)
    if not approve and not note.strip():
        raise ActionError("退回重办时请填写退回理由,告诉单位还需要做什么。")
    with transaction.atomic():
        now = _moment(at)
        request = _claim_decision(ClosureRequest, request, by, approve, note.strip(), now)
        task = _lock(request.task)
        _require_status(task, [Status.CLOSURE_ASKED], "审核办结申请")
        before = {"status": task.get_status_display()}
        if approve:
            asked_on = timezone.localdate(request.requested_at)
            task.status = Status.DONE
            task.done_on = asked_on
            task.done_on_time = task.deadline is None or asked_on <= task.deadline
            start = timezone.localdate(task.assigned_at or task.created_at)
            task.workdays_to_done = max(workdays.calendar().between(start, asked_on), 0)
            task.percent = 100
            task.next_report_due = None
        else:
            task.status = Status.RETURNED
        task.held_green = False
        task.updated_at = now
        task.save()
        after = {"status": task.get_status_display()}
        if approve:
            after["done_on"] = task.done_on
        _timeline(
            task, by, Action.CLOSE if approve else Action.RETURN, unit=request.unit, note=note.strip(),
            before=before, after=after, at=now,
        )  # fmt: skip
        notify.request_decided(request=request, approve=approve)
    return request


def task_urge(
    *, tasks: Sequence[Task], message: str, by: User, token: str | None = None, at: datetime | None = None
) -> int:
    """催办 each task's lead unit, recorded and counted. Tasks with no light (done, paused…) are skipped."""
    ids = sorted({task.pk for task in tasks})
    return task_urge_batch(tasks=ids, message=message, by=by, token=token, at=at)


# The columns a batch urge reads of each task, as plain values: 5,000 tasks build no model instances.
_URGE_COLUMNS = ("pk", "lead_unit_id", "urge_count", "light", "title", "deadline", "standing", "priority")


def task_urge_batch(
    *,
    tasks: QuerySet | Sequence[int],
    message: str,
    by: User,
    token: str | None = None,
    expected: int | None = None,
    at: datetime | None = None,
) -> int:
    """催办 in one set-based pass: thousands of tasks in one transaction, all or nothing.

    `tasks` is a queryset (a list filter: "every task matching it") or task ids. Steps:
    1. claim the form's token (a second submit urges nothing twice);
    2. read the urgeable tasks (lit, with a lead unit) under a row lock, as values with their light;
    3. refuse if the count differs from `expected`, the count the office confirmed on the page;
    4. insert one Urge and one timeline entry (留痕: urge_count before and after) per task, one executemany each;
    5. add one to each task's urge_count;
    6. raise the notify events: one message per unit listing its tasks, to its liaisons and head.
    """
    _require_office(by)
    message = message.strip()
    if not message:
        raise ActionError("请填写催办内容。")
    now = _moment(at)
    t = workdays.thresholds(timezone.localdate(now))
    with transaction.atomic():
        _claim_token(token, by)
        rows = _urge_targets(tasks, t)
        if not rows:
            raise ActionError("所选事项都不在办理中(已办结、暂停或已关闭),没有催办。")
        if expected is not None and len(rows) != expected:
            raise ActionError(
                f"确认时为 {expected} 项,现在符合条件的是 {len(rows)} 项(其间有事项变化)。"
                "没有催办任何事项,请核对后重新提交。",
                status=409,
            )
        batch = uuid.uuid4() if len(rows) > 1 else None
        actor, urge = by.pk, str(Action.URGE)  # once: request.user is a lazy object, costly to touch 10,000 times
        insert_rows(
            Urge,
            [{"task_id": r["pk"], "unit_id": r["lead_unit_id"], "message": message, "light": r["light"],
              "batch": batch, "created_by_id": actor, "created_at": now} for r in rows],
        )  # fmt: skip
        insert_rows(
            TimelineEntry,
            [{"task_id": r["pk"], "actor_id": actor, "action": urge, "unit_id": r["lead_unit_id"], "at": now,
              "note": message, "before": {"urge_count": r["urge_count"]}, "after": {"urge_count": r["urge_count"] + 1}}
             for r in rows],
        )  # fmt: skip
        ids = [r["pk"] for r in rows]
        for start in range(0, len(ids), 900):
            Task.objects.filter(pk__in=ids[start : start + 900]).update(urge_count=F("urge_count") + 1, updated_at=now)
        notify.tasks_urged(
            tasks=[notify.TaskLine(r["pk"], r["title"], r["deadline"], r["standing"], r["priority"], r["lead_unit_id"])
                   for r in rows],
            message=message,
        )  # fmt: skip
    return len(rows)


def _urge_targets(tasks: QuerySet | Sequence[int], t) -> list[dict]:
    """The urgeable tasks among `tasks`, locked, in id order, with the light they have now."""

    def read(queryset: QuerySet) -> list[dict]:
        # Re-read under lock: the stored status and count, not the caller's copies, decide and are recorded.
        locked = queryset.filter(status__in=Task.LIT_STATUSES, lead_unit__isnull=False).select_for_update(of=("self",))
        return list(locked.with_light(t).order_by("pk").values(*_URGE_COLUMNS))

    if isinstance(tasks, QuerySet):
        return read(Task.objects.filter(pk__in=tasks.order_by().values("pk")))
    ids = sorted(set(tasks))
    rows: list[dict] = []
    for start in range(0, len(ids), 900):
        rows += read(Task.objects.filter(pk__in=ids[start : start + 900]))
    return rows


def task_pause(*, task: Task, by: User, reason: str, at: datetime | None = None) -> Task:
    return _set_status(task, by, reason, Action.PAUSE, Status.PAUSED, Task.LIT_STATUSES, "暂停", at)


def task_cancel(*, task: Task, by: User, reason: str, at: datetime | None = None) -> Task:
    return _set_status(task, by, reason, Action.CANCEL, Status.CANCELLED, Task.OPEN_STATUSES, "关闭", at)


def task_resume(*, task: Task, by: User, reason: str = "") -> Task:
    return _set_status(task, by, reason or "恢复办理", Action.RESUME, None, [Status.PAUSED], "恢复办理")


def _set_status(task, by, reason, action, status, allowed, doing, at=None) -> Task:
    _require_office(by)
    now = _moment(at)
    if not reason.strip():
        raise ActionError(f"请填写{doing}的理由。")
    with transaction.atomic():
        task = _lock(task)
        _require_status(task, allowed, doing)
        before = {"status": task.get_status_display()}
        if status == Status.CANCELLED:
            # Requests still waiting lapse with the task, so that none is left to decide.
            for model in (ExtensionRequest, ClosureRequest):
                model.objects.filter(task=task, status=Decision.PENDING).update(
                    status=Decision.REJECTED,
                    decided_by=by,
                    decided_at=now,
                    decision_note="事项已关闭,申请自动失效。",
                )
            task.held_green = False
        if status == Status.PAUSED:
            # A closure asked in time keeps its green hold through the pause: paused tasks have no light anyway.
            task.status_before_pause = task.status
        if status is None:
            status = task.status_before_pause or Status.IN_PROGRESS
            task.status_before_pause = ""
            # The report clock restarts from today: the pause is not held against the unit.
            task.next_report_due = report_due_after(
                task.cadence, task.cadence_day, timezone.localdate(now), workdays.calendar()
            )
        task.status = status
        task.updated_at = now
        task.save()
        _timeline(
            task, by, action, note=reason.strip(), before=before, after={"status": task.get_status_display()}, at=now
        )
    return task
