"""The 消息 API: the same services as the pages, a user's own messages only."""

import pytest

from luoshi.notify.models import Message, Receipt
from luoshi.reports import services as reports
from luoshi.reports.models import Notice
from luoshi.work import office as work_office
from luoshi.work.tests.service_helpers import create, signed

pytestmark = pytest.mark.django_db


def test_unread_list_filter_and_read(client, personas, clock):
    task = signed(personas)
    work_office.task_urge(tasks=[task], message="请加快", by=personas.office)
    client.force_login(personas.liaison)
    assert client.get("/api/notify/unread").json() == {"unread": 2}
    urged = client.get("/api/notify/messages?kind=urged").json()
    assert [m["title"] for m in urged] == ["催办:推进财政数字化改革"]
    assert client.post(f"/api/notify/messages/{urged[0]['id']}/read").json()["read_at"]
    assert client.get("/api/notify/unread").json() == {"unread": 1}
    assert len(client.get("/api/notify/messages?unread=true").json()) == 1
    bad = client.get("/api/notify/messages?kind=nothing")
    assert bad.status_code == 422 and "类别(kind)" in bad.json()["detail"]


def test_another_users_message_is_404(client, personas, clock):
    create(personas)
    message = Message.objects.get(user=personas.liaison)
    client.force_login(personas.outsider)
    assert client.post(f"/api/notify/messages/{message.pk}/read").status_code == 404
    assert client.get("/api/notify/messages").json() == []


def test_a_notice_receipt_is_confirmed_through_the_api(client, personas, clock):
    [notice] = reports.notice_create(kind=Notice.Kind.SUPERVISE, tasks=[create(personas)], by=personas.office)
    client.force_login(personas.outsider)
    assert client.post(f"/api/notify/notices/{notice.pk}/receipt").status_code == 404
    client.force_login(personas.liaison)
    answer = client.post(f"/api/notify/notices/{notice.pk}/receipt").json()
    assert answer["number"] == notice.number_label and answer["confirmed_by"] == "赵敏"
    assert Receipt.objects.get(notice=notice).confirmed_at is not None


def test_the_api_wants_a_login(client):
    assert client.get("/api/notify/unread").status_code == 401
