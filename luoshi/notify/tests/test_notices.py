"""Electronic 督办/催办通知单 with 回执: delivered, read by the unit, confirmed once, re-sent to the silent."""

from datetime import date

import pytest

from luoshi.notify import services
from luoshi.notify.models import Kind, Message, NoticeTrail, Receipt
from luoshi.reports import services as reports
from luoshi.reports.models import Notice
from luoshi.work import services as work
from luoshi.work.tests.service_helpers import signed

pytestmark = pytest.mark.django_db


@pytest.fixture
def notices(personas, clock):
    finance = signed(personas)
    other = work.task_create(spec=work.TaskSpec(title="老旧小区改造", lead=personas.housing,
                                                deadline=finance.deadline), by=personas.office)  # fmt: skip
    return reports.notice_create(
        kind=Notice.Kind.URGE, tasks=[finance, other], by=personas.office, message="请于三日内反馈"
    )


def test_a_notice_reaches_the_unit_with_its_document_and_a_receipt_to_confirm(client, personas, notices):
    mine = notices[0]
    [message] = Message.objects.filter(user=personas.liaison, kind=Kind.NOTICE)
    assert mine.number_label in message.event.title and message.event.url == f"/notify/notices/{mine.pk}/"
    assert Receipt.objects.count() == 2
    client.force_login(personas.liaison)
    page = client.get(f"/notify/notices/{mine.pk}/").content.decode()
    assert "请于三日内反馈" in page and "确认收到" in page
    docx = client.get(f"/notify/notices/{mine.pk}/docx/")
    assert docx.status_code == 200 and b"".join(docx.streaming_content)[:2] == b"PK"
    assert client.get(f"/notify/notices/{notices[1].pk}/").status_code == 404


def test_the_unit_confirms_once_and_the_office_sees_who_and_when(client, personas, notices):
    mine = notices[0]
    client.force_login(personas.liaison)
    client.post(f"/notify/notices/{mine.pk}/confirm/")
    client.post(f"/notify/notices/{mine.pk}/confirm/")
    receipt = Receipt.objects.get(notice=mine)
    assert receipt.confirmed_by == personas.liaison
    assert NoticeTrail.objects.filter(notice=mine, action=NoticeTrail.Action.RECEIPT).count() == 1
    client.force_login(personas.office)
    listing = client.get("/notify/notices/").content.decode()
    assert "已确认 赵敏" in listing and "未回执" in listing
    detail = client.get(f"/notify/notices/{mine.pk}/").content.decode()
    assert "制发送达" in detail and "确认回执" in detail


def test_the_office_resends_only_to_those_who_have_not_confirmed(personas, notices):
    services.notice_confirm(notice=notices[0], by=personas.liaison)
    count = services.notice_resend(notices=notices, by=personas.office)
    assert count == 1
    assert Receipt.objects.get(notice=notices[1]).sends == 2
    assert Receipt.objects.get(notice=notices[0]).sends == 1
    assert Message.objects.filter(user=personas.outsider, kind=Kind.NOTICE).count() == 2
    assert Message.objects.filter(user=personas.liaison, kind=Kind.NOTICE).count() == 1


def test_another_unit_cannot_confirm(personas, notices):
    from luoshi.lib.errors import ActionError

    with pytest.raises(ActionError):
        services.notice_confirm(notice=notices[0], by=personas.outsider)


def test_the_notice_trail_is_never_rewritten(personas, notices):
    from django.db import DatabaseError, connection, transaction

    entry = NoticeTrail.objects.first()
    with pytest.raises(TypeError):
        NoticeTrail.objects.filter(pk=entry.pk).update(action="receipt")
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE notify_noticetrail SET action = 'receipt' WHERE id = %s", [entry.pk])


def _timeline(client, user, task_id) -> str:
    client.force_login(user)
    page = client.get(f"/work/{task_id}/").content.decode()
    return page[page.index('id="timeline"') :]


def test_the_task_timeline_shows_the_notice_issued_read_and_confirmed(client, personas, notices):
    mine = notices[0]
    office_view = _timeline(client, personas.office, mine.task_id)
    assert "催办通知单制发送达" in office_view and f"{mine.number_label} 送达财政局" in office_view
    assert "未回执" in office_view and "单位已阅" not in office_view

    client.force_login(personas.liaison)
    client.get(f"/notify/notices/{mine.pk}/")
    client.get(f"/notify/notices/{mine.pk}/")  # a second opening records nothing more
    client.post(f"/notify/notices/{mine.pk}/confirm/")
    unit_view = _timeline(client, personas.liaison, mine.task_id)
    assert unit_view.count("催办通知单单位已阅") == 1 and "催办通知单确认回执" in unit_view
    assert unit_view.index("制发送达") < unit_view.index("单位已阅") < unit_view.index("确认回执")
    assert "赵敏(财政局)" in unit_view

    office_view = _timeline(client, personas.office, mine.task_id)
    assert "已回执" in office_view and f"{mine.number_label} 已确认收到" in office_view
    receipt = Receipt.objects.get(notice=mine)
    assert receipt.read_by == personas.liaison and receipt.read_at <= receipt.confirmed_at
    assert [t.action for t in NoticeTrail.objects.filter(notice=mine)] == ["issue", "read", "receipt"]


def test_the_office_reading_a_notice_does_not_count_as_the_unit_reading_it(client, personas, notices):
    client.force_login(personas.office)
    page = client.get(f"/notify/notices/{notices[0].pk}/").content.decode()
    assert "单位尚未打开" in page
    assert Receipt.objects.get(notice=notices[0]).read_at is None


def test_a_supporting_unit_does_not_see_the_notice_addressed_to_the_lead_unit(client, personas, clock):
    spec = work.TaskSpec(title="城区排水改造", lead=personas.finance, supporting=[personas.housing],
                         deadline=date(2026, 6, 30))  # fmt: skip
    task = work.task_create(spec=spec, by=personas.office)
    [notice] = reports.notice_create(kind=Notice.Kind.SUPERVISE, tasks=[task], by=personas.office, message="请加快")
    assert notice.number_label in _timeline(client, personas.office, task.pk)
    assert notice.number_label in _timeline(client, personas.leader, task.pk)
    supporting = _timeline(client, personas.outsider, task.pk)
    assert "登记交办" in supporting and notice.number_label not in supporting


def test_the_notice_list_shows_who_has_read_and_who_has_confirmed(client, personas, notices):
    client.force_login(personas.liaison)
    client.get(f"/notify/notices/{notices[0].pk}/")
    client.force_login(personas.office)
    page = client.get("/notify/notices/").content.decode()
    assert (
        page.count("已阅 ") == 1
        and page.count("未打开") == 1
        and page.count('<span class="text-error">未回执</span>') == 2
    )
