"""The demo county's 争先进位: counties, indicators with two years of values, three 现场会, six practices."""

import pytest

from luoshi.org.demo import demo_load
from luoshi.rankings.demo import demo_rankings_load
from luoshi.rankings.models import CityInitiative, County, Indicator, IndicatorValue, PeerPractice
from luoshi.rankings.selectors import latest_standings, rank_alerts

pytestmark = pytest.mark.usefixtures("november_2026")


def test_the_demo_has_rankings_for_two_years_and_loads_again_without_doubling(demo_county):
    demo_rankings_load()
    assert County.objects.count() == 10 and County.objects.get(is_ours=True).name == "示范县"
    assert Indicator.objects.count() == 8
    periods = sorted(set(IndicatorValue.objects.values_list("period", flat=True)))
    assert periods[0] == 202411 and periods[-1] == 202610 and len(periods) == 24
    assert CityInitiative.objects.count() == 3 and PeerPractice.objects.count() == 6
    standings = latest_standings(Indicator.objects.all())
    assert all(s.rank for s in standings)
    # Investment is kept near 4th against 保三争一: the demo's pack has a 争先进位 line to show.
    alerts = {a.indicator.name: a.standing.status for a in rank_alerts()}
    assert alerts["实际利用省外资金"] == "broken"
    count = IndicatorValue.objects.count()
    demo_rankings_load()
    assert IndicatorValue.objects.count() == count and PeerPractice.objects.count() == 6


def test_demo_load_with_tasks_calls_the_rankings_demo(db, monkeypatch):
    called = []
    monkeypatch.setattr("luoshi.work.demo.demo_tasks_load", lambda: 0)
    monkeypatch.setattr("luoshi.rankings.demo.demo_rankings_load", lambda: called.append(True))
    demo_load()
    assert called == [True]
