"""Pages of the library: search, upload and confirm, read online; the unit's key figures."""

import uuid

from django.contrib import messages
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.dateparse import parse_date

from luoshi.intake.reading import read_text, read_upload
from luoshi.lib.errors import ActionError, AlreadySubmitted
from luoshi.lib.officedoc import docx_response
from luoshi.org.models import Unit

from . import services
from .documents import fact_sheet_docx, visit_report_docx
from .forms import DocumentForm, KeyFigureForm, UploadForm
from .models import Document, DrillAnswer, FieldVisit, KeyFigure, TypicalCase
from .search import highlight, parse_query, search_documents


def _get_document_for_user(request, pk: int) -> Document:
    return get_object_or_404(Document.objects.visible_to(request.user), pk=pk)


def filtered(queryset, params):
    """The page's filters: level, issuer, field, year, validity."""
    if level := params.get("level"):
        queryset = queryset.filter(level=level)
    if issuer := (params.get("issuer") or "").strip():
        queryset = queryset.filter(issuer__icontains=issuer)
    if field := (params.get("field") or "").strip():
        queryset = queryset.filter(fields__icontains=field)
    if (year := str(params.get("year") or "").strip()).isdigit():
        queryset = queryset.filter(issued_on__year=int(year))
    if validity := params.get("validity"):
        queryset = queryset.filter(validity=validity)
    return queryset


def index(request):
    query = parse_query(request.GET.get("q", ""))
    documents = filtered(Document.objects.visible_to(request.user), request.GET)
    hits = search_documents(documents, query) if query.text else None
    context = {
        "query": query, "hits": hits, "recent": None if query.text else documents.defer("body", "html", "search_text")[:50],
        "levels": Document.Level.choices, "validities": Document.Validity.choices, "params": request.GET,
    }  # fmt: skip
    return render(request, "library/index.html", context)


def upload(request):
    if not request.user.is_office:
        raise Http404
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if data["file"]:
                content = data["file"].read()
                source = read_upload(data["file"].name, content)
            else:
                content, source = None, read_text(data["text"])
            document = services.document_create(source=source, content=content, by=request.user, token=data["token"])
        except AlreadySubmitted:
            messages.info(request, "这份文件已经上传过了。")
            return redirect("library:index")
        except ActionError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, "已读取文件。文号、发文机关和日期是从文中找出的建议,请核对后保存。")
            return redirect("library:edit", pk=document.pk)
    return render(request, "library/upload.html", {"form": form})


def edit(request, pk: int):
    if not request.user.is_office:
        raise Http404
    document = _get_document_for_user(request, pk)
    initial = {
        "title": document.title, "number": document.number, "issuer": document.issuer, "level": document.level,
        "issued_on": document.issued_on, "validity": document.validity, "replaced_by": document.replaced_by,
        "fields": document.fields, "units": list(document.units.all()), "internal": document.internal,
    }  # fmt: skip
    form = DocumentForm(request.POST or None, initial=initial)
    form.fields["replaced_by"].queryset = Document.objects.exclude(pk=document.pk)
    if request.method == "POST" and form.is_valid():
        try:
            services.document_update(
                document=document, data=services.DocumentInput(**form.cleaned_data), by=request.user
            )
        except ActionError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, f"已保存“{document.title}”。")
            return redirect("library:detail", pk=document.pk)
    context = {"document": document, "form": form, "duplicates": services.same_number(document)}
    return render(request, "library/edit.html", context)


def detail(request, pk: int):
    document = _get_document_for_user(request, pk)
    query = parse_query(request.GET.get("q", ""))
    html = services.document_html(document)
    paragraphs = [] if html else services.document_paragraphs(document)
    for paragraph in paragraphs:
        paragraph["html"] = highlight(paragraph["text"], query.words)
    context = {
        "document": document, "html": html, "paragraphs": paragraphs, "outline": services.document_outline(document),
        "query": query, "duplicates": services.same_number(document) if request.user.is_office else [],
        "visits": FieldVisit.objects.visible_to(request.user).filter(document=document),
    }  # fmt: skip
    return render(request, "library/detail.html", context)


def download(request, pk: int):
    document = _get_document_for_user(request, pk)
    if not document.file:
        raise Http404
    return FileResponse(document.file.open("rb"), as_attachment=True, filename=document.file_name or "文件")


