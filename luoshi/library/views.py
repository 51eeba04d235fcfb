"""Pages of the library: search, upload and confirm, read online; the unit's key figures."""

import re
import uuid

from django.contrib import messages
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.dateparse import parse_date

from luoshi.intake.reading import read_text, read_upload
from luoshi.lib.errors import ActionError, AlreadySubmitted
from luoshi.lib.http import id_or_none, safe_next
from luoshi.lib.officedoc import docx_response
from luoshi.org.models import Unit

from . import selectors, services
from .documents import fact_sheet_docx, visit_report_docx
from .forms import CaseForm, DocumentForm, FigureLinkForm, KeyFigureForm, StepForm, UploadForm, VisitForm
from .models import Document, DrillAnswer, FieldVisit, KeyFigure, TypicalCase
from .ofd import is_ofd, read_ofd
from .pdfpages import page_count
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
                if is_ofd(data["file"].name, content):
                    source = read_ofd(data["file"].name, content)
                else:
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
        "citing": selectors.citing_objects(document, request.user),
        "pdf_pages": range(1, page_count(document) + 1),
    }  # fmt: skip
    return render(request, "library/detail.html", context)


def page(request, pk: int, number: int):
    """One page of a PDF document as an image (the offline viewer)."""
    from .pdfpages import page_png

    document = _get_document_for_user(request, pk)
    path = page_png(document, number)
    if path is None:
        raise Http404
    response = FileResponse(path.open("rb"), content_type="image/png")
    response["Cache-Control"] = "private, max-age=86400"
    return response


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
    figures = KeyFigure.objects.visible_to(user).select_related("owner", "indicator", "plan_item")
    for figure in figures:
        if figure.linked:
            services.key_figure_sync(figure)
    if unit := request.GET.get("unit"):
        figures = figures.filter(owner_id=unit) if unit.isdigit() else figures.none()
    can_edit = user.is_office or (user.role == "unit" and user.unit_id)
    context = {
        "figures": figures, "form": form if can_edit else None, "units": Unit.objects.active(),
        "link_form": FigureLinkForm(user=user) if can_edit else None,
    }  # fmt: skip
    return render(request, "library/figures.html", context)


def figure_link(request):
    """Make a figure read its value from a ranking indicator or a plan item's actuals."""
    if request.method != "POST":
        return redirect("library:figures")
    form = FigureLinkForm(request.POST, user=request.user)
    if form.is_valid():
        figure = get_object_or_404(KeyFigure.objects.visible_to(request.user), pk=form.cleaned_data["figure"])
        try:
            services.key_figure_link(
                figure=figure, indicator=form.cleaned_data["indicator"], plan_item=form.cleaned_data["plan_item"],
                by=request.user,
            )  # fmt: skip
        except ActionError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, f"“{figure.name}”今后取自{figure.link_label},不再手工填写。")
    else:
        messages.error(request, "来源:请从列表中选择排名指标或计划事项。")
    return redirect("library:figures")


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
    from .models import Finding

    rows = FieldVisit.objects.visible_to(request.user).select_related("unit", "document")
    cases = TypicalCase.objects.visible_to(request.user).select_related("unit").prefetch_related("steps")
    proposed = (
        Finding.objects.filter(visit__in=rows, proposed_at__isnull=False, task__isnull=True)
        .select_related("visit", "proposed_by")
        .order_by("proposed_at")
    )
    context = {"visits": rows, "cases": cases, "proposed": proposed, "can_create": _can_create(request.user)}
    return render(request, "library/visits.html", context)


def _can_create(user) -> bool:
    return user.is_office or (user.role == "unit" and bool(user.unit_id))


def _unit_choices(form, user):
    if not user.is_office:
        form.fields["unit"].queryset = Unit.objects.filter(pk=user.unit_id)
        form.fields["unit"].initial = user.unit_id


def visit_new(request):
    if not _can_create(request.user):
        raise Http404
    form = VisitForm(request.POST or None)
    _unit_choices(form, request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            document = services.document_find(data["document"], request.user) if data["document"].strip() else None
            visit_row = services.visit_create(
                title=data["title"], unit=data["unit"], purpose=data["purpose"], places=data["places"],
                members=data["members"], questions=data["questions"], document=document, visit_on=data["visit_on"],
                by=request.user, token=data["token"],
            )  # fmt: skip
        except AlreadySubmitted:
            messages.info(request, "这项调研已经登记过了。")
            return redirect("library:visits")
        except ActionError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, f"已登记调研“{visit_row.title}”。调研后请逐个地点记录发现。")
            return redirect("library:visit", pk=visit_row.pk)
    return render(request, "library/visit_new.html", {"form": form})


