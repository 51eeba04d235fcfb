"""汇报与会议材料 pages. Each view finds its object through a permission-scoped helper, calls one service
and renders; what another unit may not see is a 404."""

from __future__ import annotations

from datetime import date, timedelta

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from luoshi.lib import workdays
from luoshi.lib.errors import ActionError
from luoshi.lib.officedoc import docx_response
from luoshi.lib.xlsx import xlsx_response
from luoshi.org.models import Unit, User
from luoshi.work.forms import new_token
from luoshi.work.models import Task
from luoshi.work.views import _refused, _submit

from . import documents, selectors, services
from .forms import (
    BriefForm,
    CircularCreateForm,
    CircularTextForm,
    DecideForm,
    NoticeForm,
    PackDateForm,
    ReturnForm,
)
from .models import Brief, Circular, MeetingPack, Notice


def _office_only(request) -> None:
    """Packs, circulars and notices are the office's: to anyone else they do not exist."""
    if not request.user.is_office:
        raise Http404("页面不存在")


def _office_or_leader(request) -> bool:
    """Issued packs and circulars are read by the county leaders who attend the meetings; True for a reader."""
    user = request.user
    if user.is_office:
        return False
    if user.role == User.Role.LEADER and user.leader_id:
        return True
    raise Http404("页面不存在")


def _get_brief_for_user(request, pk: int) -> Brief:
    """The brief, if the user may see it; another unit's brief is a 404, as if it did not exist."""
    return get_object_or_404(
        Brief.objects.visible_to(request.user).select_related("unit", "leader", "decided_by", "created_by"), pk=pk
    )


def _leader_units(user: User) -> list[Unit]:
    if user.role != User.Role.LEADER or not user.leader_id:
        return []
    if user.leader.is_principal:
        return list(Unit.objects.active().order_by("kind", "order", "id"))
    return list(user.leader.supervises.active().order_by("kind", "order", "id"))


# --- Briefs ---------------------------------------------------------------------------


def brief_list(request):
    briefs = Brief.objects.visible_to(request.user).select_related("unit", "leader")
    status = request.GET.get("status", "")
    if status in Brief.Status.values:
        briefs = briefs.filter(status=status)
    return render(
        request,
        "reports/brief_list.html",
        {"briefs": briefs[:200], "status": status, "statuses": Brief.Status.choices,
         "can_write": request.user.role == User.Role.UNIT and request.user.unit_id},
    )  # fmt: skip


def _brief_form_page(request, brief: Brief | None):
    if request.user.role != User.Role.UNIT or not request.user.unit_id:
        raise Http404("页面不存在")
    if brief is not None and not brief.is_editable:
        messages.warning(request, f"该汇报当前状态为“{brief.get_status_display()}”,不能修改。")
        return redirect(brief)
    form = BriefForm(request.POST or None, brief=brief)
    if request.method == "POST" and form.is_valid():
        submit = request.POST.get("action") == "submit"
        response = _submit(
            request, form,
            lambda: services.brief_save(by=request.user, data=form.to_input(), brief=brief, submit=submit,
                                        token=form.cleaned_data["token"]),
            done="汇报已呈报分管县领导。" if submit else "汇报草稿已保存。",
            back=lambda saved: saved.get_absolute_url() if saved else reverse("reports:briefs"),
        )  # fmt: skip
        if response:
            return response
    return render(request, "reports/brief_form.html", {"form": form, "brief": brief})


def brief_create(request):
    return _brief_form_page(request, None)


def brief_edit(request, pk: int):
    return _brief_form_page(request, _get_brief_for_user(request, pk))


def brief_summary(request):
    """The unit's live summary of its tasks and lights, inserted into 本县情况 by the form's script."""
    if request.user.role != User.Role.UNIT or not request.user.unit_id:
        raise Http404("页面不存在")
    text = selectors.brief_task_summary(
        request.user.unit, workdays.thresholds(), subject=request.GET.get("subject", "")[:200]
    )
    return HttpResponse(text, content_type="text/plain; charset=utf-8")


def brief_detail(request, pk: int):
    brief = _get_brief_for_user(request, pk)
    user = request.user
    can_decide = brief.status == Brief.Status.SUBMITTED and user.role == User.Role.LEADER
    return render(
        request,
        "reports/brief_detail.html",
        {
            "brief": brief,
            "options": brief.options.all(),
            "events": brief.events.select_related("actor"),
            "follow_ups": brief.follow_ups.select_related("lead_unit"),
            "can_edit": brief.is_editable and user.role == User.Role.UNIT and user.unit_id == brief.unit_id,
            "can_decide": can_decide,
            "decide_form": DecideForm(brief=brief, leader_units=_leader_units(user)) if can_decide else None,
            "return_form": ReturnForm() if can_decide else None,
            "submit_token": new_token(),
        },
    )


