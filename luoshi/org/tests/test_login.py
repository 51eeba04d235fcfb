import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from luoshi.org.models import LoginEvent, LoginThrottle
from luoshi.testing import PASSWORD

pytestmark = pytest.mark.django_db

LOCK_WORDS = "已锁定 15 分钟"


def _login(client, username, password, **extra):
    return client.post(reverse("login"), {"username": username, "password": password}, REMOTE_ADDR="10.1.2.3", **extra)


def test_the_login_page_is_in_chinese(client):
    response = client.get(reverse("login"))
    assert response.status_code == 200
    text = response.content.decode()
    assert "用户名" in text and "密码" in text and "登录" in text


def test_a_right_password_logs_in_and_is_logged(client, personas):
    response = _login(client, "charlie", PASSWORD, HTTP_USER_AGENT="Mozilla/5.0 测试")
    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    event = LoginEvent.objects.get(kind=LoginEvent.Kind.LOGIN)
    assert event.user == personas.liaison
    assert event.ip == "10.1.2.3"
    assert "Mozilla" in event.user_agent


def test_a_wrong_password_gets_a_chinese_message_and_is_logged(client, personas):
    response = _login(client, "charlie", "wrong-password1")
    assert response.status_code == 200
    assert "用户名或密码不正确" in response.content.decode()
    event = LoginEvent.objects.get()
    assert (event.kind, event.user, event.username) == (LoginEvent.Kind.FAILED, personas.liaison, "charlie")


def test_five_wrong_passwords_lock_the_account_for_fifteen_minutes(client, personas):
    for attempt in range(4):
        response = _login(client, "charlie", f"wrong{attempt}abc")
        assert LOCK_WORDS not in response.content.decode()
    response = _login(client, "charlie", "wrong5abc")
    assert LOCK_WORDS in response.content.decode()
    assert LoginEvent.objects.filter(kind=LoginEvent.Kind.LOCKED, user=personas.liaison).count() == 1

    # The right password is refused while the lock lasts.
    response = _login(client, "charlie", PASSWORD)
    assert LOCK_WORDS in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert LoginEvent.objects.filter(kind=LoginEvent.Kind.REFUSED).count() == 1


def test_the_lock_runs_out_after_fifteen_minutes(client, personas):
    start = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
    with time_machine.travel(start, tick=False):
        for attempt in range(5):
            _login(client, "charlie", f"wrong{attempt}abc")
    with time_machine.travel(start + dt.timedelta(minutes=14), tick=False):
        assert LOCK_WORDS in _login(client, "charlie", PASSWORD).content.decode()
    with time_machine.travel(start + dt.timedelta(minutes=15, seconds=1), tick=False):
        assert _login(client, "charlie", PASSWORD).status_code == 302
    assert not LoginThrottle.objects.filter(username="charlie").exists()


def test_a_success_resets_the_count(client, personas):
    for attempt in range(4):
        _login(client, "charlie", f"wrong{attempt}abc")
    assert _login(client, "charlie", PASSWORD).status_code == 302
    client.logout()
    for attempt in range(4):
        response = _login(client, "charlie", f"again{attempt}abc")
    assert LOCK_WORDS not in response.content.decode()


def test_the_lock_is_by_account_not_by_address(client, personas):
    # A whole county sits behind one NAT: one locked account must not lock the others.
    for attempt in range(5):
        _login(client, "charlie", f"wrong{attempt}abc")
    assert _login(client, "dave", PASSWORD).status_code == 302


def test_an_unknown_user_name_is_answered_exactly_like_a_known_one(client, personas):
    known = [_login(client, "charlie", f"wrong{i}abc").content.decode() for i in range(5)]
    unknown = [_login(client, "nobody", f"wrong{i}abc").content.decode() for i in range(5)]

    def message(page):
        start = page.index('role="alert"')
        return page[start : page.index("</div>", start)]

    assert [message(page) for page in known] == [message(page) for page in unknown]
    assert LOCK_WORDS in message(unknown[-1])


def test_a_disabled_account_gets_the_wrong_password_message(client, personas):
    personas.liaison.is_active = False
    personas.liaison.save()
    response = _login(client, "charlie", PASSWORD)
    assert response.status_code == 200
    assert "用户名或密码不正确" in response.content.decode()


def test_logout_is_logged_and_needs_a_post(client, personas):
    client.force_login(personas.liaison)
    assert client.get(reverse("logout")).status_code == 405
    response = client.post(reverse("logout"), REMOTE_ADDR="10.9.9.9")
    assert response.status_code == 302
    assert LoginEvent.objects.filter(kind=LoginEvent.Kind.LOGOUT, user=personas.liaison, ip="10.9.9.9").exists()
    assert client.get(reverse("home")).status_code == 302


def test_behind_a_proxy_the_forwarded_address_is_logged(client, personas, settings):
    settings.LUOSHI_BEHIND_PROXY = True
    client.post(
        reverse("login"),
        {"username": "charlie", "password": PASSWORD},
        REMOTE_ADDR="127.0.0.1",
        HTTP_X_FORWARDED_FOR="10.20.30.40",
    )
    assert LoginEvent.objects.get(kind=LoginEvent.Kind.LOGIN).ip == "10.20.30.40"


def test_a_session_ends_after_the_idle_time(client, personas, settings):
    start = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
    idle = settings.LUOSHI_SESSION_IDLE_MINUTES
    with time_machine.travel(start, tick=False):
        _login(client, "charlie", PASSWORD)
    # Activity renews the session ...
    with time_machine.travel(start + dt.timedelta(minutes=idle - 1), tick=False):
        assert client.get(reverse("home")).status_code == 200
    with time_machine.travel(start + dt.timedelta(minutes=2 * idle - 2), tick=False):
        assert client.get(reverse("home")).status_code == 200
    # ... and idleness ends it.
    with time_machine.travel(start + dt.timedelta(minutes=3 * idle), tick=False):
        response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_the_open_redirect_after_login_is_refused(client, personas):
    response = client.post(
        reverse("login") + "?next=https://evil.example/",
        {"username": "charlie", "password": PASSWORD, "next": "https://evil.example/"},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("home")
