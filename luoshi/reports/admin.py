"""The admin shows the reports read-only: every change goes through the services, which write the timeline."""

from django.contrib import admin

from luoshi.work.admin import ReadOnlyAdmin

from .models import Brief, Circular, MeetingPack, Notice


@admin.register(Brief)
class BriefAdmin(ReadOnlyAdmin):
    list_display = ["subject", "unit", "status", "leader", "updated_at"]
    list_filter = ["status"]
    list_select_related = ["unit", "leader"]


@admin.register(MeetingPack)
class MeetingPackAdmin(ReadOnlyAdmin):
    list_display = ["meeting_date", "title", "issued_by", "issued_at"]


@admin.register(Circular)
class CircularAdmin(ReadOnlyAdmin):
    list_display = ["title", "period_kind", "year", "period_number", "status"]


@admin.register(Notice)
class NoticeAdmin(ReadOnlyAdmin):
    list_display = ["number", "unit", "title", "created_at"]
    list_select_related = ["unit"]

    @admin.display(description="编号", ordering="number")
    def number(self, obj):
        return obj.number_label
