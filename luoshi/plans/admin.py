from django.contrib import admin

from .models import CalendarDay


@admin.register(CalendarDay)
class CalendarDayAdmin(admin.ModelAdmin):
    list_display = ["date", "kind", "name", "updated_by", "updated_at"]
    list_filter = ["kind"]
    date_hierarchy = "date"
