"""Request helpers shared by views."""

from django.conf import settings


def client_ip(request) -> str | None:
    """The client's address; behind nginx, the entry nginx appended to X-Forwarded-For."""
    if settings.LUOSHI_BEHIND_PROXY:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded.strip():
            return forwarded.split(",")[-1].strip() or None
    return request.META.get("REMOTE_ADDR") or None


def user_agent(request) -> str:
    return request.META.get("HTTP_USER_AGENT", "")[:300]
