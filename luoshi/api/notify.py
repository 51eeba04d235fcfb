"""The 消息 router: the caller's unread count and messages, mark read, confirm a notice's 回执.

The same services as the pages (luoshi.notify.services); a user sees only their own messages.
"""

from __future__ import annotations

from datetime import datetime

from django.shortcuts import get_object_or_404
from ninja import Query, Router, Schema

from luoshi.notify import services
from luoshi.notify.models import Kind, Message
from luoshi.notify.views import _notices_for

router = Router(tags=["消息"])


class UnreadOut(Schema):
    unread: int


class MessageOut(Schema):
    id: int
    kind: str
    kind_label: str
    title: str
    body: str
    url: str
    created_at: datetime
    read_at: datetime | None


class ReceiptOut(Schema):
    notice_id: int
    number: str
    confirmed_at: datetime
    confirmed_by: str


def _out(message: Message) -> dict:
    return {
        "id": message.pk, "kind": message.kind, "kind_label": message.get_kind_display(),
        "title": message.event.title, "body": message.event.body, "url": message.event.url,
        "created_at": message.created_at, "read_at": message.read_at,
    }  # fmt: skip


@router.get("/unread", response=UnreadOut, summary="未读消息数")
def unread(request):
    return {"unread": Message.objects.visible_to(request.user).unread().count()}


@router.get("/messages", response=list[MessageOut], summary="我的消息(可按未读、类别筛选)")
def messages(
    request,
    unread: bool = False,
    kind: str = "",
    limit: int = Query(50, ge=-1_000_000, le=1_000_000, description="每次最多 200 条"),
    offset: int = Query(0, ge=0, le=1_000_000),
):
    items = Message.objects.visible_to(request.user).select_related("event")
    if unread:
        items = items.unread()
    if kind:
        if kind not in Kind.values:
            from luoshi.lib.errors import ActionError

            raise ActionError(f"类别(kind)“{kind}”不存在,应为:{'、'.join(Kind.values)}。", status=422)
        items = items.filter(kind=kind)
    limit = max(1, min(limit, 200))
    return [_out(m) for m in items[offset : offset + limit]]


@router.post("/messages/{message_id}/read", response=MessageOut, summary="标为已读")
def read(request, message_id: int):
    message = get_object_or_404(Message.objects.visible_to(request.user).select_related("event"), pk=message_id)
    return _out(services.message_read(message=message, by=request.user))


@router.post("/notices/{notice_id}/receipt", response=ReceiptOut, summary="确认通知单回执")
def receipt(request, notice_id: int):
    notice = get_object_or_404(_notices_for(request.user), pk=notice_id)
    done = services.notice_confirm(notice=notice, by=request.user)
    return {"notice_id": notice.pk, "number": notice.number_label, "confirmed_at": done.confirmed_at,
            "confirmed_by": str(done.confirmed_by)}  # fmt: skip
