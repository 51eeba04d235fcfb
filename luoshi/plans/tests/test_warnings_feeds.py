"""Where plans reach people: 还本付息预警 through notify, 年度目标序时进度 in the cockpit and the pack,
and the projects' scheduled dates in the iCal feeds."""

from datetime import date
from io import BytesIO

import pytest
from docx import Document

from luoshi.lib import workdays
from luoshi.notify.feeds import ical_for
from luoshi.notify.models import Event, Kind, Message
from luoshi.plans import cascade, revenue
from luoshi.plans.cascade import ItemInput
from luoshi.plans.demo import LAND
from luoshi.plans.models import Plan, RevenuePlan
from luoshi.plans.projects import project_from_template, project_plan
from luoshi.reports.documents import pack_docx
from luoshi.reports.models import MeetingPack
from luoshi.reports.selectors import pack_compile

pytestmark = pytest.mark.django_db


def _uncovered_payment(personas, due=date(2026, 3, 20)):
    plan = revenue.revenue_plan_save(
        unit=personas.finance, year=2026, kind=RevenuePlan.Kind.TAX, target=7800, by=personas.office
    )
    revenue.debt_import(rows=[revenue.DebtRow("棚改专项债", "农发行", due, 1500, 100)], by=personas.office)
    revenue.revenue_actual_save(plan=plan, month=3, amount=400, by=personas.office)
    return plan


def test_a_debt_warning_reaches_the_office_once_per_threshold(clock, personas, settings):
    settings.LUOSHI_DEBT_WARNING_DAYS = [7, 15, 30]
    _uncovered_payment(personas)
    clock(date(2026, 3, 2))  # 18 days before: the 30-day warning
    assert revenue.debt_warnings_raise(day=date(2026, 3, 2)) == 1
    assert revenue.debt_warnings_raise(day=date(2026, 3, 2)) == 0  # a second run of the day
    clock(date(2026, 3, 3))
    assert revenue.debt_warnings_raise(day=date(2026, 3, 3)) == 0  # still within 30 days: already told
    clock(date(2026, 3, 9))  # 11 days: the 15-day warning
    assert revenue.debt_warnings_raise(day=date(2026, 3, 9)) == 1
    events = list(Event.objects.filter(kind=Kind.DEBT).order_by("id"))
    assert [event.key.rsplit(":", 1)[1] for event in events] == ["30", "15"]
    assert "还有 11 天到期" in events[1].title and "缺口 1200 万元" in events[1].body
    # The office reads it in its message centre; a unit's liaison does not.
    assert Message.objects.filter(event=events[1], user=personas.office).exists()
    assert not Message.objects.filter(event=events[1], user=personas.liaison).exists()


def test_no_warning_when_the_months_revenue_covers_the_payment(clock, personas, settings):
    settings.LUOSHI_DEBT_WARNING_DAYS = [30, 15, 7]
    plan = _uncovered_payment(personas)
    revenue.revenue_actual_save(plan=plan, month=3, amount=1700, by=personas.office)
    assert revenue.debt_warnings_raise(day=date(2026, 3, 9)) == 0
    assert revenue.debt_warnings(date(2026, 3, 9)) == []


def test_a_december_window_reads_next_januarys_payments(clock, personas, settings):
    settings.LUOSHI_DEBT_WARNING_DAYS = [30, 15, 7]
    revenue.debt_import(rows=[revenue.DebtRow("跨年贷款", "国开行", date(2027, 1, 8), 900, 50)], by=personas.office)
    clock(date(2026, 12, 20))
    (warning,) = revenue.debt_warnings(date(2026, 12, 20))
    assert (warning["due"], warning["days"], warning["threshold"]) == ("2027-01-08", 19, 30)


def test_the_scheduler_enqueues_the_debt_check_once_a_day(clock, personas):
    from django_tasks_db.models import DBTaskResult

    from luoshi.notify import scheduler

    clock(date(2026, 3, 9), hour=9)
    assert "debt" in scheduler.tick()
    assert "debt" not in scheduler.tick()
    assert DBTaskResult.objects.filter(task_path="luoshi.plans.tasks.debt_warnings").count() == 1


def _behind(personas):
    plan = cascade.plan_save(
        unit=personas.finance, horizon=Plan.Horizon.ANNUAL, year=2026, by=personas.liaison,
        items=[ItemInput("固定资产投资", "完成投资", "亿元", 12.0), ItemInput("新增规上企业", "家数", "家", 10.0)],
    )  # fmt: skip
    first = plan.items.get(order=1)
    cascade.plan_actuals_save(plan=plan, month=2, values={first.pk: (1.0, "")}, by=personas.liaison)
    return plan


