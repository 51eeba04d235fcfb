"""Events → in-app messages and outbound deliveries, written in the caller's transaction.

The work and reports services call one function here at each point where people must hear of
a change (assigned, urged, 批示, decided, brief, pack, circular, notice, awaiting). Nothing is sent
here: a worker (`manage.py db_worker`) sends the deliveries; see delivery.py.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from luoshi.lib import workdays
from luoshi.lib.bulk import insert_many, insert_rows
from luoshi.lib.errors import ActionError
from luoshi.org.models import Unit, User

from .models import (
    PERSONAL_CHANNELS,
    Channel,
    Delivery,
    Event,
    Kind,
    Message,
    NoticeTrail,
    Preference,
    Profile,
    Receipt,
    RobotChannel,
    Rule,
)

# Defaults of the rules the office edits: every kind on, every channel allowed, three working days ahead.
ALL_CHANNELS = [Channel.EMAIL, Channel.DINGTALK, Channel.WECOM, Channel.SMS]
DEFAULT_DAYS_AHEAD = 3
# How many tasks a message lists before "等 N 项" and the link.
LIST_LIMIT = 20
# Deliveries one deliver task claims per round; more tasks are enqueued for more, so that two workers share.
DELIVERIES_PER_TASK = 500
MAX_DELIVER_TASKS = 4


def rules() -> dict[str, Rule]:
    """Every kind's rule, the default where the office has not saved one."""
    saved = {rule.kind: rule for rule in Rule.objects.all()}
    return {
        kind: saved.get(kind)
        or Rule(kind=kind, enabled=True, channels=list(ALL_CHANNELS), days_ahead=DEFAULT_DAYS_AHEAD)
        for kind in Kind.values
    }


def rule_save(*, kind: str, enabled: bool, channels: Sequence[str], days_ahead: int, by: User) -> Rule:
    if not by.is_office:
        raise ActionError("只有督查室可以修改提醒规则。", status=403)
    if kind not in Kind.values:
        raise ActionError("没有这类消息。")
    unknown = [c for c in channels if c not in ALL_CHANNELS]
    if unknown:
        raise ActionError(f"{Kind(kind).label}:渠道“{unknown[0]}”不存在。")
    if not 0 <= days_ahead <= 30:
        raise ActionError(f"{Kind(kind).label}:提前工作日数应在 0 到 30 之间。")
    rule, _ = Rule.objects.update_or_create(
        kind=kind, defaults={"enabled": enabled, "channels": list(channels), "days_ahead": days_ahead}
    )
    return rule


def preference_save(*, user: User, kind: str, channels: Sequence[str], digest: bool | None = None) -> Preference:
    rule = rules()[kind]
    refused = [c for c in channels if c not in rule.channels or c not in PERSONAL_CHANNELS]
    if refused:
        raise ActionError(f"{Kind(kind).label}:督查室没有开放“{Channel(refused[0]).label}”渠道。")
    with transaction.atomic():
        pref, _ = Preference.objects.update_or_create(user=user, kind=kind, defaults={"channels": list(channels)})
        if digest is not None:
            Profile.objects.update_or_create(user=user, defaults={"digest": digest})
    return pref


# --- When to send -------------------------------------------------------------------


def _hhmm(text: str) -> time:
    hours, minutes = text.split(":")
    return time(int(hours), int(minutes))


def quiet_hours() -> tuple[time, time]:
    start, end = settings.LUOSHI_NOTIFY_QUIET_HOURS.split("-")
    return _hhmm(start), _hhmm(end)


def release_at(now: datetime, *, urgent: bool = False) -> datetime:
    """When a message raised at `now` may go out: at once, or the next working morning (特急 never waits)."""
    if urgent:
        return now
    start, end = quiet_hours()
    local = timezone.localtime(now)
    cal = workdays.calendar()
    if cal.is_workday(local.date()) and end <= local.time() < start:
        return now
    day = local.date()
    if local.time() >= start or not cal.is_workday(day):
        day = cal.on_or_after(day + timedelta(days=1)) if local.time() >= start else cal.on_or_after(day)
    return timezone.make_aware(datetime.combine(day, end))


def next_digest_at(now: datetime) -> datetime:
    local = timezone.localtime(now)
    at = _hhmm(settings.LUOSHI_NOTIFY_DIGEST_TIME)
    cal = workdays.calendar()
    day = local.date()
    if not cal.is_workday(day) or local.time() >= at:
        day = cal.on_or_after(day + timedelta(days=1))
    return timezone.make_aware(datetime.combine(day, at))


