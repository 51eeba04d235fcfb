import json
from functools import update_wrapper

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode

NOT_AN_ADMINISTRATOR = "系统管理仅限系统管理员、安全保密管理员和安全审计员。"
# The roles that enter the admin; what each may do there is User.has_perm (三员分立).
ADMIN_ROLES = ("admin", "security", "auditor")


def _message_text(message) -> str:
    if isinstance(message, list):
        from django.contrib.admin.models import LogEntry

        return LogEntry(change_message=json.dumps(message)).get_change_message()
    return str(message or "")


class AuditedAdmin:
    """Every add, change and delete made in the admin goes into the hash-chained trace (luoshi.audit).

    Mixed into each ModelAdmin the site registers, so that no model's admin can forget it. The values
    before a change are read when the admin loads the object (or, for a list edit, from the database just
    before the save); Django's own admin history is kept as well.
    """

    def get_object(self, request, object_id, from_field=None):
        from luoshi.audit.services import field_values

        obj = super().get_object(request, object_id, from_field)
        if obj is not None:
            obj._audit_before = field_values(obj)
        return obj

    def save_model(self, request, obj, form, change):
        from luoshi.audit.services import field_values

        if change and not hasattr(obj, "_audit_before"):
            stored = type(obj)._default_manager.filter(pk=obj.pk).first()
            obj._audit_before = field_values(stored) if stored is not None else None
        super().save_model(request, obj, form, change)

    def log_addition(self, request, obj, message):
        from luoshi.audit.services import audit_changes

        audit_changes(
            obj=obj, before=None, by=request.user, action="admin_add",
            note=f"系统管理:新增{obj._meta.verbose_name}“{obj}”",
        )  # fmt: skip
        return super().log_addition(request, obj, message)

    def log_change(self, request, obj, message):
        from luoshi.audit.services import audit_changes, audit_record

        text = _message_text(message)
        note = f"系统管理:修改{obj._meta.verbose_name}“{obj}”" + (f"({text})" if text else "")
        before = getattr(obj, "_audit_before", None)
        entry = None
        if before is not None:
            entry = audit_changes(obj=obj, before=before, by=request.user, action="admin_change", note=note)
        if entry is None:
            # Nothing on the object itself changed (an inline row did), or its state before is unknown.
            audit_record(obj=obj, action="admin_change", by=request.user, note=note)
        return super().log_change(request, obj, message)

    def log_deletions(self, request, queryset):
        from luoshi.audit.services import audit_record, field_values

        for obj in queryset:
            audit_record(
                obj=obj, action="admin_delete", by=request.user,
                note=f"系统管理:删除{obj._meta.verbose_name}“{obj}”", before=field_values(obj),
            )  # fmt: skip
        return super().log_deletions(request, queryset)


class LuoshiAdminSite(admin.AdminSite):
    """The Django admin, for administrators only, with Luoshi's own login page.

    Everyone logs in through one page, so the account lock and the login log
    cannot be bypassed through /admin/login/. A logged-in user who is not an
    administrator is refused outright rather than offered another login.
    """

    site_header = "落实 · 系统管理"
    site_title = "落实 · 系统管理"
    index_title = "系统管理"
    site_url = "/"

    def has_permission(self, request):
        user = request.user
        return user.is_active and user.is_authenticated and user.role in ADMIN_ROLES

    def register(self, model_or_iterable, admin_class=None, **options):
        # Every model's admin is traced, whichever app registers it.
        admin_class = admin_class or admin.ModelAdmin
        if not issubclass(admin_class, AuditedAdmin):
            admin_class = type(
                admin_class.__name__, (AuditedAdmin, admin_class), {"__module__": admin_class.__module__}
            )
        return super().register(model_or_iterable, admin_class, **options)

    def admin_view(self, view, cacheable=False):
        inner = super().admin_view(view, cacheable)

        def guarded(request, *args, **kwargs):
            if request.user.is_authenticated and not self.has_permission(request):
                raise PermissionDenied(NOT_AN_ADMINISTRATOR)
            return inner(request, *args, **kwargs)

        return update_wrapper(guarded, inner)

    def logout(self, request, extra_context=None):
        # One logout too, so that the login log sees it.
        from .views import logout_view

        return logout_view(request)

    def login(self, request, extra_context=None):
        if request.user.is_authenticated:
            raise PermissionDenied(NOT_AN_ADMINISTRATOR)
        target = request.GET.get("next") or reverse("admin:index")
        return redirect(f"{reverse('login')}?{urlencode({'next': target})}")
