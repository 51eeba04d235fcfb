"""破难题: legacy problems (遗留问题) and their three-level handling, collective decisions (三重一大),
the risk register (灰犀牛/黑天鹅) and accountability records (问责).

Every change and every read of the guarded fields goes to the one trace (luoshi.audit), written by
the services in the same transaction; this app defines no timeline of its own.
"""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from luoshi.org.models import Leader, Unit, User

CATEGORIES = ["征地拆迁", "历史欠账", "信访积案", "企业改制", "项目烂尾", "不动产登记", "其他"]
RISK_FIELDS = ["债务", "信访稳定", "安全生产", "金融", "房地产", "生态环境", "公共卫生", "自然灾害", "其他"]

LEVEL_NAMES = {1: "一级:专业小组", 2: "二级:领导小组", 3: "三级:三重一大集体决策"}
LEVEL_GROUPS = {1: "专业小组", 2: "领导小组", 3: "县政府常务会议"}


def _supervised(user: User):
    return Leader.supervises.through.objects.filter(leader_id=user.leader_id).values("unit_id")


class ProblemQuerySet(models.QuerySet):
    def visible_to(self, user: User) -> ProblemQuerySet:
        """As tasks: the office and the principal all; a leader their units' and their own; a unit what it leads or supports."""
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if user.sees_everything:
            return self
        if user.role == User.Role.LEADER and user.leader_id:
            return self.filter(Q(lead_unit_id__in=_supervised(user)) | Q(leader_id=user.leader_id))
        if user.role == User.Role.UNIT and user.unit_id:
            supported = Problem.supporting.through.objects.filter(unit_id=user.unit_id).values("problem_id")
            return self.filter(Q(lead_unit_id=user.unit_id) | Q(pk__in=supported))
        return self.none()