# --- Raising events -----------------------------------------------------------------


@dataclass
class EventSpec:
    kind: str
    title: str
    body: str = ""
    url: str = ""
    users: Iterable[int] = ()
    robot_units: Iterable[int] = ()  # units whose group robots carry it
    # Units whose head (单位负责人) hears of it: the head's accounts in-app, and Unit.head_mobile by SMS.
    head_units: Iterable[int] = ()
    task_id: int | None = None
    unit_id: int | None = None
    urgent: bool = False
    key: str | None = None
    extra: dict = field(default_factory=dict)


def events_raise(specs: Sequence[EventSpec]) -> list[Event]:
    """Write the events, one message per (event, person), one delivery per (event, recipient, channel).

    1. drop the kinds the office turned off;
    2. insert the events;
    3. insert the in-app messages;
    4. insert the outbound deliveries, held through quiet hours or for a person's digest;
    5. enqueue the worker's deliver task in the same transaction.
    """
    all_rules = rules()
    specs = [spec for spec in specs if all_rules[spec.kind].enabled]
    if not specs:
        return []
    now = timezone.now()
    events = [
        Event(kind=s.kind, title=s.title[:200], body=s.body, url=s.url[:300], urgent=s.urgent, task_id=s.task_id,
              unit_id=s.unit_id, key=s.key, created_at=now)
        for s in specs
    ]  # fmt: skip
    # One executemany per table (lib/bulk): a batch urge over 600 units writes thousands of rows in its request.
    insert_many(Event, events)
    head_units = {unit_id for spec in specs for unit_id in spec.head_units}
    heads = heads_of(head_units) if head_units else {}
    head_mobiles = (
        dict(Unit.objects.filter(pk__in=head_units).exclude(head_mobile="").values_list("pk", "head_mobile"))
        if head_units and settings.LUOSHI_SMS_URL
        else {}
    )
    user_ids = {uid for spec in specs for uid in spec.users} | {uid for ids in heads.values() for uid in ids}
    people = {
        row["pk"]: row
        for row in User.objects.filter(pk__in=user_ids, is_active=True).values("pk", "email", "phone", "unit_id")
    }
    prefs = {
        (p["user_id"], p["kind"]): p["channels"]
        for p in Preference.objects.filter(user_id__in=user_ids).values("user_id", "kind", "channels")
    }
    digest_users = set(Profile.objects.filter(user_id__in=user_ids, digest=True).values_list("user_id", flat=True))
    robot_units = {uid for spec in specs for uid in spec.robot_units}
    robots = defaultdict(list)
    for robot in RobotChannel.objects.filter(unit_id__in=robot_units, active=True).values("pk", "unit_id", "kind"):
        robots[robot["unit_id"]].append(robot)
    mobiles = defaultdict(list)
    if robots:
        for unit_id, phone in (
            User.objects.filter(unit_id__in=list(robots), role=User.Role.UNIT, is_active=True, is_unit_head=False)
            .exclude(phone="")
            .values_list("unit_id", "phone")
        ):
            mobiles[unit_id].append(phone)
        for unit_id, phone in (
            Unit.objects.filter(pk__in=list(robots)).exclude(liaison_mobile="").values_list("pk", "liaison_mobile")
        ):
            if phone not in mobiles[unit_id]:
                mobiles[unit_id].append(phone)

    messages, deliveries = [], []
    for event, spec in zip(events, specs, strict=True):
        rule = all_rules[spec.kind]
        release = release_at(now, urgent=spec.urgent)
        head_users = [uid for unit_id in spec.head_units for uid in heads.get(unit_id, ())]
        sms_to = set()
        for uid in dict.fromkeys([*spec.users, *head_users]):
            person = people.get(uid)
            if person is None:
                continue
            messages.append({"event_id": event.pk, "user_id": uid, "kind": spec.kind, "task_id": spec.task_id,
                             "created_at": now})  # fmt: skip
            chosen = prefs.get((uid, spec.kind), PERSONAL_CHANNELS)
            digest = uid in digest_users and not spec.urgent
            for channel, address in ((Channel.EMAIL, person["email"]), (Channel.SMS, person["phone"])):
                if channel in rule.channels and channel in chosen and address:
                    if channel == Channel.SMS:
                        if not settings.LUOSHI_SMS_URL:
                            continue
                        sms_to.add(address)
                    deliveries.append(
                        {"event_id": event.pk, "channel": channel, "recipient": f"u{uid}", "address": address,
                         "digest": digest, "next_attempt_at": next_digest_at(now) if digest else release,
                         "created_at": now}
                    )  # fmt: skip
        # The head's mobile as recorded on the unit, unless the head's own account already texts that number.
        if Channel.SMS in rule.channels:
            for unit_id in dict.fromkeys(spec.head_units):
                mobile = head_mobiles.get(unit_id)
                if mobile and mobile not in sms_to:
                    sms_to.add(mobile)
                    deliveries.append(
                        {"event_id": event.pk, "channel": Channel.SMS, "recipient": f"h{unit_id}", "address": mobile,
                         "next_attempt_at": release, "created_at": now}
                    )  # fmt: skip
        for unit_id in dict.fromkeys(spec.robot_units):
            for robot in robots.get(unit_id, ()):
                if robot["kind"] in rule.channels:
                    deliveries.append(
                        {"event_id": event.pk, "channel": robot["kind"], "recipient": f"r{robot['pk']}",
                         "address": str(robot["pk"]), "mobiles": ",".join(mobiles.get(unit_id, ())),
                         "next_attempt_at": release, "created_at": now}
                    )  # fmt: skip
    insert_rows(Message, messages)
    insert_rows(Delivery, deliveries)
    if deliveries:
        deliver_enqueue(len(deliveries))
    return events


