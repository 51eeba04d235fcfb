"""消息与提醒: events, the in-app messages and outbound deliveries they make, the rules, channels and 回执."""

from __future__ import annotations

import secrets

from django.db import models
from django.db.models import Q
from django.utils import timezone

from luoshi.org.models import Leader, Unit, User
from luoshi.work.models import AppendOnly, Task, TimelineQuerySet


class Kind(models.TextChoices):
    ASSIGNED = "assigned", "新交办事项"
    URGED = "urged", "催办"
    NOTICE = "notice", "督办/催办通知单"
    INSTRUCTION = "instruction", "领导批示"
    DECIDED = "decided", "延期/办结审核结果"
    AWAITING = "awaiting", "待督查室审核的申请"
    REPORT_DUE = "report_due", "反馈即将到期"
    REPORT_TODAY = "report_today", "今天应反馈"
    REPORT_LATE = "report_late", "反馈逾期"
    DEADLINE_NEAR = "deadline_near", "完成时限临近"
    DEADLINE_PASSED = "deadline_passed", "已超完成时限"
    UNSIGNED = "unsigned", "逾期未签收"
    BRIEF = "brief", "汇报呈报与决定"
    ISSUED = "issued", "常务会材料、督查通报印发"
    DIGEST = "digest", "每日汇总"
    DEBT = "debt", "还本付息预警"
    TEST = "test", "测试消息"


# Kinds the scheduler raises; the others come from a service at the moment of the change.
REMINDER_KINDS = {Kind.REPORT_DUE, Kind.REPORT_TODAY, Kind.REPORT_LATE, Kind.DEADLINE_NEAR, Kind.DEADLINE_PASSED,
                  Kind.UNSIGNED}  # fmt: skip


class Channel(models.TextChoices):
    INAPP = "inapp", "消息中心"
    EMAIL = "email", "电子邮件"
    DINGTALK = "dingtalk", "钉钉群机器人"
    WECOM = "wecom", "企业微信群机器人"
    SMS = "sms", "短信"


# Channels a person picks for themself; the robots belong to a unit's group.
PERSONAL_CHANNELS = [Channel.EMAIL, Channel.SMS]
ROBOT_CHANNELS = [Channel.DINGTALK, Channel.WECOM]


class Rule(models.Model):
    """What the office allows for one kind of event: on or off, which channels, how far ahead."""

    kind = models.CharField("消息类别", max_length=20, choices=Kind.choices, unique=True)
    enabled = models.BooleanField("启用", default=True)
    channels = models.JSONField("允许的渠道", default=list, blank=True)
    days_ahead = models.PositiveSmallIntegerField("提前工作日数", default=3, help_text="仅用于到期提醒")
    updated_at = models.DateTimeField("修改时间", auto_now=True)

    class Meta:
        verbose_name = "提醒规则"
        verbose_name_plural = "提醒规则"
        ordering = ["id"]

    def __str__(self) -> str:
        return self.get_kind_display()


