"""An uploaded ledger, from preview to commit: what was chosen, and what it did."""

import uuid

from django.db import models
from django.utils import timezone

from luoshi.org.models import User


def _upload_path(instance, filename: str) -> str:
    # A random name: the file name a user gave never reaches the disk.
    return f"imports/ledger/{uuid.uuid4().hex}"


class LedgerImport(models.Model):
    """台账导入: one uploaded file. Kept after commit so that the same file is recognised when it comes again."""

    file = models.FileField("文件", upload_to=_upload_path, max_length=200, blank=True)
    name = models.CharField("文件名", max_length=200)
    sha256 = models.CharField("SHA-256", max_length=64, db_index=True)
    size = models.PositiveBigIntegerField("大小")
    base_date = models.DateField("文件日期", null=True, blank=True, help_text="推算“6月底”“年底前”所用的年份和日期")
    mapping = models.JSONField("列对应", null=True, blank=True)
    choices = models.JSONField("手工选择的单位", default=dict, blank=True)
    created_by = models.ForeignKey(User, verbose_name="上传人", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField("上传时间", default=timezone.now)
    committed_at = models.DateTimeField("导入时间", null=True, blank=True)
    tasks_created = models.PositiveIntegerField("新增事项", default=0)
    reports_created = models.PositiveIntegerField("导入进展", default=0)
    warnings = models.PositiveIntegerField("提示", default=0)

    class Meta:
        verbose_name = "台账导入"
        verbose_name_plural = "台账导入"
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.name}({self.created_at:%Y-%m-%d %H:%M})"

    @property
    def committed(self) -> bool:
        return self.committed_at is not None


class LedgerReport(models.Model):
    """Where a progress report that came from a returned ledger came from: the file, the ledger's date, and
    whether it was a conflict (the task had moved on since the export) that a user chose to import."""

    report = models.OneToOneField(
        "work.ProgressReport", verbose_name="进展反馈", on_delete=models.CASCADE, related_name="ledger_source"
    )
    ledger = models.ForeignKey(
        LedgerImport, verbose_name="台账导入", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    ledger_date = models.DateField("台账日期")
    conflict = models.BooleanField("冲突后确认导入", default=False)

    class Meta:
        verbose_name = "台账导入的进展"
        verbose_name_plural = "台账导入的进展"

    def __str__(self) -> str:
        kind = "(与较新进展冲突,经确认导入)" if self.conflict else ""
        return f"来自{self.ledger_date.year}年{self.ledger_date.month}月{self.ledger_date.day}日的台账{kind}"
