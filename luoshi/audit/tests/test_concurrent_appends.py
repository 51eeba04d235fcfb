"""Writers appending at once never fork the chain: each entry chains onto exactly one predecessor."""

import threading

import pytest
from django.db import connection

from luoshi.audit.models import AuditEntry
from luoshi.audit.services import audit_record, verify_chain
from luoshi.org.models import Unit

WRITERS = 6
WRITES_EACH = 8


@pytest.mark.django_db(transaction=True)
def test_concurrent_appends_keep_one_chain():
    unit = Unit.objects.create(name="并发留痕单位")
    errors: list[BaseException] = []
    start = threading.Barrier(WRITERS)

    def writer(number: int) -> None:
        try:
            start.wait()
            for write in range(WRITES_EACH):
                audit_record(obj=unit, action="edit", by=None, after={"writer": number, "write": write})
        except BaseException as exc:  # noqa: BLE001 — reported to the main thread
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=writer, args=(number,)) for number in range(WRITERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert errors == []
    assert AuditEntry.objects.count() == WRITERS * WRITES_EACH
    # No two entries chain onto the same predecessor, and the walk finds nothing wrong.
    assert AuditEntry.objects.values("prev_hash").distinct().count() == WRITERS * WRITES_EACH
    assert verify_chain() == (WRITERS * WRITES_EACH, None)
