"""The navigation of base.html, by role."""

from django.conf import settings
from django.urls import reverse


def _nav_for(user) -> list[tuple[str, str]]:
    items = [("首页", reverse("home"))]
    role = user.role
    # 三员分立: the security officer and the auditor have their own work and nothing of the office's.
    if role == "security":
        return [
            *items,
            ("账号与安全", reverse("org:security")),
            ("用户账号", reverse("admin:org_user_changelist")),
            ("API 令牌", reverse("admin:org_apitoken_changelist")),
            ("通讯录", reverse("org:directory")),
        ]
    if role == "auditor":
        return [
            *items,
            ("审计日志", reverse("audit:index")),
            ("登录日志", reverse("audit:logins")),
            ("通讯录", reverse("org:directory")),
        ]
    office = user.is_office
    if role == "unit" and user.unit_id:
        items += [
            ("待办", reverse("work:inbox")),
            ("本周反馈", reverse("work:week")),
            ("本单位事项", reverse("work:list")),
            ("导入台账", reverse("ledger:upload")),
            ("汇报", reverse("reports:briefs")),
        ]
    else:
        items.append(("督办事项", reverse("work:list")))
    if office:
        items += [
            ("登记事项", reverse("work:create")),
            ("导入台账", reverse("ledger:upload")),
            ("文件分解", reverse("intake:index")),
            ("待审核", reverse("work:pending")),
            ("汇报", reverse("reports:briefs")),
            ("常务会材料", reverse("reports:packs")),
            ("督查通报", reverse("reports:circulars")),
            ("通知单", reverse("reports:notices")),
        ]
    if role == "leader":
        items.append(("待决定汇报", reverse("reports:briefs") + "?status=submitted"))
    if office or role == "leader":
        items.append(("单位统计", reverse("work:units")))
    if office:
        items.append(("领导驾驶舱", reverse("cockpit")))
    items += [("往年归档", reverse("work:archive")), ("通讯录", reverse("org:directory"))]
    items.append(("争先进位", reverse("rankings:index")))
    items.append(("破难题", reverse("problems:list")))
    items.append(("文件库", reverse("library:index")))
    items.append(("计划", reverse("plans:units")))
    items.append(("重点项目", reverse("plans:projects")))
    if user.sees_everything:
        items.append(("收入与还本付息", reverse("plans:revenue")))
    if office:
        items += [
            ("联络信息待补", reverse("org:directory") + "?missing=1"),
            ("工作日历", reverse("plans:calendar")),
            ("督办设置", reverse("org:settings")),
        ]
    if role == "leader":
        items.append(("分管单位", reverse("org:directory") + "?mine=1"))
    elif role == "unit" and user.unit_id:
        items.append(("本单位", reverse("org:unit", args=[user.unit_id])))
    if role == "admin":
        items += [
            ("导入组织架构", reverse("org:import")),
            ("系统管理", reverse("admin:index")),
        ]
    return items


def navigation(request):
    user = getattr(request, "user", None)
    context = {"county_name": settings.LUOSHI_COUNTY_NAME}
    if user is not None and user.is_authenticated:
        context["nav_items"] = _nav_for(user)
    return context
