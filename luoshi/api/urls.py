"""The JSON API: one router per app, assembled here. Schema at /api/openapi.json, docs at /api/docs."""

from django.contrib.auth.decorators import login_not_required
from ninja import NinjaAPI
from ninja.security import django_auth

from . import org

api = NinjaAPI(
    title="落实 API",
    version="1",
    description="落实(Luoshi)督查督办系统的 JSON 接口。使用浏览器登录后的会话认证。",
    auth=django_auth,
    urls_namespace="api",
)
api.add_router("/org", org.router)

# `api.urls` builds new patterns at each access: build them once, here.
# The API answers 401 by itself; the site-wide login redirect would hide that from clients.
api_urls = api.urls
for pattern in api_urls[0]:
    login_not_required(pattern.callback)
