"""督办 pages. Each view finds its object through `visible_to`, calls one service and renders."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, F, Prefetch
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from luoshi.lib import workdays
from luoshi.lib.errors import ActionError, AlreadySubmitted
from luoshi.lib.http import check_year, safe_next
from luoshi.notify.services import messages_read_for_task
from luoshi.org.models import Unit, User

from . import office as work_office
from . import services
from .attachments import ACCEPT, attachments_from_request
from .forms import (
    ClosureForm,
    DecisionForm,
    ExtensionForm,
    InstructionForm,
    ReasonForm,
    ReportForm,
    SplitForm,
    TaskFilterForm,
    TaskForm,
    UrgeForm,
    new_token,
)
from .models import Assignment, Attachment, ClosureRequest, Decision, ExtensionRequest, Light, Task
from .selectors import SORT_COLUMNS, live_counts, task_list_rows, unit_inbox, unit_stats, week_end_of, week_tasks


def _require_office(request) -> None:
    if not request.user.is_office:
        raise PermissionDenied("此功能仅限督查室。")


def _get_task_for_user(request, pk: int) -> Task:
    """The task, if the user may see it; another unit's task is a 404, as if it did not exist."""
    return get_object_or_404(Task.objects.visible_to(request.user).select_related("lead_unit", "leader"), pk=pk)


def _require_actor(request, task: Task, *, lead_only: bool = False) -> None:
    """Only the task's units (or the office, for them) report and ask; leaders write 批示 instead."""
    user = request.user
    if user.is_office:
        return
    if user.role != User.Role.UNIT:
        raise PermissionDenied("县领导不直接办理事项,可以在事项页面作出批示。")
    roles = [Assignment.Role.LEAD] if lead_only else [Assignment.Role.LEAD, Assignment.Role.SUPPORT]
    if not task.assignments.filter(unit_id=user.unit_id, role__in=roles).exists():
        raise PermissionDenied("只有牵头单位可以提出此申请,配合单位请向牵头单位反馈。")


def _back(task: Task):
    return redirect("work:task", pk=task.pk)


def _submit(request, form, action, *, done: str, back):
    """Run a form's service call: a redirect when it is done (or was already), None to show the form again.

    A refusal goes on the form, in Chinese; a second submit of the same form says so and does nothing.
    `done` and `back` may be callables of the action's result.
    """
    try:
        result = action()
    except AlreadySubmitted as error:
        messages.warning(request, error.message)
        return redirect(back(None) if callable(back) else back)
    except ActionError as error:
        form.add_error(None, error.message)
        return None
    messages.success(request, done(result) if callable(done) else done)
    return redirect(back(result) if callable(back) else back)


def _refused(request, error: ActionError) -> None:
    if isinstance(error, AlreadySubmitted):
        messages.warning(request, error.message)
    else:
        messages.error(request, error.message)


# --- Lists ------------------------------------------------------------------


def task_list(request, archive: bool = False):
    t = workdays.thresholds()
    form = TaskFilterForm(request.GET or None, archive=archive)
    task_filter = form.to_filter()
    base = task_filter.apply(Task.objects.visible_to(request.user), t)
    counts = live_counts(base, t)
    filtered = task_filter.ordered(task_filter.with_light(base, t), t)
    paginator = Paginator(task_list_rows(filtered, t), settings.LUOSHI_PAGE_SIZE)
    # The light counts already hold the total: no second COUNT(*).
    paginator.count = counts[task_filter.light] if task_filter.light in Light.values else counts["total"]
    page = paginator.get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    light_query = query.copy()
    light_query.pop("light", None)
    sort_query = query.copy()
    sort_query.pop("sort", None)
    headers = []
    for label, key in SORT_COLUMNS:
        reverse_key = key[1:] if key.startswith("-") else f"-{key}"
        current = task_filter.sort in (key, reverse_key)
        next_key = reverse_key if task_filter.sort == key else key
        direction = ("descending" if task_filter.sort.startswith("-") else "ascending") if current else ""
        headers.append({"label": label, "sort": next_key, "current": current, "direction": direction})
    return render(
        request,
        "work/task_list.html",
        {
            "form": form,
            "page": page,
            "counts": counts,
            "archive": archive,
            "query": query.urlencode(),
            "light_query": light_query.urlencode(),
            "sort_query": sort_query.urlencode(),
            "headers": headers,
            "light": task_filter.light,
            "is_office": request.user.is_office,
            "urge_form": UrgeForm(),
            "today": t.today,
        },
    )


