"""The JSON API: one router per app, assembled here. Schema at /api/openapi.json, docs at /api/docs.

Every error answers JSON `{"detail": "<Chinese message>"}`: a refused action with its own
status, 401 for a missing or bad login, 404 for what the user may not see, 422 for bad input.
"""

import logging
from functools import wraps

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.views import redirect_to_login
from django.db import DataError
from django.http import Http404, JsonResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

from luoshi.lib.errors import ActionError, AlreadySubmitted
from luoshi.org.services import api_token_authenticate

from . import cockpit, notify, org, problems, work, work_actions
from . import plans as plans_api
from .auth import ApiTokenAuth, SessionAuth
from .library import router as library_router
from .rankings import FIELD_LABELS as RANKINGS_LABELS
from .rankings import router as rankings_router

logger = logging.getLogger(__name__)


def _docs_for_users(view):
    """/api/docs and /api/openapi.json: for a logged-in session or a valid API token, unless the setting opens them.

    The schema maps every endpoint and field; it is not for anyone on the network who has no account.
    """

    @wraps(view)
    def guarded(request, *args, **kwargs):
        if settings.LUOSHI_API_DOCS_PUBLIC or request.user.is_authenticated:
            return view(request, *args, **kwargs)
        header = request.META.get("HTTP_AUTHORIZATION", "")
        if header.lower().startswith("bearer ") and api_token_authenticate(header[7:].strip()) is not None:
            return view(request, *args, **kwargs)
        if request.path.endswith(".json"):
            return JsonResponse({"detail": "接口说明仅供已登录用户查看:请登录,或在请求头中带 API 令牌。"}, status=401)
        return redirect_to_login(request.get_full_path())

    return guarded


api = NinjaAPI(
    title="落实 API",
    version="1",
    description=(
        "落实(Luoshi)督查督办系统的 JSON 接口。\n\n"
        "认证:在请求头中写 `Authorization: Bearer <API 令牌>`(在“API 令牌”页面创建),"
        "或使用浏览器登录后的会话(此时 POST 须带 CSRF 令牌)。权限与网页相同。\n\n"
        '出错时返回 JSON `{"detail": "说明"}`:400 输入有误,401 未登录或令牌无效,403 无权操作,'
        "404 事项不存在或无权查看,409 状态不允许或重复提交,422 请求参数格式有误。"
    ),
    auth=[ApiTokenAuth(), SessionAuth()],
    urls_namespace="api",
    docs_decorator=_docs_for_users,
)
api.add_router("/org", org.router)
api.add_router("/work", work.router)
api.add_router("/work", work_actions.router)
api.add_router("/notify", notify.router)
api.add_router("/cockpit", cockpit.router)
api.add_router("/plans", plans_api.router)
api.add_router("/rankings", rankings_router)
api.add_router("/problems", problems.router)
api.add_router("/risks", problems.risks_router)
api.add_router("/library", library_router)

NOT_LOGGED_IN = "未登录或 API 令牌无效。"
NOT_FOUND = "未找到。"
FIELD_LABELS = {**work.FIELD_LABELS}
FIELD_LABELS.update(plans_api.FIELD_LABELS)
FIELD_LABELS.update(RANKINGS_LABELS)
FIELD_LABELS.update(problems.FIELD_LABELS)


@api.exception_handler(ActionError)
def action_error(request, exc: ActionError):
    return api.create_response(request, {"detail": exc.message}, status=exc.status)


@api.exception_handler(AlreadySubmitted)
def already_submitted(request, exc: AlreadySubmitted):
    # The service words it for a form; a client resent the same idempotency key.
    return api.create_response(
        request, {"detail": "该请求(幂等键 token 相同)已经处理过,没有重复处理。"}, status=exc.status
    )


@api.exception_handler(Http404)
def not_found(request, exc: Http404):
    return api.create_response(request, {"detail": getattr(exc, "detail", NOT_FOUND)}, status=404)


@api.exception_handler(AuthenticationError)
def not_authenticated(request, exc: AuthenticationError):
    return api.create_response(request, {"detail": NOT_LOGGED_IN}, status=401)


