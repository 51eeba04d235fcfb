"""The working-day calendar's own table: public holidays and 调休 make-up workdays.

The rules that read it live in `luoshi.lib.workdays`; this table is what the office edits.
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone

from luoshi.work.models import AppendOnly


class CalendarDay(models.Model):
    """A date that breaks the weekday rule: a holiday on a weekday, or a working weekend."""

    class Kind(models.TextChoices):
        HOLIDAY = "holiday", "放假"
        WORKDAY = "workday", "调休上班"

    date = models.DateField("日期", unique=True)
    kind = models.CharField("类型", max_length=10, choices=Kind.choices)
    name = models.CharField("节日", max_length=30, blank=True, help_text="如:春节、国庆节")
    updated_by = models.ForeignKey(
        "org.User", verbose_name="修改人", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField("修改时间", default=timezone.now)

    class Meta:
        verbose_name = "节假日与调休"
        verbose_name_plural = "节假日与调休"
        ordering = ["date"]

    def __str__(self) -> str:
        # The years seeded from chinese-calendar hold its English names (National Day): shown in Chinese.
        from .notice import chinese_name

        name = chinese_name(self.name)
        if self.kind == self.Kind.WORKDAY:
            return f"{self.date:%Y-%m-%d} 调休上班" + (f"({name})" if name else "")
        return f"{self.date:%Y-%m-%d} {name or self.get_kind_display()}"


# ---- Backward scheduling (倒排工期): chain templates and projects -------------------------------


class LinkKind(models.TextChoices):
    FS = "FS", "完成-开始"
    SS = "SS", "开始-开始"


class ChainTemplate(models.Model):
    """A chain of steps the office keeps for a kind of project (土地出让, 项目建设), with editable durations."""

    name = models.CharField("模板名称", max_length=100, unique=True)
    description = models.CharField("说明", max_length=300, blank=True)
    created_at = models.DateTimeField("创建时间", default=timezone.now)

    class Meta:
        verbose_name = "工期模板"
        verbose_name_plural = "工期模板"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class TemplateStep(models.Model):
    template = models.ForeignKey(ChainTemplate, verbose_name="模板", on_delete=models.CASCADE, related_name="steps")
    order = models.PositiveSmallIntegerField("顺序")
    name = models.CharField("步骤", max_length=100)
    duration = models.PositiveIntegerField("工期(工作日)")
    weight = models.FloatField("工作量权重", null=True, blank=True)
    unit = models.ForeignKey(
        "org.Unit", verbose_name="默认责任单位", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = "模板步骤"
        verbose_name_plural = "模板步骤"
        ordering = ["template", "order"]
        constraints = [models.UniqueConstraint(fields=["template", "order"], name="plans_template_step_order")]

    def __str__(self) -> str:
        return self.name


class TemplateLink(models.Model):
    template = models.ForeignKey(ChainTemplate, verbose_name="模板", on_delete=models.CASCADE, related_name="links")
    pred = models.ForeignKey(TemplateStep, verbose_name="前置步骤", on_delete=models.CASCADE, related_name="+")
    succ = models.ForeignKey(TemplateStep, verbose_name="后续步骤", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField("类型", max_length=2, choices=LinkKind.choices, default=LinkKind.FS)
    lag = models.IntegerField("间隔(工作日)", default=0)

    class Meta:
        verbose_name = "模板依赖"
        verbose_name_plural = "模板依赖"

    def __str__(self) -> str:
        return f"{self.pred} → {self.succ}({self.kind}{self.lag:+d})"


class ProjectQuerySet(models.QuerySet):
    def visible_to(self, user) -> ProjectQuerySet:
        """The office sees all; a leader the projects of the units they 分管; a unit those it leads or has a step in."""
        from django.db.models import Q

        from luoshi.org.models import Leader, User

        if not user.is_authenticated or not user.is_active:
            return self.none()
        if user.sees_everything:
            return self
        if user.role == User.Role.LEADER and user.leader_id:
            supervised = Leader.supervises.through.objects.filter(leader_id=user.leader_id).values("unit_id")
            stepped = ProjectStep.objects.filter(unit_id__in=supervised).values("project_id")
            return self.filter(Q(unit_id__in=supervised) | Q(pk__in=stepped))
        if user.role == User.Role.UNIT and user.unit_id:
            stepped = ProjectStep.objects.filter(unit_id=user.unit_id).values("project_id")
            return self.filter(Q(unit_id=user.unit_id) | Q(pk__in=stepped))
        return self.none()


class Project(models.Model):
    """A major project scheduled backward from its hard deadline (倒排工期)."""

    name = models.CharField("项目名称", max_length=200)
    unit = models.ForeignKey("org.Unit", verbose_name="牵头单位", on_delete=models.PROTECT, related_name="+")
    template = models.ForeignKey(
        ChainTemplate, verbose_name="模板", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    start = models.DateField("计划开始日期")
    deadline = models.DateField("完成时限")
    front_load = models.BooleanField("前移排程(大头靠前)", default=False)
    created_by = models.ForeignKey("org.User", verbose_name="创建人", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField("创建时间", default=timezone.now)

    objects = ProjectQuerySet.as_manager()

    class Meta:
        verbose_name = "重点项目"
        verbose_name_plural = "重点项目"
        ordering = ["deadline", "id"]

    def __str__(self) -> str:
        return self.name


class ProjectStep(models.Model):
    project = models.ForeignKey(Project, verbose_name="项目", on_delete=models.CASCADE, related_name="steps")
    order = models.PositiveSmallIntegerField("顺序")
    name = models.CharField("步骤", max_length=100)
    duration = models.PositiveIntegerField("工期(工作日)")
    weight = models.FloatField("工作量权重", null=True, blank=True)
    unit = models.ForeignKey(
        "org.Unit", verbose_name="责任单位", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # The link lives here, on the plans side: a report on the task moves the step.
    task = models.OneToOneField(
        "work.Task", verbose_name="督办事项", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = "项目步骤"
        verbose_name_plural = "项目步骤"
        ordering = ["project", "order"]
        constraints = [models.UniqueConstraint(fields=["project", "order"], name="plans_project_step_order")]

    def __str__(self) -> str:
        return self.name


class ProjectLink(models.Model):
    project = models.ForeignKey(Project, verbose_name="项目", on_delete=models.CASCADE, related_name="links")
    pred = models.ForeignKey(ProjectStep, verbose_name="前置步骤", on_delete=models.CASCADE, related_name="+")
    succ = models.ForeignKey(ProjectStep, verbose_name="后续步骤", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField("类型", max_length=2, choices=LinkKind.choices, default=LinkKind.FS)
    lag = models.IntegerField("间隔(工作日)", default=0)

    class Meta:
        verbose_name = "项目依赖"
        verbose_name_plural = "项目依赖"

    def __str__(self) -> str:
        return f"{self.pred} → {self.succ}({self.kind}{self.lag:+d})"


class ProjectEvent(AppendOnly, models.Model):
    """留痕 of a project: created, re-scheduled, steps turned into tasks. Written by services only."""

    class Action(models.TextChoices):
        CREATE = "create", "创建项目"
        FRONT_LOAD = "front_load", "调整排程方式"
        TASKS = "tasks", "生成督办事项"

    project = models.ForeignKey(Project, verbose_name="项目", on_delete=models.CASCADE, related_name="events")
    action = models.CharField("操作", max_length=20, choices=Action.choices)
    actor = models.ForeignKey("org.User", verbose_name="操作人", on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField("时间", default=timezone.now)
    before = models.JSONField("修改前", default=dict, blank=True)
    after = models.JSONField("修改后", default=dict, blank=True)

    class Meta:
        verbose_name = "项目留痕"
        verbose_name_plural = "项目留痕"
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.project} {self.get_action_display()}"

    @staticmethod
    def labels() -> dict[str, str]:
        return {
            "name": "项目名称",
            "deadline": "完成时限",
            "steps": "步骤数",
            "front_load": "前移排程",
            "tasks": "事项数",
        }


# ---- The plan cascade: three-year and annual plans, items, monthly actuals ----------------------


class PlanQuerySet(models.QuerySet):
    def visible_to(self, user) -> PlanQuerySet:
        """The office sees all; a leader the plans of the units they 分管; a unit its own."""
        from luoshi.org.models import Leader, User

        if not user.is_authenticated or not user.is_active:
            return self.none()
        if user.sees_everything:
            return self
        if user.role == User.Role.LEADER and user.leader_id:
            supervised = Leader.supervises.through.objects.filter(leader_id=user.leader_id).values("unit_id")
            return self.filter(unit_id__in=supervised)
        if user.role == User.Role.UNIT and user.unit_id:
            return self.filter(unit_id=user.unit_id)
        return self.none()


class Plan(models.Model):
    """三年行动计划 (rolled each January into a new version, the old kept) or 年度计划."""

    class Horizon(models.TextChoices):
        THREE_YEAR = "three_year", "三年行动计划"
        ANNUAL = "annual", "年度计划"

    unit = models.ForeignKey("org.Unit", verbose_name="单位", on_delete=models.PROTECT, related_name="+")
    horizon = models.CharField("类型", max_length=12, choices=Horizon.choices)
    year = models.PositiveSmallIntegerField("起始年度")
    version = models.PositiveSmallIntegerField("版本", default=1)
    title = models.CharField("名称", max_length=200)
    goals = models.TextField("目标", blank=True)
    previous = models.ForeignKey(
        "self", verbose_name="上一版本", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_by = models.ForeignKey("org.User", verbose_name="编制人", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField("编制时间", default=timezone.now)

    objects = PlanQuerySet.as_manager()

    class Meta:
        verbose_name = "计划"
        verbose_name_plural = "计划"
        ordering = ["unit", "horizon", "-year", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "horizon", "year", "version"], name="plans_plan_version")
        ]
        indexes = [models.Index(fields=["unit", "horizon", "year"], name="plans_plan_unit_year")]

    def __str__(self) -> str:
        return self.title

    @property
    def years(self) -> list[int]:
        return [self.year, self.year + 1, self.year + 2] if self.horizon == self.Horizon.THREE_YEAR else [self.year]


class PlanItem(models.Model):
    """One item of a plan: an indicator with its unit of measure and targets.

    A three-year item has a target per year (`targets`, keyed by year). An annual item has
    its `target` and a monthly `profile`: twelve cumulative figures (what each month must
    reach), or, for an item without a number, twelve milestone texts (`milestones`).
    """

    plan = models.ForeignKey(Plan, verbose_name="计划", on_delete=models.CASCADE, related_name="items")
    order = models.PositiveSmallIntegerField("序号")
    name = models.CharField("事项", max_length=200)
    indicator = models.CharField("指标", max_length=200, blank=True)
    measure = models.CharField("计量单位", max_length=20, blank=True)
    targets = models.JSONField("各年目标", default=dict, blank=True)
    target = models.FloatField("年度目标", null=True, blank=True)
    profile = models.JSONField("逐月累计目标", default=list, blank=True)
    milestones = models.JSONField("逐月节点", default=list, blank=True)

    class Meta:
        verbose_name = "计划事项"
        verbose_name_plural = "计划事项"
        ordering = ["plan", "order"]
        constraints = [models.UniqueConstraint(fields=["plan", "order"], name="plans_item_order")]

    def __str__(self) -> str:
        return self.name


class PlanActual(models.Model):
    """What an item reached by the end of a month (cumulative), entered by the unit."""

    item = models.ForeignKey(PlanItem, verbose_name="计划事项", on_delete=models.CASCADE, related_name="actuals")
    month = models.PositiveSmallIntegerField("月份")
    value = models.FloatField("累计完成", null=True, blank=True)
    note = models.CharField("进展说明", max_length=300, blank=True)
    entered_by = models.ForeignKey("org.User", verbose_name="填报人", on_delete=models.PROTECT, related_name="+")
    entered_at = models.DateTimeField("填报时间", default=timezone.now)

    class Meta:
        verbose_name = "月度完成情况"
        verbose_name_plural = "月度完成情况"
        ordering = ["item", "month"]
        constraints = [models.UniqueConstraint(fields=["item", "month"], name="plans_actual_month")]

    def __str__(self) -> str:
        return f"{self.item} {self.month}月"


class PlanEvent(AppendOnly, models.Model):
    """留痕 of a unit's plans: imported, rolled over, actuals entered. Written by services only."""

    class Action(models.TextChoices):
        IMPORT = "import", "导入计划"
        ROLL = "roll", "滚动编制"
        ACTUALS = "actuals", "填报完成情况"

    plan = models.ForeignKey(Plan, verbose_name="计划", on_delete=models.CASCADE, related_name="events")
    action = models.CharField("操作", max_length=20, choices=Action.choices)
    actor = models.ForeignKey("org.User", verbose_name="操作人", on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField("时间", default=timezone.now)
    before = models.JSONField("修改前", default=dict, blank=True)
    after = models.JSONField("修改后", default=dict, blank=True)

    class Meta:
        verbose_name = "计划留痕"
        verbose_name_plural = "计划留痕"
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.plan} {self.get_action_display()}"

    @staticmethod
    def labels() -> dict[str, str]:
        return {"items": "事项数", "month": "月份", "version": "版本", "values": "填报项数"}


