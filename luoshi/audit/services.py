"""Appending to the trace. Called by other apps' services inside their own transaction."""

from __future__ import annotations

import hmac
from datetime import date, datetime
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Model
from django.utils import timezone

from .models import AuditEntry, ChainHead


def _plain(value):
    """A value as JSON keeps it exactly, so that the hash recomputes the same after a round trip."""
    if value is None or isinstance(value, (bool, int, str)):
        return value
    if isinstance(value, (list, tuple)):
        return [_plain(each) for each in value]
    if isinstance(value, dict):
        return {str(key): _plain(each) for key, each in value.items()}
    if isinstance(value, datetime):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Model):
        return str(value)
    if isinstance(value, (Decimal, float)):
        return str(value)
    return str(value)


def audit_record(
    *, obj: Model, action: str, by, note: str = "", before: dict | None = None, after: dict | None = None
) -> AuditEntry:
    """Append one entry about `obj`, chained onto the last one.

    1. lock the chain head (PostgreSQL: SELECT … FOR UPDATE; SQLite's IMMEDIATE transactions
       already let one writer in at a time), so that two writers never chain onto the same entry;
    2. build the entry with the next sequence number and the head's hash;
    3. hash it, insert it, and move the head on.
    """
    with transaction.atomic():
        head, _ = ChainHead.objects.select_for_update().get_or_create(pk=1)
        actor = by if by is not None and getattr(by, "pk", None) else None
        entry = AuditEntry(
            seq=head.seq + 1,
            content_type=ContentType.objects.get_for_model(obj),
            object_id=obj.pk,
            actor=actor,
            actor_name=(getattr(actor, "display_name", "") or str(actor)) if actor else "系统",
            action=action,
            note=note,
            before=_plain(before or {}),
            after=_plain(after or {}),
            at=timezone.now(),
            prev_hash=head.last_hash,
        )
        entry.hash = entry.content_hash()
        entry.save()
        head.seq, head.last_hash = entry.seq, entry.hash
        head.save(update_fields=["seq", "last_hash"])
    return entry


def verify_chain() -> tuple[int, str | None]:
    """Walk the chain from the first entry: (entries checked, the first problem in Chinese or None)."""
    expected_seq, expected_prev, checked = 1, "0" * 64, 0
    for entry in AuditEntry.objects.order_by("seq").iterator(chunk_size=2000):
        if entry.seq != expected_seq:
            if entry.seq > expected_seq:
                return checked, f"第 {expected_seq} 条留痕缺失(已被删除),其后一条为第 {entry.seq} 条。"
            return checked, f"第 {entry.seq} 条留痕序号重复或顺序错乱(疑为插入)。"
        if entry.prev_hash != expected_prev:
            return checked, f"第 {entry.seq} 条留痕的“上一条摘要”与链不符:其前被删除或插入了记录。"
        if not hmac.compare_digest(entry.content_hash(), entry.hash):
            if checked == 0:
                return checked, (
                    f"第 {entry.seq} 条留痕的内容已被改动(摘要不符);"
                    "若第一条起全部不符,也可能是留痕密钥 LUOSHI_AUDIT_KEY(或 SECRET_KEY)被更换,请改回原密钥再核验。"
                )
            return checked, f"第 {entry.seq} 条留痕的内容已被改动(摘要不符)。"
        checked += 1
        expected_seq, expected_prev = entry.seq + 1, entry.hash
    head = ChainHead.objects.filter(pk=1).first()
    if head is not None and (head.seq != checked or head.last_hash != expected_prev):
        if head.seq > checked:
            return checked, f"链头记录共 {head.seq} 条,实际只有 {checked} 条:第 {checked + 1} 条起的留痕已被删除。"
        return checked, f"第 {head.seq + 1} 条留痕不在链头记录中:疑为绕过系统插入。"
    return checked, None
