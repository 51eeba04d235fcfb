from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminPasswordChangeForm
from django.contrib.auth.models import Group
from django.db import transaction

from .models import ApiToken, Leader, LoginEvent, LoginThrottle, Unit, UnitAlias, User

# Roles, not groups, decide what a user may do: hide groups to avoid a second, silent scheme.
admin.site.unregister(Group)


class UnitAliasInline(admin.TabularInline):
    model = UnitAlias
    extra = 1
    fields = ["alias", "created_by", "created_at"]
    readonly_fields = ["created_by", "created_at"]


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ["name", "short_name", "kind", "parent", "order", "liaison_name", "liaison_phone", "active"]
    list_filter = ["kind", "active"]
    list_editable = ["order"]
    search_fields = ["name", "short_name", "aliases__alias", "liaison_name"]
    autocomplete_fields = ["parent"]
    inlines = [UnitAliasInline]
    fieldsets = [
        (None, {"fields": ["name", "short_name", "kind", "parent", "order", "active"]}),
        ("联络员", {"fields": ["liaison_name", "liaison_phone", "liaison_mobile"]}),
        ("单位负责人", {"fields": ["head_name", "head_mobile"]}),
    ]

    def save_formset(self, request, form, formset, change):
        for alias in formset.save(commit=False):
            if not alias.created_by_id:
                alias.created_by = request.user
            alias.save()
        for obj in formset.deleted_objects:
            obj.delete()


@admin.register(Leader)
class LeaderAdmin(admin.ModelAdmin):
    list_display = ["name", "title", "order", "is_principal", "fields", "active"]
    list_editable = ["order"]
    search_fields = ["name", "title", "fields"]
    filter_horizontal = ["supervises"]


class PasswordResetByAdminForm(AdminPasswordChangeForm):
    """A password an administrator sets is known to two people: the owner must replace it."""

    def save(self, commit=True):
        self.user.must_change_password = True
        return super().save(commit)


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    change_password_form = PasswordResetByAdminForm
    list_display = ["username", "name", "role", "unit", "leader", "is_active", "must_change_password", "last_login"]
    list_filter = ["role", "is_active", "must_change_password"]
    search_fields = ["username", "name", "phone", "unit__name", "unit__short_name"]
    autocomplete_fields = ["unit"]
    ordering = ["role", "username"]
    fieldsets = [
        (None, {"fields": ["username", "password"]}),
        ("身份", {"fields": ["name", "phone", "email", "role", "unit", "is_unit_head", "leader"]}),
        ("状态", {"fields": ["is_active", "must_change_password", "last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (
            None,
            {"classes": ["wide"], "fields": ["username", "name", "role", "unit", "leader", "password1", "password2"]},
        ),
    ]
    readonly_fields = ["last_login", "date_joined"]
    actions = ["require_password_change", "unlock_login"]

    def get_queryset(self, request):
        # The system administrator keeps the ordinary accounts; the administrators' own are the security officer's.
        users = super().get_queryset(request)
        if request.user.role != User.Role.SECURITY:
            users = users.filter(role__in=User.ORDINARY_ROLES)
        return users

    def formfield_for_choice_field(self, db_field, request, **kwargs):
        if db_field.name == "role" and request.user.role != User.Role.SECURITY:
            kwargs["choices"] = [(value, label) for value, label in User.Role.choices if value in User.ORDINARY_ROLES]
        return super().formfield_for_choice_field(db_field, request, **kwargs)

    def has_change_permission(self, request, obj=None):
        # Nobody edits their own account here (a role, a lock): their own password is changed on the password page.
        if obj is not None and obj.pk == request.user.pk:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        # The trail names accounts: they are disabled (启用 off), never deleted.
        return False

    def save_model(self, request, obj, form, change):
        # A password an administrator typed is known to two people: the owner must replace it.
        if not change or "password" in form.changed_data:
            obj.must_change_password = True
        super().save_model(request, obj, form, change)

    @admin.action(description="下次登录须修改密码")
    def require_password_change(self, request, queryset):
        from luoshi.audit.services import audit_changes, field_values

        count = 0
        with transaction.atomic():
            for user in queryset.select_for_update().exclude(must_change_password=True):
                before = field_values(user)
                user.must_change_password = True
                user.save(update_fields=["must_change_password"])
                audit_changes(obj=user, before=before, by=request.user, action="require_password_change",
                              note="安全管理:要求下次登录修改密码")  # fmt: skip
                count += 1
        self.message_user(request, f"已要求 {count} 个用户下次登录修改密码。", messages.SUCCESS)

    @admin.action(description="解除登录锁定")
    def unlock_login(self, request, queryset):
        from .services import login_unlock

        for user in queryset:
            login_unlock(username=user.username, by=request.user)
        self.message_user(request, f"已解除 {queryset.count()} 个用户的登录锁定。", messages.SUCCESS)


class ReadOnlyAdmin(admin.ModelAdmin):
    """The login log is evidence: administrators read it, nobody edits it."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(LoginEvent)
class LoginEventAdmin(ReadOnlyAdmin):
    list_display = ["at", "kind", "username", "user", "ip", "user_agent"]
    list_filter = ["kind", "at"]
    search_fields = ["username", "ip", "user__name"]
    date_hierarchy = "at"
    list_select_related = ["user"]


@admin.register(LoginThrottle)
class LoginThrottleAdmin(admin.ModelAdmin):
    list_display = ["username", "failures", "locked_until"]
    search_fields = ["username"]
    readonly_fields = ["username", "failures", "locked_until"]

    def has_add_permission(self, request):
        return False


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """The security officer sees every token and revokes one that leaked; nobody reads a secret here."""

    list_display = ["name", "user", "prefix", "created_at", "last_used_at", "revoked_at"]
    list_filter = ["revoked_at"]
    search_fields = ["name", "prefix", "user__username", "user__name"]
    list_select_related = ["user"]
    fields = ["user", "name", "prefix", "created_at", "last_used_at", "revoked_at"]
    readonly_fields = fields
    actions = ["revoke"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_actions(self, request):
        actions = super().get_actions(request)
        if request.user.role != User.Role.SECURITY:
            actions.pop("revoke", None)
        return actions

    @admin.action(description="吊销所选令牌")
    def revoke(self, request, queryset):
        from .services import api_token_revoke

        tokens = list(queryset.filter(revoked_at__isnull=True))
        for token in tokens:
            api_token_revoke(token=token, by=request.user)
        self.message_user(request, f"已吊销 {len(tokens)} 个令牌。", messages.SUCCESS)