def task_archive(request):
    return task_list(request, archive=True)


# --- One task ---------------------------------------------------------------


def task_detail(request, pk: int):
    task = _get_task_for_user(request, pk)
    messages_read_for_task(by=request.user, task_id=task.pk)
    t = workdays.thresholds()
    user = request.user
    assignments = list(task.assignments.select_related("unit", "signed_by"))
    mine = next((a for a in assignments if user.role == User.Role.UNIT and a.unit_id == user.unit_id), None)
    reports = list(
        task.reports.select_related("unit", "created_by", "ledger_source__ledger").prefetch_related("attachments")
    )
    # The ledger (台账) whose import last changed the task's progress, marked at the top of the page.
    from_ledger = max(
        (r for r in reports if r.imported and hasattr(r, "ledger_source")),
        key=lambda r: (r.created_at, r.pk),
        default=None,
    )
    context = {
        "from_ledger": from_ledger,
        "task": task,
        "light": task.light_for(t),
        "lit": task.status in Task.LIT_STATUSES,
        "can_request": task.status in (Task.Status.ASSIGNED, Task.Status.IN_PROGRESS, Task.Status.RETURNED),
        "assignments": assignments,
        "mine": mine,
        "is_office": user.is_office,
        "is_leader": user.role == User.Role.LEADER,
        "lead_reports": [r for r in reports if r.is_lead],
        "support_reports": [r for r in reports if not r.is_lead],
        "milestones": task.milestones.all(),
        "children": task.children.visible_to(user)
        .with_light(t)
        .select_related("lead_unit")
        .order_by("lead_unit__order"),
        "extensions": task.extensions.select_related("requested_by", "decided_by"),
        "closures": task.closures.select_related("requested_by", "decided_by").prefetch_related("attachments"),
        "instructions": task.instructions.select_related("leader"),
        "timeline": task.timeline.select_related("actor", "unit"),
        "urges": task.urges.select_related("created_by")[:20],
        "decision_form": DecisionForm(),
        "reason_form": ReasonForm(),
        "urge_form": UrgeForm(),
        "instruction_form": InstructionForm(),
        "today": t.today,
    }
    return render(request, "work/task_detail.html", context)


def task_create(request):
    _require_office(request)
    form = TaskForm(request.POST or None)
    if request.method == "POST" and form.is_valid():

        def done(task):
            count = task.children.count()
            return f"已登记并交办:{task.title}" + (f"(分解为 {count} 个单位各一项)" if count else "")

        response = _submit(
            request, form,
            lambda: services.task_create(spec=form.spec(), by=request.user, token=form.cleaned_data["token"]),
            done=done, back=lambda task: task.get_absolute_url() if task else reverse("work:list"),
        )  # fmt: skip
        if response:
            return response
    return render(request, "work/task_form.html", {"form": form})


def task_split(request, pk: int):
    task = _get_task_for_user(request, pk)
    _require_office(request)
    form = SplitForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        parts = [
            services.TaskSpec(
                title=title, lead=unit, deadline=due, leader=task.leader, category=task.category,
                source_kind=task.source_kind, source_title=task.source_title, source_date=task.source_date,
                cadence=task.cadence, cadence_day=task.cadence_day, priority=task.priority, backfill=task.backfill,
            )
            for title, unit, due in form.cleaned_data["parts"]
        ]  # fmt: skip
        try:
            children = services.task_split(task=task, parts=parts, by=request.user, token=form.cleaned_data["token"])
        except ActionError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, f"已分解为 {len(children)} 个子事项。")
            return _back(task)
    return render(request, "work/task_split.html", {"task": task, "form": form})


