"""Every event reaches the right people, once: messages and deliveries written with the change."""

from datetime import date

import pytest
from django.db import IntegrityError, transaction

from luoshi.notify.models import Channel, Delivery, Event, Kind, Message, RobotChannel, Rule
from luoshi.work import office as work_office
from luoshi.work import services as work
from luoshi.work.models import ClosureRequest, ExtensionRequest
from luoshi.work.tests.service_helpers import create, signed, spec

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(personas, clock):
    personas.liaison.email = "zhaomin@example.org"
    personas.liaison.phone = "13900000001"
    personas.liaison.save()
    RobotChannel.objects.create(unit=personas.finance, kind=Channel.DINGTALK, webhook="http://127.0.0.1:9/robot/send")
    return personas


def messages_of(user, kind=None):
    items = Message.objects.filter(user=user)
    return list(items.filter(kind=kind) if kind else items)


def test_an_assigned_task_reaches_the_units_liaison_on_every_channel_once(people, settings):
    settings.LUOSHI_SMS_URL = "http://127.0.0.1:9/sms"
    task = create(people)
    [message] = messages_of(people.liaison, Kind.ASSIGNED)
    assert message.task_id == task.pk
    assert task.title in message.event.title
    assert message.event.url == f"/work/{task.pk}/"
    channels = sorted(Delivery.objects.filter(event=message.event).values_list("channel", flat=True))
    assert channels == [Channel.DINGTALK, Channel.EMAIL, Channel.SMS]
    assert messages_of(people.outsider) == []


def test_a_supporting_unit_hears_of_the_task_too(people):
    task = work.task_create(spec=spec(people, supporting=[people.housing]), by=people.office)
    assert [m.task_id for m in messages_of(people.outsider, Kind.ASSIGNED)] == [task.pk]


def test_a_batch_urge_of_300_tasks_to_one_unit_is_one_message_listing_them(people):
    tasks = work.task_create_many(specs=[spec(people, title=f"事项{i:03d}") for i in range(300)], by=people.office)
    work_office.task_urge(tasks=tasks, message="请本周内反馈", by=people.office)
    [message] = messages_of(people.liaison, Kind.URGED)
    assert message.event.title == "催办事项 300 项"
    assert "事项000" in message.event.body and "等共 300 项" in message.event.body
    assert "请本周内反馈" in message.event.body
    assert Delivery.objects.filter(event=message.event, channel=Channel.DINGTALK).count() == 1


def test_a_single_urge_links_the_task(people):
    task = signed(people)
    work_office.task_urge(tasks=[task], message="请加快进度", by=people.office)
    [message] = messages_of(people.liaison, Kind.URGED)
    assert message.event.url == f"/work/{task.pk}/" and message.task_id == task.pk


def test_an_instruction_reaches_the_liaisons_and_the_office(people):
    task = signed(people)
    work.task_instruct(task=task, by=people.leader, text="务必按期完成")
    assert len(messages_of(people.liaison, Kind.INSTRUCTION)) == 1
    [office] = messages_of(people.office, Kind.INSTRUCTION)
    assert "务必按期完成" in office.event.body


def test_requests_reach_the_office_and_decisions_reach_the_unit(people):
    task = signed(people)
    work.task_extension_ask(task=task, by=people.liaison, reason="征地未完成", new_deadline=date(2026, 9, 30))
    assert len(messages_of(people.office, Kind.AWAITING)) == 1
    work_office.extension_decide(request=ExtensionRequest.objects.get(), approve=True, by=people.office)
    [decided] = messages_of(people.liaison, Kind.DECIDED)
    assert "2026-09-30" in decided.event.title
    work.task_closure_ask(task=task, by=people.liaison, summary="已完成")
    work_office.closure_decide(request=ClosureRequest.objects.get(), approve=False, by=people.office, note="缺验收材料")
    returned = messages_of(people.liaison, Kind.DECIDED)[0]
    assert "退回" in returned.event.title and "缺验收材料" in returned.event.body


def test_a_kind_the_office_turned_off_sends_nothing(people):
    Rule.objects.create(kind=Kind.ASSIGNED, enabled=False, channels=[])
    create(people)
    assert Message.objects.count() == 0 and Delivery.objects.count() == 0


def test_a_channel_the_office_does_not_allow_gets_no_delivery(people):
    Rule.objects.create(kind=Kind.ASSIGNED, enabled=True, channels=[Channel.EMAIL])
    create(people)
    assert list(Delivery.objects.values_list("channel", flat=True)) == [Channel.EMAIL]


def test_a_person_may_turn_a_channel_off_for_a_kind(people):
    from luoshi.notify.services import preference_save

    preference_save(user=people.liaison, kind=Kind.ASSIGNED, channels=[])
    create(people)
    assert Delivery.objects.filter(channel=Channel.EMAIL).count() == 0
    assert len(messages_of(people.liaison)) == 1  # the message centre always has it


def test_a_delivery_is_unique_on_event_recipient_and_channel(people):
    create(people)
    row = Delivery.objects.filter(channel=Channel.EMAIL).get()
    with pytest.raises(IntegrityError), transaction.atomic():
        Delivery.objects.create(event=row.event, channel=row.channel, recipient=row.recipient, address="x@y.z")


def test_a_refused_change_leaves_no_message(people):
    task = signed(people)
    Event.objects.all().delete()
    with pytest.raises(Exception):  # noqa: B017 - the service refuses an empty urge
        work_office.task_urge(tasks=[task], message=" ", by=people.office)
    assert Event.objects.count() == 0


def test_a_message_at_night_waits_for_the_working_morning_unless_critical(people, clock):
    clock(date(2026, 3, 20), hour=23)  # a Friday night: held to Monday 07:30
    create(people)
    email = Delivery.objects.get(channel=Channel.EMAIL)
    from django.utils import timezone

    assert timezone.localtime(email.next_attempt_at).strftime("%Y-%m-%d %H:%M") == "2026-03-23 07:30"
    create(people, title="特急事项", priority=2)
    critical = Delivery.objects.filter(channel=Channel.EMAIL).exclude(pk=email.pk).get()
    assert timezone.localtime(critical.next_attempt_at).strftime("%Y-%m-%d %H") == "2026-03-20 23"


def test_a_backfilled_task_tells_nobody(people):
    create(people, title="去年的工作(补录)", backfill=True, deadline=date(2025, 12, 31))
    assert Message.objects.count() == 0 and Delivery.objects.count() == 0
