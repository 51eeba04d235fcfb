"""The auditor's pages: the trail and the login log, filtered, exported, and the chain verified on demand."""

from io import BytesIO

import pytest
from openpyxl import load_workbook

from luoshi.audit.models import AuditEntry
from luoshi.audit.services import audit_record
from luoshi.audit.testing import guard_lifted
from luoshi.org.models import LoginEvent

pytestmark = pytest.mark.django_db


@pytest.fixture
def trail(personas):
    audit_record(obj=personas.finance, action="contact_update", by=personas.liaison, note="修改联络信息",
                 before={"联络员": "赵敏"}, after={"联络员": "孙丽"})  # fmt: skip
    audit_record(obj=personas.liaison, action="admin_change", by=personas.security, note="系统管理:修改用户",
                 before={"角色": "单位联络员"}, after={"角色": "系统管理员"})  # fmt: skip
    LoginEvent.objects.create(kind=LoginEvent.Kind.FAILED, username="dave", ip="10.0.0.9")


@pytest.mark.parametrize("who", ["office", "admin", "security", "liaison", "leader"])
def test_only_the_auditor_reads_the_trail(client, personas, trail, who):
    client.force_login(getattr(personas, who))
    for url in ["/audit/", "/audit/export.xlsx", "/audit/logins/", "/audit/logins/export.xlsx"]:
        assert client.get(url).status_code == 403, url
    assert client.post("/audit/verify/").status_code == 403


def test_the_auditor_filters_reads_and_exports_the_trail(client, personas, trail):
    client.force_login(personas.auditor)
    page = client.get("/audit/", {"action": "admin_change"}).content.decode()
    assert "单位联络员 → 系统管理员" in page and "安全保密管理员" in page and "赵敏 → 孙丽" not in page
    assert "输入有误" in client.get("/audit/", {"from": "2026-13-45"}).content.decode()

    response = client.get("/audit/export.xlsx")
    sheet = load_workbook(BytesIO(b"".join(response.streaming_content))).active
    rows = [[cell.value for cell in row] for row in sheet.iter_rows(min_row=3)]
    assert {row[3] for row in rows} >= {"contact_update", "admin_change"}
    assert any("联络员:赵敏 → 孙丽" in (row[7] or "") for row in rows)
    # The export itself is in the trail.
    assert AuditEntry.objects.filter(action="audit_export", actor=personas.auditor).exists()

    logins = client.get("/audit/logins/", {"q": "dave"}).content.decode()
    assert "10.0.0.9" in logins and "密码错误" in logins


def test_the_auditor_verifies_the_chain_and_is_told_which_entry_was_changed(client, personas, trail):
    client.force_login(personas.auditor)
    page = client.post("/audit/verify/", follow=True).content.decode()
    assert "校验通过" in page
    with guard_lifted() as conn, conn.cursor() as cursor:
        cursor.execute("UPDATE audit_auditentry SET note = %s WHERE seq = 2", ["改过"])
    page = client.post("/audit/verify/", follow=True).content.decode()
    assert "校验未通过" in page and "第 2 条留痕的内容已被改动" in page
