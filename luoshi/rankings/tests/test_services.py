"""Writing values (all or nothing, recorded), the rules at setup, alerts, missing-value tasks, practices adopted."""

import json
import re
from datetime import date
from decimal import Decimal as D

import pytest

from luoshi.lib.errors import ActionError, AlreadySubmitted
from luoshi.rankings import services
from luoshi.rankings.models import County, Indicator, IndicatorTask, IndicatorValue, PeerPractice, ValueImport
from luoshi.rankings.selectors import indicator_history, latest_standings, practices_for_unit, rank_alerts
from luoshi.rankings.sheet import ValueInput, read_sheet
from luoshi.work.models import Task

from .conftest import INVESTMENT, tongbao

pytestmark = pytest.mark.usefixtures("november_2026")


def _import(city, data=None):
    preview = read_sheet(data or tongbao(), year=None, month=None)
    assert preview.ok
    return services.values_save(values=preview.values, year=preview.year, month=preview.month,
                                by=city["p"].office, source="sheet", name="通报.xlsx")  # fmt: skip


def test_an_imported_sheet_ranks_investment_fourth_breaking_top_three_with_the_gap_to_third(city):
    record = _import(city)
    assert record.created == 20 and record.changed == 0
    city["investment"].refresh_from_db()
    assert city["investment"].latest_period == 202610
    s = latest_standings(Indicator.objects.filter(pk=city["investment"].pk))[0]
    assert (s.rank, s.n, s.threshold, s.status) == (4, 9, 3, "broken")
    assert s.gaps.to_above == D("1.2")
    assert s.gap_above_text == "距第3名西河县差1.2个百分点"
    assert s.gap_threshold_text == "距第3名西河县(守住目标的最后一位)差1.2个百分点"
    assert s.period_label == "2026年1–10月"


def test_lower_is_better_ranks_the_lowest_unemployment_first(city):
    _import(city)
    s = latest_standings(Indicator.objects.filter(pk=city["jobless"].pk))[0]
    # 示范县 5.1: 红旗 4.7, 东山 4.8, 南岭 4.9, 北湖 5.0 are better → 5th of 10; 不进后三 needs ≤ 7.
    assert (s.rank, s.n, s.threshold, s.status) == (5, 10, 7, "met")
    assert s.gap_above_text == "距第4名北湖区差0.1%"


def test_a_corrected_value_is_updated_and_the_old_figure_kept_in_the_record(city):
    _import(city)
    ours = city["counties"]["示范县"]
    record = services.values_save(
        values=[ValueInput(city["investment"], ours, value=D("99"), growth=D("12.5"))], year=2026, month=10,
        by=city["p"].office, source="hand",
    )  # fmt: skip
    assert (record.created, record.changed) == (0, 1)
    assert record.before == {"实际利用省外资金|示范县|202610": {"value": "86.4", "growth": "10.8", "rank": 4}}
    assert IndicatorValue.objects.get(indicator=city["investment"], county=ours, period=202610).growth == D("12.5")
    # 12.5% passes 西河县's 12.0%: third, the last place 保三争一 allows, so one place from breaking it.
    assert [(a.standing.rank, a.standing.status) for a in rank_alerts(date(2026, 11, 16))] == [(3, "at_risk")]
    with pytest.raises(TypeError):
        record.delete()


def test_a_value_twice_or_for_a_period_the_indicator_has_not_is_refused_and_nothing_written(city):
    ours = city["counties"]["示范县"]
    twice = [ValueInput(city["investment"], ours, growth=D(1)), ValueInput(city["investment"], ours, growth=D(2))]
    with pytest.raises(ActionError, match="“实际利用省外资金”示范县:同一期出现了两次"):
        services.values_save(values=twice, year=2026, month=10, by=city["p"].office, source="hand")
    quarterly = [ValueInput(city["investment"], ours, growth=D(1)), ValueInput(city["gdp"], ours, growth=D(2))]
    with pytest.raises(ActionError, match="该指标为季度指标,10月没有这一期"):
        services.values_save(values=quarterly, year=2026, month=10, by=city["p"].office, source="hand")
    assert IndicatorValue.objects.count() == 0 and ValueImport.objects.count() == 0


def test_a_unit_enters_only_its_own_indicators_and_only_where_the_office_allows(city):
    ours = city["counties"]["示范县"]
    liaison = city["p"].liaison
    item = [ValueInput(city["investment"], ours, value=D(1), growth=D(2))]
    with pytest.raises(ActionError, match="无权填报"):
        services.values_save(values=item, year=2026, month=10, by=liaison, source="hand")
    Indicator.objects.filter(pk=city["investment"].pk).update(unit_may_enter=True)
    services.values_save(values=item, year=2026, month=10, by=liaison, source="hand")
    gdp = [ValueInput(city["gdp"], ours, growth=D(2))]
    Indicator.objects.filter(pk=city["gdp"].pk).update(unit_may_enter=True)
    with pytest.raises(ActionError, match="无权填报"):
        services.values_save(values=gdp, year=2026, month=9, by=liaison, source="hand")


def test_a_double_submit_saves_once(city):
    ours = city["counties"]["示范县"]
    item = [ValueInput(city["investment"], ours, growth=D(2))]
    services.values_save(values=item, year=2026, month=10, by=city["p"].office, source="hand", token="t1")
    with pytest.raises(AlreadySubmitted):
        services.values_save(values=item, year=2026, month=10, by=city["p"].office, source="hand", token="t1")
    assert ValueImport.objects.count() == 1


