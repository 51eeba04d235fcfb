"""Revenue against debt service: revenue plans per unit, the 还本付息 calendar, the monthly gap and warnings.

- a revenue plan splits a unit's annual target into months (front-loaded by default);
- the debt calendar is imported from the loan schedule's Excel, previewed with errors by
  cell, all or nothing;
- the monthly view sums what is expected, collected and due, with the gap; a payment due
  within 30, 15 or 7 days (settings) that the month's collected revenue does not cover
  is a warning;
- 土地出让 linked to land-sale projects: a project that cannot finish by its deadline puts
  that revenue at risk.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from luoshi.lib.errors import ActionError
from luoshi.lib.sheets import SheetError, cell_text, column_letter, read_workbook
from luoshi.org.models import Unit, User
from luoshi.work.steps import _claim_token

from .cascade import FRONT_LOADED
from .models import DebtPayment, Project, RevenueActual, RevenuePlan
from .plan_import import CellProblem, _number


def _require_office(by: User) -> None:
    if not by.is_office:
        raise ActionError("收入计划与还本付息由督查室(政府办)维护。", status=403)


def front_loaded_months(target: float) -> list[float]:
    """The annual target as twelve monthly amounts, more early in the year (大头靠前)."""
    cumulative = [round(target * share, 2) for share in FRONT_LOADED]
    cumulative[-1] = target
    return [round(cumulative[0], 2)] + [round(b - a, 2) for a, b in itertools.pairwise(cumulative)]


def revenue_plan_save(
    *,
    unit: Unit,
    year: int,
    kind: str,
    target: float,
    by: User,
    monthly: Sequence[float] | None = None,
    projects: Sequence[Project] = (),
) -> RevenuePlan:
    """A unit's revenue plan for the year (replacing its earlier one of that kind)."""
    _require_office(by)
    if target <= 0:
        raise ActionError(f"{unit.name}:年度目标应大于 0 万元。")
    monthly = list(monthly) if monthly is not None else front_loaded_months(target)
    if len(monthly) != 12 or any(m < 0 for m in monthly):
        raise ActionError(f"{unit.name}:逐月目标应为 12 个不小于 0 的数。")
    if abs(sum(monthly) - target) > 0.01:
        raise ActionError(f"{unit.name}:逐月目标合计 {sum(monthly):g} 万元,与年度目标 {target:g} 万元不一致。")
    with transaction.atomic():
        plan, _ = RevenuePlan.objects.update_or_create(
            unit=unit, year=year, kind=kind, defaults={"target": target, "monthly": monthly, "created_by": by}
        )
        plan.projects.set(projects)
    return plan


def revenue_actual_save(*, plan: RevenuePlan, month: int, amount: float, by: User) -> RevenueActual:
    if not (by.is_office or (by.role == User.Role.UNIT and by.unit_id == plan.unit_id)):
        raise ActionError("只有本单位或督查室可以填报收入完成情况。", status=403)
    if not 1 <= month <= 12:
        raise ActionError("月份应为 1 至 12。")
    if amount < 0:
        raise ActionError(f"{month}月入库金额不能为负数。")
    actual, _ = RevenueActual.objects.update_or_create(
        plan=plan, month=month, defaults={"amount": amount, "entered_by": by, "entered_at": timezone.now()}
    )
    return actual


# ---- The debt calendar from Excel ---------------------------------------------------------------

_DEBT_HEADERS = {
    "loan": ("贷款名称", "债务名称", "贷款", "项目", "债务"),
    "creditor": ("债权人", "贷款银行", "银行", "债权单位"),
    "due": ("到期日", "还款日", "还款日期", "到期日期"),
    "principal": ("本金", "应还本金", "本金(万元)"),
    "interest": ("利息", "应付利息", "利息(万元)"),
}


@dataclass
class DebtRow:
    loan: str
    creditor: str
    due: date
    principal: float
    interest: float


