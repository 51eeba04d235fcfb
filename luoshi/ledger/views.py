"""台账 pages: upload → preview (mapping, units chosen by hand) → commit; and the ledger download of any list."""

from __future__ import annotations

import hashlib
from datetime import date, timedelta

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST
from openpyxl import Workbook

from luoshi.lib import workdays
from luoshi.lib.errors import ActionError, AlreadySubmitted
from luoshi.lib.http import id_or_none
from luoshi.lib.sheets import SheetError, check_workbook
from luoshi.lib.xlsx import LedgerSheet, xlsx_response
from luoshi.org.models import CountySettings, Unit, User
from luoshi.org.services import unit_alias_add
from luoshi.work import jobs
from luoshi.work.forms import TaskFilterForm, new_token
from luoshi.work.models import Task

from .export import COLUMNS, export_filename, export_scope, ledger_workbook
from .forms import ACCEPT, LedgerUploadForm, MappingForm
from .models import LedgerImport
from .preview import ERROR, preview_ledger
from .services import earlier_import, ledger_import

_PROBLEMS_SHOWN = 500
_ROWS_PER_PAGE = 100


def _require_importer(request) -> None:
    user = request.user
    if not (user.is_office or (user.role == User.Role.UNIT and user.unit_id)):
        raise PermissionDenied("台账导入供督查室和单位联络员使用。")


def _get_import_for_user(request, pk: int) -> LedgerImport:
    """An upload is seen by whoever uploaded it and by the office; anyone else gets a 404."""
    imports = LedgerImport.objects.all()
    if not request.user.is_office:
        imports = imports.filter(created_by=request.user)
    return get_object_or_404(imports, pk=pk)


def _preview(record: LedgerImport, user: User):
    with record.file.open("rb") as handle:
        data = handle.read()
    mapping = {key: int(value) for key, value in record.mapping.items()} if record.mapping is not None else None
    return preview_ledger(data, name=record.name, user=user, mapping=mapping, choices=record.choices,
                          base=record.base_date)  # fmt: skip


def _forget_stale_uploads() -> None:
    """Uploads previewed but never committed are deleted after a day, file and all."""
    cutoff = timezone.now() - timedelta(days=1)
    for record in LedgerImport.objects.filter(committed_at__isnull=True, created_at__lt=cutoff):
        record.file.delete(save=False)
        record.delete()


def upload(request):
    _require_importer(request)
    form = LedgerUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        data = upload.read()
        try:
            if len(data) > jobs.INLINE_BYTES:
                # A large file: refused here if hostile or too big, read on the worker (issue 20 §1).
                check_workbook(data, max_cells=settings.LUOSHI_MAX_SPREADSHEET_CELLS)
                preview = None
            else:
                preview = preview_ledger(data, name=upload.name, user=request.user,
                                         base=form.cleaned_data["base_date"])  # fmt: skip
        except SheetError as exc:
            form.add_error("file", str(exc))
        else:
            upload.seek(0)
            _forget_stale_uploads()
            record = LedgerImport(
                name=upload.name[:200], sha256=preview.sha256 if preview else hashlib.sha256(data).hexdigest(),
                size=len(data), created_by=request.user,
                base_date=form.cleaned_data["base_date"],
            )  # fmt: skip
            record.file.save(upload.name, upload, save=False)
            record.save()
            if preview is None:
                return jobs.ledger_preview_enqueue(record, request.user)
            return redirect("ledger:preview", pk=record.pk)
    recent = LedgerImport.objects.filter(created_by=request.user, committed_at__isnull=False)[:10]
    context = {"form": form, "accept": ACCEPT, "recent": recent, "county": CountySettings.load()}
    return render(request, "ledger/upload.html", context)


def preview(request, pk: int):
    _require_importer(request)
    record = _get_import_for_user(request, pk)
    if record.committed:
        messages.info(request, "这个文件已经导入。")
        return redirect("ledger:upload")
    try:
        result = jobs.ledger_preview(record, request.user)
    except (SheetError, OSError) as exc:
        messages.error(request, f"无法读取这个文件:{exc}")
        return redirect("ledger:upload")
    rows = Paginator(result.rows, _ROWS_PER_PAGE).get_page(request.GET.get("page"))
    problems = sorted(result.problems, key=lambda p: (p.severity != ERROR, p.row))
    units = Unit.objects.active().order_by("kind", "order", "id")
    context = {
        "record": record,
        "preview": result,
        "rows": rows,
        # Every conflict, for it needs a tick to be imported; updates up to the page's limit.
        "changes": [*result.conflicts, *result.updates[: max(0, _PROBLEMS_SHOWN - len(result.conflicts))]],
        "changes_total": len(result.conflicts) + len(result.updates),
        "problems": problems[:_PROBLEMS_SHOWN],
        "problems_hidden": max(0, len(problems) - _PROBLEMS_SHOWN),
        "mapping_form": MappingForm(columns=result.table.columns, mapping=result.mapping),
        "units": units,
        "earlier": earlier_import(result.sha256) if result.new_rows else None,
        "token": new_token(),
    }
    return render(request, "ledger/preview.html", context)


