"""消息中心, rules, preferences, robots, dead letters, notices with 回执, iCal feeds. Thin views over services."""

from __future__ import annotations

from django.contrib import messages as flash
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from luoshi.lib.errors import ActionError
from luoshi.lib.officedoc import docx_response
from luoshi.org.models import Unit, User
from luoshi.reports.models import Notice

from . import channels, delivery, feeds, services
from .models import (
    PERSONAL_CHANNELS,
    REMINDER_KINDS,
    ROBOT_CHANNELS,
    Channel,
    Delivery,
    FeedToken,
    Kind,
    Message,
    NoticeTrail,
    Preference,
    Profile,
    Receipt,
    RobotChannel,
)


def _office_only(request):
    if not request.user.is_office:
        raise PermissionDenied("只有督查室可以使用此功能。")


# --- 消息中心 --------------------------------------------------------------------------


def message_list(request):
    items = Message.objects.visible_to(request.user).select_related("event")
    unread_only = request.GET.get("unread") == "1"
    kind = request.GET.get("kind", "")
    if unread_only:
        items = items.unread()
    if kind in Kind.values:
        items = items.filter(kind=kind)
    page = Paginator(items, 50).get_page(request.GET.get("page"))
    return render(request, "notify/messages.html", {
        "page": page, "unread_only": unread_only, "kind": kind, "kinds": Kind.choices,
    })  # fmt: skip


def message_open(request, pk: int):
    """Open a message: it is read, and the page of its object opens."""
    message = get_object_or_404(Message.objects.visible_to(request.user).select_related("event"), pk=pk)
    services.message_read(message=message, by=request.user)
    url = message.event.url or reverse("notify:messages")
    if not url_has_allowed_host_and_scheme(url, allowed_hosts=None):
        url = reverse("notify:messages")
    return redirect(url)


@require_POST
def message_read(request, pk: int):
    message = get_object_or_404(Message.objects.visible_to(request.user), pk=pk)
    services.message_read(message=message, by=request.user)
    return redirect(request.POST.get("next") or reverse("notify:messages"))


@require_POST
def messages_read_all(request):
    kind = request.POST.get("kind", "")
    count = services.messages_read_all(by=request.user, kind=kind if kind in Kind.values else "")
    flash.success(request, f"已将 {count} 条消息标为已读。")
    return redirect(reverse("notify:messages"))


# --- Settings: the office's rules and each person's channels -------------------------------


def rule_list(request):
    _office_only(request)
    rules = services.rules()
    if request.method == "POST":
        try:
            for kind in Kind.values:
                raw = request.POST.get(f"{kind}-days", "").strip() or str(rules[kind].days_ahead)
                if not raw.isdigit():
                    raise ActionError(f"{Kind(kind).label}:提前工作日数应为 0 到 30 的整数,现为“{raw}”。")
                services.rule_save(
                    kind=kind, enabled=request.POST.get(f"{kind}-enabled") == "1",
                    channels=request.POST.getlist(f"{kind}-channels"), days_ahead=int(raw), by=request.user,
                )  # fmt: skip
        except ActionError as exc:
            flash.error(request, exc.message)
        else:
            flash.success(request, "提醒规则已保存。")
            return redirect(reverse("notify:rules"))
    rows = [(rules[kind], kind in REMINDER_KINDS) for kind in Kind.values]
    return render(request, "notify/rules.html", {"rows": rows, "channels": services.ALL_CHANNELS,
                                                 "channel_labels": dict(Channel.choices)})  # fmt: skip


def preferences(request):
    rules = services.rules()
    user = request.user
    if request.method == "POST":
        try:
            digest = request.POST.get("digest") == "1"
            for kind in Kind.values:
                if rules[kind].enabled:
                    services.preference_save(user=user, kind=kind, channels=request.POST.getlist(f"{kind}-channels"),
                                             digest=digest)  # fmt: skip
        except ActionError as exc:
            flash.error(request, exc.message)
        else:
            flash.success(request, "接收设置已保存。")
            return redirect(reverse("notify:preferences"))
    chosen = {p.kind: p.channels for p in Preference.objects.filter(user=user)}
    rows = [
        (rules[kind], [(c, Channel(c).label, c in rules[kind].channels, c in chosen.get(kind, PERSONAL_CHANNELS))
                       for c in PERSONAL_CHANNELS])
        for kind in Kind.values if rules[kind].enabled
    ]  # fmt: skip
    profile = Profile.objects.filter(user=user).first()
    return render(request, "notify/preferences.html", {
        "rows": rows, "digest": bool(profile and profile.digest), "email": user.email, "phone": user.phone,
    })  # fmt: skip