def deliver_enqueue(count: int = 1) -> None:
    """Enqueue enough deliver tasks for `count` deliveries that several workers share them."""
    from .tasks import deliver

    for _ in range(min(MAX_DELIVER_TASKS, max(1, math.ceil(count / DELIVERIES_PER_TASK)))):
        deliver.enqueue()


# --- Recipients -------------------------------------------------------------------------


def liaisons_of(unit_ids: Iterable[int]) -> dict[int, list[int]]:
    """The liaisons' accounts of each unit; a head's account (User.is_unit_head) hears only of urges and notices."""
    return _unit_accounts(unit_ids, head=False)


def heads_of(unit_ids: Iterable[int]) -> dict[int, list[int]]:
    """The unit head's accounts of each unit, where recorded."""
    return _unit_accounts(unit_ids, head=True)


def _unit_accounts(unit_ids: Iterable[int], *, head: bool) -> dict[int, list[int]]:
    result: dict[int, list[int]] = defaultdict(list)
    accounts = User.objects.filter(unit_id__in=set(unit_ids), role=User.Role.UNIT, is_active=True, is_unit_head=head)
    for uid, unit_id in accounts.order_by("pk").values_list("pk", "unit_id"):
        result[unit_id].append(uid)
    return result


def office_ids() -> list[int]:
    return list(User.objects.filter(role=User.Role.OFFICE, is_active=True).values_list("pk", flat=True))


def leader_user_ids(leader_ids: Iterable[int] | None = None) -> list[int]:
    users = User.objects.filter(role=User.Role.LEADER, is_active=True, leader__active=True)
    if leader_ids is not None:
        users = users.filter(leader_id__in=set(leader_ids))
    return list(users.values_list("pk", flat=True))


# --- Texts ------------------------------------------------------------------------------


def task_url(task_id: int) -> str:
    return reverse("work:task", args=[task_id])


def _task_line(task) -> str:
    deadline = task.deadline_label() if hasattr(task, "deadline_label") else ""
    return f"· {task.title}(完成时限:{deadline or '无'})"


def _listing(tasks: Sequence, ask: str) -> str:
    lines = [_task_line(task) for task in tasks[:LIST_LIMIT]]
    if len(tasks) > LIST_LIMIT:
        lines.append(f"……等共 {len(tasks)} 项,详见链接。")
    return "\n".join([*lines, ask]).strip()


def _by_unit(pairs: Iterable[tuple[int, object]]) -> dict[int, list]:
    grouped: dict[int, list] = defaultdict(list)
    for unit_id, task in pairs:
        grouped[unit_id].append(task)
    return grouped


