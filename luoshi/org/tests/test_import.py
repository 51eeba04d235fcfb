"""Loading units, leaders and users from Excel: preview, all or nothing, errors by row and column."""

from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from luoshi.org.imports import TEMPLATE
from luoshi.org.models import Leader, Unit, User

pytestmark = pytest.mark.django_db


def _workbook(sheets: dict[str, list[list]], *, title_rows: int = 0) -> SimpleUploadedFile:
    workbook = Workbook()
    workbook.remove(workbook.active)
    for name, rows in sheets.items():
        sheet = workbook.create_sheet(name)
        for _ in range(title_rows):
            sheet.append([f"示范县{name}名单"])
        sheet.append(TEMPLATE[name])
        for row in rows:
            sheet.append(row)
    buffer = BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile("组织架构.xlsx", buffer.getvalue())


GOOD = {
    "单位": [
        ["民政局", "民政局", "县民政、民政部门", "县直单位", "", 30, "周芳", "0371-62000030", 13900000030, "是"],
        ["东城街道办事处", "东城街道", "", "乡镇", "", 20, "吴刚", "", "", ""],
        ["民政局救助站", "救助站", "", "其他", "民政局", 31, "", "", "", ""],
    ],
    "县领导": [["王芳", "副县长", 40, "否", "民政、社会事业", "民政局、东城街道、县财政局"]],
    "用户": [
        ["mzj", "周芳", "单位联络员", "县民政局", "", "Minzheng2026", "13900000030", "是"],
        ["wangfang", "王芳", "县领导", "", "王芳", "Lingdao2026x", "", ""],
    ],
}


def _preview(client, upload):
    return client.post(reverse("org:import"), {"file": upload})


def test_an_administrator_previews_then_imports_all_three_sheets(client, personas):
    client.force_login(personas.admin)
    response = _preview(client, _workbook(GOOD, title_rows=1))
    page = response.content.decode()
    assert "预览:可以导入" in page, page
    # The preview changed nothing.
    assert not Unit.objects.filter(name="民政局").exists()
    token = response.context["token"]

    response = client.post(reverse("org:import"), {"token": token})
    assert response.status_code == 302
    civil = Unit.objects.get(name="民政局")
    assert civil.liaison_mobile == "13900000030"
    assert set(civil.aliases.values_list("alias", flat=True)) == {"县民政", "民政部门"}
    assert Unit.objects.get(name="民政局救助站").parent == civil
    assert Unit.objects.get(name="东城街道办事处").kind == Unit.Kind.TOWNSHIP
    leader = Leader.objects.get(name="王芳")
    assert set(leader.supervises.values_list("name", flat=True)) == {"民政局", "东城街道办事处", "财政局"}
    assert leader.field_list == ["民政", "社会事业"]
    liaison = User.objects.get(username="mzj")
    assert (liaison.role, liaison.unit, liaison.must_change_password) == ("unit", civil, True)
    assert liaison.check_password("Minzheng2026")
    assert User.objects.get(username="wangfang").leader == leader


def test_importing_the_same_file_twice_updates_and_creates_nothing_new(client, personas):
    client.force_login(personas.admin)
    for _ in range(2):
        token = _preview(client, _workbook(GOOD)).context["token"]
        client.post(reverse("org:import"), {"token": token})
    assert Unit.objects.filter(name="民政局").count() == 1
    assert User.objects.filter(username="mzj").count() == 1


def test_a_second_confirm_of_the_same_preview_imports_nothing_twice(client, personas):
    client.force_login(personas.admin)
    token = _preview(client, _workbook(GOOD)).context["token"]
    client.post(reverse("org:import"), {"token": token})
    User.objects.filter(username="mzj").update(name="改过的名字")
    response = client.post(reverse("org:import"), {"token": token}, follow=True)
    assert "已经完成或已过期" in response.content.decode()
    assert User.objects.get(username="mzj").name == "改过的名字"


