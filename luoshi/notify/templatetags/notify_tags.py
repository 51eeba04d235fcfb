"""The task page's timeline with the task's notices (issue, 已阅, 回执) in it, in time order."""

from django import template

from luoshi.notify.selectors import notice_trail_for_task

register = template.Library()


@register.simple_tag(takes_context=True)
def task_timeline(context, timeline, task):
    user = context["request"].user
    return sorted([*timeline, *notice_trail_for_task(task, user)], key=lambda entry: entry.at)
