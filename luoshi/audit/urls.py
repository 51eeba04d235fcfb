from django.urls import path

from . import views

app_name = "audit"

urlpatterns = [
    path("", views.index, name="index"),
    path("export.xlsx", views.export, name="export"),
    path("verify/", views.verify, name="verify"),
    path("logins/", views.logins, name="logins"),
    path("logins/export.xlsx", views.logins_export, name="logins_export"),
]
