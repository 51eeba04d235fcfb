"""The office's page for the working-day calendar: each year's holidays and make-up days."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from luoshi.lib.http import YEARS, query_int

from . import services
from .models import CalendarDay


class CalendarDayForm(forms.ModelForm):
    class Meta:
        model = CalendarDay
        fields = ["date", "kind", "name"]
        widgets = {"date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}
        error_messages = {"date": {"unique": "这一天已经登记过,请先删除原记录。"}}


def _require_office(request):
    if not request.user.is_office:
        raise PermissionDenied("工作日历由督查室维护。")


def calendar_page(request):
    _require_office(request)
    year = query_int(
        request, "year", label="年度", default=timezone.localdate().year, minimum=YEARS[0], maximum=YEARS[1]
    )
    form = CalendarDayForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        day = services.calendar_day_save(day=form.save(commit=False), by=request.user)
        messages.success(request, f"已登记 {day}。")
        return redirect(f"{reverse('plans:calendar')}?year={day.date.year}")
    days = CalendarDay.objects.filter(date__year=year)
    return render(
        request,
        "plans/calendar.html",
        {"form": form, "days": days, "year": year, "years": range(year - 2, year + 3)},
    )


@require_POST
def calendar_day_delete(request, pk: int):
    _require_office(request)
    day = get_object_or_404(CalendarDay, pk=pk)
    year = day.date.year
    services.calendar_day_delete(day=day, by=request.user)
    messages.success(request, "已删除。")
    return redirect(f"{reverse('plans:calendar')}?year={year}")
