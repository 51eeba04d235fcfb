"""The writes of 争一流: counties and indicators set up, values saved (sheet, hand, API), missing-value tasks,
the 现场会 watch list and peer practices adopted as tasks. Each is one transaction."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from luoshi.lib import workdays
from luoshi.lib.errors import ActionError
from luoshi.org.models import Leader, Unit, User
from luoshi.work.models import Task
from luoshi.work.services import TaskSpec, task_create_many
from luoshi.work.steps import _claim_token

from . import ranking
from .models import (
    CityInitiative,
    County,
    CountyAlias,
    Indicator,
    IndicatorTask,
    IndicatorValue,
    PeerPractice,
    ValueImport,
    period_for,
    period_label,
)
from .sheet import ValueInput, normalize

# Working days a unit has to report a missing value.
MISSING_VALUE_WORKDAYS = 5


def _require_office(by: User, doing: str) -> None:
    if not by.is_office:
        raise ActionError(f"{doing}由督查室办理。", status=403)


def county_alias_add(*, county: County, alias: str, by: User) -> CountyAlias:
    """Keep a name a sheet wrote for a county, so that it resolves by itself next time."""
    _require_office(by, "保存县(市、区)别名")
    alias = normalize(alias)
    if not alias:
        raise ActionError("别名不能为空。")
    if County.objects.filter(name=alias).exclude(pk=county.pk).exists():
        raise ActionError(f"“{alias}”是另一个县(市、区)的名称,不能作为“{county.name}”的别名。")
    existing = CountyAlias.objects.filter(alias=alias).select_related("county").first()
    if existing:
        if existing.county_id != county.pk:
            raise ActionError(f"“{alias}”已是“{existing.county.name}”的别名。")
        return existing
    return CountyAlias.objects.create(county=county, alias=alias, created_by=by)


def county_save(*, county: County, by: User) -> County:
    """Add or change a county of the city; marking one as ours takes the mark from the other."""
    _require_office(by, "维护全市县(市、区)名单")
    county.name = normalize(county.name)
    if not county.name:
        raise ActionError("请填写县(市、区)名称。")
    with transaction.atomic():
        if county.is_ours:
            County.objects.filter(is_ours=True).exclude(pk=county.pk).update(is_ours=False)
        try:
            with transaction.atomic():
                county.save()
        except IntegrityError:
            raise ActionError(f"已有名为“{county.name}”的县(市、区)。") from None
    return county


def indicator_rule_check(*, rule: str, rule_k: int | None, counties: int | None = None) -> int:
    """The rule's threshold for the city's active counties now; a rule that cannot apply is refused."""
    n = County.objects.filter(active=True).count() if counties is None else counties
    try:
        return ranking.rule_threshold(rule, n, rule_k)
    except ranking.RuleError as exc:
        raise ActionError(f"目标:{exc}") from None


def indicator_save(*, indicator: Indicator, by: User) -> Indicator:
    """Create or change an indicator; its rule must apply to the city's counties as they are."""
    _require_office(by, "设置指标")
    if not indicator.name.strip():
        raise ActionError("请填写指标名称。")
    indicator_rule_check(rule=indicator.rule, rule_k=indicator.rule_k)
    if indicator.rule != "top_k":
        indicator.rule_k = None
    with transaction.atomic():
        try:
            with transaction.atomic():
                indicator.save()
        except IntegrityError:
            raise ActionError(f"已有名为“{indicator.name}”的指标。") from None
    return indicator


