from django.apps import AppConfig


class IntakeConfig(AppConfig):
    name = "luoshi.intake"
    label = "intake"
    verbose_name = "文件分解"
