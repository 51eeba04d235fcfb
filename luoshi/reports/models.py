"""汇报与会议材料: the multiple-choice brief, the executive-meeting pack, the circular and numbered notices."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone

from luoshi.org.models import Leader, Unit, User
from luoshi.work.models import AppendOnly, Task

NUMERALS = "一二三四五六七八九十"


def option_label(number: int | None) -> str:
    """方案一, 方案二…: how an option is named on every page and document."""
    if not number:
        return "—"
    return f"方案{NUMERALS[number - 1] if number <= len(NUMERALS) else number}"


class BriefQuerySet(models.QuerySet):
    def visible_to(self, user: User) -> BriefQuerySet:
        """The office sees every brief; a leader those submitted by the units they 分管; a liaison its own unit's."""
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if user.sees_everything:
            return self
        if user.role == User.Role.LEADER and user.leader_id:
            # A draft is the unit's work in progress: a leader reads a brief once it is put to them.
            supervised = Leader.supervises.through.objects.filter(leader_id=user.leader_id).values("unit_id")
            return self.filter(Q(unit_id__in=supervised) | Q(leader_id=user.leader_id)).exclude(
                status=Brief.Status.DRAFT
            )
        if user.role == User.Role.UNIT and user.unit_id:
            return self.filter(unit_id=user.unit_id)
        return self.none()


class Brief(models.Model):
    """汇报: a unit's multiple-choice question to the leader who 分管 it, never an open one."""

    class Status(models.TextChoices):
        DRAFT = "draft", "草稿"
        SUBMITTED = "submitted", "待领导决定"
        DECIDED = "decided", "已决定"
        RETURNED = "returned", "退回完善"

    EDITABLE = ["draft", "returned"]

    unit = models.ForeignKey(Unit, verbose_name="汇报单位", on_delete=models.PROTECT, related_name="briefs")
    subject = models.CharField("汇报事项", max_length=200)
    requirements = models.TextField("上级要求", blank=True)
    situation = models.TextField("本县情况", blank=True)
    peers = models.TextField("兄弟县情况", blank=True)
    question = models.TextField("请示事项", blank=True)
    # The number (1, 2, …) of the recommended option, as the options are numbered.
    recommended = models.PositiveSmallIntegerField("推荐方案", null=True, blank=True)
    status = models.CharField("状态", max_length=20, choices=Status.choices, default=Status.DRAFT)
    leader = models.ForeignKey(
        Leader, verbose_name="呈报领导", null=True, blank=True, on_delete=models.PROTECT, related_name="briefs"
    )
    submitted_at = models.DateTimeField("呈报时间", null=True, blank=True)
    chosen = models.PositiveSmallIntegerField("领导选定方案", null=True, blank=True)
    decision_note = models.TextField("领导意见", blank=True)
    decided_by = models.ForeignKey(
        User, verbose_name="决定人", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField("决定时间", null=True, blank=True)
    follow_ups = models.ManyToManyField(Task, verbose_name="后续事项", blank=True, related_name="briefs")
    created_by = models.ForeignKey(User, verbose_name="起草人", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField("起草时间", default=timezone.now)
    updated_at = models.DateTimeField("更新时间", default=timezone.now)

    objects = BriefQuerySet.as_manager()

    class Meta:
        verbose_name = "汇报"
        verbose_name_plural = "汇报"
        ordering = ["-updated_at", "-id"]
        indexes = [
            models.Index(fields=["unit", "status"], name="brief_unit_status"),
            models.Index(fields=["status", "submitted_at"], name="brief_status_submitted"),
        ]

    def __str__(self) -> str:
        return self.subject

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("reports:brief", args=[self.pk])

    @property
    def is_editable(self) -> bool:
        return self.status in self.EDITABLE

    @property
    def recommended_label(self) -> str:
        return option_label(self.recommended)

    @property
    def chosen_label(self) -> str:
        return option_label(self.chosen)

    def option(self, number: int | None) -> BriefOption | None:
        return next((o for o in self.options.all() if o.position == number), None)


class BriefOption(models.Model):
    """One option of a brief, with its pros (利) and cons (弊)."""

    brief = models.ForeignKey(Brief, verbose_name="汇报", on_delete=models.CASCADE, related_name="options")
    position = models.PositiveSmallIntegerField("序号")
    title = models.TextField("方案")
    pros = models.TextField("利")
    cons = models.TextField("弊")

    class Meta:
        verbose_name = "汇报方案"
        verbose_name_plural = "汇报方案"
        ordering = ["position"]
        constraints = [models.UniqueConstraint(fields=["brief", "position"], name="brief_option_position")]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        return option_label(self.position)


class BriefEventQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise TypeError("留痕记录不可修改。")

    def delete(self):
        raise TypeError("留痕记录不可删除。")


class BriefEvent(AppendOnly, models.Model):
    """留痕 of a brief: who did what, when, and the fields before and after. Never updated or deleted."""

    class Action(models.TextChoices):
        CREATE = "create", "起草"
        EDIT = "edit", "修改"
        SUBMIT = "submit", "呈报"
        DECIDE = "decide", "领导决定"
        RETURN = "return", "退回完善"

    brief = models.ForeignKey(Brief, verbose_name="汇报", on_delete=models.PROTECT, related_name="events")
    at = models.DateTimeField("时间", default=timezone.now)
    actor = models.ForeignKey(User, verbose_name="操作人", on_delete=models.PROTECT, related_name="+")
    action = models.CharField("操作", max_length=20, choices=Action.choices)
    note = models.TextField("说明", blank=True)
    before = models.JSONField("修改前", default=dict, blank=True)
    after = models.JSONField("修改后", default=dict, blank=True)

    objects = BriefEventQuerySet.as_manager()

    class Meta:
        verbose_name = "汇报留痕"
        verbose_name_plural = "汇报留痕"
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["brief", "at"], name="brief_event_at")]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.get_action_display()}"

    def labels(self) -> dict[str, str]:
        return BRIEF_FIELD_LABELS


