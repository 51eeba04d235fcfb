"""Jobs: long imports and decompositions that the worker runs, with the progress the page shows."""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone


class Job(models.Model):
    """One piece of work handed to the worker (django-tasks): who asked, how far it has got, where it ends."""

    class Status(models.TextChoices):
        QUEUED = "queued", "排队中"
        RUNNING = "running", "处理中"
        DONE = "done", "已完成"
        FAILED = "failed", "未完成"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    function = models.CharField("处理函数", max_length=100)
    title = models.CharField("名称", max_length=200)
    args = models.JSONField("参数", default=dict, blank=True)
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.QUEUED)
    done = models.PositiveIntegerField("已处理", default=0)
    total = models.PositiveIntegerField("总数", default=0)
    message = models.CharField("说明", max_length=1000, blank=True)
    next_url = models.CharField("完成后前往", max_length=300, blank=True)
    # What a preview job computed for its page to show (and its commit to write): the plans' previews.
    result = models.JSONField("结果", null=True, blank=True)
    go_when_done = models.BooleanField("完成后自动前往", default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="提交人", on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField("提交时间", default=timezone.now)
    started_at = models.DateTimeField("开始时间", null=True, blank=True)
    finished_at = models.DateTimeField("结束时间", null=True, blank=True)

    class Meta:
        verbose_name = "后台任务"
        verbose_name_plural = "后台任务"
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.title}({self.get_status_display()})"

    @property
    def finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)

    @property
    def percent(self) -> int | None:
        if self.status == self.Status.DONE:
            return 100
        if not self.total:
            return None
        return min(99, self.done * 100 // self.total)

    def visible_to(self, user) -> bool:
        return user.is_authenticated and (self.created_by_id == user.pk or getattr(user, "is_office", False))


class SweptUpload(models.Model):
    """An upload kept for a job that the daily sweep removed (`ops.jobs.uploads_sweep`): what, how big, and why."""

    class Reason(models.TextChoices):
        FINISHED = "finished", "任务已结束"
        NEVER_RAN = "never_ran", "任务超期未执行"
        ORPHAN = "orphan", "没有对应的任务"

    path = models.CharField("文件", max_length=300)
    size = models.PositiveBigIntegerField("大小(字节)", default=0)
    job = models.ForeignKey(Job, verbose_name="后台任务", null=True, blank=True, on_delete=models.SET_NULL)
    job_title = models.CharField("任务名称", max_length=200, blank=True)
    reason = models.CharField("清理原因", max_length=10, choices=Reason.choices)
    swept_at = models.DateTimeField("清理时间", default=timezone.now)

    class Meta:
        verbose_name = "已清理的上传文件"
        verbose_name_plural = "已清理的上传文件"
        ordering = ["-swept_at", "-id"]

    def __str__(self) -> str:
        return f"{self.swept_at:%Y-%m-%d} {self.job_title or self.path}({self.get_reason_display()})"
