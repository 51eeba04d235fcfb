"""Risks (风险): registered, reviewed on their cadence, their signs observed, and turned into problems."""

from __future__ import annotations

from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone

from luoshi.audit.services import audit_record
from luoshi.lib import workdays
from luoshi.lib.errors import ActionError
from luoshi.org.models import Leader, Unit, User

from .models import Problem, Risk, RiskObservation, RiskReview
from .services import ProblemInput, _require_office, problem_create


def _next_review(cadence: str, start: date) -> date:
    days = 30 if cadence == Risk.Cadence.MONTHLY else 91
    return workdays.calendar().on_or_after(start + timedelta(days=days))


def _check_scale(likelihood: int, impact: int) -> None:
    for label, value in (("可能性", likelihood), ("影响", impact)):
        if not 1 <= value <= 5:
            raise ActionError(f"{label}应为 1 至 5 的整数,现为 {value}。")


def risk_create(
    *, title: str, kind: str, field: str, likelihood: int, impact: int, owner_unit: Unit, by: User,
    leader: Leader | None = None, signs: str = "", cadence: str = Risk.Cadence.MONTHLY, problem: Problem | None = None,
) -> Risk:  # fmt: skip
    _require_office(by)
    if not title.strip():
        raise ActionError("请填写风险名称。")
    if kind not in Risk.Kind.values:
        raise ActionError("风险类型应为 灰犀牛 或 黑天鹅。")
    _check_scale(likelihood, impact)
    with transaction.atomic():
        risk = Risk.objects.create(
            title=title.strip(), kind=kind, field=field, likelihood=likelihood, impact=impact,
            score=likelihood * impact, signs=signs, owner_unit=owner_unit, leader=leader, cadence=cadence,
            next_review=_next_review(cadence, timezone.localdate()), created_by=by,
        )  # fmt: skip
        RiskReview.objects.create(risk=risk, day=timezone.localdate(), likelihood=likelihood, impact=impact,
                                  score=risk.score, note="登记时评估", by=by)  # fmt: skip
        audit_record(obj=risk, action="create", by=by, after={"风险值": risk.score},
                     note=f"由遗留问题“{problem.title}”识别" if problem else "")  # fmt: skip
        if problem is not None:
            audit_record(obj=problem, action="spawn_risk", by=by, after={"风险": risk.title})
    return risk


def risk_review(
    *, risk: Risk, likelihood: int, impact: int, note: str, by: User, day: date | None = None
) -> RiskReview:
    """A review: new likelihood and impact, the score kept for the trend, the next review scheduled.

    Reviews come due like reports: the owner unit makes them (and the office may), reminded by problems.reminders.
    """
    if not (by.is_office or (by.role == User.Role.UNIT and by.unit_id and by.unit_id == risk.owner_unit_id)):
        raise ActionError("只有督查室或责任单位可以评估该风险。", status=403)
    _check_scale(likelihood, impact)
    day = day or timezone.localdate()
    with transaction.atomic():
        risk = Risk.objects.select_for_update().get(pk=risk.pk)
        before = {"风险值": risk.score}
        review = RiskReview.objects.create(risk=risk, day=day, likelihood=likelihood, impact=impact,
                                           score=likelihood * impact, note=note.strip(), by=by)  # fmt: skip
        risk.likelihood, risk.impact, risk.score = likelihood, impact, review.score
        risk.next_review = _next_review(risk.cadence, day)
        risk.save(update_fields=["likelihood", "impact", "score", "next_review"])
        audit_record(obj=risk, action="review", by=by, before=before, after={"风险值": risk.score}, note=note)
    return review


def risk_observe(*, risk: Risk, day: date, text: str, by: User) -> RiskObservation:
    if not (by.is_office or (by.role == User.Role.UNIT and by.unit_id == risk.owner_unit_id)):
        raise ActionError("只有督查室或责任单位可以记录先兆。", status=403)
    if not text.strip():
        raise ActionError("先兆观察:请填写观察到的情况。")
    with transaction.atomic():
        observation = RiskObservation.objects.create(risk=risk, day=day, text=text.strip(), by=by)
        audit_record(obj=risk, action="observe", by=by, after={"日期": day, "先兆": observation.text})
    return observation


def risk_to_problem(*, risk: Risk, by: User, category: str = "其他") -> Problem:
    """The risk has become a problem: register it in the ledger, linked back to the risk."""
    problem = problem_create(
        data=ProblemInput(title=risk.title, lead_unit=risk.owner_unit, leader=risk.leader, category=category,
                          contradiction=risk.signs),
        by=by, risk=risk,
    )  # fmt: skip
    with transaction.atomic():
        audit_record(obj=risk, action="to_problem", by=by, after={"遗留问题": problem.title})
    return problem
