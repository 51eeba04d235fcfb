"""消息中心 and the settings pages through the test client: the bell, filters, reading, 404s, rules, robots."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from luoshi.notify.models import Channel, Delivery, Kind, Message, RobotChannel, Rule
from luoshi.work import office as work_office
from luoshi.work.tests.service_helpers import create, signed

from .fakes import SECRET

pytestmark = pytest.mark.django_db


def _bell_queries(client, url) -> list[str]:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return [q["sql"] for q in ctx.captured_queries if "notify_message" in q["sql"]]


def test_the_bell_shows_the_unread_count_on_every_page_at_one_query(client, personas, clock):
    create(personas)
    signed(personas, title="第二项")
    client.force_login(personas.liaison)
    for url in ["/", "/work/", "/work/inbox/", "/org/", "/notify/"]:
        queries = _bell_queries(client, url)
        assert len(queries) <= 1 + (url == "/notify/") * 2, (url, queries)
    page = client.get("/").content.decode()
    assert 'data-unread="2"' in page


def test_the_list_filters_by_unread_and_kind(client, personas, clock):
    task = signed(personas)
    work_office.task_urge(tasks=[task], message="请加快", by=personas.office)
    client.force_login(personas.liaison)
    assert "催办:推进财政数字化改革" in client.get("/notify/?kind=urged").content.decode()
    assert "新交办事项:" not in client.get("/notify/?kind=urged").content.decode()
    Message.objects.filter(kind=Kind.URGED).update(read_at="2026-03-16T10:00:00+08:00")
    unread = client.get("/notify/?unread=1").content.decode()
    assert "新交办事项:" in unread and "催办:" not in unread


def test_opening_a_message_reads_it_and_opens_its_task(client, personas, clock):
    task = create(personas)
    message = Message.objects.get(user=personas.liaison)
    client.force_login(personas.liaison)
    response = client.get(f"/notify/{message.pk}/open/")
    assert response.status_code == 302 and response.url == f"/work/{task.pk}/"
    message.refresh_from_db()
    assert message.read_at is not None


def test_reading_the_task_reads_its_messages(client, personas, clock):
    task = signed(personas)
    work_office.task_urge(tasks=[task], message="请加快", by=personas.office)
    client.force_login(personas.liaison)
    assert client.get(f"/work/{task.pk}/").status_code == 200
    assert Message.objects.filter(user=personas.liaison).unread().count() == 0


def test_mark_all_read(client, personas, clock):
    create(personas)
    create(personas, title="又一项")
    client.force_login(personas.liaison)
    client.post("/notify/read-all/")
    assert Message.objects.filter(user=personas.liaison).unread().count() == 0


def test_another_units_user_gets_404_for_a_message(client, personas, clock):
    create(personas)
    message = Message.objects.get(user=personas.liaison)
    client.force_login(personas.outsider)
    assert client.get(f"/notify/{message.pk}/open/").status_code == 404
    assert client.post(f"/notify/{message.pk}/read/").status_code == 404
    message.refresh_from_db()
    assert message.read_at is None


def test_the_office_edits_the_rules_and_a_bad_number_is_refused_by_name(client, personas):
    client.force_login(personas.office)
    data = {f"{kind}-enabled": "1" for kind in Kind.values}
    data.update({f"{kind}-channels": ["email"] for kind in Kind.values})
    data["report_due-days"] = "abc"
    page = client.post("/notify/rules/", data, follow=True).content.decode()
    assert "反馈即将到期:提前工作日数应为 0 到 30 的整数" in page
    data["report_due-days"] = "5"
    data.pop("urged-enabled")
    client.post("/notify/rules/", data)
    assert Rule.objects.get(kind=Kind.REPORT_DUE).days_ahead == 5
    assert Rule.objects.get(kind=Kind.URGED).enabled is False
    client.force_login(personas.liaison)
    assert client.get("/notify/rules/").status_code == 403


def test_a_person_chooses_channels_within_what_the_office_allows(client, personas):
    Rule.objects.create(kind=Kind.URGED, enabled=True, channels=["email"])
    client.force_login(personas.liaison)
    page = client.post("/notify/preferences/", {"urged-channels": ["sms"]}, follow=True).content.decode()
    assert "督查室没有开放“短信”渠道" in page


def test_the_test_button_shows_the_robots_own_error_in_chinese(client, personas, robot):
    good = RobotChannel.objects.create(unit=personas.finance, kind=Channel.DINGTALK, webhook=robot.dingtalk_url(),
                                       secret=SECRET)  # fmt: skip
    bad = RobotChannel.objects.create(unit=personas.finance, kind=Channel.DINGTALK, webhook=robot.dingtalk_url(),
                                      secret="SECwrong")  # fmt: skip
    client.force_login(personas.liaison)
    ok = client.post(f"/notify/robots/{good.pk}/test/", follow=True).content.decode()
    assert "测试消息已发送" in ok
    refused = client.post(f"/notify/robots/{bad.pk}/test/", follow=True).content.decode()
    assert "测试消息发送失败" in refused and "310000" in refused and "sign not match" in refused
    client.force_login(personas.outsider)
    assert client.post(f"/notify/robots/{good.pk}/test/").status_code == 404


def test_a_webhook_outside_the_allowed_hosts_is_refused(client, personas, settings):
    settings.LUOSHI_NOTIFY_ALLOWED_HOSTS = ["oapi.dingtalk.com"]
    client.force_login(personas.liaison)
    page = client.post("/notify/robots/", {"unit": personas.finance.pk, "kind": "dingtalk",
                                           "webhook": "http://10.1.1.1/admin"}, follow=True).content.decode()  # fmt: skip
    assert "不在允许外发的主机名单" in page and RobotChannel.objects.count() == 0


def test_the_administrator_sees_dead_letters_with_the_answer_and_retries(client, personas, clock):
    personas.liaison.email = "a@example.org"
    personas.liaison.save()
    create(personas)
    Delivery.objects.update(status=Delivery.Status.DEAD, answer="邮件服务器拒绝或无法连接:550", attempts=5)
    client.force_login(personas.admin)
    page = client.get("/notify/dead/").content.decode()
    assert "550" in page
    client.post("/notify/dead/", {"delivery": [str(d.pk) for d in Delivery.objects.all()]})
    assert set(Delivery.objects.values_list("status", flat=True)) == {Delivery.Status.PENDING}
    client.force_login(personas.liaison)
    assert client.get("/notify/dead/").status_code == 403


def test_the_test_button_for_email_and_sms_shows_the_channels_answer(client, personas, robot, mailbox):
    personas.liaison.email, personas.liaison.phone = "zhaomin@example.org", "13900000001"
    personas.liaison.save()
    client.force_login(personas.liaison)
    page = client.post("/notify/preferences/test/", {"channel": "email"}, follow=True).content.decode()
    assert "测试消息已发送" in page and len(mailbox.messages) == 1
    robot.fail_sms = True
    page = client.post("/notify/preferences/test/", {"channel": "sms"}, follow=True).content.decode()
    assert "测试消息发送失败" in page and "HTTP 500" in page
