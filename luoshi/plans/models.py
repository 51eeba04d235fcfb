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
        return f"{self.date:%Y-%m-%d} {self.get_kind_display()} {self.name}".strip()


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
