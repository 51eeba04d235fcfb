from functools import update_wrapper

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode

NOT_AN_ADMINISTRATOR = "系统管理仅限系统管理员。"


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
        return user.is_active and user.is_authenticated and (user.role == "admin" or user.is_superuser)

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
