"""The working-day calendar's own table: public holidays and 调休 make-up workdays.

The rules that read it live in `luoshi.lib.workdays`; this table is what the office edits.
"""

from django.db import models
from django.utils import timezone


class CalendarDay(models.Model):
    """A date that breaks the weekday rule: a holiday on a weekday, or a working weekend."""

    class Kind(models.TextChoices):
        HOLIDAY = "holiday", "放假"
        WORKDAY = "workday", "调休上班"

    date = models.DateField("日期", unique=True)
    kind = models.CharField("类型", max_length=10, choices=Kind.choices)
    name = models.CharField("节日", max_length=30, blank=True, help_text="如:春节、国庆节")
    updated_by = models.ForeignKey(
        "org.User", verbose_name="修改人", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField("修改时间", default=timezone.now)

    class Meta:
        verbose_name = "节假日与调休"
        verbose_name_plural = "节假日与调休"
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.get_kind_display()} {self.name}".strip()
