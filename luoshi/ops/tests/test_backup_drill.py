"""The drill (issue 20 §4): back up the demo county while it is being written to, restore it elsewhere, compare.

It runs on whichever database the suite runs on (SQLite or PostgreSQL):
1. load the demo county and put uploaded files in the media folder;
2. keep writing (urges through the service, trace entries) in another thread while the backup runs;
3. restore into a new, empty database and media folder with `manage.py restore`, as an operator would;
4. every table's row count equals the manifest's; nothing committed before the backup began is missing;
   the trace's hash chain verifies (`manage.py verify_audit`) and the restored site takes new writes.
"""

import json
import threading
import time

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection

from luoshi.audit.services import audit_record
from luoshi.ops.tests.drill import manage, query, scratch_database, table_counts
from luoshi.org.demo import demo_load
from luoshi.org.models import Unit, User
from luoshi.work import office as work_office
from luoshi.work.models import Task, Urge

pytestmark = pytest.mark.django_db(transaction=True)

UPLOADS = {
    "work/2026/11/会议纪要.docx": b"PK\x03\x04 not really a docx, bytes are bytes",
    "library/2026/11/政策文件.pdf": bytes(range(256)) * 40,
    "rankings/practices/案例.txt": "学左右:某县的做法".encode(),
}


class Writer(threading.Thread):
    """Urges a task and appends to the trace, over and over, logging each write once it has committed."""

    def __init__(self, task: Task, office: User, unit: Unit):
        super().__init__(daemon=True)
        self.task, self.office, self.unit = task, office, unit
        self.committed: list[int] = []
        self.stop = threading.Event()
        self.error: BaseException | None = None

    def run(self):
        number = 0
        try:
            while not self.stop.is_set():
                number += 1
                work_office.task_urge(tasks=[self.task], message=f"演练催办 {number}", by=self.office)
                audit_record(obj=self.unit, action="drill", by=self.office, after={"write": number})
                self.committed.append(number)
                time.sleep(0.01)
        except BaseException as exc:  # noqa: BLE001 — reported to the test
            self.error = exc
        finally:
            connection.close()


def test_a_backup_taken_under_writes_restores_every_row_and_the_chain(tmp_path, capsys):
    demo_load()
    media = settings.MEDIA_ROOT
    for relative, content in UPLOADS.items():
        (media / relative).parent.mkdir(parents=True, exist_ok=True)
        (media / relative).write_bytes(content)
    office = User.objects.get(username="office")
    task = Task.objects.filter(status__in=Task.LIT_STATUSES, lead_unit__isnull=False).first()
    assert task is not None, "the demo county has no open task to urge"

    writer = Writer(task, office, task.lead_unit)
    writer.start()
    while len(writer.committed) < 5 and writer.is_alive():
        time.sleep(0.05)
    committed_before_backup = list(writer.committed)
    backup_dir = tmp_path / "backup"
    call_command("backup", str(backup_dir))
    while len(writer.committed) < len(committed_before_backup) + 5 and writer.is_alive():
        time.sleep(0.05)
    writer.stop.set()
    writer.join(timeout=60)
    assert writer.error is None
    assert "备份完成" in capsys.readouterr().out

    manifest = json.loads((backup_dir / "manifest.json").read_text("utf-8"))
    assert manifest["engine"] == connection.vendor
    assert {entry["path"] for entry in manifest["media"]} == set(UPLOADS)

    restored_media = tmp_path / "restored-media"
    with scratch_database(tmp_path, "restored") as restored_url:
        result = manage("restore", str(backup_dir), database_url=restored_url, media_root=restored_media)
        assert result.returncode == 0, result.stderr
        assert "恢复完成" in result.stdout

        # Every table as the manifest counted it in the backup's snapshot.
        restored = table_counts(restored_url)
        assert restored == manifest["tables"]
        # Nothing committed before the backup began is missing; nothing appears that was never written.
        urged = {row[0] for row in query(restored_url, "SELECT message FROM work_urge WHERE message LIKE '演练催办%'")}
        assert {f"演练催办 {number}" for number in committed_before_backup} <= urged
        assert urged <= {f"演练催办 {number}" for number in writer.committed}
        assert len(urged) == restored["work_urge"] - (Urge.objects.count() - len(writer.committed))
        # Tables the writer did not touch hold exactly what the source holds now.
        source = table_counts_here()
        untouched = {"work_urge", "work_timelineentry", "audit_auditentry", "audit_chainhead", "notify_event"}
        untouched |= {name for name in source if name.startswith(("notify_", "django_tasks"))}
        for table, count in source.items():
            if table not in untouched:
                assert restored[table] == count, table
        assert restored["audit_auditentry"] >= manifest["audit"]["entries"] > 0

        # The uploaded files, byte for byte.
        for relative, content in UPLOADS.items():
            assert (restored_media / relative).read_bytes() == content

        # The chain verifies in the restored database, and the restored site takes new writes on it.
        verified = manage("verify_audit", database_url=restored_url, media_root=restored_media)
        assert verified.returncode == 0, verified.stderr
        assert f"共 {manifest['audit']['entries']} 条" in verified.stdout
        script = (
            "from luoshi.audit.services import audit_record, verify_chain;"
            "from luoshi.org.models import Unit;"
            "audit_record(obj=Unit.objects.first(), action='after-restore', by=None);"
            "print(verify_chain())"
        )
        after = manage("shell", "-c", script, database_url=restored_url, media_root=restored_media)
        assert after.returncode == 0, after.stderr
        assert f"({manifest['audit']['entries'] + 1}, None)" in after.stdout


def table_counts_here() -> dict[str, int]:
    with connection.cursor() as cursor:
        names = connection.introspection.table_names(cursor)
        counts = {}
        for name in names:
            cursor.execute(f'SELECT COUNT(*) FROM "{name}"')
            counts[name] = cursor.fetchone()[0]
    return counts
