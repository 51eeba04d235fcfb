"""The outbound channels: email over SMTP, DingTalk and WeCom group robots, a generic SMS gateway.

Each sender takes the text and its recipient and returns (ok, answer): the channel's own answer,
in Chinese where the channel gives a code, for the dead-letter page and the test button.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import smtplib
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import EmailMessage, get_connection

# Channel limits: a text longer is cut, with the link to the rest, never refused by the channel.
WECOM_MARKDOWN_BYTES = 4096
DINGTALK_MARKDOWN_BYTES = 5000  # 钉钉 documents 20,000 bytes per message; stay well inside on the text
SMS_SEGMENT_CHARS = 70
SMS_MAX_SEGMENTS = 2

# DingTalk's and WeCom's common error codes, in Chinese.
ROBOT_ERRORS = {
    310000: "钉钉:安全设置校验未通过(签名、关键词或 IP 不符),请核对加签密钥",
    300001: "钉钉:机器人 access_token 无效",
    130101: "钉钉:发送太频繁,每分钟最多 20 条",
    400013: "钉钉:群已被解散",
    410100: "钉钉:发送内容被限流",
    93000: "企业微信:webhook 地址中的 key 无效",
    40008: "企业微信:消息类型无效",
    45009: "企业微信:接口调用超过限制(每分钟最多 20 条)",
    40058: "企业微信:消息内容不合法",
    44004: "企业微信:消息内容为空",
}


@dataclass
class Outcome:
    ok: bool
    answer: str


class HostRefused(Exception):
    pass


def check_host(url: str) -> None:
    """Outbound requests only to the hosts the administrator listed (LUOSHI_NOTIFY_ALLOWED_HOSTS)."""
    parts = urllib.parse.urlsplit(url)
    host = (parts.hostname or "").lower()
    allowed = [h.lower() for h in settings.LUOSHI_NOTIFY_ALLOWED_HOSTS]
    if parts.scheme not in ("http", "https") or not host:
        raise HostRefused(f"地址“{url[:80]}”不是 http(s) 地址。")
    if host not in allowed and f"{host}:{parts.port}" not in allowed:
        raise HostRefused(f"地址的主机“{host}”不在允许外发的主机名单(LUOSHI_NOTIFY_ALLOWED_HOSTS)中。")


def cut_bytes(text: str, limit: int, link: str) -> str:
    """`text` within `limit` UTF-8 bytes; when cut, it ends with the link to the whole."""
    if len(text.encode()) <= limit:
        return text
    tail = f"\n……(内容过长,全文见 {link})"
    room = limit - len(tail.encode())
    cut = text.encode()[:room].decode(errors="ignore")
    return cut + tail


def sms_text(title: str, link: str) -> str:
    """The title and the short link within the SMS segments (70 characters each)."""
    limit = SMS_SEGMENT_CHARS * SMS_MAX_SEGMENTS
    tail = f" {link}"
    text = f"【落实】{title}"
    if len(text) + len(tail) > limit:
        text = text[: limit - len(tail) - 1] + "…"
    return text + tail


def _post_json(url: str, payload: dict, *, method: str = "POST", body: bytes | None = None,
               content_type: str = "application/json") -> tuple[int, str]:  # fmt: skip
    check_host(url)
    data = body if body is not None or method == "GET" else json.dumps(payload, ensure_ascii=False).encode()
    request = urllib.request.Request(url, data=data, method=method,
                                     headers={"Content-Type": f"{content_type}; charset=utf-8"})  # fmt: skip
    try:
        with urllib.request.urlopen(request, timeout=settings.LUOSHI_NOTIFY_TIMEOUT_SECONDS) as response:
            return response.status, response.read(65536).decode("utf-8", errors="replace")
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read(4096).decode("utf-8", errors="replace")


def _robot_answer(status: int, text: str) -> Outcome:
    if status != 200:
        return Outcome(False, f"HTTP {status}:{text[:300]}")
    try:
        answer = json.loads(text)
    except ValueError:
        return Outcome(False, f"应答不是 JSON:{text[:300]}")
    code = answer.get("errcode")
    if code == 0:
        return Outcome(True, f"errcode=0 {answer.get('errmsg', 'ok')}")
    meaning = ROBOT_ERRORS.get(code, "机器人拒绝了消息")
    return Outcome(False, f"{meaning}(errcode={code},errmsg={answer.get('errmsg', '')})")


def dingtalk_sign(secret: str, timestamp_ms: int) -> str:
    """加签 as DingTalk documents it: base64(HMAC-SHA256(secret, "timestamp\\nsecret")), URL-encoded."""
    to_sign = f"{timestamp_ms}\n{secret}".encode()
    digest = hmac.new(secret.encode(), to_sign, hashlib.sha256).digest()
    return urllib.parse.quote_plus(base64.b64encode(digest))


def send_dingtalk(*, webhook: str, secret: str, title: str, text: str, link: str, mobiles: list[str]) -> Outcome:
    url = webhook
    if secret:
        timestamp = int(time.time() * 1000)
        url += ("&" if "?" in url else "?") + f"timestamp={timestamp}&sign={dingtalk_sign(secret, timestamp)}"
    mention = " ".join(f"@{m}" for m in mobiles)
    body = cut_bytes(f"### {title}\n\n{text}\n\n[查看详情]({link}) {mention}".strip(), DINGTALK_MARKDOWN_BYTES, link)
    payload = {"msgtype": "markdown", "markdown": {"title": title[:60], "text": body},
               "at": {"atMobiles": mobiles, "isAtAll": False}}  # fmt: skip
    return _robot_answer(*_post_json(url, payload))


def send_wecom(*, webhook: str, title: str, text: str, link: str, mobiles: list[str]) -> Outcome:
    # WeCom's markdown does not @ by mobile; a second text message would: the list rides on the markdown
    # message as WeCom accepts it, and the text names the link.
    body = cut_bytes(f"### {title}\n{text}\n[查看详情]({link})", WECOM_MARKDOWN_BYTES, link)
    payload = {"msgtype": "markdown", "markdown": {"content": body, "mentioned_mobile_list": mobiles}}
    return _robot_answer(*_post_json(webhook, payload))


def send_sms(*, mobile: str, title: str, link: str) -> Outcome:
    if not settings.LUOSHI_SMS_URL:
        return Outcome(False, "未配置短信网关(LUOSHI_SMS_URL)。")
    text = sms_text(title, link)
    method = settings.LUOSHI_SMS_METHOD.upper()
    # A GET gateway takes {mobile} and {text} in its URL; a POST gateway in the body template (JSON-escaped).
    url = settings.LUOSHI_SMS_URL.format(mobile=urllib.parse.quote(mobile), text=urllib.parse.quote(text))
    escaped = json.dumps(text, ensure_ascii=False)[1:-1]
    body = settings.LUOSHI_SMS_BODY.format(mobile=mobile, text=escaped).encode() if method != "GET" else None
    status, answer = _post_json(url, {}, method=method, body=body, content_type=settings.LUOSHI_SMS_CONTENT_TYPE)
    if status == 200 and settings.LUOSHI_SMS_SUCCESS in answer:
        return Outcome(True, f"HTTP 200:{answer[:200]}")
    return Outcome(False, f"短信网关未确认发送(HTTP {status}):{answer[:300]}")


def send_email(*, to: str, title: str, text: str, link: str) -> Outcome:
    if not settings.EMAIL_HOST:
        return Outcome(False, "未配置邮件服务器(LUOSHI_SMTP_HOST)。")
    try:
        connection = get_connection("django.core.mail.backends.smtp.EmailBackend", fail_silently=False)
        EmailMessage(
            subject=f"【落实】{title}", body=f"{text}\n\n查看详情:{link}", to=[to], connection=connection
        ).send()
    except (smtplib.SMTPException, OSError) as exc:
        return Outcome(False, f"邮件服务器拒绝或无法连接:{exc}")
    return Outcome(True, f"已交给 {settings.EMAIL_HOST}:{settings.EMAIL_PORT}")


def send(channel: str, *, address: str, mobiles: str, title: str, text: str, link: str, robots=None) -> Outcome:
    """Send one message on one channel; never raises for the channel's own refusals."""
    from .models import Channel, RobotChannel

    try:
        if channel == Channel.EMAIL:
            return send_email(to=address, title=title, text=text, link=link)
        if channel == Channel.SMS:
            return send_sms(mobile=address, title=title, link=link)
        robot = robots.get(address) if robots is not None else RobotChannel.objects.filter(pk=int(address)).first()
        if robot is None or not robot.active:
            return Outcome(False, "群机器人已删除或停用。")
        mentioned = [m for m in mobiles.split(",") if m]
        if channel == Channel.DINGTALK:
            return send_dingtalk(webhook=robot.webhook, secret=robot.secret, title=title, text=text, link=link,
                                 mobiles=mentioned)  # fmt: skip
        return send_wecom(webhook=robot.webhook, title=title, text=text, link=link, mobiles=mentioned)
    except HostRefused as exc:
        return Outcome(False, str(exc))
    except (urllib.error.URLError, OSError, TimeoutError) as exc:
        return Outcome(False, f"无法连接或超时:{getattr(exc, 'reason', exc)}")