@require_POST
def task_sign(request, pk: int):
    task = _get_task_for_user(request, pk)
    try:
        services.task_sign(task=task, by=request.user)
    except ActionError as error:
        _refused(request, error)
    else:
        messages.success(request, "已签收。")
    return redirect(safe_next(request, reverse("work:task", args=[task.pk])))


def task_report(request, pk: int):
    task = _get_task_for_user(request, pk)
    _require_actor(request, task)
    user = request.user
    unit = user.unit if user.role == User.Role.UNIT else task.lead_unit
    if unit is None:
        raise Http404
    last = services.report_prefill(task, unit)
    initial = {"done_text": last.done_text, "problems": last.problems, "next_steps": last.next_steps,
               "percent": last.percent} if last else {}  # fmt: skip
    form = ReportForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        response = _submit(
            request, form,
            lambda: services.task_report(
                task=task, by=user, unit=unit, token=data["token"],
                report=services.ReportInput(
                    done_text=data["done_text"], problems=data["problems"], next_steps=data["next_steps"],
                    percent=data["percent"], files=attachments_from_request(request.FILES.getlist("files")),
                ),
            ),
            done="进展已反馈" + ("(代报)" if user.role != User.Role.UNIT else "") + "。",
            back=task.get_absolute_url(),
        )  # fmt: skip
        if response:
            return response
    return render(
        request,
        "work/report_form.html",
        {"task": task, "form": form, "unit": unit, "last": last, "accept": ACCEPT,
         "on_behalf": user.role != User.Role.UNIT},
    )  # fmt: skip


def task_extension(request, pk: int):
    task = _get_task_for_user(request, pk)
    _require_actor(request, task, lead_only=True)
    form = ExtensionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        response = _submit(
            request, form,
            lambda: services.task_extension_ask(
                task=task, by=request.user, reason=data["reason"], new_deadline=data["new_deadline"],
                token=data["token"],
            ),
            done="延期申请已提交,等待督查室审核。", back=task.get_absolute_url(),
        )  # fmt: skip
        if response:
            return response
    return render(request, "work/request_form.html", {"task": task, "form": form, "kind": "extension"})


def task_closure(request, pk: int):
    task = _get_task_for_user(request, pk)
    _require_actor(request, task, lead_only=True)
    form = ClosureForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        response = _submit(
            request, form,
            lambda: services.task_closure_ask(
                task=task, by=request.user, summary=data["summary"], token=data["token"],
                files=attachments_from_request(request.FILES.getlist("files")),
            ),
            done="办结申请已提交,等待督查室审核。", back=task.get_absolute_url(),
        )  # fmt: skip
        if response:
            return response
    return render(request, "work/request_form.html", {"task": task, "form": form, "kind": "closure", "accept": ACCEPT})


def _decide(request, pk: int, model, service, approved_text, rejected_text):
    visible = Task.objects.visible_to(request.user)
    decision = get_object_or_404(model.objects.filter(task__in=visible).select_related("task"), pk=pk)
    _require_office(request)
    form = DecisionForm(request.POST)
    if not form.is_valid():
        if "deadline" in form.errors:
            messages.error(request, "批准延至的日期无法识别,请写成 2026-06-30。")
        else:
            messages.error(request, "请选择同意或不同意。")
        return _back(decision.task)
    approve = form.cleaned_data["approve"]
    extra = {}
    if model is ExtensionRequest and form.cleaned_data.get("deadline"):
        extra["deadline"] = form.cleaned_data["deadline"]
    try:
        service(request=decision, approve=approve, by=request.user, note=form.cleaned_data["note"], **extra)
    except ActionError as error:
        _refused(request, error)
    else:
        if approve and model is ExtensionRequest:
            approved_text = f"已同意延期,完成时限延至 {decision.granted:%Y-%m-%d}。"
        messages.success(request, approved_text if approve else rejected_text)
    return redirect(safe_next(request, reverse("work:task", args=[decision.task_id])))


@require_POST
def extension_decide(request, pk: int):
    return _decide(
        request, pk, ExtensionRequest, work_office.extension_decide, "已同意延期,完成时限已更新。", "已不同意延期。"
    )


