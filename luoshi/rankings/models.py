"""争一流: the city's counties, indicators and every county's values, the city's 现场会 and peer practices."""

from __future__ import annotations

import uuid

from django.db import models
from django.db.models import Q
from django.utils import timezone

from luoshi.org.models import Leader, Unit, User
from luoshi.work.models import AppendOnly, Task, TimelineQuerySet

from . import ranking


class County(models.Model):
    """A county (县、市、区) of the city; exactly one is ours. The office edits the list."""

    name = models.CharField("名称", max_length=50, unique=True, help_text="如:东山县、北湖区")
    is_ours = models.BooleanField("本县", default=False)
    order = models.PositiveIntegerField("排序", default=0)
    active = models.BooleanField("参与排名", default=True)

    class Meta:
        verbose_name = "县(市、区)"
        verbose_name_plural = "县(市、区)"
        ordering = ["order", "id"]
        constraints = [models.UniqueConstraint(fields=["is_ours"], condition=Q(is_ours=True), name="one_county_ours")]

    def __str__(self) -> str:
        return self.name

    @property
    def short(self) -> str:
        """东山县 → 东山: how the statistics bureau often writes it."""
        return strip_suffix(self.name)


def strip_suffix(name: str) -> str:
    name = "".join(name.split())
    if len(name) > 2 and name[-1] in "县市区旗":
        return name[:-1]
    return name


