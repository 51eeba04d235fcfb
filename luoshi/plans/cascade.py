"""The plan cascade: three-year plans rolled each January, annual plans with monthly profiles, actuals.

Quarterly, monthly and weekly views are derived here from the annual plan and the unit's
tasks; nothing is typed twice. Workflows are keyword-only, in one transaction, and write
the plan's timeline (`PlanEvent`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from luoshi.lib.errors import ActionError
from luoshi.org.models import Unit, User
from luoshi.work.models import Task
from luoshi.work.steps import _claim_token

from .models import Plan, PlanActual, PlanEvent, PlanItem

# 大头靠前: each month's share of the year's work falls from 12/78 in January to 1/78 in
# December, so that June's cumulative target is 73% of the year's, not a flat 50%.
_WEIGHTS = list(range(12, 0, -1))
FRONT_LOADED = [sum(_WEIGHTS[: m + 1]) / sum(_WEIGHTS) for m in range(12)]


def default_profile(target: float) -> list[float]:
    """Twelve cumulative monthly targets for `target`, front-loaded, rounded to two places."""
    profile = [round(target * share, 2) for share in FRONT_LOADED]
    profile[-1] = target
    return profile


@dataclass
class ItemInput:
    name: str
    indicator: str = ""
    measure: str = ""
    target: float | None = None
    profile: list[float] | None = None  # twelve cumulative figures; None: the front-loaded default
    milestones: list[str] = field(default_factory=list)
    targets: dict[str, float] = field(default_factory=dict)  # three-year plans: {"2026": 100, …}


def _require_writer(unit: Unit, by: User) -> None:
    """The office, or the unit's own users, keep a unit's plans."""
    if by.is_office or (by.role == User.Role.UNIT and by.unit_id == unit.pk):
        return
    raise ActionError("只有本单位或督查室可以编制、填报本单位的计划。", status=403)


def _next_version(unit: Unit, horizon: str, year: int) -> tuple[int, Plan | None]:
    plans = Plan.objects.filter(unit=unit, horizon=horizon, year=year)
    last = plans.order_by("-version").first()
    return (last.version + 1 if last else 1), last


def plan_save(
    *,
    unit: Unit,
    horizon: str,
    year: int,
    items: Sequence[ItemInput],
    by: User,
    title: str = "",
    goals: str = "",
    token: str | None = None,
) -> Plan:
    """A new version of a unit's three-year or annual plan, with its items (an import, or the API).

    1. check the items (names, numbers, profiles within the target);
    2. number the version after the unit's last one for that year, keeping the old;
    3. write the plan, its items and the 导入计划 entry, in one transaction.
    """
    _require_writer(unit, by)
    if not items:
        raise ActionError("计划中没有任何事项。")
    for i, item in enumerate(items, start=1):
        _check_item(i, item)
    with transaction.atomic():
        _claim_token(token, by)
        version, previous = _next_version(unit, horizon, year)
        label = "三年行动计划" if horizon == Plan.Horizon.THREE_YEAR else "年度计划"
        span = f"{year}—{year + 2}年" if horizon == Plan.Horizon.THREE_YEAR else f"{year}年"
        plan = Plan.objects.create(
            unit=unit, horizon=horizon, year=year, version=version, previous=previous, created_by=by,
            title=title or f"{unit.name}{span}{label}", goals=goals,
        )  # fmt: skip
        PlanItem.objects.bulk_create(
            PlanItem(
                plan=plan,
                order=i,
                name=item.name.strip(),
                indicator=item.indicator,
                measure=item.measure,
                target=item.target,
                targets=item.targets,
                profile=(item.profile or default_profile(item.target)) if item.target is not None else [],
                milestones=item.milestones,
            )
            for i, item in enumerate(items, start=1)
        )
        PlanEvent.objects.create(
            plan=plan, action=PlanEvent.Action.IMPORT, actor=by, after={"items": len(items), "version": version}
        )
    return plan


def _check_item(i: int, item: ItemInput) -> None:
    where = f"第{i}项“{item.name[:20]}”"
    if not item.name.strip():
        raise ActionError(f"第{i}项:请填写事项名称。")
    if item.profile is not None:
        if len(item.profile) != 12:
            raise ActionError(f"{where}:逐月目标应为 12 个月。")
        if item.target is None:
            raise ActionError(f"{where}:填了逐月目标,请同时填写年度目标。")
        for month, value in enumerate(item.profile, start=1):
            if value > item.target:
                raise ActionError(f"{where}:{month}月累计目标 {value:g} 超过年度目标 {item.target:g}。")
        for month in range(1, 12):
            if item.profile[month] < item.profile[month - 1]:
                raise ActionError(f"{where}:逐月目标是累计数,{month + 1}月不应小于{month}月。")


def plan_roll(*, plan: Plan, by: User) -> Plan:
    """滚动编制: next year's three-year plan from this one; the old version is kept.

    Each item keeps its targets for the years still covered; the new third year starts empty.
    """
    if plan.horizon != Plan.Horizon.THREE_YEAR:
        raise ActionError("只有三年行动计划可以滚动编制。")
    items = [
        ItemInput(
            name=item.name,
            indicator=item.indicator,
            measure=item.measure,
            targets={y: v for y, v in item.targets.items() if int(y) > plan.year},
        )
        for item in plan.items.all()
    ]
    with transaction.atomic():
        new = plan_save(unit=plan.unit, horizon=plan.horizon, year=plan.year + 1, items=items, by=by, goals=plan.goals)
        new.previous = plan
        new.save(update_fields=["previous"])
        PlanEvent.objects.create(
            plan=new, action=PlanEvent.Action.ROLL, actor=by, before={"version": f"{plan.year}—{plan.year + 2}年"},
            after={"version": f"{new.year}—{new.year + 2}年"},
        )  # fmt: skip
    return new


@dataclass
class ItemChange:
    name: str
    kind: str  # 新增, 删除, 调整, 未变
    before: dict
    after: dict


def plan_diff(old: Plan, new: Plan) -> list[ItemChange]:
    """What changed between two versions, item by item (matched by name)."""
    before = {item.name: item for item in old.items.all()}
    after = {item.name: item for item in new.items.all()}
    changes = []
    for name, item in after.items():
        if name not in before:
            changes.append(ItemChange(name, "新增", {}, item.targets))
            continue
        old_targets = {y: v for y, v in before[name].targets.items() if y in item.targets or int(y) >= new.year}
        kind = "未变" if old_targets == item.targets else "调整"
        changes.append(ItemChange(name, kind, before[name].targets, item.targets))
    changes += [ItemChange(name, "删除", item.targets, {}) for name, item in before.items() if name not in after]
    return changes


def plan_actuals_save(
    *, plan: Plan, month: int, values: dict[int, tuple[float | None, str]], by: User, token: str | None = None
) -> int:
    """A month's actuals for an annual plan's items (cumulative), all at once; a second save overwrites."""
    _require_writer(plan.unit, by)
    if plan.horizon != Plan.Horizon.ANNUAL:
        raise ActionError("完成情况按年度计划填报。")
    if not 1 <= month <= 12:
        raise ActionError("月份应为 1 至 12。")
    items = {item.pk: item for item in plan.items.all()}
    for item_id, (value, _) in values.items():
        if item_id not in items:
            raise ActionError("填报的事项不属于这个计划。")
        if value is not None and value < 0:
            raise ActionError(f"“{items[item_id].name}”:{month}月累计完成不能为负数。")
    now = timezone.now()
    with transaction.atomic():
        _claim_token(token, by)
        for item_id, (value, note) in values.items():
            PlanActual.objects.update_or_create(
                item_id=item_id, month=month,
                defaults={"value": value, "note": note[:300], "entered_by": by, "entered_at": now},
            )  # fmt: skip
        PlanEvent.objects.create(
            plan=plan, action=PlanEvent.Action.ACTUALS, actor=by, after={"month": f"{month}月", "values": len(values)}
        )
    return len(values)


# ---- Reading: 序时进度 and lights ---------------------------------------------------------------


def num(value: float | None, places: int = 2) -> str:
    """A figure as the office writes it: 8.77, 12, 0.5; cheaper than the template's floatformat on long pages."""
    if value is None:
        return ""
    text = f"{value:.{places}f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