def values_save(*, values: Sequence[ValueInput], year: int, month: int, by: User, source: str, name: str = "",
                sha256: str = "", token: str | None = None) -> ValueImport:  # fmt: skip
    """Save one 通报 period's values: a sheet's preview, a hand entry or an API call, all or nothing.

    1. check that `by` may enter every indicator, and each (indicator, county) comes once;
    2. give each indicator its period for the 通报 of year/month (a quarterly one only at a quarter's end);
    3. insert new values and update changed ones, keeping the old figures in the record;
    4. move each indicator's latest period on, and write the record (留痕), in the same transaction.
    """
    if not values:
        raise ActionError("没有可保存的数值。")
    if not (2000 <= year <= 2100 and 1 <= month <= 12):
        raise ActionError("通报期别有误:年份应在2000至2100之间,月份应在1至12之间。")
    allowed = set(Indicator.objects.enterable_by(by).filter(pk__in={v.indicator.pk for v in values})
                  .values_list("pk", flat=True))  # fmt: skip
    seen: set[tuple[int, int]] = set()
    periods: dict[int, int] = {}
    for item in values:
        where = f"“{item.indicator.name}”{item.county.name}"
        if item.indicator.pk not in allowed:
            raise ActionError(f"{where}:无权填报该指标的数值。", status=403)
        if (item.indicator.pk, item.county.pk) in seen:
            raise ActionError(f"{where}:同一期出现了两次,请只保留一个。")
        seen.add((item.indicator.pk, item.county.pk))
        period = period_for(item.indicator.period_kind, year, month)
        if period is None:
            raise ActionError(f"{where}:该指标为{item.indicator.get_period_kind_display()}指标,{month}月没有这一期。")
        periods[item.indicator.pk] = period
        for label, number, limit in (("绝对值", item.value, 10**14), ("增速", item.growth, 10**6)):
            if number is not None and abs(number) >= limit:
                raise ActionError(f"{where}:{label} {number} 超出合理范围,请核对。")
        if item.sheet_rank is not None and item.sheet_rank < 1:
            raise ActionError(f"{where}:位次应为正整数。")
    now = timezone.now()
    with transaction.atomic():
        _claim_token(token, by)
        existing = {
            (v.indicator_id, v.county_id): v
            for v in IndicatorValue.objects.select_for_update().filter(
                indicator_id__in=periods, period__in=set(periods.values())
            )
            if v.period == periods[v.indicator_id]
        }
        new, changed, before, after = [], [], {}, {}
        for item in values:
            key = (item.indicator.pk, item.county.pk)
            label = f"{item.indicator.name}|{item.county.name}|{periods[item.indicator.pk]}"
            figures = {"value": _plain(item.value), "growth": _plain(item.growth), "rank": item.sheet_rank}
            row = existing.get(key)
            if row is None:
                new.append(IndicatorValue(indicator=item.indicator, county=item.county, period=periods[key[0]],
                                          value=item.value, growth=item.growth, sheet_rank=item.sheet_rank,
                                          source=source, entered_by=by, entered_at=now))  # fmt: skip
                after[label] = figures
                continue
            old = {"value": _plain(row.value), "growth": _plain(row.growth), "rank": row.sheet_rank}
            if old != figures:
                row.value, row.growth, row.sheet_rank = item.value, item.growth, item.sheet_rank
                row.source, row.entered_by, row.entered_at = source, by, now
                changed.append(row)
                before[label], after[label] = old, figures
        IndicatorValue.objects.bulk_create(new, batch_size=1000)
        IndicatorValue.objects.bulk_update(changed, ["value", "growth", "sheet_rank", "source", "entered_by",
                                                     "entered_at"], batch_size=1000)  # fmt: skip
        for indicator_id, period in periods.items():
            Indicator.objects.filter(pk=indicator_id).exclude(latest_period__gte=period).update(latest_period=period)
        record = ValueImport.objects.create(period=year * 100 + month, source=source, name=name[:200], sha256=sha256,
                                            actor=by, at=now, created=len(new), changed=len(changed),
                                            before=before, after=after)  # fmt: skip
    return record


def _plain(number):
    return None if number is None else format(number.normalize(), "f")


def latest_due_period(indicator: Indicator, today: date) -> int:
    """The period whose figures should be in by `today`: a month's figures come out the month after."""
    year, month = today.year, today.month - 1
    if month == 0:
        year, month = year - 1, 12
    if indicator.period_kind == Indicator.PeriodKind.QUARTERLY:
        month -= month % 3
        if month == 0:
            year, month = year - 1, 12
    elif indicator.period_kind == Indicator.PeriodKind.YEARLY:
        year, month = today.year - 1, 12
    return year * 100 + month


