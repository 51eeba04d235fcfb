from django.apps import AppConfig


class ProblemsConfig(AppConfig):
    name = "luoshi.problems"
    label = "problems"
    verbose_name = "破难题"