@dataclass
class ItemProgress:
    item: PlanItem
    month: int  # the month the figures are as of
    expected: float | None
    actual: float | None
    note: str
    gap_points: float | None  # points of the annual target behind (positive) or ahead (negative)
    light: str  # red, yellow, green, none

    @property
    def light_label(self) -> str:
        return {"red": "红灯", "yellow": "黄灯", "green": "绿灯", "none": "—"}[self.light]

    @property
    def target_text(self) -> str:
        return f"{num(self.item.target)} {self.item.measure}".strip() if self.item.target is not None else "节点"

    @property
    def expected_text(self) -> str:
        if self.expected is None:
            return "—"
        return f"{num(self.expected)}({num(self.expected_percent, 1)}%)" if self.item.target else num(self.expected)

    @property
    def actual_text(self) -> str:
        if self.actual is None:
            return "未填报"
        return f"{num(self.actual)}({num(self.actual_percent, 1)}%)" if self.item.target else num(self.actual)

    @property
    def gap_text(self) -> str:
        return "—" if self.gap_points is None else num(self.gap_points, 1)

    @property
    def expected_percent(self) -> float | None:
        if self.expected is None or not self.item.target:
            return None
        return round(self.expected / self.item.target * 100, 1)

    @property
    def actual_percent(self) -> float | None:
        if self.actual is None or not self.item.target:
            return None
        return round(self.actual / self.item.target * 100, 1)


