"""The demo county's plans: the two chain templates and two projects scheduled from them.

`templates_load` is safe to run again; `demo_plans_load` adds the projects once, made by
the office through the same services as by hand.
"""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils import timezone

from luoshi.org.models import Unit, User

from .models import ChainTemplate, LinkKind, Plan, Project, RevenuePlan, TemplateLink, TemplateStep
from .projects import project_from_template

LAND = "土地出让"
BUILD = "项目建设"

# (name, working days, unit name, weight); links: (pred, succ, kind, lag).
TEMPLATES = {
    LAND: {
        "description": "规划指标 → 计划指标 → 占补平衡 → 报批 → 招拍挂,全程约需大半年,须及早启动。",
        "steps": [
            ("规划指标", 40, "自然资源局", None),
            ("计划指标", 30, "自然资源局", None),
            ("占补平衡", 45, "农业农村局", None),
            ("报批", 40, "自然资源局", None),
            ("招拍挂", 30, "公共资源交易中心", None),
        ],
        "links": [(0, 1, LinkKind.FS, 0), (1, 2, LinkKind.FS, 0), (2, 3, LinkKind.FS, 5), (3, 4, LinkKind.FS, 0)],
    },
    BUILD: {
        "description": "立项 → 可研 → 用地 → 规划许可 → 施工图审查 → 招标 → 施工许可 → 开工;用地预审可在可研开始后并行。",
        "steps": [
            ("立项", 10, "发展和改革委员会", None),
            ("可研", 25, "发展和改革委员会", None),
            ("用地", 30, "自然资源局", None),
            ("规划许可", 15, "自然资源局", None),
            ("施工图审查", 20, "住房和城乡建设局", None),
            ("招标", 25, "公共资源交易中心", None),
            ("施工许可", 10, "住房和城乡建设局", None),
            ("开工", 5, "住房和城乡建设局", None),
        ],
        "links": [
            (0, 1, LinkKind.FS, 0),
            (1, 2, LinkKind.SS, 10),
            (1, 3, LinkKind.FS, 0),
            (2, 3, LinkKind.FS, 0),
            (3, 4, LinkKind.FS, 0),
            (4, 5, LinkKind.FS, 0),
            (5, 6, LinkKind.FS, 0),
            (6, 7, LinkKind.FS, 0),
        ],
    },
}


@transaction.atomic
def templates_load() -> dict[str, ChainTemplate]:
    """The two demo chains; a template the office has already edited is left as it is."""
    units = {unit.name: unit for unit in Unit.objects.all()}
    result = {}
    for name, spec in TEMPLATES.items():
        template, created = ChainTemplate.objects.get_or_create(
            name=name, defaults={"description": spec["description"]}
        )
        result[name] = template
        if not created and template.steps.exists():
            continue
        steps = [
            TemplateStep.objects.create(
                template=template, order=i, name=step, duration=days, unit=units.get(unit_name), weight=weight
            )
            for i, (step, days, unit_name, weight) in enumerate(spec["steps"])
        ]
        for pred, succ, kind, lag in spec["links"]:
            TemplateLink.objects.create(template=template, pred=steps[pred], succ=steps[succ], kind=kind, lag=lag)
    return result


def demo_plans_load() -> dict[str, int]:
    """Templates; two projects; three-year and annual plans with actuals; revenue plans and a debt calendar.

    Each part is added once: a demo that has it already is left as it is.
    """
    templates = templates_load()
    office = User.objects.filter(role=User.Role.OFFICE, is_active=True).order_by("pk").first()
    units = {unit.name: unit for unit in Unit.objects.all()}
    if office is None or "自然资源局" not in units:
        return {}
    today = timezone.localdate()
    year = today.year
    counts = {}
    land = None
    if not Project.objects.exists():
        land, _ = project_from_template(
            template=templates[LAND], name=f"城东片区{year + 1}年第一批次地块出让", unit=units["自然资源局"],
            deadline=date(year + 1, 12, 20), by=office,
        )  # fmt: skip
        project_from_template(
            template=templates[BUILD], name="县人民医院新院区建设",
            unit=units.get("卫生健康委员会", units["自然资源局"]), deadline=date(year + 1, 6, 30), by=office,
        )  # fmt: skip
        counts["projects"] = 2
    if not Plan.objects.exists():
        counts["plans"] = _plans(units, office, year, today)
    if not RevenuePlan.objects.exists():
        counts["revenue"] = _revenue(units, office, year, land)
        # Today's 还本付息预警 in the office's message centre, as the daily job would raise them.
        from .revenue import debt_warnings_raise

        counts["debt_warnings"] = debt_warnings_raise(day=today)
    return counts


