"""Management commands that change accounts are traced like the pages and the admin (issue 20 §3)."""

import pytest
from django.core.management import call_command

from luoshi.audit.models import AuditEntry
from luoshi.org.models import User

pytestmark = pytest.mark.django_db


def test_createsuperuser_makes_a_system_administrator_and_is_traced(monkeypatch):
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", "Guanliyuan2026")
    call_command("createsuperuser", "--noinput", "--username", "root2", "--email", "root2@example.cn")
    user = User.objects.get(username="root2")
    assert user.role == "admin"
    assert not user.has_perm("audit.view_auditentry") and not user.has_perm("org.change_loginthrottle")
    entry = AuditEntry.objects.for_object(user).get()
    assert entry.action == "command_create_admin" and entry.actor is None and "createsuperuser" in entry.note
    assert entry.after["密码"] == "(已修改,内容不记录)"


def test_changepassword_from_the_command_line_is_traced(personas, monkeypatch):
    answers = iter(["Mingling2026x", "Mingling2026x"])
    monkeypatch.setattr("getpass.getpass", lambda prompt="": next(answers))
    call_command("changepassword", "charlie", stdout=None)
    entry = AuditEntry.objects.for_object(personas.liaison).get()
    assert entry.action == "command_password" and entry.after == {"密码": "(已修改,内容不记录)"}
