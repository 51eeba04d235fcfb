"""文件分解 pages: upload or paste, review side by side, confirm into tasks, export. Office only.

Each correction on the review page is saved at once (htmx posts the row and gets the page's body
back); without JavaScript the same forms post and redirect to the review page.
"""

from __future__ import annotations

import itertools

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from luoshi.lib.errors import ActionError, AlreadySubmitted
from luoshi.lib.xlsx import xlsx_response
from luoshi.ops.jobs import jobs_recent
from luoshi.org.models import CountySettings, Leader, Unit, User

from . import jobs, services
from .export import decomposition_workbook
from .forms import AddRowForm, ConfirmForm, DateForm, FillForm, RowForm, UploadForm
from .models import Decomposition, DecompositionRow
from .reading import read_text, read_upload


def _require_office(request) -> None:
    user: User = request.user
    if not user.is_office:
        raise PermissionDenied("文件分解仅限督查室使用。")


def _get_decomposition_for_user(request, pk: int) -> Decomposition:
    _require_office(request)
    return get_object_or_404(Decomposition.objects.visible_to(request.user), pk=pk)


def _get_row_for_user(request, pk: int, row_pk: int) -> DecompositionRow:
    decomposition = _get_decomposition_for_user(request, pk)
    return get_object_or_404(decomposition.rows.select_related("decomposition"), pk=row_pk)


def _is_htmx(request) -> bool:
    return request.headers.get("HX-Request") == "true"


# --- Upload -----------------------------------------------------------------


def index(request):
    _require_office(request)
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        # A large document is read and decomposed on the worker (issue 20 §1), by the ledger's rule.
        upload = data["file"]
        content = upload.read() if upload else data["text"].encode("utf-8")
        if jobs.runs_on_worker(len(content), chars=None if upload else len(data["text"])):
            return jobs.decompose_enqueue(
                data=content, name=upload.name if upload else "粘贴的文字", pasted=not upload, user=request.user,
                title=data["title"], source_date=data["source_date"], source_kind=data["source_kind"],
            )  # fmt: skip
        try:
            document = read_upload(upload.name, content) if upload else read_text(data["text"])
            if data["title"]:
                document.title = data["title"]
            decomposition = services.decomposition_create(
                document=document, by=request.user, source_date=data["source_date"], source_kind=data["source_kind"]
            )
        except ActionError as error:
            form.add_error(None, error.message)
        else:
            count = decomposition.rows.count()
            messages.success(request, f"已读取“{decomposition.title}”,找到 {count} 条工作要求。请逐条核对后确认。")
            return redirect("intake:review", pk=decomposition.pk)
    recent = Decomposition.objects.visible_to(request.user).select_related("created_by")[:30]
    context = {
        "form": form, "recent": recent, "county": CountySettings.load(),
        "recent_jobs": jobs_recent(user=request.user, function=jobs.decompose_job, unfinished_only=True),
    }  # fmt: skip
    return render(request, "intake/index.html", context)


# --- Review -----------------------------------------------------------------


def _segments(decomposition: Decomposition, rows: list[DecompositionRow]) -> list[dict]:
    """Each paragraph cut where a row's source starts or ends, each piece with the rows it belongs to."""
    numbers = {row.pk: number for number, row in enumerate(rows, start=1)}
    spans: dict[int, list[tuple[int, int, int]]] = {}
    for row in rows:
        if not row.has_source:
            continue
        last = row.paragraph_end if row.paragraph_end is not None else row.paragraph
        for index in range(row.paragraph, last + 1):
            if not 0 <= index < len(decomposition.paragraphs):
                continue
            start = row.start if index == row.paragraph else 0
            end = row.end if index == last else len(decomposition.paragraphs[index])
            spans.setdefault(index, []).append((start, end, row.pk))
    tables = set(decomposition.table_rows)
    paragraphs = []
    for index, text in enumerate(decomposition.paragraphs):
        here = spans.get(index, [])
        cuts = sorted({0, len(text), *(s for s, _, _ in here), *(e for _, e, _ in here)})
        pieces = []
        for start, end in itertools.pairwise(cuts):
            if start >= end:
                continue
            covering = [pk for s, e, pk in here if s <= start and end <= e]
            pieces.append(
                {
                    "text": text[start:end],
                    "rows": " ".join(str(pk) for pk in covering),
                    "numbers": "、".join(str(numbers[pk]) for pk in covering),
                    "first": [numbers[pk] for s, _, pk in here if s == start],
                }
            )
        paragraphs.append({"index": index, "pieces": pieces, "table": index in tables})
    return paragraphs


