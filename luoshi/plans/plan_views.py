"""The plan cascade's pages: a unit's plans with 序时进度 lights, import and export, actuals, the week."""

from __future__ import annotations

from datetime import timedelta

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from luoshi.lib.errors import ActionError
from luoshi.ops.jobs import jobs_recent
from luoshi.org.models import User
from luoshi.work.forms import new_token

from . import cascade, exports, jobs
from .cascade import ItemInput
from .models import Plan
from .plan_import import PlanPreview, preview_plan, preview_three_year

_SESSION_KEY = "plans:import:"


def _get_plan_for_user(request, pk: int) -> Plan:
    return get_object_or_404(Plan.objects.visible_to(request.user).select_related("unit"), pk=pk)


def _can_write(user: User, unit) -> bool:
    return user.is_office or (user.role == User.Role.UNIT and user.unit_id == unit.pk)


def _year(request) -> int:
    try:
        return int(request.GET.get("year") or timezone.localdate().year)
    except ValueError:
        return timezone.localdate().year


def unit_plans(request, unit_id: int):
    unit = cascade.unit_for_user(request.user, unit_id)
    year = _year(request)
    annual = cascade.current_annual(unit, year)
    progress = cascade.annual_progress(annual) if annual else []
    three = [p for p in cascade.latest_plans(unit) if p.horizon == Plan.Horizon.THREE_YEAR]
    counts = {light: sum(1 for p in progress if p.light == light) for light in ("red", "yellow", "green")}
    quarter = None
    if annual:
        today = timezone.localdate()
        q = (today.month - 1) // 3
        first = today.replace(month=q * 3 + 1, day=1)
        last = (first.replace(month=q * 3 + 3, day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)
        quarter = {"label": f"{year}年第{q + 1}季度", "end": last, "items": cascade.period_items(annual, last, last)}
    return render(
        request,
        "plans/unit_plans.html",
        {
            "unit": unit, "year": year, "annual": annual, "progress": progress, "three": three, "counts": counts,
            "quarter": quarter, "can_write": _can_write(request.user, unit),
            "month": progress[0].month if progress else None,
            "is_office": request.user.is_office,
            "months": range(1, 13),
            "token": new_token(),
        },
    )  # fmt: skip


class PlanUploadForm(forms.Form):
    horizon = forms.ChoiceField(
        label="计划类型", choices=Plan.Horizon.choices, initial=Plan.Horizon.ANNUAL, required=False
    )
    year = forms.IntegerField(
        label="年度(三年行动计划填第一年)", min_value=2000, max_value=2100, error_messages={"required": "请填写年度。"}
    )
    file = forms.FileField(label="年度计划表(Excel)", error_messages={"required": "请选择要导入的 Excel 文件。"})


def plan_import(request, unit_id: int):
    unit = cascade.unit_for_user(request.user, unit_id)
    if not _can_write(request.user, unit):
        raise PermissionDenied("只有本单位或督查室可以导入本单位的计划。")
    if request.method == "POST" and request.POST.get("confirm"):
        token = request.POST.get("token", "")
        stored = request.session.get(_SESSION_KEY + token)
        if request.POST.get("job"):  # a large file's preview, computed on the worker and kept in its job
            job = jobs.finished_preview_job(request, request.POST["job"], function=jobs.plan_preview_job)
            result = job.result if job else {}
            stored = result if token and result.get("token") == token and result.get("unit_id") == unit.pk else None
        if not stored:
            messages.info(request, "这份计划已经导入,或预览已过期,请重新上传。")
            return redirect("plans:unit", unit_id=unit.pk)
        try:
            plan = cascade.plan_save(
                unit=unit, horizon=stored.get("horizon", Plan.Horizon.ANNUAL), year=stored["year"],
                items=[ItemInput(**item) for item in stored["items"]], by=request.user, token=token,
            )  # fmt: skip
        except ActionError as error:
            messages.error(request, error.message)
            return redirect("plans:unit", unit_id=unit.pk)
        request.session.pop(_SESSION_KEY + token, None)
        messages.success(request, f"已导入{plan.title}(第{plan.version}版),共 {plan.items.count()} 项。")
        return redirect(f"/plans/units/{unit.pk}/?year={plan.year}")
    form = PlanUploadForm(request.POST or None, request.FILES or None, initial={"year": timezone.localdate().year})
    preview = None
    token = ""
    job = None
    if request.method == "GET" and request.GET.get("job"):
        job = jobs.finished_preview_job(request, request.GET["job"], function=jobs.plan_preview_job)
        if job is None:  # still running, or failed: its own page says which
            return redirect("ops:job", pk=request.GET["job"])
        if job.result.get("unit_id") != unit.pk:
            raise Http404
        preview, token = jobs.plan_preview_of(job.result), job.result["token"]
    if request.method == "POST" and form.is_valid():
        upload, horizon, year = (
            form.cleaned_data["file"],
            form.cleaned_data["horizon"] or Plan.Horizon.ANNUAL,
            form.cleaned_data["year"],
        )
        data = upload.read()
        if jobs.runs_on_worker(len(data)):
            # A large file: refused here if hostile or too big, read on the worker (issue 20 §1).
            problem = jobs.refused_now(data, max_cells=jobs.PLAN_MAX_CELLS)
            if problem is None:
                return jobs.plan_preview_enqueue(
                    data=data, name=upload.name, unit=unit, user=request.user, horizon=horizon, year=year
                )
            preview = PlanPreview(problems=[problem])
        else:
            preview = preview_plan(data) if horizon == Plan.Horizon.ANNUAL else preview_three_year(data, year=year)
        if preview.ok:
            token = new_token()
            request.session[_SESSION_KEY + token] = {
                "year": year,
                "horizon": horizon,
                "items": [item.__dict__ for item in preview.items],
            }
    context = {"unit": unit, "form": form, "preview": preview, "token": token, "job": job, "shown": jobs.SHOWN,
               "hidden": jobs.preview_hidden(preview, preview.items if preview else []),
               "recent_jobs": jobs_recent(user=request.user, function=jobs.plan_preview_job, unit_id=unit.pk)}  # fmt: skip
    return render(request, "plans/plan_import.html", context)


def plan_export(request, pk: int):
    plan = _get_plan_for_user(request, pk)
    return exports.plan_xlsx(plan, cascade.annual_progress(plan) if plan.horizon == Plan.Horizon.ANNUAL else [])


def plan_actuals(request, pk: int, month: int):
    plan = _get_plan_for_user(request, pk)
    if plan.horizon != Plan.Horizon.ANNUAL or not 1 <= month <= 12:
        raise Http404("只有年度计划按月填报。")
    if not _can_write(request.user, plan.unit):
        raise PermissionDenied("只有本单位或督查室可以填报完成情况。")
    progress = cascade.annual_progress(plan, month=month)
    if request.method == "POST":
        values, errors = {}, []
        for row in progress:
            raw = request.POST.get(f"value-{row.item.pk}", "").strip().replace(",", "")
            note = request.POST.get(f"note-{row.item.pk}", "").strip()
            if not raw and not note:
                continue
            try:
                value = float(raw) if raw else None
            except ValueError:
                errors.append(f"“{row.item.name}”:累计完成“{raw}”不是数字。")
                continue
            values[row.item.pk] = (value, note)
        if errors:
            for error in errors:
                messages.error(request, error)
        elif not values:
            messages.error(request, "没有填写任何事项的完成情况。")
        else:
            try:
                count = cascade.plan_actuals_save(
                    plan=plan, month=month, values=values, by=request.user, token=request.POST.get("token")
                )
            except ActionError as error:
                messages.error(request, error.message)
            else:
                messages.success(request, f"已保存 {month} 月 {count} 项完成情况。")
                return redirect(f"/plans/units/{plan.unit_id}/?year={plan.year}")
    return render(
        request,
        "plans/plan_actuals.html",
        {"plan": plan, "month": month, "progress": progress, "token": new_token(), "months": range(1, 13)},
    )


def plan_diff(request, pk: int):
    plan = _get_plan_for_user(request, pk)
    previous = plan.previous
    if previous is None:
        raise Http404("这是第一版,没有可比较的上一版。")
    return render(
        request,
        "plans/plan_diff.html",
        {"plan": plan, "previous": previous, "changes": cascade.plan_diff(previous, plan)},
    )


@require_POST
def plan_roll(request, pk: int):
    plan = _get_plan_for_user(request, pk)
    try:
        new = cascade.plan_roll(plan=plan, by=request.user)
    except ActionError as error:
        messages.error(request, error.message)
        return redirect("plans:unit", unit_id=plan.unit_id)
    messages.success(request, f"已滚动编制{new.title},原版本保留。")
    return redirect("plans:plan_diff", pk=new.pk)


def unit_week(request, unit_id: int):
    unit = cascade.unit_for_user(request.user, unit_id)
    week = cascade.unit_week(unit, user=request.user)
    return render(request, "plans/week.html", {"unit": unit, "week": week})


def my_plans(request):
    """A unit's users go to their own unit's plans; others to the list of units."""
    if request.user.role == User.Role.UNIT and request.user.unit_id:
        return redirect("plans:unit", unit_id=request.user.unit_id)
    from luoshi.org.models import Unit

    units = Unit.objects.active().order_by("kind", "order", "id")
    if not request.user.sees_everything:
        units = units.filter(pk__in=Plan.objects.visible_to(request.user).values("unit_id"))
    return render(request, "plans/plan_units.html", {"units": units.only("pk", "name"), "base": reverse("plans:units")})


@require_POST
def plan_tasks(request, pk: int):
    plan = _get_plan_for_user(request, pk)
    try:
        tasks = cascade.plan_items_to_tasks(plan=plan, by=request.user, token=request.POST.get("token"))
    except ActionError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"已把 {len(tasks)} 个计划事项转为督办事项,各月目标作为时间节点。")
    return redirect(f"/plans/units/{plan.unit_id}/?year={plan.year}")
