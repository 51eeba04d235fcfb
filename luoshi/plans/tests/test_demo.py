"""The demo county's plans: templates, two projects, plans with actuals, revenue and a debt calendar."""

from datetime import date

import pytest

from luoshi.plans.demo import demo_plans_load
from luoshi.plans.models import ChainTemplate, DebtPayment, Plan, PlanActual, Project, RevenuePlan

pytestmark = pytest.mark.django_db


def test_the_demo_county_has_its_plans_once(demo_county, clock, client):
    clock(date(2026, 11, 30))
    counts = demo_plans_load()
    # On 30 November the December payments fall within 30 days, uncovered: two warnings for the office.
    assert counts == {"projects": 2, "plans": 9, "revenue": 4, "debt_warnings": 2}
    from luoshi.notify.models import Message

    assert Message.objects.filter(kind="debt", user__username="office").count() == 2
    assert set(ChainTemplate.objects.values_list("name", flat=True)) == {"土地出让", "项目建设"}
    assert Project.objects.count() == 2
    assert Plan.objects.filter(horizon=Plan.Horizon.THREE_YEAR, previous__isnull=False).count() == 4
    annual = Plan.objects.get(horizon=Plan.Horizon.ANNUAL)
    assert PlanActual.objects.filter(item__plan=annual).values("month").distinct().count() == 10
    assert RevenuePlan.objects.get(kind="land").projects.count() == 1
    assert DebtPayment.objects.count() == 5
    assert demo_plans_load() == {}
    # The pages render with the demo's data.
    from luoshi.org.models import User

    client.force_login(User.objects.get(username="office"))
    finance = annual.unit
    assert "红灯" in client.get(f"/plans/units/{finance.pk}/").content.decode()
    text = client.get("/plans/revenue/").content.decode()
    assert "还款预警" in text
    rolled = Plan.objects.filter(horizon=Plan.Horizon.THREE_YEAR, previous__isnull=False, unit=finance).get()
    assert "调整" in client.get(f"/plans/plan/{rolled.pk}/diff/").content.decode()
