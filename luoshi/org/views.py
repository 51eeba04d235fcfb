from datetime import timedelta

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth import views as auth_views
from django.core.exceptions import PermissionDenied
from django.core.files.storage import default_storage
from django.db.models import Count, Prefetch, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.crypto import get_random_string
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from openpyxl import Workbook

from luoshi.lib.errors import ActionError
from luoshi.lib.http import client_ip, user_agent
from luoshi.lib.sheets import SheetError, read_workbook
from luoshi.lib.xlsx import write_table, xlsx_response

from . import services
from .forms import LoginForm, OrgImportForm, UnitContactForm
from .imports import org_import, org_template_workbook
from .models import Leader, LoginEvent, Unit, User


def _require_admin(request) -> None:
    if request.user.role != User.Role.ADMIN:
        raise PermissionDenied("此功能仅限系统管理员。")


def _get_unit_for_user(request, pk: int) -> Unit:
    """Any active unit, as on the directory: contact details are open to everyone inside."""
    return get_object_or_404(Unit.objects.active().prefetch_related("aliases", "leaders"), pk=pk)


# --- Logins -----------------------------------------------------------------


class LoginView(auth_views.LoginView):
    template_name = "org/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def form_valid(self, form):
        response = super().form_valid(form)
        services.login_success_record(
            user=form.get_user(),
            username=form.cleaned_data["username"],
            ip=client_ip(self.request),
            user_agent=user_agent(self.request),
        )
        return response


@require_POST
def logout_view(request):
    services.login_event_record(
        kind=LoginEvent.Kind.LOGOUT,
        username=request.user.username,
        user=request.user,
        ip=client_ip(request),
        user_agent=user_agent(request),
    )
    logout(request)
    messages.info(request, "您已安全退出。")
    return redirect(settings.LOGOUT_REDIRECT_URL)


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "org/password_change.html"
    success_url = reverse_lazy("home")

    def form_valid(self, form):
        response = super().form_valid(form)
        user = form.user
        User.objects.filter(pk=user.pk).update(must_change_password=False)
        services.password_change_record(
            user=user, by=user, ip=client_ip(self.request), user_agent=user_agent(self.request)
        )
        messages.success(self.request, "密码已修改。")
        return response


# --- Directory and units ----------------------------------------------------


def _directory_units(request):
    """The directory's units under the page's filters: q, mine (a leader's own), missing contacts."""
    units = Unit.objects.active().prefetch_related(
        "aliases", Prefetch("leaders", queryset=Leader.objects.filter(active=True))
    )
    q = request.GET.get("q", "").strip()
    if q:
        units = units.filter(
            Q(name__icontains=q)
            | Q(short_name__icontains=q)
            | Q(aliases__alias__icontains=q)
            | Q(liaison_name__icontains=q)
            | Q(leaders__name__icontains=q)
        ).distinct()
    mine = request.GET.get("mine") == "1" and request.user.role == User.Role.LEADER and request.user.leader
    if mine:
        units = units.filter(leaders=request.user.leader)
    missing = request.GET.get("missing") == "1"
    if missing:
        units = units.missing_contacts()
    return units.order_by("order", "id"), q, bool(mine), missing


def directory(request):
    """Every unit by kind, with its leader, liaison and phones; searchable."""
    units, q, mine, missing = _directory_units(request)
    editable = set(Unit.objects.editable_by(request.user).values_list("pk", flat=True))
    groups = []
    by_kind: dict[str, list[Unit]] = {}
    for unit in units:
        unit.can_edit = unit.pk in editable
        by_kind.setdefault(unit.kind, []).append(unit)
    for kind in Unit.KIND_ORDER:
        if by_kind.get(kind):
            groups.append((Unit.Kind(kind).label, by_kind[kind]))
    context = {
        "groups": groups,
        "q": q,
        "mine": mine,
        "missing": missing,
        "total": sum(len(members) for _, members in groups),
    }
    return render(request, "org/directory.html", context)


def directory_export(request):
    """The directory as the .xlsx an office would keep, with the page's filters."""
    units, _, _, _ = _directory_units(request)
    ordered = sorted(units, key=lambda unit: Unit.KIND_ORDER.index(unit.kind))
    rows = [
        [
            number,
            unit.name,
            unit.short_name,
            unit.get_kind_display(),
            "、".join(leader.name for leader in unit.leaders.all()),
            unit.liaison_name,
            unit.liaison_phone,
            unit.liaison_mobile,
        ]
        for number, unit in enumerate(ordered, start=1)
    ]
    workbook = Workbook()
    write_table(
        workbook.active,
        title=f"{settings.LUOSHI_COUNTY_NAME}单位通讯录({timezone.localdate():%Y年%m月%d日})",
        headers=["序号", "单位全称", "简称", "类型", "分管县领导", "联络员", "办公电话", "手机"],
        rows=rows,
        widths=[6, 30, 14, 14, 14, 10, 18, 16],
    )
    workbook.active.title = "通讯录"
    return xlsx_response(workbook, f"{settings.LUOSHI_COUNTY_NAME}单位通讯录.xlsx")


