"""争先进位 pages: the ranking table, an indicator's ranks over time, the 通报 import, values by hand,
counties, the 现场会 watch list and 学左右. Thin: look up through `visible_to`, call one service, render."""

from __future__ import annotations

from datetime import timedelta

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.views.decorators.http import require_POST

from luoshi.lib import workdays
from luoshi.lib.errors import ActionError, AlreadySubmitted
from luoshi.lib.officedoc import docx_response
from luoshi.lib.sheets import SheetError
from luoshi.lib.xlsx import xlsx_response
from luoshi.org.models import User
from luoshi.work.forms import new_token

from . import services
from .export import ranking_docx, ranking_workbook
from .forms import (
    ACCEPT,
    AdoptForm,
    AliasForm,
    CountyForm,
    IndicatorForm,
    InitiativeForm,
    PeriodForm,
    PracticeForm,
    SheetUploadForm,
)
from .models import (
    CityInitiative,
    County,
    Indicator,
    IndicatorValue,
    PeerPractice,
    SheetUpload,
    ValueImport,
    period_for,
)
from .selectors import indicator_history, latest_standings, num
from .sheet import ValueInput, parse_number, read_sheet


def _require_office(request) -> None:
    if not request.user.is_office:
        raise PermissionDenied("此操作由督查室办理。")


def _get_indicator_for_user(request, pk: int) -> Indicator:
    return get_object_or_404(Indicator.objects.visible_to(request.user), pk=pk)


def index(request):
    indicators = Indicator.objects.visible_to(request.user).filter(active=True)
    category = request.GET.get("category", "")
    if category in Indicator.Category.values:
        indicators = indicators.filter(category=category)
    mine = request.GET.get("mine") == "1" and request.user.role == User.Role.LEADER and request.user.leader_id
    if mine:
        indicators = indicators.filter(leader_id=request.user.leader_id)
    standings = latest_standings(indicators)
    counts = {status: sum(1 for s in standings if s.status == status) for status in ("broken", "at_risk", "met")}
    context = {
        "rows": _table_rows(standings, reverse("rankings:index")), "counts": counts, "categories": Indicator.Category.choices,
        "category": category, "mine": mine, "counties": County.objects.filter(active=True).count(),
    }  # fmt: skip
    return render(request, "rankings/index.html", context)


_CATEGORY_LABELS = dict(Indicator.Category.choices)


_ROW = (
    '<tr id="indicator-{}"><td>{}</td><td><a href="{}">{}</a></td><td>{}</td><td>{}</td><td class="rank">{}</td>'
    '<td>{}</td><td><span class="light light-{}">{}</span></td><td class="small">{}</td><td>{}</td><td>{}</td></tr>'
)


def _table_rows(standings, index_url: str) -> list[str]:
    """The ranking table's rows, escaped by format_html: 300 indicators render in milliseconds, where the
    template language spends a hundred."""
    rows = []
    for s in standings:
        ind, ours = s.indicator, s.ours
        if ours is None:
            figure = "—"
        elif ind.by_growth:
            figure = "—" if ours.growth is None else f"{num(ours.growth)}%"
        else:
            figure = "—" if ours.value is None else f"{num(ours.value)}{ind.measure}"
        if s.problem:
            gap = format_html("{}", s.problem)
        elif s.status == "broken":
            gap = format_html("{}<br>{}", s.gap_above_text, s.gap_threshold_text)
        else:
            gap = format_html("{}", s.gap_above_text)
        rows.append(format_html(
            _ROW, ind.pk, _CATEGORY_LABELS.get(ind.category, ""), f"{index_url}indicators/{ind.pk}/", ind.name,
            s.period_label, figure, f"第{s.rank}名/{s.n}" if s.rank else "—", ind.rule_label, s.light,
            s.status_label, gap, ind.responsible_unit.display_name if ind.responsible_unit else "—",
            ind.leader.name if ind.leader else "—",
        ))  # fmt: skip
    return rows


def _periods(history) -> list[dict]:
    return [{"period": s.period_label, "rank": s.rank, "n": s.n, "threshold": s.threshold, "status": s.status_label}
            for s in history]  # fmt: skip


def indicator(request, pk: int):
    ind = _get_indicator_for_user(request, pk)
    history = indicator_history(ind)
    chosen = history[-1] if history else None
    wanted = request.GET.get("period", "")
    if wanted.isdigit():
        chosen = next((s for s in history if s.period == int(wanted)), chosen)
    bars = []
    if chosen:
        bars = [{"county": row.county, "value": float(row.basis) if row.basis is not None else None,
                 "rank": row.rank, "ours": row.ours} for row in chosen.rows]  # fmt: skip
    chart = {"periods": _periods(history), "bars": bars, "threshold": chosen.threshold if chosen else None,
             "n": chosen.n if chosen else 0, "measure": ind.gap_measure if ind.by_growth else ind.measure,
             "basis": ind.get_basis_display(), "lower": not ind.higher_is_better}  # fmt: skip
    context = {
        "indicator": ind, "history": list(reversed(history)), "chosen": chosen, "chart": chart,
        "may_enter": Indicator.objects.enterable_by(request.user).filter(pk=ind.pk).exists(),
    }  # fmt: skip
    return render(request, "rankings/indicator.html", context)


