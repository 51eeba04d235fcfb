"""Units, leaders, users and the login log."""

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.db.models import Q
from django.utils import timezone


class UnitQuerySet(models.QuerySet):
    def active(self):
        return self.filter(active=True)

    def existing_during(self, start):
        """Units to report a period from `start` on: the active ones and those dissolved (机构改革) since."""
        return self.filter(Q(active=True) | Q(dissolved_on__gte=start))

    def missing_contacts(self):
        """Units nobody can be reached at: no liaison, or neither phone."""
        return self.filter(Q(liaison_name="") | (Q(liaison_phone="") & Q(liaison_mobile="")))

    def editable_by(self, user):
        """Units whose contact details `user` may change."""
        if not user.is_authenticated:
            return self.none()
        # The office and administrators keep every unit's contacts; a liaison its own;
        # leaders read them but do not edit.
        if user.is_office:
            return self
        if user.role == User.Role.UNIT and user.unit_id:
            return self.filter(pk=user.unit_id)
        return self.none()


class Unit(models.Model):
    """A body that receives work: a department, a township or an enterprise."""

    class Kind(models.TextChoices):
        DEPARTMENT = "department", "县直单位"
        TOWNSHIP = "township", "乡镇(街道)"
        ENTERPRISE = "enterprise", "县属国有企业"
        OTHER = "other", "其他"

    # Display order of the kinds, on the directory and in exports.
    KIND_ORDER = [Kind.DEPARTMENT, Kind.TOWNSHIP, Kind.ENTERPRISE, Kind.OTHER]

    name = models.CharField("单位全称", max_length=100, unique=True)
    short_name = models.CharField("简称", max_length=50, blank=True)
    kind = models.CharField("类型", max_length=20, choices=Kind.choices, default=Kind.DEPARTMENT)
    parent = models.ForeignKey(
        "self", verbose_name="上级单位", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    order = models.PositiveIntegerField("排序", default=0, help_text="数字小的排在前面")
    active = models.BooleanField("启用", default=True, help_text="撤并的单位停用,不删除,历史事项仍可查")
    liaison_name = models.CharField("联络员", max_length=50, blank=True)
    liaison_phone = models.CharField("办公电话", max_length=50, blank=True)
    liaison_mobile = models.CharField("手机", max_length=50, blank=True)
    head_name = models.CharField("单位负责人", max_length=50, blank=True, help_text="督办、催办通知单抄送单位负责人")
    head_mobile = models.CharField(
        "负责人手机", max_length=50, blank=True, help_text="短信渠道开通时,催办短信也发给负责人"
    )
    # 机构改革 (org/reorg.py): when a unit set up by a merger or split began, and when a merged or split one ended.
    established_on = models.DateField("设立日期", null=True, blank=True, help_text="机构改革新设单位的设立日期")
    dissolved_on = models.DateField("撤销日期", null=True, blank=True, help_text="机构改革中撤并、拆分或撤销的日期")
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    objects = UnitQuerySet.as_manager()

    class Meta:
        verbose_name = "单位"
        verbose_name_plural = "单位"
        ordering = ["order", "id"]
        indexes = [models.Index(fields=["kind", "order"])]

    def __str__(self) -> str:
        return self.name

    @property
    def display_name(self) -> str:
        return self.short_name or self.name

    def deactivation_problem(self) -> str:
        """Why this unit may not simply be made inactive: its open tasks need a successor (机构改革), or ""."""
        if not self.pk or self.active or not Unit.objects.filter(pk=self.pk, active=True).exists():
            return ""
        from .reorg import open_task_count

        count = open_task_count(self)
        if not count:
            return ""
        return (
            f"“{self.name}”还有 {count} 项未办结的事项,不能直接停用:"
            "请在“机构改革”中合并或拆分,指定承接单位,事项会随之转移。"
        )

    def clean(self):
        # The admin's form and any full_clean: a unit with open tasks is not deactivated without a successor.
        super().clean()
        problem = self.deactivation_problem()
        if problem:
            from django.core.exceptions import ValidationError

            raise ValidationError({"active": problem})


class UnitAlias(models.Model):
    """Another name offices write for a unit: 国土局 for 自然资源局."""

    unit = models.ForeignKey(Unit, verbose_name="单位", on_delete=models.CASCADE, related_name="aliases")
    alias = models.CharField("别名", max_length=100, unique=True)
    created_by = models.ForeignKey(
        "org.User", verbose_name="添加人", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField("添加时间", default=timezone.now)

    class Meta:
        verbose_name = "单位别名"
        verbose_name_plural = "单位别名"
        ordering = ["unit", "alias"]

    def __str__(self) -> str:
        return f"{self.alias} → {self.unit}"


class UnitNameHistory(models.Model):
    """What a unit was called before a rename (机构改革): reports of past periods use the name of that time.

    One row per former name, from `valid_from` (None: since the unit was first recorded) to `valid_to`
    inclusive; the current name is `Unit.name`, from the day after the latest row's `valid_to`.
    """

    unit = models.ForeignKey(Unit, verbose_name="单位", on_delete=models.CASCADE, related_name="name_history")
    name = models.CharField("曾用全称", max_length=100)
    short_name = models.CharField("曾用简称", max_length=50, blank=True)
    valid_from = models.DateField("起用日期", null=True, blank=True)
    valid_to = models.DateField("停用日期")
    created_by = models.ForeignKey(
        "org.User", verbose_name="登记人", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField("登记时间", default=timezone.now)

    class Meta:
        verbose_name = "单位曾用名"
        verbose_name_plural = "单位曾用名"
        ordering = ["unit", "valid_to"]
        constraints = [models.UniqueConstraint(fields=["unit", "valid_to"], name="unit_name_history_one_per_day")]

    def __str__(self) -> str:
        start = f"{self.valid_from:%Y-%m-%d}" if self.valid_from else "…"
        return f"{self.name}({start}至{self.valid_to:%Y-%m-%d})"

    @property
    def display_name(self) -> str:
        return self.short_name or self.name


class Leader(models.Model):
    """A county leader (县长, 常务副县长, 副县长) and the units they 分管."""

    name = models.CharField("姓名", max_length=50, unique=True)
    title = models.CharField("职务", max_length=50, help_text="如:县长、常务副县长、副县长")
    order = models.PositiveIntegerField("排序", default=0)
    is_principal = models.BooleanField("主要负责人(县长)", default=False, help_text="可查看全部事项")
    fields = models.CharField(
        "分管领域", max_length=300, blank=True, help_text="用顿号分隔,如:水利、农业农村、乡村振兴"
    )
    supervises = models.ManyToManyField(Unit, verbose_name="分管(联系)单位", blank=True, related_name="leaders")
    active = models.BooleanField("在任", default=True)

    class Meta:
        verbose_name = "县领导"
        verbose_name_plural = "县领导"
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return f"{self.title} {self.name}"

    @property
    def field_list(self) -> list[str]:
        from luoshi.lib.text import split_names

        return split_names(self.fields)


class LuoshiUserManager(UserManager):
    def create_superuser(self, username, email=None, password=None, **extra_fields):
        extra_fields.setdefault("role", User.Role.ADMIN)
        return super().create_superuser(username, email, password, **extra_fields)


class User(AbstractUser):
    """A person who logs in, bound to a role and, for leaders and liaisons, to whom they act for."""

    class Role(models.TextChoices):
        OFFICE = "office", "督查室"
        LEADER = "leader", "县领导"
        UNIT = "unit", "单位联络员"
        ADMIN = "admin", "系统管理员"
        # 三员分立 (GB/T 20272 等保): the security officer keeps accounts and roles, the auditor reads the trail.
        SECURITY = "security", "安全保密管理员"
        AUDITOR = "auditor", "安全审计员"

    name = models.CharField("姓名", max_length=50, blank=True)
    role = models.CharField("角色", max_length=20, choices=Role.choices)
    unit = models.ForeignKey(
        Unit, verbose_name="所属单位", null=True, blank=True, on_delete=models.PROTECT, related_name="users"
    )
    leader = models.ForeignKey(
        Leader, verbose_name="对应县领导", null=True, blank=True, on_delete=models.PROTECT, related_name="users"
    )
    phone = models.CharField("手机", max_length=50, blank=True)
    must_change_password = models.BooleanField("下次登录须修改密码", default=False)
    is_unit_head = models.BooleanField(
        "单位负责人账号", default=False, help_text="单位联络员角色下,标明此账号为单位负责人:督办、催办时一并收到消息"
    )

    objects = LuoshiUserManager()

    class Meta:
        verbose_name = "用户"
        verbose_name_plural = "用户"
        constraints = [
            models.CheckConstraint(
                condition=Q(role__in=["office", "leader", "unit", "admin", "security", "auditor"]),
                name="user_role_valid",
            ),
            models.CheckConstraint(condition=~Q(role="unit") | Q(unit__isnull=False), name="user_liaison_has_unit"),
            models.CheckConstraint(
                condition=~Q(role="leader") | Q(leader__isnull=False), name="user_leader_has_leader"
            ),
        ]

    def __str__(self) -> str:
        return self.name or self.username

    # 三员分立: what each administrator role may do in the admin, by model ("app.model": actions).
    # - The system administrator keeps the configuration (units, leaders, settings, the calendar, messages)
    #   and the ordinary accounts (督查室, 县领导, 联络员): creates, edits, disables, resets their passwords.
    # - The security officer keeps every account's role, the administrator accounts, locks and tokens.
    # - The auditor reads the trail and the login log and verifies the chain.
    # None holds another's part, and nobody may change or delete the trail.
    SECURITY_MODELS = {
        "org.user": {"view", "add", "change"},
        "org.loginthrottle": {"view", "change", "delete"},
        "org.apitoken": {"view"},
    }
    AUDITOR_MODELS = {"audit.auditentry": {"view"}, "audit.chainhead": {"view"}, "org.loginevent": {"view"}}
    # Not the system administrator's: locks, tokens, the auditor's models, Django's own admin history.
    NOT_FOR_ADMIN = {
        "org.loginthrottle", "org.apitoken", *AUDITOR_MODELS, "admin.logentry", "auth.permission", "auth.group",
    }  # fmt: skip
    ADMIN_ROLES = ("admin", "security", "auditor")
    ORDINARY_ROLES = ("office", "leader", "unit")

    def save(self, *args, **kwargs):
        # The Django admin is for the three administrator roles only; the role decides it.
        self.is_staff = self.role in self.ADMIN_ROLES
        super().save(*args, **kwargs)

    @property
    def display_name(self) -> str:
        return self.name or self.username

    def has_perm(self, perm, obj=None) -> bool:
        """Admin permissions come from the role alone (三员分立): no per-user grants, and no superuser
        who holds all three roles at once."""
        if not self.is_active or "." not in perm:
            return False
        app_label, codename = perm.split(".", 1)
        action, _, model = codename.partition("_")
        key = f"{app_label}.{model}"
        if self.role == self.Role.ADMIN:
            # Accounts are never deleted (the trail names them): they are disabled.
            return key not in self.NOT_FOR_ADMIN and not (key == "org.user" and action == "delete")
        if self.role == self.Role.SECURITY:
            return action in self.SECURITY_MODELS.get(key, ())
        if self.role == self.Role.AUDITOR:
            return action in self.AUDITOR_MODELS.get(key, ())
        return False

    def has_perms(self, perm_list, obj=None) -> bool:
        return all(self.has_perm(perm, obj) for perm in perm_list)

    def has_module_perms(self, app_label) -> bool:
        if not self.is_active:
            return False
        if self.role == self.Role.ADMIN:
            return app_label not in ("auth",)
        models = {
            self.Role.SECURITY: self.SECURITY_MODELS,
            self.Role.AUDITOR: self.AUDITOR_MODELS,
        }.get(self.role, {})
        return any(key.startswith(app_label + ".") for key in models)

    @property
    def is_security_officer(self) -> bool:
        return self.is_active and self.role == self.Role.SECURITY

    @property
    def is_auditor(self) -> bool:
        return self.is_active and self.role == self.Role.AUDITOR

    @property
    def is_office(self) -> bool:
        """The supervision office or an administrator: who registers, decides, imports and compiles."""
        return self.role in (self.Role.OFFICE, self.Role.ADMIN)

    @property
    def sees_everything(self) -> bool:
        """The office, administrators and the principal leader see every unit's work."""
        if self.is_office:
            return True
        return self.role == self.Role.LEADER and self.leader is not None and self.leader.is_principal


class LoginEvent(models.Model):
    """One line of the login log that administrators read. Never updated."""

    class Kind(models.TextChoices):
        LOGIN = "login", "登录成功"
        FAILED = "failed", "密码错误"
        LOCKED = "locked", "账号锁定"
        REFUSED = "refused", "锁定期间尝试登录"
        LOGOUT = "logout", "退出"
        PASSWORD = "password", "修改密码"

    at = models.DateTimeField("时间", default=timezone.now, db_index=True)
    kind = models.CharField("事件", max_length=20, choices=Kind.choices)
    username = models.CharField("用户名", max_length=150, help_text="登录时输入的用户名")
    user = models.ForeignKey(
        User, verbose_name="用户", null=True, blank=True, on_delete=models.SET_NULL, related_name="login_events"
    )
    ip = models.GenericIPAddressField("IP 地址", null=True, blank=True)
    user_agent = models.CharField("浏览器", max_length=300, blank=True)

    class Meta:
        verbose_name = "登录日志"
        verbose_name_plural = "登录日志"
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M:%S} {self.username} {self.get_kind_display()}"


class LoginThrottle(models.Model):
    """Wrong passwords in a row, by the user name typed, whether or not it exists.

    Keyed by name rather than by user so that a name that does not exist locks
    exactly like one that does, and the page never tells them apart.
    """

    username = models.CharField("用户名", max_length=150, unique=True)
    failures = models.PositiveIntegerField("连续失败次数", default=0)
    locked_until = models.DateTimeField("锁定至", null=True, blank=True)

    class Meta:
        verbose_name = "登录锁定"
        verbose_name_plural = "登录锁定"

    def __str__(self) -> str:
        return self.username


class ApiToken(models.Model):
    """A personal key for the JSON API. Only the hash of the secret is kept; the user sees it once."""

    user = models.ForeignKey(User, verbose_name="用户", on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField("名称", max_length=50, help_text="用途说明,如:数据大屏、统计脚本")
    prefix = models.CharField("前缀", max_length=8, help_text="密钥的前8位,用于辨认")
    key_hash = models.CharField("密钥摘要(SHA-256)", max_length=64, unique=True)
    created_at = models.DateTimeField("创建时间", default=timezone.now)
    last_used_at = models.DateTimeField("最近使用", null=True, blank=True)
    revoked_at = models.DateTimeField("吊销时间", null=True, blank=True)
    password_fingerprint = models.CharField(
        "签发时的密码指纹", max_length=64, blank=True,
        help_text="签发时用户密码摘要的摘要;密码一经修改(无论经哪条途径),令牌即失效",
    )  # fmt: skip

    class Meta:
        verbose_name = "API 令牌"
        verbose_name_plural = "API 令牌"
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.name}({self.prefix}…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None

    @staticmethod
    def fingerprint(user: "User") -> str:
        """Changes whenever the user's password does, by whatever path: admin, import, command, the page."""
        import hashlib

        return hashlib.sha256(f"luoshi-api-token:{user.password}".encode()).hexdigest()

    @property
    def outlived_password(self) -> bool:
        return self.password_fingerprint != ApiToken.fingerprint(self.user)


# The values of work.models.Cadence: org sits below work, so it keeps the plain strings.
CADENCE_CHOICES = [
    ("none", "不定期"),
    ("weekly", "每周"),
    ("monthly", "每月"),
    ("quarterly", "每季度"),
    ("yearly", "每年"),
]


class CountySettings(models.Model):
    """督办设置: the county's own defaults, one row, edited by the office.

    The default feedback cadence is what imported and decomposed tasks get when their row says none, so that
    no task escapes 本周反馈 and the red light for a missed report.
    """

    default_cadence = models.CharField("默认反馈周期", max_length=10, choices=CADENCE_CHOICES, default="monthly")
    default_cadence_day = models.PositiveSmallIntegerField(
        "反馈日", default=25, help_text="每周:1-7(周一至周日);每月、每季度末月:1-31,超过当月天数按月末"
    )
    updated_by = models.ForeignKey(
        "User", verbose_name="修改人", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField("修改时间", null=True, blank=True)

    class Meta:
        verbose_name = "督办设置"
        verbose_name_plural = "督办设置"

    def __str__(self) -> str:
        return "督办设置"

    @classmethod
    def load(cls) -> "CountySettings":
        """The one row; a county that never saved it has the seeded defaults, 每月 by the 25th."""
        return cls.objects.get_or_create(pk=1)[0]

    def cadence_for(self, cadence: str, day: int, text: str = "") -> tuple[str, int]:
        """The cadence a new task gets: its own when its row names one, none when the row says 不定期,
        else the county's default."""
        if cadence != "none":
            return cadence, day
        if "不定期" in (text or ""):
            return "none", 0
        return self.default_cadence, self.default_cadence_day

    @property
    def default_cadence_label(self) -> str:
        from luoshi.lib.deadlines import cadence_label

        if self.default_cadence == "none":
            return "不定期"
        return cadence_label(self.default_cadence, self.default_cadence_day) + "前"


class TaskLeadMove(models.Model):
    """An open task's lead passing from one unit to another in a 机构改革 (merge, split).

    The figures of a period attribute a task to the unit that led it when the period ended: the `from_unit`
    of its first move on a day after that, or its current lead when it has not moved since. `moved_on` is the
    first day the successor leads it: the reorganisation's date, or the day it was applied if that is sooner
    (a reorganisation dated ahead moves the tasks at once). Written by `org.reorg`, never updated.
    """

    task = models.ForeignKey("work.Task", verbose_name="事项", on_delete=models.CASCADE, related_name="lead_moves")
    from_unit = models.ForeignKey(Unit, verbose_name="原牵头单位", on_delete=models.PROTECT, related_name="+")
    to_unit = models.ForeignKey(Unit, verbose_name="现牵头单位", on_delete=models.PROTECT, related_name="+")
    moved_on = models.DateField("转移日期")
    created_by = models.ForeignKey(
        "org.User", verbose_name="操作人", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField("登记时间", default=timezone.now)

    class Meta:
        verbose_name = "事项牵头单位转移"
        verbose_name_plural = "事项牵头单位转移"
        ordering = ["task", "moved_on", "id"]
        indexes = [
            # The moves after a period's end, and each task's first one: both are ranges of this index.
            models.Index(fields=["moved_on", "task"], name="task_lead_move_day"),
            models.Index(fields=["task", "moved_on", "id"], name="task_lead_move_task"),
        ]

    def __str__(self) -> str:
        return f"事项 {self.task_id}:{self.from_unit} → {self.to_unit}({self.moved_on:%Y-%m-%d})"
