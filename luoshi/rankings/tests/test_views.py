"""The pages: the ranking table, an indicator, the 通报 import with a county chosen by hand, values by hand,
exports, who sees what (a 404 for another unit's indicator), the 现场会 list and 学左右."""

from datetime import date
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from docx import Document
from openpyxl import load_workbook

from luoshi.rankings.models import (
    CityInitiative,
    County,
    CountyAlias,
    Indicator,
    IndicatorValue,
    PeerPractice,
    ValueImport,
)
from luoshi.testing import PASSWORD

from .conftest import INVESTMENT, tongbao

pytestmark = pytest.mark.usefixtures("november_2026")


def login(client, user):
    assert client.login(username=user.username, password=PASSWORD)
    return client


def _import(client, data=None):
    response = client.post("/rankings/import/", {"file": SimpleUploadedFile("通报.xlsx", data or tongbao())})
    assert response.status_code == 302, response.content.decode()[:500]
    preview = client.get(response["Location"])
    token = preview.content.decode().split('name="token" value="')[1].split('"')[0]
    return client.post(response["Location"] + "commit/", {"token": token}), response["Location"]


def test_the_office_imports_a_sheet_and_sees_investment_fourth_breaking_its_rule(client, city):
    login(client, city["p"].office)
    committed, _ = _import(client)
    assert committed.status_code == 302
    page = client.get("/rankings/").content.decode()
    row = page.split(f'id="indicator-{city["investment"].pk}"')[1].split("</tr>")[0]
    assert "第4名/9" in row and "未达标" in row and "距第3名西河县差1.2个百分点" in row
    assert 'id="broken-count">1<' in page
    assert IndicatorValue.objects.count() == 20 and ValueImport.objects.count() == 1


def test_a_double_commit_imports_once(client, city):
    login(client, city["p"].office)
    response = client.post("/rankings/import/", {"file": SimpleUploadedFile("通报.xlsx", tongbao())})
    html = client.get(response["Location"]).content.decode()
    token = html.split('name="token" value="')[1].split('"')[0]
    client.post(response["Location"] + "commit/", {"token": token})
    client.post(response["Location"] + "commit/", {"token": token})
    assert ValueImport.objects.count() == 1


def test_an_unknown_county_is_chosen_by_hand_saved_as_an_alias_and_then_imports(client, city):
    rows = dict(INVESTMENT)
    rows["青松新区"] = rows.pop("青松县")
    login(client, city["p"].office)
    response = client.post("/rankings/import/", {"file": SimpleUploadedFile("通报.xlsx", tongbao(rows))})
    url = response["Location"]
    html = client.get(url).content.decode()
    assert "县(市、区)“青松新区”不在全市名单中。是否为:青松县" in html
    assert "disabled" in html.split("确认导入")[0].rsplit("<button", 1)[1]
    client.post(url + "choose/", {"mention": "青松新区", "county": city["counties"]["青松县"].pk, "alias": "1"})
    assert CountyAlias.objects.filter(alias="青松新区", county=city["counties"]["青松县"]).exists()
    assert 'id="error-count">错误 0<' in client.get(url).content.decode()


def test_a_sheet_with_errors_imports_nothing(client, city):
    rows = dict(INVESTMENT)
    rows["北湖区"] = (60.1, "约9%", 5)
    login(client, city["p"].office)
    committed, url = _import(client, tongbao(rows))
    assert committed["Location"] == url
    assert IndicatorValue.objects.count() == 0


def test_the_indicator_page_has_both_charts_each_with_a_table(client, city):
    login(client, city["p"].office)
    _import(client)
    html = client.get(f"/rankings/indicators/{city['investment'].pk}/").content.decode()
    assert 'id="rank-chart"' in html and 'id="county-chart"' in html and 'id="rank-data"' in html
    county_table = html.split('id="county-table"')[1].split("</table>")[0]
    assert (
        '<tr class="ours"><td>4</td><td><strong>示范县</strong></td><td>86.4</td><td>10.8</td><td>4</td>'
        in county_table
    )
    assert "2026年1–10月" in html.split('id="rank-table"')[1]


def test_a_unit_sees_its_own_indicators_and_gets_a_404_for_another_units(client, city):
    login(client, city["p"].liaison)
    page = client.get("/rankings/").content.decode()
    assert "实际利用省外资金" in page and "地区生产总值" not in page
    assert client.get(f"/rankings/indicators/{city['gdp'].pk}/").status_code == 404
    assert client.get(f"/rankings/indicators/{city['investment'].pk}/").status_code == 200
    assert client.get(f"/rankings/indicators/{city['investment'].pk}/enter/").status_code == 404
    assert client.get("/rankings/import/").status_code == 403