class Preference(models.Model):
    """One person's channels for one kind of event, within what the rule allows."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="notify_preferences")
    kind = models.CharField("消息类别", max_length=20, choices=Kind.choices)
    channels = models.JSONField("接收渠道", default=list, blank=True)

    class Meta:
        verbose_name = "接收偏好"
        verbose_name_plural = "接收偏好"
        constraints = [models.UniqueConstraint(fields=["user", "kind"], name="notify_pref_user_kind")]

    def __str__(self) -> str:
        return f"{self.user}:{self.get_kind_display()}"


class Profile(models.Model):
    """Per-person notification settings beyond the per-kind channels."""

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="notify_profile")
    digest = models.BooleanField("每日汇总", default=False, help_text="工作日 8:30 收到一条汇总,而不是每件事一条")

    class Meta:
        verbose_name = "消息设置"
        verbose_name_plural = "消息设置"

    def __str__(self) -> str:
        return str(self.user)


class RobotChannel(models.Model):
    """A unit's group robot (钉钉 or 企业微信)."""

    unit = models.ForeignKey(Unit, verbose_name="单位", on_delete=models.CASCADE, related_name="robots")
    kind = models.CharField(
        "类型",
        max_length=10,
        choices=[(Channel.DINGTALK, Channel.DINGTALK.label), (Channel.WECOM, Channel.WECOM.label)],
    )
    name = models.CharField("名称", max_length=50, blank=True)
    webhook = models.URLField("Webhook 地址", max_length=500)
    secret = models.CharField("加签密钥", max_length=200, blank=True, help_text="钉钉“加签”安全设置的 SEC 开头密钥")
    active = models.BooleanField("启用", default=True)
    created_at = models.DateTimeField("添加时间", default=timezone.now)

    class Meta:
        verbose_name = "群机器人"
        verbose_name_plural = "群机器人"
        ordering = ["unit", "id"]

    def __str__(self) -> str:
        return f"{self.unit.display_name} {self.get_kind_display()} {self.name}".strip()


