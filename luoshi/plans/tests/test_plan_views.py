"""A unit's plan pages: Excel import with a preview and errors by cell, export, actuals, the week."""

from datetime import date, timedelta
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook, load_workbook

from luoshi.plans import cascade
from luoshi.plans.cascade import ItemInput
from luoshi.plans.models import Plan, PlanActual
from luoshi.work import services as work

pytestmark = pytest.mark.django_db

MONTHS = [f"{m}月" for m in range(1, 13)]


def workbook(rows, headers=None) -> SimpleUploadedFile:
    book = Workbook()
    sheet = book.active
    sheet.append(["财政局2026年度计划"])
    sheet.append(headers or ["序号", "事项", "指标", "计量单位", "年度目标", *MONTHS])
    for row in rows:
        sheet.append(row)
    buffer = BytesIO()
    book.save(buffer)
    return SimpleUploadedFile("plan.xlsx", buffer.getvalue())


def upload(client, personas, file):
    return client.post(f"/plans/units/{personas.finance.pk}/import/", {"year": "2026", "file": file})


def test_a_units_plan_imports_after_a_preview(client, clock, personas):
    client.force_login(personas.liaison)
    rows = [
        [1, "一般公共预算收入", "收入", "亿元", 8, *[round(0.8 * m, 1) if m < 11 else 8 for m in range(1, 13)]],
        [2, "盘活存量资产", "处置", "宗", 12, *[None] * 12],
    ]
    page = upload(client, personas, workbook(rows))
    text = page.content.decode()
    assert "预览:2 项" in text and "按大头靠前" in text
    assert not Plan.objects.exists()
    token = page.context["token"]
    done = client.post(f"/plans/units/{personas.finance.pk}/import/", {"confirm": "1", "token": token}, follow=True)
    assert "已导入财政局2026年年度计划(第1版),共 2 项" in done.content.decode()
    plan = Plan.objects.get()
    assert [i.name for i in plan.items.all()] == ["一般公共预算收入", "盘活存量资产"]
    assert plan.items.get(order=2).profile == cascade.default_profile(12)
    # The same confirmation again imports nothing.
    client.post(f"/plans/units/{personas.finance.pk}/import/", {"confirm": "1", "token": token})
    assert Plan.objects.count() == 1


def test_bad_cells_are_named_and_nothing_is_written(client, clock, personas):
    client.force_login(personas.liaison)
    rows = [
        [1, "一般公共预算收入", "收入", "亿元", "八亿", *[1] * 12],
        [2, "盘活存量资产", "处置", "宗", 12, 1, 2, "三", 4, 5, 6, 7, 8, 9, 10, 11, 13],
    ]
    headers = ["序号", "事项", "指标", "计量单位", "年度目标", *MONTHS[:11], "13月"]
    text = upload(client, personas, workbook(rows, headers)).content.decode()
    assert "第2行 Q列:月份列“13月”无法识别" in text
    assert "第3行 E列:年度目标“八亿”不是数字" in text
    assert "第4行 H列:3月“三”不是数字" in text
    assert "未导入任何内容" in text
    text = upload(client, personas, workbook([[*rows[1][:16], 13]])).content.decode()
    assert "第3行 Q列:12月累计 13 超过年度目标 12" in text
    assert not Plan.objects.exists()


def _plan(personas):
    return cascade.plan_save(
        unit=personas.finance, horizon=Plan.Horizon.ANNUAL, year=2026, by=personas.liaison,
        items=[ItemInput("固定资产投资", "完成投资", "亿元", 12.0), ItemInput("出台招商办法", milestones=["起草"] + [""] * 11)],
    )  # fmt: skip


def test_actuals_are_entered_on_one_page_prefilled(client, clock, personas):
    plan = _plan(personas)
    item = plan.items.get(order=1)
    client.force_login(personas.liaison)
    url = f"/plans/plan/{plan.pk}/actuals/2/"
    response = client.post(url, {f"value-{item.pk}": "2.5", f"note-{item.pk}": "按序推进", "token": "a-1"}, follow=True)
    assert "已保存 2 月 1 项完成情况" in response.content.decode()
    assert 'value="2.5"' in client.get(url).content.decode()
    bad = client.post(url, {f"value-{item.pk}": "两亿", "token": "a-2"}, follow=True).content.decode()
    assert "“固定资产投资”:累计完成“两亿”不是数字" in bad
    assert PlanActual.objects.get().value == 2.5


