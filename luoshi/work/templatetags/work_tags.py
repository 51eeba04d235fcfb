from django import template
from django.utils.html import format_html

register = template.Library()

_LABELS = {"red": "红灯", "yellow": "黄灯", "green": "绿灯"}


@register.simple_tag
def light_badge(light: str, status_label: str = ""):
    """The light as a coloured badge; a task with no light shows its status instead."""
    if light in _LABELS:
        return format_html('<span class="light light-{}">{}</span>', light, _LABELS[light])
    return format_html('<span class="light light-none">{}</span>', status_label or "—")


@register.filter
def percent(value):
    return "—" if value is None else f"{value * 100:.1f}%"


@register.filter
def get_choice(posted, task_pk):
    """The choice a liaison made for a task on the week page, kept when the page comes back with an error."""
    return posted.get(f"t{task_pk}-choice", "") if posted else ""


@register.filter
def deadline_hint(task, today):
    """已逾期 N 天 / 剩 N 个工作日 beside a deadline, as a small tag; nothing for a task not being carried out."""
    text = task.deadline_hint(today) if today else ""
    if not text:
        return ""
    return format_html(
        '<small class="deadline-hint{}">{}</small>', " overdue" if text.startswith("已逾期") else "", text
    )


@register.simple_tag
def carried_tag(task):
    """结转, wherever a task registered in an earlier year and not done yet appears."""
    if task.carried_over:
        return format_html('<span class="tag tag-carried" title="{}年登记,跨年结转">结转</span>', task.year)
    return ""