@require_POST
def closure_decide(request, pk: int):
    return _decide(request, pk, ClosureRequest, work_office.closure_decide, "已办结销号。", "已退回重办。")


@require_POST
def pending_decide_batch(request):
    """批量审核 in 待审核: the ticked extensions or closures, each through its own service, all or nothing."""
    _require_office(request)
    kind = request.POST.get("kind")
    model, service = {
        "extension": (ExtensionRequest, work_office.extension_decide_many),
        "closure": (ClosureRequest, work_office.closure_decide_many),
    }.get(kind, (None, None))
    form = DecisionForm(request.POST)
    if model is None or not form.is_valid():
        messages.error(request, "请选择同意或不同意。")
        return redirect("work:pending")
    ids = [int(value) for value in request.POST.getlist("request") if value.isdigit()]
    visible = Task.objects.visible_to(request.user)
    decisions = list(model.objects.filter(pk__in=ids, task__in=visible).select_related("task", "unit"))
    # Ticked rows decided meanwhile are refused by the service (a second submit says who decided them).
    approve = form.cleaned_data["approve"]
    try:
        count = service(requests=decisions, approve=approve, by=request.user, note=form.cleaned_data["note"])
    except ActionError as error:
        _refused(request, error)
    else:
        what = {("extension", True): "同意延期", ("extension", False): "不同意延期",
                ("closure", True): "办结销号", ("closure", False): "退回重办"}[(kind, approve)]  # fmt: skip
        messages.success(request, f"已{what} {count} 项。")
    return redirect("work:pending")


@require_POST
def task_urge(request, pk: int):
    task = _get_task_for_user(request, pk)
    _require_office(request)
    form = UrgeForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请填写催办内容。")
        return _back(task)
    try:
        work_office.task_urge(tasks=[task], message=form.cleaned_data["message"], by=request.user,
                              token=form.cleaned_data["token"])  # fmt: skip
    except ActionError as error:
        _refused(request, error)
    else:
        messages.success(request, f"已催办{task.lead_unit.display_name}。")
    return _back(task)


# The batch urge's scopes: the ticked rows of one page, or the list's filter ("every task matching it"),
# which posts the filter and a count, never thousands of ids (Django refuses more than 1,000 fields).
URGE_SCOPES = {
    "filter": "当前筛选中全部红灯、黄灯事项",
    "all": "当前筛选中全部在办事项",
}


def _urge_filter_tasks(request, scope: str, t):
    """The tasks a filter scope covers, from the list's query string, as the list computes them."""
    from django.http import QueryDict

    task_filter = TaskFilterForm(QueryDict(request.POST.get("query", ""))).to_filter()
    if scope == "filter":
        task_filter.light = ""
    base = task_filter.apply(Task.objects.visible_to(request.user), t)
    if scope == "filter":
        return base.filter(Task.objects.light_q(Light.RED, t) | Task.objects.light_q(Light.YELLOW, t))
    return task_filter.with_light(base, t)


