"""The worker's sending: real local servers for SMTP, DingTalk, WeCom and an SMS gateway."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from luoshi.notify import channels, delivery
from luoshi.notify.models import Channel, Delivery, Profile, RobotChannel
from luoshi.work import office as work_office
from luoshi.work import services as work
from luoshi.work.tests.service_helpers import create, spec

from .fakes import SECRET

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(personas, clock, robot, mailbox):
    personas.liaison.email = "zhaomin@example.org"
    personas.liaison.phone = "13900000001"
    personas.liaison.save()
    RobotChannel.objects.create(unit=personas.finance, kind=Channel.DINGTALK, webhook=robot.dingtalk_url(),
                                secret=SECRET)  # fmt: skip
    RobotChannel.objects.create(unit=personas.finance, kind=Channel.WECOM, webhook=robot.wecom_url())
    return personas


def test_every_channel_delivers_once_and_nothing_is_sent_inside_the_request(people, robot, mailbox):
    task = create(people)
    assert robot.received == [] and mailbox.messages == []
    assert delivery.deliver_due() == 4
    assert delivery.deliver_due() == 0  # nothing twice
    [ding] = robot.of("dingtalk")
    assert task.title in ding["markdown"]["text"] and ding["at"]["atMobiles"] == ["13900000001"]
    [wecom] = robot.of("wecom")
    assert wecom["markdown"]["mentioned_mobile_list"] == ["13900000001"]
    assert f"/work/{task.pk}/" in wecom["markdown"]["content"]
    [sms] = robot.of("sms")
    assert sms["mobile"] == "13900000001" and len(sms["content"]) <= 140 and "http" in sms["content"]
    [(to, mail)] = mailbox.messages
    assert to == ["zhaomin@example.org"] and "新交办事项" in str(mail["Subject"])
    assert set(Delivery.objects.values_list("status", flat=True)) == {Delivery.Status.SENT}


def test_a_wrong_secret_is_refused_with_dingtalks_code_in_chinese(people, robot):
    RobotChannel.objects.filter(kind=Channel.DINGTALK).update(secret="SECwrong")
    outcome = channels.send(Channel.DINGTALK, address=str(RobotChannel.objects.get(kind=Channel.DINGTALK).pk),
                            mobiles="", title="测试", text="测试", link="http://x/")  # fmt: skip
    assert not outcome.ok
    assert "加签" in outcome.answer and "310000" in outcome.answer


def test_a_bad_wecom_key_is_refused_with_its_code(people, robot):
    RobotChannel.objects.filter(kind=Channel.WECOM).update(webhook=robot.wecom_url("nokey"))
    outcome = channels.send(Channel.WECOM, address=str(RobotChannel.objects.get(kind=Channel.WECOM).pk), mobiles="",
                            title="测试", text="测试", link="http://x/")  # fmt: skip
    assert not outcome.ok and "93000" in outcome.answer and "key 无效" in outcome.answer


def test_a_failing_gateway_is_retried_with_backoff_then_dead_lettered_and_retried_by_hand(people, robot, settings):
    settings.LUOSHI_NOTIFY_MAX_ATTEMPTS = 3
    robot.fail_sms = True
    create(people)
    delivery.deliver_due()
    sms = Delivery.objects.get(channel=Channel.SMS)
    assert sms.status == Delivery.Status.PENDING and sms.attempts == 1 and "HTTP 500" in sms.answer
    first_wait = sms.next_attempt_at - timezone.now()
    assert timedelta(seconds=30) <= first_wait <= timedelta(seconds=61)
    for _ in range(2):
        Delivery.objects.filter(pk=sms.pk).update(next_attempt_at=timezone.now())
        delivery.deliver_due()
    sms.refresh_from_db()
    assert sms.status == Delivery.Status.DEAD and sms.attempts == 3
    robot.fail_sms = False
    assert delivery.retry_dead(ids=[sms.pk]) == 1
    delivery.deliver_due()
    sms.refresh_from_db()
    assert sms.status == Delivery.Status.SENT and len(robot.of("sms")) == 1


def test_the_backoff_doubles_with_jitter():
    waits = [delivery.backoff(n).total_seconds() for n in (1, 2, 3, 4)]
    assert 30 <= waits[0] <= 60 and 60 <= waits[1] <= 120 and 120 <= waits[2] <= 240 and 240 <= waits[3] <= 480


def test_a_refusing_smtp_server_is_retried(people, mailbox):
    mailbox.refuse = True
    create(people)
    delivery.deliver_due()
    email = Delivery.objects.get(channel=Channel.EMAIL)
    assert email.status == Delivery.Status.PENDING and "550" in email.answer


def test_outbound_only_to_allowed_hosts(people, settings):
    settings.LUOSHI_NOTIFY_ALLOWED_HOSTS = ["oapi.dingtalk.com"]
    create(people)
    delivery.deliver_due()
    ding = Delivery.objects.get(channel=Channel.DINGTALK)
    assert ding.status == Delivery.Status.PENDING and "LUOSHI_NOTIFY_ALLOWED_HOSTS" in ding.answer
    with pytest.raises(channels.HostRefused):
        channels.check_host("http://10.0.0.5/internal")


def test_a_long_text_is_cut_with_a_link_never_refused(people, robot):
    tasks = work.task_create_many(specs=[spec(people, title="很长的事项名称" * 20 + f"{i}") for i in range(20)],
                                  by=people.office)  # fmt: skip
    work_office.task_urge(tasks=tasks, message="请反馈" * 300, by=people.office)
    delivery.deliver_due()
    urge = [body for body in robot.of("wecom") if "催办" in body["markdown"]["content"]]
    assert len(urge) == 1
    content = urge[0]["markdown"]["content"]
    assert len(content.encode()) <= 4096 and "全文见 http" in content
    assert channels.sms_text("很长" * 100, "http://h/x").endswith("http://h/x")
    assert len(channels.sms_text("很长" * 100, "http://h/x")) <= 140


def test_a_claimed_row_of_a_killed_worker_is_taken_again_after_its_lease(people, robot):
    create(people)
    taken = delivery.claim(worker="dead-worker")
    assert len(taken) == 4 and delivery.claim(worker="other") == []
    Delivery.objects.update(lease_until=timezone.now() - timedelta(seconds=1))
    assert delivery.deliver_due(worker="other") == 4
    assert len(robot.of("dingtalk")) == 1


def test_a_digest_sends_one_message_per_channel_at_half_past_eight(people, mailbox, clock):
    Profile.objects.create(user=people.liaison, digest=True)
    create(people, title="第一项")
    create(people, title="第二项")
    delivery.deliver_due()
    assert mailbox.messages == []
    clock(date(2026, 3, 17), hour=9)
    delivery.deliver_due()
    [(_, mail)] = mailbox.messages
    body = mail.get_content()
    assert "第一项" in body and "第二项" in body
    assert Delivery.objects.filter(channel=Channel.EMAIL, status=Delivery.Status.SENT).count() == 2


def test_the_dingtalk_signature_is_as_documented():
    # DingTalk's documented example: HMAC-SHA256 over "timestamp\nsecret", base64, URL-encoded.
    import base64
    import hashlib
    import hmac
    import urllib.parse

    expected = base64.b64encode(hmac.new(b"SECabc", b"1700000000000\nSECabc", hashlib.sha256).digest())
    assert channels.dingtalk_sign("SECabc", 1700000000000) == urllib.parse.quote_plus(expected)


def test_a_get_gateway_takes_the_mobile_and_text_in_its_url(people, robot, settings):
    settings.LUOSHI_SMS_METHOD = "GET"
    settings.LUOSHI_SMS_URL = f"{robot.base}/sms-get?mobile={{mobile}}&text={{text}}"
    settings.LUOSHI_SMS_SUCCESS = "OK"
    outcome = channels.send_sms(mobile="13900000001", title="催办:推进财政数字化改革", link="http://h/x")
    assert outcome.ok, outcome.answer
    [sms] = robot.of("sms")
    assert sms == {"mobile": "13900000001", "content": "【落实】催办:推进财政数字化改革 http://h/x"}