def figures(request):
    user = request.user
    form = KeyFigureForm(request.POST or None)
    if not user.is_office:
        del form.fields["owner"]
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        owner = data.get("owner") if user.is_office else user.unit
        try:
            if owner is None:
                raise ActionError("责任单位:请选择填报哪个单位的数据。")
            services.key_figure_save(
                owner=owner, name=data["name"], value=data["value"], measure=data["measure"], period=data["period"],
                source=data["source"], cadence=data["cadence"], by=user,
            )  # fmt: skip
        except ActionError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, f"已保存“{data['name']}”。")
            return redirect("library:figures")
    figures = KeyFigure.objects.visible_to(user).select_related("owner")
    if unit := request.GET.get("unit"):
        figures = figures.filter(owner_id=unit) if unit.isdigit() else figures.none()
    can_edit = user.is_office or (user.role == "unit" and user.unit_id)
    context = {"figures": figures, "form": form if can_edit else None, "units": Unit.objects.active()}
    return render(request, "library/figures.html", context)


# --- 一口清: the drill and the fact sheet -------------------------------------


def drill(request):
    """Name and period shown, the user types the value; the answers of this round and the user's own history."""
    session = request.session.get("library_drill") or uuid.uuid4().hex
    if request.GET.get("new") or "library_drill" not in request.session:
        session = uuid.uuid4().hex
        request.session["library_drill"] = session
        if request.GET.get("new"):
            return redirect("library:drill")
    figures = KeyFigure.objects.visible_to(request.user).select_related("owner")
    answered = {a.figure_id: a for a in DrillAnswer.objects.filter(user=request.user, session=session)}
    error = ""
    if request.method == "POST":
        figure = get_object_or_404(figures, pk=request.POST.get("figure") or 0)
        try:
            services.drill_answer(
                user=request.user, figure=figure, typed=request.POST.get("value", ""), session=session
            )
        except ActionError as exc:
            error = exc.message
        else:
            return redirect("library:drill")
    pending = [f for f in figures if f.pk not in answered]
    rows = [{"figure": f, "answer": answered[f.pk]} for f in figures if f.pk in answered]
    context = {
        "next": pending[0] if pending else None, "rows": rows, "error": error,
        "history": services.drill_history(request.user), "session": session,
    }  # fmt: skip
    return render(request, "library/drill.html", context)


def fact_sheet(request, unit: int):
    unit_row = get_object_or_404(Unit, pk=unit)
    user = request.user
    allowed = (
        user.sees_everything
        or (user.role == "leader" and user.leader_id and unit_row.leaders.filter(pk=user.leader_id).exists())
        or user.unit_id == unit_row.pk
    )
    if not allowed:
        raise Http404
    return docx_response(fact_sheet_docx(unit_row), f"{unit_row.name}情况一口清.docx")


# --- 调研 and 典型 -------------------------------------------------------------


def visits(request):
    rows = FieldVisit.objects.visible_to(request.user).select_related("unit", "document")
    cases = TypicalCase.objects.visible_to(request.user).select_related("unit").prefetch_related("steps")
    return render(request, "library/visits.html", {"visits": rows, "cases": cases})


def _get_visit_for_user(request, pk: int) -> FieldVisit:
    return get_object_or_404(FieldVisit.objects.visible_to(request.user), pk=pk)


def visit(request, pk: int):
    visit_row = _get_visit_for_user(request, pk)
    error = ""
    if request.method == "POST":
        try:
            if request.POST.get("finding"):
                if not request.user.is_office:
                    raise ActionError("只有督查室可以把发现转为督办事项。", status=403)
                finding = get_object_or_404(visit_row.findings, pk=request.POST["finding"])
                lead = get_object_or_404(Unit, pk=request.POST.get("lead") or 0)
                deadline = parse_date(request.POST.get("deadline") or "")
                task = services.finding_to_task(
                    finding=finding, lead=lead, deadline=deadline, by=request.user, token=request.POST.get("token")
                )
                messages.success(request, f"已转为督办事项“{task.title}”。")
            else:
                services.finding_add(
                    visit=visit_row, place=request.POST.get("place", ""), text=request.POST.get("text", ""),
                    figures=request.POST.get("figures", ""), kind=request.POST.get("kind", "finding"), by=request.user,
                )  # fmt: skip
                messages.success(request, "已记录。")
            return redirect("library:visit", pk=visit_row.pk)
        except AlreadySubmitted:
            return redirect("library:visit", pk=visit_row.pk)
        except ActionError as exc:
            error = exc.message
    context = {
        "visit": visit_row, "findings": visit_row.findings.select_related("task"), "error": error,
        "units": Unit.objects.active(), "token": uuid.uuid4().hex,
    }  # fmt: skip
    return render(request, "library/visit.html", context)


def visit_report(request, pk: int):
    visit_row = _get_visit_for_user(request, pk)
    return docx_response(visit_report_docx(visit_row), f"{visit_row.title}调研报告.docx")