class Problem(models.Model):
    """A legacy problem (遗留问题) in the ledger."""

    class Status(models.TextChoices):
        OPEN = "open", "待处理"
        HANDLING = "handling", "处理中"
        DECIDED = "decided", "已决策"
        RESOLVED = "resolved", "已化解"
        CLOSED_UNRESOLVED = "closed_unresolved", "未化解关闭"

    CLOSED = (Status.RESOLVED, Status.CLOSED_UNRESOLVED)

    title = models.CharField("问题名称", max_length=200)
    category = models.CharField("类别", max_length=20, default="其他")
    lead_unit = models.ForeignKey(Unit, verbose_name="牵头单位", on_delete=models.PROTECT, related_name="problems")
    supporting = models.ManyToManyField(Unit, verbose_name="配合单位", blank=True, related_name="problems_supported")
    leader = models.ForeignKey(
        Leader, verbose_name="责任县领导", null=True, blank=True, on_delete=models.PROTECT, related_name="problems"
    )
    # The lead unit's head (单位主要负责人): the unit's accounts marked is_unit_head in org read 关键人物; the office
    # may also name one of the lead unit's own accounts for this problem alone. No other account of the unit reads them.
    lead_unit_head = models.ForeignKey(
        User, verbose_name="牵头单位主要负责人账号", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    contradiction = models.TextField("主要矛盾", blank=True)
    key_people = models.JSONField("关键人物", default=list, blank=True, help_text="[{姓名, 身份, 联系方式}]")
    entry_point = models.TextField("切入点", blank=True)
    worst_case = models.TextField("最坏情况", blank=True)
    bottom_line = models.TextField("底线", blank=True)
    laws = models.TextField("法律政策依据", blank=True)
    money = models.DecimalField("涉及金额(万元)", max_digits=14, decimal_places=2, null=True, blank=True)
    task_force_members = models.TextField("专班成员", blank=True, help_text="用顿号或逗号分隔")
    status = models.CharField("状态", max_length=20, choices=Status.choices, default=Status.OPEN)
    close_reason = models.TextField("关闭理由", blank=True)
    level = models.PositiveSmallIntegerField("处理层级", default=0)
    level_due = models.DateField("本级时限", null=True, blank=True)
    level_concluded = models.BooleanField("本级已有结论", default=False)
    # The day the responsible leader was first told this level's time ran out (the reminder); a new level clears it.
    level_flagged_on = models.DateField("超时提醒日期", null=True, blank=True)
    petition_red = models.BooleanField("信访越级", default=False, help_text="有信访件到市及以上")
    risk = models.ForeignKey(
        "Risk", verbose_name="来源风险", null=True, blank=True, on_delete=models.SET_NULL, related_name="problems"
    )
    created_by = models.ForeignKey(User, verbose_name="登记人", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField("登记时间", default=timezone.now)

    objects = ProblemQuerySet.as_manager()

    class Meta:
        verbose_name = "遗留问题"
        verbose_name_plural = "遗留问题"
        ordering = ["-id"]
        indexes = [
            # overdue_escalations: open levels by their limit.
            models.Index(fields=["level_due", "id"]),
            models.Index(fields=["lead_unit", "-id"]),
            models.Index(fields=["category", "-id"]),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("problems:detail", args=[self.pk])

    @property
    def level_name(self) -> str:
        return LEVEL_NAMES.get(self.level, "未启动")

    @property
    def is_closed(self) -> bool:
        return self.status in self.CLOSED

    def level_overdue(self, today: date) -> bool:
        """Its level's time ran out without a conclusion: it should go up a level."""
        return not self.is_closed and self.level_due is not None and not self.level_concluded and self.level_due < today

    def light(self, today: date) -> str:
        if self.is_closed:
            return ""
        if self.petition_red or self.level_overdue(today):
            return "red"
        return "yellow" if self.level == 0 else "green"

    def key_people_readers(self, user: User) -> bool:
        """关键人物 are read by the office, the responsible leader and the lead unit's head only."""
        if not user.is_authenticated:
            return False
        if user.is_office:
            return True
        if user.role == User.Role.LEADER and user.leader_id and user.leader_id == self.leader_id:
            return True
        if user.role != User.Role.UNIT or user.unit_id != self.lead_unit_id:
            return False
        return user.is_unit_head or user.pk == self.lead_unit_head_id


class ProblemHistory(models.Model):
    """One dated line of 来龙去脉. Added, never rewritten: the model and a database trigger refuse changes."""

    problem = models.ForeignKey(Problem, verbose_name="问题", on_delete=models.PROTECT, related_name="history")
    day = models.DateField("日期")
    text = models.TextField("经过")
    added_by = models.ForeignKey(User, verbose_name="记录人", on_delete=models.PROTECT, related_name="+")
    added_at = models.DateTimeField("记录时间", default=timezone.now)

    class Meta:
        verbose_name = "来龙去脉"
        verbose_name_plural = "来龙去脉"
        ordering = ["day", "id"]
        indexes = [models.Index(fields=["problem", "day", "id"])]

    def __str__(self) -> str:
        return f"{self.day} {self.text[:20]}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise TypeError("来龙去脉只能添加,不能改写。")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise TypeError("来龙去脉只能添加,不能删除。")


class ProblemDocument(models.Model):
    """A library document a problem rests on (法律政策依据), with the article relied on; linked and unlinked on the trace."""

    problem = models.ForeignKey(Problem, verbose_name="问题", on_delete=models.CASCADE, related_name="document_links")
    # PROTECT: a document a problem rests on is not deleted from the library under it (repeal it instead).
    document = models.ForeignKey(
        "library.Document", verbose_name="政策文件", on_delete=models.PROTECT, related_name="problem_links"
    )
    article = models.CharField("依据条款", max_length=200, blank=True, help_text="如:第十二条、第三部分第(二)项")
    linked_by = models.ForeignKey(User, verbose_name="链接人", on_delete=models.PROTECT, related_name="+")
    linked_at = models.DateTimeField("链接时间", default=timezone.now)

    class Meta:
        verbose_name = "依据文件"
        verbose_name_plural = "依据文件"
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["problem", "document"], name="problem_document_once")]

    def __str__(self) -> str:
        return f"{self.problem_id} → {self.document_id}"


class TaskForceMeetingQuerySet(models.QuerySet):
    def visible_to(self, user: User) -> TaskForceMeetingQuerySet:
        return self.filter(problem__in=Problem.objects.visible_to(user))


class TaskForceMeeting(models.Model):
    """A meeting of a problem's 专班 (task force): scheduled, then held with its minutes and attendance, or cancelled."""

    class Status(models.TextChoices):
        PLANNED = "planned", "已安排"
        HELD = "held", "已召开"
        CANCELLED = "cancelled", "已取消"

    problem = models.ForeignKey(
        Problem, verbose_name="问题", on_delete=models.PROTECT, related_name="task_force_meetings"
    )
    day = models.DateField("会议日期")
    start = models.TimeField("开始时间", null=True, blank=True)
    place = models.CharField("地点", max_length=100, blank=True)
    topic = models.CharField("议题", max_length=300)
    status = models.CharField("状态", max_length=20, choices=Status.choices, default=Status.PLANNED)
    attendees = models.JSONField("出席人员", default=list, blank=True)
    absent = models.JSONField("缺席人员", default=list, blank=True, help_text="[{姓名, 原因}]")
    minutes = models.TextField("会议纪要", blank=True)
    cancel_reason = models.TextField("取消理由", blank=True)
    created_by = models.ForeignKey(User, verbose_name="安排人", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField("安排时间", default=timezone.now)
    recorded_by = models.ForeignKey(
        User, verbose_name="纪要记录人", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    objects = TaskForceMeetingQuerySet.as_manager()

    class Meta:
        verbose_name = "专班会议"
        verbose_name_plural = "专班会议"
        ordering = ["day", "start", "id"]
        indexes = [models.Index(fields=["day", "id"]), models.Index(fields=["problem", "day"])]

    def __str__(self) -> str:
        return f"{self.day} {self.topic}"

    @property
    def attendance(self) -> str:
        """出席 N 人、缺席 M 人 (of the members listed when it was held)."""
        return f"出席 {len(self.attendees)} 人,缺席 {len(self.absent)} 人"


class Petition(models.Model):
    """A petition (信访件) about a problem."""

    class Level(models.TextChoices):
        COUNTY = "county", "县"
        CITY = "city", "市"
        PROVINCE = "province", "省"
        BEIJING = "beijing", "京"

    problem = models.ForeignKey(Problem, verbose_name="问题", on_delete=models.PROTECT, related_name="petitions")
    number = models.CharField("信访件编号", max_length=50)
    day = models.DateField("日期")
    petitioners = models.PositiveIntegerField("信访人数", default=1)
    level = models.CharField("到达层级", max_length=10, choices=Level.choices, default=Level.COUNTY)
    next_visit = models.DateField("预计下次来访", null=True, blank=True)

    class Meta:
        verbose_name = "信访件"
        verbose_name_plural = "信访件"
        ordering = ["day", "id"]

    def __str__(self) -> str:
        return self.number


class Escalation(models.Model):
    """One level of handling (三级处理法): its group, members, time limit and conclusion."""

    problem = models.ForeignKey(Problem, verbose_name="问题", on_delete=models.PROTECT, related_name="escalations")
    level = models.PositiveSmallIntegerField("层级")
    group = models.CharField("处理小组", max_length=100)
    chair = models.CharField("召集人", max_length=100, blank=True)
    members = models.TextField("成员", blank=True)
    reason = models.TextField("升级理由", blank=True)
    started_on = models.DateField("启动日期")
    due = models.DateField("时限")
    concluded_on = models.DateField("形成结论日期", null=True, blank=True)
    by = models.ForeignKey(User, verbose_name="操作人", on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = "分级处理"
        verbose_name_plural = "分级处理"
        ordering = ["problem", "level"]
        constraints = [models.UniqueConstraint(fields=["problem", "level"], name="escalation_one_per_level")]
        indexes = [models.Index(fields=["concluded_on", "due"])]

    def __str__(self) -> str:
        return LEVEL_NAMES.get(self.level, str(self.level))

    @property
    def level_name(self) -> str:
        return LEVEL_NAMES.get(self.level, str(self.level))


class LevelMeeting(models.Model):
    """A meeting at one level: attendees, the options discussed, the conclusion, and the tasks it creates."""

    escalation = models.ForeignKey(Escalation, verbose_name="层级", on_delete=models.PROTECT, related_name="meetings")
    day = models.DateField("会议日期")
    attendees = models.TextField("参会人员")
    options = models.TextField("研究的方案", blank=True)
    conclusion = models.TextField("会议结论", blank=True)
    brief = models.ForeignKey(
        "reports.Brief", verbose_name="汇报(选择题)", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    tasks = models.ManyToManyField("work.Task", verbose_name="交办事项", blank=True, related_name="+")
    by = models.ForeignKey(User, verbose_name="记录人", on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = "层级会议"
        verbose_name_plural = "层级会议"
        ordering = ["day", "id"]

    def __str__(self) -> str:
        return f"{self.day} {self.escalation}"


class CollectiveDecision(models.Model):
    """A 三重一大 collective decision. Recorded once; a correction is a new record pointing at the one it corrects."""

    class Category(models.TextChoices):
        MAJOR_DECISION = "major_decision", "重大决策"
        CADRE = "cadre", "重要干部任免"
        PROJECT = "project", "重大项目安排"
        FUNDS = "funds", "大额资金使用"

    problem = models.ForeignKey(Problem, verbose_name="问题", on_delete=models.PROTECT, related_name="decisions")
    meeting = models.CharField("会议", max_length=100)
    day = models.DateField("会议日期")
    attendees = models.JSONField("出席人员", default=list)
    absent = models.JSONField("缺席人员", default=list, blank=True)
    category = models.CharField("事项类别", max_length=20, choices=Category.choices)
    amount = models.DecimalField("涉及金额(万元)", max_digits=14, decimal_places=2, null=True, blank=True)
    matter = models.TextField("决策事项")
    consensus = models.BooleanField("一致同意", default=False)
    votes_for = models.PositiveSmallIntegerField("赞成", null=True, blank=True)
    votes_against = models.PositiveSmallIntegerField("反对", null=True, blank=True)
    votes_abstain = models.PositiveSmallIntegerField("弃权", null=True, blank=True)
    dissent = models.JSONField("不同意见", default=list, blank=True, help_text="[{姓名, 意见}]")
    resolution = models.TextField("议定事项")
    corrects = models.OneToOneField(
        "self", verbose_name="更正的决策", null=True, blank=True, on_delete=models.PROTECT, related_name="corrected_by"
    )
    correction_reason = models.TextField("更正理由", blank=True)
    tasks = models.ManyToManyField("work.Task", verbose_name="交办事项", blank=True, related_name="+")
    recorded_by = models.ForeignKey(User, verbose_name="记录人", on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField("记录时间", default=timezone.now)

    class Meta:
        verbose_name = "三重一大集体决策"
        verbose_name_plural = "三重一大集体决策"
        ordering = ["day", "id"]

    def __str__(self) -> str:
        return f"{self.meeting}({self.day})"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise TypeError("集体决策一经记录不得修改;如需更正,请另行记录更正决策。")
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("problems:decision", args=[self.pk])

    def delete(self, *args, **kwargs):
        raise TypeError("集体决策一经记录不得删除。")

    @property
    def is_superseded(self) -> bool:
        return hasattr(self, "corrected_by")


class RiskQuerySet(models.QuerySet):
    def visible_to(self, user: User) -> RiskQuerySet:
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if user.sees_everything:
            return self
        if user.role == User.Role.LEADER and user.leader_id:
            return self.filter(Q(owner_unit_id__in=_supervised(user)) | Q(leader_id=user.leader_id))
        if user.role == User.Role.UNIT and user.unit_id:
            return self.filter(owner_unit_id=user.unit_id)
        return self.none()


class Risk(models.Model):
    """A risk in the register: a grey rhino (灰犀牛) or a black swan (黑天鹅)."""

    class Kind(models.TextChoices):
        GREY_RHINO = "grey_rhino", "灰犀牛"
        BLACK_SWAN = "black_swan", "黑天鹅"

    class Cadence(models.TextChoices):
        MONTHLY = "monthly", "每月"
        QUARTERLY = "quarterly", "每季度"

    class Status(models.TextChoices):
        WATCHING = "watching", "监测中"
        MITIGATING = "mitigating", "化解中"
        CLOSED = "closed", "已消除"

    title = models.CharField("风险名称", max_length=200)
    kind = models.CharField("类型", max_length=20, choices=Kind.choices)
    field = models.CharField("领域", max_length=20, default="其他")
    likelihood = models.PositiveSmallIntegerField("可能性(1–5)")
    impact = models.PositiveSmallIntegerField("影响(1–5)")
    score = models.PositiveSmallIntegerField("风险值")
    signs = models.TextField("先兆", blank=True)
    owner_unit = models.ForeignKey(Unit, verbose_name="责任单位", on_delete=models.PROTECT, related_name="risks")
    leader = models.ForeignKey(
        Leader, verbose_name="责任县领导", null=True, blank=True, on_delete=models.PROTECT, related_name="risks"
    )
    cadence = models.CharField("评估周期", max_length=20, choices=Cadence.choices, default=Cadence.MONTHLY)
    next_review = models.DateField("下次评估")
    status = models.CharField("状态", max_length=20, choices=Status.choices, default=Status.WATCHING)
    tasks = models.ManyToManyField("work.Task", verbose_name="化解措施(事项)", blank=True, related_name="+")
    created_by = models.ForeignKey(User, verbose_name="登记人", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField("登记时间", default=timezone.now)

    objects = RiskQuerySet.as_manager()

    class Meta:
        verbose_name = "风险"
        verbose_name_plural = "风险"
        ordering = ["-score", "id"]
        indexes = [
            # The register's order, read from the index and stopped after a page.
            models.Index(fields=["-score", "id"]),
            models.Index(fields=["owner_unit", "-score"]),
            # The heat map counts from this index alone (covering: no table rows read).
            models.Index(fields=["likelihood", "impact", "status"]),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(likelihood__gte=1, likelihood__lte=5), name="risk_likelihood_1_5"),
            models.CheckConstraint(condition=Q(impact__gte=1, impact__lte=5), name="risk_impact_1_5"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("problems:risk", args=[self.pk])

    @property
    def review_due(self) -> bool:
        return self.status != self.Status.CLOSED and self.next_review <= timezone.localdate()


class RiskObservation(models.Model):
    """A dated observation of an early sign (先兆)."""

    risk = models.ForeignKey(Risk, verbose_name="风险", on_delete=models.PROTECT, related_name="observations")
    day = models.DateField("日期")
    text = models.TextField("观察")
    by = models.ForeignKey(User, verbose_name="记录人", on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = "先兆观察"
        verbose_name_plural = "先兆观察"
        ordering = ["day", "id"]

    def __str__(self) -> str:
        return f"{self.day} {self.text[:20]}"


class RiskReview(models.Model):
    """One review of a risk: the score it was given on that day. The trend is these scores in order."""

    risk = models.ForeignKey(Risk, verbose_name="风险", on_delete=models.PROTECT, related_name="reviews")
    day = models.DateField("评估日期")
    likelihood = models.PositiveSmallIntegerField("可能性")
    impact = models.PositiveSmallIntegerField("影响")
    score = models.PositiveSmallIntegerField("风险值")
    note = models.TextField("评估意见", blank=True)
    by = models.ForeignKey(User, verbose_name="评估人", on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = "风险评估"
        verbose_name_plural = "风险评估"
        ordering = ["day", "id"]
        indexes = [models.Index(fields=["risk", "day", "id"])]

    def __str__(self) -> str:
        return f"{self.day} {self.score}"


class AccountabilityQuerySet(models.QuerySet):
    def visible_to(self, user: User) -> AccountabilityQuerySet:
        """The office and the principal leader; a unit its own. No other leader: accountability is not 分管 work."""
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if user.sees_everything:
            return self
        if user.role == User.Role.UNIT and user.unit_id:
            return self.filter(unit_id=user.unit_id)
        return self.none()


class AccountabilityRecord(models.Model):
    """A 问责 case. Never feeds a ranking: nothing in rankings or unit_stats reads this table."""

    class Decision(models.TextChoices):
        PENDING = "pending", "待决定"
        ACCOUNTABLE = "accountable", "予以问责"
        NOT_ACCOUNTABLE = "not_accountable", "不予问责"

    case = models.CharField("案由", max_length=200)
    unit = models.ForeignKey(Unit, verbose_name="涉及单位", on_delete=models.PROTECT, related_name="accountability")
    people = models.TextField("涉及人员")
    facts = models.TextField("基本事实")
    intentional = models.BooleanField("主观故意", default=False)
    intentional_evidence = models.TextField("主观故意的证据", blank=True)
    malicious = models.BooleanField("恶意", default=False)
    malicious_evidence = models.TextField("恶意的证据", blank=True)
    serious = models.BooleanField("造成严重后果", default=False)
    serious_evidence = models.TextField("严重后果的证据", blank=True)
    decision = models.CharField("决定", max_length=20, choices=Decision.choices, default=Decision.PENDING)
    grounds = models.TextField("决定依据", blank=True)
    against_reason = models.TextField("与建议不一致的理由", blank=True)
    problem = models.ForeignKey(
        Problem, verbose_name="相关问题", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_by = models.ForeignKey(User, verbose_name="登记人", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField("登记时间", default=timezone.now)

    objects = AccountabilityQuerySet.as_manager()

    RULE = "根据慎重问责的原则,只有主观故意、恶意并造成严重后果的失职失责才予以问责;三项条件未同时具备的,建议不予问责。"

    class Meta:
        verbose_name = "问责记录"
        verbose_name_plural = "问责记录"
        ordering = ["-id"]

    def __str__(self) -> str:
        return self.case

    def get_absolute_url(self) -> str:
        return reverse("problems:accountability", args=[self.pk])

    @property
    def recommends_accountability(self) -> bool:
        return self.intentional and self.malicious and self.serious

    @property
    def recommendation(self) -> str:
        if self.recommends_accountability:
            return "主观故意、恶意、造成严重后果三项均已具备并有证据,可以依规问责。(慎重问责原则)"
        missing = [
            label
            for label, held in (
                ("主观故意", self.intentional),
                ("恶意", self.malicious),
                ("造成严重后果", self.serious),
            )
            if not held
        ]
        return f"建议不予问责:{'、'.join(missing)}不成立。" + self.RULE


def level_workdays(level: int) -> int:
    return settings.LUOSHI_PROBLEM_LEVEL_WORKDAYS[level - 1]