@require_POST
def task_urge_batch(request):
    """催办 the ticked tasks, or every task of the current filter once the office confirms how many.

    A filter scope answers first with a confirmation page (how many tasks, which units); its form posts the
    count back, and the service refuses if the filter no longer gives that count. All or nothing.
    """
    _require_office(request)
    form = UrgeForm(request.POST)
    back = reverse("work:list") + ("?" + request.POST["query"] if request.POST.get("query") else "")
    if not form.is_valid():
        messages.error(request, "请填写催办内容。")
        return redirect(back)
    t = workdays.thresholds()
    scope = request.POST.get("scope", "selected")
    expected = None
    if scope in URGE_SCOPES:
        tasks = _urge_filter_tasks(request, scope, t)
        urgeable = tasks.filter(status__in=Task.LIT_STATUSES)
        if not request.POST.get("confirmed"):
            count = urgeable.count()
            if not count:
                messages.error(request, f"{URGE_SCOPES[scope]}为 0 项,没有可催办的事项。")
                return redirect(back)
            by_unit = list(
                urgeable.order_by().values("lead_unit__name").annotate(n=Count("pk")).order_by("-n", "lead_unit__name")
            )
            return render(
                request,
                "work/urge_confirm.html",
                {"form": form, "scope": scope, "scope_label": URGE_SCOPES[scope], "count": count,
                 "by_unit": by_unit[:20], "unit_count": len(by_unit), "query": request.POST.get("query", ""),
                 "sample": urgeable.select_related("lead_unit").order_by(F("deadline").asc(nulls_last=True), "pk")[:10],
                 "back": back},
            )  # fmt: skip
        raw = request.POST.get("expected", "")
        if not raw.isdigit():
            messages.error(request, "缺少确认的事项数,请重新点击催办并确认。")
            return redirect(back)
        expected = int(raw)
    else:
        ids = [int(value) for value in request.POST.getlist("task") if value.isdigit()]
        if not ids:
            messages.error(request, "没有可催办的事项:请勾选事项,或选择“当前筛选中全部……”。")
            return redirect(back)
        tasks = Task.objects.visible_to(request.user).leaves().filter(pk__in=ids)
    try:
        count = work_office.task_urge_batch(tasks=tasks, message=form.cleaned_data["message"], by=request.user,
                                            token=form.cleaned_data["token"], expected=expected)  # fmt: skip
    except ActionError as error:
        _refused(request, error)
    else:
        messages.success(request, f"已催办 {count} 个事项,每个单位收到一条列明其事项的催办消息。")
    return redirect(back)


def _status_action(request, pk, service, done_text):
    task = _get_task_for_user(request, pk)
    _require_office(request)
    form = ReasonForm(request.POST)
    reason = form.data.get("reason", "")
    try:
        service(task=task, by=request.user, reason=reason)
    except ActionError as error:
        _refused(request, error)
    else:
        messages.success(request, done_text)
    return _back(task)


@require_POST
def task_pause(request, pk: int):
    return _status_action(request, pk, work_office.task_pause, "已暂停。")


@require_POST
def task_resume(request, pk: int):
    return _status_action(request, pk, work_office.task_resume, "已恢复办理。")


@require_POST
def task_cancel(request, pk: int):
    return _status_action(request, pk, work_office.task_cancel, "已关闭。")


@require_POST
def task_instruct(request, pk: int):
    task = _get_task_for_user(request, pk)
    form = InstructionForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请填写批示内容。")
        return _back(task)
    try:
        services.task_instruct(task=task, by=request.user, text=form.cleaned_data["text"],
                               token=form.cleaned_data["token"])  # fmt: skip
    except ActionError as error:
        _refused(request, error)
    else:
        messages.success(request, "批示已送达承办单位。")
    return _back(task)


def attachment_download(request, pk: int):
    attachment = get_object_or_404(Attachment.objects.filter(task__in=Task.objects.visible_to(request.user)), pk=pk)
    response = FileResponse(attachment.file.open("rb"), as_attachment=True, filename=attachment.name)
    response["Content-Type"] = "application/octet-stream"
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


# --- A unit's pages ---------------------------------------------------------


def _liaison_unit(request) -> Unit:
    user = request.user
    if user.role == User.Role.UNIT and user.unit_id:
        return user.unit
    raise PermissionDenied("此页面供单位联络员使用。")


def inbox(request):
    unit = _liaison_unit(request)
    t = workdays.thresholds()
    return render(request, "work/inbox.html", {"unit": unit, "inbox": unit_inbox(unit, t), "today": t.today,
                                               "week_end": week_end_of(t.today)})  # fmt: skip


