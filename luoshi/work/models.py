"""督办: tasks, who carries them out, their reports, urges, requests, instructions and timeline.

A task stores its due dates (deadline, next report due, sign-by). Its light is never
stored: `TaskQuerySet.with_light` derives it in SQL from today's thresholds
(`luoshi.lib.workdays.thresholds`), so it is true the moment time passes.
"""

from __future__ import annotations

import uuid

from django.db import models
from django.db.models import Case, Q, Value, When
from django.utils import timezone

from luoshi.lib.workdays import Thresholds
from luoshi.org.models import Leader, Unit, User


class Light(models.TextChoices):
    RED = "red", "红灯"
    YELLOW = "yellow", "黄灯"
    GREEN = "green", "绿灯"


class Cadence(models.TextChoices):
    NONE = "none", "不定期"
    WEEKLY = "weekly", "每周"
    MONTHLY = "monthly", "每月"
    QUARTERLY = "quarterly", "每季度"
    YEARLY = "yearly", "每年"


WEEKDAYS = ["周一", "周二", "周三", "周四", "周五", "周六", "周日"]


class TaskQuerySet(models.QuerySet):
    def visible_to(self, user: User) -> TaskQuerySet:
        """Where every view, export and API call starts (ARCHITECTURE.md, "Who sees what")."""
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if user.sees_everything:
            return self
        if user.role == User.Role.LEADER and user.leader_id:
            supervised = Leader.supervises.through.objects.filter(leader_id=user.leader_id).values("unit_id")
            return self.filter(Q(lead_unit_id__in=supervised) | Q(leader_id=user.leader_id))
        if user.role == User.Role.UNIT and user.unit_id:
            from .selectors import supported_task_ids

            return self.filter(Q(lead_unit_id=user.unit_id) | Q(pk__in=supported_task_ids(user.unit_id)))
        return self.none()

    def leaves(self) -> TaskQuerySet:
        """Tasks a unit carries out: not the parents that only group a requirement's per-township tasks."""
        return self.filter(lead_unit__isnull=False)

    def lit(self) -> TaskQuerySet:
        return self.filter(status__in=Task.LIT_STATUSES)

    @staticmethod
    def light_q(light: str, t: Thresholds) -> Q:
        """The SQL condition for one light, in the terms of ARCHITECTURE.md ("Lights")."""
        lit = Q(status__in=Task.LIT_STATUSES)
        held = Q(held_green=True)
        red = Q(deadline__lt=t.today) | Q(next_report_due__lt=t.report_red)
        yellow = (
            Q(deadline__lte=t.soon)
            | Q(next_report_due__lt=t.today)
            | Q(status=Task.Status.ASSIGNED, sign_by__lt=t.today)
        )
        if light == Light.RED:
            return lit & ~held & red
        if light == Light.YELLOW:
            return lit & ~held & ~red & yellow
        if light == Light.GREEN:
            return lit & (held | (~red & ~yellow))
        raise ValueError(light)

    def with_light(self, t: Thresholds) -> TaskQuerySet:
        return self.annotate(
            light=Case(
                When(~Q(status__in=Task.LIT_STATUSES), then=Value("")),
                When(held_green=True, then=Value(Light.GREEN)),
                When(Q(deadline__lt=t.today) | Q(next_report_due__lt=t.report_red), then=Value(Light.RED)),
                When(
                    Q(deadline__lte=t.soon)
                    | Q(next_report_due__lt=t.today)
                    | Q(status=Task.Status.ASSIGNED, sign_by__lt=t.today),
                    then=Value(Light.YELLOW),
                ),
                default=Value(Light.GREEN),
                output_field=models.CharField(),
            )
        )

    def light_counts(self, t: Thresholds) -> dict[str, int]:
        """Red, yellow and green counts of this queryset, in one query."""
        counts = self.aggregate(
            **{light: models.Count("pk", filter=self.light_q(light, t)) for light in Light.values},
            total=models.Count("pk"),
        )
        return counts

    def search(self, text: str, *, year: int | None = None) -> TaskQuerySet:
        from luoshi.work.search import task_search

        return task_search(self, text, year=year)


