"""Thin views of 破难题: look up through visible_to, call one service, render."""

from __future__ import annotations

import json
from datetime import date, timedelta

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from luoshi.lib.errors import ActionError, AlreadySubmitted
from luoshi.org.models import User

from . import risks, services, taskforce
from .documents import decision_docx
from .forms import (
    AccountabilityDecideForm,
    AccountabilityForm,
    CloseForm,
    DecisionForm,
    EscalateForm,
    HistoryForm,
    MeetingForm,
    ObservationForm,
    PetitionForm,
    ProblemForm,
    ReviewForm,
    RiskForm,
    TaskForceCancelForm,
    TaskForceMoveForm,
)
from .models import CATEGORIES, AccountabilityRecord, CollectiveDecision, Problem, Risk, TaskForceMeeting
from .selectors import ACTION_LABELS, heat_map, linked_documents, overdue_escalations, risk_trends, timeline

NOT_FOUND = "页面不存在或无权查看。"


def _get_problem_for_user(request, pk: int) -> Problem:
    return get_object_or_404(
        Problem.objects.visible_to(request.user).select_related("lead_unit", "leader", "lead_unit_head"), pk=pk
    )


def _office_only(request) -> None:
    if not request.user.is_office:
        raise Http404(NOT_FOUND)


def _run(request, action, done: str) -> bool:
    try:
        action()
    except AlreadySubmitted as error:
        messages.warning(request, error.message)
    except ActionError as error:
        messages.error(request, error.message)
        return False
    else:
        messages.success(request, done)
    return True


def _submit(request, form, action, done: str) -> None:
    """The one shape of a POST on these pages: a valid form runs its service with the cleaned data, else messages."""
    if form.is_valid():
        _run(request, lambda: action(form.cleaned_data), done)
    else:
        _form_errors(request, form)


def _form_errors(request, form) -> None:
    for field, errors in form.errors.items():
        label = form.fields[field].label if field in form.fields else ""
        for error in errors:
            messages.error(request, f"{label}:{error}" if label else error)


# --- The ledger -------------------------------------------------------------------


def problem_list(request):
    problems = Problem.objects.visible_to(request.user).select_related("lead_unit", "leader")
    status, category = request.GET.get("status", ""), request.GET.get("category", "")
    if status in Problem.Status.values:
        problems = problems.filter(status=status)
    if category in CATEGORIES:
        problems = problems.filter(category=category)
    if request.GET.get("overdue"):
        problems = problems.filter(pk__in=overdue_escalations(timezone.localdate()).values("pk"))
    page = Paginator(problems.order_by("-id"), settings.LUOSHI_PAGE_SIZE).get_page(request.GET.get("page"))
    today = timezone.localdate()
    return render(request, "problems/problem_list.html", {
        "page": page, "rows": [(problem, problem.light(today)) for problem in page],
        "status": status, "category": category, "statuses": Problem.Status.choices, "categories": CATEGORIES,
        "overdue": overdue_escalations(today)[:20] if request.user.is_office else [],
    })  # fmt: skip


def problem_create(request):
    _office_only(request)
    form = ProblemForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            problem = services.problem_create(data=form.to_input(), by=request.user, token=form.cleaned_data["token"])
        except ActionError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, "已登记遗留问题。")
            return redirect(problem)
    return render(request, "problems/problem_form.html", {"form": form})


def problem_detail(request, pk: int):
    problem = _get_problem_for_user(request, pk)
    key_people = None
    if problem.key_people_readers(request.user):
        key_people = services.key_people_read(problem=problem, by=request.user)
    today = timezone.localdate()
    escalations = list(problem.escalations.prefetch_related("meetings__tasks", "meetings__brief__options"))
    return render(request, "problems/problem_detail.html", {
        "problem": problem, "light": problem.light(today), "overdue": problem.level_overdue(today),
        "key_people": key_people, "history": problem.history.select_related("added_by"),
        "petitions": problem.petitions.all(), "escalations": escalations,
        "decisions": problem.decisions.select_related("corrects").prefetch_related("tasks"),
        "timeline": [
            (entry, ACTION_LABELS.get(entry.action, entry.action), entry.changes(services.LABELS))
            for entry in timeline(problem)
        ],
        "office": request.user.is_office, "history_form": HistoryForm(), "petition_form": PetitionForm(),
        "escalate_form": EscalateForm(), "meeting_form": MeetingForm(problem=problem), "close_form": CloseForm(),
        "labels": services.LABELS, "document_links": linked_documents(problem, request.user),
        "next_meeting": problem.task_force_meetings.filter(status=TaskForceMeeting.Status.PLANNED, day__gte=today)
        .order_by("day", "start").first(),
        "held_count": problem.task_force_meetings.filter(status=TaskForceMeeting.Status.HELD).count(),
    })  # fmt: skip


