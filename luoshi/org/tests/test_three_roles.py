"""三员分立: the system administrator, the security officer and the auditor each do their own work and
none can do another's; every change any of them makes is in the hash chain (issue 20 §3)."""

import pytest
from django.urls import reverse

from luoshi.audit.models import AuditEntry
from luoshi.audit.services import verify_chain
from luoshi.org.models import LoginThrottle, Unit, User

pytestmark = pytest.mark.django_db


def _change_user(client, user, **changes):
    data = {
        "username": user.username, "name": user.name, "phone": "", "email": "", "role": user.role,
        "unit": user.unit_id or "", "leader": user.leader_id or "", "is_active": "on" if user.is_active else "",
        "must_change_password": "", "is_unit_head": "",
    }  # fmt: skip
    data.update(changes)
    return client.post(f"/admin/org/user/{user.pk}/change/", {k: v for k, v in data.items() if v != ""})


def test_the_system_administrator_keeps_configuration_and_ordinary_accounts_only(client, personas):
    client.force_login(personas.admin)
    assert client.get("/admin/org/unit/").status_code == 200
    assert client.get(f"/admin/org/user/{personas.liaison.pk}/change/").status_code == 200
    # Not the administrators' accounts, not their roles, not locks, tokens, the trail or the login log.
    assert client.get(f"/admin/org/user/{personas.security.pk}/change/").status_code in (302, 404)
    page = client.get("/admin/org/user/add/").content.decode()
    assert 'value="office"' in page and 'value="admin"' not in page and 'value="security"' not in page
    response = _change_user(client, personas.liaison, role="admin")
    assert response.status_code == 200 and "不在可用的选项中" in response.content.decode()
    assert User.objects.get(pk=personas.liaison.pk).role == "unit"
    for url in [
        "/admin/org/loginthrottle/",
        "/admin/org/apitoken/",
        "/admin/org/loginevent/",
        "/admin/audit/auditentry/",
    ]:
        assert client.get(url).status_code == 403, url
    assert client.get("/audit/").status_code == 403
    assert client.get("/org/security/").status_code == 403


def test_the_security_officer_grants_roles_but_keeps_no_configuration_nor_the_trail(client, personas):
    client.force_login(personas.security)
    response = _change_user(client, personas.liaison, role="admin")
    assert response.status_code == 302
    assert User.objects.get(pk=personas.liaison.pk).role == "admin"
    # Not their own account: no one grants themselves a role.
    assert _change_user(client, personas.security, role="admin").status_code == 403
    assert User.objects.get(pk=personas.security.pk).role == "security"
    for url in ["/admin/org/unit/", "/admin/org/leader/", "/admin/plans/calendarday/", "/admin/audit/auditentry/",
                "/admin/org/loginevent/", "/org/settings/", "/org/import/", "/audit/"]:  # fmt: skip
        assert client.get(url).status_code == 403, url
    assert client.get("/").url == "/org/security/"
    assert client.get("/org/security/").status_code == 200


def test_the_auditor_reads_and_verifies_but_changes_nothing(client, personas):
    client.force_login(personas.auditor)
    assert client.get("/").url == "/audit/"
    assert client.get("/audit/").status_code == 200
    assert client.get("/admin/audit/auditentry/").status_code == 200
    for url in ["/admin/org/unit/", "/admin/org/user/", "/admin/org/user/add/", "/org/settings/", "/org/import/",
                "/org/security/", "/admin/org/apitoken/"]:  # fmt: skip
        assert client.get(url).status_code == 403, url
    assert client.post(f"/admin/org/unit/{personas.finance.pk}/change/", {"name": "改名"}).status_code == 403
    assert client.get("/admin/audit/auditentry/add/").status_code == 403
    assert Unit.objects.get(pk=personas.finance.pk).name == "财政局"