@dataclass
class DebtPreview:
    rows: list[DebtRow] = field(default_factory=list)
    problems: list[CellProblem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return bool(self.rows) and not self.problems


def _date(value) -> date:
    if isinstance(value, date):
        return value if not hasattr(value, "date") else value.date()
    text = cell_text(value).replace("/", "-").replace(".", "-").replace("年", "-").replace("月", "-").rstrip("日")
    return date.fromisoformat("-".join(part.zfill(2) for part in text.split("-")))


def preview_debt(data: bytes) -> DebtPreview:
    preview = DebtPreview()
    try:
        sheets = read_workbook(data, max_cells=500_000)
    except SheetError as exc:
        preview.problems.append(CellProblem(0, "", str(exc)))
        return preview
    for sheet in sheets:
        for index, row in enumerate(sheet.rows[:20]):
            texts = [cell_text(v) for v in row]
            columns = {}
            for key, names in _DEBT_HEADERS.items():
                for col, text in enumerate(texts):
                    if text in names:
                        columns[key] = col
                        break
            if {"loan", "due", "principal"} <= columns.keys():
                return _read_debt(sheet.rows, index, columns, preview)
    preview.problems.append(CellProblem(0, "", "找不到表头:需要“贷款名称”“债权人”“到期日”“本金”“利息”各列。"))
    return preview


def _read_debt(rows, header: int, columns: dict[str, int], preview: DebtPreview) -> DebtPreview:
    for index in range(header + 1, len(rows)):
        row = rows[index]

        def at(key, row=row):
            col = columns.get(key)
            return row[col] if col is not None and col < len(row) else None

        loan = cell_text(at("loan"))
        if not loan:
            continue
        line = index + 1
        problems = []
        try:
            due = _date(at("due"))
        except (ValueError, TypeError):
            problems.append(
                CellProblem(
                    line, column_letter(columns["due"]), f"到期日“{cell_text(at('due'))}”不是日期,应写成 2026-06-30。"
                )
            )
        amounts = {}
        for key, label in (("principal", "本金"), ("interest", "利息")):
            try:
                amounts[key] = _number(at(key)) or 0.0
            except ValueError:
                problems.append(
                    CellProblem(line, column_letter(columns[key]), f"{label}“{cell_text(at(key))}”不是数字(万元)。")
                )
                continue
            if amounts[key] < 0:
                problems.append(CellProblem(line, column_letter(columns[key]), f"{label}不能为负数。"))
        if problems:
            preview.problems += problems
            continue
        preview.rows.append(
            DebtRow(loan[:200], cell_text(at("creditor"))[:200], due, amounts["principal"], amounts["interest"])
        )
    if not preview.rows and not preview.problems:
        preview.problems.append(CellProblem(header + 2, "", "表头下没有任何还款记录。"))
    return preview


def debt_import(*, rows: Sequence[DebtRow], by: User, token: str | None = None) -> int:
    """The previewed payments, all or nothing; the same preview twice imports once."""
    _require_office(by)
    if not rows:
        raise ActionError("没有可导入的还款记录。")
    with transaction.atomic():
        _claim_token(token, by)
        DebtPayment.objects.bulk_create(
            DebtPayment(
                loan=r.loan, creditor=r.creditor, due=r.due, principal=r.principal, interest=r.interest, imported_by=by
            )
            for r in rows
        )
    return len(rows)


# ---- The monthly view -------------------------------------------------------------------------


@dataclass
class Month:
    month: int
    expected: float
    collected: float | None
    due: float
    payments: list[DebtPayment]

    @property
    def gap(self) -> float:
        """What the month collects (or, not yet known, expects) less what it owes; negative is a shortfall."""
        base = self.collected if self.collected is not None else self.expected
        return round(base - self.due, 2)


@dataclass
class Warning:
    payment: DebtPayment
    days: int
    threshold: int
    collected: float
    due_in_month: float

    def __str__(self) -> str:
        return (
            f"{self.payment.due:%-m月%-d日}(还有 {self.days} 天)须偿还{self.payment.creditor}“{self.payment.loan}”"
            f" {self.payment.amount:g} 万元;本月已入库 {self.collected:g} 万元,当月应还合计 {self.due_in_month:g} 万元,"
            f"缺口 {self.due_in_month - self.collected:g} 万元。"
        )


@dataclass
class RevenueYear:
    year: int
    months: list[Month]
    plans: list[RevenuePlan]
    warnings: list[Warning]
    at_risk: list[tuple[RevenuePlan, Project, date]]


def revenue_year(year: int, *, today: date | None = None) -> RevenueYear:
    """Expected, collected and due for each month of `year`, with the warnings as of `today`."""
    from .projects import project_plan

    today = today or timezone.localdate()
    plans = list(RevenuePlan.objects.filter(year=year).select_related("unit").prefetch_related("projects"))
    collected: dict[int, float] = {}
    for month, amount in RevenueActual.objects.filter(plan__year=year).values_list("month", "amount"):
        collected[month] = collected.get(month, 0.0) + amount
    payments = list(DebtPayment.objects.filter(due__year=year))
    months = []
    for m in range(1, 13):
        owed = [p for p in payments if p.due.month == m]
        months.append(
            Month(
                month=m,
                expected=round(sum(plan.monthly[m - 1] for plan in plans if len(plan.monthly) == 12), 2),
                collected=round(collected[m], 2) if m in collected else None,
                due=round(sum(p.amount for p in owed), 2),
                payments=owed,
            )
        )
    warnings = []
    thresholds = sorted(settings.LUOSHI_DEBT_WARNING_DAYS)
    for payment in sorted(payments, key=lambda p: p.due):
        days = (payment.due - today).days
        if days < 0 or days > max(thresholds, default=0):
            continue
        month = months[payment.due.month - 1]
        got = month.collected or 0.0
        if got >= month.due:
            continue
        threshold = next(t for t in thresholds if days <= t)
        warnings.append(Warning(payment, days, threshold, got, month.due))
    at_risk = []
    for plan in plans:
        if plan.kind != RevenuePlan.Kind.LAND:
            continue
        for project in plan.projects.all():
            scheduled = project_plan(project, today=today)
            if not scheduled.schedule.attainable:
                at_risk.append((plan, project, scheduled.earliest_finish))
    return RevenueYear(year, months, plans, warnings, at_risk)


def debt_warnings(today: date | None = None) -> list[dict]:
    """还本付息预警 as of `today`, as plain JSON (the meeting pack freezes it; notify delivers it).

    Every payment due within the largest warning days (30/15/7 by default, LUOSHI_DEBT_WARNING_DAYS)
    that its month's collected revenue does not cover, the soonest first; a window that crosses the
    new year reads the next year's calendar too.
    """
    today = today or timezone.localdate()
    horizon = today + timedelta(days=max(settings.LUOSHI_DEBT_WARNING_DAYS, default=0))
    warnings: list[Warning] = []
    for year in range(today.year, horizon.year + 1):
        if DebtPayment.objects.filter(due__year=year, due__gte=today, due__lte=horizon).exists():
            warnings += revenue_year(year, today=today).warnings
    return [
        {
            "payment_id": w.payment.pk,
            "due": f"{w.payment.due:%Y-%m-%d}",
            "days": w.days,
            "threshold": w.threshold,
            "loan": w.payment.loan,
            "creditor": w.payment.creditor,
            "amount": w.payment.amount,
            "collected": w.collected,
            "due_in_month": w.due_in_month,
            "gap": round(w.due_in_month - w.collected, 2),
            "text": str(w),
        }
        for w in sorted(warnings, key=lambda w: (w.payment.due, w.payment.pk))
    ]


def debt_warnings_raise(*, day: date) -> int:
    """Raise each warning of `day` to the office through notify, once per payment and threshold.

    The event key (payment, threshold) makes a second run of the day, or the next day's run
    while the same threshold still applies, raise nothing; crossing 15 and then 7 days raises again.
    Returns the number of events raised.
    """
    from django.urls import reverse

    from luoshi.notify.models import Event, Kind
    from luoshi.notify.services import EventSpec, events_raise, office_ids

    warnings = debt_warnings(day)
    keys = {f"debt:{w['payment_id']}:{w['threshold']}": w for w in warnings}
    taken = set(Event.objects.filter(key__in=list(keys)).values_list("key", flat=True))
    users = office_ids()
    specs = [
        EventSpec(
            kind=Kind.DEBT,
            title=f"还本付息预警:{w['due']} {w['loan']} 还有 {w['days']} 天到期,当月缺口 {w['gap']:g} 万元",
            body=w["text"],
            url=reverse("plans:revenue"),
            users=users,
            urgent=w["threshold"] <= min(settings.LUOSHI_DEBT_WARNING_DAYS, default=0),
            key=key,
        )
        for key, w in keys.items()
        if key not in taken
    ]
    with transaction.atomic():
        return len(events_raise(specs))