@require_POST
def channel_test(request):
    """发送测试消息 to one's own email or phone: the channel's answer, at once."""
    user, channel = request.user, request.POST.get("channel")
    address = {Channel.EMAIL: user.email, Channel.SMS: user.phone}.get(channel)
    if not address:
        flash.error(request, "请先在个人信息中填写邮箱或手机号。" if channel in PERSONAL_CHANNELS else "没有这个渠道。")
        return redirect(reverse("notify:preferences"))
    outcome = channels.send(channel, address=address, mobiles="", title="落实系统测试消息",
                            text="收到即表示设置正确。", link=delivery._link(reverse("notify:messages")))  # fmt: skip
    (flash.success if outcome.ok else flash.error)(
        request, ("测试消息已发送:" if outcome.ok else "测试消息发送失败:") + outcome.answer
    )
    return redirect(reverse("notify:preferences"))


# --- Group robots ----------------------------------------------------------------------------


def _units_for_robots(user):
    return Unit.objects.editable_by(user).filter(active=True)


def robot_list(request):
    units = _units_for_robots(request.user)
    if not units.exists():
        raise Http404("无权查看。")
    if request.method == "POST":
        unit = get_object_or_404(units, pk=request.POST.get("unit") or 0)
        kind, webhook = request.POST.get("kind", ""), request.POST.get("webhook", "").strip()
        try:
            if kind not in ROBOT_CHANNELS:
                raise ActionError("请选择钉钉群机器人或企业微信群机器人。")
            channels.check_host(webhook)
        except (ActionError, channels.HostRefused) as exc:
            flash.error(request, f"Webhook 地址:{getattr(exc, 'message', exc)}")
        else:
            RobotChannel.objects.create(unit=unit, kind=kind, webhook=webhook, name=request.POST.get("name", "")[:50],
                                        secret=request.POST.get("secret", "").strip())  # fmt: skip
            flash.success(request, f"已为{unit.display_name}添加群机器人。请点“发送测试消息”检查设置。")
            return redirect(reverse("notify:robots"))
    robots = RobotChannel.objects.filter(unit__in=units).select_related("unit")
    return render(request, "notify/robots.html", {"robots": robots, "units": units, "kinds": [
        (Channel.DINGTALK, Channel.DINGTALK.label), (Channel.WECOM, Channel.WECOM.label)]})  # fmt: skip


@require_POST
def robot_test(request, pk: int):
    """发送测试消息: the robot's own answer, in Chinese, right away (the one send a person waits for)."""
    robot = get_object_or_404(RobotChannel.objects.filter(unit__in=_units_for_robots(request.user)), pk=pk)
    outcome = channels.send(robot.kind, address=str(robot.pk), mobiles="", title="落实系统测试消息",
                            text=f"这是{robot.unit.display_name}群机器人的测试消息,收到即表示设置正确。",
                            link=delivery._link(reverse("notify:messages")))  # fmt: skip
    (flash.success if outcome.ok else flash.error)(
        request, ("测试消息已发送:" if outcome.ok else "测试消息发送失败:") + outcome.answer
    )
    return redirect(reverse("notify:robots"))


@require_POST
def robot_delete(request, pk: int):
    robot = get_object_or_404(RobotChannel.objects.filter(unit__in=_units_for_robots(request.user)), pk=pk)
    robot.delete()
    flash.success(request, "已删除群机器人。")
    return redirect(reverse("notify:robots"))


# --- Dead letters (administrators) -------------------------------------------------------------


def dead_letters(request):
    if not (request.user.role == User.Role.ADMIN or request.user.is_superuser or request.user.is_office):
        raise PermissionDenied("无权查看。")
    if request.method == "POST":
        ids = [int(v) for v in request.POST.getlist("delivery") if v.isdigit()]
        count = delivery.retry_dead(ids=ids)
        flash.success(request, f"已重新排入发送 {count} 条。")
        return redirect(reverse("notify:dead"))
    rows = Delivery.objects.filter(status=Delivery.Status.DEAD).select_related("event").order_by("-id")[:500]
    counts = {s: Delivery.objects.filter(status=s).count() for s in Delivery.Status.values}
    return render(
        request, "notify/dead.html", {"rows": rows, "counts": counts, "labels": dict(Delivery.Status.choices)}
    )