@require_POST
def brief_submit(request, pk: int):
    brief = _get_brief_for_user(request, pk)
    try:
        services.brief_submit(brief=brief, by=request.user, token=request.POST.get("token"))
    except ActionError as error:
        _refused(request, error)
    else:
        messages.success(request, "汇报已呈报分管县领导。")
    return redirect(brief)


def brief_decide(request, pk: int):
    brief = _get_brief_for_user(request, pk)
    if request.method != "POST":
        return redirect(brief)
    form = DecideForm(request.POST, brief=brief, leader_units=_leader_units(request.user))
    if form.is_valid():
        response = _submit(
            request, form,
            lambda: services.brief_decide(
                brief=brief, by=request.user, chosen=form.cleaned_data["chosen"], note=form.cleaned_data["note"],
                follow_ups=form.cleaned_data["follow_ups"], token=form.cleaned_data["token"],
            ),
            done=lambda b: f"已决定采用{b.chosen_label}" + (f",并交办后续事项{b.follow_ups.count()}项。" if b.follow_ups.exists() else "。"),
            back=brief.get_absolute_url(),
        )  # fmt: skip
        if response:
            return response
    return render(
        request,
        "reports/brief_detail.html",
        {"brief": brief, "options": brief.options.all(), "events": brief.events.select_related("actor"),
         "follow_ups": brief.follow_ups.all(), "can_decide": True, "decide_form": form, "return_form": ReturnForm()},
        status=400,
    )  # fmt: skip


@require_POST
def brief_return(request, pk: int):
    brief = _get_brief_for_user(request, pk)
    form = ReturnForm(request.POST)
    form.is_valid()
    try:
        services.brief_return(
            brief=brief, by=request.user, note=form.cleaned_data.get("note", ""), token=form.cleaned_data.get("token")
        )
    except ActionError as error:
        _refused(request, error)
    else:
        messages.success(request, "已退回单位补充完善。")
    return redirect(brief)


def brief_download(request, pk: int):
    brief = _get_brief_for_user(request, pk)
    return docx_response(documents.brief_docx(brief), f"汇报-{brief.subject[:40]}.docx")


# --- The meeting pack ----------------------------------------------------------------


def next_meeting_day(today: date) -> date:
    """The coming meeting, taken to be on a Monday: today if it is one (the office can pick any date)."""
    return today + timedelta(days=(7 - today.weekday()) % 7)


def pack_list(request):
    _office_only(request)
    today = timezone.localdate()
    form = PackDateForm(initial={"date": next_meeting_day(today)})
    return render(
        request,
        "reports/pack_list.html",
        {"packs": MeetingPack.objects.select_related("issued_by")[:100], "form": form},
    )


def pack_preview(request):
    """The pack compiled from the live data for the date picked, with the button to issue it."""
    _office_only(request)
    form = PackDateForm(request.GET)
    if not form.is_valid():
        messages.error(request, "请选择会议日期。")
        return redirect("reports:packs")
    meeting_date = form.cleaned_data["date"]
    existing = MeetingPack.objects.filter(meeting_date=meeting_date).first()
    snapshot = selectors.pack_compile(meeting_date, workdays.thresholds(meeting_date))
    return render(
        request,
        "reports/pack_detail.html",
        {"s": snapshot, "title": services.pack_title(meeting_date), "preview": True, "existing": existing,
         "meeting_date": meeting_date, "token": new_token(), "notice_token": new_token()},
    )  # fmt: skip


@require_POST
def pack_issue(request):
    _office_only(request)
    form = PackDateForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请选择会议日期。")
        return redirect("reports:packs")
    try:
        pack = services.pack_issue(meeting_date=form.cleaned_data["date"], by=request.user,
                                   token=request.POST.get("token"))  # fmt: skip
    except ActionError as error:
        _refused(request, error)
        existing = MeetingPack.objects.filter(meeting_date=form.cleaned_data["date"]).first()
        return redirect(existing or reverse("reports:packs"))
    messages.success(request, "常务会材料已印发,内容已固定。")
    return redirect(pack)


def pack_detail(request, pk: int):
    read_only = _office_or_leader(request)
    pack = get_object_or_404(MeetingPack.objects.select_related("issued_by"), pk=pk)
    return render(
        request,
        "reports/pack_detail.html",
        {"s": pack.snapshot, "title": pack.title, "pack": pack, "preview": False, "notice_token": new_token(),
         "read_only": read_only},
    )  # fmt: skip


def pack_download(request, pk: int):
    _office_or_leader(request)
    pack = get_object_or_404(MeetingPack, pk=pk)
    return docx_response(documents.pack_docx(pack), f"常务会材料-{pack.meeting_date:%Y%m%d}.docx")


# --- The circular ----------------------------------------------------------------------


