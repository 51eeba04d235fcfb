"""The demo county's plans: the two chain templates and two projects scheduled from them.

`templates_load` is safe to run again; `demo_plans_load` adds the projects once, made by
the office through the same services as by hand.
"""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils import timezone

from luoshi.org.models import Unit, User

from .models import ChainTemplate, LinkKind, Project, TemplateLink, TemplateStep
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


def demo_plans_load() -> int:
    """Templates, and two projects due at the end of next year, unless the demo has projects already."""
    templates = templates_load()
    if Project.objects.exists():
        return 0
    office = User.objects.filter(role=User.Role.OFFICE, is_active=True).order_by("pk").first()
    units = {unit.name: unit for unit in Unit.objects.all()}
    if office is None or "自然资源局" not in units:
        return 0
    year = timezone.localdate().year + 1
    project_from_template(
        template=templates[LAND], name=f"城东片区{year}年第一批次地块出让", unit=units["自然资源局"],
        deadline=date(year, 12, 20), by=office,
    )  # fmt: skip
    project_from_template(
        template=templates[BUILD], name="县人民医院新院区建设", unit=units.get("卫生健康委员会", units["自然资源局"]),
        deadline=date(year, 6, 30), by=office,
    )  # fmt: skip
    return 2
