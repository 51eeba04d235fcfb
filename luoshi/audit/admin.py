from django.contrib import admin

from .models import AuditEntry


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    """The auditor reads the trail here too; nobody adds, changes or deletes a line of it."""

    list_display = ["seq", "at", "actor_name", "action", "content_type", "object_id", "note"]
    list_filter = ["action", "content_type"]
    search_fields = ["actor_name", "note", "action"]
    date_hierarchy = "at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
