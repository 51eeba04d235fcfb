"""The demo county 示范县: units, leaders and the demo logins."""

from django.db import transaction

from . import demo_data
from .models import Leader, Unit, UnitAlias, User

DEMO_PASSWORD = "luoshi2026"

# (username, name, role, unit name, leader title) — see the README's demo logins.
DEMO_USERS = [
    ("office", "刘洋", User.Role.OFFICE, None, None),
    ("leader", None, User.Role.LEADER, None, "常务副县长"),
    ("unit", None, User.Role.UNIT, "财政局", None),
    ("unit2", None, User.Role.UNIT, "住房和城乡建设局", None),
    ("admin", "系统管理员", User.Role.ADMIN, None, None),
    ("security", "安全保密管理员", User.Role.SECURITY, None, None),
    ("auditor", "安全审计员", User.Role.AUDITOR, None, None),
]

DEMO_LOGINS = [
    ("office", "督查室"),
    ("leader", "常务副县长(分管财政局等)"),
    ("unit", "财政局联络员"),
    ("unit2", "住建局联络员(不归 leader 分管)"),
    ("admin", "系统管理员"),
    ("security", "安全保密管理员(账号、角色、锁定)"),
    ("auditor", "安全审计员(审计日志)"),
]


@transaction.atomic
def demo_load(*, with_tasks: bool = True) -> dict[str, int]:
    """Create or bring back up to date the demo county. Safe to run again.

    Steps: units and their aliases; leaders and what they 分管; the demo
    logins (a demo login that exists keeps its password); then, unless
    `with_tasks` is off (tests that need only the organisation), the year's tasks.
    """
    order_by_kind: dict[str, int] = {}
    units: dict[str, Unit] = {}
    for row in demo_data.UNITS:
        order_by_kind[row["kind"]] = order_by_kind.get(row["kind"], 0) + 10
        unit, _ = Unit.objects.update_or_create(
            name=row["name"],
            defaults={
                "short_name": row.get("short_name", ""),
                "kind": row["kind"],
                "order": order_by_kind[row["kind"]],
                "active": True,
                "liaison_name": row.get("liaison_name", ""),
                "liaison_phone": row.get("liaison_phone", ""),
                "liaison_mobile": row.get("liaison_mobile", ""),
            },
        )
        units[unit.name] = unit
        for alias in row.get("aliases", []):
            UnitAlias.objects.get_or_create(alias=alias, defaults={"unit": unit})

    leaders: dict[str, Leader] = {}
    for order, row in enumerate(demo_data.LEADERS, start=1):
        leader, _ = Leader.objects.update_or_create(
            name=row["name"],
            defaults={
                "title": row["title"],
                "order": order * 10,
                "is_principal": row.get("is_principal", False),
                "fields": "、".join(row.get("fields", [])),
                "active": True,
            },
        )
        leader.supervises.set([units[name] for name in row.get("supervises", [])])
        leaders[leader.name] = leader

    for username, name, role, unit_name, leader_title in DEMO_USERS:
        unit = units[unit_name] if unit_name else None
        leader = next(each for each in leaders.values() if each.title == leader_title) if leader_title else None
        user = User.objects.filter(username=username).first()
        if user is None:
            user = User(username=username)
            user.set_password(DEMO_PASSWORD)
        user.role, user.unit, user.leader = role, unit, leader
        user.name = name or (leader.name if leader else unit.liaison_name if unit else username)
        user.phone = unit.liaison_mobile if unit else ""
        user.is_active = True
        user.save()

    # Last, the county's tasks of the year so far, registered and worked through the real services.
    from luoshi.problems.demo import demo_problems_load
    from luoshi.work.demo import demo_tasks_load

    tasks = demo_tasks_load() if with_tasks else 0
    if with_tasks:  # the morning's reminders, so that the message centre has something to show
        from django.utils import timezone

        from luoshi.notify.reminders import reminders_run

        reminders_run(day=timezone.localdate())
        from luoshi.notify.demo import demo_notify_load

        demo_notify_load()  # a unit head, and 督办通知单 with and without 回执
    if with_tasks:
        from luoshi.plans.demo import demo_plans_load

        demo_plans_load()
    if with_tasks:
        from luoshi.rankings.demo import demo_rankings_load

        demo_rankings_load()
    if with_tasks:
        demo_problems_load()
    if with_tasks:
        from luoshi.library.demo import demo_library_load

        demo_library_load()
    return {"units": len(units), "leaders": len(leaders), "users": len(DEMO_USERS), "tasks": tasks}
