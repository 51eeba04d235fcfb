"""Blocks other apps' pages include: 相关文件 on a task, brief, problem or practice, and the unit's 盯上 feed."""

from django import template
from django.contrib.contenttypes.models import ContentType

from luoshi.library import selectors, services

register = template.Library()


@register.simple_tag(takes_context=True)
def related_block(context, obj):
    """{% related_block object as related %}: the documents `obj` cites, and whether the user may add more."""
    request = context.get("request")
    user = getattr(request, "user", None) or context.get("user")
    if obj is None or user is None or not getattr(obj, "pk", None):
        return None
    return {
        "links": selectors.related_documents(obj, user),
        "can_link": services.can_link(obj, user),
        "content_type": ContentType.objects.get_for_model(obj).pk,
        "object_id": obj.pk,
        "next": request.get_full_path() if request else "",
    }


@register.simple_tag(takes_context=True)
def library_feed(context, limit=5):
    """{% library_feed as feed %}: the user's unit's new and changed documents since the feed was last opened."""
    request = context.get("request")
    user = getattr(request, "user", None) or context.get("user")
    if user is None:
        return None
    items = selectors.feed_for(user)
    if items is None:
        return None
    return {"items": items[:limit], "count": len(items), "fields": selectors.followed_fields(user.unit_id)}
