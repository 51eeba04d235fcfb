"""Personal API tokens: the account page, the services, and logging in to the API with one."""

import hashlib
from datetime import timedelta

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from luoshi.lib.errors import ActionError
from luoshi.org.models import ApiToken, User
from luoshi.org.services import api_token_authenticate, api_token_create, api_token_revoke
from luoshi.testing import PASSWORD

pytestmark = pytest.mark.django_db

NOT_LOGGED_IN = {"detail": "未登录或 API 令牌无效。"}


def bearer(secret: str) -> Client:
    return Client(headers={"Authorization": f"Bearer {secret}"})


# --- Services ---------------------------------------------------------------


def test_a_new_token_keeps_only_the_hash_of_its_secret(personas):
    token, secret = api_token_create(user=personas.liaison, name="  数据大屏 ")

    assert secret.startswith("ls_")
    assert len(secret) > 40
    assert token.name == "数据大屏"
    assert token.prefix == secret[:8]
    assert token.key_hash == hashlib.sha256(secret.encode()).hexdigest()
    stored = ApiToken.objects.filter(pk=token.pk).values().get()
    assert all(secret not in str(value) for value in stored.values())


def test_a_token_needs_a_name(personas):
    with pytest.raises(ActionError, match="请填写令牌名称"):
        api_token_create(user=personas.liaison, name="  ")


def test_a_token_logs_in_its_user_until_revoked(personas):
    token, secret = api_token_create(user=personas.liaison, name="脚本")

    assert api_token_authenticate(secret) == personas.liaison
    api_token_revoke(token=token, by=personas.liaison)

    assert api_token_authenticate(secret) is None
    assert token.revoked_at is not None


def test_a_wrong_or_foreign_looking_secret_logs_in_nobody(personas):
    _, secret = api_token_create(user=personas.liaison, name="脚本")

    assert api_token_authenticate(secret + "x") is None
    assert api_token_authenticate(secret[3:]) is None
    assert api_token_authenticate("") is None


def test_the_token_of_a_deactivated_user_logs_in_nobody(personas):
    _, secret = api_token_create(user=personas.liaison, name="脚本")
    personas.liaison.is_active = False
    personas.liaison.save()

    assert api_token_authenticate(secret) is None


def test_last_used_is_written_at_most_once_a_minute(personas):
    token, secret = api_token_create(user=personas.liaison, name="脚本")
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        api_token_authenticate(secret)
    with time_machine.travel(start + timedelta(seconds=30), tick=False):
        api_token_authenticate(secret)
    token.refresh_from_db()
    assert token.last_used_at == start

    with time_machine.travel(start + timedelta(seconds=61), tick=False):
        api_token_authenticate(secret)
    token.refresh_from_db()
    assert token.last_used_at == start + timedelta(seconds=61)


def test_only_the_owner_or_the_security_officer_revokes_a_token(personas):
    token, _ = api_token_create(user=personas.liaison, name="脚本")

    for other in (personas.outsider, personas.admin, personas.auditor):
        with pytest.raises(ActionError, match="只能吊销自己的令牌"):
            api_token_revoke(token=token, by=other)
    api_token_revoke(token=token, by=personas.security)

    assert ApiToken.objects.get(pk=token.pk).revoked_at is not None


def test_revoking_twice_keeps_the_first_time(personas):
    token, _ = api_token_create(user=personas.liaison, name="脚本")
    first = api_token_revoke(token=token, by=personas.liaison).revoked_at

    with time_machine.travel(timezone.now() + timedelta(hours=1)):
        again = api_token_revoke(token=token, by=personas.liaison).revoked_at

    assert again == first


# --- The API, logged in with a token ----------------------------------------


def test_the_api_answers_to_a_bearer_token(personas):
    _, secret = api_token_create(user=personas.liaison, name="脚本")

    response = bearer(secret).get("/api/org/me")

    assert response.status_code == 200
    assert response.json()["username"] == "charlie"
    assert ApiToken.objects.get().last_used_at is not None


def test_a_revoked_token_answers_401_in_chinese(personas):
    token, secret = api_token_create(user=personas.liaison, name="脚本")
    api_token_revoke(token=token, by=personas.liaison)

    response = bearer(secret).get("/api/org/me")

    assert response.status_code == 401
    assert response.json() == NOT_LOGGED_IN


def test_an_unknown_token_answers_401_in_chinese(personas):
    response = bearer("ls_not-a-real-token").get("/api/org/me")

    assert response.status_code == 401
    assert response.json() == NOT_LOGGED_IN


def test_a_user_who_must_change_their_password_is_still_sent_to_change_it_in_the_browser(client, personas):
    # The token is for programs; the web pages keep their own rule.
    personas.liaison.must_change_password = True
    personas.liaison.save()
    client.force_login(personas.liaison)

    assert client.get("/org/account/").status_code == 302


# --- The account page -------------------------------------------------------


def test_the_account_page_lists_only_the_users_own_tokens(client, personas):
    api_token_create(user=personas.liaison, name="数据大屏")
    api_token_create(user=personas.outsider, name="住建局脚本")
    client.force_login(personas.liaison)

    page = client.get("/org/account/").content.decode()

    assert "数据大屏" in page
    assert "住建局脚本" not in page
    assert "从未使用" in page


def test_creating_a_token_shows_its_secret_once(client, personas):
    client.force_login(personas.liaison)
    nonce = client.get("/org/account/").context["nonce"]

    response = client.post("/org/account/", {"name": "统计脚本", "nonce": nonce}, follow=True)

    page = response.content.decode()
    secret = response.context["secret"]
    assert secret.startswith("ls_")
    assert secret in page
    assert "请立即复制保存,离开本页后无法再次查看" in page
    token = ApiToken.objects.get(user=personas.liaison)
    assert f"{token.prefix}…" in page
    assert api_token_authenticate(secret) == personas.liaison

    again = client.get("/org/account/").content.decode()
    assert secret not in again
    assert "请立即复制保存" not in again


