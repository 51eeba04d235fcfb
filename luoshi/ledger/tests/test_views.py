"""The import pages: upload, preview, the mapping and units chosen by hand, commit; and who may use them."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from luoshi.ledger.models import LedgerImport
from luoshi.org.models import UnitAlias
from luoshi.testing import PASSWORD
from luoshi.work.models import Task

from .builders import ledger_file

pytestmark = pytest.mark.usefixtures("march_2022")

ROWS = [
    [1, "编制年度增收计划", "明确全年收入目标", "常务副县长", "县财政局", "住建局", "2022年6月底前", ""],
    [2, "推进老旧小区改造", "", "", "县住房保障局", "", "年底前", ""],
]


def login(client, username="alice"):
    assert client.login(username=username, password=PASSWORD)
    return client


def upload(client, data: bytes, name="分解表.xlsx"):
    return client.post("/ledger/import/", {"file": SimpleUploadedFile(name, data)})


def test_upload_leads_to_a_preview_that_names_each_problem(client, personas):
    login(client)

    response = upload(client, ledger_file(ROWS))

    record = LedgerImport.objects.get()
    assert response.url == f"/ledger/import/{record.pk}/"
    page = client.get(response.url).content.decode()
    assert "第5行「牵头单位」:未找到单位“县住房保障局”" in page
    assert "有 1 个错误,不能导入" in page
    assert not Task.objects.exists()


def test_a_unit_chosen_by_hand_can_be_saved_as_an_alias_and_the_file_then_imports(client, personas):
    login(client)
    record_url = upload(client, ledger_file(ROWS)).url
    pk = LedgerImport.objects.get().pk

    client.post(f"/ledger/import/{pk}/choose/", {"mention": "县住房保障局", "unit": personas.housing.pk, "alias": "1"})

    assert UnitAlias.objects.filter(alias="县住房保障局", unit=personas.housing).exists()
    page = client.get(record_url).content.decode()
    assert "确认导入(2 个事项)" in page
    token = page.split('name="token" value="')[1].split('"')[0]
    response = client.post(f"/ledger/import/{pk}/commit/", {"token": token})
    assert response.url == "/work/?year=2022"
    assert Task.objects.filter(year=2022).count() == 2
    # The same form sent twice creates nothing twice.
    client.post(f"/ledger/import/{pk}/commit/", {"token": token})
    assert Task.objects.count() == 2


def test_the_mapping_can_be_changed_by_hand(client, personas):
    headers = ["序号", "工作任务", "具体措施", "领导", "主办", "配合单位", "完成时限", "备注"]
    login(client)
    upload(client, ledger_file([[1, "编制年度增收计划", "", "", "财政局", "", "年底前", ""]], headers=headers))
    pk = LedgerImport.objects.get().pk
    assert "没有找到「牵头单位」列" in client.get(f"/ledger/import/{pk}/").content.decode()

    client.post(f"/ledger/import/{pk}/mapping/", {"seq": "0", "title": "1", "lead": "4", "deadline": "6"})

    page = client.get(f"/ledger/import/{pk}/").content.decode()
    assert "确认导入(1 个事项)" in page


@pytest.mark.parametrize(
    ("data", "says"),
    [
        (b"", "文件是空的"),
        ("序号,工作任务\n".encode("gbk"), "不是 Excel 表格"),
        (ledger_file([[1, "事项", "", "", "财政局", "", "年底前", ""]], headers=["甲", "乙", "丙"]), "找不到表头"),
    ],
)
def test_a_bad_file_is_refused_on_the_form_and_nothing_is_kept(client, personas, data, says):
    login(client)

    response = upload(client, data)

    assert response.status_code == 200
    assert says in response.content.decode()
    assert not LedgerImport.objects.exists()


def test_a_file_imported_before_is_recognised(client, personas):
    login(client)
    data = ledger_file(ROWS[:1])
    upload(client, data)
    first = LedgerImport.objects.get()
    token = client.get(f"/ledger/import/{first.pk}/").content.decode().split('name="token" value="')[1].split('"')[0]
    client.post(f"/ledger/import/{first.pk}/commit/", {"token": token})

    second = upload(client, data).url
    page = client.get(second).content.decode()

    assert "这个文件已于 2022-03-15 10:00 由督查室刘洋导入过" in page
    assert "我确认要再次导入这个文件" in page


def test_another_users_upload_is_a_404_and_a_leader_may_not_import(client, personas):
    login(client, "charlie")
    upload(client, ledger_file(ROWS))
    pk = LedgerImport.objects.get().pk
    client.logout()

    login(client, "dave")
    assert client.get(f"/ledger/import/{pk}/").status_code == 404
    assert client.post(f"/ledger/import/{pk}/commit/", {"token": "x" * 32}).status_code == 404
    client.logout()

    login(client, "bob")
    assert client.get("/ledger/import/").status_code == 403


def test_the_template_downloads(client, personas):
    login(client)

    response = client.get("/ledger/import/template/")

    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]


def test_an_upload_never_committed_is_deleted_after_a_day(client, personas, time_machine):
    login(client)
    upload(client, ledger_file(ROWS))
    stale = LedgerImport.objects.get()
    stored = stale.file.name
    assert stale.file.storage.exists(stored)

    time_machine.shift(timedelta(days=1, minutes=1))
    login(client)  # the session has timed out meanwhile
    upload(client, ledger_file(ROWS[:1]))

    assert list(LedgerImport.objects.values_list("name", flat=True)) == ["分解表.xlsx"]
    assert not LedgerImport.objects.filter(pk=stale.pk).exists()
    assert not stale.file.storage.exists(stored)