def missing_value_tasks_create(*, by: User, today: date | None = None) -> list[Task]:
    """For each indicator with no value of ours for its latest due period, one task to its responsible unit.

    Run it again and it creates nothing twice: the task is kept against the indicator and period.
    """
    _require_office(by, "生成缺数报送任务")
    today = today or timezone.localdate()
    ours = County.objects.filter(is_ours=True).first()
    if ours is None:
        raise ActionError("请先在“县(市、区)”中标出本县。")
    wanted: list[tuple[Indicator, int]] = []
    for indicator in Indicator.objects.filter(active=True, responsible_unit__isnull=False).select_related(
        "responsible_unit", "leader"
    ):
        period = latest_due_period(indicator, today)
        has = IndicatorValue.objects.filter(indicator=indicator, county=ours, period=period).exclude(
            value__isnull=True, growth__isnull=True
        )
        if not has.exists() and not IndicatorTask.objects.filter(indicator=indicator, period=period).exists():
            wanted.append((indicator, period))
    if not wanted:
        return []
    deadline = workdays.calendar().add(today, MISSING_VALUE_WORKDAYS)
    specs = [
        TaskSpec(
            title=f"报送“{indicator.name}”{period_label(indicator.period_kind, period)}数据",
            lead=indicator.responsible_unit,
            leader=indicator.leader,
            requirements=f"系统中没有本县“{indicator.name}”{period_label(indicator.period_kind, period)}的数值,"
            "请向统计部门核实后在“争先进位”中填报,或报督查室。",
            category="争先进位",
            source_title="争先进位 · 缺数提醒",
            deadline=deadline,
        )
        for indicator, period in wanted
    ]
    with transaction.atomic():
        tasks = task_create_many(specs=specs, by=by)
        IndicatorTask.objects.bulk_create(
            [
                IndicatorTask(indicator=ind, period=period, task=task)
                for (ind, period), task in zip(wanted, tasks, strict=True)
            ]
        )
    return tasks


def initiative_save(*, initiative: CityInitiative, competitors: Sequence[County], tasks: Sequence[Task], by: User,
                    token: str | None = None) -> CityInitiative:  # fmt: skip
    _require_office(by, "登记现场会")
    if not initiative.title.strip():
        raise ActionError("请填写现场会主题。")
    if initiative.result == CityInitiative.Result.WON and initiative.held_on is None:
        raise ActionError("在我县召开的现场会,请填写实际召开时间。")
    with transaction.atomic():
        _claim_token(token, by)
        if initiative.created_by_id is None:
            initiative.created_by = by
        initiative.save()
        initiative.competitors.set(competitors)
        initiative.tasks.set(tasks)
    return initiative


def practice_save(*, practice: PeerPractice, by: User, token: str | None = None) -> PeerPractice:
    """A peer practice; the four questions are each required, for a practice without them teaches nothing."""
    if not (by.is_office or (by.role == User.Role.UNIT and by.unit_id)):
        raise ActionError("学左右案例由督查室或单位录入。", status=403)
    for label, text in (("县(市、区)", practice.county), ("做法名称", practice.title), ("领域", practice.field),
                        ("钱从哪里来", practice.money), ("人怎么组织", practice.people),
                        ("机制怎么形成", practice.mechanism), ("问题怎样处理", practice.problems)):  # fmt: skip
        if not (text or "").strip():
            raise ActionError(f"请填写“{label}”。")
    if by.role == User.Role.UNIT and practice.unit_id is None:
        practice.unit_id = by.unit_id
    if practice.created_by_id is None:
        practice.created_by = by
    with transaction.atomic():
        _claim_token(token, by)
        practice.save()
    return practice


def practice_adopt(*, practice: PeerPractice, lead: Unit, titles: Sequence[str], deadline: date, by: User,
                   leader: Leader | None = None, token: str | None = None) -> list[Task]:  # fmt: skip
    """Adopt a practice: one task per step, registered through task_create_many and linked back to it."""
    _require_office(by, "借鉴做法交办事项")
    titles = [title.strip() for title in titles if title.strip()]
    if not titles:
        raise ActionError("请至少填写一项借鉴措施(每行一项)。")
    quote = f"钱从哪里来:{practice.money}\n人怎么组织:{practice.people}\n机制怎么形成:{practice.mechanism}\n问题怎样处理:{practice.problems}"
    specs = [
        TaskSpec(title=title, lead=lead, leader=leader, deadline=deadline, category="学左右",
                 source_title=f"学左右:{practice.county}{practice.title}", source_quote=quote)
        for title in titles
    ]  # fmt: skip
    with transaction.atomic():
        tasks = task_create_many(specs=specs, by=by, token=token)
        practice.tasks.add(*tasks)
    return tasks


def initiatives_won(year: int) -> int:
    return CityInitiative.objects.filter(result=CityInitiative.Result.WON, held_on__year=year).count()


def latest_period_of_all() -> int | None:
    return IndicatorValue.objects.aggregate(latest=Max("period"))["latest"]
