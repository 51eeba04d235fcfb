"""Reading ranks: one indicator's standing in a period, the latest table, an indicator's history, the alerts.

Ranks are computed from the values on every read (they are cheap: fifteen counties a period), so they are
never stale after a value is corrected. Every page, export, API answer and alert goes through `standing`.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from functools import cached_property

from django.db import connection
from django.db.models import Case, FloatField, Max, Q, When
from django.db.models.functions import Cast

from luoshi.org.models import Unit

from . import ranking
from .models import County, Indicator, IndicatorValue, PeerPractice, period_label


@dataclass(slots=True)
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

    @property
    def value_text(self) -> str:
        return num(self.value)

    @property
    def growth_text(self) -> str:
        return num(self.growth)


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

    @cached_property
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

    @cached_property
    def gap_above_text(self) -> str:
        """与上一名(第2名 东山县)差 1.20 个百分点."""
        if not self.gaps or self.gaps.to_above is None:
            return "已居第一" if self.rank == 1 else "—"
        above = next(row.rank for row in self.rows if row.county_id == self.gaps.above_key)
        return f"距第{above}名{self.above_county}差{_num(self.gaps.to_above)}{self.indicator.gap_measure}"

    @cached_property
    def gap_threshold_text(self) -> str:
        if not self.gaps or self.gaps.to_threshold is None or self.threshold is None:
            return "—"
        amount = f"{_num(self.gaps.to_threshold)}{self.indicator.gap_measure}"
        place = next(row.rank for row in self.rows if row.county_id == self.gaps.threshold_key)
        if self.status == ranking.BROKEN:
            return f"距第{place}名{self.threshold_county}(守住目标的最后一位)差{amount}"
        return f"领先第{place}名{self.threshold_county}(目标线外第一位){amount}"


def _num(value: Decimal) -> str:
    text = f"{value:,.4f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def num(value) -> str:
    return "—" if value is None else _num(Decimal(value))


def standing(indicator: Indicator, period: int | None, values, counties: dict[int, County]) -> Standing:
    """Rank `values` (one period of `indicator`: (county_id, value, growth, sheet_rank) tuples) and judge our
    county against the indicator's rule."""
    result = Standing(indicator=indicator, period=period)
    by_growth = indicator.by_growth
    values = [v for v in values if v[0] in counties]
    basis = {v[0]: (v[2] if by_growth else v[1]) for v in values}
    ranks = ranking.competition_ranks(basis, higher_is_better=indicator.higher_is_better)
    ours_id = next((pk for pk, county in counties.items() if county.is_ours), None)
    rows = [Row(cid, counties[cid].name, value, growth, basis[cid], ranks[cid], sheet_rank, cid == ours_id)
            for cid, value, growth, sheet_rank in values]  # fmt: skip
    rows.sort(key=lambda row: (row.rank is None, row.rank or 0, counties[row.county_id].order))
    result.rows = rows
    result.n = len(basis) - sum(1 for rank in ranks.values() if rank is None)
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


def _decimal(value):
    # SQLite hands back a float, PostgreSQL a Decimal: one kind, without Django's per-value converter.
    return Decimal(repr(value)) if isinstance(value, float) else value


def _rows(queryset) -> list[tuple]:
    """(indicator_id, period, county_id, value, growth, sheet_rank) straight from the cursor.

    Django's decimal converter costs some 10 µs a value, most of a page's time with 300 indicators.
    """
    sql, params = queryset.values_list("indicator_id", "period", "county_id", "value", "growth",
                                       "sheet_rank").query.sql_with_params()  # fmt: skip
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [(i, p, c, _decimal(v), _decimal(g), r) for i, p, c, v, g, r in cursor.fetchall()]


def latest_standings(indicators, *, upto: int | None = None) -> list[Standing]:
    """Each indicator's standing in its newest period (at most `upto`, a YYYYMM period), in a few queries."""
    indicators = list(indicators.select_related("responsible_unit", "leader"))
    counties = counties_by_id()
    if upto is None:
        periods = {ind.pk: ind.latest_period for ind in indicators}
    else:
        periods = _latest_upto([ind.pk for ind in indicators], upto)
    # Most indicators share a latest period: one indexed lookup per distinct period.
    by_period = defaultdict(list)
    for pk, period in periods.items():
        if period:
            by_period[period].append(pk)
    wanted = Q(pk__in=[])
    for period, ids in by_period.items():
        wanted |= Q(period=period, indicator_id__in=ids)
    values = defaultdict(list)
    if by_period:
        for indicator_id, _period, county_id, value, growth, rank in _rows(IndicatorValue.objects.filter(wanted)):
            values[indicator_id].append((county_id, value, growth, rank))
    return [standing(ind, periods.get(ind.pk), values.get(ind.pk, []), counties) for ind in indicators]


