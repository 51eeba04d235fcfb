from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class OrgConfig(AppConfig):
    default = True
    name = "luoshi.org"
    label = "org"
    verbose_name = "组织与用户"


class OrgAdminConfig(admin_apps.AdminConfig):
    """The Django admin, with a site that only administrators may enter."""

    default = False
    default_site = "luoshi.org.admin_site.LuoshiAdminSite"
