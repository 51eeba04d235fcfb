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