def problem_key_people(request, pk: int):
    """关键人物 on their own: a reader not allowed gets 404, and the attempt is logged."""
    problem = get_object_or_404(Problem, pk=pk)
    visible = Problem.objects.visible_to(request.user).filter(pk=pk).exists()
    people = services.key_people_read(problem=problem, by=request.user)
    if not visible or not problem.key_people_readers(request.user):
        raise Http404(NOT_FOUND)
    return render(request, "problems/key_people.html", {"problem": problem, "key_people": people})


def problem_documents(request, pk: int):
    """依据文件: the library documents the problem rests on; the office searches the library and links them here."""
    from luoshi.library.models import Document
    from luoshi.library.search import parse_query, search_documents

    problem = _get_problem_for_user(request, pk)
    office = request.user.is_office
    if request.method == "POST":
        _office_only(request)
        document = get_object_or_404(Document.objects.visible_to(request.user), pk=request.POST.get("document"))
        if request.POST.get("action") == "unlink":
            _run(request, lambda: services.problem_document_unlink(problem=problem, document=document,
                                                                   by=request.user), "已移除依据文件。")  # fmt: skip
        else:
            _run(request, lambda: services.problem_document_link(
                problem=problem, document=document, article=request.POST.get("article", ""), by=request.user,
            ), f"已链接《{document.title}》。")  # fmt: skip
        return redirect("problems:documents", pk=problem.pk)
    links = list(linked_documents(problem, request.user))
    query, hits = parse_query(request.GET.get("q", "")), []
    if office and query.text and not query.problem:
        linked = {link.document_id for link in links}
        found = search_documents(Document.objects.visible_to(request.user), query)[:20]
        hits = [(hit, hit.document.pk in linked) for hit in found]
    return render(request, "problems/problem_documents.html", {
        "problem": problem, "links": links, "query": query, "hits": hits, "office": office,
    })  # fmt: skip


@require_POST
def problem_history_add(request, pk: int):
    problem = _get_problem_for_user(request, pk)
    _submit(request, HistoryForm(request.POST),
            lambda data: services.problem_history_add(problem=problem, by=request.user, **data), "已补记来龙去脉。")  # fmt: skip
    return redirect(problem)


@require_POST
def petition_add(request, pk: int):
    problem = _get_problem_for_user(request, pk)
    _submit(request, PetitionForm(request.POST),
            lambda data: services.petition_add(problem=problem, by=request.user, **data), "已登记信访件。")  # fmt: skip
    return redirect(problem)


@require_POST
def problem_escalate(request, pk: int):
    problem = _get_problem_for_user(request, pk)
    _submit(request, EscalateForm(request.POST),
            lambda data: services.problem_escalate(problem=problem, by=request.user, **data),
            "已提交上一级处理。" if problem.level else "已启动一级处理(专业小组)。")  # fmt: skip
    return redirect(problem)


@require_POST
def meeting_record(request, pk: int):
    problem = _get_problem_for_user(request, pk)
    _submit(request, MeetingForm(request.POST, problem=problem),
            lambda data: services.level_meeting_record(problem=problem, by=request.user, **data), "已记录会议。")  # fmt: skip
    return redirect(problem)


@require_POST
def problem_close(request, pk: int):
    problem = _get_problem_for_user(request, pk)
    _submit(request, CloseForm(request.POST),
            lambda data: services.problem_close(problem=problem, by=request.user, **data), "已关闭。")  # fmt: skip
    return redirect(problem)


# --- 专班 (task force) -------------------------------------------------------------