def test_a_rule_that_cannot_apply_is_refused_at_setup(city):
    County.objects.exclude(name__in=["示范县", "东山县", "西河县"]).update(active=False)
    indicator = Indicator(name="粮食产量", rule="not_bottom3")
    with pytest.raises(ActionError, match=re.escape("目标:全市只有3个县(市、区),“不进后三”要求至少4个")):
        services.indicator_save(indicator=indicator, by=city["p"].office)
    indicator.rule = "top_k"
    indicator.rule_k = 2
    assert services.indicator_save(indicator=indicator, by=city["p"].office).pk
    with pytest.raises(ActionError, match="由督查室办理"):
        services.indicator_save(indicator=Indicator(name="x", rule="first"), by=city["p"].leader)


def test_rank_alerts_returns_broken_then_at_risk_up_to_a_period(city):
    _import(city)
    alerts = rank_alerts(date(2026, 11, 16))
    assert [(a.indicator.name, a.standing.status, a.standing.rank) for a in alerts] == [
        ("实际利用省外资金", "broken", 4)
    ]
    assert "全市第4名(共9个),目标“保三争一”未达标;距第3名西河县差1.2个百分点" in alerts[0].text
    assert rank_alerts(202609) == []
    assert rank_alerts(leader=city["p"].leader_row)[0].indicator == city["investment"]
    assert rank_alerts(leader=city["p"].leader_row.__class__.objects.create(name="王五", title="副县长")) == []


def test_history_ranks_every_period(city):
    _import(city)
    rows = dict(INVESTMENT)
    rows["示范县"] = (90.0, "16%", None)
    _import(city, tongbao(rows, title="2026年1-9月通报"))
    history = indicator_history(city["investment"])
    assert [(s.period, s.rank, s.status) for s in history] == [(202609, 2, "met"), (202610, 4, "broken")]


def test_a_missing_value_becomes_one_task_for_the_responsible_unit_however_often_it_runs(city):
    tasks = services.missing_value_tasks_create(by=city["p"].office)
    assert [(t.title, t.lead_unit) for t in tasks] == [("报送“实际利用省外资金”2026年1–10月数据", city["p"].finance),
                                                       ("报送“地区生产总值”2026年三季度数据", city["p"].housing)]  # fmt: skip
    assert services.missing_value_tasks_create(by=city["p"].office) == []
    assert IndicatorTask.objects.count() == 2 and Task.objects.count() == 2
    with pytest.raises(ActionError):
        services.missing_value_tasks_create(by=city["p"].liaison)


def test_no_task_when_our_value_is_in(city):
    _import(city)
    titles = [t.title for t in services.missing_value_tasks_create(by=city["p"].office)]
    assert titles == ["报送“地区生产总值”2026年三季度数据"]


def _practice(city, **extra):
    return PeerPractice(county="封丘县", title="十联户百联户", field="乡村振兴", money="县财政与村集体共担",
                        people="十户一长、百户一组", mechanism="网格长包户", problems="矛盾不出村", **extra)  # fmt: skip


def test_a_practice_needs_all_four_answers(city):
    practice = _practice(city)
    practice.mechanism = " "
    with pytest.raises(ActionError, match="请填写“机制怎么形成”"):
        services.practice_save(practice=practice, by=city["p"].office)


def test_adopting_a_practice_creates_tasks_linked_back_and_a_unit_sees_its_fields_practices(city):
    practice = services.practice_save(practice=_practice(city, indicator=city["investment"]), by=city["p"].office)
    tasks = services.practice_adopt(practice=practice, lead=city["p"].township, titles=["建立十联户", "", "培训网格长"],
                                    deadline=date(2026, 12, 31), by=city["p"].office)  # fmt: skip
    assert [t.title for t in practice.tasks.order_by("id")] == ["建立十联户", "培训网格长"]
    assert (
        tasks[0].source_title == "学左右:封丘县十联户百联户"
        and "钱从哪里来:县财政与村集体共担" in tasks[0].source_quote
    )
    assert practices_for_unit(city["p"].finance) == [practice]
    assert practices_for_unit(city["p"].housing) == []
    own = services.practice_save(practice=_practice(city), by=city["p"].outsider)
    assert own.unit == city["p"].housing and practices_for_unit(city["p"].housing) == [own]


def test_the_alerts_snippet_renders_what_rank_alerts_returns(city):
    from django.template.loader import render_to_string

    _import(city)
    html = render_to_string("rankings/_alerts.html", {"alerts": rank_alerts(date(2026, 11, 16))})
    row = html.split("<tbody>")[1].split("</tr>")[0]
    assert "争先进位" in html and "实际利用省外资金" in row and "第4名/9" in row and "保三争一" in row
    assert "距第3名西河县差1.2个百分点" in row and "财政局" in row
    assert "均达到目标" in render_to_string("rankings/_alerts.html", {"alerts": []})
    # An issued pack keeps the dicts: the same lines, as JSON.
    frozen = json.loads(json.dumps([a.as_dict() for a in rank_alerts(date(2026, 11, 16))]))
    assert frozen[0]["name"] == "实际利用省外资金" and frozen[0]["status"] == "broken" and frozen[0]["rank"] == 4
    again = render_to_string("rankings/_alerts.html", {"alerts": frozen})
    assert again.split("<tbody>")[1].split("</tr>")[0] == row
