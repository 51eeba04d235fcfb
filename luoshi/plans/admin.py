from django.contrib import admin

from .models import CalendarDay
from .notice import chinese_name


@admin.register(CalendarDay)
class CalendarDayAdmin(admin.ModelAdmin):
    list_display = ["date", "kind", "holiday", "updated_by", "updated_at"]
    list_filter = ["kind"]
    date_hierarchy = "date"

    @admin.display(description="节日", ordering="name")
    def holiday(self, obj):
        # The years seeded from chinese-calendar hold its English names (元旦 for New Year's Day).
        return chinese_name(obj.name)