class CountyAlias(models.Model):
    """Another name a sheet writes for a county: 东山 or 东山县 for 东山市 after it became a city."""

    county = models.ForeignKey(County, verbose_name="县(市、区)", on_delete=models.CASCADE, related_name="aliases")
    alias = models.CharField("别名", max_length=50, unique=True)
    created_by = models.ForeignKey(User, verbose_name="添加人", null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")  # fmt: skip
    created_at = models.DateTimeField("添加时间", default=timezone.now)

    class Meta:
        verbose_name = "县(市、区)别名"
        verbose_name_plural = "县(市、区)别名"
        ordering = ["county", "alias"]

    def __str__(self) -> str:
        return f"{self.alias} → {self.county}"


class RankRule(models.TextChoices):
    """The target a leader sets on a rank (DOMAIN.md, 一要立足于争一流)."""

    TOP3 = ranking.TOP3, "保三争一"
    NOT_BOTTOM3 = ranking.NOT_BOTTOM3, "不进后三"
    UPPER_HALF = ranking.UPPER_HALF, "中游偏上"
    FIRST = ranking.FIRST, "争第一"
    TOP_K = ranking.TOP_K, "前k名"


class IndicatorQuerySet(models.QuerySet):
    def visible_to(self, user: User) -> IndicatorQuerySet:
        """The office and every leader see all; a unit the indicators it is responsible for."""
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if user.is_office or user.role == User.Role.LEADER:
            return self
        if user.role == User.Role.UNIT and user.unit_id:
            return self.filter(responsible_unit_id=user.unit_id)
        return self.none()

    def enterable_by(self, user: User) -> IndicatorQuerySet:
        """Whose values `user` may type: the office all; a unit its own where the office allows it."""
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if user.is_office:
            return self
        if user.role == User.Role.UNIT and user.unit_id:
            return self.filter(responsible_unit_id=user.unit_id, unit_may_enter=True)
        return self.none()


class Indicator(models.Model):
    """指标: a figure on which the city ranks its counties, with the target rule our county holds it to."""

    class Direction(models.TextChoices):
        HIGHER = "higher", "越大越好"
        LOWER = "lower", "越小越好"

    class PeriodKind(models.TextChoices):
        MONTHLY = "monthly", "月度"
        QUARTERLY = "quarterly", "季度"
        YEARLY = "yearly", "年度"
        CUMULATIVE = "cumulative", "累计(1–N月)"

    class Basis(models.TextChoices):
        ABSOLUTE = "absolute", "绝对值"
        GROWTH = "growth", "增速"

    class Category(models.TextChoices):
        ECONOMY = "economy", "经济指标"
        HONOUR = "honour", "荣誉类"
        INVESTMENT = "investment", "招商引资"
        PROJECTS = "projects", "项目建设"
        CAMPAIGN = "campaign", "创建"

    name = models.CharField("指标名称", max_length=100, unique=True)
    measure = models.CharField("计量单位", max_length=20, blank=True, help_text="如:亿元、万人、个")
    direction = models.CharField("方向", max_length=10, choices=Direction.choices, default=Direction.HIGHER)
    period_kind = models.CharField("统计周期", max_length=12, choices=PeriodKind.choices, default=PeriodKind.CUMULATIVE)
    basis = models.CharField("排名依据", max_length=10, choices=Basis.choices, default=Basis.GROWTH)
    category = models.CharField("类别", max_length=12, choices=Category.choices, default=Category.ECONOMY)
    responsible_unit = models.ForeignKey(Unit, verbose_name="责任单位", null=True, blank=True,
                                         on_delete=models.PROTECT, related_name="indicators")  # fmt: skip
    leader = models.ForeignKey(Leader, verbose_name="分管县领导", null=True, blank=True, on_delete=models.PROTECT,
                               related_name="indicators")  # fmt: skip
    rule = models.CharField("目标", max_length=12, choices=RankRule.choices, default=RankRule.UPPER_HALF)
    rule_k = models.PositiveSmallIntegerField("k(前k名)", null=True, blank=True)
    unit_may_enter = models.BooleanField("责任单位可填报", default=False)
    order = models.PositiveIntegerField("排序", default=0)
    active = models.BooleanField("启用", default=True)
    # The newest period with any value, kept by the value service so that lists read one period per indicator.
    latest_period = models.PositiveIntegerField("最新期别", null=True, blank=True, editable=False)
    created_at = models.DateTimeField("创建时间", default=timezone.now)

    objects = IndicatorQuerySet.as_manager()

    class Meta:
        verbose_name = "指标"
        verbose_name_plural = "指标"
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("rankings:indicator", args=[self.pk])

    @property
    def higher_is_better(self) -> bool:
        return self.direction == self.Direction.HIGHER

    @property
    def by_growth(self) -> bool:
        return self.basis == self.Basis.GROWTH

    @property
    def gap_measure(self) -> str:
        return "个百分点" if self.by_growth else self.measure

    @property
    def rule_label(self) -> str:
        return f"前{self.rule_k}名" if self.rule == RankRule.TOP_K else self.get_rule_display()

    def threshold(self, n: int) -> int:
        return ranking.rule_threshold(self.rule, n, self.rule_k)

    def period_label(self, period: int | None) -> str:
        return period_label(self.period_kind, period)


QUARTERS = {3: "一季度", 6: "上半年", 9: "前三季度", 12: "全年"}


def period_label(kind: str, period: int | None) -> str:
    """202610 → 2026年10月 / 2026年1–10月 / 2026年三季度 / 2026年, by the indicator's period."""
    if not period:
        return "—"
    year, month = divmod(period, 100)
    if kind == Indicator.PeriodKind.YEARLY:
        return f"{year}年"
    if kind == Indicator.PeriodKind.QUARTERLY:
        return f"{year}年{'一二三四'[(month - 1) // 3]}季度"
    if kind == Indicator.PeriodKind.CUMULATIVE:
        return f"{year}年1月" if month == 1 else f"{year}年1–{month}月"
    return f"{year}年{month}月"


def period_for(kind: str, year: int, month: int) -> int | None:
    """The period an indicator of `kind` has in a 通报 of year/month; None if it has none that month."""
    if kind == Indicator.PeriodKind.QUARTERLY:
        return year * 100 + month if month % 3 == 0 else None
    if kind == Indicator.PeriodKind.YEARLY:
        return year * 100 + 12 if month == 12 else None
    return year * 100 + month


class IndicatorValue(models.Model):
    """One county's figure for one period of an indicator. The rank is computed, never stored stale."""

    class Source(models.TextChoices):
        SHEET = "sheet", "通报导入"
        HAND = "hand", "手工填报"
        API = "api", "接口"
        DEMO = "demo", "演示数据"

    indicator = models.ForeignKey(Indicator, verbose_name="指标", on_delete=models.CASCADE, related_name="values")
    county = models.ForeignKey(County, verbose_name="县(市、区)", on_delete=models.PROTECT, related_name="values")
    period = models.PositiveIntegerField("期别", help_text="年×100+月,如 202610")
    value = models.DecimalField("绝对值", max_digits=18, decimal_places=4, null=True, blank=True)
    growth = models.DecimalField("增速(%)", max_digits=10, decimal_places=4, null=True, blank=True)
    sheet_rank = models.PositiveSmallIntegerField("通报位次", null=True, blank=True)
    source = models.CharField("来源", max_length=10, choices=Source.choices, default=Source.SHEET)
    entered_by = models.ForeignKey(User, verbose_name="填报人", null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")  # fmt: skip
    entered_at = models.DateTimeField("填报时间", default=timezone.now)

    class Meta:
        verbose_name = "指标值"
        verbose_name_plural = "指标值"
        constraints = [
            models.UniqueConstraint(fields=["indicator", "period", "county"], name="indicator_value_once"),
        ]
        # Every column a ranking reads: a period's values come from the index alone, without a visit to
        # each row (4,500 scattered rows cost a quarter of a second on SQLite's cold page cache).
        indexes = [
            models.Index(fields=["indicator", "period", "county", "value", "growth", "sheet_rank"],
                         name="indicator_value_cover"),
        ]  # fmt: skip

    def __str__(self) -> str:
        return f"{self.indicator} {self.county} {self.period}"

    @property
    def basis_value(self):
        return self.growth if self.indicator.by_growth else self.value


class ValueImport(AppendOnly, models.Model):
    """留痕 of one batch of values (a 通报 sheet, a hand entry, an API call): who, when, and what changed."""

    period = models.PositiveIntegerField("期别")
    source = models.CharField("来源", max_length=10, choices=IndicatorValue.Source.choices)
    name = models.CharField("文件或说明", max_length=200, blank=True)
    sha256 = models.CharField("SHA-256", max_length=64, blank=True, db_index=True)
    actor = models.ForeignKey(User, verbose_name="操作人", on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField("时间", default=timezone.now)
    created = models.PositiveIntegerField("新增", default=0)
    changed = models.PositiveIntegerField("修改", default=0)
    before = models.JSONField("修改前", default=dict, blank=True)
    after = models.JSONField("修改后", default=dict, blank=True)

    objects = TimelineQuerySet.as_manager()

    class Meta:
        verbose_name = "指标值导入记录"
        verbose_name_plural = "指标值导入记录"
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.get_source_display()} {self.period}"

    def labels(self) -> dict[str, str]:
        return {}


def _upload_path(instance, filename: str) -> str:
    # A random name: the file name a user gave never reaches the disk.
    return f"imports/rankings/{uuid.uuid4().hex}"


class SheetUpload(models.Model):
    """An uploaded 通报 sheet, from preview to commit, with the counties chosen by hand for unknown names."""

    file = models.FileField("文件", upload_to=_upload_path, max_length=200)
    name = models.CharField("文件名", max_length=200)
    sha256 = models.CharField("SHA-256", max_length=64)
    year = models.PositiveSmallIntegerField("年", null=True, blank=True)
    month = models.PositiveSmallIntegerField("月", null=True, blank=True)
    choices = models.JSONField("手工选择的县(市、区)", default=dict, blank=True)
    created_by = models.ForeignKey(User, verbose_name="上传人", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField("上传时间", default=timezone.now)
    record = models.ForeignKey(ValueImport, verbose_name="导入记录", null=True, blank=True, on_delete=models.PROTECT,
                               related_name="+")  # fmt: skip

    class Meta:
        verbose_name = "通报上传"
        verbose_name_plural = "通报上传"
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.name


class IndicatorTask(models.Model):
    """The task that asks a responsible unit for an indicator's missing value: one per indicator and period."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="missing_tasks")
    period = models.PositiveIntegerField("期别")
    task = models.ForeignKey(Task, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = "缺数报送任务"
        verbose_name_plural = "缺数报送任务"
        constraints = [models.UniqueConstraint(fields=["indicator", "period"], name="indicator_task_once")]

    def __str__(self) -> str:
        return f"{self.indicator} {self.period}"


class CityInitiative(models.Model):
    """现场会: what the city will showcase, when, and how ready our county is to host it."""

    class SourceKind(models.TextChoices):
        DOCUMENT = "document", "市里文件"
        MEETING = "meeting", "市里会议"
        LEADER = "leader", "领导口头"
        OTHER = "other", "其他"

    class Result(models.TextChoices):
        PENDING = "pending", "待定"
        WON = "won", "在我县召开"
        LOST = "lost", "在他县召开"
        CANCELLED = "cancelled", "取消"

    title = models.CharField("现场会主题", max_length=100, help_text="如:农村改厕、河湖保洁")
    expected_on = models.DateField("预计召开时间")
    source_kind = models.CharField("消息来源", max_length=10, choices=SourceKind.choices, default=SourceKind.DOCUMENT)
    source = models.CharField("来源说明", max_length=200, blank=True, help_text="文件名、会议名或谁说的")
    competitors = models.ManyToManyField(County, verbose_name="竞争县", blank=True, related_name="+")
    lead_unit = models.ForeignKey(Unit, verbose_name="牵头单位", null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="+")  # fmt: skip
    leader = models.ForeignKey(Leader, verbose_name="责任县领导", null=True, blank=True, on_delete=models.PROTECT,
                               related_name="+")  # fmt: skip
    tasks = models.ManyToManyField(Task, verbose_name="关联事项", blank=True, related_name="+")
    ready_on = models.DateField("我县可具备条件时间", null=True, blank=True)
    result = models.CharField("结果", max_length=10, choices=Result.choices, default=Result.PENDING)
    held_on = models.DateField("实际召开时间", null=True, blank=True)
    note = models.TextField("备注", blank=True)
    created_by = models.ForeignKey(User, verbose_name="登记人", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField("登记时间", default=timezone.now)

    class Meta:
        verbose_name = "现场会"
        verbose_name_plural = "现场会"
        ordering = ["expected_on", "id"]

    def __str__(self) -> str:
        return self.title

    # Days of slack between our ready date and the expected date below which the light turns yellow.
    SLACK_DAYS = 30

    def readiness_light(self, task_lights: list[str] = ()) -> str | None:
        """Red: no ready date, ready after the meeting, or a linked task red; yellow: under a month's
        slack or a linked task yellow; green otherwise. A decided initiative has no light."""
        if self.result != self.Result.PENDING:
            return None
        if self.ready_on is None or self.ready_on > self.expected_on or "red" in task_lights:
            return "red"
        if (self.expected_on - self.ready_on).days < self.SLACK_DAYS or "yellow" in task_lights:
            return "yellow"
        return "green"


class PeerPractice(models.Model):
    """学左右: a practice of one of the province's best counties, in the speech's four questions."""

    county = models.CharField("县(市、区)", max_length=50, help_text="省内学习对象,如:封丘县")
    title = models.CharField("做法名称", max_length=100)
    field = models.CharField("领域", max_length=50, help_text="如:乡村振兴、营商环境")
    indicator = models.ForeignKey(Indicator, verbose_name="服务的指标", null=True, blank=True,
                                  on_delete=models.SET_NULL, related_name="practices")  # fmt: skip
    unit = models.ForeignKey(Unit, verbose_name="对口单位", null=True, blank=True, on_delete=models.SET_NULL,
                             related_name="practices")  # fmt: skip
    money = models.TextField("钱从哪里来")
    people = models.TextField("人怎么组织")
    mechanism = models.TextField("机制怎么形成")
    problems = models.TextField("问题怎样处理")
    sources = models.TextField("资料来源", blank=True, help_text="文件、报道、考察记录,一行一条")
    attachment = models.FileField("附件", upload_to="rankings/practices/", blank=True, max_length=200)
    cost = models.CharField("投入", max_length=200, blank=True, help_text="如:县财政投入1200万元")
    results = models.CharField("成效", max_length=300, blank=True, help_text="尽量用数字")
    tasks = models.ManyToManyField(Task, verbose_name="借鉴事项", blank=True, related_name="+")
    created_by = models.ForeignKey(User, verbose_name="录入人", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField("录入时间", default=timezone.now)

    class Meta:
        verbose_name = "学左右案例"
        verbose_name_plural = "学左右案例"
        ordering = ["field", "county", "id"]

    def __str__(self) -> str:
        return f"{self.county}:{self.title}"