def test_a_double_submit_makes_one_token(client, personas):
    client.force_login(personas.liaison)
    nonce = client.get("/org/account/").context["nonce"]

    client.post("/org/account/", {"name": "统计脚本", "nonce": nonce})
    response = client.post("/org/account/", {"name": "统计脚本", "nonce": nonce}, follow=True)

    assert ApiToken.objects.count() == 1
    assert "该表单已经提交过" in response.content.decode()


def test_creating_a_token_without_a_name_says_so(client, personas):
    client.force_login(personas.liaison)
    nonce = client.get("/org/account/").context["nonce"]

    response = client.post("/org/account/", {"name": "", "nonce": nonce}, follow=True)

    assert "请填写令牌名称" in response.content.decode()
    assert not ApiToken.objects.exists()


def test_revoking_from_the_page_stops_the_token(client, personas):
    token, secret = api_token_create(user=personas.liaison, name="统计脚本")
    client.force_login(personas.liaison)

    response = client.post(f"/org/account/tokens/{token.pk}/revoke/", follow=True)

    assert "已吊销令牌“统计脚本”" in response.content.decode()
    assert "吊销" in response.content.decode()
    assert bearer(secret).get("/api/org/me").status_code == 401


def test_another_users_token_cannot_be_revoked_and_answers_404(client, personas):
    token, secret = api_token_create(user=personas.outsider, name="住建局脚本")
    client.force_login(personas.liaison)

    response = client.post(f"/org/account/tokens/{token.pk}/revoke/")

    assert response.status_code == 404
    assert api_token_authenticate(secret) == personas.outsider


def test_revoking_needs_a_post(client, personas):
    token, _ = api_token_create(user=personas.liaison, name="统计脚本")
    client.force_login(personas.liaison)

    assert client.get(f"/org/account/tokens/{token.pk}/revoke/").status_code == 405
    assert ApiToken.objects.get().revoked_at is None


def test_the_account_page_needs_a_login(client, db):
    response = client.get("/org/account/")

    assert response.status_code == 302
    assert response["Location"].startswith("/login/")


def test_a_token_waits_while_its_user_must_change_their_password(personas):
    _, secret = api_token_create(user=personas.liaison, name="接口")
    assert bearer(secret).get("/api/org/me").status_code == 200
    personas.liaison.must_change_password = True
    personas.liaison.save()
    response = bearer(secret).get("/api/org/me")
    assert response.status_code == 401
    assert response.json() == NOT_LOGGED_IN


# --- A token dies with the password it was made under, and with the account ----


def test_a_token_stops_working_when_its_owner_changes_the_password_on_the_page(client, personas):
    _, secret = api_token_create(user=personas.liaison, name="脚本")
    assert bearer(secret).get("/api/org/me").status_code == 200

    client.force_login(personas.liaison)
    response = client.post(
        "/password/",
        {"old_password": PASSWORD, "new_password1": "Xinmima2027", "new_password2": "Xinmima2027"},
    )
    assert response.status_code == 302

    assert bearer(secret).get("/api/org/me").status_code == 401
    # A token made after the change works.
    _, fresh = api_token_create(user=User.objects.get(pk=personas.liaison.pk), name="新脚本")
    assert bearer(fresh).get("/api/org/me").status_code == 200


def test_a_token_stops_working_when_the_password_is_set_by_any_other_path(personas):
    _, secret = api_token_create(user=personas.liaison, name="脚本")
    # As the admin's reset, an import or `manage.py changepassword` do: set_password and save, nothing else.
    user = User.objects.get(pk=personas.liaison.pk)
    user.set_password("Lingyige2027")
    user.save()

    assert api_token_authenticate(secret) is None
    assert bearer(secret).get("/api/org/me").status_code == 401


def test_a_token_and_a_session_stop_working_when_the_account_is_disabled(client, personas):
    _, secret = api_token_create(user=personas.liaison, name="脚本")
    client.force_login(personas.liaison)
    assert client.get("/api/org/me").status_code == 200

    User.objects.filter(pk=personas.liaison.pk).update(is_active=False)

    assert bearer(secret).get("/api/org/me").status_code == 401
    assert client.get("/api/org/me").status_code == 401
    assert client.get("/work/").status_code == 302  # the session is gone: back to the login page


def test_another_browsers_session_ends_when_the_password_changes(client, personas):
    from django.test import Client

    other = Client()
    other.force_login(personas.liaison)
    assert other.get("/work/").status_code == 200

    client.force_login(personas.liaison)
    client.post(
        "/password/", {"old_password": PASSWORD, "new_password1": "Xinmima2027", "new_password2": "Xinmima2027"}
    )

    assert client.get("/work/").status_code == 200  # the browser that changed it stays logged in
    assert other.get("/work/")["Location"].startswith("/login/")


def test_creating_and_revoking_a_token_are_traced(personas):
    from luoshi.audit.models import AuditEntry

    token, _ = api_token_create(user=personas.liaison, name="数据大屏")
    api_token_revoke(token=token, by=personas.security)

    entries = list(AuditEntry.objects.for_object(token).values_list("action", "actor__username", "note"))
    assert entries[0][:2] == ("token_create", "charlie") and "数据大屏" in entries[0][2]
    assert entries[1][:2] == ("token_revoke", "frank") and "赵敏" in entries[1][2]