def case_new(request):
    if not _can_create(request.user):
        raise Http404
    form = CaseForm(request.POST or None, user=request.user, initial={"visit": request.GET.get("visit")})
    _unit_choices(form, request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            case = services.case_create(
                title=data["title"], kind=data["kind"], field=data["field"], unit=data["unit"],
                actions=data["actions"], results=data["results"], source=data["source"], visit=data["visit"],
                initiative=data["initiative"], practices=list(data["practices"]), found_on=data["found_on"],
                by=request.user, token=data["token"],
            )  # fmt: skip
        except AlreadySubmitted:
            messages.info(request, "这个典型已经登记过了。")
            return redirect("library:visits")
        except ActionError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, f"已登记典型“{case.title}”。")
            return redirect("library:case", pk=case.pk)
    return render(request, "library/case_new.html", {"form": form})


def case(request, pk: int):
    """A typical case with its promotion steps; the next step is recorded here."""
    case_row = get_object_or_404(
        TypicalCase.objects.visible_to(request.user).select_related("unit", "visit", "initiative"), pk=pk
    )
    form = StepForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if not _can_create(request.user):
            raise Http404
        try:
            services.case_step_add(case=case_row, by=request.user, **form.cleaned_data)
        except ActionError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, "已记录。")
            return redirect("library:case", pk=case_row.pk)
    context = {
        "case": case_row, "steps": case_row.steps.all(), "practices": case_row.practices.all(), "form": form,
        "can_edit": _can_create(request.user),
    }  # fmt: skip
    return render(request, "library/case.html", context)


def _get_visit_for_user(request, pk: int) -> FieldVisit:
    return get_object_or_404(FieldVisit.objects.visible_to(request.user), pk=pk)


def visit(request, pk: int):
    visit_row = _get_visit_for_user(request, pk)
    error = ""
    if request.method == "POST":
        try:
            if request.POST.get("propose"):
                finding = get_object_or_404(visit_row.findings, pk=request.POST["propose"])
                services.finding_propose(finding=finding, by=request.user)
                messages.success(request, "已提请督查室转为督办事项。")
            elif request.POST.get("finding"):
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


# --- 盯上 and 相关文件 ---------------------------------------------------------------


def feed(request):
    """The unit's feed: new and changed documents since the last visit, which this visit marks as read."""
    user = request.user
    if not user.unit_id:
        return redirect("library:index")
    if request.method == "POST":
        try:
            services.followed_fields_save(
                unit=user.unit, fields=re.split(r"[、,,;;\s]+", request.POST.get("fields", "")), by=user
            )
        except ActionError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, "已保存本单位关注的领域。")
        return redirect("library:feed")
    since = selectors.feed_since(user)
    items = selectors.feed_for(user, since=since)
    services.feed_seen(user=user)
    context = {"items": items, "since": since, "fields": selectors.followed_fields(user.unit_id)}
    return render(request, "library/feed.html", context)


def link_add(request):
    """Cite a library document from a task, brief, problem or practice (the 相关文件 block)."""
    from django.contrib.contenttypes.models import ContentType

    if request.method != "POST":
        raise Http404
    content_type = get_object_or_404(ContentType, pk=id_or_none(request.POST.get("content_type")) or 0)
    if f"{content_type.app_label}.{content_type.model}" not in services.LINKABLE:
        raise Http404
    model = content_type.model_class()
    obj = get_object_or_404(services._visible(model, request.user), pk=id_or_none(request.POST.get("object_id")) or 0)
    fallback = obj.get_absolute_url() if hasattr(obj, "get_absolute_url") else "/"
    try:
        document = services.document_find(request.POST.get("document", ""), request.user)
        services.document_link(document=document, obj=obj, by=request.user, note=request.POST.get("note", ""))
    except ActionError as error:
        if error.status == 404 and not services.can_link(obj, request.user):
            raise Http404 from None
        messages.error(request, error.message)
    else:
        messages.success(request, f"已关联“{document.title}”。")
    return redirect(safe_next(request, fallback))


def link_remove(request, pk: int):
    from .models import DocumentLink

    if request.method != "POST":
        raise Http404
    link = get_object_or_404(DocumentLink.objects.select_related("document", "content_type"), pk=pk)
    try:
        services.document_unlink(link=link, by=request.user)
    except ActionError:
        raise Http404 from None
    messages.success(request, f"已取消关联“{link.document.title}”。")
    return redirect(safe_next(request, "/"))