def _task_force_clerk(user, problem: Problem) -> bool:
    return user.is_office or (user.role == User.Role.UNIT and user.unit_id == problem.lead_unit_id)


def task_force(request, pk: int):
    """The problem's 专班: its members, the meetings scheduled, held (minutes, attendance) and cancelled."""
    from luoshi.lib.text import split_names

    from .forms import TaskForceHeldForm, TaskForceMembersForm, TaskForceRecordForm, TaskForceScheduleForm

    problem = _get_problem_for_user(request, pk)
    members = split_names(problem.task_force_members)
    meetings = list(problem.task_force_meetings.select_related("created_by", "recorded_by"))
    today = timezone.localdate()
    return render(request, "problems/task_force.html", {
        "problem": problem, "members": members, "today": today,
        "planned": [m for m in meetings if m.status == TaskForceMeeting.Status.PLANNED],
        "held": [m for m in reversed(meetings) if m.status == TaskForceMeeting.Status.HELD],
        "cancelled": [m for m in meetings if m.status == TaskForceMeeting.Status.CANCELLED],
        "clerk": _task_force_clerk(request.user, problem) and not problem.is_closed,
        "members_form": TaskForceMembersForm(initial={"members": "、".join(members)}),
        "schedule_form": TaskForceScheduleForm(), "record_form": TaskForceRecordForm(members=members),
        "held_form": TaskForceHeldForm(members=members, initial={"day": today}),
        "move_form": TaskForceMoveForm(), "cancel_form": TaskForceCancelForm(),
    })  # fmt: skip


@require_POST
def task_force_post(request, pk: int, action: str):
    """Members, a new meeting, or a meeting held (补录): each one service, refused in Chinese."""
    from luoshi.lib.text import split_names

    from .forms import TaskForceHeldForm, TaskForceMembersForm, TaskForceScheduleForm

    problem = _get_problem_for_user(request, pk)
    if not _task_force_clerk(request.user, problem):
        raise Http404(NOT_FOUND)
    members = split_names(problem.task_force_members)
    if action == "members":
        form = TaskForceMembersForm(request.POST)
        call = lambda d: taskforce.task_force_members_set(problem=problem, members=d["members"], by=request.user)  # noqa: E731
        done = "已更新专班成员。"
    elif action == "schedule":
        form = TaskForceScheduleForm(request.POST)
        call = lambda d: taskforce.task_force_meeting_schedule(problem=problem, by=request.user, **d)  # noqa: E731
        done = "已安排专班会议。"
    elif action == "held":
        form = TaskForceHeldForm(request.POST, members=members)
        call = lambda d: taskforce.task_force_meeting_add_held(  # noqa: E731
            problem=problem, day=d["day"], start=d["start"], place=d["place"], topic=d["topic"],
            attendees=form.present(), absent_reasons=d["absent_reasons"], minutes=d["minutes"], by=request.user,
            token=d["token"],
        )  # fmt: skip
        done = "已补录专班会议。"
    else:
        raise Http404(NOT_FOUND)
    _submit(request, form, call, done)
    return redirect("problems:task_force", pk=problem.pk)


@require_POST
def task_force_meeting_post(request, pk: int, action: str):
    """A planned meeting: recorded as held, moved, or cancelled."""
    from luoshi.lib.text import split_names

    from .forms import TaskForceRecordForm

    meeting = get_object_or_404(TaskForceMeeting.objects.visible_to(request.user).select_related("problem"), pk=pk)
    problem = meeting.problem
    if not _task_force_clerk(request.user, problem):
        raise Http404(NOT_FOUND)
    if action == "record":
        form = TaskForceRecordForm(request.POST, members=split_names(problem.task_force_members))
        call = lambda d: taskforce.task_force_meeting_record(  # noqa: E731
            meeting=meeting, attendees=form.present(), absent_reasons=d["absent_reasons"], minutes=d["minutes"],
            by=request.user,
        )  # fmt: skip
        done = "已记录会议纪要和出席情况。"
    elif action == "move":
        form = TaskForceMoveForm(request.POST)
        call = lambda d: taskforce.task_force_meeting_move(meeting=meeting, by=request.user, **d)  # noqa: E731
        done = "已调整会议时间。"
    elif action == "cancel":
        form = TaskForceCancelForm(request.POST)
        call = lambda d: taskforce.task_force_meeting_cancel(meeting=meeting, by=request.user, **d)  # noqa: E731
        done = "已取消会议。"
    else:
        raise Http404(NOT_FOUND)
    _submit(request, form, call, done)
    return redirect("problems:task_force", pk=problem.pk)