def unit_detail(request, pk: int):
    unit = _get_unit_for_user(request, pk)
    can_edit = Unit.objects.editable_by(request.user).filter(pk=unit.pk).exists()
    accounts = unit.users.filter(is_active=True) if request.user.sees_everything else None
    return render(request, "org/unit_detail.html", {"unit": unit, "can_edit": can_edit, "accounts": accounts})


def unit_edit(request, pk: int):
    # Scoped to what the user may edit: another unit's page answers 404, not a form.
    unit = get_object_or_404(Unit.objects.editable_by(request.user).active(), pk=pk)
    form = UnitContactForm(request.POST or None, instance=unit)
    if request.method == "POST" and form.is_valid():
        services.unit_contact_update(unit=unit, by=request.user, **form.cleaned_data)
        messages.success(request, f"已保存{unit.display_name}的联络信息。")
        return redirect("org:unit", pk=unit.pk)
    return render(request, "org/unit_edit.html", {"unit": unit, "form": form})


# --- Importing the organisation from Excel ---------------------------------

_IMPORT_DIR = "imports/org"
_IMPORT_KEPT_FOR = timedelta(days=1)


def _forget_stale_imports() -> None:
    """Uploads previewed but never confirmed are deleted after a day."""
    if not default_storage.exists(_IMPORT_DIR):
        return
    cutoff = timezone.now() - _IMPORT_KEPT_FOR
    for name in default_storage.listdir(_IMPORT_DIR)[1]:
        path = f"{_IMPORT_DIR}/{name}"
        if default_storage.get_modified_time(path) < cutoff:
            default_storage.delete(path)


def org_import_view(request):
    """Upload → preview (a rolled-back run) → confirm (the same run, kept)."""
    _require_admin(request)
    context = {"form": OrgImportForm()}
    if request.method == "POST" and "token" in request.POST:
        return _org_import_confirm(request)
    if request.method == "POST":
        form = OrgImportForm(request.POST, request.FILES)
        context["form"] = form
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                sheets = read_workbook(upload, max_cells=settings.LUOSHI_MAX_SPREADSHEET_CELLS)
            except SheetError as exc:
                form.add_error("file", str(exc))
                return render(request, "org/import.html", context)
            report = org_import(sheets, dry_run=True, by=request.user)
            context["report"] = report
            context["filename"] = upload.name
            if report.ok:
                upload.seek(0)
                _forget_stale_imports()
                token = get_random_string(32)
                default_storage.save(f"{_IMPORT_DIR}/{token}.xlsx", upload)
                request.session["org_import_token"] = token
                context["token"] = token
    return render(request, "org/import.html", context)


def _org_import_confirm(request):
    token = request.POST.get("token", "")
    path = f"{_IMPORT_DIR}/{token}.xlsx"
    if not token.isalnum() or request.session.get("org_import_token") != token or not default_storage.exists(path):
        messages.error(request, "这次导入已经完成或已过期,请重新上传文件。")
        return redirect("org:import")
    with default_storage.open(path, "rb") as handle:
        sheets = read_workbook(handle, max_cells=settings.LUOSHI_MAX_SPREADSHEET_CELLS)
    report = org_import(sheets, dry_run=False, by=request.user)
    default_storage.delete(path)
    request.session.pop("org_import_token", None)
    if not report.ok:
        # The data changed between preview and confirm; nothing was applied.
        return render(request, "org/import.html", {"form": OrgImportForm(), "report": report})
    created, updated = report.created, report.updated
    messages.success(
        request,
        "导入完成:" + ";".join(f"{name}新增 {created[name]}、更新 {updated[name]}" for name in created),
    )
    return redirect("org:directory")


def org_import_template(request):
    _require_admin(request)
    return xlsx_response(org_template_workbook(), "落实-组织架构导入模板.xlsx")


# --- The user's own account: API tokens ------------------------------------

_NEW_TOKEN_KEY = "api_token_new"
_TOKEN_NONCE_KEY = "api_token_nonce"


