"""The navigation of base.html, by role, grouped by area.

The office has 26 links: on a desk they sit in one bar, group by group; on a phone
they fold behind one 菜单 button (a checkbox and CSS, no JavaScript), each group a
block of full-width, 44 px tall links. The account's own pages (password, API token,
log out) are in the user's menu, not among the work.
"""

from django.conf import settings
from django.urls import reverse

# The areas, in the bar's order (#13 §4): 督办, 台账, 汇报与会议, 统计, 资料, 设置.
GROUPS = ("督办", "台账", "汇报与会议", "统计", "资料", "设置")


def _nav_for(user) -> list[tuple[str, list[tuple[str, str]]]]:
    groups: dict[str, list[tuple[str, str]]] = {name: [] for name in GROUPS}
    role = user.role
    # 三员分立: the security officer and the auditor have their own work and nothing of the office's.
    if role == "security":
        return [
            (
                "安全",
                [
                    ("账号与安全", reverse("org:security")),
                    ("用户账号", reverse("admin:org_user_changelist")),
                    ("API 令牌", reverse("admin:org_apitoken_changelist")),
                ],
            ),
            ("资料", [("通讯录", reverse("org:directory"))]),
        ]
    if role == "auditor":
        return [
            ("审计", [("审计日志", reverse("audit:index")), ("登录日志", reverse("audit:logins"))]),
            ("资料", [("通讯录", reverse("org:directory"))]),
        ]
    office = user.is_office
    work, ledger, meetings, figures, library, setup = (groups[name] for name in GROUPS)
    if role == "unit" and user.unit_id:
        work += [
            ("待办", reverse("work:inbox")),
            ("本周反馈", reverse("work:week")),
            ("本单位事项", reverse("work:list")),
        ]
        ledger.append(("导入台账", reverse("ledger:upload")))
        meetings.append(("汇报", reverse("reports:briefs")))
    else:
        work.append(("督办事项", reverse("work:list")))
    if office:
        work += [("登记事项", reverse("work:create")), ("待审核", reverse("work:pending"))]
        ledger += [("导入台账", reverse("ledger:upload")), ("文件分解", reverse("intake:index"))]
        meetings += [
            ("汇报", reverse("reports:briefs")),
            ("常务会材料", reverse("reports:packs")),
            ("督查通报", reverse("reports:circulars")),
            ("通知单", reverse("reports:notices")),
        ]
    if role == "leader":
        meetings.append(("待决定汇报", reverse("reports:briefs") + "?status=submitted"))
    work.append(("破难题", reverse("problems:list")))
    ledger.append(("往年归档", reverse("work:archive")))
    if office or role == "leader":
        figures.append(("单位统计", reverse("work:units")))
    if office:
        figures.append(("领导驾驶舱", reverse("cockpit")))
    figures += [
        ("争先进位", reverse("rankings:index")),
        ("计划", reverse("plans:units")),
        ("重点项目", reverse("plans:projects")),
    ]
    if user.sees_everything:
        figures.append(("收入与还本付息", reverse("plans:revenue")))
    library += [("通讯录", reverse("org:directory")), ("文件库", reverse("library:index"))]
    if role == "leader":
        library.append(("分管单位", reverse("org:directory") + "?mine=1"))
    elif role == "unit" and user.unit_id:
        library.append(("本单位", reverse("org:unit", args=[user.unit_id])))
    if office:
        setup += [
            ("联络信息待补", reverse("org:directory") + "?missing=1"),
            ("工作日历", reverse("plans:calendar")),
            ("督办设置", reverse("org:settings")),
        ]
    if role == "admin":
        setup += [
            ("导入组织架构", reverse("org:import")),
            ("机构改革", reverse("org:reorg")),
            ("系统管理", reverse("admin:index")),
        ]
    return [(name, items) for name, items in groups.items() if items]


def navigation(request):
    user = getattr(request, "user", None)
    context = {"county_name": settings.LUOSHI_COUNTY_NAME}
    if user is not None and user.is_authenticated:
        groups = _nav_for(user)
        context["nav_groups"] = groups
        # Flat, for pages that list the links (and the tests that count them).
        context["nav_items"] = [("首页", reverse("home"))] + [item for _, items in groups for item in items]
    return context
