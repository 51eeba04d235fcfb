"""The core rules, pure: competition ranks with ties, each rule's threshold, the status and the gaps."""

from decimal import Decimal as D

import pytest

from luoshi.rankings import ranking
from luoshi.rankings.ranking import (
    AT_RISK,
    BROKEN,
    MET,
    RuleError,
    competition_ranks,
    gaps,
    rule_status,
    rule_threshold,
)


def test_ties_share_a_place_and_the_next_place_is_skipped():
    ranks = competition_ranks({"a": D(9), "b": D(7), "c": D(7), "d": D(5)}, higher_is_better=True)
    assert ranks == {"a": 1, "b": 2, "c": 2, "d": 4}


def test_lower_is_better_ranks_the_smallest_first():
    ranks = competition_ranks({"a": D("1.5"), "b": D("0.2"), "c": D("0.2"), "d": D(3)}, higher_is_better=False)
    assert ranks == {"b": 1, "c": 1, "a": 3, "d": 4}


def test_a_county_without_a_value_has_no_rank_and_does_not_push_others_down():
    ranks = competition_ranks({"a": None, "b": D(2), "c": D(3)}, higher_is_better=True)
    assert ranks == {"a": None, "c": 1, "b": 2}


def test_a_tie_at_the_top_and_three_way_ties():
    ranks = competition_ranks({"a": 5, "b": 5, "c": 5, "d": 4, "e": 4}, higher_is_better=True)
    assert ranks == {"a": 1, "b": 1, "c": 1, "d": 4, "e": 4}


def test_negative_growth_ranks_below_zero():
    ranks = competition_ranks({"a": D("-2.1"), "b": D(0), "c": D("-0.5")}, higher_is_better=True)
    assert ranks == {"b": 1, "c": 2, "a": 3}


def test_nothing_to_rank():
    assert competition_ranks({}, higher_is_better=True) == {}


@pytest.mark.parametrize(
    ("rule", "n", "k", "threshold"),
    [
        (ranking.TOP3, 10, None, 3),
        (ranking.TOP3, 3, None, 3),
        (ranking.NOT_BOTTOM3, 10, None, 7),
        (ranking.NOT_BOTTOM3, 4, None, 1),
        (ranking.UPPER_HALF, 10, None, 5),
        (ranking.UPPER_HALF, 9, None, 5),
        (ranking.UPPER_HALF, 2, None, 1),
        (ranking.FIRST, 10, None, 1),
        (ranking.FIRST, 1, None, 1),
        (ranking.TOP_K, 10, 4, 4),
        (ranking.TOP_K, 10, 10, 10),
        (ranking.TOP_K, 10, 1, 1),
    ],
)
def test_each_rule_sets_the_worst_place_that_meets_it(rule, n, k, threshold):
    assert rule_threshold(rule, n, k) == threshold


@pytest.mark.parametrize(
    ("rule", "n", "k", "message"),
    [
        (ranking.NOT_BOTTOM3, 3, None, "“不进后三”要求至少4个"),
        (ranking.TOP3, 2, None, "“保三争一”要求至少3个"),
        (ranking.UPPER_HALF, 1, None, "中游偏上"),
        (ranking.TOP_K, 10, 0, "k应为不小于1的整数"),
        (ranking.TOP_K, 10, None, "k应为不小于1的整数"),
        (ranking.TOP_K, 10, 11, "超过了全市县(市、区)的个数(10个)"),
        (ranking.FIRST, 0, None, "还没有参与排名"),
        ("best", 10, None, "未知的目标规则"),
    ],
)
def test_a_rule_that_cannot_apply_is_refused_with_the_reason(rule, n, k, message):
    with pytest.raises(RuleError) as refused:
        rule_threshold(rule, n, k)
    assert message in str(refused.value)


def test_status_is_met_above_the_threshold_at_risk_on_it_and_broken_below():
    assert rule_status(2, 3) == MET
    assert rule_status(3, 3) == AT_RISK
    assert rule_status(4, 3) == BROKEN
    assert rule_status(None, 3) is None
    assert rule_status(1, 1) == AT_RISK
    assert rule_status(2, 1) == BROKEN