@require_POST
def task_sign_batch(request):
    """批量签收 for a liaison: the ticked tasks, or everything awaiting the unit's signature (after an import).

    The office signs ticked tasks on their lead units' behalf (代为签收), once it has confirmed the list.
    """
    if request.user.is_office:
        return _office_sign_batch(request)
    unit = _liaison_unit(request)
    waiting = Task.objects.visible_to(request.user).filter(
        status__in=Task.LIT_STATUSES,
        pk__in=Assignment.objects.filter(unit=unit, signed_at__isnull=True).values("task_id"),
    )
    if request.POST.get("scope") == "all":
        tasks = list(waiting)
    else:
        ids = [int(value) for value in request.POST.getlist("task") if value.isdigit()]
        # Ticked tasks signed meanwhile are still passed on: the service counts them as signed already.
        tasks = list(Task.objects.visible_to(request.user).filter(pk__in=ids, assignments__unit=unit).distinct())
    try:
        signed, skipped = services.task_sign_many(tasks=tasks, by=request.user)
    except ActionError as error:
        _refused(request, error)
    else:
        text = f"已签收 {signed} 个事项。"
        if skipped:
            text += f"另有 {skipped} 个事项此前已签收,未重复签收。"
        (messages.success if signed else messages.warning)(request, text)
    return redirect(safe_next(request, reverse("work:inbox")))


def _office_sign_batch(request):
    """代为签收: the ticked tasks' lead units sign through the office, after a page that lists them.

    The first post answers with the confirmation page (the tasks still awaiting their lead unit's signature,
    and how many of the ticked ones are not); its form posts those tasks back with `confirmed`, and the
    service signs them all or none. A second submit finds them signed and signs nothing twice.
    """
    back = safe_next(request, reverse("work:list") + ("?" + request.POST["query"] if request.POST.get("query") else ""))
    ids = [int(value) for value in request.POST.getlist("task") if value.isdigit()]
    if not ids:
        messages.error(request, "请先勾选要代为签收的事项。")
        return redirect(back)
    ticked = Task.objects.visible_to(request.user).leaves().filter(pk__in=ids)
    if request.POST.get("confirmed"):
        try:
            signed, skipped = services.task_sign_many(tasks=list(ticked), by=request.user, on_behalf=True)
        except ActionError as error:
            _refused(request, error)
        else:
            text = f"已代为签收 {signed} 个事项,留痕记为“督查室代签收”。"
            if skipped:
                text += f"另有 {skipped} 个事项此前已签收,未重复签收。"
            (messages.success if signed else messages.warning)(request, text)
        return redirect(back)
    unsigned = Assignment.objects.filter(role=Assignment.Role.LEAD, signed_at__isnull=True).values("task_id")
    waiting = list(
        ticked.filter(status__in=Task.LIT_STATUSES, pk__in=unsigned)
        .select_related("lead_unit")
        .order_by("lead_unit__order", "lead_unit__name", F("deadline").asc(nulls_last=True), "pk")
    )
    if not waiting:
        messages.warning(
            request, f"勾选的 {len(ids)} 个事项都不需要签收(已签收、已办结或已暂停),没有代为签收任何事项。"
        )
        return redirect(back)
    return render(
        request,
        "work/sign_confirm.html",
        {"tasks": waiting, "others": len(ids) - len(waiting), "back": back,
         "unit_count": len({task.lead_unit_id for task in waiting})},
    )  # fmt: skip


def week(request):
    """One page for a liaison's whole week: every task due, pre-filled, "no change" a single tap."""
    unit = _liaison_unit(request)
    t = workdays.thresholds()
    tasks = week_tasks(unit, t)
    errors: list[str] = []
    if request.method == "POST":
        items = []
        for task in tasks:
            choice = request.POST.get(f"t{task.pk}-choice", "")
            if choice == "same":
                items.append((task, services.ReportInput(unchanged=True)))
            elif choice == "new":
                percent_text = request.POST.get(f"t{task.pk}-percent", "").strip()
                percent = None
                if percent_text:
                    if not percent_text.isdigit() or int(percent_text) > 100:
                        errors.append(f"“{task.title[:20]}”:完成进度请填0到100的整数。")
                        continue
                    percent = int(percent_text)
                items.append(
                    (task, services.ReportInput(
                        done_text=request.POST.get(f"t{task.pk}-done_text", ""),
                        problems=request.POST.get(f"t{task.pk}-problems", ""),
                        next_steps=request.POST.get(f"t{task.pk}-next_steps", ""),
                        percent=percent,
                    ))
                )  # fmt: skip
        if not errors:
            try:
                count = services.task_report_many(items=items, by=request.user, token=request.POST.get("token"))
            except AlreadySubmitted as error:
                messages.warning(request, error.message)
                return redirect("work:inbox")
            except ActionError as error:
                errors.append(error.message)
            else:
                messages.success(request, f"已反馈 {count} 个事项。")
                return redirect("work:inbox")
    for task in tasks:
        last = task.last_report
        task.values = {
            name: request.POST.get(f"t{task.pk}-{name}", default)
            for name, default in [
                ("done_text", last.done_text if last else ""),
                ("problems", last.problems if last else ""),
                ("next_steps", last.next_steps if last else ""),
                ("percent", "" if last is None or last.percent is None else str(last.percent)),
            ]
        }
    return render(
        request,
        "work/week.html",
        {"unit": unit, "tasks": tasks, "errors": errors, "token": new_token(), "posted": request.POST,
         "week_end": week_end_of(t.today), "today": t.today},
    )  # fmt: skip


