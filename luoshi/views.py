"""Project-level pages: the home page by role, and the health check."""

from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.db.models import Count, Q
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from luoshi.lib import workdays
from luoshi.org.models import Leader, LoginEvent, Unit, User
from luoshi.work.models import ClosureRequest, Decision, ExtensionRequest, Task


def home(request):
    user = request.user
    t = workdays.thresholds()
    visible = Task.objects.visible_to(user).leaves()
    context = {"task_counts": visible.filter(year=t.today.year).light_counts(t), "year": t.today.year}
    if user.is_office:
        context["pending_extensions"] = ExtensionRequest.objects.filter(status=Decision.PENDING).count()
        context["pending_closures"] = ClosureRequest.objects.filter(status=Decision.PENDING).count()
        context["carried_over"] = visible.filter(year__lt=t.today.year, status__in=Task.OPEN_STATUSES).count()
    if user.is_office:
        by_kind = dict(Unit.objects.active().values_list("kind").annotate(n=Count("id")).values_list("kind", "n"))
        context["kind_counts"] = [(label, by_kind.get(kind, 0)) for kind, label in Unit.Kind.choices]
        context["leaders"] = Leader.objects.filter(active=True).annotate(
            unit_count=Count("supervises", filter=Q(supervises__active=True))
        )
        context["user_count"] = User.objects.filter(is_active=True).count()
        context["missing_contacts"] = Unit.objects.active().missing_contacts().order_by("kind", "order")
        if user.role == User.Role.ADMIN or user.is_superuser:
            context["login_events"] = LoginEvent.objects.select_related("user")[:10]
    elif user.role == User.Role.LEADER and user.leader:
        context["leader"] = user.leader
        context["units"] = user.leader.supervises.active().order_by("kind", "order").prefetch_related("aliases")
    elif user.role == User.Role.UNIT and user.unit:
        context["unit"] = user.unit
        context["unit_leaders"] = user.unit.leaders.filter(active=True)
    return render(request, "home.html", context)


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
