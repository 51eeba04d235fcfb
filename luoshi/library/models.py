"""The policy library (政策文件库) and the unit's key figures (一口清)."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
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
        OFD = "ofd", "OFD 版式文件"

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
    # When its particulars last changed (confirmed, repealed, replaced): the units' feeds show it again.
    changed_at = models.DateTimeField("修改时间", null=True, blank=True, db_index=True)

    objects = DocumentQuerySet.as_manager()

    class Meta:
        verbose_name = "政策文件"
        verbose_name_plural = "政策文件"
        ordering = ["-issued_on", "-id"]
        indexes = [
            models.Index(fields=["level", "validity"]),
            # The search's title step scans this index alone, and walks the newest documents by the other
            # (library/search.py): neither reads the rows' long bodies.
            models.Index(fields=["title"], name="library_doc_title_idx"),
            models.Index(fields=["issued_on", "id"], name="library_doc_issued_idx"),
        ]

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
    # A figure that is an indicator's value (rankings) or a plan item's actual (plans) is read from there,
    # never typed twice: its value and period follow the source (services.key_figure_sync).
    indicator = models.ForeignKey(
        "rankings.Indicator", verbose_name="取自排名指标", null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )  # fmt: skip
    plan_item = models.ForeignKey(
        "plans.PlanItem", verbose_name="取自计划完成情况", null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )  # fmt: skip
    # The next update the cadence asks for, and the due date of the last reminder sent (one per due date).
    next_due = models.DateField("下次更新时限", null=True, blank=True, db_index=True)
    reminded_for = models.DateField(null=True, blank=True, editable=False)

    objects = KeyFigureQuerySet.as_manager()

    class Meta:
        verbose_name = "一口清数据"
        verbose_name_plural = "一口清数据"
        ordering = ["owner", "name", "id"]
        constraints = [models.UniqueConstraint(fields=["owner", "name", "period"], name="key_figure_unique")]

    def __str__(self) -> str:
        return f"{self.name}({self.period})"

    @property
    def linked(self) -> bool:
        return bool(self.indicator_id or self.plan_item_id)

    @property
    def link_label(self) -> str:
        if self.indicator_id:
            return f"排名指标“{self.indicator.name}”"
        if self.plan_item_id:
            return f"计划事项“{self.plan_item.name}”的完成情况"
        return ""

    @property
    def display_value(self) -> str:
        text = format(self.value.normalize(), "f")
        return f"{text}{self.measure}"


class DrillAnswer(models.Model):
    """One answer in the 一口清 drill. Private to its user: no page or API lists another user's answers."""

    class Result(models.TextChoices):
        EXACT = "exact", "完全正确"
        CLOSE = "close", "误差5%以内"
        WRONG = "wrong", "不正确"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    session = models.CharField("练习批次", max_length=32, db_index=True)
    figure = models.ForeignKey(KeyFigure, on_delete=models.CASCADE, related_name="+")
    typed = models.CharField("所填", max_length=40)
    result = models.CharField("结果", max_length=10, choices=Result.choices)
    answered_at = models.DateTimeField("时间", auto_now_add=True)

    class Meta:
        verbose_name = "一口清练习记录"
        verbose_name_plural = "一口清练习记录"
        ordering = ["-answered_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["user", "session", "figure"], name="drill_once_per_session")]

    def __str__(self) -> str:
        return f"{self.figure.name}:{self.typed}"


class UnitScopedQuerySet(models.QuerySet):
    """The office all; a leader the units they 分管; a unit's users their own unit's."""

    def visible_to(self, user):
        if not user.is_authenticated:
            return self.none()
        if user.sees_everything:
            return self
        if user.role == "leader" and user.leader_id:
            return self.filter(unit__leaders=user.leader_id)
        if user.unit_id:
            return self.filter(unit_id=user.unit_id)
        return self.none()


class FieldVisit(models.Model):
    """调研: where to go, who goes, the questions, and the policy whose arrival is checked."""

    title = models.CharField("调研题目", max_length=200)
    unit = models.ForeignKey("org.Unit", verbose_name="牵头单位", on_delete=models.PROTECT, related_name="+")
    purpose = models.TextField("调研目的", blank=True)
    places = models.TextField("调研地点", help_text="每行一个:乡镇、村、企业")
    members = models.CharField("调研人员", max_length=300, blank=True)
    questions = models.TextField("要回答的问题", blank=True, help_text="每行一个")
    document = models.ForeignKey(
        Document,
        verbose_name="要检查落实的政策",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="visits",
    )
    visit_on = models.DateField("调研日期", null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = UnitScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "调研"
        verbose_name_plural = "调研"
        ordering = ["-visit_on", "-id"]

    def __str__(self) -> str:
        return self.title

    @property
    def place_list(self) -> list[str]:
        return [line.strip() for line in self.places.splitlines() if line.strip()]

    @property
    def question_list(self) -> list[str]:
        return [line.strip() for line in self.questions.splitlines() if line.strip()]


class Finding(models.Model):
    """What was found at one place; it may become a task, or be recorded as a proposal for a policy change."""

    class Kind(models.TextChoices):
        FINDING = "finding", "发现的问题"
        PROPOSAL = "proposal", "政策建议"

    visit = models.ForeignKey(FieldVisit, on_delete=models.CASCADE, related_name="findings")
    place = models.CharField("地点", max_length=100)
    kind = models.CharField("类型", max_length=10, choices=Kind.choices, default=Kind.FINDING)
    text = models.TextField("发现")
    figures = models.CharField("数据", max_length=300, blank=True)
    task = models.ForeignKey("work.Task", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    # A unit's liaison asks the office to make a finding a task (only the office registers tasks).
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    proposed_at = models.DateTimeField("提请转办时间", null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "调研发现"
        verbose_name_plural = "调研发现"
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.place}:{self.text[:30]}"


class TypicalCase(models.Model):
    """典型: an advanced or a lagging case, with what was done, its results and where it came from."""

    class Kind(models.TextChoices):
        ADVANCED = "advanced", "先进典型"
        LAGGING = "lagging", "后进典型"

    title = models.CharField("名称", max_length=200)
    kind = models.CharField("类型", max_length=10, choices=Kind.choices)
    field = models.CharField("领域", max_length=50, blank=True)
    unit = models.ForeignKey("org.Unit", verbose_name="单位", on_delete=models.PROTECT, related_name="+")
    actions = models.TextField("主要做法", blank=True)
    results = models.TextField("成效(数据)", blank=True)
    source = models.CharField("来源", max_length=200, blank=True, help_text="调研、事项或汇报")
    visit = models.ForeignKey(FieldVisit, null=True, blank=True, on_delete=models.SET_NULL, related_name="cases")
    initiative = models.ForeignKey(
        "rankings.CityInitiative", verbose_name="关联现场会", null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )  # fmt: skip
    practices = models.ManyToManyField("rankings.PeerPractice", verbose_name="关联学左右案例", blank=True,
                                       related_name="+")  # fmt: skip
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = UnitScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "典型"
        verbose_name_plural = "典型"
        ordering = ["-id"]

    def __str__(self) -> str:
        return self.title


class PromotionStep(models.Model):
    """发现 / 培育 / 推广, each dated, with what was done."""

    class Stage(models.TextChoices):
        FOUND = "found", "发现"
        CULTIVATED = "cultivated", "培育"
        PROMOTED = "promoted", "推广"

    case = models.ForeignKey(TypicalCase, on_delete=models.CASCADE, related_name="steps")
    stage = models.CharField("阶段", max_length=12, choices=Stage.choices)
    day = models.DateField("日期")
    what = models.TextField("做了什么")

    class Meta:
        verbose_name = "典型培育步骤"
        verbose_name_plural = "典型培育步骤"
        ordering = ["day", "id"]

    def __str__(self) -> str:
        return f"{self.get_stage_display()} {self.day}"


# --- Links to documents, and what a unit follows (盯上) --------------------------------


class DocumentLink(models.Model):
    """A task, brief, problem, peer practice (or any object) that cites a document of the library.

    A generic reference, so that each app links from its own side without the library knowing its
    models: `library.services.document_link(document=…, obj=…, by=…)`, and the block
    `{% include "library/_related.html" with object=task %}` on the object's page.
    """

    document = models.ForeignKey(Document, verbose_name="文件", on_delete=models.CASCADE, related_name="links")
    content_type = models.ForeignKey("contenttypes.ContentType", on_delete=models.CASCADE, related_name="+")
    object_id = models.PositiveBigIntegerField()
    obj = GenericForeignKey("content_type", "object_id")
    note = models.CharField("说明", max_length=200, blank=True, help_text="如:依据第三条")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField("关联时间", auto_now_add=True)

    class Meta:
        verbose_name = "相关文件"
        verbose_name_plural = "相关文件"
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["document", "content_type", "object_id"], name="document_link_once")
        ]
        indexes = [models.Index(fields=["content_type", "object_id"], name="library_link_object")]

    def __str__(self) -> str:
        return f"{self.document} ← {self.content_type.model}#{self.object_id}"


class FollowedField(models.Model):
    """A field (领域) a unit follows: new and changed documents of that field come into its feed."""

    unit = models.ForeignKey("org.Unit", verbose_name="单位", on_delete=models.CASCADE, related_name="+")
    field = models.CharField("领域", max_length=50)

    class Meta:
        verbose_name = "关注领域"
        verbose_name_plural = "关注领域"
        ordering = ["unit", "field"]
        constraints = [models.UniqueConstraint(fields=["unit", "field"], name="followed_field_once")]

    def __str__(self) -> str:
        return f"{self.unit}:{self.field}"


class FeedSeen(models.Model):
    """When a user last opened the 盯上 feed: what came in since is new to them."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    seen_at = models.DateTimeField()

    class Meta:
        verbose_name = "盯上浏览记录"
        verbose_name_plural = "盯上浏览记录"

    def __str__(self) -> str:
        return f"{self.user}:{self.seen_at:%Y-%m-%d %H:%M}"