def task_force_calendar(request):
    """专班会议日程: every visible problem's meetings of a month, with what is coming first."""
    today = timezone.localdate()
    month = request.GET.get("month", "")
    try:
        first = date.fromisoformat(f"{month}-01") if month else today.replace(day=1)
    except ValueError:
        messages.error(request, f"月份“{month}”应写成 2026-04 这样的格式。")
        first = today.replace(day=1)
    after = (first + timedelta(days=32)).replace(day=1)
    visible = TaskForceMeeting.objects.visible_to(request.user).select_related("problem", "problem__lead_unit")
    return render(request, "problems/task_force_calendar.html", {
        "month": first, "previous": (first - timedelta(days=1)).replace(day=1), "next": after,
        "page": Paginator(visible.filter(day__gte=first, day__lt=after).order_by("day", "start", "id"),
                          settings.LUOSHI_PAGE_SIZE).get_page(request.GET.get("page")),
        "upcoming": visible.filter(status=TaskForceMeeting.Status.PLANNED, day__gte=today).order_by("day", "start",
                                                                                                   "id")[:20],
        "today": today,
    })  # fmt: skip


def task_force_ics(request, pk: int | None = None):
    """The 专班 meetings as an iCal file (all the reader's, or one problem's) for a desktop or phone calendar."""
    from django.http import HttpResponse

    from .calendar import task_force_ical

    meetings = TaskForceMeeting.objects.visible_to(request.user).exclude(status=TaskForceMeeting.Status.CANCELLED)
    name = "专班会议"
    if pk is not None:
        problem = _get_problem_for_user(request, pk)
        meetings, name = meetings.filter(problem=problem), f"专班会议 · {problem.title}"
    since = timezone.localdate() - timedelta(days=366)
    body = task_force_ical(meetings.filter(day__gte=since).select_related("problem")[:2000], name=name,
                           base=request.build_absolute_uri("/").rstrip("/"))  # fmt: skip
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = "attachment; filename*=UTF-8''task-force.ics"
    return response


# --- 三重一大 ---------------------------------------------------------------------


