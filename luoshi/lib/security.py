"""Response headers and request limits that every page shares: the Content-Security-Policy and rate limits.

The policy allows scripts from this site only: no inline script, no eval, no CDN (the intranet has none).
Styles may be inline (style="" attributes, and the one <style> htmx adds for its indicators); a style cannot
run code. ECharts draws on canvas and needs nothing more. pdf.js (the library's PDF reader) needs nothing more
either: its worker is a module from this site (worker-src falls back to script-src 'self'), it is told not to
use eval (isEvalSupported: false), and it reads the PDF and its character maps from this site (connect-src).

Rate limits count requests in fixed windows in the cache, per account and per address:
- login posts, per address (the account lock, `LoginThrottle`, already counts wrong passwords per account);
- API calls, per token or session user, and per address;
- uploads (multipart posts), per user and per address.

The counts live in the `ratelimit` cache, which is per process unless a shared cache is configured: with
N web workers a client gets at most N times the limit. That bounds abuse; it is not a quota.
"""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import caches
from django.http import JsonResponse
from django.shortcuts import render

from luoshi.lib.http import client_ip

CSP = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data: blob:",
        "font-src 'self' data:",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)


class ContentSecurityPolicyMiddleware:
    """Adds the policy to every HTML answer (and every other: it costs nothing and covers error pages)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if settings.LUOSHI_CSP and "Content-Security-Policy" not in response:
            response["Content-Security-Policy"] = CSP
        return response


@dataclass(frozen=True)
class Limit:
    scope: str
    count: int
    seconds: int


def _hit(key: str, limit: Limit) -> int | None:
    """Count one request against `key`; the seconds until the window resets when over the limit, else None."""
    cache = caches["ratelimit"]
    window = int(time.time() // limit.seconds)
    cache_key = f"rl:{limit.scope}:{key}:{window}"
    if cache.add(cache_key, 1, timeout=limit.seconds + 1):
        count = 1
    else:
        try:
            count = cache.incr(cache_key)
        except ValueError:  # expired between add and incr
            cache.set(cache_key, 1, timeout=limit.seconds + 1)
            count = 1
    if count > limit.count:
        return limit.seconds - int(time.time()) % limit.seconds
    return None


def _who(request) -> str | None:
    """The account a request acts for, before any view ran: the API token's digest or the session's user."""
    header = request.META.get("HTTP_AUTHORIZATION", "")
    if header.lower().startswith("bearer "):
        return "t" + hashlib.sha256(header[7:].strip().encode()).hexdigest()[:24]
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return f"u{user.pk}"
    return None


class RateLimitMiddleware:
    """Answers 429, in Chinese, to a client past a limit; JSON under /api/, a page elsewhere."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        for limit, key in self._limits(request):
            retry = _hit(key, limit)
            if retry is not None:
                return self._refuse(request, limit, retry)
        return self.get_response(request)

    def _limits(self, request):
        ip = client_ip(request) or "-"
        who = _who(request)
        path = request.path
        if path.startswith("/api/"):
            per_minute = settings.LUOSHI_RATE_API_PER_MINUTE
            if who:
                yield Limit("api-user", per_minute, 60), who
            yield Limit("api-ip", per_minute * settings.LUOSHI_RATE_IP_FACTOR, 60), ip
        if request.method != "POST":
            return
        if path == "/login/":
            yield Limit("login-ip", settings.LUOSHI_RATE_LOGIN_PER_IP, 300), ip
        elif request.content_type == "multipart/form-data":
            per_ten = settings.LUOSHI_RATE_UPLOADS_PER_10_MINUTES
            if who:
                yield Limit("upload-user", per_ten, 600), who
            yield Limit("upload-ip", per_ten * settings.LUOSHI_RATE_IP_FACTOR, 600), ip

    def _refuse(self, request, limit: Limit, retry: int):
        what = {
            "api-user": "本账号调用接口过于频繁",
            "api-ip": "本机地址调用接口过于频繁",
            "login-ip": "本机地址登录尝试过于频繁",
            "upload-user": "本账号上传文件过于频繁",
            "upload-ip": "本机地址上传文件过于频繁",
        }[limit.scope]
        minutes = max(1, (retry + 59) // 60)
        message = f"{what}(每 {limit.seconds // 60} 分钟最多 {limit.count} 次),请约 {minutes} 分钟后再试。"
        if request.path.startswith("/api/"):
            response = JsonResponse({"detail": message}, status=429)
        else:
            response = render(request, "429.html", {"message": message}, status=429)
        response["Retry-After"] = str(retry)
        return response
