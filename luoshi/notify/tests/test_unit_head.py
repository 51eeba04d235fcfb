"""The unit head (单位负责人) hears of urges and notices: accounts in-app, the recorded mobile by SMS."""

import pytest

from luoshi.audit.models import AuditEntry
from luoshi.notify.models import Channel, Delivery, Kind, Message, RobotChannel
from luoshi.org.models import Unit, User
from luoshi.reports import services as reports
from luoshi.reports.models import Notice
from luoshi.testing import PASSWORD
from luoshi.work import office as work_office
from luoshi.work import services as work
from luoshi.work.tests.service_helpers import create, signed

pytestmark = pytest.mark.django_db

HEAD_MOBILE = "13800000009"


@pytest.fixture
def head(personas, clock, settings):
    settings.LUOSHI_SMS_URL = "http://127.0.0.1:9/sms"
    Unit.objects.filter(pk=personas.finance.pk).update(head_name="王局长", head_mobile=HEAD_MOBILE)
    account = User(username="wangju", name="王局长", role=User.Role.UNIT, unit=personas.finance, is_unit_head=True)
    account.set_password(PASSWORD)
    account.save()
    return account


def sms_to(event) -> list[str]:
    return sorted(Delivery.objects.filter(event=event, channel=Channel.SMS).values_list("address", flat=True))


def test_an_urge_reaches_the_liaison_the_heads_account_and_the_heads_mobile(personas, head):
    personas.liaison.phone = "13900000001"
    personas.liaison.save()
    task = signed(personas)
    work_office.task_urge(tasks=[task], message="请加快进度", by=personas.office)
    [for_liaison] = Message.objects.filter(user=personas.liaison, kind=Kind.URGED)
    [for_head] = Message.objects.filter(user=head, kind=Kind.URGED)
    assert for_head.event == for_liaison.event and for_head.task_id == task.pk
    assert sms_to(for_head.event) == [HEAD_MOBILE, "13900000001"]
    assert Delivery.objects.get(event=for_head.event, address=HEAD_MOBILE).recipient == f"h{personas.finance.pk}"


def test_a_batch_urge_gives_the_head_one_message_for_the_unit(personas, head):
    tasks = work.task_create_many(specs=[work.TaskSpec(title=f"事项{i}", lead=personas.finance,
                                                       deadline=signed(personas).deadline) for i in range(30)],
                                  by=personas.office)  # fmt: skip
    work_office.task_urge(tasks=tasks, message="请本周内反馈", by=personas.office)
    [message] = Message.objects.filter(user=head, kind=Kind.URGED)
    assert message.event.title == "催办事项 30 项"
    assert sms_to(message.event) == [HEAD_MOBILE]


def test_the_head_is_not_told_of_routine_events(personas, head):
    task = create(personas)
    work.task_instruct(task=task, by=personas.leader, text="务必按期完成")
    assert Message.objects.filter(user=personas.liaison, kind=Kind.ASSIGNED).count() == 1
    assert not Message.objects.filter(user=head).exists()
    assert not Delivery.objects.filter(address=HEAD_MOBILE).exists()


def test_a_notice_reaches_the_head_too(personas, head):
    task = signed(personas)
    [notice] = reports.notice_create(kind=Notice.Kind.SUPERVISE, tasks=[task], by=personas.office, message="限期整改")
    [message] = Message.objects.filter(user=head, kind=Kind.NOTICE)
    assert message.event.url == f"/notify/notices/{notice.pk}/"
    assert sms_to(message.event) == [HEAD_MOBILE]


def test_the_heads_mobile_gets_one_text_when_the_head_account_has_the_same_number(personas, head):
    head.phone = HEAD_MOBILE
    head.save()
    work_office.task_urge(tasks=[signed(personas)], message="请加快", by=personas.office)
    [message] = Message.objects.filter(user=head, kind=Kind.URGED)
    assert sms_to(message.event) == [HEAD_MOBILE]
    assert Delivery.objects.get(event=message.event, channel=Channel.SMS).recipient == f"u{head.pk}"


def test_without_the_sms_channel_the_heads_mobile_gets_nothing(personas, head, settings):
    settings.LUOSHI_SMS_URL = ""
    work_office.task_urge(tasks=[signed(personas)], message="请加快", by=personas.office)
    assert Message.objects.filter(user=head, kind=Kind.URGED).count() == 1
    assert not Delivery.objects.filter(channel=Channel.SMS).exists()


def test_the_office_turning_sms_off_for_urges_keeps_the_heads_mobile_quiet(personas, head):
    from luoshi.notify.services import rule_save

    rule_save(kind=Kind.URGED, enabled=True, channels=[Channel.EMAIL], days_ahead=3, by=personas.office)
    work_office.task_urge(tasks=[signed(personas)], message="请加快", by=personas.office)
    assert not Delivery.objects.filter(address=HEAD_MOBILE).exists()


def test_the_group_robot_mentions_the_liaisons_not_the_head(personas, head):
    head.phone = HEAD_MOBILE
    head.save()
    personas.liaison.phone = "13900000001"
    personas.liaison.save()
    RobotChannel.objects.create(unit=personas.finance, kind=Channel.DINGTALK, webhook="http://127.0.0.1:9/robot/send")
    work_office.task_urge(tasks=[signed(personas)], message="请加快", by=personas.office)
    robot = Delivery.objects.get(channel=Channel.DINGTALK, event__kind=Kind.URGED)
    assert HEAD_MOBILE not in robot.mobiles and "13900000001" in robot.mobiles


def test_the_liaison_records_the_head_on_the_units_page_and_it_is_traced(client, personas):
    client.force_login(personas.liaison)
    form = {"liaison_name": "赵敏", "liaison_phone": "0371-62000001", "liaison_mobile": "13900000001",
            "head_name": "王局长", "head_mobile": "138 0000 0009"}  # fmt: skip
    response = client.post(f"/org/units/{personas.finance.pk}/edit/", form, follow=True)
    page = response.content.decode()
    assert "王局长" in page and HEAD_MOBILE in page
    unit = Unit.objects.get(pk=personas.finance.pk)
    assert (unit.head_name, unit.head_mobile) == ("王局长", HEAD_MOBILE)
    change = AuditEntry.objects.for_object(unit).get(action="contact_update").note
    assert "单位负责人:“”→“王局长”" in change and f"负责人手机:“”→“{HEAD_MOBILE}”" in change


def test_a_bad_head_mobile_is_refused_and_nothing_is_saved(client, personas):
    client.force_login(personas.liaison)
    form = {"liaison_name": "赵敏", "liaison_phone": "", "liaison_mobile": "13900000001", "head_name": "王局长",
            "head_mobile": "0371-6200"}  # fmt: skip
    page = client.post(f"/org/units/{personas.finance.pk}/edit/", form).content.decode()
    assert "负责人手机号应为 11 位数字" in page
    assert Unit.objects.get(pk=personas.finance.pk).head_name == ""


def test_another_units_liaison_cannot_set_the_head(client, personas):
    client.force_login(personas.outsider)
    form = {"liaison_name": "x", "liaison_phone": "", "liaison_mobile": "", "head_name": "冒名", "head_mobile": ""}
    assert client.post(f"/org/units/{personas.finance.pk}/edit/", form).status_code == 404
    assert Unit.objects.get(pk=personas.finance.pk).head_name == ""


def test_the_heads_header_says_unit_head(client, personas, head):
    client.force_login(head)
    assert "单位负责人 · 财政局" in client.get("/notify/").content.decode()