def test_one_bad_row_imports_nothing_and_every_problem_is_named_by_row_and_column(client, personas):
    bad = {
        "单位": [*GOOD["单位"], ["教育局", "", "", "局机关", "", "", "", "", "", ""]],
        "县领导": [["王芳", "副县长", "第一", "否", "", "民政局、县国土资源规划局"]],
        "用户": [
            ["mzj", "周芳", "单位联络员", "民政局", "", "qwxzplmkjh", "", ""],
            ["mzj", "周芳", "单位联络员", "民政局", "", "Minzheng2026", "", ""],
            ["nobody", "", "联络员", "", "", "Nobody2026", "", ""],
            ["boss", "", "超级用户", "", "", "Boss2026x", "", ""],
        ],
    }
    client.force_login(personas.admin)
    response = _preview(client, _workbook(bad))
    page = response.content.decode()
    assert "未导入任何数据" in page
    assert "「单位」第5行「类型」(D列):“局机关”无法识别" in page
    assert "「县领导」第2行「排序」(C列):“第一”不是整数" in page
    assert "「用户」第2行「初始密码」(F列):密码必须同时包含字母和数字" in page
    assert "「用户」第3行「用户名」(A列):“mzj”与第2行重复" in page
    assert "「用户」第4行「所属单位」(D列):单位联络员必须填写所属单位" in page
    assert "「用户」第5行「角色」(C列):“超级用户”无法识别" in page
    assert "token" not in response.context or not response.context["token"]
    assert not Unit.objects.filter(name="民政局").exists()
    assert not User.objects.filter(username="mzj").exists()


def test_an_unknown_supervised_unit_is_named_with_close_matches(client, personas):
    client.force_login(personas.admin)
    page = _preview(
        client, _workbook({"县领导": [["王芳", "副县长", "", "", "", "财政局、县住房城乡建设局"]]})
    ).content.decode()
    assert "「县领导」第2行「分管单位」(F列):未找到单位“县住房城乡建设局”,是否为“住房和城乡建设局" in page
    assert not Leader.objects.filter(name="王芳").exists()


@pytest.mark.parametrize(
    ("content", "name", "words"),
    [
        (b"PK\x03\x04 this is not really a zip", "坏文件.xlsx", "文件已损坏,无法打开"),
        (b"\x00\x01\x02garbage" * 100, "乱码.xlsx", "该文件不是 Excel 表格"),
        ("单位全称,类型\n财政局,县直单位".encode(), "名单.csv", "请上传 Excel 文件"),
    ],
)
def test_a_corrupt_or_wrong_file_is_refused_in_chinese(client, personas, content, name, words):
    client.force_login(personas.admin)
    response = _preview(client, SimpleUploadedFile(name, content))
    assert response.status_code == 200
    assert words in response.content.decode()


def test_a_workbook_without_the_expected_sheets_or_headers_is_refused(client, personas):
    client.force_login(personas.admin)
    workbook = Workbook()
    workbook.active.title = "Sheet1"
    workbook.active.append(["随便", "什么"])
    buffer = BytesIO()
    workbook.save(buffer)
    page = _preview(client, SimpleUploadedFile("x.xlsx", buffer.getvalue())).content.decode()
    assert "没有名为「单位」「县领导」或「用户」的工作表" in page

    workbook.active.title = "单位"
    buffer = BytesIO()
    workbook.save(buffer)
    page = _preview(client, SimpleUploadedFile("x.xlsx", buffer.getvalue())).content.decode()
    assert "找不到表头" in page


def test_only_administrators_import(client, personas):
    client.force_login(personas.office)
    assert client.get(reverse("org:import")).status_code == 403
    assert _preview(client, _workbook(GOOD)).status_code == 403
    assert client.get(reverse("org:import_template")).status_code == 403
    assert not Unit.objects.filter(name="民政局").exists()