def circular_list(request):
    _office_only(request)
    form = CircularCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        response = _submit(
            request, form,
            lambda: services.circular_create(kind=data["kind"], year=data["year"], number=data["number"],
                                             by=request.user, token=data["token"], weights=form.weights(),
                                             min_tasks=data["min_tasks"] or 3),
            done="通报草稿已生成,请修改导语后印发。",
            back=lambda c: c.get_absolute_url() if c else reverse("reports:circulars"),
        )  # fmt: skip
        if response:
            return response
    return render(request, "reports/circular_list.html", {"circulars": Circular.objects.all()[:100], "form": form})


def circular_detail(request, pk: int):
    if _office_or_leader(request):
        # A leader reads a circular as issued; a draft is the office's work in progress.
        circular = get_object_or_404(Circular, pk=pk, status=Circular.Status.ISSUED)
        return render(request, "reports/circular_detail.html",
                      {"circular": circular, "s": circular.snapshot, "draft": False, "read_only": True})  # fmt: skip
    circular = get_object_or_404(Circular, pk=pk)
    form = CircularTextForm(
        request.POST or None, initial={"title": circular.title, "intro": circular.intro, "closing": circular.closing}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.circular_edit(circular=circular, by=request.user, **form.cleaned_data)
        except ActionError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, "通报文字已保存。")
            return redirect(circular)
    return render(
        request,
        "reports/circular_detail.html",
        {"circular": circular, "s": circular.snapshot, "form": form, "draft": circular.status == Circular.Status.DRAFT},
    )


@require_POST
def circular_issue(request, pk: int):
    _office_only(request)
    circular = get_object_or_404(Circular, pk=pk)
    try:
        services.circular_issue(circular=circular, by=request.user)
    except ActionError as error:
        _refused(request, error)
    else:
        messages.success(request, "通报已印发,数据已按今天重新统计并固定。")
    return redirect(circular)


def circular_download(request, pk: int):
    statuses = [Circular.Status.ISSUED] if _office_or_leader(request) else Circular.Status.values
    circular = get_object_or_404(Circular, pk=pk, status__in=statuses)
    return docx_response(documents.circular_docx(circular), f"督查通报-{circular.period_label}.docx")


def circular_xlsx(request, pk: int):
    _office_only(request)
    circular = get_object_or_404(Circular, pk=pk)
    return xlsx_response(documents.circular_workbook(circular), f"督查通报-{circular.period_label}.xlsx")


# --- Notices -------------------------------------------------------------------------------


def notice_list(request):
    _office_only(request)
    notices = Notice.objects.select_related("unit", "task").order_by("-created_at", "kind", "number")[:200]
    return render(request, "reports/notice_list.html", {"notices": notices})


def notice_create(request):
    """督办/催办通知单 for the tasks ticked (?task=1&task=2), numbered when the office confirms."""
    _office_only(request)
    source = request.POST if request.method == "POST" else request.GET
    ids = [int(value) for value in source.getlist("task") if value.isdigit()]
    tasks = list(
        Task.objects.visible_to(request.user)
        .filter(pk__in=ids)
        .select_related("lead_unit")
        .order_by("lead_unit__order", "id")
    )
    kind = source.get("kind") if source.get("kind") in Notice.Kind.values else Notice.Kind.URGE
    form = NoticeForm(request.POST if request.method == "POST" else None, initial={"kind": kind})
    if request.method == "POST" and form.is_valid():
        response = _submit(
            request, form,
            lambda: services.notice_create(kind=form.cleaned_data["kind"], tasks=tasks, by=request.user,
                                           message=form.cleaned_data["message"], token=form.cleaned_data["token"]),
            done=lambda notices: f"已制发{len(notices)}份通知单,编号{notices[0].number_label}起。",
            back=lambda notices: reverse("reports:notice_batch", args=[notices[0].batch]) if notices else reverse("reports:notices"),
        )  # fmt: skip
        if response:
            return response
    t = workdays.thresholds()
    rows = [(task, task.light_for(t), selectors.notice_overdue_text(task, t)) for task in tasks]
    return render(request, "reports/notice_form.html", {"form": form, "rows": rows})


def _batch(request, batch) -> list[Notice]:
    _office_only(request)
    notices = list(Notice.objects.filter(batch=batch).select_related("unit", "task").order_by("number"))
    if not notices:
        raise Http404("通知单不存在")
    return notices


def notice_batch(request, batch):
    notices = _batch(request, batch)
    return render(request, "reports/notice_print.html", {"notices": notices, "office": documents.office_name()})


def notice_download(request, batch):
    notices = _batch(request, batch)
    name = notices[0].number_label if len(notices) == 1 else f"{notices[0].number_label}等{len(notices)}份"
    return docx_response(documents.notices_docx(notices), f"{name}.docx")