def _row_initial(row: DecompositionRow) -> dict:
    return {
        "title": row.title,
        "text": row.text,
        "lead": row.lead.display_name if row.lead_id else row.get_lead_group_display() if row.lead_group else "",
        "supporting": "、".join(unit.display_name for unit in row.supporting.all()),
        "leader": row.leader.name if row.leader_id else "",
        "deadline": row.deadline_text or row.deadline_label(),
        # Correcting a row is reviewing it: saving accepts it unless the box is cleared.
        "accepted": True,
    }


def _review_context(request, decomposition: Decomposition, *, errors: dict | None = None) -> dict:
    rows = list(decomposition.rows.select_related("lead", "leader", "task").prefetch_related("supporting"))
    errors = errors or {}
    items = []
    numbers = {row.pk: number for number, row in enumerate(rows, start=1)}
    for number, row in enumerate(rows, start=1):
        form = errors.get(row.pk) or RowForm(initial=_row_initial(row), prefix=f"r{row.pk}")
        items.append({"number": number, "row": row, "form": form, "parent_number": numbers.get(row.parent_id)})
    return {
        "decomposition": decomposition,
        "items": items,
        "paragraphs": _segments(decomposition, rows),
        "counts": {
            "rows": len(rows),
            "accepted": sum(1 for row in rows if row.accepted and not row.confirmed),
            "confirmed": sum(1 for row in rows if row.confirmed),
            "no_lead": sum(1 for row in rows if not row.lead_id and not row.lead_group),
            "no_deadline": sum(1 for row in rows if not row.deadline and not row.standing),
        },
        "fill_form": FillForm(initial={"deadline": "长期坚持"}),
        "add_form": AddRowForm(),
        "date_form": DateForm(initial={"source_date": decomposition.source_date}),
        "confirm_form": ConfirmForm(),
        "unit_names": list(Unit.objects.active().order_by("kind", "order", "id").values_list("name", flat=True)),
        "group_names": list(services.GROUP_LABELS.values()),
        "leaders": list(Leader.objects.filter(active=True).order_by("order", "id")),
    }


def review(request, pk: int):
    decomposition = _get_decomposition_for_user(request, pk)
    return render(request, "intake/review.html", _review_context(request, decomposition))


def _answer(request, decomposition: Decomposition, *, error: str = "", done: str = "", errors: dict | None = None):
    """The review body for htmx, with the message in it; a redirect to the review page otherwise."""
    if _is_htmx(request):
        context = _review_context(request, decomposition, errors=errors)
        context["flash"] = error or done
        context["flash_kind"] = "error" if error else "success"
        return render(request, "intake/_body.html", context)
    if error:
        messages.error(request, error)
    elif done:
        messages.success(request, done)
    return redirect("intake:review", pk=decomposition.pk)


@require_POST
def row_save(request, pk: int, row_pk: int):
    row = _get_row_for_user(request, pk, row_pk)
    form = RowForm(request.POST, prefix=f"r{row.pk}")
    if not form.is_valid():
        return _answer(request, row.decomposition, error="请检查这一行的填写。", errors={row.pk: form})
    data = form.cleaned_data
    change = services.RowChange(
        text=data["text"],
        title=data["title"],
        lead=data["lead"],
        supporting=data["supporting"],
        leader=data["leader"],
        deadline=data["deadline"],
        accepted=data["accepted"],
    )
    try:
        services.row_update(row=row, change=change, by=request.user)
    except ActionError as error:
        form.add_error(None, error.message)
        return _answer(request, row.decomposition, error=error.message, errors={row.pk: form})
    return _answer(request, row.decomposition, done="已保存。")


_ROW_ACTIONS = {
    "accept": (lambda row, by: services.row_accept(row=row, by=by, accepted=True), "已采纳。"),
    "unaccept": (lambda row, by: services.row_accept(row=row, by=by, accepted=False), "已取消采纳。"),
    "delete": (lambda row, by: services.row_delete(row=row, by=by), "已删除这一行。"),
    "merge": (lambda row, by: services.row_merge(row=row, by=by), "已与下一行合并。"),
    "split": (lambda row, by: services.row_split(row=row, by=by), "已拆成两行,请分别修改。"),
}


