from django.urls import path

from . import views

app_name = "org"

urlpatterns = [
    path("", views.directory, name="directory"),
    path("directory.xlsx", views.directory_export, name="directory_export"),
    path("units/<int:pk>/", views.unit_detail, name="unit"),
    path("units/<int:pk>/edit/", views.unit_edit, name="unit_edit"),
    path("import/", views.org_import_view, name="import"),
    path("import/template.xlsx", views.org_import_template, name="import_template"),
    path("account/", views.account, name="account"),
    path("account/tokens/<int:pk>/revoke/", views.account_token_revoke, name="account_token_revoke"),
    path("settings/", views.county_settings, name="settings"),
    path("reorg/", views.reorg_home, name="reorg"),
    path("reorg/rename/", views.reorg_rename_view, name="reorg_rename"),
    path("reorg/merge/", views.reorg_merge_view, name="reorg_merge"),
    path("reorg/split/", views.reorg_split_view, name="reorg_split"),
    path("reorg/dissolve/", views.reorg_dissolve_view, name="reorg_dissolve"),
    path("security/", views.security_home, name="security"),
    path("security/unlock/", views.security_unlock, name="security_unlock"),
]