def decision_create(request, pk: int):
    problem = _get_problem_for_user(request, pk)
    _office_only(request)
    corrects = None
    if request.GET.get("corrects") or request.POST.get("corrects"):
        corrects = get_object_or_404(problem.decisions, pk=request.GET.get("corrects") or request.POST.get("corrects"))
    form = DecisionForm(request.POST or None, initial={"day": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            decision = services.decision_record(
                problem=problem, data=form.to_input(), tasks=form.cleaned_data["tasks"], by=request.user,
                corrects=corrects, correction_reason=form.cleaned_data["correction_reason"],
                token=form.cleaned_data["token"],
            )  # fmt: skip
        except AlreadySubmitted as error:
            messages.warning(request, error.message)
            return redirect(problem)
        except ActionError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, "已记录集体决策。")
            return redirect(decision)
    return render(request, "problems/decision_form.html", {"form": form, "problem": problem, "corrects": corrects})


def _get_decision_for_user(request, pk: int) -> CollectiveDecision:
    return get_object_or_404(
        CollectiveDecision.objects.filter(problem__in=Problem.objects.visible_to(request.user)).select_related(
            "problem", "corrects"
        ),
        pk=pk,
    )


def decision_detail(request, pk: int):
    decision = _get_decision_for_user(request, pk)
    return render(request, "problems/decision_detail.html", {
        "decision": decision, "tasks": decision.tasks.select_related("lead_unit"), "office": request.user.is_office,
    })  # fmt: skip


def decision_download(request, pk: int):
    from luoshi.lib.officedoc import docx_response

    decision = _get_decision_for_user(request, pk)
    return docx_response(decision_docx(decision), f"{decision.meeting}纪要({decision.day:%Y-%m-%d}).docx")


# --- Risks ----------------------------------------------------------------------


def risk_list(request):
    risks = Risk.objects.visible_to(request.user)
    kind = request.GET.get("kind", "")
    if kind in Risk.Kind.values:
        risks = risks.filter(kind=kind)
    cell = request.GET.get("cell", "")
    shown = risks.exclude(status=Risk.Status.CLOSED)
    if cell.count(",") == 1 and all(part.isdigit() for part in cell.split(",")):
        likelihood, impact = (int(part) for part in cell.split(","))
        shown = shown.filter(likelihood=likelihood, impact=impact)
    page = Paginator(shown.select_related("owner_unit").order_by("-score", "id"), settings.LUOSHI_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    trends = risk_trends(risk.pk for risk in page)
    return render(request, "problems/risk_list.html", {
        "page": page, "rows": [(risk, trends.get(risk.pk, [])) for risk in page], "kind": kind, "kinds": Risk.Kind.choices,
        "heat": json.dumps(heat_map(risks)), "cell": cell, "office": request.user.is_office,
    })  # fmt: skip


def risk_create(request):
    _office_only(request)
    form = RiskForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            risk = risks.risk_create(by=request.user, **form.cleaned_data)
        except ActionError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, "已登记风险。")
            return redirect(risk)
    return render(request, "problems/simple_form.html", {"form": form, "title": "登记风险"})


def risk_detail(request, pk: int):
    risk = get_object_or_404(Risk.objects.visible_to(request.user).select_related("owner_unit", "leader"), pk=pk)
    reviews = list(risk.reviews.all())
    return render(request, "problems/risk_detail.html", {
        "risk": risk, "reviews": reviews, "observations": risk.observations.all(),
        "trend": json.dumps({"days": [f"{r.day:%Y-%m-%d}" for r in reviews], "scores": [r.score for r in reviews]}),
        "review_form": ReviewForm(initial={"likelihood": risk.likelihood, "impact": risk.impact}),
        "observation_form": ObservationForm(initial={"day": timezone.localdate()}), "office": request.user.is_office,
        "owner": request.user.is_office or (request.user.role == User.Role.UNIT
                                            and request.user.unit_id == risk.owner_unit_id),
        "problems": risk.problems.all(),
    })  # fmt: skip


@require_POST
def risk_review(request, pk: int):
    risk = get_object_or_404(Risk.objects.visible_to(request.user), pk=pk)
    _submit(request, ReviewForm(request.POST),
            lambda data: risks.risk_review(risk=risk, by=request.user, **data), "已记录评估。")  # fmt: skip
    return redirect(risk)


@require_POST
def risk_observe(request, pk: int):
    risk = get_object_or_404(Risk.objects.visible_to(request.user), pk=pk)
    _submit(request, ObservationForm(request.POST),
            lambda data: risks.risk_observe(risk=risk, by=request.user, **data), "已记录先兆。")  # fmt: skip
    return redirect(risk)


@require_POST
def risk_to_problem(request, pk: int):
    risk = get_object_or_404(Risk.objects.visible_to(request.user), pk=pk)
    _office_only(request)
    try:
        problem = risks.risk_to_problem(risk=risk, by=request.user)
    except ActionError as error:
        messages.error(request, error.message)
        return redirect(risk)
    messages.success(request, "已转为遗留问题,请补充来龙去脉、主要矛盾等。")
    return redirect(problem)


@require_POST
def problem_to_risk(request, pk: int):
    problem = _get_problem_for_user(request, pk)
    _office_only(request)
    try:
        risk = risks.risk_create(
            title=problem.title, kind=Risk.Kind.GREY_RHINO, field="信访稳定" if problem.petitions.exists() else "其他",
            likelihood=3, impact=3, owner_unit=problem.lead_unit, leader=problem.leader, signs=problem.worst_case,
            by=request.user, problem=problem,
        )  # fmt: skip
    except ActionError as error:
        messages.error(request, error.message)
        return redirect(problem)
    messages.success(request, "已识别为风险,请评估可能性和影响。")
    return redirect(risk)


# --- 问责 -------------------------------------------------------------------------


def accountability_list(request):
    records = list(AccountabilityRecord.objects.visible_to(request.user).select_related("unit")[:200])
    services.accountability_list_read(records=records, by=request.user)
    return render(request, "problems/accountability_list.html", {
        "records": records, "office": request.user.is_office,
    })  # fmt: skip


def accountability_create(request):
    _office_only(request)
    form = AccountabilityForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            record = services.accountability_create(
                case=data["case"], unit=data["unit"], people=data["people"], facts=data["facts"],
                answers=form.answers(), by=request.user,
            )  # fmt: skip
        except ActionError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, "已登记问责记录。")
            return redirect(record)
    return render(request, "problems/simple_form.html", {"form": form, "title": "登记问责记录",
                                                         "note": AccountabilityRecord.RULE})  # fmt: skip


