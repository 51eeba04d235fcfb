"""The 争先进位 router: indicators with their latest rank, one indicator's every period, and values in.

Reads start from `Indicator.objects.visible_to(request.user)`; values go through
`rankings.services.values_save`, the same service as the 通报 sheet import and the hand-entry page.
"""

from __future__ import annotations

from decimal import Decimal

from django.http import Http404
from ninja import Field, Router, Schema, Status

from luoshi.lib.errors import ActionError
from luoshi.rankings import services
from luoshi.rankings.models import Indicator
from luoshi.rankings.selectors import Standing, indicator_history, latest_standings
from luoshi.rankings.sheet import CountyDirectory, ValueInput

router = Router(tags=["争先进位"])

NOT_FOUND = "指标不存在或无权查看。"
FIELD_LABELS = {"indicator_id": "指标编号", "county": "县(市、区)", "growth": "增速", "value": "绝对值",
                "month": "月份", "rows": "数值"}  # fmt: skip


class GapsOut(Schema):
    to_above: float | None
    to_above_text: str
    to_threshold: float | None
    to_threshold_text: str


class StandingOut(Schema):
    period: int | None = Field(description="期别,年×100+月,如 202610")
    period_label: str
    rank: int | None
    counties_ranked: int
    threshold: int | None = Field(description="守住目标的最后一个名次")
    status: str | None = Field(description="met 达标 / at_risk 临界 / broken 未达标")
    status_label: str
    gaps: GapsOut | None


class IndicatorOut(Schema):
    id: int
    name: str
    measure: str
    category: str
    category_label: str
    direction: str
    period_kind: str
    basis: str
    rule: str
    rule_label: str
    responsible_unit: str | None
    leader: str | None
    latest: StandingOut


class CountyValueOut(Schema):
    county: str
    ours: bool
    value: float | None
    growth: float | None
    rank: int | None
    sheet_rank: int | None


class PeriodOut(StandingOut):
    counties: list[CountyValueOut]


class IndicatorDetailOut(IndicatorOut):
    periods: list[PeriodOut]


class ValueIn(Schema):
    indicator_id: int
    county: str = Field(description="县(市、区)名称或别名,可不带“县/市/区”")
    value: Decimal | None = None
    growth: Decimal | None = Field(None, description="增速,百分数(12.3 表示 12.3%)")
    sheet_rank: int | None = Field(None, ge=1)


class ValuesIn(Schema):
    year: int = Field(ge=2000, le=2100)
    month: int = Field(ge=1, le=12)
    rows: list[ValueIn] = Field(max_length=20000)
    token: str | None = Field(None, description="幂等键:同一个键只处理一次")


class ValuesOut(Schema):
    created: int
    changed: int


def _standing(s: Standing) -> dict:
    gaps = None
    if s.gaps:
        gaps = GapsOut(to_above=s.gaps.to_above, to_above_text=s.gap_above_text, to_threshold=s.gaps.to_threshold,
                       to_threshold_text=s.gap_threshold_text)  # fmt: skip
    return {"period": s.period, "period_label": s.period_label, "rank": s.rank, "counties_ranked": s.n,
            "threshold": s.threshold, "status": s.status, "status_label": s.status_label, "gaps": gaps}  # fmt: skip


def _indicator(ind: Indicator) -> dict:
    return {"id": ind.pk, "name": ind.name, "measure": ind.measure, "category": ind.category,
            "category_label": ind.get_category_display(), "direction": ind.direction, "period_kind": ind.period_kind,
            "basis": ind.basis, "rule": ind.rule, "rule_label": ind.rule_label,
            "responsible_unit": ind.responsible_unit.name if ind.responsible_unit else None,
            "leader": ind.leader.name if ind.leader else None}  # fmt: skip


@router.get("/indicators", response=list[IndicatorOut], summary="指标及最新位次、目标和状态")
def indicators(request):
    standings = latest_standings(Indicator.objects.visible_to(request.user).filter(active=True))
    return [{**_indicator(s.indicator), "latest": _standing(s)} for s in standings]


@router.get("/indicators/{indicator_id}", response=IndicatorDetailOut, summary="一个指标各期各县的数值、位次和差距")
def indicator(request, indicator_id: int):
    ind = (
        Indicator.objects.visible_to(request.user)
        .select_related("responsible_unit", "leader")
        .filter(pk=indicator_id)
        .first()
    )
    if ind is None:
        raise Http404(NOT_FOUND)
    history = indicator_history(ind)
    periods = [
        {**_standing(s), "counties": [
            {"county": r.county, "ours": r.ours, "value": r.value, "growth": r.growth, "rank": r.rank,
             "sheet_rank": r.sheet_rank} for r in s.rows]}
        for s in history
    ]  # fmt: skip
    latest = history[-1] if history else Standing(indicator=ind, period=None)
    return {**_indicator(ind), "latest": _standing(latest), "periods": periods}


@router.post("/values", response={200: ValuesOut, frozenset({400, 401, 403, 409, 422}): dict},
             summary="导入一期数值(与通报导入同一服务,全部成功或全部不导入)")  # fmt: skip
def values(request, payload: ValuesIn):
    directory = CountyDirectory.load()
    indicators = {ind.pk: ind for ind in Indicator.objects.visible_to(request.user).filter(
        pk__in={row.indicator_id for row in payload.rows})}  # fmt: skip
    items = []
    for number, row in enumerate(payload.rows, start=1):
        ind = indicators.get(row.indicator_id)
        if ind is None:
            raise ActionError(f"第{number}项:没有编号为 {row.indicator_id} 的指标,或无权填报。", status=404)
        county = directory.resolve(row.county)
        if county is None:
            hint = "、".join(c.name for c in directory.suggest(row.county))
            raise ActionError(
                f"第{number}项:县(市、区)“{row.county}”不在全市名单中。" + (f"是否为:{hint}?" if hint else "")
            )
        items.append(ValueInput(ind, county, value=row.value, growth=row.growth, sheet_rank=row.sheet_rank))
    record = services.values_save(values=items, year=payload.year, month=payload.month, by=request.user,
                                  source="api", name="API", token=payload.token)  # fmt: skip
    return Status(200, {"created": record.created, "changed": record.changed})
