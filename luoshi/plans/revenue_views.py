"""Revenue against debt service: the county's monthly view, revenue plans, the 还本付息 import."""

from __future__ import annotations

from datetime import date

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from luoshi.lib.errors import ActionError
from luoshi.ops.jobs import jobs_recent
from luoshi.org.models import Unit
from luoshi.work.forms import new_token

from . import jobs, revenue
from .models import Project, RevenuePlan

_SESSION_KEY = "plans:debt:"


def _require_reader(request) -> None:
    if not request.user.sees_everything:
        raise PermissionDenied("收入与还本付息由督查室(政府办)查看和维护。")


class RevenuePlanForm(forms.Form):
    unit = forms.ModelChoiceField(label="单位", queryset=Unit.objects.active().order_by("kind", "order", "id"))
    kind = forms.ChoiceField(label="类别", choices=RevenuePlan.Kind.choices)
    target = forms.FloatField(label="年度目标(万元)", min_value=0.01, error_messages={"invalid": "请填写数字(万元)。"})
    projects = forms.ModelMultipleChoiceField(
        label="关联土地出让项目",
        queryset=Project.objects.all(),
        required=False,
        help_text="项目无法按期完成时,这部分收入标为有风险。",
    )


def revenue_page(request):
    _require_reader(request)
    try:
        year = int(request.GET.get("year") or timezone.localdate().year)
    except ValueError:
        year = timezone.localdate().year
    form = RevenuePlanForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            plan = revenue.revenue_plan_save(
                unit=data["unit"], year=year, kind=data["kind"], target=data["target"], projects=data["projects"],
                by=request.user,
            )  # fmt: skip
        except ActionError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, f"已保存{plan}收入计划,逐月目标按大头靠前分配。")
            return redirect(f"/plans/revenue/?year={year}")
    view = revenue.revenue_year(year)
    # The form's unit list is long (600 units): drawn only when asked for, or when it comes back with an error.
    show_form = request.method == "POST" or request.GET.get("edit") == "1"
    context = {"view": view, "year": year, "form": form, "months": range(1, 13), "show_form": show_form}
    return render(request, "plans/revenue.html", context)


@require_POST
def revenue_actual(request, pk: int):
    _require_reader(request)
    plan = get_object_or_404(RevenuePlan, pk=pk)
    try:
        month = int(request.POST.get("month", ""))
        amount = float(request.POST.get("amount", "").replace(",", ""))
    except ValueError:
        messages.error(request, f"{plan}:请选择月份,并填写入库金额(万元,数字)。")
    else:
        try:
            revenue.revenue_actual_save(plan=plan, month=month, amount=amount, by=request.user)
        except ActionError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, f"已登记{plan} {month}月入库 {amount:g} 万元。")
    return redirect(f"/plans/revenue/?year={plan.year}")


class DebtUploadForm(forms.Form):
    file = forms.FileField(label="还本付息计划表(Excel)", error_messages={"required": "请选择要导入的 Excel 文件。"})


def debt_import(request):
    _require_reader(request)
    if request.method == "POST" and request.POST.get("confirm"):
        token = request.POST.get("token", "")
        stored = request.session.get(_SESSION_KEY + token)
        if request.POST.get("job"):  # a large file's preview, computed on the worker and kept in its job
            job = jobs.finished_preview_job(request, request.POST["job"], function=jobs.debt_preview_job)
            result = job.result if job else {}
            stored = result["rows"] if token and result.get("token") == token else None
        if not stored:
            messages.info(request, "这份还款计划已经导入,或预览已过期,请重新上传。")
            return redirect("plans:revenue")
        rows = [revenue.DebtRow(**{**row, "due": date.fromisoformat(row["due"])}) for row in stored]
        try:
            count = revenue.debt_import(rows=rows, by=request.user, token=token)
        except ActionError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, f"已导入 {count} 笔还本付息。")
        request.session.pop(_SESSION_KEY + token, None)
        return redirect("plans:revenue")
    form = DebtUploadForm(request.POST or None, request.FILES or None)
    preview = None
    token = ""
    job = None
    if request.method == "GET" and request.GET.get("job"):
        job = jobs.finished_preview_job(request, request.GET["job"], function=jobs.debt_preview_job)
        if job is None:  # still running, or failed: its own page says which
            return redirect("ops:job", pk=request.GET["job"])
        preview, token = jobs.debt_preview_of(job.result), job.result["token"]
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        data = upload.read()
        if jobs.runs_on_worker(len(data)):
            # A large file: refused here if hostile or too big, read on the worker (issue 20 §1).
            problem = jobs.refused_now(data, max_cells=jobs.DEBT_MAX_CELLS)
            if problem is None:
                return jobs.debt_preview_enqueue(data=data, name=upload.name, user=request.user)
            preview = revenue.DebtPreview(problems=[problem])
        else:
            preview = revenue.preview_debt(data)
        if preview.ok:
            token = new_token()
            request.session[_SESSION_KEY + token] = [
                {**row.__dict__, "due": row.due.isoformat()} for row in preview.rows
            ]
    context = {"form": form, "preview": preview, "token": token, "job": job, "shown": jobs.SHOWN,
               "hidden": jobs.preview_hidden(preview, preview.rows if preview else []),
               "recent_jobs": jobs_recent(user=request.user, function=jobs.debt_preview_job)}  # fmt: skip
    return render(request, "plans/debt_import.html", context)
