from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "luoshi.reports"
    label = "reports"
    verbose_name = "汇报与会议材料"

    def ready(self) -> None:
        from . import checks  # noqa: F401  (registers the CJK font check)