def _unit_events(kind: str, grouped: dict[int, list], title_one: str, title_many: str, ask: str,
                 many_url: str, *, urgent_of=None, heads: bool = False) -> list[EventSpec]:  # fmt: skip
    people = liaisons_of(grouped)
    specs = []
    for unit_id, tasks in grouped.items():
        one = len(tasks) == 1
        specs.append(
            EventSpec(
                kind=kind,
                title=(title_one.format(title=tasks[0].title) if one else title_many.format(n=len(tasks)))[:200],
                body=_listing(tasks, ask),
                url=task_url(tasks[0].pk) if one else many_url,
                users=people.get(unit_id, []),
                robot_units=[unit_id],
                head_units=[unit_id] if heads else [],
                task_id=tasks[0].pk if one else None,
                unit_id=unit_id,
                urgent=bool(urgent_of and any(urgent_of(t) for t in tasks)),
            )
        )
    return specs


def _is_urgent(task) -> bool:
    """特急 tasks are not held through quiet hours."""
    from luoshi.work.models import Task

    return getattr(task, "priority", None) == Task.Priority.CRITICAL


# --- The events of the work and reports services (one call at each point) ----------------


@dataclass
class TaskLine:
    """What a message says of a task, read as plain values (an import of 100,000 tasks builds no models)."""

    pk: int
    title: str
    deadline: object
    standing: bool
    priority: int
    lead_unit_id: int | None = None

    def deadline_label(self) -> str:
        if self.standing:
            return "长期坚持"
        return f"{self.deadline:%Y-%m-%d}" if self.deadline else "—"


def tasks_assigned(*, task_ids: Sequence[int]) -> list[Event]:
    """A task assigned (lead or supporting) → the unit's liaisons, one message per unit.

    Backfilled tasks (补录, past work entered for the record) and tasks not in progress tell nobody.
    """
    from luoshi.work.models import Assignment, Task

    pairs = []
    ids = list(task_ids)
    for start in range(0, len(ids), 900):
        rows = (
            Assignment.objects.filter(task_id__in=ids[start : start + 900], task__backfill=False,
                                      task__status__in=Task.LIT_STATUSES)
            .order_by("task_id", "id")
            .values_list("unit_id", "task_id", "task__title", "task__deadline", "task__standing", "task__priority")
        )  # fmt: skip
        pairs += [(row[0], TaskLine(*row[1:])) for row in rows]
    grouped = _by_unit(pairs)
    return events_raise(
        _unit_events(Kind.ASSIGNED, grouped, "新交办事项:{title}", "新交办事项 {n} 项",
                     "请及时签收并按要求反馈进展。", reverse("work:inbox"), urgent_of=_is_urgent)
    )  # fmt: skip


def tasks_urged(*, tasks: Sequence, message: str) -> list[Event]:
    """催办, one or by batch → one message per unit listing its tasks (300 tasks to one unit: one message).

    It reaches the unit's liaisons, its group robots and its head (accounts in-app, mobile by SMS).
    `tasks` are Task or TaskLine objects; a batch of thousands passes TaskLines read as values.
    """
    grouped = _by_unit((task.lead_unit_id, task) for task in tasks)
    return events_raise(
        _unit_events(Kind.URGED, grouped, "催办:{title}", "催办事项 {n} 项", f"催办要求:{message.strip()}",
                     reverse("work:inbox"), urgent_of=_is_urgent, heads=True)
    )  # fmt: skip


def instruction_written(*, instruction) -> list[Event]:
    """批示 → the task's units' liaisons and the office."""
    task = instruction.task
    unit_ids = list(task.assignments.values_list("unit_id", flat=True))
    users = [uid for ids in liaisons_of(unit_ids).values() for uid in ids] + office_ids()
    return events_raise(
        [EventSpec(kind=Kind.INSTRUCTION, title=f"领导批示:{task.title}"[:200],
                   body=f"{instruction.leader}批示:{instruction.text}", url=task_url(task.pk), users=users,
                   robot_units=unit_ids, task_id=task.pk, unit_id=task.lead_unit_id)]
    )  # fmt: skip


