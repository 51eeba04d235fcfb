import pytest
from django.urls import reverse

from luoshi.org.models import Unit

pytestmark = pytest.mark.django_db


def test_everyone_sees_the_whole_directory_grouped_by_kind(client, demo):
    from luoshi.org.models import User

    client.force_login(User.objects.get(username="unit2"))
    page = client.get(reverse("org:directory")).content.decode()
    assert "共 61 个" in page
    departments, townships, enterprises = page.index("县直单位"), page.index("乡镇(街道)"), page.index("县属国有企业")
    assert departments < townships < enterprises
    finance = Unit.objects.get(name="财政局")
    assert finance.liaison_mobile in page
    assert finance.leaders.get().name in page


def test_the_directory_searches_names_aliases_and_liaisons(client, demo):
    from luoshi.org.models import User

    client.force_login(User.objects.get(username="office"))
    page = client.get(reverse("org:directory"), {"q": "国土局"}).content.decode()
    assert "自然资源局" in page
    assert "共 1 个" in page
    page = client.get(reverse("org:directory"), {"q": "查无此单位"}).content.decode()
    assert "没有找到符合条件的单位" in page


def test_a_leader_filters_to_the_units_they_oversee(client, personas):
    client.force_login(personas.leader)
    page = client.get(reverse("org:directory"), {"mine": "1"}).content.decode()
    assert "财政局" in page and "城关镇" in page
    assert "住建局" not in page


def test_only_editable_units_show_an_edit_link(client, personas):
    client.force_login(personas.liaison)
    page = client.get(reverse("org:directory")).content.decode()
    assert reverse("org:unit_edit", args=[personas.finance.pk]) in page
    assert reverse("org:unit_edit", args=[personas.housing.pk]) not in page


def test_the_office_sees_units_with_missing_contacts(client, personas):
    client.force_login(personas.office)
    page = client.get(reverse("org:directory"), {"missing": "1"}).content.decode()
    assert "住建局" in page
    assert "赵敏" not in page


def test_the_directory_takes_a_fixed_number_of_queries(client, demo, django_assert_max_num_queries):
    from luoshi.org.models import User

    client.force_login(User.objects.get(username="office"))
    with django_assert_max_num_queries(12):
        client.get(reverse("org:directory"))


def test_the_directory_exports_as_an_office_ledger(client, personas):
    from io import BytesIO

    from openpyxl import load_workbook

    # A name typed as a formula stays text in Excel.
    personas.housing.liaison_name = '=HYPERLINK("http://x")'
    personas.housing.save()
    client.force_login(personas.liaison)
    response = client.get(reverse("org:directory_export"))
    assert response["Content-Disposition"].startswith("attachment")
    sheet = load_workbook(BytesIO(b"".join(response.streaming_content)))["通讯录"]
    assert "单位通讯录" in sheet["A1"].value
    assert [cell.value for cell in sheet[2]] == [
        "序号",
        "单位全称",
        "简称",
        "类型",
        "分管县领导",
        "联络员",
        "办公电话",
        "手机",
    ]
    rows = {row[1]: row for row in sheet.iter_rows(min_row=3, values_only=True)}
    assert rows["财政局"][4] == "李强"
    assert rows["财政局"][7] == "13900000001"
    housing = sheet.cell(row=[r[1] for r in sheet.iter_rows(values_only=True)].index("住房和城乡建设局") + 1, column=6)
    assert housing.data_type == "s"
    assert housing.value.startswith("=HYPERLINK")
    assert sheet.freeze_panes == "A3"
    assert sheet.auto_filter.ref.startswith("A2:")


def test_the_export_keeps_the_pages_filters(client, personas):
    from io import BytesIO

    from openpyxl import load_workbook

    client.force_login(personas.leader)
    response = client.get(reverse("org:directory_export"), {"mine": "1"})
    sheet = load_workbook(BytesIO(b"".join(response.streaming_content))).active
    names = [row[1] for row in sheet.iter_rows(min_row=3, values_only=True)]
    assert names == ["财政局", "城关镇"]
