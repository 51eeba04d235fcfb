from django.contrib import admin
from django.urls import include, path

from luoshi import views
from luoshi.api.urls import api_urls
from luoshi.org import views as org_views

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("cockpit/", views.cockpit, name="cockpit"),
    path("cockpit/plans/", views.cockpit_plans, name="cockpit_plans"),
    path("login/", org_views.LoginView.as_view(), name="login"),
    path("logout/", org_views.logout_view, name="logout"),
    path("password/", org_views.PasswordChangeView.as_view(), name="password_change"),
    path("org/", include("luoshi.org.urls")),
    path("work/", include("luoshi.work.urls")),
    path("plans/", include("luoshi.plans.urls")),
    path("ledger/", include("luoshi.ledger.urls")),
    path("intake/", include("luoshi.intake.urls")),
    path("reports/", include("luoshi.reports.urls")),
    path("notify/", include("luoshi.notify.urls")),
    path("rankings/", include("luoshi.rankings.urls")),
    path("problems/", include("luoshi.problems.urls")),
    path("library/", include("luoshi.library.urls")),
    path("jobs/", include("luoshi.ops.urls")),
    path("audit/", include("luoshi.audit.urls")),
    path("admin/", admin.site.urls),
    path("api/", api_urls),
]
