"""The policy library (政策文件库) and the unit's key figures (一口清)."""

from django.conf import settings
from django.db import models

from luoshi.lib.text import split_names


class DocumentQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Every logged-in user reads the library, except what is internal to the office."""
        if not user.is_authenticated:
            return self.none()
        if user.is_office:
            return self
        return self.filter(internal=False)


class Document(models.Model):
    """A policy, law, speech or notice, kept to be read online and searched."""

    class Level(models.TextChoices):
        CENTRAL = "central", "中央"
        PROVINCE = "province", "省"
        CITY = "city", "市"
        COUNTY = "county", "县"
        DEPARTMENT = "department", "部门"

    class Validity(models.TextChoices):
        CURRENT = "current", "现行有效"
        REPEALED = "repealed", "已废止"

    class Kind(models.TextChoices):
        DOCX = "docx", "Word"
        PDF = "pdf", "PDF"
        TXT = "txt", "文本文件"
        TEXT = "text", "粘贴文字"

    title = models.CharField("标题", max_length=300)
    number = models.CharField("文号", max_length=100, blank=True, help_text="如:豫政办〔2022〕12号")
    # The 文号 folded to one spelling (豫政办2022-12), so that any common way of typing it finds it.
    number_key = models.CharField(max_length=100, blank=True, db_index=True, editable=False)
    issuer = models.CharField("发文机关", max_length=200, blank=True)
    level = models.CharField("层级", max_length=20, choices=Level.choices, default=Level.COUNTY)
    issued_on = models.DateField("成文日期", null=True, blank=True)
    validity = models.CharField("效力", max_length=20, choices=Validity.choices, default=Validity.CURRENT)
    replaced_by = models.ForeignKey(
        "self", verbose_name="替代文件", null=True, blank=True, on_delete=models.SET_NULL, related_name="replaces"
    )
    fields = models.CharField("领域", max_length=300, blank=True, help_text="用顿号分隔,如:乡村振兴、土地")
    units = models.ManyToManyField("org.Unit", verbose_name="涉及单位", blank=True, related_name="documents")
    internal = models.BooleanField("督查室内部文件", default=False, help_text="勾选后仅督查室可见")
    kind = models.CharField("来源", max_length=10, choices=Kind.choices, default=Kind.TEXT)
    file = models.FileField("原文件", upload_to="library/%Y/%m/", blank=True)
    file_name = models.CharField("文件名", max_length=200, blank=True)
    body = models.TextField("正文", blank=True)
    # The .docx as clean HTML, written at its first reading online.
    html = models.TextField(blank=True, editable=False)
    search_text = models.TextField(blank=True, editable=False)
    keywords = models.CharField("关键词", max_length=300, blank=True, editable=False)
    confirmed = models.BooleanField("已确认", default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="上传人", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField("上传时间", auto_now_add=True)

    objects = DocumentQuerySet.as_manager()

    class Meta:
        verbose_name = "政策文件"
        verbose_name_plural = "政策文件"
        ordering = ["-issued_on", "-id"]
        indexes = [models.Index(fields=["level", "validity"])]

    def __str__(self) -> str:
        return self.title

    @property
    def field_list(self) -> list[str]:
        return split_names(self.fields)

    @property
    def keyword_list(self) -> list[str]:
        return [word for word in self.keywords.split() if word]


class KeyFigureQuerySet(models.QuerySet):
    def visible_to(self, user):
        """A unit keeps its own; the office sees all; a leader the units they 分管."""
        if not user.is_authenticated:
            return self.none()
        if user.sees_everything:
            return self
        if user.role == "leader" and user.leader_id:
            return self.filter(owner__leaders=user.leader_id)
        if user.unit_id:
            return self.filter(owner_id=user.unit_id)
        return self.none()


class KeyFigure(models.Model):
    """一口清: a number a unit must know by heart, with its period and source."""

    name = models.CharField("名称", max_length=100)
    value = models.DecimalField("数值", max_digits=20, decimal_places=4)
    measure = models.CharField("计量单位", max_length=20, blank=True, help_text="如:亿元、%、万人")
    period = models.CharField("时期", max_length=50, help_text="如:2026年1-10月")
    source = models.CharField("来源", max_length=200, blank=True, help_text="统计局、本单位台账或文件")
    owner = models.ForeignKey("org.Unit", verbose_name="责任单位", on_delete=models.PROTECT, related_name="key_figures")
    cadence = models.CharField("更新周期", max_length=20, blank=True, help_text="如:每月、每季度")
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    objects = KeyFigureQuerySet.as_manager()

    class Meta:
        verbose_name = "一口清数据"
        verbose_name_plural = "一口清数据"
        ordering = ["owner", "name", "id"]
        constraints = [models.UniqueConstraint(fields=["owner", "name", "period"], name="key_figure_unique")]

    def __str__(self) -> str:
        return f"{self.name}({self.period})"

    @property
    def display_value(self) -> str:
        text = format(self.value.normalize(), "f")
        return f"{text}{self.measure}"
