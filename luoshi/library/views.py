"""Pages of the library: search, upload and confirm, read online; the unit's key figures."""

from django.contrib import messages
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render

from luoshi.intake.reading import read_text, read_upload
from luoshi.lib.errors import ActionError, AlreadySubmitted
from luoshi.org.models import Unit

from . import services
from .forms import DocumentForm, KeyFigureForm, UploadForm
from .models import Document, KeyFigure
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
        "query": query, "hits": hits, "recent": None if query.text else documents[:50],
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