def request_decided(*, request, approve: bool) -> list[Event]:
    """Extension or closure approved / returned → the unit's liaisons."""
    from luoshi.work.models import ExtensionRequest

    task = request.task
    if isinstance(request, ExtensionRequest):
        what = f"延期申请已同意,完成时限延至 {request.granted:%Y-%m-%d}" if approve else "延期申请未获同意"
    else:
        what = "办结申请已同意,事项已办结销号" if approve else "办结申请被退回,请重新办理"
    note = f"\n审核意见:{request.decision_note}" if request.decision_note else ""
    return events_raise(
        [EventSpec(kind=Kind.DECIDED, title=f"{what}:{task.title}"[:200], body=f"{what}。{note}".strip(),
                   url=task_url(task.pk), users=liaisons_of([request.unit_id]).get(request.unit_id, []),
                   robot_units=[request.unit_id], task_id=task.pk, unit_id=request.unit_id)]
    )  # fmt: skip


def request_awaiting(*, request) -> list[Event]:
    """An extension or closure asked → the office, which decides it."""
    from luoshi.work.models import ExtensionRequest

    task = request.task
    what = "延期申请" if isinstance(request, ExtensionRequest) else "办结申请"
    return events_raise(
        [EventSpec(kind=Kind.AWAITING, title=f"待审核{what}:{task.title}"[:200],
                   body=f"{request.unit.display_name}提交了{what},请审核。", url=reverse("work:pending"),
                   users=office_ids(), task_id=task.pk, unit_id=request.unit_id)]
    )  # fmt: skip


def brief_submitted(*, brief) -> list[Event]:
    """A brief submitted → the leader who decides it."""
    return events_raise(
        [EventSpec(kind=Kind.BRIEF, title=f"待决定汇报:{brief.subject}"[:200],
                   body=f"{brief.unit.display_name}呈报汇报,请从所列方案中作出决定。",
                   url=reverse("reports:brief", args=[brief.pk]), users=leader_user_ids([brief.leader_id]),
                   unit_id=brief.unit_id)]
    )  # fmt: skip


def brief_decided(*, brief) -> list[Event]:
    """A brief decided or returned → the unit that wrote it."""
    what = f"已决定({brief.chosen_label})" if brief.status == brief.Status.DECIDED else "被退回完善"
    return events_raise(
        [EventSpec(kind=Kind.BRIEF, title=f"汇报{what}:{brief.subject}"[:200], body=brief.decision_note,
                   url=reverse("reports:brief", args=[brief.pk]),
                   users=liaisons_of([brief.unit_id]).get(brief.unit_id, []), robot_units=[brief.unit_id],
                   unit_id=brief.unit_id)]
    )  # fmt: skip


def pack_issued(*, pack) -> list[Event]:
    """The executive-meeting pack issued → the county leaders."""
    return events_raise(
        [EventSpec(kind=Kind.ISSUED, title=f"常务会材料已印发:{pack.title}"[:200],
                   url=reverse("reports:pack", args=[pack.pk]), users=leader_user_ids())]
    )  # fmt: skip


def circular_issued(*, circular) -> list[Event]:
    """A circular issued → the county leaders."""
    return events_raise(
        [EventSpec(kind=Kind.ISSUED, title=f"督查通报已印发:{circular.title}"[:200],
                   url=reverse("reports:circular", args=[circular.pk]), users=leader_user_ids())]
    )  # fmt: skip


# --- Notices with 回执 -------------------------------------------------------------------


def notice_url(notice_id: int) -> str:
    return reverse("notify:notice", args=[notice_id])


def notices_issued(*, notices: Sequence, by: User) -> list[Event]:
    """A batch of 督办/催办通知单 → each unit once, listing its notices; a 回执 row and a trail entry each."""
    now = timezone.now()
    Receipt.objects.bulk_create([Receipt(notice=n, unit_id=n.unit_id, sent_at=now) for n in notices])
    NoticeTrail.objects.bulk_create(
        [NoticeTrail(notice=n, task_id=n.task_id, action=NoticeTrail.Action.ISSUE, actor=by, at=now) for n in notices]
    )
    return _notice_events(notices)