def test_no_role_can_touch_the_trail_in_the_admin(client, personas):
    entry = AuditEntry.objects.create  # noqa: F841 - the model refuses changes; the admin must refuse to try
    from luoshi.audit.services import audit_record

    line = audit_record(obj=personas.finance, action="edit", by=personas.office, note="样例")
    for who in (personas.admin, personas.security, personas.auditor):
        client.force_login(who)
        assert client.post(f"/admin/audit/auditentry/{line.pk}/delete/", {"post": "yes"}).status_code == 403
        assert client.post(f"/admin/audit/auditentry/{line.pk}/change/", {"note": "改"}).status_code == 403
    assert AuditEntry.objects.get(pk=line.pk).note == "样例"


def test_every_admin_change_is_in_the_chain_with_before_and_after(client, personas):
    client.force_login(personas.admin)
    response = client.post(
        f"/admin/org/unit/{personas.finance.pk}/change/",
        {"name": "财政局", "short_name": "县财政", "kind": "department", "order": 10, "active": "on",
         "liaison_name": "赵敏", "liaison_phone": "0371-62000001", "liaison_mobile": "13900000001",
         "aliases-TOTAL_FORMS": 1, "aliases-INITIAL_FORMS": 0, "aliases-0-alias": "县财政局"},
    )  # fmt: skip
    assert response.status_code == 302, response.content.decode()[:3000]
    entry = AuditEntry.objects.for_object(personas.finance).get()
    assert (entry.action, entry.actor_id) == ("admin_change", personas.admin.pk)
    assert (entry.before["简称"], entry.after["简称"]) == ("财政局", "县财政")
    assert "县财政局" in entry.note  # the alias added inline

    client.force_login(personas.security)
    response = client.post(
        f"/admin/org/user/{personas.liaison.pk}/password/",
        {"password1": "Chongzhi2026x", "password2": "Chongzhi2026x", "usable_password": "true"},
    )
    assert response.status_code == 302
    reset = AuditEntry.objects.for_object(personas.liaison).last()
    assert reset.actor_id == personas.security.pk
    assert reset.after["密码"] == "(已修改,内容不记录)"
    assert "Chongzhi2026x" not in str(reset.after) and "pbkdf2" not in str(reset.after).lower()

    response = _change_user(client, personas.outsider, is_active="")
    assert response.status_code == 302
    disabled = AuditEntry.objects.for_object(personas.outsider).last()
    assert (disabled.before["有效"], disabled.after["有效"]) == (True, False)

    client.force_login(personas.admin)
    response = client.post(
        reverse("admin:org_leader_add"),
        {
            "name": "王芳",
            "title": "副县长",
            "order": 40,
            "fields": "民政",
            "supervises": [personas.finance.pk],
            "active": "on",
        },
    )
    assert response.status_code == 302
    added = AuditEntry.objects.get(action="admin_add")
    assert added.after["分管(联系)单位"] == ["财政局"] and added.after["职务"] == "副县长"

    client.post(reverse("admin:org_leader_delete", args=[added.object_id]), {"post": "yes"})
    deleted = AuditEntry.objects.get(action="admin_delete")
    assert deleted.object_id == added.object_id and deleted.before["姓名"] == "王芳"
    assert verify_chain()[1] is None


def test_unlocking_an_account_is_the_security_officers_and_is_traced(client, personas):
    LoginThrottle.objects.create(username="charlie", failures=5, locked_until="2099-01-01T00:00:00Z")
    client.force_login(personas.security)
    assert "charlie" in client.get("/org/security/").content.decode()
    client.post("/org/security/unlock/", {"username": "charlie"})
    assert not LoginThrottle.objects.exists()
    entry = AuditEntry.objects.for_object(personas.liaison).get()
    assert (entry.action, entry.actor_id) == ("login_unlock", personas.security.pk)


def test_a_password_changed_on_the_password_page_is_traced_without_its_value(client, personas):
    from luoshi.testing import PASSWORD

    client.force_login(personas.liaison)
    client.post(
        "/password/", {"old_password": PASSWORD, "new_password1": "Xinmima2027", "new_password2": "Xinmima2027"}
    )
    entry = AuditEntry.objects.for_object(personas.liaison).get()
    assert entry.action == "password_change" and "Xinmima2027" not in str(entry.after)
