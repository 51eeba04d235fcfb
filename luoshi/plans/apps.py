from django.apps import AppConfig


class PlansConfig(AppConfig):
    name = "luoshi.plans"
    label = "plans"
    verbose_name = "计划与工作日历"