def _latest_upto(indicator_ids: list[int], upto: int) -> dict[int, int]:
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
    for _indicator_id, period, county_id, value, growth, rank in _rows(
        IndicatorValue.objects.filter(indicator=indicator)
    ):
        by_period[period].append((county_id, value, growth, rank))
    return [standing(indicator, period, by_period[period], counties) for period in sorted(by_period)]


def recompute_all() -> tuple[int, dict[str, int]]:
    """Every rank of every period of every indicator, and our county's status in each: (periods, counts by status).

    The basis comes as a float: ranks need only the order, and reading 540,000 decimals costs more than ranking.
    """
    indicators = {ind.pk: ind for ind in Indicator.objects.all()}
    ours = County.objects.filter(is_ours=True).values_list("pk", flat=True).first()
    active = list(County.objects.filter(active=True).values_list("pk", flat=True))
    growth_ids = [pk for pk, ind in indicators.items() if ind.by_growth]
    basis = Case(When(indicator_id__in=growth_ids, then=Cast("growth", FloatField())),
                 default=Cast("value", FloatField()))  # fmt: skip
    rows = IndicatorValue.objects.filter(county_id__in=active).annotate(basis=basis)
    sql, params = rows.values_list("indicator_id", "period", "county_id", "basis").query.sql_with_params()
    groups: dict[tuple[int, int], dict] = defaultdict(dict)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        while chunk := cursor.fetchmany(50_000):
            for indicator_id, period, county_id, value in chunk:
                groups[indicator_id, period][county_id] = value
    counts: dict[str, int] = defaultdict(int)
    for (indicator_id, _period), values in groups.items():
        indicator = indicators[indicator_id]
        ranks = ranking.competition_ranks(values, higher_is_better=indicator.higher_is_better)
        n = len(ranks) - sum(1 for rank in ranks.values() if rank is None)
        try:
            threshold = indicator.threshold(n)
        except ranking.RuleError:
            counts["unruled"] += 1
            continue
        counts[ranking.rule_status(ranks.get(ours), threshold) or "unranked"] += 1
    return len(groups), dict(counts)


def alerts_of(standings: list[Standing]) -> list[Alert]:
    alerts = [Alert(s.indicator, s) for s in standings if s.status in (ranking.BROKEN, ranking.AT_RISK)]
    alerts.sort(key=lambda a: (a.standing.status != ranking.BROKEN, a.indicator.order, a.indicator.pk))
    return alerts


@dataclass
class Alert:
    """A rule broken or at risk: a line of the pack's 争先进位 section and the leader's cockpit.

    templates/rankings/_alerts.html reads only the flat fields below, so it renders an Alert or its
    `as_dict()` alike: an issued pack keeps the dicts in its frozen snapshot.
    """

    indicator: Indicator
    standing: Standing

    FIELDS = ("indicator_id", "name", "category", "period_label", "rank", "n", "rule_label", "status", "status_label",
              "light", "gap_text", "unit", "leader", "text")  # fmt: skip

    @property
    def indicator_id(self) -> int:
        return self.indicator.pk

    @property
    def name(self) -> str:
        return self.indicator.name

    @property
    def category(self) -> str:
        return self.indicator.get_category_display()

    @property
    def period_label(self) -> str:
        return self.standing.period_label

    @property
    def rank(self) -> int | None:
        return self.standing.rank

    @property
    def n(self) -> int:
        return self.standing.n

    @property
    def rule_label(self) -> str:
        return self.indicator.rule_label

    @property
    def status(self) -> str | None:
        return self.standing.status

    @property
    def status_label(self) -> str:
        return self.standing.status_label

    @property
    def light(self) -> str:
        return self.standing.light

    @property
    def gap_text(self) -> str:
        s = self.standing
        return s.gap_above_text + (f";{s.gap_threshold_text}" if s.status == ranking.BROKEN else "")

    @property
    def unit(self) -> str:
        return self.indicator.responsible_unit.display_name if self.indicator.responsible_unit else ""

    @property
    def leader(self) -> str:
        return self.indicator.leader.name if self.indicator.leader else ""

    @property
    def text(self) -> str:
        s = self.standing
        return (f"{self.indicator.name}({s.period_label}):全市第{s.rank}名(共{s.n}个),目标“{self.indicator.rule_label}”"
                f"{s.status_label};{s.gap_above_text}")  # fmt: skip

    def as_dict(self) -> dict:
        """Plain JSON values, for a snapshot that must not change once issued."""
        return {name: getattr(self, name) for name in self.FIELDS}


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
    return alerts_of(latest_standings(indicators, upto=upto))


def practices_for_unit(unit: Unit, *, limit: int = 10) -> list[PeerPractice]:
    """学左右 for a unit's home page: practices of its field (its own, or serving an indicator it answers for)."""
    return list(
        PeerPractice.objects.filter(Q(unit=unit) | Q(indicator__responsible_unit=unit))
        .select_related("indicator")
        .distinct()
        .order_by("-created_at", "-id")[:limit]
    )


__all__ = ["indicator_history", "latest_standings", "period_label", "practices_for_unit", "rank_alerts", "standing"]
