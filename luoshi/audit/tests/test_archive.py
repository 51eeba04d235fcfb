"""Retention and archive: nothing younger than 180 days leaves the database; older entries go to a signed
file, and the chain verifies across the archive, the file included (issue 20 §3)."""

import io
import json
from datetime import timedelta

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.db import DatabaseError, transaction
from django.utils import timezone

from luoshi.audit.archive import archive_audit, verify_archive
from luoshi.audit.models import AuditArchive, AuditEntry
from luoshi.audit.services import audit_record, verify_chain
from luoshi.lib.errors import ActionError
from luoshi.org.models import LoginEvent

pytestmark = pytest.mark.django_db


@pytest.fixture
def aged_trail(personas):
    """Five entries and three logins 300 days old, then three entries and a login of today."""
    old = timezone.now() - timedelta(days=300)
    with time_machine.travel(old, tick=False):
        for i in range(5):
            audit_record(obj=personas.finance, action="edit", by=personas.office, after={"联络员": f"旧{i}"})
        for i in range(3):
            LoginEvent.objects.create(kind=LoginEvent.Kind.LOGIN, username=f"old{i}", at=timezone.now())
    for i in range(3):
        audit_record(obj=personas.finance, action="edit", by=personas.office, after={"联络员": f"新{i}"})
    LoginEvent.objects.create(kind=LoginEvent.Kind.LOGIN, username="new")
    return old


def test_the_database_refuses_to_delete_an_entry_no_archive_covers_even_an_old_one(aged_trail):
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEntry.objects.filter(seq=1).delete()
    with pytest.raises(DatabaseError), transaction.atomic():
        LoginEvent.objects.filter(username="old0").delete()
    with pytest.raises(DatabaseError), transaction.atomic():
        LoginEvent.objects.filter(username="old0").update(username="改名")


def test_no_archive_takes_anything_younger_than_the_retention(aged_trail, tmp_path):
    with pytest.raises(ActionError, match="至少保留 180 天"):
        archive_audit(before=timezone.now() - timedelta(days=179), folder=tmp_path, by_name="测试")
    with pytest.raises(CommandError, match="至少保留 180 天"):
        call_command("archive_audit", "--before", f"{timezone.localdate():%Y-%m-%d}", "--dir", str(tmp_path))
    assert AuditEntry.objects.count() == 8 and not list(tmp_path.iterdir())


def test_an_archive_moves_old_entries_to_a_signed_file_and_the_chain_still_verifies(aged_trail, tmp_path):
    out = io.StringIO()
    cutoff = timezone.localdate() - timedelta(days=200)
    call_command("archive_audit", "--before", f"{cutoff:%Y-%m-%d}", "--dir", str(tmp_path), stdout=out)
    assert "已归档第 1–5 条留痕、3 条登录日志" in out.getvalue()

    assert list(AuditEntry.objects.values_list("seq", flat=True)) == [6, 7, 8, 9]  # 9: the archiving itself
    assert list(LoginEvent.objects.values_list("username", flat=True)) == ["new"]
    archive = AuditArchive.objects.get()
    (path,) = tmp_path.iterdir()
    assert verify_archive(path) == (5, None)
    assert verify_chain() == (4, None)
    verified = io.StringIO()
    call_command("verify_audit", "--archive", str(path), stdout=verified)
    assert "校验通过:5 条留痕,签名有效" in verified.getvalue() and "共 4 条,哈希链完整" in verified.getvalue()
    # The archive row is append-only too.
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditArchive.objects.filter(pk=archive.pk).update(upto_hash="0" * 64)
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditArchive.objects.filter(pk=archive.pk).delete()
    # Entries the archive covers are gone; the younger ones still refuse deletion.
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEntry.objects.filter(seq=6).delete()


def test_an_archive_file_edited_afterwards_is_named_as_tampered(aged_trail, tmp_path):
    archive_audit(before=timezone.now() - timedelta(days=200), folder=tmp_path, by_name="测试")
    (path,) = tmp_path.iterdir()
    lines = path.read_bytes().splitlines(keepends=True)
    line = json.loads(lines[2])
    line["note"] = "悄悄改了"
    lines[2] = (json.dumps(line, ensure_ascii=False) + "\n").encode()
    path.write_bytes(b"".join(lines))
    _checked, problem = verify_archive(path)
    assert "签名不符" in problem
    with pytest.raises(CommandError, match="签名不符"):
        call_command("verify_audit", "--archive", str(path), stdout=io.StringIO())


def test_a_second_archive_continues_from_the_first(aged_trail, tmp_path, personas):
    with time_machine.travel(timezone.now() - timedelta(days=220), tick=False):
        audit_record(obj=personas.finance, action="edit", by=personas.office, after={"联络员": "中间"})
    first = archive_audit(before=timezone.now() - timedelta(days=250), folder=tmp_path, by_name="测试")
    assert (first.first_seq, first.upto_seq) == (1, 5)
    assert archive_audit(before=timezone.now() - timedelta(days=250), folder=tmp_path, by_name="测试") is None
    second = archive_audit(before=timezone.now() - timedelta(days=200), folder=tmp_path, by_name="测试")
    # Entry 9 (220 days old) is archived with the ones before it that remain: 6-8 are today's, so only a
    # contiguous run from the first archive's end could go; the archive takes 6..9 only if all are old.
    assert second is None or second.first_seq == 6
    assert verify_chain()[1] is None
    for path in tmp_path.iterdir():
        assert verify_archive(path)[1] is None