def as_of_month(plan: Plan, today: date) -> int:
    """The month whose end the figures compare at: last month's, since actuals are entered after a month ends."""
    if today.year > plan.year:
        return 12
    if today.year < plan.year:
        return 0
    return today.month - 1  # 0 in January: no month has ended, no light yet


def _item_light(item: PlanItem, month: int, entry_value, entry_note: str, red: float) -> ItemProgress:
    expected = item.profile[month - 1] if item.profile and month else None
    gap = None
    light = "none"
    if expected is not None and item.target:
        # The light from the exact gap, as plan_light_counts works it out in SQL; the page shows it rounded.
        exact = (expected - (entry_value or 0)) / item.target * 100
        light = "red" if exact > red else "yellow" if exact > 0 else "green"
        gap = round(exact, 1)
    return ItemProgress(item, month, expected, entry_value, entry_note, gap, light)


def annual_progress(plan: Plan, *, today: date | None = None, month: int | None = None) -> list[ItemProgress]:
    today = today or timezone.localdate()
    month = as_of_month(plan, today) if month is None else month
    items = list(plan.items.all())
    actuals: dict[int, PlanActual] = {}
    # By item ids, not a join on the plan: the (item, month) index answers it directly.
    actual_rows = PlanActual.objects.filter(item_id__in=[item.pk for item in items], month__lte=month)
    for actual in actual_rows.order_by("month"):
        actuals[actual.item_id] = actual  # the latest month's figure on or before `month`
    red = settings.LUOSHI_PLAN_RED_POINTS
    result = []
    for item in items:
        entry = actuals.get(item.pk)
        result.append(_item_light(item, month, entry.value if entry else None, entry.note if entry else "", red))
    return result


def current_annual(unit: Unit, year: int, *, user: User | None = None) -> Plan | None:
    plans = Plan.objects.filter(unit=unit, horizon=Plan.Horizon.ANNUAL, year=year)
    if user is not None:
        plans = plans.filter(pk__in=Plan.objects.visible_to(user).values("pk"))
    return plans.order_by("-version").first()


def latest_plans(unit: Unit) -> list[Plan]:
    """The latest version of each of the unit's plans, newest year first."""
    latest = Plan.objects.filter(unit=unit).values("horizon", "year").annotate(version=Max("version")).order_by("-year")
    keys = {(row["horizon"], row["year"], row["version"]) for row in latest}
    plans = Plan.objects.filter(unit=unit).order_by("horizon", "-year")
    return [plan for plan in plans if (plan.horizon, plan.year, plan.version) in keys]


