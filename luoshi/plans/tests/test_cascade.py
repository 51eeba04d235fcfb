"""The plan cascade: front-loaded profiles, versions rolled over, actuals and their 序时进度 lights."""

import itertools
from datetime import date

import pytest

from luoshi.lib.errors import ActionError
from luoshi.plans import cascade
from luoshi.plans.cascade import ItemInput
from luoshi.plans.models import Plan, PlanActual, PlanEvent

pytestmark = pytest.mark.django_db


def annual(personas, items=None, by=None):
    items = items or [
        ItemInput("固定资产投资", "完成投资", "亿元", 12.0),
        ItemInput("新增规上企业", "家数", "家", 10.0, profile=[0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 10]),
        ItemInput("出台招商办法", milestones=["", "", "起草", "", "", "印发"] + [""] * 6),
    ]
    return cascade.plan_save(
        unit=personas.finance, horizon=Plan.Horizon.ANNUAL, year=2026, items=items, by=by or personas.liaison
    )


def test_the_default_profile_is_front_loaded():
    profile = cascade.default_profile(120)
    assert profile[-1] == 120
    assert profile[5] / 120 > 0.6  # June: more than 60%, not a flat 50%
    assert all(a <= b for a, b in itertools.pairwise(profile))


def test_an_annual_plan_keeps_its_items_and_versions(clock, personas):
    first = annual(personas)
    second = annual(personas)
    assert (first.version, second.version) == (1, 2)
    assert second.previous == first
    items = list(second.items.all())
    assert items[0].profile == cascade.default_profile(12.0)
    assert items[2].profile == [] and items[2].milestones[5] == "印发"
    assert PlanEvent.objects.filter(plan=second, action=PlanEvent.Action.IMPORT).exists()


def test_a_profile_above_the_annual_target_is_refused(clock, personas):
    with pytest.raises(ActionError) as caught:
        annual(personas, [ItemInput("投资", target=10.0, profile=[1] * 11 + [12])])
    assert "12月累计目标 12 超过年度目标 10" in caught.value.message
    assert not Plan.objects.exists()


def test_another_units_liaison_cannot_write_the_plan(clock, personas):
    with pytest.raises(ActionError) as caught:
        annual(personas, by=personas.outsider)
    assert caught.value.status == 403


def test_actuals_light_each_item_against_its_profile(clock, personas, settings):
    plan = annual(personas)
    invest, firms, _ = plan.items.all()
    clock(date(2026, 7, 6))  # June is the last month ended
    cascade.plan_actuals_save(
        plan=plan, month=6, values={invest.pk: (7.5, "两个项目延后"), firms.pk: (5, "")}, by=personas.liaison
    )
    progress = {p.item.name: p for p in cascade.annual_progress(plan)}
    assert progress["固定资产投资"].month == 6
    expected = cascade.default_profile(12.0)[5]
    assert progress["固定资产投资"].expected == expected
    # 8.77 expected, 7.5 done: 10.6 points of 12 behind: red.
    assert progress["固定资产投资"].gap_points == round((expected - 7.5) / 12 * 100, 1)
    assert progress["固定资产投资"].light == "red"
    assert progress["新增规上企业"].light == "green"
    assert progress["出台招商办法"].light == "none"
    settings.LUOSHI_PLAN_RED_POINTS = 20
    assert {p.item.name: p for p in cascade.annual_progress(plan)}["固定资产投资"].light == "yellow"
    # Saving the month again overwrites, never doubles.
    cascade.plan_actuals_save(plan=plan, month=6, values={invest.pk: (9.0, "")}, by=personas.liaison)
    assert PlanActual.objects.filter(item=invest).count() == 1
    assert {p.item.name: p for p in cascade.annual_progress(plan)}["固定资产投资"].light == "green"


def test_a_three_year_plan_rolls_into_a_new_version_and_shows_what_changed(clock, personas):
    old = cascade.plan_save(
        unit=personas.finance, horizon=Plan.Horizon.THREE_YEAR, year=2026, by=personas.office,
        items=[
            ItemInput("一般公共预算收入", measure="亿元", targets={"2026": 8, "2027": 9, "2028": 10}),
            ItemInput("化解隐性债务", measure="亿元", targets={"2026": 2, "2027": 2, "2028": 1}),
        ],
    )  # fmt: skip
    new = cascade.plan_roll(plan=old, by=personas.office)
    assert (new.year, new.previous) == (2027, old)
    assert new.items.get(name="一般公共预算收入").targets == {"2027": 9, "2028": 10}
    item = new.items.get(name="化解隐性债务")
    item.targets = {"2027": 3, "2028": 1, "2029": 1}
    item.save()
    changes = {c.name: c.kind for c in cascade.plan_diff(old, new)}
    assert changes == {"一般公共预算收入": "未变", "化解隐性债务": "调整"}
    assert Plan.objects.filter(unit=personas.finance, horizon=Plan.Horizon.THREE_YEAR).count() == 2


def test_plan_items_become_tasks_once_with_their_monthly_targets_as_milestones(clock, personas):
    from luoshi.plans.models import PlanItemTask
    from luoshi.work.models import Milestone, Task

    clock(date(2026, 9, 14))
    plan = annual(personas)
    tasks = cascade.plan_items_to_tasks(plan=plan, by=personas.office, token="items-1")
    assert [t.title for t in tasks] == ["固定资产投资", "新增规上企业", "出台招商办法"]
    assert all(t.lead_unit == personas.finance and t.deadline == date(2026, 12, 31) for t in tasks)
    # September to December are still ahead: four milestones each for the figures.
    titles = list(Milestone.objects.filter(task=tasks[1]).order_by("due").values_list("title", flat=True))
    assert titles == ["9月底累计达到 8家", "10月底累计达到 9家", "11月底累计达到 10家", "12月底累计达到 10家"]
    assert not Milestone.objects.filter(task=tasks[2]).exists()  # its milestones were in March and June
    assert PlanItemTask.objects.get(task=tasks[0]).item.name == "固定资产投资"
    with pytest.raises(ActionError) as caught:
        cascade.plan_items_to_tasks(plan=plan, by=personas.office, token="items-2")
    assert caught.value.status == 409
    assert Task.objects.count() == 3
    with pytest.raises(ActionError):
        cascade.plan_items_to_tasks(plan=plan, by=personas.liaison)


def test_the_progress_summary_gives_each_units_lights_for_the_pack(clock, personas):
    plan = annual(personas)
    annual(personas)  # a second version: the summary reads the latest
    latest = Plan.objects.filter(unit=personas.finance).order_by("-version").first()
    invest = latest.items.get(order=1)
    clock(date(2026, 7, 6))
    cascade.plan_actuals_save(plan=latest, month=6, values={invest.pk: (1.0, "")}, by=personas.liaison)
    (line,) = cascade.progress_summary([personas.finance, personas.housing])
    assert line.plan == latest and line.plan != plan
    assert line.counts == {"red": 2, "yellow": 0, "green": 0}
    assert [p.item.name for p in line.behind] == ["固定资产投资", "新增规上企业"]