@require_POST
def row_action(request, pk: int, row_pk: int, action: str):
    row = _get_row_for_user(request, pk, row_pk)
    if action not in _ROW_ACTIONS:
        raise PermissionDenied("未知操作。")
    act, done = _ROW_ACTIONS[action]
    try:
        act(row, request.user)
    except ActionError as error:
        return _answer(request, row.decomposition, error=error.message)
    return _answer(request, row.decomposition, done=done)


@require_POST
def accept_all(request, pk: int):
    decomposition = _get_decomposition_for_user(request, pk)
    try:
        count = services.rows_accept_all(decomposition=decomposition, by=request.user)
    except ActionError as error:
        return _answer(request, decomposition, error=error.message)
    return _answer(request, decomposition, done=f"已采纳 {count} 行。")


@require_POST
def row_add(request, pk: int):
    decomposition = _get_decomposition_for_user(request, pk)
    form = AddRowForm(request.POST)
    if not form.is_valid():
        return _answer(request, decomposition, error="请填写工作要求,或先在左侧原文中选中一段文字。")
    data = form.cleaned_data
    try:
        services.row_add(
            decomposition=decomposition,
            by=request.user,
            text=data["text"],
            paragraph=data["paragraph"],
            start=data["start"] or 0,
            end=data["end"] or 0,
        )
    except ActionError as error:
        return _answer(request, decomposition, error=error.message)
    return _answer(request, decomposition, done="已添加一行。")


@require_POST
def fill(request, pk: int):
    decomposition = _get_decomposition_for_user(request, pk)
    form = FillForm(request.POST)
    if not form.is_valid():
        return _answer(request, decomposition, error="请填写牵头单位或完成时限。")
    try:
        count = services.rows_fill(decomposition=decomposition, by=request.user, **form.cleaned_data)
    except ActionError as error:
        return _answer(request, decomposition, error=error.message)
    return _answer(request, decomposition, done=f"已填写 {count} 处。")


@require_POST
def date_set(request, pk: int):
    decomposition = _get_decomposition_for_user(request, pk)
    form = DateForm(request.POST)
    if not form.is_valid():
        return _answer(request, decomposition, error="文件日期应写成 2022-03-15。")
    try:
        services.decomposition_date_set(
            decomposition=decomposition, by=request.user, day=form.cleaned_data["source_date"]
        )
    except ActionError as error:
        return _answer(request, decomposition, error=error.message)
    decomposition.refresh_from_db()
    return _answer(request, decomposition, done="已更新文件日期,并据此重新计算了时限。")


@require_POST
def confirm(request, pk: int):
    decomposition = _get_decomposition_for_user(request, pk)
    form = ConfirmForm(request.POST)
    token = form.data.get("token") or None
    try:
        tasks = services.decomposition_confirm(decomposition=decomposition, by=request.user, token=token)
    except AlreadySubmitted as error:
        messages.warning(request, error.message)
        return redirect("intake:review", pk=decomposition.pk)
    except ActionError as error:
        messages.error(request, error.message)
        return redirect("intake:review", pk=decomposition.pk)
    left = decomposition.rows.filter(task__isnull=True).count()
    rest = f"其余 {left} 行仍可修改,稍后再确认。" if left else ""
    messages.success(request, f"已确认,生成并交办 {len(tasks)} 项督办事项。{rest}")
    return redirect("intake:review", pk=decomposition.pk)


# --- Export -----------------------------------------------------------------


def _filename(decomposition: Decomposition, extension: str) -> str:
    stem = "".join(ch for ch in decomposition.title if ch not in '\\/:*?"<>|')[:60] or "任务分解表"
    return f"{stem}-任务分解表.{extension}"


def export_xlsx(request, pk: int):
    decomposition = _get_decomposition_for_user(request, pk)
    return xlsx_response(decomposition_workbook(decomposition), _filename(decomposition, "xlsx"))


def export_docx(request, pk: int):
    from luoshi.lib.officedoc import docx_response

    from .documents import decomposition_docx

    decomposition = _get_decomposition_for_user(request, pk)
    return docx_response(decomposition_docx(decomposition), _filename(decomposition, "docx"))