# ---- Derived views: the quarter, the month, the week --------------------------------------------


@dataclass
class PeriodItem:
    item: PlanItem
    due: date
    target: float | None
    milestone: str

    @property
    def text(self) -> str:
        figure = f"累计达到 {num(self.target)} {self.item.measure}".rstrip() if self.target is not None else ""
        return " ".join(part for part in (figure, self.milestone) if part)


def period_items(plan: Plan, first: date, last: date) -> list[PeriodItem]:
    """Annual items whose month ends between `first` and `last`: what they must reach by then."""
    out = []
    items = list(plan.items.all())
    for month in range(1, 13):
        end = (date(plan.year, month, 28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)
        if not first <= end <= last:
            continue
        for item in items:
            target = item.profile[month - 1] if item.profile else None
            milestone = item.milestones[month - 1] if len(item.milestones) >= month else ""
            if target is not None or milestone:
                out.append(PeriodItem(item, end, target, milestone))
    return out


def week_of(today: date) -> tuple[date, date]:
    monday = today - timedelta(days=today.weekday())
    return monday, monday + timedelta(days=6)


@dataclass
class Week:
    first: date
    last: date
    items: list[PeriodItem]
    month_items: list[PeriodItem]
    tasks: list[Task]


def unit_week(unit: Unit, *, user: User, today: date | None = None) -> Week:
    """本周要干什么: the plan's items due this week (and this month's), and the unit's tasks due this week."""
    today = today or timezone.localdate()
    first, last = week_of(today)
    plan = current_annual(unit, today.year)
    month_end = (today.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)
    items = period_items(plan, first, last) if plan else []
    month_items = period_items(plan, today.replace(day=1), month_end) if plan else []
    tasks = list(
        Task.objects.visible_to(user)
        .filter(lead_unit=unit, deadline__range=(first, last))
        .exclude(status__in=[Task.Status.DONE, Task.Status.CANCELLED])
        .order_by("deadline", "id")
    )
    return Week(first, last, items, month_items, tasks)


def unit_for_user(user: User, unit_id: int) -> Unit:
    """The unit whose plans `user` may read, or 404: the office all, a leader those they 分管, a unit its own."""
    from django.http import Http404

    from luoshi.org.models import Leader

    unit = Unit.objects.filter(pk=unit_id).first()
    if unit is not None:
        if user.sees_everything:
            return unit
        if user.role == User.Role.LEADER and user.leader_id:
            if Leader.supervises.through.objects.filter(leader_id=user.leader_id, unit_id=unit.pk).exists():
                return unit
        elif user.role == User.Role.UNIT and user.unit_id == unit.pk:
            return unit
    raise Http404("单位不存在或无权查看。")


def _month_end(year: int, month: int) -> date:
    return (date(year, month, 28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)


def plan_items_to_tasks(*, plan: Plan, by: User, token: str | None = None) -> list[Task]:
    """Each annual item without a task becomes a 督办事项 for the unit, through `task_create_many`.

    The deadline is the year's end; the months still ahead become milestones (what the
    profile says each must reach, or its milestone text). The link is kept on the plans side.
    """
    from luoshi.work.services import TaskSpec, task_create_many

    from .models import PlanItemTask

    if not by.is_office:
        raise ActionError("只有督查室可以把计划事项转为督办事项。", status=403)
    if plan.horizon != Plan.Horizon.ANNUAL:
        raise ActionError("只有年度计划的事项可以转为督办事项。")
    today = timezone.localdate()
    linked = set(PlanItemTask.objects.filter(item__plan=plan).values_list("item_id", flat=True))
    items = [item for item in plan.items.all() if item.pk not in linked]
    if not items:
        raise ActionError("各计划事项都已转为督办事项,没有重复生成。", status=409)
    deadline = max(date(plan.year, 12, 31), today)
    specs = []
    for item in items:
        milestones = []
        for month in range(1, 13):
            end = _month_end(plan.year, month)
            if end < today:
                continue
            if item.profile:
                milestones.append((f"{month}月底累计达到 {item.profile[month - 1]:g}{item.measure}", end))
            elif len(item.milestones) >= month and item.milestones[month - 1]:
                milestones.append((f"{month}月:{item.milestones[month - 1]}"[:200], end))
        target = f",年度目标 {item.target:g}{item.measure}" if item.target is not None else ""
        specs.append(
            TaskSpec(
                title=item.name,
                lead=plan.unit,
                deadline=deadline,
                milestones=milestones,
                category="年度计划",
                source_title=plan.title,
                requirements=f"{item.indicator or item.name}{target}。",
            )
        )
    with transaction.atomic():
        tasks = task_create_many(specs=specs, by=by, token=token)
        PlanItemTask.objects.bulk_create(
            PlanItemTask(item=item, task=task) for item, task in zip(items, tasks, strict=True)
        )
    return tasks


@dataclass
class UnitProgress:
    """One unit's line in the section "年度目标序时进度" (for the cockpit and the meeting pack)."""

    unit: Unit
    plan: Plan
    items: list[ItemProgress]

    @property
    def counts(self) -> dict[str, int]:
        return {light: sum(1 for p in self.items if p.light == light) for light in ("red", "yellow", "green")}

    @property
    def behind(self) -> list[ItemProgress]:
        """The items behind 序时进度, furthest behind first."""
        return sorted((p for p in self.items if p.light in ("red", "yellow")), key=lambda p: -(p.gap_points or 0))


def progress_summary(
    units: Sequence[Unit] | None = None, *, year: int | None = None, today: date | None = None
) -> list[UnitProgress]:
    """年度目标序时进度 for several units at once (None: every unit with a plan), in three queries.

    Each unit's latest annual plan of the year, its items, and each item's latest actual on or
    before the month compared (a correlated subquery on the (item, month) index, so that a
    county's 30,000 items read one row each). Units with the most red items come first.
    """
    from django.db.models import OuterRef, Subquery

    today = today or timezone.localdate()
    year = year or today.year
    latest = _latest_annual(units, year)
    if not latest:
        return []
    month = as_of_month(next(iter(latest.values())), today)
    actual = PlanActual.objects.filter(item_id=OuterRef("pk"), month__lte=month).order_by("-month")
    items = (
        PlanItem.objects.filter(plan_id__in=[plan.pk for plan in latest.values()])
        # What a light and its line need: not the years' targets, the milestones or the indicator text.
        .only("id", "plan_id", "order", "name", "measure", "target", "profile")
        .annotate(actual_value=Subquery(actual.values("value")[:1]), actual_note=Subquery(actual.values("note")[:1]))
        .order_by("plan_id", "order", "id")
    )
    by_plan: dict[int, list[ItemProgress]] = {plan.pk: [] for plan in latest.values()}
    red = settings.LUOSHI_PLAN_RED_POINTS
    for item in items:
        by_plan[item.plan_id].append(_item_light(item, month, item.actual_value, item.actual_note or "", red))
    lines = [UnitProgress(unit=plan.unit, plan=plan, items=by_plan[plan.pk]) for plan in latest.values()]
    lines.sort(key=lambda line: (-line.counts["red"], -line.counts["yellow"], line.unit.kind, line.unit.order))
    return lines


def _latest_annual(units: Sequence[Unit] | None, year: int) -> dict[int, Plan]:
    """Each unit's latest annual plan of `year`, by unit id (None: every unit with one)."""
    plans = Plan.objects.filter(horizon=Plan.Horizon.ANNUAL, year=year).select_related("unit")
    if units is not None:
        plans = plans.filter(unit__in=[unit.pk for unit in units])
    latest: dict[int, Plan] = {}
    for plan in plans.order_by("version"):
        latest[plan.unit_id] = plan
    return latest


def plan_light_counts(plan_ids: Sequence[int], month: int) -> dict[int, dict[str, int]]:
    """{plan id: red, yellow, green and items} in two grouped queries, the lights worked out in SQL.

    The same rule as `_item_light`: the month's cumulative target from the profile (a JSON array
    element), less the latest actual on or before the month, over the annual target, in points.
    A county's 30,000 items cost the database one pass, not 30,000 Python objects.
    """
    from django.db.models import Count, F, FloatField, OuterRef, Q, Subquery
    from django.db.models.fields.json import KT
    from django.db.models.functions import Cast, Coalesce

    counts = {pk: {"red": 0, "yellow": 0, "green": 0, "items": 0} for pk in plan_ids}
    for row in PlanItem.objects.filter(plan_id__in=plan_ids).values("plan_id").annotate(n=Count("pk")).order_by():
        counts[row["plan_id"]]["items"] = row["n"]
    if not month:
        return counts
    red = settings.LUOSHI_PLAN_RED_POINTS
    actual = PlanActual.objects.filter(item_id=OuterRef("pk"), month__lte=month).order_by("-month").values("value")
    lit = (
        PlanItem.objects.filter(plan_id__in=plan_ids, target__isnull=False)
        .exclude(target=0)
        .annotate(expected=Cast(KT(f"profile__{month - 1}"), FloatField()))
        .filter(expected__isnull=False)
        .annotate(actual=Coalesce(Subquery(actual[:1], output_field=FloatField()), 0.0))
        .annotate(gap=(F("expected") - F("actual")) / F("target") * 100.0)
        .values("plan_id")
        .annotate(
            red=Count("pk", filter=Q(gap__gt=red)),
            yellow=Count("pk", filter=Q(gap__gt=0, gap__lte=red)),
            green=Count("pk", filter=Q(gap__lte=0)),
        )
        .order_by()
    )
    for row in lit:
        counts[row["plan_id"]].update(red=row["red"], yellow=row["yellow"], green=row["green"])
    return counts


def progress_section(units: Sequence[Unit] | None = None, *, today: date | None = None, limit: int = 10) -> dict:
    """The section "年度目标序时进度" as plain JSON: what the cockpit shows and the meeting pack freezes.

    The units furthest behind first (`limit` of them), each with its three items furthest behind;
    the totals count every item of every unit in scope (in SQL, plan_light_counts), and a note
    says how they add up. Only the units listed are read item by item.
    """
    today = today or timezone.localdate()
    latest = _latest_annual(units, today.year)
    month = as_of_month(Plan(year=today.year), today)
    counts = plan_light_counts([plan.pk for plan in latest.values()], month)
    order = sorted(
        latest.values(),
        key=lambda p: (-counts[p.pk]["red"], -counts[p.pk]["yellow"], p.unit.kind, p.unit.order, p.unit_id),
    )
    shown = order[:limit]
    lines = {line.plan.pk: line for line in progress_summary([plan.unit for plan in shown], today=today)}
    totals = {key: sum(c[key] for c in counts.values()) for key in ("red", "yellow", "green", "items")}
    totals["none"] = totals["items"] - totals["red"] - totals["yellow"] - totals["green"]
    red = settings.LUOSHI_PLAN_RED_POINTS
    as_of = f"截至{month}月底" if month else f"{today.year}年1月尚无已结束的月份"
    note = (
        f"{as_of},{len(latest)}个单位的年度计划共{totals['items']}项:红灯{totals['red']}项、黄灯{totals['yellow']}项、"
        f"绿灯{totals['green']}项、无灯{totals['none']}项(无月度目标或尚未到比较月份)。"
        f"红灯为落后序时进度超过{red}个百分点,黄灯为落后,绿灯为达到或超过。"
    )
    listed = [lines[plan.pk] for plan in shown if plan.pk in lines]
    return {
        "year": today.year,
        "month": month,
        "note": note,
        "totals": totals,
        "unit_count": len(latest),
        "units": [
            {
                "unit_id": line.unit.pk,
                "unit": line.unit.display_name,
                "plan_id": line.plan.pk,
                **counts[line.plan.pk],
                "behind": [
                    {
                        "name": p.item.name,
                        "expected": p.expected_text,
                        "actual": p.actual_text,
                        "gap": p.gap_text,
                        "light": p.light,
                    }
                    for p in line.behind[:3]
                ],
            }
            for line in listed
        ],
    }
