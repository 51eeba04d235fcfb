import pytest
from django.urls import reverse

from luoshi.org.models import LoginEvent
from luoshi.testing import PASSWORD

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("who", ["liaison", "office", "leader"])
def test_only_administrators_enter_the_django_admin(client, personas, who):
    client.force_login(getattr(personas, who))
    for url in ["/admin/", "/admin/org/unit/", f"/admin/org/unit/{personas.finance.pk}/change/"]:
        assert client.get(url).status_code == 403, url
    response = client.post(f"/admin/org/unit/{personas.finance.pk}/change/", {"name": "改名"})
    assert response.status_code == 403
    personas.finance.refresh_from_db()
    assert personas.finance.name == "财政局"


def test_a_liaison_marked_staff_by_mistake_is_still_refused(client, personas):
    # The role decides, not a stray flag: save() derives is_staff from the role.
    personas.liaison.is_staff = True
    personas.liaison.save()
    personas.liaison.refresh_from_db()
    assert not personas.liaison.is_staff
    client.force_login(personas.liaison)
    assert client.get("/admin/").status_code == 403


def test_each_administrator_role_reads_its_own_part_of_the_admin(client, personas):
    client.post(reverse("login"), {"username": "dave", "password": "wrong1abc"})
    client.force_login(personas.admin)
    for url in ["/admin/", "/admin/org/unit/", "/admin/org/leader/", "/admin/plans/calendarday/"]:
        assert client.get(url).status_code == 200, url
    client.force_login(personas.security)
    for url in ["/admin/", "/admin/org/user/", "/admin/org/loginthrottle/", "/admin/org/apitoken/"]:
        assert client.get(url).status_code == 200, url
    client.force_login(personas.auditor)
    for url in ["/admin/", "/admin/org/loginevent/", "/admin/audit/auditentry/"]:
        assert client.get(url).status_code == 200, url
    page = client.get("/admin/org/loginevent/").content.decode()
    assert "登录日志" in page and "dave" in page and "密码错误" in page


def test_the_login_log_cannot_be_edited(client, personas):
    event = LoginEvent.objects.create(kind=LoginEvent.Kind.LOGIN, username="x")
    client.force_login(personas.auditor)
    assert client.post(f"/admin/org/loginevent/{event.pk}/delete/", {"post": "yes"}).status_code == 403
    assert LoginEvent.objects.filter(pk=event.pk).exists()


def test_the_admin_login_goes_through_the_locked_login_page(client):
    response = client.get("/admin/login/?next=/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_an_administrator_logs_in_through_the_one_login_page_and_reaches_the_admin(client, personas):
    response = client.post(
        reverse("login") + "?next=/admin/", {"username": "erin", "password": PASSWORD, "next": "/admin/"}
    )
    assert response["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200


def test_an_administrator_typed_password_must_be_changed(client, personas):
    client.force_login(personas.security)
    response = client.post(
        "/admin/org/user/add/",
        {
            "username": "newone",
            "name": "新人",
            "role": "office",
            "password1": "Chushi2026x",
            "password2": "Chushi2026x",
            "usable_password": "true",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    from luoshi.org.models import User

    assert User.objects.get(username="newone").must_change_password


def test_a_password_reset_by_an_administrator_must_be_changed(client, personas):
    client.force_login(personas.security)
    response = client.post(
        f"/admin/org/user/{personas.liaison.pk}/password/",
        {"password1": "Chongzhi2026x", "password2": "Chongzhi2026x", "usable_password": "true"},
    )
    assert response.status_code == 302
    personas.liaison.refresh_from_db()
    assert personas.liaison.check_password("Chongzhi2026x")
    assert personas.liaison.must_change_password


def test_logging_out_of_the_admin_is_logged_too(client, personas):
    client.force_login(personas.admin)
    response = client.post("/admin/logout/")
    assert response.status_code == 302
    assert LoginEvent.objects.filter(kind=LoginEvent.Kind.LOGOUT, user=personas.admin).exists()
    assert client.get("/admin/").status_code == 302


def test_admin_record_titles_are_in_chinese(client, personas):
    from datetime import date

    from luoshi.audit.models import AuditEntry
    from luoshi.audit.services import audit_record
    from luoshi.notify.models import Kind, Message
    from luoshi.notify.services import EventSpec, events_raise
    from luoshi.plans.models import CalendarDay

    # chinese-calendar's seed holds English names; the admin shows the Chinese one.
    def day(on, kind, name=""):
        return CalendarDay.objects.update_or_create(date=on, defaults={"kind": kind, "name": name})[0]

    national = day(date(2026, 10, 1), CalendarDay.Kind.HOLIDAY, "National Day")
    makeup = day(date(2026, 10, 10), CalendarDay.Kind.WORKDAY, "National Day")
    unnamed = day(date(2026, 10, 2), CalendarDay.Kind.HOLIDAY)
    assert [str(national), str(makeup), str(unnamed)] == [
        "2026-10-01 国庆节",
        "2026-10-10 调休上班(国庆节)",
        "2026-10-02 放假",
    ]

    entry = audit_record(obj=personas.finance, action="create", by=personas.admin, after={"名称": "财政局"})
    assert str(entry) == f"#{entry.seq} 新建"
    renamed = audit_record(obj=personas.finance, action="reorg_rename", by=personas.admin)
    assert str(renamed) == f"#{renamed.seq} 机构改革:更名"

    events_raise([EventSpec(kind=Kind.ASSIGNED, title="新交办事项:测试", users=[personas.liaison.pk])])
    message = Message.objects.get(user=personas.liaison)
    assert str(message) == "赵敏:新交办事项"

    client.force_login(personas.admin)
    page = client.get(f"/admin/plans/calendarday/{national.pk}/change/").content.decode()
    assert "2026-10-01 国庆节" in page and "National Day" not in page.split("<form")[0]
    client.force_login(personas.auditor)
    page = client.get(f"/admin/audit/auditentry/{entry.pk}/change/").content.decode()
    assert f"#{entry.seq} 新建" in page
    assert AuditEntry.objects.filter(action="create").count() == 1
