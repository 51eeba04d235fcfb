"""The proposed 任务分解表 of one document, as the office corrects it before confirming it into tasks."""

from __future__ import annotations

from django.db import models
from django.utils import timezone

from luoshi.org.models import Leader, Unit, User
from luoshi.work.models import Cadence, Task


class DecompositionQuerySet(models.QuerySet):
    def visible_to(self, user: User):
        """Only the office decomposes documents; everyone else sees none."""
        if user.is_authenticated and user.is_office:
            return self
        return self.none()


class Decomposition(models.Model):
    """A document read into paragraphs, with its proposed rows. Confirmed once, into tasks."""

    class Status(models.TextChoices):
        DRAFT = "draft", "待确认"
        CONFIRMED = "confirmed", "已确认"

    title = models.CharField("文件标题", max_length=200)
    source_kind = models.CharField(
        "文件类型", max_length=20, choices=Task.SourceKind.choices, default=Task.SourceKind.SPEECH
    )
    source_date = models.DateField("文件日期", help_text="“年底前”“6月底前”等时限按这一天所在年份计算")
    date_how = models.CharField("日期来源", max_length=100, blank=True)
    file_name = models.CharField("文件名", max_length=200, blank=True)
    file_kind = models.CharField("格式", max_length=10, blank=True)
    paragraphs = models.JSONField("段落", default=list)
    table_rows = models.JSONField("表格行所在段落", default=list)
    outline = models.JSONField("提纲", default=list)
    notes = models.JSONField("读取说明", default=list)
    status = models.CharField("状态", max_length=20, choices=Status.choices, default=Status.DRAFT)
    created_by = models.ForeignKey(User, verbose_name="上传人", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField("上传时间", default=timezone.now)
    updated_at = models.DateTimeField("更新时间", auto_now=True)
    confirmed_by = models.ForeignKey(
        User, verbose_name="确认人", on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    confirmed_at = models.DateTimeField("确认时间", null=True, blank=True)

    objects = DecompositionQuerySet.as_manager()

    class Meta:
        verbose_name = "任务分解表"
        verbose_name_plural = "任务分解表"
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.title

    @property
    def is_draft(self) -> bool:
        return self.status == self.Status.DRAFT


class DecompositionRow(models.Model):
    """One requirement: its words, where the document says it, and who does it by when."""

    class Group(models.TextChoices):
        NONE = "", "—"
        TOWNSHIP = "township", "各乡镇"
        DEPARTMENT = "department", "县直各单位"
        ALL = "all", "各单位"

    decomposition = models.ForeignKey(Decomposition, on_delete=models.CASCADE, related_name="rows")
    order = models.PositiveIntegerField("序号", default=0)
    title = models.CharField("事项名称", max_length=60, blank=True, help_text="生成事项的名称;整句要求记入具体要求")
    text = models.TextField("工作要求")
    section = models.CharField("所在部分", max_length=200, blank=True)
    # The exact source: from (paragraph, start) to (paragraph_end, end) in decomposition.paragraphs.
    paragraph = models.IntegerField("起始段落", null=True, blank=True)
    start = models.IntegerField("起始位置", null=True, blank=True)
    paragraph_end = models.IntegerField("结束段落", null=True, blank=True)
    end = models.IntegerField("结束位置", null=True, blank=True)
    source = models.TextField("原文", blank=True)
    why = models.JSONField("识别依据", default=list, blank=True)
    unit_mentions = models.JSONField("原文提到的单位", default=list, blank=True)
    # Bodies the document names that the directory does not know (全市各城市区): shown for the office to decide.
    unresolved_mentions = models.JSONField("名录中没有的单位", default=list, blank=True)
    # The heading row this row carries out (1、会战的氛围要造浓。 → the rows under it).
    parent = models.ForeignKey(
        "self", verbose_name="上级行", on_delete=models.SET_NULL, null=True, blank=True, related_name="children"
    )
    lead = models.ForeignKey(
        Unit, verbose_name="牵头单位", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    lead_group = models.CharField("牵头(单位组)", max_length=20, choices=Group.choices, blank=True)
    supporting = models.ManyToManyField(Unit, verbose_name="配合单位", blank=True, related_name="+")
    leader = models.ForeignKey(
        Leader, verbose_name="责任领导", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    deadline_text = models.CharField("时限原文", max_length=100, blank=True)
    deadline = models.DateField("完成时限", null=True, blank=True)
    standing = models.BooleanField("长期坚持", default=False)
    # The earlier dates of the deadline phrase (9月底前完成招标、年底前开工): [{"title": …, "due": "2022-09-30"}].
    milestones = models.JSONField("时间节点", default=list, blank=True)
    # What the office should check about the deadline as read (a county season's assumed dates).
    deadline_note = models.CharField("时限提示", max_length=300, blank=True)
    cadence = models.CharField("反馈周期", max_length=20, choices=Cadence.choices, default=Cadence.NONE)
    cadence_day = models.PositiveSmallIntegerField("反馈日", default=0)
    accepted = models.BooleanField("已采纳", default=False)
    edited = models.BooleanField("已修改", default=False)
    task = models.ForeignKey(
        Task, verbose_name="生成的事项", on_delete=models.SET_NULL, null=True, blank=True, related_name="intake_rows"
    )

    class Meta:
        verbose_name = "分解表行"
        verbose_name_plural = "分解表行"
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return self.text[:40]

    @property
    def confirmed(self) -> bool:
        """Confirmed into a task: it stays as it was, while the rest of the table can still be edited."""
        return self.task_id is not None

    @property
    def has_source(self) -> bool:
        return self.paragraph is not None and self.start is not None

    def lead_label(self) -> str:
        if self.lead_id:
            return self.lead.display_name
        if self.lead_group:
            return self.get_lead_group_display()
        return ""

    def deadline_warnings(self) -> list[str]:
        """A deadline before the document's date (明年 left out?) and the notes of how it was read."""
        from luoshi.lib.deadlines import past_warning

        out = [self.deadline_note] if self.deadline_note else []
        if (
            self.deadline
            and not self.confirmed
            and (warning := past_warning(self.deadline, self.decomposition.source_date))
        ):
            out.append(warning)
        return out

    def deadline_label(self) -> str:
        parts = []
        if self.standing:
            parts.append("长期坚持")
        if self.deadline:
            parts.append(f"{self.deadline:%Y-%m-%d}")
        if self.cadence != Cadence.NONE:
            from luoshi.lib.deadlines import cadence_label

            parts.append(cadence_label(self.cadence, self.cadence_day))
        return ";".join(parts)
