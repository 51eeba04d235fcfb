"""Request helpers shared by views."""

from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme

from luoshi.lib.errors import ActionError


def client_ip(request) -> str | None:
    """The client's address; behind nginx, the entry nginx appended to X-Forwarded-For."""
    if settings.LUOSHI_BEHIND_PROXY:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded.strip():
            return forwarded.split(",")[-1].strip() or None
    return request.META.get("REMOTE_ADDR") or None


def user_agent(request) -> str:
    return request.META.get("HTTP_USER_AGENT", "")[:300]


# --- Input a user can get wrong ---------------------------------------------------
#
# A query string or a form is typed by hand as often as it is clicked: a year of 0 or 99999, a page of
# 10^21, a NUL byte pasted from another program (PostgreSQL refuses to store one). Each is refused here,
# in Chinese, with a 400, before it reaches a date(), an OFFSET or the database.

# The years any page accepts: before 1900 and after 2100 no county plan or ledger exists.
YEARS = (1900, 2100)
# The largest id a database row can carry (a signed 64-bit integer).
MAX_ID = 2**63 - 1


class BadInput(ActionError):
    """Input no page can act on; answered 400 with the message, as HTML or, under /api/, as JSON."""


def query_int(request, name: str, *, label: str, default: int, minimum: int, maximum: int) -> int:
    """An integer from the query string, within [minimum, maximum]; empty gives `default`."""
    raw = request.GET.get(name, "").strip()
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise BadInput(f"{label}“{raw[:20]}”不是数字,请重新选择。") from None
    if not minimum <= value <= maximum:
        raise BadInput(f"{label}“{raw[:20]}”超出范围,应在 {minimum} 至 {maximum} 之间,请重新选择。")
    return value


def check_year(year: int, *, label: str = "年度") -> int:
    if not YEARS[0] <= year <= YEARS[1]:
        raise BadInput(f"{label}“{year}”超出范围,应在 {YEARS[0]} 至 {YEARS[1]} 年之间,请重新选择。")
    return year


def id_or_none(raw) -> int | None:
    """A posted id as an int, or None when it is not one (abc, 10^30): the lookup then finds nothing."""
    try:
        value = int(str(raw).strip())
    except (TypeError, ValueError):
        return None
    return value if 0 < value <= MAX_ID else None


def safe_next(request, default: str) -> str:
    """`next` from a POST, kept only if it stays on this site, as the login page checks it.

    Only a path ("/work/inbox/") is kept: `redirect()` would take any other word for a view's name.
    """
    target = request.POST.get("next") or request.GET.get("next") or ""
    # A path longer than any page of ours is junk, and Django refuses to redirect past 16,384 characters.
    if (
        len(target) <= 2000
        and target.startswith("/")
        and url_has_allowed_host_and_scheme(
            target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        )
    ):
        return target
    return default


_NUL = "\x00"


def _has_nul(query) -> bool:
    return any(_NUL in key or any(_NUL in value for value in values) for key, values in query.lists())


class BadInputMiddleware:
    """Refuse a NUL byte anywhere in the path, query or form, and answer `BadInput` as a 400."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        # The API reads its own JSON body (a NUL there is refused by its DataError handler); parsing the form
        # here would consume the body the API still has to read.
        form = request.method == "POST" and not request.path.startswith("/api/")
        if _NUL in request.path or _has_nul(request.GET) or (form and _has_nul(request.POST)):
            return bad_input_response(
                request, "输入中含有空字符(NUL,常见于从其他程序复制的文字),无法保存。请删除后重新输入。"
            )
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, BadInput):
            return bad_input_response(request, exception.message)
        return None


def bad_input_response(request, message: str):
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": message}, status=400)
    return render(request, "400.html", {"message": message}, status=400)
