"""The library router: search (ranked, highlighted, with the page's filters), a document's particulars, key figures."""

from __future__ import annotations

from django.http import Http404
from django.urls import reverse
from ninja import Query, Router

from luoshi.library.models import Document, KeyFigure
from luoshi.library.search import parse_query, search_documents
from luoshi.library.selectors import citing_objects
from luoshi.library.views import filtered

router = Router(tags=["政策文件库"])


def _document(document: Document) -> dict:
    return {
        "id": document.pk, "title": document.title, "number": document.number, "issuer": document.issuer,
        "level": document.get_level_display(), "issued_on": document.issued_on,
        "validity": document.get_validity_display(), "fields": document.field_list, "keywords": document.keyword_list,
        "url": reverse("library:detail", args=[document.pk]),
    }  # fmt: skip


@router.get("/search")
def search(
    request, q: str = "", level: str = "", issuer: str = "", field: str = "",
    year: int | None = Query(None, ge=1900, le=2100),
    validity: str = "",
):  # fmt: skip
    """Documents holding every searched word (or bearing the 文号), best first; passages are escaped HTML with <mark>."""
    query = parse_query(q)
    documents = filtered(
        Document.objects.visible_to(request.user),
        {"level": level, "issuer": issuer, "field": field, "year": year or "", "validity": validity},
    )
    hits = search_documents(documents, query)
    return {
        "q": query.text,
        "message": query.problem,
        "count": len(hits),
        "results": [
            {**_document(hit.document), "title_html": str(hit.title), "passages": [str(p) for p in hit.passages]}
            for hit in hits[:100]
        ],
    }


@router.get("/documents/{pk}")
def document(request, pk: int):
    found = Document.objects.visible_to(request.user).filter(pk=pk).select_related("replaced_by").first()
    if found is None:
        raise Http404
    visible = Document.objects.visible_to(request.user)
    replaced_by = found.replaced_by if found.replaced_by and visible.filter(pk=found.replaced_by_id).exists() else None
    return {
        **_document(found),
        "units": [unit.name for unit in found.units.all()],
        "file_url": reverse("library:download", args=[found.pk]) if found.file else None,
        "replaced_by": _document(replaced_by) if replaced_by else None,
        "replaces": [_document(older) for older in visible.filter(replaced_by=found)],
        # What cites it (tasks, briefs, problems, practices, visits, cases), as far as the caller may see them.
        "cited_by": citing_objects(found, request.user),
    }


@router.get("/key-figures")
def key_figures(request, unit: int | None = None):
    figures = KeyFigure.objects.visible_to(request.user).select_related("owner")
    if unit is not None:
        figures = figures.filter(owner_id=unit)
    return [
        {
            "id": f.pk,
            "unit": f.owner.name,
            "name": f.name,
            "value": format(f.value.normalize(), "f"),
            "measure": f.measure,
            "period": f.period,
            "source": f.source,
            "cadence": f.cadence,
            "updated_at": f.updated_at,
        }
        for f in figures
    ]