# --- Figures ----------------------------------------------------------------


def _period(request) -> tuple[date, date, str]:
    today = timezone.localdate()
    value = request.GET.get("period", "")
    try:
        if len(value) == 4:
            year = check_year(int(value), label="统计期间")
            return date(year, 1, 1), date(year, 12, 31), f"{year}年"
        if len(value) == 7 and value[4] == "-":
            year, month = check_year(int(value[:4]), label="统计期间"), int(value[5:])
            from calendar import monthrange

            return date(year, month, 1), date(year, month, monthrange(year, month)[1]), f"{year}年{month}月"
    except ValueError:
        messages.error(request, f"统计期间“{value}”无法识别,已改为本年度。")
    return date(today.year, 1, 1), date(today.year, 12, 31), f"{today.year}年"


def unit_summary(request):
    """Per-unit figures for a period, for the office and, limited to their units, for leaders."""
    user = request.user
    if not (user.sees_everything or (user.role == User.Role.LEADER and user.leader_id)):
        raise PermissionDenied("此页面供督查室和县领导使用。")
    start, end, label = _period(request)
    # The units of that time: those merged or split since (机构改革) are still listed for a past period.
    units = (
        Unit.objects.existing_during(start) if user.sees_everything else user.leader.supervises.existing_during(start)
    )
    kind = request.GET.get("kind", "")
    if kind in Unit.Kind.values:
        units = units.filter(kind=kind)
    rows = unit_stats(units.order_by("kind", "order", "id"), (start, end))
    rows.sort(key=lambda row: (row.on_time_rate is None, -(row.on_time_rate or 0), -row.done, row.unit.order))
    totals = {
        "assigned": sum(r.assigned for r in rows),
        "done": sum(r.done for r in rows),
        "overdue": sum(r.overdue for r in rows),
        "urges": sum(r.urges for r in rows),
    }
    this_year = timezone.localdate().year
    return render(
        request,
        "work/unit_summary.html",
        {"rows": rows, "label": label, "start": start, "end": end, "kind": kind, "kinds": Unit.Kind.choices,
         "totals": totals, "years": range(this_year, this_year - 10, -1), "period": request.GET.get("period", "")},
    )  # fmt: skip


def pending(request):
    """Everything awaiting the office's decision: extensions and closures."""
    _require_office(request)
    visible = Task.objects.visible_to(request.user)
    extensions = ExtensionRequest.objects.filter(status=Decision.PENDING, task__in=visible).select_related(
        "task", "unit", "requested_by"
    )
    closures = (
        ClosureRequest.objects.filter(status=Decision.PENDING, task__in=visible)
        .select_related("task", "unit", "requested_by")
        .prefetch_related(Prefetch("attachments"))
    )
    # The oldest first, a hundred at a time: what waits longest is decided first.
    return render(
        request,
        "work/pending.html",
        {
            "extensions": extensions.order_by("requested_at", "id")[:100],
            "closures": closures.order_by("requested_at", "id")[:100],
            "extension_count": extensions.count(),
            "closure_count": closures.count(),
            "decision_form": DecisionForm(),
        },
    )
