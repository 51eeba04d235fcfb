"""Reading ranks: one indicator's standing in a period, the latest table, an indicator's history, the alerts.

Ranks are computed from the values on every read (they are cheap: fifteen counties a period), so they are
never stale after a value is corrected. Every page, export, API answer and alert goes through `standing`.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import F, Q

from luoshi.org.models import Unit

from . import ranking
from .models import County, Indicator, IndicatorValue, PeerPractice, period_label


@dataclass
class Row:
    """One county in one period of an indicator."""

    county_id: int
    county: str
    value: Decimal | None
    growth: Decimal | None
    basis: Decimal | None
    rank: int | None
    sheet_rank: int | None
    ours: bool


@dataclass
class Standing:
    """Where our county stands on one indicator in one period, and against its rule."""

    indicator: Indicator
    period: int | None
    rows: list[Row] = field(default_factory=list)
    rank: int | None = None
    n: int = 0
    threshold: int | None = None
    status: str | None = None
    gaps: ranking.Gaps | None = None
    problem: str = ""

    @property
    def period_label(self) -> str:
        return self.indicator.period_label(self.period)

    @property
    def status_label(self) -> str:
        return ranking.STATUS_LABELS.get(self.status, "无数据")

    @property
    def light(self) -> str:
        return {ranking.BROKEN: "red", ranking.AT_RISK: "yellow", ranking.MET: "green"}.get(self.status, "none")

    @property
    def ours(self) -> Row | None:
        return next((row for row in self.rows if row.ours), None)

    def _county(self, county_id) -> str:
        return next((row.county for row in self.rows if row.county_id == county_id), "")

    @property
    def above_county(self) -> str:
        return self._county(self.gaps.above_key) if self.gaps else ""

    @property
    def threshold_county(self) -> str:
        return self._county(self.gaps.threshold_key) if self.gaps else ""

    @property
    def gap_above_text(self) -> str:
        """与上一名(第2名 东山县)差 1.20 个百分点."""
        if not self.gaps or self.gaps.to_above is None:
            return "已居第一" if self.rank == 1 else "—"
        above = next(row.rank for row in self.rows if row.county_id == self.gaps.above_key)
        return f"距第{above}名{self.above_county}差{_num(self.gaps.to_above)}{self.indicator.gap_measure}"

    @property
    def gap_threshold_text(self) -> str:
        if not self.gaps or self.gaps.to_threshold is None or self.threshold is None:
            return "—"
        amount = f"{_num(self.gaps.to_threshold)}{self.indicator.gap_measure}"
        place = next(row.rank for row in self.rows if row.county_id == self.gaps.threshold_key)
        if self.status == ranking.BROKEN:
            return f"距第{place}名{self.threshold_county}(守住目标的最后一位)差{amount}"
        return f"领先第{place}名{self.threshold_county}(目标线外第一位){amount}"


def _num(value: Decimal) -> str:
    text = f"{value:,.2f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def num(value) -> str:
    return "—" if value is None else _num(Decimal(value))


def standing(indicator: Indicator, period: int | None, values: list[IndicatorValue], counties: dict[int, County]
             ) -> Standing:  # fmt: skip
    """Rank `values` (one period of `indicator`) and judge our county against the indicator's rule."""
    result = Standing(indicator=indicator, period=period)
    by_growth = indicator.by_growth
    basis = {v.county_id: (v.growth if by_growth else v.value) for v in values if v.county_id in counties}
    ranks = ranking.competition_ranks(basis, higher_is_better=indicator.higher_is_better)
    ours_id = next((pk for pk, county in counties.items() if county.is_ours), None)
    for v in values:
        county = counties.get(v.county_id)
        if county is None:
            continue
        result.rows.append(Row(v.county_id, county.name, v.value, v.growth, basis[v.county_id], ranks[v.county_id],
                               v.sheet_rank, county.is_ours))  # fmt: skip
    result.rows.sort(key=lambda row: (row.rank is None, row.rank or 0, counties[row.county_id].order))
    result.n = sum(1 for rank in ranks.values() if rank is not None)
    result.rank = ranks.get(ours_id)
    if result.n:
        try:
            result.threshold = indicator.threshold(result.n)
        except ranking.RuleError as exc:
            result.problem = str(exc)
            return result
        result.status = ranking.rule_status(result.rank, result.threshold)
        result.gaps = ranking.gaps(basis, ranks, ours_id, threshold=result.threshold)
    return result


