"""Appending to the trace. Called by other apps' services inside their own transaction."""

from __future__ import annotations

import hashlib
import hmac
from datetime import date, datetime
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Model
from django.utils import timezone

from .models import GENESIS, AuditEntry, ChainHead


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
        # A model keyed by something other than an integer (a task result's UUID) is traced under 0, its key in the note.
        object_id = obj.pk if isinstance(obj.pk, int) else 0
        if not object_id:
            note = f"{note}(对象编号 {obj.pk})" if note else f"对象编号 {obj.pk}"
        entry = AuditEntry(
            seq=head.seq + 1,
            content_type=ContentType.objects.get_for_model(obj),
            object_id=object_id,
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


# Fields whose values never go into the trace: that they changed is recorded, not what they hold.
SECRET_FIELDS = frozenset({"password", "key_hash"})
SECRET_MARK = "(已修改,内容不记录)"


def _traced_names(obj: Model) -> list[str]:
    # A time the database stamps by itself (auto_now) changes with every save and says nothing.
    names = [
        field.name
        for field in obj._meta.concrete_fields
        if not field.primary_key and not getattr(field, "auto_now", False)
    ]
    return names + [field.name for field in obj._meta.many_to_many]


def field_values(obj: Model, names=None) -> dict:
    """{verbose name: value} of `names` (every field by default) on `obj`, as the trace stores them.

    Many-to-many fields give a sorted list of names; a secret field gives a short digest, which tells
    that it changed without keeping anything that could be used to recover it.
    """
    values = {}
    for name in names if names is not None else _traced_names(obj):
        field = obj._meta.get_field(name)
        label = str(getattr(field, "verbose_name", name))
        if name in SECRET_FIELDS:
            values[label] = "#" + hashlib.sha256(str(getattr(obj, name)).encode()).hexdigest()[:16]
        elif field.many_to_many:
            values[label] = sorted(str(each) for each in getattr(obj, name).all()) if obj.pk else []
        elif field.is_relation:
            related = getattr(obj, name)
            values[label] = str(related) if related is not None else None
        elif field.choices:
            values[label] = getattr(obj, f"get_{name}_display")()
        else:
            values[label] = _plain(getattr(obj, name))
    return values


def _secret_labels(obj: Model) -> set[str]:
    return {str(obj._meta.get_field(name).verbose_name) for name in _traced_names(obj) if name in SECRET_FIELDS}


def audit_changes(*, obj: Model, before: dict | None, by, action: str, note: str = "") -> AuditEntry | None:
    """Trace what changed on `obj` since `before` (`field_values(obj)` taken earlier; None for a new object).

    Only the fields whose values differ are kept, and nothing is written when none does. A secret field
    (a password) shows as changed, never with its value.
    """
    after = field_values(obj)
    secret = _secret_labels(obj)

    def shown(key, value):
        return SECRET_MARK if key in secret else value

    if before is None:
        kept = {key: shown(key, value) for key, value in after.items() if value not in (None, "", [])}
        return audit_record(obj=obj, action=action, by=by, note=note, after=kept)
    changed = [key for key, value in after.items() if key in before and before[key] != value]
    if not changed:
        return None
    return audit_record(
        obj=obj, action=action, by=by, note=note,
        before={key: before[key] for key in changed if key not in secret},
        after={key: shown(key, after[key]) for key in changed},
    )  # fmt: skip


def verify_chain() -> tuple[int, str | None]:
    """Walk the chain from the first entry still in the table: (entries checked, the first problem or None).

    After an archive the walk starts from the archive's last sequence number and hash, and the archives
    themselves must follow one another with no gap; `verify_archive` re-walks what a file holds.
    """
    from .models import AuditArchive

    expected_seq, expected_prev, checked = 1, GENESIS, 0
    for archive in AuditArchive.objects.order_by("upto_seq"):
        if archive.first_seq != expected_seq:
            return checked, f"留痕归档不连续:应从第 {expected_seq} 条起,归档却从第 {archive.first_seq} 条起。"
        expected_seq, expected_prev = archive.upto_seq + 1, archive.upto_hash
    archived = expected_seq - 1
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
    last = archived + checked
    if head is not None and (head.seq != last or head.last_hash != expected_prev):
        if head.seq > last:
            return checked, f"链头记录共 {head.seq} 条,实际只有 {last} 条:第 {last + 1} 条起的留痕已被删除。"
        return checked, f"第 {head.seq + 1} 条留痕不在链头记录中:疑为绕过系统插入。"
    return checked, None