class Event(models.Model):
    """Something that happened that people must hear of. Written in the transaction of the change."""

    kind = models.CharField("类别", max_length=20, choices=Kind.choices)
    title = models.CharField("标题", max_length=200)
    body = models.TextField("内容", blank=True)
    url = models.CharField("链接", max_length=300, blank=True)
    urgent = models.BooleanField("特急", default=False)
    task = models.ForeignKey(Task, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    unit = models.ForeignKey(Unit, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    # A reminder's key (kind, unit, day): a scheduler run twice raises it once.
    key = models.CharField(max_length=120, null=True, blank=True, unique=True)
    created_at = models.DateTimeField("时间", default=timezone.now)

    class Meta:
        verbose_name = "事件"
        verbose_name_plural = "事件"
        ordering = ["-id"]

    def __str__(self) -> str:
        return self.title


class MessageQuerySet(models.QuerySet):
    def visible_to(self, user) -> MessageQuerySet:
        if not user.is_authenticated:
            return self.none()
        return self.filter(user=user)

    def unread(self) -> MessageQuerySet:
        return self.filter(read_at__isnull=True)


class Message(models.Model):
    """The in-app message: one per (event, person). Its channel is the message centre."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="messages")
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="messages")
    kind = models.CharField("类别", max_length=20, choices=Kind.choices)
    task = models.ForeignKey(Task, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField("时间", default=timezone.now)
    read_at = models.DateTimeField("已读时间", null=True, blank=True)

    objects = MessageQuerySet.as_manager()

    class Meta:
        verbose_name = "站内消息"
        verbose_name_plural = "站内消息"
        ordering = ["-created_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["event", "user"], name="notify_message_event_user")]
        indexes = [
            # The bell: unread messages of one person, counted on every page.
            models.Index(fields=["user"], condition=Q(read_at__isnull=True), name="notify_message_unread"),
            models.Index(fields=["user", "-created_at"], name="notify_message_user_at"),
            models.Index(fields=["task", "user"], name="notify_message_task_user"),
        ]

    def __str__(self) -> str:
        return f"{self.user}:{self.get_kind_display()}"


class Delivery(models.Model):
    """One event to one recipient on one outbound channel; a worker sends it."""

    class Status(models.TextChoices):
        PENDING = "pending", "待发送"
        SENDING = "sending", "发送中"
        SENT = "sent", "已发送"
        DEAD = "dead", "发送失败"

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="deliveries")
    channel = models.CharField("渠道", max_length=10, choices=Channel.choices)
    # "u<id>" for a person, "r<id>" for a group robot: the unique triple's recipient.
    recipient = models.CharField("接收对象", max_length=20)
    address = models.CharField("地址", max_length=500, blank=True, help_text="邮箱、手机号或机器人编号")
    mobiles = models.CharField("@手机号", max_length=500, blank=True)
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.PENDING)
    digest = models.BooleanField("并入每日汇总", default=False)
    attempts = models.PositiveSmallIntegerField("已尝试次数", default=0)
    next_attempt_at = models.DateTimeField("下次发送时间", default=timezone.now)
    lease_until = models.DateTimeField("占用至", null=True, blank=True)
    worker = models.CharField("处理进程", max_length=64, blank=True)
    answer = models.TextField("渠道应答", blank=True)
    sent_at = models.DateTimeField("发送时间", null=True, blank=True)
    created_at = models.DateTimeField("生成时间", default=timezone.now)

    class Meta:
        verbose_name = "外发记录"
        verbose_name_plural = "外发记录"
        ordering = ["-id"]
        constraints = [models.UniqueConstraint(fields=["event", "recipient", "channel"], name="notify_delivery_unique")]
        indexes = [
            models.Index(fields=["status", "next_attempt_at"], name="notify_delivery_due"),
        ]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} → {self.address}"


class ReminderLog(models.Model):
    """At most one reminder per task, unit and day, whatever the rules say."""

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="+")
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["task", "unit", "day"], name="notify_reminder_once")]

    def __str__(self) -> str:
        return f"{self.task_id} {self.unit_id} {self.day}"


class ScheduledRun(models.Model):
    """A periodic job taken for one period: the unique key lets many schedulers run it once."""

    job = models.CharField(max_length=50)
    period = models.CharField(max_length=30)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["job", "period"], name="notify_scheduled_once")]

    def __str__(self) -> str:
        return f"{self.job} {self.period}"


class Receipt(models.Model):
    """回执 of a 督办/催办通知单: who confirmed and when, and how often it was sent."""

    notice = models.OneToOneField("reports.Notice", on_delete=models.CASCADE, related_name="receipt")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    sent_at = models.DateTimeField("送达时间", default=timezone.now)
    sends = models.PositiveSmallIntegerField("发送次数", default=1)
    # The first time someone of the unit opened it (已阅): the office sees read-but-unconfirmed notices apart.
    read_at = models.DateTimeField("阅读时间", null=True, blank=True)
    read_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    confirmed_at = models.DateTimeField("回执时间", null=True, blank=True)
    confirmed_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = "通知单回执"
        verbose_name_plural = "通知单回执"

    def __str__(self) -> str:
        return f"{self.notice_id} {self.confirmed_at}"


class NoticeTrail(AppendOnly, models.Model):
    """留痕 of a notice: its issue, every re-send and every 回执. Never updated or deleted."""

    class Action(models.TextChoices):
        ISSUE = "issue", "制发送达"
        RESEND = "resend", "重新送达"
        READ = "read", "单位已阅"
        RECEIPT = "receipt", "确认回执"

    notice = models.ForeignKey("reports.Notice", on_delete=models.PROTECT, related_name="trail")
    task = models.ForeignKey(Task, on_delete=models.PROTECT, related_name="+")
    action = models.CharField("操作", max_length=10, choices=Action.choices)
    actor = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField("时间", default=timezone.now)

    objects = TimelineQuerySet.as_manager()

    class Meta:
        verbose_name = "通知单留痕"
        verbose_name_plural = "通知单留痕"
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.get_action_display()}"


def _new_token() -> str:
    return secrets.token_urlsafe(24)


class FeedToken(models.Model):
    """The secret of an iCal feed for a unit or a leader; revoked by deleting, renewed by replacing."""

    unit = models.OneToOneField(Unit, null=True, blank=True, on_delete=models.CASCADE, related_name="feed")
    leader = models.OneToOneField(Leader, null=True, blank=True, on_delete=models.CASCADE, related_name="feed")
    token = models.CharField(max_length=64, unique=True, default=_new_token)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(unit__isnull=False, leader__isnull=True) | Q(unit__isnull=True, leader__isnull=False),
                name="notify_feed_one_owner",
            )
        ]

    def __str__(self) -> str:
        return f"{self.unit_id or self.leader_id}"
