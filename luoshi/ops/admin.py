"""The worker's queue (后台任务) in the admin, in Chinese: django-tasks-db's own admin, relabelled.

The package names its model's fields through gettext (translated in luoshi/org/locale), but two of its
admin's columns are plain English strings; they are given Chinese names here. The app's own name is
set in luoshi.org.apps.OrgAdminConfig.
"""

from django.contrib import admin
from django_tasks_db.admin import DBTaskResultAdmin
from django_tasks_db.models import DBTaskResult

from luoshi.org.admin import ReadOnlyAdmin

from .models import SweptUpload

admin.site.unregister(DBTaskResult)


@admin.register(DBTaskResult)
class TaskResultAdmin(DBTaskResultAdmin):
    list_display = ("id", "task", "status", "enqueued_at", "started_at", "finished_at", "priority", "queue_name")

    @admin.display(description="任务", ordering="task_path")
    def task(self, obj):
        return obj.task_path

    @admin.display(description="错误详情")
    def formatted_traceback(self, obj):
        return super().formatted_traceback(obj)

    @admin.display(description="最早执行时间")
    def display_run_after(self, obj):
        return super().display_run_after(obj)


@admin.register(SweptUpload)
class SweptUploadAdmin(ReadOnlyAdmin):
    """What the daily sweep removed: read only, it is a record."""

    list_display = ("swept_at", "path", "size", "job_title", "reason")
    list_filter = ("reason",)