def indicator_edit(request, pk: int | None = None):
    _require_office(request)
    instance = get_object_or_404(Indicator, pk=pk) if pk else Indicator()
    form = IndicatorForm(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.indicator_save(indicator=form.save(commit=False), by=request.user)
        except ActionError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, f"已保存指标“{saved.name}”。")
            return redirect("rankings:indicator", pk=saved.pk)
    return render(request, "rankings/form.html", {"form": form, "title": "编辑指标" if pk else "新增指标"})


def enter(request, pk: int):
    """Values typed by hand for one period: every county's absolute value and growth."""
    ind = get_object_or_404(Indicator.objects.enterable_by(request.user), pk=pk)
    counties = list(County.objects.filter(active=True))
    form = PeriodForm(request.POST or None)
    errors: list[str] = []
    if request.method == "POST" and form.is_valid():
        year, month = form.cleaned_data["year"], form.cleaned_data["month"]
        values = []
        for county in counties:
            item = ValueInput(ind, county)
            for field in ("value", "growth"):
                text = request.POST.get(f"{field}-{county.pk}", "")
                number, ok = parse_number(text)
                if not ok:
                    errors.append(f"{county.name}的{'绝对值' if field == 'value' else '增速'}“{text}”不是数字。")
                setattr(item, field, number)
            if item.value is not None or item.growth is not None:
                values.append(item)
        if not errors:
            try:
                services.values_save(values=values, year=year, month=month, by=request.user, source="hand",
                                     name="手工填报", token=request.POST.get("token"))  # fmt: skip
            except AlreadySubmitted:
                return redirect("rankings:indicator", pk=ind.pk)
            except ActionError as exc:
                errors.append(exc.message)
            else:
                messages.success(request, f"已保存“{ind.name}”{year}年{month}月的数值({len(values)}个县)。")
                return redirect("rankings:indicator", pk=ind.pk)
    today = timezone.localdate()
    if not form.is_bound:
        chosen = PeriodForm(request.GET)
        if chosen.is_valid():
            form = chosen
        else:
            form = PeriodForm(initial={"year": today.year if today.month > 1 else today.year - 1,
                                       "month": today.month - 1 or 12})  # fmt: skip
    # What is stored for the period shown (or what was just typed), so that a correction starts from it.
    shown = {}
    if request.method == "POST":
        shown = {
            c.pk: (request.POST.get(f"value-{c.pk}", ""), request.POST.get(f"growth-{c.pk}", "")) for c in counties
        }
    elif form.is_bound and form.is_valid():
        period = period_for(ind.period_kind, form.cleaned_data["year"], form.cleaned_data["month"])
        for county_id, value, growth in IndicatorValue.objects.filter(indicator=ind, period=period or 0).values_list(
            "county_id", "value", "growth"
        ):
            shown[county_id] = (num(value) if value is not None else "", num(growth) if growth is not None else "")
    rows = [(c, *shown.get(c.pk, ("", ""))) for c in counties]
    context = {"indicator": ind, "form": form, "rows": rows, "errors": errors, "token": new_token()}
    return render(request, "rankings/enter.html", context)


def export_xlsx(request):
    standings = latest_standings(Indicator.objects.visible_to(request.user).filter(active=True))
    today = timezone.localdate()
    return xlsx_response(ranking_workbook(standings, today), f"主要指标全市位次表({today:%Y-%m-%d}).xlsx")


def export_docx(request):
    standings = latest_standings(Indicator.objects.visible_to(request.user).filter(active=True))
    today = timezone.localdate()
    return docx_response(ranking_docx(standings, today), f"主要指标全市位次通报({today:%Y-%m-%d}).docx")


@require_POST
def missing_tasks(request):
    _require_office(request)
    try:
        tasks = services.missing_value_tasks_create(by=request.user)
    except ActionError as exc:
        messages.error(request, exc.message)
    else:
        if tasks:
            messages.success(request, f"已向责任单位交办缺数报送事项 {len(tasks)} 项。")
        else:
            messages.info(request, "没有新的缺数指标(已交办过的不再重复交办)。")
    return redirect("rankings:index")


# The 通报 import: upload → preview → commit.


_PROBLEMS_SHOWN = 500