# ninja's own refusals, in Chinese.
_HTTP_ERRORS = {
    "CSRF check Failed": "CSRF 校验失败:请刷新页面后重试,程序调用请改用 API 令牌。",
    "Cannot parse request body": "请求体不是合法的 JSON。",
}


@api.exception_handler(HttpError)
def http_error(request, exc: HttpError):
    message = str(exc)
    detail = next((text for prefix, text in _HTTP_ERRORS.items() if message.startswith(prefix)), message)
    return api.create_response(request, {"detail": detail}, status=exc.status_code)


@api.exception_handler(ValidationError)
def validation_error(request, exc: ValidationError):
    summary = ";".join(dict.fromkeys(_describe(error) for error in exc.errors))
    return api.create_response(request, {"detail": "请求参数有误:" + summary, "errors": exc.errors}, status=422)


@api.exception_handler(DataError)
@api.exception_handler(OverflowError)
def data_error(request, exc: Exception):
    # What the database refuses of a value (out of range, too long; SQLite raises OverflowError for an
    # integer past 64 bits, PostgreSQL DataError) is bad input, not a fault of ours.
    return api.create_response(request, {"detail": "请求中的数值或文字超出允许的范围,请检查后重试。"}, status=400)


@api.exception_handler(Exception)
def server_error(request, exc: Exception):
    """Anything else is our fault: logged with its traceback, and answered as JSON, never as an HTML page."""
    logger.exception("API error on %s %s", request.method, request.path)
    return api.create_response(request, {"detail": "服务器内部错误,已记录。请稍后重试,或联系系统管理员。"}, status=500)


def _describe(error: dict) -> str:
    """One pydantic error as a person reads it: 申请延至(new_deadline):日期应写成 2026-06-30。"""
    loc = [part for part in error.get("loc", ()) if part not in ("body", "query", "path", "payload", "filters")]
    names = [str(part) for part in loc if isinstance(part, str)]
    where = ""
    if names:
        name = names[-1]
        where = f"{FIELD_LABELS[name]}({name})" if name in FIELD_LABELS else name
        rows = [part for part in loc if isinstance(part, int)]
        if rows:
            where = f"第{rows[-1] + 1}项的" + where
    if not where and error.get("type") == "missing" and "body" in error.get("loc", ()):
        return "请求体不能为空,请发送 JSON 对象"
    return (where + ":" if where else "") + _reason(error)


def _reason(error: dict) -> str:
    kind = error.get("type", "")
    ctx = error.get("ctx") or {}
    if kind == "missing":
        return "必须填写"
    if kind.startswith("date"):
        return "日期应写成 2026-06-30"
    if kind.startswith("datetime"):
        return "时间应写成 2026-06-30T09:00:00+08:00"
    if kind.startswith("int"):
        return "应为整数"
    if kind.startswith("bool"):
        return "应为 true 或 false"
    if kind.startswith(("float", "decimal")):
        return "应为数字"
    if kind == "less_than_equal":
        return f"不能大于 {ctx.get('le')}"
    if kind == "greater_than_equal":
        return f"不能小于 {ctx.get('ge')}"
    if kind == "less_than":
        return f"应小于 {ctx.get('lt')}"
    if kind == "greater_than":
        return f"应大于 {ctx.get('gt')}"
    if kind == "string_too_long":
        return f"不能超过 {ctx.get('max_length')} 个字"
    if kind == "string_too_short":
        return f"至少 {ctx.get('min_length')} 个字"
    if kind.startswith("string"):
        return "应为文字"
    if kind in ("literal_error", "enum"):
        return f"应为以下之一:{ctx.get('expected', '')}"
    if kind == "too_long":
        return f"最多 {ctx.get('max_length')} 项"
    if kind.startswith("list"):
        return "应为列表"
    if kind in ("model_type", "dict_type", "model_attributes_type"):
        return "应为 JSON 对象"
    if kind == "json_invalid":
        return "不是合法的 JSON"
    return "格式不正确"


# `api.urls` builds new patterns at each access: build them once, here.
# The API answers 401 by itself; the site-wide login redirect would hide that from clients.
api_urls = api.urls
for pattern in api_urls[0]:
    login_not_required(pattern.callback)
