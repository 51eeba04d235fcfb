"""The core rules of 争一流, pure: competition ranks, what a rule demands, the status against it and the gaps.

No database here: every function takes plain values, so that the rules are tested (and mutation-tested)
on their own, and the pages, the import, the API, the alerts and the bench all call the same code.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from operator import itemgetter

MET, AT_RISK, BROKEN = "met", "at_risk", "broken"
STATUS_LABELS = {MET: "达标", AT_RISK: "临界", BROKEN: "未达标"}

TOP3, NOT_BOTTOM3, UPPER_HALF, FIRST, TOP_K = "top3", "not_bottom3", "upper_half", "first", "top_k"


class RuleError(ValueError):
    """A rule that cannot apply to a city of n counties; the message is for the user."""


def competition_ranks(values: Mapping[Hashable, Decimal | float | None], *, higher_is_better: bool) -> dict:
    """Standard competition ranking (1, 2, 2, 4): equal values share a place and the next place is skipped.

    A county with no value (None) has no rank and does not count among the ranked.
    """
    present = [item for item in values.items() if item[1] is not None]
    present.sort(key=itemgetter(1), reverse=higher_is_better)
    ranks = dict.fromkeys(values)
    # None never equals a value here (they were left out above), so the first county takes place 1.
    previous = place = None
    for position, (key, value) in enumerate(present, start=1):
        if value != previous:
            place = position
        ranks[key] = place
        previous = value
    return ranks


def rule_threshold(rule: str, n: int, k: int | None = None) -> int:
    """The worst place that still meets `rule` among `n` ranked counties; refuses a rule that cannot apply."""
    if n < 1:
        raise RuleError("还没有参与排名的县(市、区),无法设定目标。")
    if rule == TOP3:
        if n < 3:
            raise RuleError(f"全市只有{n}个县(市、区),“保三争一”要求至少3个。")
        return 3
    if rule == NOT_BOTTOM3:
        if n < 4:
            raise RuleError(f"全市只有{n}个县(市、区),“不进后三”要求至少4个,否则每个名次都在后三。")
        return n - 3
    if rule == UPPER_HALF:
        if n < 2:
            raise RuleError("全市只有1个县(市、区),“中游偏上”无从谈起。")
        return math.ceil(n / 2)
    if rule == FIRST:
        return 1
    if rule == TOP_K:
        if k is None or k < 1:
            raise RuleError("“前k名”的k应为不小于1的整数。")
        if k > n:
            raise RuleError(f"“前{k}名”超过了全市县(市、区)的个数({n}个),请改小。")
        return k
    raise RuleError(f"未知的目标规则“{rule}”。")


def rule_status(rank: int | None, threshold: int) -> str | None:
    """Met, at risk (one place from breaking: it holds the last place that meets the rule) or broken."""
    if rank is None:
        return None
    if rank > threshold:
        return BROKEN
    if rank == threshold:
        return AT_RISK
    return MET


@dataclass(frozen=True)
class Gaps:
    """Distances in the indicator's own unit (or percentage points for a growth rate), always ≥ 0.

    - `to_above`: how much more (or less, for lower-is-better) moves us level with the next place up;
    - `to_threshold`: for a rule met, the margin over the best county outside the rule's places;
      for a rule broken, how far we are from the last place that meets it (the county at that place).
    """

    to_above: Decimal | None
    to_threshold: Decimal | None
    above_key: Hashable | None = None
    threshold_key: Hashable | None = None


def gaps(values: Mapping[Hashable, Decimal | None], ranks: Mapping[Hashable, int | None], ours: Hashable, *,
         threshold: int) -> Gaps:  # fmt: skip
    """The gaps of `ours` (see `Gaps`) among `values` ranked as `ranks`."""
    our_rank = ranks.get(ours)
    our_value = values.get(ours)
    if our_rank is None:  # no rank without a value
        return Gaps(None, None)
    ranked = [(rank, key) for key, rank in ranks.items() if rank is not None]
    above = [(rank, key) for rank, key in ranked if rank < our_rank]
    above_key = max(above, key=lambda item: item[0])[1] if above else None
    to_above = abs(values[above_key] - our_value) if above_key is not None else None
    if our_rank > threshold:
        inside = [(rank, key) for rank, key in ranked if rank <= threshold]
        threshold_key = max(inside, key=lambda item: item[0])[1] if inside else None
    else:
        outside = [(rank, key) for rank, key in ranked if rank > threshold]
        threshold_key = min(outside, key=lambda item: item[0])[1] if outside else None
    to_threshold = abs(values[threshold_key] - our_value) if threshold_key is not None else None
    return Gaps(to_above, to_threshold, above_key, threshold_key)