# Three-year items per unit: (item, indicator, measure, targets for the three years).
THREE_YEAR = {
    "财政局": [
        ("一般公共预算收入", "收入总量", "亿元", (8.6, 9.3, 10.0)),
        ("化解隐性债务", "化债规模", "亿元", (2.0, 2.0, 1.5)),
        ("盘活存量资产", "资产处置收入", "亿元", (1.2, 1.5, 1.8)),
    ],
    "自然资源局": [
        ("经营性用地出让", "出让面积", "亩", (600, 650, 700)),
        ("耕地占补平衡", "补充耕地", "亩", (300, 300, 350)),
    ],
    "住房和城乡建设局": [
        ("老旧小区改造", "改造小区", "个", (25, 30, 30)),
        ("保障性住房建设", "开工套数", "套", (400, 500, 500)),
    ],
    "柳林镇": [("人居环境整治", "达标村", "个", (12, 18, 24))],
}
# The annual plan of 财政局 for this year: (item, indicator, measure, target, actual share by month end).
ANNUAL = [
    ("一般公共预算收入", "收入总量", "亿元", 9.3, 0.95),
    ("化解隐性债务", "化债规模", "亿元", 2.0, 0.80),
    ("盘活存量资产", "资产处置收入", "亿元", 1.5, 1.05),
]


def _plans(units, office, year: int, today: date) -> int:
    from .cascade import ItemInput, annual_progress, plan_actuals_save, plan_roll, plan_save
    from .models import Plan

    count = 0
    for name, rows in THREE_YEAR.items():
        unit = units.get(name)
        if unit is None:
            continue
        first = plan_save(
            unit=unit, horizon=Plan.Horizon.THREE_YEAR, year=year - 1, by=office,
            goals="围绕县委县政府“三要”部署,滚动编制,逐年落实。",
            items=[
                ItemInput(item, indicator, measure, targets={str(year - 1 + i): t for i, t in enumerate(targets)})
                for item, indicator, measure, targets in rows
            ],
        )  # fmt: skip
        rolled = plan_roll(plan=first, by=office)
        # The new third year is added; the first item's next-year target is raised (调整).
        for i, item in enumerate(rolled.items.order_by("order")):
            last = item.targets.get(str(year + 1), 0)
            item.targets[str(year + 2)] = round(last * 1.05, 2)
            if i == 0:
                item.targets[str(year + 1)] = round(last * 1.03, 2)
            item.save(update_fields=["targets"])
        count += 2
    finance = units.get("财政局")
    if finance is not None:
        plan = plan_save(
            unit=finance, horizon=Plan.Horizon.ANNUAL, year=year, by=office,
            items=[ItemInput(item, indicator, measure, target) for item, indicator, measure, target, _ in ANNUAL]
            + [ItemInput("出台国有资产盘活办法", milestones=["", "", "起草", "", "征求意见", "印发"] + [""] * 6)],
        )  # fmt: skip
        shares = {item: share for item, _, _, _, share in ANNUAL}
        for month in range(1, today.month):
            values = {}
            for progress in annual_progress(plan, month=month):
                if progress.expected is not None:
                    values[progress.item.pk] = (round(progress.expected * shares[progress.item.name], 2), "")
            plan_actuals_save(plan=plan, month=month, values=values, by=office)
        count += 1
    return count


# Revenue units, their kind and annual target (万元).
REVENUE = [
    ("自然资源局", "land", 52000),
    ("国有资产监督管理局", "assets", 12000),
    ("住房和城乡建设局", "other", 6000),
    ("财政局", "tax", 93000),
]
DEBT = [
    ("棚户区改造专项债", "中国农业发展银行", 3, 20, 8000, 520),
    ("交通基础设施贷款", "国家开发银行", 6, 21, 12000, 760),
    ("产业集聚区标准化厂房贷款", "县农商银行", 9, 20, 6000, 380),
    ("城乡供水一体化专项债", "省财政厅(转贷)", 12, 21, 15000, 900),
    ("保障房建设贷款", "中国建设银行", 12, 28, 9000, 540),
]


def _revenue(units, office, year: int, land) -> int:
    from .revenue import DebtRow, debt_import, revenue_actual_save, revenue_plan_save

    today = timezone.localdate()
    count = 0
    for name, kind, target in REVENUE:
        unit = units.get(name)
        if unit is None:
            continue
        plan = revenue_plan_save(
            unit=unit, year=year, kind=kind, target=target, by=office,
            projects=[land] if kind == "land" and land is not None else [],
        )  # fmt: skip
        for month in range(1, today.month + 1):
            share = 0.9 if month < today.month else 0.2
            revenue_actual_save(plan=plan, month=month, amount=round(plan.monthly[month - 1] * share, 2), by=office)
        count += 1
    debt_import(
        rows=[DebtRow(loan, creditor, date(year, m, d), p, i) for loan, creditor, m, d, p, i in DEBT], by=office
    )
    return count
