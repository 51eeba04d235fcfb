"""`manage.py backup` and `restore`: a backup that is partial, tampered, corrupt or foreign is refused whole.

The backup under test is made once per module from the migrated test database (with its seeded calendar)
and an upload; each test works on its own copy.
"""

import json
import shutil

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import override_settings

from luoshi.ops import backup as ops
from luoshi.ops.tests.drill import manage, scratch_database, table_counts


@pytest.fixture(scope="module")
def made_backup(django_db_setup, django_db_blocker, tmp_path_factory):
    folder = tmp_path_factory.mktemp("made")
    media = folder / "media"
    (media / "work" / "2026").mkdir(parents=True)
    (media / "work" / "2026" / "纪要.docx").write_bytes(b"uploaded bytes")
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=media):
        ops.backup_create(folder / "backup")
    return folder / "backup"


@pytest.fixture
def backup(made_backup, tmp_path):
    copy = tmp_path / "backup"
    shutil.copytree(made_backup, copy)
    return copy


def rewrite_manifest(folder, change, *, sign=True):
    """Edit the manifest as a forger would; re-signed with the site's key unless sign=False."""
    manifest = json.loads((folder / "manifest.json").read_text("utf-8"))
    change(manifest)
    data = json.dumps(manifest, ensure_ascii=False).encode("utf-8")
    (folder / "manifest.json").write_bytes(data)
    if sign:
        (folder / "manifest.sig").write_text(ops._signature(data))


def refused(folder, *options) -> str:
    with pytest.raises(CommandError) as caught:
        call_command("restore", str(folder), "--check", *options)
    return str(caught.value)


def test_a_complete_backup_verifies(backup, capsys, db):
    call_command("restore", str(backup), "--check")
    out = capsys.readouterr().out
    assert "备份完好" in out
    manifest = json.loads((backup / "manifest.json").read_text("utf-8"))
    assert manifest["tables"]["plans_calendarday"] > 300
    assert manifest["media"] == [
        {"path": "work/2026/纪要.docx", "size": 14, "sha256": ops.hashlib.sha256(b"uploaded bytes").hexdigest()}
    ]
    assert manifest["program_version"] == ops.program_version() != "unknown"
    assert "audit.0001_initial" in manifest["migrations"]


def test_it_refuses_a_backup_that_did_not_finish(backup, db):
    (backup / "manifest.json").unlink()
    assert "备份不完整" in refused(backup)


def test_it_refuses_a_database_file_changed_by_one_byte(backup, db):
    database = next(backup.glob("database.*"))
    data = bytearray(database.read_bytes())
    data[len(data) // 2] ^= 0xFF
    database.write_bytes(bytes(data))
    assert "校验和与清单不符" in refused(backup)


def test_it_refuses_a_manifest_edited_by_hand(backup, db):
    rewrite_manifest(backup, lambda m: m["tables"].update(plans_calendarday=1), sign=False)
    message = refused(backup)
    assert "签名不符" in message and "--trust-other-key" in message


def test_trusting_another_key_still_checks_every_file(backup, db):
    rewrite_manifest(backup, lambda m: None, sign=False)
    (backup / "manifest.sig").write_text("0" * 64)
    assert "签名不符" in refused(backup)
    call_command("restore", str(backup), "--check", "--trust-other-key")
    (backup / "media" / "work" / "2026" / "纪要.docx").write_bytes(b"changed bytes!")
    assert "校验和与清单不符" in refused(backup, "--trust-other-key")


def test_it_refuses_a_file_slipped_into_the_backup(backup, db):
    (backup / "media" / "evil.html").write_text("<script>alert(1)</script>")
    assert "清单之外的文件 media/evil.html" in refused(backup)


def test_it_refuses_a_backup_missing_an_upload(backup, db):
    (backup / "media" / "work" / "2026" / "纪要.docx").unlink()
    assert "缺少 1 个文件" in refused(backup)


def test_it_refuses_a_backup_from_a_newer_program(backup, db):
    rewrite_manifest(backup, lambda m: m["migrations"].append("work.9999_from_the_future"))
    message = refused(backup)
    assert "较新或不同的程序版本" in message and "work.9999_from_the_future" in message


def test_it_refuses_a_backup_of_another_format(backup, db):
    rewrite_manifest(backup, lambda m: m.update(format="luoshi-backup/2"))
    assert "只能恢复 'luoshi-backup/1' 格式" in refused(backup)


def test_it_refuses_a_backup_of_the_other_database_engine(backup, db):
    other = "postgresql" if connection.vendor == "sqlite" else "sqlite"
    rewrite_manifest(backup, lambda m: m.update(engine=other))
    assert "请把 DATABASE_URL 指向同类数据库" in refused(backup)


def test_it_refuses_an_upload_path_that_leaves_the_media_folder(backup, db):
    def escape(manifest):
        manifest["media"][0]["path"] = "../../../etc/cron.d/luoshi"

    rewrite_manifest(backup, escape)
    assert "文件路径 '../../../etc/cron.d/luoshi' 不合法" in refused(backup)


def test_it_refuses_to_restore_over_a_database_that_holds_data(backup, db, settings):
    before = table_counts_now()
    with pytest.raises(CommandError, match="不是空的"):
        call_command("restore", str(backup))
    assert table_counts_now() == before


def test_it_refuses_to_restore_into_a_media_folder_with_files(backup, db, settings):
    (settings.MEDIA_ROOT / "left-over.txt").parent.mkdir(parents=True, exist_ok=True)
    (settings.MEDIA_ROOT / "left-over.txt").write_text("x")
    with pytest.raises(CommandError, match=r"上传文件目录 .* 不为空"):
        call_command("restore", str(backup))


def test_it_refuses_to_back_up_into_a_folder_that_is_not_empty(backup, db):
    with pytest.raises(CommandError, match="已存在且不为空"):
        call_command("backup", str(backup))


def test_a_failed_backup_leaves_nothing_that_looks_like_a_backup(tmp_path, db, monkeypatch):
    def broken_disk(source, destination):
        raise OSError("No space left on device")

    monkeypatch.setattr(ops, "_copy_media", broken_disk)
    with pytest.raises(OSError):
        call_command("backup", str(tmp_path / "backup"))
    assert list(tmp_path.iterdir()) == []


def test_a_corrupt_database_in_a_resigned_backup_is_refused_and_the_target_stays_empty(backup, db, tmp_path):
    # A forger with the key, or a bad disk before the manifest was written: the checksums agree, the data does not.
    database = next(backup.glob("database.*"))
    database.write_bytes(database.read_bytes()[: database.stat().st_size // 3])

    def resum(manifest):
        manifest["database"].update(size=database.stat().st_size, sha256=ops._sha256(database))

    rewrite_manifest(backup, resum)
    with scratch_database(tmp_path, "corrupt") as url:
        result = manage("restore", str(backup), database_url=url, media_root=tmp_path / "media-restored")
        assert result.returncode != 0
        assert "恢复失败" in result.stderr and "Traceback" not in result.stderr
        assert table_counts(url) == {}
        assert not (tmp_path / "media-restored").exists()


def table_counts_now() -> dict[str, int]:
    with connection.cursor() as cursor:
        counts = {}
        for name in connection.introspection.table_names(cursor):
            cursor.execute(f'SELECT COUNT(*) FROM "{name}"')
            counts[name] = cursor.fetchone()[0]
    return counts
