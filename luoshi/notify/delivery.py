"""The worker's side: claim due deliveries, send them, record the answer; retry, then dead letter.

Claiming takes rows with SELECT … FOR UPDATE SKIP LOCKED on PostgreSQL (SQLite's IMMEDIATE
transactions serialise claimers) and stamps them with a lease. A worker killed with -9 leaves its
rows "sending" with a lease that runs out; the next claim takes them again, so nothing is lost.
"""

from __future__ import annotations

import logging
import os
import random
import socket
from collections import defaultdict
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from . import channels
from .models import Channel, Delivery, RobotChannel

logger = logging.getLogger(__name__)
CLAIM_BATCH = 50


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"[:64]


def backoff(attempts: int) -> timedelta:
    """Exponential backoff with full jitter: up to base·2^(n-1) seconds, at least half of it."""
    ceiling = settings.LUOSHI_NOTIFY_RETRY_SECONDS * 2 ** max(attempts - 1, 0)
    return timedelta(seconds=random.uniform(ceiling / 2, ceiling))


def _due(now) -> Q:
    return Q(status=Delivery.Status.PENDING, next_attempt_at__lte=now) | Q(
        status=Delivery.Status.SENDING, lease_until__lt=now
    )


def claim(*, worker: str, limit: int = CLAIM_BATCH) -> list[Delivery]:
    """Take up to `limit` due deliveries for this worker, in a short transaction of its own."""
    now = timezone.now()
    with transaction.atomic():
        rows = list(
            Delivery.objects.select_for_update(skip_locked=True)
            .filter(_due(now))
            .order_by("next_attempt_at", "id")[:limit]
        )
        if not rows:
            return []
        lease = now + timedelta(seconds=settings.LUOSHI_NOTIFY_LEASE_SECONDS)
        Delivery.objects.filter(pk__in=[row.pk for row in rows]).update(
            status=Delivery.Status.SENDING, lease_until=lease, worker=worker, attempts=F("attempts") + 1
        )
    for row in rows:
        row.status, row.lease_until, row.worker, row.attempts = Delivery.Status.SENDING, lease, worker, row.attempts + 1
    return rows


def _finish(done: list[tuple[list[Delivery], channels.Outcome]], worker: str) -> None:
    """Record a round's outcomes: the sent in one UPDATE, each failure with its own retry time."""
    now = timezone.now()
    mine = Delivery.objects.filter(worker=worker, status=Delivery.Status.SENDING)
    sent_ids = [row.pk for rows, outcome in done if outcome.ok for row in rows]
    for start in range(0, len(sent_ids), 500):
        mine.filter(pk__in=sent_ids[start : start + 500]).update(
            status=Delivery.Status.SENT, sent_at=now, lease_until=None, answer="ok"
        )
    for rows, outcome in done:
        if outcome.ok:
            continue
        logger.warning("notify: %s delivery(ies) failed on %s: %s", len(rows), rows[0].channel, outcome.answer)
        for row in rows:
            if row.attempts >= settings.LUOSHI_NOTIFY_MAX_ATTEMPTS:
                update = {"status": Delivery.Status.DEAD, "lease_until": None}
            else:
                update = {"status": Delivery.Status.PENDING, "next_attempt_at": now + backoff(row.attempts),
                          "lease_until": None}  # fmt: skip
            mine.filter(pk=row.pk).update(answer=outcome.answer[:2000], **update)


def _link(path: str) -> str:
    if path.startswith("http"):
        return path
    return settings.LUOSHI_SITE_URL + (path or "/")


def send_rows(rows: list[Delivery], worker: str) -> int:
    """Send claimed rows; a person's digest rows on one channel go as one message."""
    events = {e.pk: e for e in _events_of(rows)}
    groups: dict[tuple, list[Delivery]] = defaultdict(list)
    for row in rows:
        key = (row.channel, row.recipient, "digest") if row.digest else (row.pk,)
        groups[key].append(row)
    robots = {
        str(robot.pk): robot
        for robot in RobotChannel.objects.filter(
            pk__in=[int(row.address) for row in rows if row.channel in (Channel.DINGTALK, Channel.WECOM)]
        )
    }
    done = []
    for group in groups.values():
        first = group[0]
        if first.digest and len(group) > 1:
            title = f"每日汇总:{len(group)} 条消息"
            text = "\n".join(f"· {events[row.event_id].title}" for row in group)
            link = _link("/notify/")
        else:
            event = events[first.event_id]
            title, text, link = event.title, event.body, _link(event.url)
        outcome = channels.send(first.channel, address=first.address, mobiles=first.mobiles, title=title, text=text,
                                link=link, robots=robots)  # fmt: skip
        done.append((group, outcome))
    _finish(done, worker)
    return sum(len(rows) for rows, outcome in done if outcome.ok)


def _events_of(rows):
    from .models import Event

    return Event.objects.filter(pk__in={row.event_id for row in rows})


def deliver_due(*, worker: str | None = None, max_rounds: int | None = None, should_stop=lambda: False) -> int:
    """Claim and send until nothing is due, or until asked to stop between rounds. Returns how many were sent."""
    worker = worker or worker_name()
    sent = rounds = 0
    while (max_rounds is None or rounds < max_rounds) and not should_stop():
        rows = claim(worker=worker)
        if not rows:
            break
        if any(row.digest for row in rows):
            rows += _claim_digest_partners(rows, worker)
        sent += send_rows(rows, worker)
        rounds += 1
    return sent


def _claim_digest_partners(rows: list[Delivery], worker: str) -> list[Delivery]:
    """A digest row's siblings (same person, channel, due) are claimed too, so that they go as one."""
    now = timezone.now()
    recipients = {(row.channel, row.recipient) for row in rows if row.digest}
    query = Q()
    for channel, recipient in recipients:
        query |= Q(channel=channel, recipient=recipient)
    extra = []
    with transaction.atomic():
        extra = list(
            Delivery.objects.select_for_update(skip_locked=True)
            .filter(query, digest=True, status=Delivery.Status.PENDING, next_attempt_at__lte=now)
            .exclude(pk__in=[row.pk for row in rows])
        )
        if extra:
            lease = now + timedelta(seconds=settings.LUOSHI_NOTIFY_LEASE_SECONDS)
            Delivery.objects.filter(pk__in=[row.pk for row in extra]).update(
                status=Delivery.Status.SENDING, lease_until=lease, worker=worker, attempts=F("attempts") + 1
            )
            for row in extra:
                row.status, row.worker, row.attempts = Delivery.Status.SENDING, worker, row.attempts + 1
    return extra


def due_count() -> int:
    return Delivery.objects.filter(_due(timezone.now())).count()


def retry_dead(*, ids: list[int]) -> int:
    """The administrator's retry button: a dead letter goes back to the queue with fresh attempts."""
    with transaction.atomic():
        count = Delivery.objects.filter(pk__in=ids, status=Delivery.Status.DEAD).update(
            status=Delivery.Status.PENDING, attempts=0, next_attempt_at=timezone.now(), worker=""
        )
        if count:
            from .services import deliver_enqueue

            deliver_enqueue(count)
    return count
