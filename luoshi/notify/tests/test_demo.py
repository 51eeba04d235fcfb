"""The demo county has a message centre with unread messages for `unit` and `leader`."""

import pytest

from luoshi.notify.models import Message

pytestmark = pytest.mark.django_db


def test_the_demo_has_unread_messages_for_the_unit_and_the_leader(demo, client):
    for username in ("unit", "leader"):
        assert Message.objects.filter(user__username=username, read_at__isnull=True).exists(), username
    client.login(username="unit", password="luoshi2026")
    page = client.get("/notify/").content.decode()
    assert "未读" in page


def test_the_demo_has_notices_one_confirmed_one_waiting_and_a_unit_head(demo, client):
    from luoshi.notify.models import Kind, Receipt
    from luoshi.reports.models import Notice

    confirmed, waiting = Notice.objects.order_by("number")
    assert Receipt.objects.get(notice=confirmed).confirmed_by.username == "unit"
    assert Receipt.objects.get(notice=waiting).confirmed_at is None
    assert Message.objects.filter(user__username="unithead", kind=Kind.NOTICE, read_at__isnull=True).exists()
    client.login(username="office", password="luoshi2026")
    timeline = client.get(f"/work/{confirmed.task_id}/").content.decode()
    assert "督办通知单确认回执" in timeline and "已回执" in timeline
    assert "未回执" in client.get(f"/work/{waiting.task_id}/").content.decode()