def _get_upload_for_user(request, pk: int) -> SheetUpload:
    return get_object_or_404(SheetUpload.objects.filter(created_by=request.user), pk=pk)


def _preview(upload: SheetUpload):
    with upload.file.open("rb") as handle:
        data = handle.read()
    return read_sheet(data, year=upload.year, month=upload.month, choices=upload.choices)


def _forget_stale_uploads() -> None:
    """通报 sheets previewed but never imported are deleted after a day, file and all."""
    cutoff = timezone.now() - timedelta(days=1)
    for record in SheetUpload.objects.filter(record__isnull=True, created_at__lt=cutoff):
        record.file.delete(save=False)
        record.delete()


def upload(request):
    _require_office(request)
    form = SheetUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        file = form.cleaned_data["file"]
        data = file.read()
        try:
            preview = read_sheet(data, year=form.cleaned_data["year"], month=form.cleaned_data["month"])
        except SheetError as exc:
            form.add_error("file", str(exc))
        else:
            file.seek(0)
            _forget_stale_uploads()
            record = SheetUpload(name=file.name[:200], sha256=preview.sha256, created_by=request.user,
                                 year=form.cleaned_data["year"], month=form.cleaned_data["month"])  # fmt: skip
            record.file.save(file.name, file, save=False)
            record.save()
            return redirect("rankings:preview", pk=record.pk)
    recent = ValueImport.objects.filter(source="sheet").select_related("actor")[:10]
    return render(request, "rankings/upload.html", {"form": form, "accept": ACCEPT, "recent": recent})


def preview(request, pk: int):
    _require_office(request)
    record = _get_upload_for_user(request, pk)
    if record.record_id:
        messages.info(request, "这个文件已经导入。")
        return redirect("rankings:index")
    try:
        result = _preview(record)
    except (SheetError, OSError) as exc:
        messages.error(request, f"无法读取这个文件:{exc}")
        return redirect("rankings:upload")
    table = {}
    for item in result.values:
        table.setdefault(item.indicator, {})[item.county.pk] = item
    grid = [(ind, [cells.get(c.pk) for c in result.counties]) for ind, cells in table.items()]
    problems = sorted(result.problems, key=lambda p: not p.is_error)
    context = {"record": record, "preview": result, "grid": grid, "token": new_token(),
               "problems": problems[:_PROBLEMS_SHOWN], "problems_hidden": max(0, len(problems) - _PROBLEMS_SHOWN),
               "all_counties": County.objects.filter(active=True)}  # fmt: skip
    return render(request, "rankings/preview.html", context)


@require_POST
def choose(request, pk: int):
    """A county picked by hand for a name the sheet wrote; optionally kept as the county's alias."""
    _require_office(request)
    record = _get_upload_for_user(request, pk)
    mention = request.POST.get("mention", "").strip()
    county = County.objects.filter(pk=request.POST.get("county") or 0).first()
    if not mention or county is None:
        messages.error(request, "请选择一个县(市、区)。")
        return redirect("rankings:preview", pk=record.pk)
    if request.POST.get("alias"):
        try:
            services.county_alias_add(county=county, alias=mention, by=request.user)
        except ActionError as exc:
            messages.error(request, exc.message)
            return redirect("rankings:preview", pk=record.pk)
        messages.success(request, f"已把“{mention}”保存为“{county.name}”的别名。")
    record.choices = {**record.choices, mention: county.pk}
    record.save(update_fields=["choices"])
    return redirect("rankings:preview", pk=record.pk)


@require_POST
def commit(request, pk: int):
    _require_office(request)
    record = _get_upload_for_user(request, pk)
    if record.record_id:
        return redirect("rankings:index")
    result = _preview(record)
    if not result.ok:
        messages.error(request, "表格中还有错误,未导入任何数值。请按提示修改后重新上传。")
        return redirect("rankings:preview", pk=record.pk)
    try:
        saved = services.values_save(values=result.values, year=result.year, month=result.month, by=request.user,
                                     source="sheet", name=record.name, sha256=record.sha256,
                                     token=request.POST.get("token"))  # fmt: skip
    except AlreadySubmitted:
        return redirect("rankings:index")
    except ActionError as exc:
        messages.error(request, exc.message)
        return redirect("rankings:preview", pk=record.pk)
    record.record = saved
    record.save(update_fields=["record"])
    messages.success(request, f"导入完成:新增数值 {saved.created} 个,修改 {saved.changed} 个。")
    return redirect("rankings:index")


# Counties