def test_the_cockpit_shows_the_units_annual_targets_against_their_profile(client, clock, personas):
    _behind(personas)
    client.force_login(personas.leader)
    # The cockpit loads the section after its first screen (htmx), or opens it as a page without script.
    assert 'hx-get="/cockpit/plans/"' in client.get("/cockpit/").content.decode()
    page = client.get("/cockpit/plans/", headers={"HX-Request": "true"}).content.decode()
    assert "<html" not in page and "年度目标序时进度" in page
    assert "返回领导驾驶舱" in client.get("/cockpit/plans/").content.decode()
    assert "截至2月底,1个单位的年度计划共2项:红灯2项" in page
    assert "固定资产投资" in page and f"/plans/units/{personas.finance.pk}/" in page
    # A liaison has no cockpit; a leader who does not oversee 财政局 sees no line of it.
    client.force_login(personas.liaison)
    assert client.get("/cockpit/plans/").status_code == 403
    housing_only = cascade.progress_section([personas.housing], today=date(2026, 3, 2))
    assert housing_only["units"] == [] and housing_only["totals"]["items"] == 0


def test_the_lights_counted_in_sql_agree_with_each_items_light(clock, personas):
    plan = cascade.plan_save(
        unit=personas.finance, horizon=Plan.Horizon.ANNUAL, year=2026, by=personas.liaison,
        items=[
            ItemInput("红", "", "亿元", 12.0), ItemInput("黄", "", "亿元", 12.0), ItemInput("绿", "", "亿元", 12.0),
            ItemInput("恰好", "", "家", 10.0, profile=[1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 10, 10]),
            ItemInput("未填", "", "个", 7.0), ItemInput("节点", milestones=["起草"] + [""] * 11),
        ],
    )  # fmt: skip
    items = {item.name: item for item in plan.items.all()}
    expected = items["红"].profile[3]
    clock(date(2026, 5, 6))  # compared at the end of April
    cascade.plan_actuals_save(
        plan=plan, month=4, by=personas.liaison,
        values={items["红"].pk: (expected - 2.0, ""), items["黄"].pk: (expected - 0.5, ""),
                items["绿"].pk: (expected + 0.1, ""), items["恰好"].pk: (4.0, "")},
    )  # fmt: skip
    lights = {p.item.name: p.light for p in cascade.annual_progress(plan)}
    assert lights == {"红": "red", "黄": "yellow", "绿": "green", "恰好": "green", "未填": "red", "节点": "none"}
    assert cascade.plan_light_counts([plan.pk], 4) == {plan.pk: {"red": 2, "yellow": 1, "green": 2, "items": 6}}
    # In January no month has ended: no lights, the items still counted.
    assert cascade.plan_light_counts([plan.pk], 0)[plan.pk] == {"red": 0, "yellow": 0, "green": 0, "items": 6}
    section = cascade.progress_section(today=date(2026, 5, 6), limit=1)
    assert section["totals"] == {"red": 2, "yellow": 1, "green": 2, "items": 6, "none": 1}
    (line,) = section["units"]
    assert [p["name"] for p in line["behind"]] == ["未填", "红", "黄"]


def test_the_pack_freezes_the_targets_and_the_debt_warnings_in_page_and_word(client, clock, personas, settings):
    settings.LUOSHI_DEBT_WARNING_DAYS = [30, 15, 7]
    _behind(personas)
    _uncovered_payment(personas)
    t = workdays.thresholds()
    snapshot = pack_compile(date(2026, 3, 5), t)
    assert snapshot["plan_progress"]["totals"]["red"] == 2
    (warning,) = snapshot["debt_warnings"]
    assert warning["loan"] == "棚改专项债" and warning["gap"] == 1200
    pack = MeetingPack.objects.create(
        meeting_date=date(2026, 3, 5), title="第9次常务会材料", snapshot=snapshot, issued_by=personas.office
    )
    client.force_login(personas.office)
    page = client.get(f"/reports/packs/{pack.pk}/").content.decode()
    assert "九、年度目标序时进度" in page and "十、还本付息预警(1 笔)" in page and "棚改专项债" in page
    text = "\n".join(p.text for p in Document(BytesIO(pack_docx(pack))).paragraphs)
    assert "年度目标序时进度" in text and "还本付息预警" in text
    assert "红灯2项" in text


def test_the_ical_feeds_carry_each_projects_latest_dates(clock, personas, templates):
    project, _ = project_from_template(
        template=templates[LAND], name="城东地块", unit=personas.finance, deadline=date(2026, 12, 20),
        by=personas.office,
    )  # fmt: skip
    first = project_plan(project).rows[0]
    feed = ical_for(unit=personas.finance).decode()
    assert "【项目完成时限】城东地块" in feed and "DTSTART;VALUE=DATE:20261220" in feed
    assert f"【倒排工期·最迟开始】城东地块:{first.step.name}" in feed
    assert f"DTSTART;VALUE=DATE:{first.latest_start:%Y%m%d}" in feed
    assert "城东地块" not in ical_for(unit=personas.housing).decode()
    assert "城东地块" in ical_for(leader=personas.leader_row).decode()