def test_the_unit_page_shows_progress_lights_and_the_export_matches_the_import(client, clock, personas):
    plan = _plan(personas)
    clock(date(2026, 3, 10))
    cascade.plan_actuals_save(plan=plan, month=2, values={plan.items.get(order=1).pk: (1.0, "")}, by=personas.liaison)
    client.force_login(personas.leader)
    text = client.get(f"/plans/units/{personas.finance.pk}/").content.decode()
    assert "截至 2 月底" in text and "红灯" in text
    book = load_workbook(BytesIO(client.get(f"/plans/plan/{plan.pk}/export.xlsx").getvalue()))
    sheet = book.active
    assert [c.value for c in sheet[2]][:6] == ["序号", "事项", "指标", "计量单位", "年度目标", "1月"]
    assert sheet["B3"].value == "固定资产投资" and sheet["Q3"].value == 12
    assert sheet.cell(row=3, column=20).value == "红灯"


def test_another_units_liaison_gets_a_404(client, clock, personas):
    plan = _plan(personas)
    client.force_login(personas.outsider)
    assert client.get(f"/plans/units/{personas.finance.pk}/").status_code == 404
    assert client.get(f"/plans/plan/{plan.pk}/export.xlsx").status_code == 404
    assert client.get(f"/plans/plan/{plan.pk}/actuals/2/").status_code == 404
    assert client.get(f"/plans/units/{personas.finance.pk}/week/").status_code == 404


def test_the_week_page_lists_this_weeks_tasks_and_plan_items(client, clock, personas):
    clock(date(2026, 3, 30))  # the week of 30 March, when March ends
    _plan(personas)
    spec = work.TaskSpec(title="报送一季度财政收支分析", lead=personas.finance, deadline=date(2026, 4, 2))
    work.task_create(spec=spec, by=personas.office)
    later = work.TaskSpec(title="下月的事", lead=personas.finance, deadline=date(2026, 3, 30) + timedelta(days=20))
    work.task_create(spec=later, by=personas.office)
    client.force_login(personas.liaison)
    text = client.get(f"/plans/units/{personas.finance.pk}/week/").content.decode()
    assert "报送一季度财政收支分析" in text and "下月的事" not in text
    assert "固定资产投资:3月31日前累计达到" in text


def test_an_exported_plan_imports_back_as_the_next_version(client, clock, personas):
    plan = _plan(personas)
    client.force_login(personas.liaison)
    exported = client.get(f"/plans/plan/{plan.pk}/export.xlsx").getvalue()
    page = upload(client, personas, SimpleUploadedFile("back.xlsx", exported))
    assert "预览:2 项" in page.content.decode()
    client.post(f"/plans/units/{personas.finance.pk}/import/", {"confirm": "1", "token": page.context["token"]})
    again = Plan.objects.get(version=2)
    first, second = plan.items.order_by("order"), again.items.order_by("order")
    assert [(i.name, i.target, i.profile, i.milestones) for i in first] == [
        (i.name, i.target, i.profile, i.milestones) for i in second
    ]


def test_a_three_year_plan_imports_with_a_target_per_year(client, clock, personas):
    client.force_login(personas.liaison)
    book = Workbook()
    sheet = book.active
    sheet.append(["财政局2026—2028年三年行动计划"])
    sheet.append(["事项", "指标", "计量单位", "2026年", "2027年", "2028年目标"])
    sheet.append(["一般公共预算收入", "收入总量", "亿元", 8.6, 9.3, 10])
    sheet.append(["化解隐性债务", "化债规模", "亿元", 2, "两亿", 1.5])
    buffer = BytesIO()
    book.save(buffer)
    url = f"/plans/units/{personas.finance.pk}/import/"
    data = {"horizon": "three_year", "year": "2026", "file": SimpleUploadedFile("p.xlsx", buffer.getvalue())}
    assert "第4行 E列:2027年目标“两亿”不是数字" in client.post(url, data).content.decode()
    sheet["E4"] = 2
    buffer = BytesIO()
    book.save(buffer)
    data["file"] = SimpleUploadedFile("p.xlsx", buffer.getvalue())
    page = client.post(url, data)
    assert "预览:2 项" in page.content.decode()
    client.post(url, {"confirm": "1", "token": page.context["token"]})
    plan = Plan.objects.get(horizon=Plan.Horizon.THREE_YEAR)
    assert plan.title == "财政局2026—2028年三年行动计划"
    assert plan.items.get(order=1).targets == {"2026": 8.6, "2027": 9.3, "2028": 10.0}