@never_cache  # the page may carry a new secret: no browser or proxy keeps a copy
def account(request):
    """The user's API tokens: create one (its secret shown once), see when each was used, revoke."""
    if request.method == "POST":
        # A one-time nonce from the page: a double click or a refresh does not make a second token.
        nonce = request.POST.get("nonce", "")
        issued = request.session.get(_TOKEN_NONCE_KEY, [])
        if nonce not in issued:
            messages.warning(request, "该表单已经提交过,没有重复创建令牌。")
            return redirect("org:account")
        request.session[_TOKEN_NONCE_KEY] = [value for value in issued if value != nonce]
        try:
            token, secret = services.api_token_create(user=request.user, name=request.POST.get("name", ""))
        except ActionError as error:
            messages.error(request, error.message)
            return redirect("org:account")
        # Kept in the session only until the next page view, which shows it and forgets it.
        request.session[_NEW_TOKEN_KEY] = {"id": token.pk, "secret": secret}
        return redirect("org:account")
    new = request.session.pop(_NEW_TOKEN_KEY, None)
    nonce = get_random_string(32)
    # The last few pages' nonces stay valid, so that a second open tab still works.
    request.session[_TOKEN_NONCE_KEY] = [*request.session.get(_TOKEN_NONCE_KEY, [])[-4:], nonce]
    tokens = list(request.user.api_tokens.all())
    new_token = next((token for token in tokens if new and token.pk == new["id"]), None)
    return render(
        request,
        "org/account.html",
        {"tokens": tokens, "new_token": new_token, "secret": new["secret"] if new_token else "", "nonce": nonce},
    )


@require_POST
def account_token_revoke(request, pk: int):
    # Scoped to the user's own tokens: another user's token answers 404.
    token = get_object_or_404(request.user.api_tokens.all(), pk=pk)
    if token.revoked_at:
        messages.info(request, f"令牌“{token.name}”已于 {timezone.localtime(token.revoked_at):%Y-%m-%d %H:%M} 吊销。")
        return redirect("org:account")
    try:
        services.api_token_revoke(token=token, by=request.user)
    except ActionError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"已吊销令牌“{token.name}”,使用它的程序将无法再访问。")
    return redirect("org:account")


def county_settings(request):
    """督办设置: the office sets the default feedback cadence that imports and 文件分解 give their tasks."""
    from .forms import CountySettingsForm
    from .models import CountySettings

    if not request.user.is_office:
        raise PermissionDenied("督办设置由督查室修改。")
    current = CountySettings.load()
    initial = {"default_cadence": current.default_cadence, "default_cadence_day": current.default_cadence_day}
    form = CountySettingsForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.county_settings_update(
                cadence=form.cleaned_data["default_cadence"], day=form.cleaned_data["default_cadence_day"] or 0,
                by=request.user,
            )  # fmt: skip
        except ActionError as error:
            form.add_error("default_cadence_day", error.message)
        else:
            messages.success(request, "督办设置已保存。")
            return redirect("org:settings")
    return render(request, "org/settings.html", {"form": form, "current": current})


# --- 安全保密管理员: accounts, roles, locks ------------------------------------------


def _require_security(request) -> None:
    if request.user.role != User.Role.SECURITY:
        raise PermissionDenied("此页面仅限安全保密管理员。")


def security_home(request):
    """The security officer's page: locked accounts, the administrator accounts, accounts to watch."""
    from .models import ApiToken, LoginThrottle

    _require_security(request)
    now = timezone.now()
    locks = list(LoginThrottle.objects.filter(locked_until__gt=now).order_by("-locked_until"))
    by_role = dict(
        User.objects.filter(is_active=True).values_list("role").annotate(n=Count("id")).values_list("role", "n")
    )
    context = {
        "locks": locks,
        "role_counts": [(label, by_role.get(value, 0)) for value, label in User.Role.choices],
        "administrators": User.objects.filter(role__in=User.ADMIN_ROLES).order_by("role", "username"),
        "must_change": User.objects.filter(is_active=True, must_change_password=True).count(),
        "disabled": User.objects.filter(is_active=False).count(),
        "live_tokens": ApiToken.objects.filter(revoked_at__isnull=True, user__is_active=True).count(),
        "password_rules": "至少 8 位,须同时包含字母和数字,不能是常见密码或纯数字,不能与用户名、姓名相近",
        "lock_rule": f"连续输错 {settings.LUOSHI_LOGIN_MAX_FAILURES} 次锁定 {settings.LUOSHI_LOGIN_LOCK_MINUTES} 分钟",
        "idle_minutes": settings.LUOSHI_SESSION_IDLE_MINUTES,
    }
    return render(request, "org/security.html", context)


@require_POST
def security_unlock(request):
    _require_security(request)
    username = request.POST.get("username", "").strip()[:150]
    if username:
        services.login_unlock(username=username, by=request.user)
        messages.success(request, f"已解除“{username}”的登录锁定。")
    return redirect("org:security")


