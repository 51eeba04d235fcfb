"""The one trace (留痕) every app writes: an append-only, hash-chained table (ARCHITECTURE.md, "One trace mechanism").

Each entry points at its object through a content type and an id, records who did what and
the fields before and after, and carries the hash of the entry before it and the hash of its
own content. The hash is an HMAC keyed by settings.LUOSHI_AUDIT_KEY, which lives outside the
database: an intruder with database access alone cannot recompute the chain after an entry they
rewrote. A database trigger refuses UPDATE and DELETE; `manage.py verify_audit` walks the chain and
names the first entry changed, deleted or inserted behind the application's back.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from datetime import UTC

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone

GENESIS = "0" * 64


def chain_key() -> bytes:
    """The HMAC key of the chain, derived from the setting so that it is never the setting itself (nor SECRET_KEY)."""
    return hmac.new(settings.LUOSHI_AUDIT_KEY.encode("utf-8"), b"luoshi-audit-chain-v1", hashlib.sha256).digest()


class ChainHead(models.Model):
    """The single row that serialises appends: a writer locks it, chains onto `last_hash`, moves it on."""

    seq = models.PositiveBigIntegerField("最新序号", default=0)
    last_hash = models.CharField("最新摘要", max_length=64, default=GENESIS)

    class Meta:
        verbose_name = "留痕链头"
        verbose_name_plural = "留痕链头"

    def __str__(self) -> str:
        return f"#{self.seq}"


# What each action is called where a person reads an entry's title (the admin, a change list): the services
# name their actions in English; an action not listed shows as written.
ACTION_LABELS = {
    "create": "新建", "update": "修改", "edit": "修改", "save": "保存", "import_create": "导入新建",
    "admin_add": "后台新增", "admin_change": "后台修改", "admin_delete": "后台删除",
    "audit_archive": "留痕归档", "audit_export": "导出留痕", "audit_verify": "核验留痕链",
    "calendar_add": "新增节假日与调休", "close": "关闭", "command_create_admin": "命令行创建管理员",
    "command_password": "命令行修改密码", "contact_update": "修改联系方式", "decide": "作出决定",
    "correct_decision": "更正决定", "denied_read": "拒绝查阅", "document_link": "关联文件",
    "link_document": "关联文件", "document_unlink": "取消关联文件", "unlink_document": "取消关联文件",
    "escalate": "升级处理", "finding": "调研发现", "finding_propose": "调研发现提出建议",
    "finding_to_task": "调研发现转为事项", "history": "记录经过", "library_follow": "修改关注领域",
    "link": "关联", "login_unlock": "解除登录锁定", "meeting": "集体研究", "observe": "记录风险先兆",
    "overdue_flag": "标记逾期", "password_change": "修改密码", "petition": "信访", "read": "查阅",
    "read_key_people": "查阅重点人员", "receipt": "回执", "require_password_change": "要求修改密码",
    "review": "复核", "settings_update": "修改设置", "sign": "签收", "spawn_risk": "生成风险",
    "step": "推进阶段", "task_force_cancel": "专班会议取消", "task_force_held": "专班会议召开",
    "task_force_members": "专班成员调整", "task_force_move": "专班会议改期", "task_force_schedule": "专班会议安排",
    "to_problem": "风险转为遗留问题", "token_create": "创建接口令牌", "token_revoke": "吊销接口令牌",
    "urge": "催办", "reorg_create": "机构改革:新设单位", "reorg_dissolve": "机构改革:撤销",
    "reorg_leader": "机构改革:调整分管", "reorg_merge": "机构改革:合并", "reorg_rename": "机构改革:更名",
    "reorg_split": "机构改革:拆分", "reorg_user_move": "机构改革:转移账号",
}  # fmt: skip


class AuditEntryQuerySet(models.QuerySet):
    def for_object(self, obj) -> AuditEntryQuerySet:
        return self.filter(content_type=ContentType.objects.get_for_model(obj), object_id=obj.pk)


class AuditEntry(models.Model):
    """One line of the trace. Written by `audit.services.audit_record` only; never updated or deleted."""

    seq = models.PositiveBigIntegerField("序号", unique=True)
    content_type = models.ForeignKey(ContentType, verbose_name="对象类型", on_delete=models.PROTECT)
    object_id = models.PositiveBigIntegerField("对象编号")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="操作人", null=True, on_delete=models.PROTECT, related_name="+"
    )
    actor_name = models.CharField("操作人姓名", max_length=150, blank=True)
    action = models.CharField("操作", max_length=40)
    note = models.TextField("说明", blank=True)
    before = models.JSONField("修改前", default=dict, blank=True)
    after = models.JSONField("修改后", default=dict, blank=True)
    at = models.DateTimeField("时间", default=timezone.now)
    prev_hash = models.CharField("上一条摘要", max_length=64)
    hash = models.CharField("本条摘要", max_length=64)

    objects = AuditEntryQuerySet.as_manager()

    class Meta:
        verbose_name = "留痕"
        verbose_name_plural = "留痕"
        ordering = ["seq"]
        indexes = [models.Index(fields=["content_type", "object_id", "seq"])]

    def __str__(self) -> str:
        return f"#{self.seq} {ACTION_LABELS.get(self.action, self.action)}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise TypeError("留痕记录不可修改。")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise TypeError("留痕记录不可删除。")

    def content_hash(self) -> str:
        """HMAC-SHA256 (keyed by `chain_key()`) of everything the entry says, the previous hash included, canonically."""
        at = self.at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
        content = {
            "seq": self.seq,
            "ct": self.content_type_id,
            "obj": self.object_id,
            "actor": self.actor_id,
            "actor_name": self.actor_name,
            "action": self.action,
            "note": self.note,
            "before": self.before,
            "after": self.after,
            "at": at,
            "prev": self.prev_hash,
        }
        text = json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
        return hmac.new(chain_key(), text.encode("utf-8"), hashlib.sha256).hexdigest()

    def changes(self, labels: dict[str, str] | None = None) -> list[tuple[str, object, object]]:
        """(field label, before, after) for the fields this entry changed."""
        labels = labels or {}
        keys = list(dict.fromkeys([*self.before, *self.after]))
        return [(labels.get(key, key), self.before.get(key, "—"), self.after.get(key, "—")) for key in keys]


class AuditArchive(models.Model):
    """One archive of old trail and login-log entries: written to a signed file, then removed from the tables.

    The chain goes on across it: the first entry left in the table chains onto `upto_hash`, and the file
    holds every archived entry with its hashes, so `verify_audit --archive FILE` re-walks what was moved out.
    The database lets an entry be deleted only when an archive covers it and it is older than 180 days.
    """

    first_seq = models.PositiveBigIntegerField("起始序号")
    upto_seq = models.PositiveBigIntegerField("截止序号", unique=True)
    upto_hash = models.CharField("截止摘要", max_length=64)
    entries = models.PositiveIntegerField("留痕条数")
    login_events = models.PositiveIntegerField("登录日志条数", default=0)
    login_upto_id = models.PositiveBigIntegerField("登录日志截止编号", default=0)
    before = models.DateTimeField("归档此时间以前的记录")
    file_name = models.CharField("归档文件", max_length=300)
    file_sha256 = models.CharField("文件摘要", max_length=64)
    created_at = models.DateTimeField("归档时间", default=timezone.now)
    created_by = models.CharField("执行人", max_length=150)

    class Meta:
        verbose_name = "留痕归档"
        verbose_name_plural = "留痕归档"
        ordering = ["upto_seq"]

    def __str__(self) -> str:
        return f"#{self.first_seq}–#{self.upto_seq}"
