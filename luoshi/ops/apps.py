from django.apps import AppConfig


class OpsConfig(AppConfig):
    """Operations: backup and restore. No models of its own."""

    name = "luoshi.ops"
    label = "ops"
    verbose_name = "运维"