BRIEF_FIELD_LABELS = {
    "status": "状态",
    "subject": "汇报事项",
    "requirements": "上级要求",
    "situation": "本县情况",
    "peers": "兄弟县情况",
    "question": "请示事项",
    "options": "方案",
    "recommended": "推荐方案",
    "leader": "呈报领导",
    "chosen": "选定方案",
    "decision_note": "领导意见",
    "follow_ups": "后续事项",
}


class MeetingPack(models.Model):
    """常务会材料: what was presented at one executive meeting, frozen when the office issued it."""

    meeting_date = models.DateField("会议日期", unique=True)
    title = models.CharField("标题", max_length=200)
    # Everything the pack shows, as compiled at issue; later changes to tasks do not reach it.
    snapshot = models.JSONField("材料内容")
    # The chart of lights by unit, drawn from the snapshot at issue, as the document shows it.
    chart = models.BinaryField("图表(PNG)", blank=True, editable=False)
    issued_by = models.ForeignKey(User, verbose_name="印发人", on_delete=models.PROTECT, related_name="+")
    issued_at = models.DateTimeField("印发时间", default=timezone.now)

    class Meta:
        verbose_name = "常务会材料"
        verbose_name_plural = "常务会材料"
        ordering = ["-meeting_date"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("reports:pack", args=[self.pk])


def default_weights() -> dict:
    """The circular's score: points for 办结率, 按期办结率 and 反馈及时率; deductions per overdue task and urge."""
    return {"done": 40, "on_time": 40, "reports": 20, "overdue": 2, "urges": 1}


class Circular(models.Model):
    """督查通报: the units' figures for a month or a quarter, ranked, with the office's framing text."""

    class PeriodKind(models.TextChoices):
        MONTH = "month", "月度"
        QUARTER = "quarter", "季度"

    class Status(models.TextChoices):
        DRAFT = "draft", "草稿"
        ISSUED = "issued", "已印发"

    period_kind = models.CharField("通报周期", max_length=10, choices=PeriodKind.choices)
    year = models.PositiveSmallIntegerField("年度")
    period_number = models.PositiveSmallIntegerField("月份或季度")
    start = models.DateField("起始日期")
    end = models.DateField("截止日期")
    title = models.CharField("标题", max_length=200)
    intro = models.TextField("通报正文(导语)", blank=True)
    closing = models.TextField("下一步要求", blank=True)
    # The composite score's weights and the minimum volume to be ranked, set by the office and frozen with it.
    weights = models.JSONField("评分权重", default=default_weights)
    min_tasks = models.PositiveSmallIntegerField("参与排名的最少交办事项数", default=3)
    # The figures as computed (at creation, and again at issue); the pages and files read them from here.
    snapshot = models.JSONField("通报数据")
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.DRAFT)
    created_by = models.ForeignKey(User, verbose_name="起草人", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField("起草时间", default=timezone.now)
    issued_by = models.ForeignKey(
        User, verbose_name="印发人", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    issued_at = models.DateTimeField("印发时间", null=True, blank=True)

    class Meta:
        verbose_name = "督查通报"
        verbose_name_plural = "督查通报"
        ordering = ["-start", "-id"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("reports:circular", args=[self.pk])

    @property
    def period_label(self) -> str:
        if self.period_kind == self.PeriodKind.MONTH:
            return f"{self.year}年{self.period_number}月"
        return f"{self.year}年第{'一二三四'[self.period_number - 1]}季度"


class NoticeCounter(models.Model):
    """The last number used for a kind of notice in a year; locked while numbers are taken."""

    kind = models.CharField("类别", max_length=10)
    year = models.PositiveSmallIntegerField("年度")
    last = models.PositiveIntegerField("已用至", default=0)

    class Meta:
        verbose_name = "通知单编号"
        verbose_name_plural = "通知单编号"
        constraints = [models.UniqueConstraint(fields=["kind", "year"], name="notice_counter_kind_year")]

    def __str__(self) -> str:
        return f"{self.kind} {self.year}: {self.last}"


class Notice(models.Model):
    """督办通知单 / 催办通知单: a numbered, printable notice about one task, for a unit that will not log in."""

    class Kind(models.TextChoices):
        SUPERVISE = "supervise", "督办通知单"
        URGE = "urge", "催办通知单"

    PREFIX = {"supervise": "督办", "urge": "催办"}

    kind = models.CharField("类别", max_length=10, choices=Kind.choices)
    year = models.PositiveSmallIntegerField("年度")
    number = models.PositiveIntegerField("编号")
    batch = models.UUIDField("批次", db_index=True)
    task = models.ForeignKey(Task, verbose_name="事项", on_delete=models.PROTECT, related_name="notices")
    unit = models.ForeignKey(Unit, verbose_name="承办单位", on_delete=models.PROTECT, related_name="notices")
    # What the notice said, kept as printed.
    title = models.CharField("事项名称", max_length=300)
    requirement = models.TextField("具体要求", blank=True)
    source = models.CharField("来源", max_length=300, blank=True)
    deadline = models.CharField("完成时限", max_length=50, blank=True)
    overdue = models.TextField("逾期情况", blank=True)
    message = models.TextField("督办要求", blank=True)
    created_by = models.ForeignKey(User, verbose_name="制发人", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField("制发时间", default=timezone.now)

    class Meta:
        verbose_name = "督办(催办)通知单"
        verbose_name_plural = "督办(催办)通知单"
        ordering = ["-created_at", "kind", "number"]
        constraints = [models.UniqueConstraint(fields=["kind", "year", "number"], name="notice_number_unique")]

    def __str__(self) -> str:
        return self.number_label

    @property
    def number_label(self) -> str:
        return f"{self.PREFIX[self.kind]}〔{self.year}〕{self.number}号"
