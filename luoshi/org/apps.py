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

    def ready(self):
        super().ready()
        from django.apps import apps

        # The worker's queue comes from a package that names its app in English only; an app's name is no
        # part of any migration, so it is renamed here for the admin's menu and breadcrumbs.
        if apps.is_installed("django_tasks_db"):
            apps.get_app_config("django_tasks_database").verbose_name = "后台任务队列"