class Task(models.Model):
    """督办事项: one requirement to carry out, assigned to one lead unit and any supporting units."""

    class Status(models.TextChoices):
        DRAFT = "draft", "草稿"
        ASSIGNED = "assigned", "待签收"
        IN_PROGRESS = "in_progress", "办理中"
        EXTENSION_ASKED = "extension_asked", "申请延期"
        CLOSURE_ASKED = "closure_asked", "申请办结"
        DONE = "done", "已办结"
        RETURNED = "returned", "退回重办"
        PAUSED = "paused", "暂停"
        CANCELLED = "cancelled", "已关闭"

    class SourceKind(models.TextChoices):
        SPEECH = "speech", "领导讲话"
        MINUTES = "minutes", "会议纪要"
        INSTRUCTION = "instruction", "领导批示"
        WORK_REPORT = "work_report", "政府工作报告"
        OTHER = "other", "其他"

    class Priority(models.IntegerChoices):
        NORMAL = 0, "一般"
        URGENT = 1, "急办"
        CRITICAL = 2, "特急"

    # Statuses that carry a light; paused, cancelled and done have none.
    LIT_STATUSES = ["assigned", "in_progress", "extension_asked", "closure_asked", "returned"]
    OPEN_STATUSES = [*LIT_STATUSES, "paused"]

    parent = models.ForeignKey(
        "self", verbose_name="上级事项", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    year = models.PositiveSmallIntegerField("年度", db_index=True)
    title = models.CharField("事项名称", max_length=300)
    requirements = models.TextField("具体要求", blank=True)
    category = models.CharField("类别", max_length=50, blank=True)
    source_kind = models.CharField("来源", max_length=20, choices=SourceKind.choices, default=SourceKind.OTHER)
    source_title = models.CharField("来源文件", max_length=200, blank=True)
    source_date = models.DateField("来源日期", null=True, blank=True)
    source_quote = models.TextField("原文摘录", blank=True)
    leader = models.ForeignKey(
        Leader, verbose_name="责任领导", null=True, blank=True, on_delete=models.PROTECT, related_name="tasks"
    )
    lead_unit = models.ForeignKey(
        Unit,
        verbose_name="牵头单位",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="led_tasks",
        help_text="按“各乡镇”分解的上级事项没有牵头单位,由各下级事项承担",
    )
    group_label = models.CharField("分解方式", max_length=50, blank=True, help_text="如:各乡镇")
    deadline = models.DateField("完成时限", null=True, blank=True)
    standing = models.BooleanField("长期坚持", default=False)
    cadence = models.CharField("反馈周期", max_length=10, choices=Cadence.choices, default=Cadence.NONE)
    cadence_day = models.PositiveSmallIntegerField(
        "反馈日", default=0, help_text="每周:1-7(周一至周日);每月、每季度末月:1-31,超过当月天数按月末"
    )
    priority = models.PositiveSmallIntegerField("紧急程度", choices=Priority.choices, default=Priority.NORMAL)
    backfill = models.BooleanField("补录", default=False, help_text="补录以往工作,允许完成时限早于今天")
    status = models.CharField("状态", max_length=20, choices=Status.choices, default=Status.ASSIGNED)
    status_before_pause = models.CharField("暂停前状态", max_length=20, blank=True)

    # Due dates, stored so that the light is derived in SQL.
    sign_by = models.DateField("签收期限", null=True, blank=True)
    next_report_due = models.DateField("下次反馈日期", null=True, blank=True)
    # A closure asked before the deadline holds the task at green until the office decides.
    held_green = models.BooleanField("办结审核中(保持绿灯)", default=False)

    assigned_at = models.DateTimeField("交办时间", null=True, blank=True)
    signed_at = models.DateTimeField("签收时间", null=True, blank=True)
    done_on = models.DateField("办结日期", null=True, blank=True)
    done_on_time = models.BooleanField("按期办结", null=True, blank=True)
    workdays_to_done = models.PositiveIntegerField("交办至办结工作日数", null=True, blank=True)
    percent = models.PositiveSmallIntegerField("完成进度(%)", null=True, blank=True)
    last_report_at = models.DateTimeField("最近反馈时间", null=True, blank=True)
    urge_count = models.PositiveIntegerField("催办次数", default=0)

    # Bigrams of the title, requirements, category and source, for the full-text index (work/search.py).
    search_text = models.TextField("检索文本", blank=True, editable=False)

    created_by = models.ForeignKey(User, verbose_name="登记人", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField("登记时间", default=timezone.now)
    updated_at = models.DateTimeField("更新时间", default=timezone.now)

    objects = TaskQuerySet.as_manager()

    class Meta:
        verbose_name = "督办事项"
        verbose_name_plural = "督办事项"
        ordering = ["deadline", "id"]
        indexes = [
            models.Index(fields=["year", "deadline", "id"], name="task_year_deadline"),
            models.Index(fields=["lead_unit", "year", "deadline"], name="task_unit_year_deadline"),
            models.Index(fields=["leader", "year", "deadline"], name="task_leader_year_deadline"),
            models.Index(fields=["status", "deadline"], name="task_status_deadline"),
            models.Index(fields=["status", "next_report_due"], name="task_status_report_due"),
            models.Index(fields=["parent"], name="task_parent"),
            # A unit's open tasks by deadline, covering every column the inbox sorts them by.
            models.Index(
                fields=["lead_unit", "deadline", "id", "status", "next_report_due", "last_report_at"],
                condition=Q(status__in=["assigned", "in_progress", "extension_asked", "closure_asked", "returned"]),
                name="task_unit_open",
            ),
            # The same for one unit's year: the unit filter's light counts.
            models.Index(
                fields=["lead_unit", "year", "status", "held_green", "deadline", "next_report_due", "sign_by", "id"],
                name="task_unit_year_lights",
            ),
            # The live set (work.selectors.live_q) by status, then done date: both halves of its OR are
            # ranges of this index, and it holds every column the counts per unit read (the cockpit).
            models.Index(
                fields=[
                    "status",
                    "done_on",
                    "lead_unit",
                    "held_green",
                    "deadline",
                    "next_report_due",
                    "sign_by",
                    "year",
                    "leader",
                    "id",
                ],
                # Not partial: SQLite plans each half of the OR alone, and would not imply the condition.
                # leader and id too, so that PostgreSQL counts a leader's tasks from the index alone.
                name="task_live_lights",
            ),
            # The open tasks in deadline order: the cockpit's most overdue red tasks are its first entries.
            models.Index(
                fields=["deadline", "next_report_due", "id"],
                condition=Q(status__in=["assigned", "in_progress", "extension_asked", "closure_asked", "returned"]),
                name="task_open_by_deadline",
            ),
            # Every column the light counts read, so that counting a year is an index-only scan.
            models.Index(
                fields=["year", "status", "held_green", "deadline", "next_report_due", "sign_by", "id"],
                condition=Q(lead_unit__isnull=False),
                name="task_year_lights",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(percent__isnull=True) | Q(percent__lte=100), name="task_percent_at_most_100"
            ),
            models.CheckConstraint(
                condition=Q(standing=True) | Q(deadline__isnull=False) | Q(lead_unit__isnull=True),
                name="task_deadline_unless_standing",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("work:task", args=[self.pk])

    @property
    def is_group(self) -> bool:
        return self.lead_unit_id is None

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES

    @property
    def carried_over(self) -> bool:
        """结转: registered in an earlier year and still not done."""
        return self.status in self.LIT_STATUSES and self.year < timezone.localdate().year

    def deadline_hint(self, today) -> str:
        """已逾期 N 天 or 剩 N 个工作日, shown beside the deadline of a task still being carried out."""
        if self.status not in self.LIT_STATUSES or not self.deadline:
            return ""
        if self.deadline < today:
            return f"已逾期 {(today - self.deadline).days} 天"
        from luoshi.lib import workdays

        return f"剩 {workdays.calendar().between(today, self.deadline)} 个工作日"

    def light_for(self, t: Thresholds) -> str:
        """The light of this one row, by the same rules as `TaskQuerySet.with_light`."""
        if self.status not in self.LIT_STATUSES:
            return ""
        if self.held_green:
            return Light.GREEN
        if (self.deadline and self.deadline < t.today) or (
            self.next_report_due and self.next_report_due < t.report_red
        ):
            return Light.RED
        if (
            (self.deadline and self.deadline <= t.soon)
            or (self.next_report_due and self.next_report_due < t.today)
            or (self.status == self.Status.ASSIGNED and self.sign_by and self.sign_by < t.today)
        ):
            return Light.YELLOW
        return Light.GREEN

    def cadence_label(self) -> str:
        if self.cadence == Cadence.WEEKLY:
            return f"每周{WEEKDAYS[(self.cadence_day or 5) - 1][1:]}"
        if self.cadence == Cadence.MONTHLY:
            return f"每月{self.cadence_day or 25}日前"
        if self.cadence == Cadence.QUARTERLY:
            return f"每季度末月{self.cadence_day}日前" if self.cadence_day else "每季度末"
        if self.cadence == Cadence.YEARLY:
            return "每年年底前"
        return "不定期"

    def deadline_label(self) -> str:
        if self.standing:
            return "长期坚持"
        return f"{self.deadline:%Y-%m-%d}" if self.deadline else "—"


class Assignment(models.Model):
    """A unit's part in a task: the one lead (牵头) or a supporting unit (配合)."""

    class Role(models.TextChoices):
        LEAD = "lead", "牵头"
        SUPPORT = "support", "配合"

    task = models.ForeignKey(Task, verbose_name="事项", on_delete=models.CASCADE, related_name="assignments")
    unit = models.ForeignKey(Unit, verbose_name="单位", on_delete=models.PROTECT, related_name="assignments")
    role = models.CharField("角色", max_length=10, choices=Role.choices)
    signed_at = models.DateTimeField("签收时间", null=True, blank=True)
    signed_by = models.ForeignKey(
        User, verbose_name="签收人", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField("交办时间", default=timezone.now)

    class Meta:
        verbose_name = "承办单位"
        verbose_name_plural = "承办单位"
        ordering = ["role", "id"]
        constraints = [models.UniqueConstraint(fields=["task", "unit"], name="assignment_one_per_unit")]
        indexes = [models.Index(fields=["unit", "role", "task"], name="assignment_unit_role")]

    def __str__(self) -> str:
        return f"{self.unit} {self.get_role_display()}"


class Milestone(models.Model):
    """A dated step on the way to the deadline."""

    task = models.ForeignKey(Task, verbose_name="事项", on_delete=models.CASCADE, related_name="milestones")
    title = models.CharField("节点", max_length=200)
    due = models.DateField("节点日期")
    done_on = models.DateField("完成日期", null=True, blank=True)

    class Meta:
        verbose_name = "时间节点"
        verbose_name_plural = "时间节点"
        ordering = ["due", "id"]

    def __str__(self) -> str:
        return f"{self.due:%Y-%m-%d} {self.title}"


class ProgressReport(models.Model):
    """进展反馈: done so far, problems, next steps. The lead unit's is the task's official one."""

    task = models.ForeignKey(Task, verbose_name="事项", on_delete=models.CASCADE, related_name="reports")
    unit = models.ForeignKey(Unit, verbose_name="反馈单位", on_delete=models.PROTECT, related_name="reports")
    is_lead = models.BooleanField("牵头单位反馈", default=True)
    done_text = models.TextField("已完成")
    problems = models.TextField("存在问题", blank=True)
    next_steps = models.TextField("下一步打算", blank=True)
    percent = models.PositiveSmallIntegerField("完成进度(%)", null=True, blank=True)
    unchanged = models.BooleanField("无变化", default=False)
    due = models.DateField("应反馈日期", null=True, blank=True)
    late = models.BooleanField("逾期反馈", default=False)
    on_behalf = models.BooleanField("代报", default=False, help_text="督查室代单位录入")
    imported = models.BooleanField("台账导入", default=False, help_text="由回收的台账导入")
    created_by = models.ForeignKey(User, verbose_name="填报人", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField("反馈时间", default=timezone.now)

    class Meta:
        verbose_name = "进展反馈"
        verbose_name_plural = "进展反馈"
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["task", "unit", "-created_at"], name="report_task_unit_recent"),
            models.Index(fields=["unit", "created_at"], name="report_unit_created"),
            models.Index(fields=["unit", "created_at"], condition=Q(late=True), name="report_late_unit_created"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(percent__isnull=True) | Q(percent__lte=100), name="report_percent_at_most_100"
            )
        ]

    def __str__(self) -> str:
        return f"{self.unit} {self.created_at:%Y-%m-%d}"


def _attachment_path(instance, filename):
    # Stored under a random name with no extension: never served as what its name claims, never executed.
    now = timezone.now()
    return f"attachments/{now:%Y/%m}/{uuid.uuid4().hex}"


class Attachment(models.Model):
    """A file on a report or a closure request; served only to those who may see the task."""

    task = models.ForeignKey(Task, verbose_name="事项", on_delete=models.CASCADE, related_name="attachments")
    report = models.ForeignKey(
        ProgressReport, null=True, blank=True, on_delete=models.CASCADE, related_name="attachments"
    )
    closure = models.ForeignKey(
        "ClosureRequest", null=True, blank=True, on_delete=models.CASCADE, related_name="attachments"
    )
    file = models.FileField("文件", upload_to=_attachment_path, max_length=200)
    name = models.CharField("文件名", max_length=200)
    kind = models.CharField("类型", max_length=10)
    size = models.PositiveBigIntegerField("大小")
    sha256 = models.CharField("SHA-256", max_length=64)
    uploaded_by = models.ForeignKey(User, verbose_name="上传人", on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField("上传时间", default=timezone.now)

    class Meta:
        verbose_name = "附件"
        verbose_name_plural = "附件"
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name


class Urge(models.Model):
    """催办: a reminder the office sent, recorded, counted per unit."""

    task = models.ForeignKey(Task, verbose_name="事项", on_delete=models.CASCADE, related_name="urges")
    unit = models.ForeignKey(Unit, verbose_name="被催办单位", on_delete=models.PROTECT, related_name="urges")
    message = models.TextField("催办内容")
    light = models.CharField("催办时灯色", max_length=10, blank=True)
    batch = models.UUIDField("批次", null=True, blank=True, help_text="同一次批量催办的记录共用一个批次号")
    created_by = models.ForeignKey(User, verbose_name="催办人", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField("催办时间", default=timezone.now)

    class Meta:
        verbose_name = "催办"
        verbose_name_plural = "催办"
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["unit", "created_at"], name="urge_unit_created")]

    def __str__(self) -> str:
        return f"催办 {self.unit} {self.created_at:%Y-%m-%d}"


class Decision(models.TextChoices):
    PENDING = "pending", "待审核"
    APPROVED = "approved", "已同意"
    REJECTED = "rejected", "未同意"


class DecidedRequest(models.Model):
    """What an extension and a closure request share: who asked, and how the office decided."""

    status_before = models.CharField("申请前状态", max_length=20)
    status = models.CharField("审核结果", max_length=10, choices=Decision.choices, default=Decision.PENDING)
    requested_by = models.ForeignKey(User, verbose_name="申请人", on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField("申请时间", default=timezone.now)
    decided_by = models.ForeignKey(
        User, verbose_name="审核人", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField("审核时间", null=True, blank=True)
    decision_note = models.TextField("审核意见", blank=True)

    class Meta:
        abstract = True


class ExtensionRequest(DecidedRequest):
    """延期申请: asked before the deadline, with a reason and a new date; the office decides."""

    task = models.ForeignKey(Task, verbose_name="事项", on_delete=models.CASCADE, related_name="extensions")
    unit = models.ForeignKey(Unit, verbose_name="申请单位", on_delete=models.PROTECT, related_name="+")
    reason = models.TextField("延期理由")
    old_deadline = models.DateField("原完成时限")
    new_deadline = models.DateField("申请延至")
    granted_deadline = models.DateField(
        "批准延至", null=True, blank=True, help_text="督查室批准的日期与申请不同时填写;为空表示按申请的日期批准"
    )

    class Meta(DecidedRequest.Meta):
        verbose_name = "延期申请"
        verbose_name_plural = "延期申请"
        ordering = ["-requested_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["task"], condition=Q(status="pending"), name="extension_one_pending_per_task"
            )
        ]

    def __str__(self) -> str:
        return f"延期申请 {self.task_id} → {self.new_deadline}"

    @property
    def granted(self):
        """The deadline an approval sets: the date granted, or else the date asked."""
        return self.granted_deadline or self.new_deadline


class ClosureRequest(DecidedRequest):
    """办结申请: a summary and evidence; the office closes the task (办结销号) or returns it (退回重办)."""

    task = models.ForeignKey(Task, verbose_name="事项", on_delete=models.CASCADE, related_name="closures")
    unit = models.ForeignKey(Unit, verbose_name="申请单位", on_delete=models.PROTECT, related_name="+")
    summary = models.TextField("办结情况")

    class Meta(DecidedRequest.Meta):
        verbose_name = "办结申请"
        verbose_name_plural = "办结申请"
        ordering = ["-requested_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["task"], condition=Q(status="pending"), name="closure_one_pending_per_task")
        ]

    def __str__(self) -> str:
        return f"办结申请 {self.task_id}"


class Instruction(models.Model):
    """批示: a leader's written instruction on a task."""

    task = models.ForeignKey(Task, verbose_name="事项", on_delete=models.CASCADE, related_name="instructions")
    leader = models.ForeignKey(Leader, verbose_name="县领导", on_delete=models.PROTECT, related_name="instructions")
    text = models.TextField("批示内容")
    created_by = models.ForeignKey(User, verbose_name="录入人", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField("批示时间", default=timezone.now)

    class Meta:
        verbose_name = "领导批示"
        verbose_name_plural = "领导批示"
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.leader} 批示"


class SubmitToken(models.Model):
    """A form's one-time token, claimed in the same transaction as its action: a second submit does nothing."""

    token = models.CharField(max_length=64, unique=True)
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    used_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "表单提交记录"
        verbose_name_plural = "表单提交记录"

    def __str__(self) -> str:
        return self.token


class TimelineQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise TypeError("留痕记录不可修改。")

    def delete(self):
        raise TypeError("留痕记录不可删除。")


class AppendOnly:
    """A log entry (留痕) that is written once and never changed or deleted; a database trigger backs this up.

    The model says which labels its `before` and `after` keys have, through `labels()`.
    """

    def save(self, *args, **kwargs):
        if self.pk is not None and not self._state.adding:
            raise TypeError("留痕记录不可修改。")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise TypeError("留痕记录不可删除。")

    def changes(self) -> list[tuple[str, object, object]]:
        """(field label, before, after) for the fields this entry changed."""
        labels = self.labels()
        keys = list(dict.fromkeys([*self.before, *self.after]))
        return [(labels.get(key, key), self.before.get(key, "—"), self.after.get(key, "—")) for key in keys]


class TimelineEntry(AppendOnly, models.Model):
    """留痕: who did what to a task, when, and the fields before and after. Written by services only.

    Never updated or deleted: the model refuses, and a database trigger refuses an UPDATE.
    """

    class Action(models.TextChoices):
        CREATE = "create", "登记交办"
        SPLIT = "split", "分解"
        SIGN = "sign", "签收"
        REPORT = "report", "进展反馈"
        URGE = "urge", "催办"
        EXTENSION_ASK = "extension_ask", "申请延期"
        EXTENSION_APPROVE = "extension_approve", "同意延期"
        EXTENSION_DENY = "extension_deny", "不同意延期"
        CLOSURE_ASK = "closure_ask", "申请办结"
        CLOSE = "close", "办结销号"
        RETURN = "return", "退回重办"
        PAUSE = "pause", "暂停"
        RESUME = "resume", "恢复办理"
        CANCEL = "cancel", "人为关闭"
        INSTRUCT = "instruct", "领导批示"
        EDIT = "edit", "修改"

    task = models.ForeignKey(Task, verbose_name="事项", on_delete=models.PROTECT, related_name="timeline")
    at = models.DateTimeField("时间", default=timezone.now)
    actor = models.ForeignKey(User, verbose_name="操作人", on_delete=models.PROTECT, related_name="+")
    unit = models.ForeignKey(
        Unit, verbose_name="涉及单位", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    action = models.CharField("操作", max_length=20, choices=Action.choices)
    note = models.TextField("说明", blank=True)
    before = models.JSONField("修改前", default=dict, blank=True)
    after = models.JSONField("修改后", default=dict, blank=True)
    on_behalf = models.BooleanField("代报", default=False)

    objects = TimelineQuerySet.as_manager()

    class Meta:
        verbose_name = "留痕记录"
        verbose_name_plural = "留痕记录"
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["task", "at"], name="timeline_task_at")]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.get_action_display()}"

    def labels(self) -> dict[str, str]:
        return FIELD_LABELS


FIELD_LABELS = {
    "status": "状态",
    "deadline": "完成时限",
    "lead_unit": "牵头单位",
    "supporting": "配合单位",
    "leader": "责任领导",
    "title": "事项名称",
    "requirements": "具体要求",
    "priority": "紧急程度",
    "cadence": "反馈周期",
    "next_report_due": "下次反馈日期",
    "percent": "完成进度",
    "signed_at": "签收时间",
    "urge_count": "催办次数",
    "done_on": "办结日期",
    "reason": "理由",
}


class UnitSnapshot(AppendOnly, models.Model):
    """One unit's counts on one day, as the live set stood: the cockpit's trends read these, never recompute them.

    Written once a day by `manage.py snapshot_units` (work.snapshots.unit_snapshot_take) and kept forever.
    """

    day = models.DateField("日期")
    unit = models.ForeignKey(Unit, verbose_name="单位", on_delete=models.PROTECT, related_name="+")
    red = models.PositiveIntegerField("红灯", default=0)
    yellow = models.PositiveIntegerField("黄灯", default=0)
    green = models.PositiveIntegerField("绿灯", default=0)
    none = models.PositiveIntegerField("无灯(本年已办结)", default=0)
    carried = models.PositiveIntegerField("往年结转", default=0)
    total = models.PositiveIntegerField("合计", default=0)
    month_done = models.PositiveIntegerField("本月办结", default=0)
    month_on_time = models.PositiveIntegerField("本月按期办结", default=0)
    taken_at = models.DateTimeField("生成时间", default=timezone.now)

    objects = TimelineQuerySet.as_manager()

    class Meta:
        verbose_name = "单位每日快照"
        verbose_name_plural = "单位每日快照"
        ordering = ["day", "unit_id"]
        constraints = [models.UniqueConstraint(fields=["day", "unit"], name="unit_snapshot_one_per_day")]

    def __str__(self) -> str:
        return f"{self.day:%Y-%m-%d} {self.unit_id}"

    def labels(self) -> dict[str, str]:
        return {}
