"""Reads of the library that other pages use: the unit's 盯上 feed, and the documents an object cites."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q
from django.utils import timezone

from .models import Document, DocumentLink, FeedSeen, FollowedField

# A user who has never opened the feed sees what came in over this many days.
FIRST_FEED_DAYS = 30


@dataclass
class FeedItem:
    document: Document
    change: str  # 新文件 / 已废止 / 信息有更新
    at: datetime


def followed_fields(unit) -> list[str]:
    return list(FollowedField.objects.filter(unit=unit).values_list("field", flat=True))


def feed_since(user) -> datetime:
    seen = FeedSeen.objects.filter(user=user).values_list("seen_at", flat=True).first()
    return seen or timezone.now() - timedelta(days=FIRST_FEED_DAYS)


def feed_for(user, *, since: datetime | None = None, limit: int | None = None) -> list[FeedItem] | None:
    """New and changed documents of the unit's fields, or naming the unit, since the user's last visit.

    None for a user with no unit (the office reads the whole library).
    """
    if not user.is_authenticated or not user.unit_id:
        return None
    since = since or feed_since(user)
    concerns = Q(units=user.unit_id)
    for field in followed_fields(user.unit_id):
        concerns |= Q(fields__icontains=field)
    documents = (
        Document.objects.visible_to(user)
        .filter(confirmed=True)
        .filter(Q(created_at__gt=since) | Q(changed_at__gt=since))
        .filter(concerns)
        .distinct()
        .defer("body", "html", "search_text")
    )
    items = []
    for document in documents:
        if document.created_at > since:
            change, at = "新文件", document.created_at
        elif document.validity == Document.Validity.REPEALED:
            change, at = "已废止", document.changed_at
        else:
            change, at = "信息有更新", document.changed_at
        items.append(FeedItem(document, change, at))
    items.sort(key=lambda item: item.at, reverse=True)
    return items[:limit] if limit else items


def related_documents(obj, user) -> list[DocumentLink]:
    """The documents an object cites, those the user may read."""
    content_type = ContentType.objects.get_for_model(obj)
    visible = Document.objects.visible_to(user).values("pk")
    return list(
        DocumentLink.objects.filter(content_type=content_type, object_id=obj.pk, document__in=visible)
        .select_related("document")
        .order_by("id")
    )


def citing_objects(document: Document, user) -> list[dict]:
    """What cites a document (tasks, briefs, problems, practices …), only what the user may see."""
    from .services import LINKABLE, _visible

    rows = []
    links = DocumentLink.objects.filter(document=document).select_related("content_type").order_by("content_type", "id")
    by_type: dict[ContentType, list[DocumentLink]] = {}
    for link in links:
        by_type.setdefault(link.content_type, []).append(link)
    for content_type, group in by_type.items():
        model = content_type.model_class()
        label = f"{content_type.app_label}.{content_type.model}"
        if model is None or label not in LINKABLE:
            continue
        objects = _visible(model, user).in_bulk([link.object_id for link in group])
        for link in group:
            obj = objects.get(link.object_id)
            if obj is None:
                continue
            url = obj.get_absolute_url() if hasattr(obj, "get_absolute_url") else _url_of(label, obj)
            rows.append({"kind": LINKABLE[label], "title": str(obj), "url": url, "note": link.note})
    return rows


def _url_of(label: str, obj) -> str:
    from django.urls import NoReverseMatch, reverse

    names = {
        "work.task": "work:detail", "reports.brief": "reports:brief", "problems.problem": "problems:detail",
        "rankings.peerpractice": "rankings:practice", "library.fieldvisit": "library:visit",
        "library.typicalcase": "library:case",
    }  # fmt: skip
    try:
        return reverse(names[label], args=[obj.pk])
    except (KeyError, NoReverseMatch):
        return ""
