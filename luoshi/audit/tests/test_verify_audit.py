import io

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, transaction

from luoshi.audit.models import AuditEntry
from luoshi.audit.services import audit_record
from luoshi.audit.testing import guard_lifted


@pytest.fixture
def trail(personas):
    unit = personas.finance
    return [
        audit_record(
            obj=unit, action="edit", by=personas.office, before={"联络员": f"甲{i}"}, after={"联络员": f"乙{i}"}
        )
        for i in range(4)
    ]


def verify() -> str:
    try:
        call_command("verify_audit", stdout=io.StringIO())
    except CommandError as error:
        return str(error)
    return "ok"


def test_an_untouched_chain_verifies(trail, capsys):
    call_command("verify_audit")
    assert "共 4 条" in capsys.readouterr().out
    assert [entry.prev_hash for entry in trail[1:]] == [entry.hash for entry in trail[:-1]]


def test_the_database_refuses_an_update(trail):
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEntry.objects.filter(pk=trail[1].pk).update(note="改过")


def test_the_database_refuses_a_delete(trail):
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEntry.objects.filter(pk=trail[1].pk).delete()


def test_the_model_refuses_a_save_and_a_delete(trail):
    with pytest.raises(TypeError):
        trail[0].save()
    with pytest.raises(TypeError):
        trail[0].delete()


def test_it_names_the_entry_changed_behind_the_applications_back(trail):
    with guard_lifted() as conn, conn.cursor() as cursor:
        cursor.execute("UPDATE audit_auditentry SET note = %s WHERE seq = 3", ["悄悄改了"])
    assert "第 3 条留痕的内容已被改动" in verify()


def test_it_names_the_entry_deleted(trail):
    with guard_lifted() as conn, conn.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditentry WHERE seq = 2")
    assert "第 2 条留痕缺失" in verify()


def test_it_names_the_last_entry_deleted(trail):
    with guard_lifted() as conn, conn.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditentry WHERE seq = 4")
    assert "第 4 条起的留痕已被删除" in verify()


def test_it_names_an_entry_inserted_with_a_well_formed_hash(trail):
    with guard_lifted() as conn, conn.cursor() as cursor:
        # Make room at 3 (two steps, so that the unique sequence never collides), then slip a forged entry in.
        cursor.execute("UPDATE audit_auditentry SET seq = seq + 10 WHERE seq >= 3")
        cursor.execute("UPDATE audit_auditentry SET seq = seq - 9 WHERE seq >= 13")
    second = AuditEntry.objects.get(seq=2)
    forged = AuditEntry(
        seq=3, content_type_id=second.content_type_id, object_id=second.object_id, actor_name="某人",
        action="edit", note="伪造", at=second.at, prev_hash=second.hash,
    )  # fmt: skip
    forged.hash = forged.content_hash()
    AuditEntry.objects.bulk_create([forged])
    assert "第 4 条留痕的“上一条摘要”与链不符" in verify()


def test_the_trail_of_an_object_reads_back_in_order(trail, personas):
    entries = list(AuditEntry.objects.for_object(personas.finance))
    assert [entry.after["联络员"] for entry in entries] == ["乙0", "乙1", "乙2", "乙3"]
    assert entries[0].changes() == [("联络员", "甲0", "乙0")]


def _rewrite_tail_with(trail, digest) -> None:
    """An intruder with database access rewrites entry 3 and recomputes the chain from it with `digest`."""
    from luoshi.audit.models import ChainHead

    with guard_lifted() as conn, conn.cursor() as cursor:
        prev = AuditEntry.objects.get(seq=2).hash
        for entry in AuditEntry.objects.filter(seq__gte=3).order_by("seq"):
            if entry.seq == 3:
                entry.note = "悄悄改了"
            entry.prev_hash = prev
            entry.hash = digest(entry)
            cursor.execute(
                "UPDATE audit_auditentry SET note = %s, prev_hash = %s, hash = %s WHERE seq = %s",
                [entry.note, entry.prev_hash, entry.hash, entry.seq],
            )
            prev = entry.hash
    ChainHead.objects.filter(pk=1).update(last_hash=prev)


def _unkeyed(entry) -> str:
    import hashlib
    import hmac
    import json

    # The entry's canonical text hashed as the old chain did, or keyed with a guessed key: what a forger can compute.
    text = json.dumps(_content(entry), sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hmac.new(b"guessed-key", text.encode(), hashlib.sha256).hexdigest()


def _content(entry) -> dict:
    from datetime import UTC

    return {
        "seq": entry.seq, "ct": entry.content_type_id, "obj": entry.object_id, "actor": entry.actor_id,
        "actor_name": entry.actor_name, "action": entry.action, "note": entry.note, "before": entry.before,
        "after": entry.after, "at": entry.at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
        "prev": entry.prev_hash,
    }  # fmt: skip


def test_a_forger_without_the_key_who_recomputes_the_whole_tail_is_caught(trail):
    _rewrite_tail_with(trail, _unkeyed)
    assert "第 3 条留痕的内容已被改动" in verify()


def test_with_the_key_the_same_rewrite_would_verify_so_the_key_is_what_protects_the_chain(trail):
    # The control for the test above: the forgery fails only for want of the key.
    _rewrite_tail_with(trail, lambda entry: entry.content_hash())
    assert verify() == "ok"


def test_a_changed_key_is_named_as_a_possible_cause(trail, settings):
    settings.LUOSHI_AUDIT_KEY = "another-key-0123456789abcdefghijklmnopqrstuvwxyz"
    assert "第 1 条留痕的内容已被改动" in verify() and "LUOSHI_AUDIT_KEY" in verify()


def test_the_hash_is_keyed_not_a_bare_sha256(trail):
    import hashlib
    import json

    entry = trail[0]
    text = json.dumps(_content(entry), sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    assert entry.hash != hashlib.sha256(text.encode()).hexdigest()
    assert entry.hash == entry.content_hash()