class PlanItemTask(models.Model):
    """The task that serves a plan item; the link is kept here, on the plans side."""

    item = models.ForeignKey(PlanItem, verbose_name="计划事项", on_delete=models.CASCADE, related_name="task_links")
    task = models.OneToOneField("work.Task", verbose_name="督办事项", on_delete=models.CASCADE, related_name="+")

    class Meta:
        verbose_name = "计划事项的督办事项"
        verbose_name_plural = "计划事项的督办事项"

    def __str__(self) -> str:
        return f"{self.item} → {self.task_id}"


# ---- Revenue against debt service (还本付息) ---------------------------------------------------


class RevenuePlan(models.Model):
    """A revenue unit's plan for a year: the annual target split into monthly amounts (万元)."""

    class Kind(models.TextChoices):
        LAND = "land", "土地出让"
        ASSETS = "assets", "资产变现"
        TAX = "tax", "税收"
        OTHER = "other", "其他"

    unit = models.ForeignKey("org.Unit", verbose_name="单位", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField("年度")
    kind = models.CharField("类别", max_length=10, choices=Kind.choices)
    target = models.FloatField("年度目标(万元)")
    monthly = models.JSONField("逐月目标(万元)", default=list)
    projects = models.ManyToManyField(Project, verbose_name="关联项目", blank=True, related_name="+")
    created_by = models.ForeignKey("org.User", verbose_name="编制人", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField("编制时间", default=timezone.now)

    class Meta:
        verbose_name = "收入计划"
        verbose_name_plural = "收入计划"
        ordering = ["year", "unit", "kind"]
        constraints = [models.UniqueConstraint(fields=["unit", "year", "kind"], name="plans_revenue_unit_year_kind")]

    def __str__(self) -> str:
        return f"{self.unit} {self.year}年{self.get_kind_display()}"


class RevenueActual(models.Model):
    plan = models.ForeignKey(RevenuePlan, verbose_name="收入计划", on_delete=models.CASCADE, related_name="actuals")
    month = models.PositiveSmallIntegerField("月份")
    amount = models.FloatField("入库(万元)")
    entered_by = models.ForeignKey("org.User", verbose_name="填报人", on_delete=models.PROTECT, related_name="+")
    entered_at = models.DateTimeField("填报时间", default=timezone.now)

    class Meta:
        verbose_name = "收入完成"
        verbose_name_plural = "收入完成"
        constraints = [models.UniqueConstraint(fields=["plan", "month"], name="plans_revenue_actual_month")]

    def __str__(self) -> str:
        return f"{self.plan} {self.month}月"


class DebtPayment(models.Model):
    """One payment of the county's debt-service calendar (还本付息), imported from the loan schedule."""

    loan = models.CharField("贷款(债务)名称", max_length=200)
    creditor = models.CharField("债权人", max_length=200)
    due = models.DateField("到期日", db_index=True)
    principal = models.FloatField("本金(万元)", default=0)
    interest = models.FloatField("利息(万元)", default=0)
    imported_by = models.ForeignKey("org.User", verbose_name="导入人", on_delete=models.PROTECT, related_name="+")
    imported_at = models.DateTimeField("导入时间", default=timezone.now)

    class Meta:
        verbose_name = "还本付息"
        verbose_name_plural = "还本付息"
        ordering = ["due", "id"]

    def __str__(self) -> str:
        return f"{self.due:%Y-%m-%d} {self.loan}"

    @property
    def amount(self) -> float:
        return self.principal + self.interest
