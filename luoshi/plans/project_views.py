"""The pages of 倒排工期: the project list, a new project from a template, the project with its Gantt."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from luoshi.lib.errors import ActionError
from luoshi.work.forms import new_token

from . import exports, projects
from .models import Project
from .project_forms import ProjectFromTemplateForm


def _get_project_for_user(request, pk: int) -> Project:
    return get_object_or_404(Project.objects.visible_to(request.user).select_related("unit"), pk=pk)


def project_list(request):
    items = Project.objects.visible_to(request.user).select_related("unit")
    plans = [projects.project_plan(project) for project in items]
    return render(request, "plans/projects.html", {"plans": plans, "can_create": request.user.is_office})


def project_new(request):
    if not request.user.is_office:
        raise PermissionDenied("重点项目由督查室创建。")
    form = ProjectFromTemplateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            project, result = projects.project_from_template(
                template=data["template"], name=data["name"], unit=data["unit"], deadline=data["deadline"],
                start=data["start"], by=request.user, token=data["token"],
            )  # fmt: skip
        except ActionError as error:
            form.add_error(None, error.message)
        else:
            if not result.attainable:
                messages.error(request, "项目已创建,但完成时限已无法按期实现:" + result.warnings[0])
            else:
                messages.success(request, f"已创建项目“{project.name}”,并按完成时限倒排了工期。")
            return redirect("plans:project", pk=project.pk)
    return render(request, "plans/project_new.html", {"form": form})


def project_detail(request, pk: int):
    project = _get_project_for_user(request, pk)
    plan = projects.project_plan(project)
    return render(
        request,
        "plans/project.html",
        {
            "plan": plan,
            "project": project,
            "gantt": exports.gantt_data(plan),
            "can_act": request.user.is_office,
            "token": new_token(),
            "has_untasked": any(row.step.task_id is None for row in plan.rows),
            "events": project.events.select_related("actor"),
        },
    )


@require_POST
def project_front_load(request, pk: int):
    project = _get_project_for_user(request, pk)
    front = request.POST.get("front_load") == "1"
    try:
        projects.project_set_front_load(project=project, front_load=front, by=request.user)
    except ActionError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, "已改为前移排程(大头靠前)。" if front else "已改回倒排(最晚开始)。")
    return redirect("plans:project", pk=project.pk)


@require_POST
def project_tasks(request, pk: int):
    project = _get_project_for_user(request, pk)
    try:
        tasks = projects.project_make_tasks(project=project, by=request.user, token=request.POST.get("token"))
    except ActionError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"已为 {len(tasks)} 个步骤生成督办事项,交各责任单位办理。")
    return redirect("plans:project", pk=project.pk)


def project_xlsx(request, pk: int):
    project = _get_project_for_user(request, pk)
    return exports.project_xlsx(projects.project_plan(project))


def project_tjp(request, pk: int):
    project = _get_project_for_user(request, pk)
    response = HttpResponse(exports.project_tjp(project), content_type="text/plain; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="project-{project.pk}.tjp"'
    return response


def template_list(request):
    from .models import ChainTemplate

    if not request.user.is_office:
        raise PermissionDenied("工期模板由督查室维护。")
    return render(request, "plans/templates.html", {"templates": ChainTemplate.objects.prefetch_related("steps")})


def template_edit(request, pk: int):
    from .models import ChainTemplate

    if not request.user.is_office:
        raise PermissionDenied("工期模板由督查室维护。")
    template = get_object_or_404(ChainTemplate, pk=pk)
    steps = list(template.steps.select_related("unit").order_by("order"))
    links = list(template.links.select_related("pred", "succ").order_by("pred__order", "succ__order"))
    if request.method == "POST":
        try:
            durations = {step.pk: int(request.POST.get(f"duration-{step.pk}", step.duration)) for step in steps}
            lags = {link.pk: int(request.POST.get(f"lag-{link.pk}", link.lag)) for link in links}
        except ValueError:
            messages.error(request, "工期和间隔应填写整数(工作日)。")
        else:
            try:
                projects.template_update(template=template, durations=durations, lags=lags, by=request.user)
            except ActionError as error:
                messages.error(request, error.message)
            else:
                messages.success(request, f"已保存模板“{template.name}”。此后从该模板新建的项目使用新工期。")
                return redirect("plans:template", pk=template.pk)
    return render(request, "plans/template_edit.html", {"template": template, "steps": steps, "links": links})
