"""Revenue against debt service: plans, the 还本付息 import, the monthly gap and the 30/15/7-day warnings."""

from datetime import date
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from luoshi.lib.errors import ActionError
from luoshi.plans import revenue
from luoshi.plans.demo import LAND
from luoshi.plans.models import DebtPayment, RevenuePlan
from luoshi.plans.projects import project_from_template

pytestmark = pytest.mark.django_db


def debt_file(rows) -> SimpleUploadedFile:
    book = Workbook()
    sheet = book.active
    sheet.append(["示范县2026年政府债务还本付息计划"])
    sheet.append(["贷款名称", "债权人", "到期日", "本金", "利息"])
    for row in rows:
        sheet.append(row)
    buffer = BytesIO()
    book.save(buffer)
    return SimpleUploadedFile("debt.xlsx", buffer.getvalue())


def test_the_debt_calendar_imports_after_a_preview_once(client, clock, personas):
    client.force_login(personas.office)
    rows = [["棚改专项债", "农发行", date(2026, 4, 15), 3000, 120], ["交通项目贷款", "国开行", "2026/6/20", 2000, 80]]
    page = client.post("/plans/revenue/debt/import/", {"file": debt_file(rows)})
    assert "预览:2 笔" in page.content.decode()
    assert not DebtPayment.objects.exists()
    data = {"confirm": "1", "token": page.context["token"]}
    done = client.post("/plans/revenue/debt/import/", data, follow=True)
    assert "已导入 2 笔还本付息" in done.content.decode()
    client.post("/plans/revenue/debt/import/", data)
    assert DebtPayment.objects.count() == 2
    assert DebtPayment.objects.get(loan="交通项目贷款").due == date(2026, 6, 20)


def test_bad_debt_cells_are_named_and_nothing_is_written(client, clock, personas):
    client.force_login(personas.office)
    rows = [["棚改专项债", "农发行", "下月", 3000, 120], ["交通项目贷款", "国开行", "2026-06-20", "两千", 80]]
    text = client.post("/plans/revenue/debt/import/", {"file": debt_file(rows)}).content.decode()
    assert "第3行 C列:到期日“下月”不是日期" in text
    assert "第4行 D列:本金“两千”不是数字" in text
    assert not DebtPayment.objects.exists()


def test_the_monthly_view_shows_the_gap_and_warns_before_an_uncovered_payment(clock, personas, settings):
    settings.LUOSHI_DEBT_WARNING_DAYS = [30, 15, 7]
    plan = revenue.revenue_plan_save(
        unit=personas.finance, year=2026, kind=RevenuePlan.Kind.TAX, target=7800, by=personas.office
    )
    assert plan.monthly[0] == 1200 and plan.monthly[-1] == 100  # 大头靠前: 12/78 in January, 1/78 in December
    rows = [revenue.DebtRow("棚改专项债", "农发行", date(2026, 3, 20), 1500, 100)]
    revenue.debt_import(rows=rows, by=personas.office)
    clock(date(2026, 3, 9))  # 11 days before the payment
    revenue.revenue_actual_save(plan=plan, month=3, amount=400, by=personas.office)
    view = revenue.revenue_year(2026)
    march = view.months[2]
    assert (march.expected, march.collected, march.due, march.gap) == (1000, 400, 1600, -1200)
    (warning,) = view.warnings
    assert (warning.days, warning.threshold) == (11, 15)
    assert "缺口 1200 万元" in str(warning)
    # Once March's collections cover it, no warning.
    revenue.revenue_actual_save(plan=plan, month=3, amount=1700, by=personas.office)
    assert revenue.revenue_year(2026).warnings == []
    # More than 30 days ahead: no warning yet.
    clock(date(2026, 2, 10))
    revenue.revenue_actual_save(plan=plan, month=3, amount=0, by=personas.office)
    assert revenue.revenue_year(2026).warnings == []


def test_land_revenue_is_at_risk_when_its_chain_cannot_finish(clock, personas, templates):
    project, _ = project_from_template(
        template=templates[LAND], name="城东地块", unit=personas.finance, deadline=date(2026, 7, 31), by=personas.office
    )
    revenue.revenue_plan_save(
        unit=personas.finance, year=2026, kind=RevenuePlan.Kind.LAND, target=20000, by=personas.office,
        projects=[project],
    )  # fmt: skip
    ((plan, risky, finish),) = revenue.revenue_year(2026).at_risk
    assert plan.kind == RevenuePlan.Kind.LAND
    assert risky == project and finish > date(2026, 7, 31)


def test_only_the_office_keeps_revenue_and_the_page_refuses_others(client, clock, personas):
    with pytest.raises(ActionError):
        revenue.revenue_plan_save(unit=personas.finance, year=2026, kind="tax", target=10, by=personas.liaison)
    client.force_login(personas.liaison)
    assert client.get("/plans/revenue/").status_code == 403
    client.force_login(personas.office)
    response = client.post(
        "/plans/revenue/", {"unit": personas.finance.pk, "kind": "tax", "target": "7800"}, follow=True
    )
    assert "逐月目标按大头靠前分配" in response.content.decode()
    assert "1200" in response.content.decode()
