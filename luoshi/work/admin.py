"""The admin shows 督办 data read-only: every change goes through the services, which write the timeline."""

from django.contrib import admin

from .models import Task, TimelineEntry


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Task)
class TaskAdmin(ReadOnlyAdmin):
    list_display = ["id", "year", "title", "lead_unit", "status", "deadline"]
    list_filter = ["year", "status"]
    search_fields = ["title"]
    list_select_related = ["lead_unit"]
    show_full_result_count = False


@admin.register(TimelineEntry)
class TimelineEntryAdmin(ReadOnlyAdmin):
    list_display = ["at", "task", "actor", "action", "note"]
    list_filter = ["action"]
    list_select_related = ["task", "actor"]
    show_full_result_count = False