@require_POST
def mapping(request, pk: int):
    _require_importer(request)
    record = _get_import_for_user(request, pk)
    result = jobs.ledger_preview(record, request.user)
    form = MappingForm(request.POST, columns=result.table.columns, mapping=result.mapping)
    if form.is_valid():
        chosen = form.mapping()
        doubled = {index for index in chosen.values() if list(chosen.values()).count(index) > 1}
        if doubled:
            messages.error(request, "同一列不能对应两个字段,请重新选择。")
        else:
            record.mapping = chosen
            record.save(update_fields=["mapping"])
            messages.success(request, "已按新的列对应重新预览。")
            if jobs.runs_on_worker(record):
                return jobs.ledger_preview_enqueue(record, request.user)
    return redirect("ledger:preview", pk=record.pk)


@require_POST
def choose(request, pk: int):
    """A unit picked by hand for a name that did not resolve; optionally kept as the unit's alias."""
    _require_importer(request)
    record = _get_import_for_user(request, pk)
    mention = request.POST.get("mention", "").strip()
    unit = Unit.objects.active().filter(pk=id_or_none(request.POST.get("unit"))).first()
    if not mention or unit is None:
        messages.error(request, "请选择一个单位。")
        return redirect("ledger:preview", pk=record.pk)
    if request.POST.get("alias") and request.user.is_office:
        try:
            unit_alias_add(unit=unit, alias=mention, by=request.user)
        except ValueError as exc:
            messages.error(request, str(exc))
            return redirect("ledger:preview", pk=record.pk)
        messages.success(request, f"已把“{mention}”保存为“{unit.name}”的别名,以后会自动识别。")
    else:
        messages.success(request, f"本次导入中,“{mention}”按“{unit.name}”处理。")
    record.choices = {**record.choices, mention: unit.pk}
    record.save(update_fields=["choices"])
    if jobs.runs_on_worker(record):
        return jobs.ledger_preview_enqueue(record, request.user)
    return redirect("ledger:preview", pk=record.pk)


@require_POST
def commit(request, pk: int):
    _require_importer(request)
    record = _get_import_for_user(request, pk)
    if record.committed:
        messages.warning(request, "这个文件已经导入过了,没有重复导入。")
        return redirect("ledger:upload")
    conflicts = [int(v) for v in request.POST.getlist("conflict") if v.isdigit()]
    if jobs.runs_on_worker(record):
        return jobs.ledger_commit_enqueue(record, request.user, token=request.POST.get("token"),
                                          again=bool(request.POST.get("again")), conflicts=conflicts)  # fmt: skip
    result = _preview(record, request.user)
    try:
        done = ledger_import(preview=result, by=request.user, token=request.POST.get("token"), record=record,
                             again=bool(request.POST.get("again")),
                             conflicts=conflicts)  # fmt: skip
    except AlreadySubmitted as error:
        messages.warning(request, error.message)
        return redirect("ledger:upload")
    except ActionError as error:
        messages.error(request, error.message)
        return redirect("ledger:preview", pk=record.pk)
    parts = []
    if done.tasks:
        parts.append(f"新增事项 {done.tasks} 个")
    if done.reports:
        parts.append(
            f"导入进展 {done.reports} 条" + (f"(其中冲突 {done.conflicts} 条,经勾选)" if done.conflicts else "")
        )
    if done.warnings:
        parts.append(f"{done.warnings} 个提示已记入事项的办理记录")
    messages.success(request, "导入完成:" + ",".join(parts) + "。")
    return redirect(f"{reverse('work:list')}?year={result.base.year}")


def template(request):
    """A blank 任务分解表 with the headers the import knows best."""
    _require_importer(request)
    workbook = Workbook(write_only=True)
    sheet = LedgerSheet(
        workbook,
        name="任务分解表",
        title=f"{settings.LUOSHI_COUNTY_NAME}重点工作任务分解表",
        headers=[header for header, _ in COLUMNS[:9]] + ["备注"],
        widths=[width for _, width in COLUMNS[:9]] + [12],
    )
    sheet.append([1, "一、示例类别", "示例:编制年度增收计划", "明确全年收入目标及增收措施", "常务副县长", "财政局",
                  "各乡镇、住建局", "2022年6月底前", "每月25日前", "可删除本行"])  # fmt: skip
    sheet.close()
    return xlsx_response(workbook, "任务分解表模板.xlsx")


def export(request):
    """The task list, with the same filters, as a ledger .xlsx."""
    t = workdays.thresholds()
    form = TaskFilterForm(request.GET or None, archive=bool(request.GET.get("archive")))
    task_filter = form.to_filter()
    base = task_filter.apply(Task.objects.visible_to(request.user), t)
    tasks = task_filter.ordered(task_filter.with_light(base, t), t)
    today = t.today
    year = task_filter.year or (None if task_filter.archive else today.year)
    as_of = min(today, date(year, 12, 31)) if year else today
    period = (date(year or today.year, 1, 1), as_of)
    units = None
    if request.user.role == User.Role.UNIT:
        units = Unit.objects.filter(Q(pk=request.user.unit_id))
    scope = export_scope(task_filter, request.user)
    workbook = ledger_workbook(tasks, t=t, year=year, as_of=as_of, period=period, units=units, scope=scope)
    return xlsx_response(workbook, export_filename(year=year, as_of=as_of, scope=scope))