# --- 机构改革: rename, merge, split, dissolve (org/reorg.py) ------------------------------------


def reorg_home(request):
    """The system administrator's page of reorganisations: the four operations, past ones, former names."""
    from luoshi.audit.models import AuditEntry

    from .models import UnitNameHistory
    from .reorg import AUDIT_ACTIONS

    _require_admin(request)
    entries = AuditEntry.objects.filter(action__in=AUDIT_ACTIONS).order_by("-seq")[:50]
    history = UnitNameHistory.objects.select_related("unit").order_by("-valid_to", "-id")[:100]
    return render(request, "org/reorg.html", {"entries": entries, "history": history})


def _reorg_fingerprint(request, result=None) -> str:
    """What was previewed: a confirmation of anything else is previewed again first.

    A split's choice of successor per task counts as the preview showed it (the first by default).
    """
    import hashlib

    skipped = {"csrfmiddlewaretoken", "confirm", "preview", "previewed"}
    items = [
        (key, value)
        for key in request.POST
        if key not in skipped and not key.startswith("task_")
        for value in request.POST.getlist(key)
    ]
    if result is not None:
        items += {(f"task_{m.task_id}", str(result.targets.index(m.to_unit))) for m in result.moves if result.targets}
    else:
        items += [(key, request.POST[key]) for key in request.POST if key.startswith("task_")]
    return hashlib.sha256(repr(sorted(items)).encode()).hexdigest()


def _reorg_page(request, form_class, op: str, run):
    """Fill in → preview (a rolled-back run, what moves where) → confirm (the same run, kept)."""
    from .reorg import KIND_LABELS

    _require_admin(request)
    form = form_class(request.POST or None)
    context = {"form": form, "op": op, "title": f"单位{KIND_LABELS[op]}"}
    if request.method == "POST" and form.is_valid():
        fingerprint = _reorg_fingerprint(request)
        confirm = "confirm" in request.POST and request.POST.get("previewed") == fingerprint
        if "confirm" in request.POST and not confirm:
            messages.warning(request, "填写的内容在预览后有改动,请核对下面的新预览后再确认。")
        try:
            result = run(form.cleaned_data, request.POST, dry_run=not confirm)
        except ActionError as error:
            form.add_error(None, error.message)
        else:
            if result.applied:
                counts = ";".join(f"{label} {count}" for label, count in result.counts.items() if count)
                messages.success(request, f"已完成:{result.summary}。{counts}")
                return redirect("org:reorg")
            context.update(result=result, previewed=_reorg_fingerprint(request, result))
    return render(request, "org/reorg_form.html", context)


def reorg_rename_view(request):
    from .forms import ReorgRenameForm
    from .reorg import reorg_rename

    def run(data, post, dry_run):
        return reorg_rename(unit=data["unit"], name=data["name"], short_name=data["short_name"], on=data["on"],
                            by=request.user, dry_run=dry_run)  # fmt: skip

    return _reorg_page(request, ReorgRenameForm, "rename", run)


def reorg_merge_view(request):
    from .forms import ReorgMergeForm
    from .reorg import reorg_merge, successor_resolve

    def run(data, post, dry_run):
        into = successor_resolve(data["into"], short_name=data["short_name"], kind=data["kind"])
        return reorg_merge(sources=list(data["sources"]), into=into, on=data["on"], by=request.user,
                           move_users=data["move_users"], dry_run=dry_run)  # fmt: skip

    return _reorg_page(request, ReorgMergeForm, "merge", run)


def reorg_split_view(request):
    from .forms import ReorgSplitForm
    from .reorg import reorg_split, successor_resolve

    def run(data, post, dry_run):
        successors = [successor_resolve(name, kind=data["kind"]) for name in data["successors"]]
        choices = {}
        for key in post:
            if key.startswith("task_") and key[5:].isdigit() and post[key].isdigit() and len(post[key]) < 4:
                choices[int(key[5:])] = int(post[key])
        return reorg_split(source=data["source"], successors=successors, on=data["on"], by=request.user,
                           choices=choices, users_to=0 if data["users"] == "first" else None,
                           dry_run=dry_run)  # fmt: skip

    return _reorg_page(request, ReorgSplitForm, "split", run)


def reorg_dissolve_view(request):
    from .forms import ReorgDissolveForm
    from .reorg import reorg_dissolve

    def run(data, post, dry_run):
        return reorg_dissolve(unit=data["unit"], on=data["on"], by=request.user, dry_run=dry_run)

    return _reorg_page(request, ReorgDissolveForm, "dissolve", run)
