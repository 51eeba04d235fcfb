"""The navigation of base.html, by role."""

from django.conf import settings
from django.urls import reverse


def _nav_for(user) -> list[tuple[str, str]]:
    items = [("首页", reverse("home")), ("通讯录", reverse("org:directory"))]
    role = user.role
    if role in ("office", "admin") or user.is_superuser:
        items.append(("联络信息待补", reverse("org:directory") + "?missing=1"))
    if role == "leader":
        items.append(("分管单位", reverse("org:directory") + "?mine=1"))
    elif role == "unit" and user.unit_id:
        items.append(("本单位", reverse("org:unit", args=[user.unit_id])))
    if role == "admin" or user.is_superuser:
        items += [
            ("导入组织架构", reverse("org:import")),
            ("登录日志", reverse("admin:org_loginevent_changelist")),
            ("系统管理", reverse("admin:index")),
        ]
    return items


def navigation(request):
    user = getattr(request, "user", None)
    context = {"county_name": settings.LUOSHI_COUNTY_NAME}
    if user is not None and user.is_authenticated:
        context["nav_items"] = _nav_for(user)
    return context
