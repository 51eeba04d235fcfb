from django import forms
from django.contrib import admin

from .models import CalendarDay
from .notice import chinese_name


class CalendarDayForm(forms.ModelForm):
    """The years seeded from chinese-calendar hold its English names: the form shows and saves them in Chinese."""

    class Meta:
        model = CalendarDay
        fields = ["date", "kind", "name", "updated_by", "updated_at"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial["name"] = chinese_name(self.instance.name)


@admin.register(CalendarDay)
class CalendarDayAdmin(admin.ModelAdmin):
    form = CalendarDayForm
    list_display = ["date", "kind", "holiday", "updated_by", "updated_at"]
    list_filter = ["kind"]
    date_hierarchy = "date"

    @admin.display(description="节日", ordering="name")
    def holiday(self, obj):
        # The years seeded from chinese-calendar hold its English names (元旦 for New Year's Day).
        return chinese_name(obj.name)
