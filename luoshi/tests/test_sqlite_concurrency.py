"""A few dozen people saving at once never meet "database is locked"."""

import threading

import pytest
from django.db import connection, transaction

from luoshi.org.models import Unit

WRITERS = 12
WRITES_EACH = 15


@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_wait_instead_of_failing():
    errors: list[BaseException] = []
    start = threading.Barrier(WRITERS)

    def writer(number: int) -> None:
        try:
            start.wait()
            for write in range(WRITES_EACH):
                # Read, then write, in one transaction: the pattern that fails under
                # SQLite's default deferred transactions when two writers overlap.
                with transaction.atomic():
                    existing = Unit.objects.filter(name__startswith=f"并发{number}-").count()
                    Unit.objects.create(name=f"并发{number}-{write}", order=existing)
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
    assert Unit.objects.filter(name__startswith="并发").count() == WRITERS * WRITES_EACH
    # Every writer saw its own earlier rows: no lost or interleaved reads.
    for number in range(WRITERS):
        orders = sorted(Unit.objects.filter(name__startswith=f"并发{number}-").values_list("order", flat=True))
        assert orders == list(range(WRITES_EACH))