def counties(request):
    if not (request.user.is_office or request.user.role == User.Role.LEADER):
        raise PermissionDenied("县(市、区)名单由督查室维护。")
    editing = County.objects.filter(pk=request.GET.get("edit") or 0).first()
    form, alias_form = CountyForm(instance=editing), AliasForm()
    if request.method == "POST":
        _require_office(request)
        if request.POST.get("kind") == "alias":
            alias_form = AliasForm(request.POST)
            if alias_form.is_valid():
                try:
                    services.county_alias_add(by=request.user, **alias_form.cleaned_data)
                except ActionError as exc:
                    alias_form.add_error("alias", exc.message)
                else:
                    messages.success(request, "已添加别名。")
                    return redirect("rankings:counties")
        else:
            instance = County.objects.filter(pk=request.POST.get("pk") or 0).first()
            form = CountyForm(request.POST, instance=instance)
            if form.is_valid():
                try:
                    saved = services.county_save(county=form.save(commit=False), by=request.user)
                except ActionError as exc:
                    form.add_error(None, exc.message)
                else:
                    messages.success(request, f"已保存“{saved.name}”。")
                    return redirect("rankings:counties")
    rows = County.objects.prefetch_related("aliases")
    context = {"rows": rows, "form": form, "alias_form": alias_form, "editing": editing}
    return render(request, "rankings/counties.html", context)


# 现场会


def initiatives(request):
    items = CityInitiative.objects.select_related("lead_unit", "leader").prefetch_related("competitors", "tasks")
    t = workdays.thresholds()
    rows = []
    for item in items:
        lights = [task.light_for(t) for task in item.tasks.all()]
        rows.append((item, item.readiness_light(lights)))
    year = timezone.localdate().year
    return render(request, "rankings/initiatives.html",
                  {"rows": rows, "won": services.initiatives_won(year), "year": year})  # fmt: skip


def initiative_edit(request, pk: int | None = None):
    _require_office(request)
    instance = get_object_or_404(CityInitiative, pk=pk) if pk else CityInitiative()
    form = InitiativeForm(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        try:
            services.initiative_save(initiative=form.save(commit=False), competitors=form.cleaned_data["competitors"],
                                     tasks=form.cleaned_data["task_ids"], by=request.user,
                                     token=form.cleaned_data["token"])  # fmt: skip
        except AlreadySubmitted:
            return redirect("rankings:initiatives")
        except ActionError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, "已保存现场会。")
            return redirect("rankings:initiatives")
    return render(request, "rankings/form.html", {"form": form, "title": "现场会"})


# 学左右


def practices(request):
    items = PeerPractice.objects.select_related("indicator", "unit").annotate(adopted=Count("tasks"))
    field = request.GET.get("field", "")
    if field:
        items = items.filter(field=field)
    q = request.GET.get("q", "").strip()
    if q:
        items = items.filter(Q(title__contains=q) | Q(county__contains=q) | Q(money__contains=q)
                             | Q(people__contains=q) | Q(mechanism__contains=q) | Q(problems__contains=q))  # fmt: skip
    fields = PeerPractice.objects.values_list("field", flat=True).distinct().order_by("field")
    return render(request, "rankings/practices.html", {"items": items, "fields": fields, "field": field, "q": q})


def practice(request, pk: int):
    item = get_object_or_404(PeerPractice.objects.select_related("indicator", "unit"), pk=pk)
    form = AdoptForm(request.POST or None, initial={"lead": item.unit_id})
    if request.method == "POST":
        _require_office(request)
        if form.is_valid():
            data = form.cleaned_data
            try:
                tasks = services.practice_adopt(practice=item, lead=data["lead"], leader=data["leader"],
                                                titles=data["titles"].splitlines(), deadline=data["deadline"],
                                                by=request.user, token=data["token"])  # fmt: skip
            except AlreadySubmitted:
                return redirect("rankings:practice", pk=item.pk)
            except ActionError as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(request, f"已交办借鉴事项 {len(tasks)} 项。")
                return redirect("rankings:practice", pk=item.pk)
    tasks = item.tasks.visible_to(request.user).select_related("lead_unit")
    return render(request, "rankings/practice.html", {"item": item, "form": form, "tasks": tasks})


def practice_edit(request, pk: int | None = None):
    user = request.user
    if not (user.is_office or (user.role == User.Role.UNIT and user.unit_id)):
        raise PermissionDenied("学左右案例由督查室或单位录入。")
    instance = PeerPractice() if pk is None else get_object_or_404(PeerPractice, pk=pk)
    if pk and not (user.is_office or instance.created_by_id == user.pk):
        raise Http404
    form = PracticeForm(request.POST or None, request.FILES or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.practice_save(practice=form.save(commit=False), by=user, token=form.cleaned_data["token"])
        except AlreadySubmitted:
            return redirect("rankings:practices")
        except ActionError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, "已保存案例。")
            return redirect("rankings:practice", pk=saved.pk)
    return render(request, "rankings/form.html", {"form": form, "title": "学左右案例", "multipart": True})