# --- Notices with 回执 -------------------------------------------------------------------------


def _notices_for(user):
    notices = Notice.objects.select_related("unit", "task", "receipt", "receipt__confirmed_by")
    if user.is_office:
        return notices
    if user.role == User.Role.UNIT and user.unit_id:
        return notices.filter(unit_id=user.unit_id)
    if user.role == User.Role.LEADER and user.leader_id:
        return notices.filter(unit__in=user.leader.supervises.all())
    return notices.none()


def notice_list(request):
    notices = _notices_for(request.user)
    if request.GET.get("pending") == "1":
        notices = notices.filter(receipt__confirmed_at__isnull=True)
    page = Paginator(notices.order_by("-created_at", "-id"), 50).get_page(request.GET.get("page"))
    return render(request, "notify/notice_list.html", {"page": page, "is_office": request.user.is_office})


def notice_detail(request, pk: int):
    notice = get_object_or_404(_notices_for(request.user), pk=pk)
    services.notice_read(notice=notice, by=request.user)
    trail = NoticeTrail.objects.filter(notice=notice).select_related("actor")
    receipt = Receipt.objects.filter(notice=notice).select_related("confirmed_by").first()
    return render(request, "notify/notice_detail.html", {
        "notice": notice, "receipt": receipt, "trail": trail, "is_office": request.user.is_office,
        "can_confirm": request.user.role == User.Role.UNIT and request.user.unit_id == notice.unit_id,
    })  # fmt: skip


def notice_docx(request, pk: int):
    from luoshi.reports import documents

    notice = get_object_or_404(_notices_for(request.user), pk=pk)
    return docx_response(documents.notices_docx([notice]), f"{notice.number_label}.docx")


@require_POST
def notice_confirm(request, pk: int):
    notice = get_object_or_404(_notices_for(request.user), pk=pk)
    try:
        services.notice_confirm(notice=notice, by=request.user)
    except ActionError as exc:
        flash.error(request, exc.message)
    else:
        flash.success(request, f"已确认收到{notice.number_label}。")
    return redirect(reverse("notify:notice", args=[pk]))


@require_POST
def notice_resend(request):
    _office_only(request)
    ids = [int(v) for v in request.POST.getlist("notice") if v.isdigit()]
    notices = list(Notice.objects.filter(pk__in=ids))
    try:
        count = services.notice_resend(notices=notices, by=request.user)
    except ActionError as exc:
        flash.error(request, exc.message)
    else:
        flash.success(request, f"已向未回执的单位重新送达 {count} 份通知单。")
    return redirect(request.POST.get("next") or reverse("notify:notices"))


# --- iCal feeds -----------------------------------------------------------------------------------


def feed_settings(request):
    """A unit's liaison manages the unit's feed; a leader their own."""
    user = request.user
    owner = {"unit_id": user.unit_id} if user.role == User.Role.UNIT and user.unit_id else None
    if user.role == User.Role.LEADER and user.leader_id:
        owner = {"leader_id": user.leader_id}
    if owner is None:
        raise Http404("只有单位联络员和县领导有日历订阅。")
    if request.method == "POST":
        action = request.POST.get("action")
        feeds.feed_token_set(owner=owner, renew=action == "renew", revoke=action == "revoke")
        flash.success(request, "订阅地址已停用。" if action == "revoke" else "已生成新的订阅地址,旧地址随即失效。")
        return redirect(reverse("notify:feed"))
    token = FeedToken.objects.filter(**owner).first()
    url = request.build_absolute_uri(reverse("notify:ical", args=[token.token])) if token else ""
    return render(request, "notify/feed.html", {"url": url})


@login_not_required
def ical(request, token: str):
    feed = FeedToken.objects.filter(token=token).select_related("unit", "leader").first()
    if feed is None:
        raise Http404("订阅地址无效或已停用。")
    body = feeds.ical_for(unit=feed.unit) if feed.unit_id else feeds.ical_for(leader=feed.leader)
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="luoshi.ics"'
    return response
