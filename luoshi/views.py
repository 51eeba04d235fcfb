"""Project-level pages: the home page by role, and the health check."""

from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.db.models import Count, Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from luoshi.lib import workdays
from luoshi.org.models import Leader, LoginEvent, Unit, User
from luoshi.rankings.selectors import practices_for_unit, rank_alerts
from luoshi.work.models import ClosureRequest, Decision, ExtensionRequest, Task
from luoshi.work.selectors import (
    counts_of,
    leader_tasks,
    lights_trend,
    live_counts,
    month_figures,
    red_lines,
    units_lights,
    year_period,
)


def home(request):
    user = request.user
    t = workdays.thresholds()
    if user.role == User.Role.LEADER and user.leader_id:
        # A leader's home is the cockpit (领导驾驶舱).
        return cockpit(request)
    # 三员分立: the security officer's home is the accounts page, the auditor's the audit trail.
    if user.role == User.Role.SECURITY:
        return redirect("org:security")
    if user.role == User.Role.AUDITOR:
        return redirect("audit:index")
    visible = Task.objects.visible_to(user)
    context = {"task_counts": live_counts(visible, t, year_period(t.today)), "year": t.today.year}
    if user.is_office:
        context["pending_extensions"] = ExtensionRequest.objects.filter(status=Decision.PENDING).count()
        context["pending_closures"] = ClosureRequest.objects.filter(status=Decision.PENDING).count()
    if user.is_office:
        by_kind = dict(Unit.objects.active().values_list("kind").annotate(n=Count("id")).values_list("kind", "n"))
        context["kind_counts"] = [(label, by_kind.get(kind, 0)) for kind, label in Unit.Kind.choices]
        context["leaders"] = Leader.objects.filter(active=True).annotate(
            unit_count=Count("supervises", filter=Q(supervises__active=True))
        )
        context["user_count"] = User.objects.filter(is_active=True).count()
        context["missing_contacts"] = Unit.objects.active().missing_contacts().order_by("kind", "order")
        if user.role == User.Role.ADMIN:
            # What the system administrator sees of logins: the last ten, without the full log (the auditor's).
            context["login_events"] = LoginEvent.objects.select_related("user")[:10]
    elif user.role == User.Role.UNIT and user.unit:
        context["unit"] = user.unit
        context["unit_leaders"] = user.unit.leaders.filter(active=True)
        context["practices"] = practices_for_unit(user.unit, limit=5)
    return render(request, "home.html", context)


COCKPIT_UNITS = 30


def _cockpit_scope(request):
    """Whose cockpit: a leader's own; the office's whole county, or one leader's through the switch."""
    user = request.user
    if user.role == User.Role.LEADER and user.leader_id:
        return user.leader, Task.objects.visible_to(user)
    if not user.is_office:
        raise PermissionDenied("领导驾驶舱供县领导和督查室使用。")
    leader_id = request.GET.get("leader", "")
    if leader_id.isdigit():
        leader = get_object_or_404(Leader, pk=int(leader_id), active=True)
        return leader, leader_tasks(leader)
    return None, Task.objects.all()


def cockpit_data(request) -> dict:
    """Everything the cockpit shows, from the live set (work.selectors) and the daily snapshots."""
    from luoshi.reports.models import Brief, Circular, MeetingPack
    from luoshi.reports.views import next_meeting_day

    leader, tasks = _cockpit_scope(request)
    t = workdays.thresholds()
    period = year_period(t.today)
    whole = leader is None or leader.is_principal
    units = [] if whole else list(leader.supervises.active().order_by("kind", "order"))
    unit_ids = None if whole else [unit.pk for unit in units]
    briefs = Brief.objects.filter(status=Brief.Status.SUBMITTED).select_related("unit", "leader")
    if not whole:
        briefs = briefs.filter(Q(leader=leader) | Q(unit_id__in=unit_ids))
    briefs = list(briefs.order_by("submitted_at", "id")[:50])
    next_meeting = next_meeting_day(t.today)
    rows = units_lights(tasks, t, period, units=units)
    return {
        "leader": leader,
        "whole": whole,
        "t": t,
        "counts": counts_of(rows),
        # The whole county has hundreds of units: a phone shows the first, red first; the rest on 单位统计.
        "units": rows if not whole else rows[:COCKPIT_UNITS],
        "unit_count": len(rows),
        "red": red_lines(tasks, t, period),
        "briefs_mine": [b for b in briefs if leader and b.leader_id == leader.pk],
        "briefs_meeting": [b for b in briefs if not (leader and b.leader_id == leader.pk)],
        "next_meeting": next_meeting,
        "alerts": rank_alerts(t.today, leader=None if whole else leader),
        "trend": lights_trend(unit_ids, t.today),
        "months": month_figures(unit_ids, t.today),
        "packs": list(MeetingPack.objects.order_by("-meeting_date")[:5]),
        "circulars": list(Circular.objects.filter(status=Circular.Status.ISSUED).order_by("-start")[:5]),
    }


def cockpit_plans(request):
    """The cockpit's section 年度目标序时进度, loaded after the page (htmx): a county's 30,000 plan items
    take the database a pass of their own, which the leader's first screen should not wait for."""
    from luoshi.plans.cascade import progress_section

    leader, _ = _cockpit_scope(request)
    whole = leader is None or leader.is_principal
    units = None if whole else list(leader.supervises.active())
    progress = progress_section(units, today=workdays.thresholds().today)
    # htmx swaps the section into the cockpit; without script the link opens it as a page of its own.
    template = "plans/_progress.html" if request.headers.get("HX-Request") else "cockpit_plans.html"
    return render(request, template, {"progress": progress, "link": True, "leader": leader})


def cockpit(request):
    """领导驾驶舱: a leader's units by light, what is red, what waits for them, and the trends; phone first."""
    data = cockpit_data(request)
    if request.user.is_office:
        data["leaders"] = Leader.objects.filter(active=True).order_by("order", "id")
    return render(request, "cockpit.html", data)


@login_not_required
@never_cache
@require_GET
def healthz(request):
    """200 when the database answers, 503 when it does not: for load balancers and monitors."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # noqa: BLE001 — any database failure means "not healthy"
        return HttpResponse(f"database unavailable: {exc.__class__.__name__}\n", status=503, content_type="text/plain")
    return HttpResponse("ok\n", content_type="text/plain")