def test_the_template_downloads_as_a_workbook_that_imports_cleanly_into_the_demo(client, demo):
    client.force_login(User.objects.get(username="admin"))
    response = client.get(reverse("org:import_template"))
    assert response["Content-Disposition"].startswith("attachment")
    content = b"".join(response.streaming_content)
    workbook = load_workbook(BytesIO(content))
    assert workbook.sheetnames == ["单位", "县领导", "用户", "填表说明"]
    assert [cell.value for cell in workbook["单位"][2]] == TEMPLATE["单位"]
    assert workbook["单位"].freeze_panes == "A3"
    page = _preview(client, SimpleUploadedFile("模板.xlsx", content)).content.decode()
    assert "预览:可以导入" in page, page


def test_previews_never_confirmed_are_deleted_after_a_day(client, personas, settings):
    import os
    import time

    client.force_login(personas.admin)
    _preview(client, _workbook(GOOD))
    folder = settings.MEDIA_ROOT / "imports" / "org"
    (stale,) = folder.iterdir()
    two_days_ago = time.time() - 2 * 86400
    os.utime(stale, (two_days_ago, two_days_ago))
    token = _preview(client, _workbook(GOOD)).context["token"]
    assert [path.name for path in folder.iterdir()] == [f"{token}.xlsx"]


def test_an_import_cannot_make_an_administrator_nor_touch_one(client, personas):
    """The finding of issue 20: an import made a user 系统管理员 and set their password with no record."""
    client.force_login(personas.admin)
    workbook = {
        "用户": [
            ["boss", "老板", "系统管理员", "", "", "Boss2026xy", "", ""],
            ["spy", "", "安全审计员", "", "", "Spy2026xyz", "", ""],
            ["frank", "改名", "督查室", "", "", "Frank2026x", "", ""],
        ]
    }
    page = _preview(client, _workbook(workbook)).content.decode()
    assert "「用户」第2行「角色」(C列):管理员类角色(系统管理员、安全保密管理员、安全审计员)不能通过导入授予" in page
    assert "「用户」第3行「角色」(C列):管理员类角色" in page
    assert "「用户」第4行「用户名」(A列):“frank”是管理员账号,不能通过导入修改" in page
    assert not User.objects.filter(username__in=["boss", "spy"]).exists()


def test_every_unit_leader_and_user_an_import_changes_is_traced_with_who_and_what(client, personas):
    from luoshi.audit.models import AuditEntry
    from luoshi.audit.services import verify_chain

    client.force_login(personas.admin)
    token = _preview(client, _workbook(GOOD)).context["token"]
    assert not AuditEntry.objects.exists()  # the preview left no trace: it changed nothing
    client.post(reverse("org:import"), {"token": token})

    civil = Unit.objects.get(name="民政局")
    (unit_entry,) = AuditEntry.objects.for_object(civil)
    assert (unit_entry.action, unit_entry.actor_id) == ("import_create", personas.admin.pk)
    assert unit_entry.after["联络员"] == "周芳" and unit_entry.after["类型"] == "县直单位"
    (user_entry,) = AuditEntry.objects.for_object(User.objects.get(username="mzj"))
    assert user_entry.after["角色"] == "单位联络员" and user_entry.after["所属单位"] == "民政局"
    assert user_entry.after["密码"] == "(已修改,内容不记录)"
    assert "Minzheng2026" not in str(user_entry.after)

    # A second import that changes a role and a password records both, before and after.
    changed = {"用户": [["mzj", "周芳", "督查室", "", "", "Xinmima2027", "", ""]]}
    token = _preview(client, _workbook(changed)).context["token"]
    client.post(reverse("org:import"), {"token": token})
    latest = AuditEntry.objects.for_object(User.objects.get(username="mzj")).last()
    assert latest.action == "import_update"
    assert latest.before["角色"] == "单位联络员" and latest.after["角色"] == "督查室"
    assert latest.after["密码"] == "(已修改,内容不记录)" and "密码" not in latest.before
    assert verify_chain()[1] is None