def _county_values():
    # 招商引资 growth: we (w) are 4th, one place outside 保三争一.
    return {"a": D("20.0"), "b": D("15.5"), "c": D("12.0"), "w": D("10.8"), "e": D("9.0"), "f": D("4.0")}


def test_a_broken_rule_gives_the_gap_to_the_place_above_and_to_the_last_place_that_meets_it():
    values = _county_values()
    ranks = competition_ranks(values, higher_is_better=True)
    result = gaps(values, ranks, "w", threshold=3)
    assert (result.to_above, result.above_key) == (D("1.2"), "c")
    assert (result.to_threshold, result.threshold_key) == (D("1.2"), "c")


def test_a_rule_broken_by_several_places_measures_to_the_last_place_that_meets_it():
    values = _county_values()
    ranks = competition_ranks(values, higher_is_better=True)
    result = gaps(values, ranks, "f", threshold=3)
    assert (result.to_above, result.above_key) == (D("5.0"), "e")
    assert (result.to_threshold, result.threshold_key) == (D("8.0"), "c")


def test_a_rule_met_gives_the_margin_over_the_first_county_outside_it():
    values = _county_values()
    ranks = competition_ranks(values, higher_is_better=True)
    result = gaps(values, ranks, "b", threshold=3)
    assert (result.to_above, result.above_key) == (D("4.5"), "a")
    assert (result.to_threshold, result.threshold_key) == (D("4.7"), "w")


def test_first_place_has_nothing_above():
    values = _county_values()
    ranks = competition_ranks(values, higher_is_better=True)
    result = gaps(values, ranks, "a", threshold=1)
    assert result.to_above is None and result.above_key is None
    assert (result.to_threshold, result.threshold_key) == (D("4.5"), "b")


def test_gaps_in_lower_is_better_are_positive_amounts():
    values = {"a": D("1.0"), "w": D("2.5"), "c": D("4.0")}
    ranks = competition_ranks(values, higher_is_better=False)
    result = gaps(values, ranks, "w", threshold=1)
    assert (result.to_above, result.above_key) == (D("1.5"), "a")
    assert (result.to_threshold, result.threshold_key) == (D("1.5"), "a")


def test_a_tie_above_us_is_one_place_and_its_gap_is_to_that_value():
    values = {"a": D(9), "b": D(7), "c": D(7), "w": D(6)}
    ranks = competition_ranks(values, higher_is_better=True)
    result = gaps(values, ranks, "w", threshold=2)
    assert result.to_above == D(1) and result.above_key in ("b", "c")
    assert result.to_threshold == D(1)


def test_the_last_county_inside_a_rule_everyone_meets_has_no_threshold_gap():
    values = {"a": D(3), "w": D(1)}
    ranks = competition_ranks(values, higher_is_better=True)
    result = gaps(values, ranks, "w", threshold=2)
    assert result.to_above == D(2)
    assert result.to_threshold is None and result.threshold_key is None


def test_no_value_of_ours_gives_no_gaps():
    values = {"a": D(3), "w": None}
    ranks = competition_ranks(values, higher_is_better=True)
    assert gaps(values, ranks, "w", threshold=1) == ranking.Gaps(None, None)
    assert gaps(values, ranks, "zz", threshold=1) == ranking.Gaps(None, None)


def test_the_places_are_found_by_rank_whatever_the_counties_are_called():
    values = {"z": D(20), "y": D(15), "a": D(12), "w": D(10), "b": D(8)}
    ranks = competition_ranks(values, higher_is_better=True)
    broken = gaps(values, ranks, "b", threshold=3)
    assert (broken.above_key, broken.threshold_key) == ("w", "a")
    met = gaps(values, ranks, "z", threshold=2)
    assert (met.above_key, met.threshold_key) == (None, "a")