def counties_by_id() -> dict[int, County]:
    return {county.pk: county for county in County.objects.filter(active=True)}


def latest_standings(indicators, *, upto: int | None = None) -> list[Standing]:
    """Each indicator's standing in its newest period (at most `upto`, a YYYYMM period), in two queries."""
    indicators = list(indicators.select_related("responsible_unit", "leader"))
    counties = counties_by_id()
    if upto is None:
        periods = {ind.pk: ind.latest_period for ind in indicators}
    else:
        periods = _latest_upto([ind.pk for ind in indicators], upto)
    values = defaultdict(list)
    if upto is None:
        query = IndicatorValue.objects.filter(
            indicator__in=[i.pk for i in indicators], period=F("indicator__latest_period")
        )
    else:
        wanted = Q(pk__in=[])
        for pk, period in periods.items():
            if period:
                wanted |= Q(indicator_id=pk, period=period)
        query = IndicatorValue.objects.filter(wanted)
    for value in query.only("indicator_id", "county_id", "period", "value", "growth", "sheet_rank"):
        values[value.indicator_id].append(value)
    return [standing(ind, periods.get(ind.pk), values.get(ind.pk, []), counties) for ind in indicators]


def _latest_upto(indicator_ids: list[int], upto: int) -> dict[int, int]:
    from django.db.models import Max

    rows = (
        IndicatorValue.objects.filter(indicator_id__in=indicator_ids, period__lte=upto)
        .values("indicator_id")
        .annotate(latest=Max("period"))
    )
    return {row["indicator_id"]: row["latest"] for row in rows}


def indicator_history(indicator: Indicator) -> list[Standing]:
    """Every period of `indicator`, oldest first, each ranked."""
    counties = counties_by_id()
    by_period = defaultdict(list)
    for value in IndicatorValue.objects.filter(indicator=indicator).only(
        "county_id", "period", "value", "growth", "sheet_rank"
    ):
        by_period[value.period].append(value)
    return [standing(indicator, period, by_period[period], counties) for period in sorted(by_period)]


@dataclass
class Alert:
    """A rule broken or at risk: a line of the pack's 争先进位 section and the leader's cockpit."""

    indicator: Indicator
    standing: Standing

    @property
    def text(self) -> str:
        s = self.standing
        return (f"{self.indicator.name}({s.period_label}):全市第{s.rank}名(共{s.n}个),目标“{self.indicator.rule_label}”"
                f"{s.status_label};{s.gap_above_text}")  # fmt: skip


def rank_alerts(period_or_today: date | int | None = None, *, leader=None) -> list[Alert]:
    """Indicators whose latest rank (up to a period or a day) breaks its rule or is one place from breaking it.

    `period_or_today` is a YYYYMM period or a date (its month: a 通报 of that month or earlier); None takes
    each indicator's newest period. Broken first, then at risk, in the indicators' order; `leader` keeps
    the alerts of one leader's indicators (the cockpit).
    """
    is_day = isinstance(period_or_today, date)
    upto = period_or_today.year * 100 + period_or_today.month if is_day else period_or_today
    indicators = Indicator.objects.filter(active=True)
    if leader is not None:
        indicators = indicators.filter(leader=leader)
    standings = latest_standings(indicators, upto=upto)
    alerts = [Alert(s.indicator, s) for s in standings if s.status in (ranking.BROKEN, ranking.AT_RISK)]
    alerts.sort(key=lambda a: (a.standing.status != ranking.BROKEN, a.indicator.order, a.indicator.pk))
    return alerts


def practices_for_unit(unit: Unit, *, limit: int = 10) -> list[PeerPractice]:
    """学左右 for a unit's home page: practices of its field (its own, or serving an indicator it answers for)."""
    return list(
        PeerPractice.objects.filter(Q(unit=unit) | Q(indicator__responsible_unit=unit))
        .select_related("indicator")
        .distinct()
        .order_by("-created_at", "-id")[:limit]
    )


__all__ = ["indicator_history", "latest_standings", "period_label", "practices_for_unit", "rank_alerts", "standing"]