def accountability_detail(request, pk: int):
    record = AccountabilityRecord.objects.filter(pk=pk).first()
    if record is None:
        raise Http404(NOT_FOUND)
    if not AccountabilityRecord.objects.visible_to(request.user).filter(pk=pk).exists():
        services.accountability_read(record=record, by=request.user, denied=True)
        raise Http404(NOT_FOUND)
    services.accountability_read(record=record, by=request.user)
    form = AccountabilityDecideForm(request.POST or None)
    decide = lambda: services.accountability_decide(record=record, by=request.user, **form.cleaned_data)  # noqa: E731
    if (
        request.method == "POST"
        and request.user.is_office
        and form.is_valid()
        and _run(request, decide, "已记录决定。")
    ):
        return redirect(record)
    return render(request, "problems/accountability_detail.html", {
        "record": record, "form": form, "office": request.user.is_office,
    })  # fmt: skip


def overdue_list(request):
    """待升级的遗留问题, for the office: the same snippet the meeting pack shows."""
    _office_only(request)
    return render(request, "problems/overdue.html", {"overdue_problems": overdue_escalations(timezone.localdate())})


# --- Excel ------------------------------------------------------------------------


def problem_export(request):
    from luoshi.lib.xlsx import xlsx_response
    from luoshi.library.models import Document

    from .models import ProblemDocument
    from .sheets import ledger_workbook

    problems = (
        Problem.objects.visible_to(request.user)
        .select_related("lead_unit", "leader")
        .prefetch_related("supporting", "task_force_meetings")
    )
    documents: dict[int, list[str]] = {}
    for problem_id, name, number in (
        ProblemDocument.objects.filter(problem__in=problems, document__in=Document.objects.visible_to(request.user))
        .order_by("id")
        .values_list("problem_id", "document__title", "document__number")
    ):
        documents.setdefault(problem_id, []).append(f"《{name}》" + (f"({number})" if number else ""))
    today = timezone.localdate()
    title = f"{settings.LUOSHI_COUNTY_NAME}遗留问题台账(截至{today.year}年{today.month}月{today.day}日)"
    return xlsx_response(ledger_workbook(problems.order_by("id"), title=title, documents=documents), f"{title}.xlsx")


def problem_import(request):
    """Upload → preview (errors by cell) → confirm: every row or none. The previewed rows travel signed."""
    from django.core import signing

    from . import sheets
    from .forms import new_token

    _office_only(request)
    preview = None
    if request.method == "POST" and request.POST.get("rows"):
        try:
            rows = signing.loads(request.POST["rows"], salt="problems-import", max_age=3600)
        except signing.BadSignature:
            messages.error(request, "预览已过期或被改动,请重新上传表格。")
            return redirect("problems:import")
        try:
            created = services.problem_import(
                items=sheets.inputs(rows), by=request.user, token=request.POST.get("token")
            )
        except AlreadySubmitted as error:
            messages.warning(request, error.message)
        except ActionError as error:
            messages.error(request, error.message)
            return redirect("problems:import")
        else:
            messages.success(request, f"导入完成:新增遗留问题 {len(created)} 个。")
        return redirect("problems:list")
    if request.method == "POST" and request.FILES.get("file"):
        preview = sheets.read_ledger(request.FILES["file"])
    return render(request, "problems/import.html", {
        "preview": preview, "token": new_token(),
        "signed": signing.dumps(preview.rows, salt="problems-import") if preview and preview.ok else "",
    })  # fmt: skip