def test_a_unit_types_its_values_by_hand_where_the_office_allows(client, city):
    Indicator.objects.filter(pk=city["investment"].pk).update(unit_may_enter=True)
    login(client, city["p"].liaison)
    url = f"/rankings/indicators/{city['investment'].pk}/enter/"
    ours, east = city["counties"]["示范县"], city["counties"]["东山县"]
    bad = client.post(url, {"year": 2026, "month": 10, f"growth-{ours.pk}": "约10"})
    assert "示范县的增速“约10”不是数字。" in bad.content.decode()
    client.post(url, {"year": 2026, "month": 10, f"growth-{ours.pk}": "10.5%", f"value-{ours.pk}": "80",
                      f"growth-{east.pk}": "9"})  # fmt: skip
    assert IndicatorValue.objects.get(county=ours).growth == 10.5
    assert IndicatorValue.objects.filter(period=202610).count() == 2


def test_exports_the_ranking_table_and_the_tongbao(client, city):
    login(client, city["p"].office)
    _import(client)
    xlsx = client.get("/rankings/export.xlsx")
    ws = load_workbook(BytesIO(b"".join(xlsx.streaming_content))).active
    assert "主要指标全市位次表" in ws["A1"].value
    row = next(r for r in ws.iter_rows(min_row=3, values_only=True) if r[2] == "实际利用省外资金")
    assert (row[7], row[8], row[9]) == ("4/9", "保三争一", "未达标")
    status = next(r[9] for r in ws.iter_rows(min_row=3) if r[2].value == "实际利用省外资金")
    assert status.fill.fgColor.rgb.endswith("FF9999") and ws.freeze_panes == "A3"
    docx = client.get("/rankings/export.docx")
    text = "\n".join(p.text for p in Document(BytesIO(b"".join(docx.streaming_content))).paragraphs)
    assert "关于示范县主要指标在全市位次情况的通报" in text
    assert "实际利用省外资金（2026年1–10月）：全市第4名，目标“保三争一”，距第3名西河县差1.2个百分点" in text


def test_missing_value_tasks_from_the_page_are_created_once(client, city):
    login(client, city["p"].office)
    client.post("/rankings/missing-tasks/")
    client.post("/rankings/missing-tasks/")
    from luoshi.work.models import Task

    assert Task.objects.filter(category="争先进位").count() == 2


def test_the_office_sets_up_an_indicator_and_a_rule_that_cannot_apply_is_refused(client, city):
    login(client, city["p"].office)
    form = {"name": "粮食产量", "measure": "万吨", "category": "economy", "direction": "higher", "period_kind": "yearly",
            "basis": "absolute", "rule": "top_k", "rule_k": 11, "order": 1, "active": "on"}  # fmt: skip
    refused = client.post("/rankings/indicators/new/", form)
    assert "超过了全市县(市、区)的个数(10个)" in refused.content.decode()
    form["rule_k"] = 2
    assert client.post("/rankings/indicators/new/", form).status_code == 302
    assert Indicator.objects.get(name="粮食产量").rule_k == 2
    assert client.logout() is None
    login(client, city["p"].leader)
    assert client.get("/rankings/indicators/new/").status_code == 403


def test_the_watch_list_counts_the_years_wins_and_lights_readiness(client, city):
    login(client, city["p"].office)
    client.post("/rankings/initiatives/new/", {"title": "农村改厕", "expected_on": "2027-04-20", "source_kind": "meeting",
                                               "source": "市委农村工作会议", "competitors": [city["counties"]["东山县"].pk],
                                               "lead_unit": city["p"].township.pk, "ready_on": "2027-05-10",
                                               "result": "pending"})  # fmt: skip
    CityInitiative.objects.create(title="河湖保洁", expected_on=date(2026, 6, 1), result="won", held_on=date(2026, 6, 3),
                                  created_by=city["p"].office)  # fmt: skip
    page = client.get("/rankings/initiatives/").content.decode()
    assert 'id="won-count">1<' in page
    row = page.split("农村改厕")[1].split("</tr>")[0]
    assert "东山县" in row and "light-red" in row and "来不及" in row


def test_practices_are_readable_by_all_and_adopting_creates_linked_tasks(client, city):
    practice = PeerPractice.objects.create(county="封丘县", title="十联户", field="社会治理", money="财政", people="网格",
                                           mechanism="联户", problems="不出村", created_by=city["p"].office)  # fmt: skip
    login(client, city["p"].outsider)
    assert "十联户" in client.get("/rankings/practices/").content.decode()
    assert client.get(f"/rankings/practices/{practice.pk}/").status_code == 200
    client.logout()
    login(client, city["p"].office)
    page = client.get(f"/rankings/practices/{practice.pk}/").content.decode()
    token = page.split('name="token" value="')[1].split('"')[0]
    form = {"lead": city["p"].township.pk, "deadline": "2026-12-31", "titles": "建立十联户\n培训网格长", "token": token}
    client.post(f"/rankings/practices/{practice.pk}/", form)
    client.post(f"/rankings/practices/{practice.pk}/", form)
    assert practice.tasks.count() == 2
    assert "建立十联户" in client.get(f"/rankings/practices/{practice.pk}/").content.decode()


