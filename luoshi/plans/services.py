"""Edits to the working-day calendar, recorded in the admin history like other reference data."""

from django.contrib.admin.models import ADDITION, DELETION, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone

from luoshi.lib import workdays

from .models import CalendarDay


def _log(day: CalendarDay, by, flag: int, message: str) -> None:
    from luoshi.audit.services import audit_record, field_values

    # The calendar decides every deadline's light: a privileged change, traced in the hash chain (issue 20 §3).
    audit_record(
        obj=day, action="calendar_add" if flag == ADDITION else "calendar_delete", by=by, note=f"工作日历:{message}",
        **({"after": field_values(day, ["date", "kind", "name"])} if flag == ADDITION
           else {"before": field_values(day, ["date", "kind", "name"])}),
    )  # fmt: skip
    LogEntry.objects.create(
        user_id=by.pk,
        content_type=ContentType.objects.get_for_model(CalendarDay),
        object_id=str(day.pk),
        object_repr=str(day)[:200],
        action_flag=flag,
        change_message=message,
    )


@transaction.atomic
def calendar_day_save(*, day: CalendarDay, by) -> CalendarDay:
    day.updated_by = by
    day.updated_at = timezone.now()
    day.save()
    _log(day, by, ADDITION, f"登记 {day}")
    transaction.on_commit(workdays.forget)
    return day


@transaction.atomic
def calendar_day_delete(*, day: CalendarDay, by) -> None:
    _log(day, by, DELETION, f"删除 {day}")
    day.delete()
    transaction.on_commit(workdays.forget)