def _notice_events(notices: Sequence) -> list[Event]:
    grouped = _by_unit((n.unit_id, n) for n in notices)
    people = liaisons_of(grouped)
    specs = []
    for unit_id, items in grouped.items():
        first = items[0]
        lines = [f"· {n.number_label} {n.title}(完成时限:{n.deadline or '无'})" for n in items[:LIST_LIMIT]]
        if len(items) > LIST_LIMIT:
            lines.append(f"……等共 {len(items)} 份,详见链接。")
        lines.append("请打开通知单,阅读要求并确认回执。")
        specs.append(
            EventSpec(
                kind=Kind.NOTICE,
                title=(f"{first.get_kind_display()}{first.number_label}:{first.title}" if len(items) == 1
                       else f"督办(催办)通知单 {len(items)} 份")[:200],
                body="\n".join(lines),
                url=notice_url(first.pk) if len(items) == 1 else reverse("notify:notices"),
                users=people.get(unit_id, []),
                robot_units=[unit_id],
                head_units=[unit_id],
                task_id=first.task_id if len(items) == 1 else None,
                unit_id=unit_id,
            )
        )  # fmt: skip
    return events_raise(specs)


def notice_resend(*, notices: Sequence, by: User) -> int:
    """Send again the notices whose unit has not confirmed; the confirmed ones are left alone."""
    if not by.is_office:
        raise ActionError("只有督查室可以重新送达通知单。", status=403)
    with transaction.atomic():
        ids = [n.pk for n in notices]
        pending = list(
            Receipt.objects.select_for_update().filter(notice_id__in=ids, confirmed_at__isnull=True)
            .select_related("notice")
        )  # fmt: skip
        if not pending:
            raise ActionError("所选通知单都已确认回执,无需重新送达。", status=409)
        now = timezone.now()
        for receipt in pending:
            receipt.sends += 1
            receipt.sent_at = now
        Receipt.objects.bulk_update(pending, ["sends", "sent_at"])
        NoticeTrail.objects.bulk_create(
            [NoticeTrail(notice=r.notice, task_id=r.notice.task_id, action=NoticeTrail.Action.RESEND, actor=by, at=now)
             for r in pending]
        )  # fmt: skip
        _notice_events([r.notice for r in pending])
    return len(pending)


def notice_confirm(*, notice, by: User) -> Receipt:
    """回执: the unit confirms it received the notice. A second tap changes nothing."""
    if by.role != User.Role.UNIT or by.unit_id != notice.unit_id:
        raise ActionError("只有承办单位可以确认回执。", status=403)
    with transaction.atomic():
        receipt, _ = Receipt.objects.get_or_create(notice=notice, defaults={"unit_id": notice.unit_id})
        now = timezone.now()
        claimed = Receipt.objects.filter(pk=receipt.pk, confirmed_at__isnull=True).update(
            confirmed_at=now, confirmed_by=by
        )
        if claimed:
            NoticeTrail.objects.create(
                notice=notice, task_id=notice.task_id, action=NoticeTrail.Action.RECEIPT, actor=by, at=now
            )
            Message.objects.filter(user=by, event__url=notice_url(notice.pk), read_at__isnull=True).update(read_at=now)
        receipt.refresh_from_db()
    return receipt


def notice_read(*, notice, by: User) -> bool:
    """The first time someone of the notice's unit opens it: 已阅, on the notice's trail and the task's timeline.

    Only the first opening is recorded; the office or a leader reading it records nothing. True if recorded.
    """
    if by.role != User.Role.UNIT or by.unit_id != notice.unit_id:
        return False
    with transaction.atomic():
        now = timezone.now()
        claimed = Receipt.objects.filter(notice=notice, read_at__isnull=True).update(read_at=now, read_by=by)
        if claimed:
            NoticeTrail.objects.create(
                notice=notice, task_id=notice.task_id, action=NoticeTrail.Action.READ, actor=by, at=now
            )
        Message.objects.filter(user=by, event__url=notice_url(notice.pk), read_at__isnull=True).update(read_at=now)
    return bool(claimed)


# --- Reading --------------------------------------------------------------------------


def message_read(*, message: Message, by: User) -> Message:
    if message.user_id != by.pk:
        raise ActionError("消息不存在。", status=404)
    if message.read_at is None:
        message.read_at = timezone.now()
        Message.objects.filter(pk=message.pk, read_at__isnull=True).update(read_at=message.read_at)
    return message


def messages_read_all(*, by: User, kind: str = "") -> int:
    messages = Message.objects.filter(user=by, read_at__isnull=True)
    if kind:
        messages = messages.filter(kind=kind)
    return messages.update(read_at=timezone.now())


def messages_read_for_task(*, by: User, task_id: int) -> int:
    """Reading a task reads its messages."""
    if not by.is_authenticated:
        return 0
    return Message.objects.filter(user=by, task_id=task_id, read_at__isnull=True).update(read_at=timezone.now())