def test_a_unit_records_a_practice_with_a_source_file_checked_by_its_content(client, city):
    login(client, city["p"].liaison)
    form = {"county": "长垣市", "title": "标准地", "field": "招商引资", "money": "基金", "people": "专班",
            "mechanism": "承诺制", "problems": "收回", "attachment": SimpleUploadedFile("报告.pdf", b"not a pdf")}  # fmt: skip
    refused = client.post("/rankings/practices/new/", form)
    assert "内容与扩展名“.pdf”不符" in refused.content.decode() and PeerPractice.objects.count() == 0
    form["attachment"] = SimpleUploadedFile("报告.pdf", b"%PDF-1.4 report")
    form["mechanism"] = ""
    missing = client.post("/rankings/practices/new/", form).content.decode()
    assert "这个字段是必填项" in missing.split("机制怎么形成")[1] and PeerPractice.objects.count() == 0
    form["mechanism"] = "承诺制"
    form["attachment"] = SimpleUploadedFile("报告.pdf", b"%PDF-1.4 report")
    assert client.post("/rankings/practices/new/", form).status_code == 302
    assert PeerPractice.objects.get().unit == city["p"].finance


def test_the_office_keeps_the_city_list_a_leader_reads_it_and_a_unit_may_not(client, city):
    login(client, city["p"].office)
    client.post("/rankings/counties/", {"name": "新区", "order": 200, "active": "on"})
    client.post("/rankings/counties/", {"kind": "alias", "county": city["counties"]["红旗县"].pk, "alias": "红旗"})
    refused = client.post("/rankings/counties/", {"kind": "alias", "county": city["counties"]["东山县"].pk,
                                                  "alias": "白云县"})  # fmt: skip
    assert "“白云县”已是“白云市”的别名" in refused.content.decode()
    client.logout()
    login(client, city["p"].leader)
    page = client.get("/rankings/counties/").content.decode()
    assert "新区" in page and "红旗" in page
    assert client.post("/rankings/counties/", {"name": "x", "order": 1}).status_code == 403
    client.logout()
    login(client, city["p"].liaison)
    assert client.get("/rankings/counties/").status_code == 403


def test_a_double_submit_of_a_new_initiative_creates_one_and_the_office_renames_a_county(client, city):
    login(client, city["p"].office)
    page = client.get("/rankings/initiatives/new/").content.decode()
    token = page.split('name="token" value="')[1].split('"')[0]
    form = {"title": "人居环境", "expected_on": "2027-03-01", "source_kind": "document", "result": "pending",
            "token": token}  # fmt: skip
    client.post("/rankings/initiatives/new/", form)
    client.post("/rankings/initiatives/new/", form)
    assert CityInitiative.objects.filter(title="人居环境").count() == 1
    county = city["counties"]["白云市"]
    assert f'value="{county.pk}"' in client.get(f"/rankings/counties/?edit={county.pk}").content.decode()
    client.post("/rankings/counties/", {"pk": county.pk, "name": "白云区", "order": 5, "active": "on"})
    county.refresh_from_db()
    assert county.name == "白云区"
    # Ours moves, it is never doubled.
    east = city["counties"]["东山县"]
    client.post("/rankings/counties/", {"pk": east.pk, "name": "东山县", "is_ours": "on", "order": 1, "active": "on"})
    assert list(County.objects.filter(is_ours=True)) == [east]


def test_the_hand_entry_page_shows_what_is_stored_for_the_period_chosen(client, city):
    login(client, city["p"].office)
    _import(client)
    ours = city["counties"]["示范县"]
    page = client.get(f"/rankings/indicators/{city['investment'].pk}/enter/?year=2026&month=10").content.decode()
    assert f'name="growth-{ours.pk}" value="10.8"' in page and f'name="value-{ours.pk}" value="86.4"' in page
    empty = client.get(f"/rankings/indicators/{city['investment'].pk}/enter/?year=2026&month=9").content.decode()
    assert f'name="growth-{ours.pk}" value=""' in empty


def test_a_leader_sees_every_indicator_but_enters_no_values(client, city):
    login(client, city["p"].leader)
    page = client.get("/rankings/").content.decode()
    assert "实际利用省外资金" in page and "地区生产总值" in page and "城镇调查失业率" in page
    assert client.get(f"/rankings/indicators/{city['gdp'].pk}/").status_code == 200
    assert client.get(f"/rankings/indicators/{city['gdp'].pk}/enter/").status_code == 404
    assert "向缺数指标的责任单位交办" not in page


def test_a_leader_filters_the_indicators_they_oversee(client, city):
    login(client, city["p"].leader)
    page = client.get("/rankings/?mine=1").content.decode()
    assert "实际利用省外资金" in page and "地区生产总值" not in page


def test_a_sheet_previewed_and_left_is_forgotten_after_a_day(client, city, time_machine):
    from luoshi.rankings.models import SheetUpload

    login(client, city["p"].office)
    client.post("/rankings/import/", {"file": SimpleUploadedFile("通报.xlsx", tongbao())})
    time_machine.shift(60 * 60 * 25)
    client.post("/rankings/import/", {"file": SimpleUploadedFile("通报.xlsx", tongbao())})
    assert SheetUpload.objects.count() == 1
