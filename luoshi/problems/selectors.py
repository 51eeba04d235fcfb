"""Reads for pages, the API and the meeting pack."""

from __future__ import annotations

from datetime import date

from django.conf import settings

from luoshi.audit.models import AuditEntry

from .models import Problem, Risk, RiskReview


def overdue_escalations(today: date):
    """Problems whose current level's time ran out without a conclusion (待升级的遗留问题), oldest limit first.

    Pure of request and user: the meeting pack and the office's page call it with the pack's day.
    """
    return (
        Problem.objects.filter(level_due__lt=today, level_concluded=False, level__gte=1)
        .exclude(status__in=Problem.CLOSED)
        .select_related("lead_unit", "leader")
        .order_by("level_due", "id")
    )


def risk_trends(risk_ids) -> dict[int, list[int]]:
    """Each risk's scores across its reviews, oldest first."""
    trends: dict[int, list[int]] = {}
    for risk_id, score in (
        RiskReview.objects.filter(risk_id__in=list(risk_ids)).order_by("day", "id").values_list("risk_id", "score")
    ):
        trends.setdefault(risk_id, []).append(score)
    return trends


def heat_map(risks) -> list[list[int]]:
    """[likelihood, impact, count] cells of the open risks, for ECharts."""
    from django.db.models import Count

    rows = risks.exclude(status=Risk.Status.CLOSED).values("likelihood", "impact").annotate(n=Count("id"))
    return [[row["likelihood"], row["impact"], row["n"]] for row in rows]


def pack_risks(risks) -> list[tuple[Risk, list[int]]]:
    """Risks for the meeting pack: open ones at or above the pack's score, or rising at their last review.

    Returns (risk, trend) pairs, highest score first; `risks` is the reader's visible_to queryset.
    """
    from django.db.models import F, OuterRef, Q, Subquery

    reviews = RiskReview.objects.filter(risk=OuterRef("pk")).order_by("-day", "-id")
    previous = Subquery(reviews.values("score")[1:2])
    open_risks = risks.exclude(status=Risk.Status.CLOSED).annotate(previous_score=previous)
    chosen = list(
        open_risks.filter(Q(score__gte=settings.LUOSHI_RISK_PACK_SCORE) | Q(previous_score__lt=F("score")))
        .select_related("owner_unit")
        .order_by("-score", "id")[:50]
    )
    trends = risk_trends(risk.pk for risk in chosen)
    return [(risk, trends.get(risk.pk, [])) for risk in chosen]


def linked_documents(problem: Problem, user):
    """The problem's 依据 documents the reader may see (the office's internal files stay with the office)."""
    from luoshi.library.models import Document

    return (
        problem.document_links.filter(document__in=Document.objects.visible_to(user))
        .select_related("document", "document__replaced_by", "linked_by")
        .order_by("id")
    )


ACTION_LABELS = {
    "create": "登记", "history": "补记来龙去脉", "petition": "登记信访件", "escalate": "升级处理",
    "meeting": "层级会议", "decide": "三重一大集体决策", "correct_decision": "更正集体决策", "close": "关闭",
    "read_key_people": "查看关键人物", "denied_key_people": "越权查看关键人物(已拒绝)", "spawn_risk": "识别风险",
    "review": "风险评估", "observe": "先兆观察", "to_problem": "转为遗留问题", "read": "查阅", "denied_read": "越权查阅(已拒绝)", "edit": "修改",
    "overdue_flag": "本级超时提醒", "link_document": "链接依据文件", "unlink_document": "移除依据文件",
    "task_force_members": "调整专班成员", "task_force_schedule": "安排专班会议", "task_force_held": "专班会议",
    "task_force_move": "调整专班会议", "task_force_cancel": "取消专班会议",
}  # fmt: skip


def timeline(obj):
    return AuditEntry.objects.for_object(obj).select_related("actor").order_by("seq")
