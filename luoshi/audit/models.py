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
        return f"#{self.seq} {self.action}"

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
