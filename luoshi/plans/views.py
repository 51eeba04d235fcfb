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
from .forms import HolidayNoticeForm
from .models import CalendarDay
from .notice import chinese_name, holidays_save, notice_year, parse_notice


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
    action = request.POST.get("action", "")
    if action in ("notice_preview", "notice_save"):
        return _notice(request, action)
    form = CalendarDayForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        day = services.calendar_day_save(day=form.save(commit=False), by=request.user)
        messages.success(request, f"已登记 {day}。")
        return redirect(f"{reverse('plans:calendar')}?year={day.date.year}")
    return _calendar(request, year, form=form)


def _calendar(request, year: int, **extra):
    days = list(CalendarDay.objects.filter(date__year=year))
    for day in days:
        day.display_name = chinese_name(day.name)
    context = {"form": CalendarDayForm(), "days": days, "year": year, "years": range(year - 2, year + 3),
               "notice_form": HolidayNoticeForm(initial={"year": year}), **extra}  # fmt: skip
    return render(request, "plans/calendar.html", context)


def _notice(request, action: str):
    """The notice (or lines typed by range) previewed, then saved for the year all or nothing."""
    form = HolidayNoticeForm(request.POST)
    if not form.is_valid():
        return _calendar(request, timezone.localdate().year, notice_form=form)
    year = form.cleaned_data["year"]
    notice = parse_notice(form.cleaned_data["text"], year=year)
    titled = notice_year(form.cleaned_data["text"])
    if titled and titled != year:
        notice.problems.insert(0, f"通知标题是{titled}年,与所选年份{year}年不一致,请核对。")
    if action == "notice_save" and notice.ok:
        count = holidays_save(notice=notice, by=request.user)
        messages.success(request, f"已按通知登记{year}年的节假日和调休上班日 {count} 天(原有记录已替换)。")
        return redirect(f"{reverse('plans:calendar')}?year={year}")
    replaced = CalendarDay.objects.filter(date__year=year).count()
    return _calendar(request, year, notice_form=form, notice=notice, replaced=replaced)


@require_POST
def calendar_day_delete(request, pk: int):
    _require_office(request)
    day = get_object_or_404(CalendarDay, pk=pk)
    year = day.date.year
    services.calendar_day_delete(day=day, by=request.user)
    messages.success(request, "已删除。")
    return redirect(f"{reverse('plans:calendar')}?year={year}")
