from django.apps import AppConfig


class NotifyConfig(AppConfig):
    name = "luoshi.notify"
    verbose_name = "消息与提醒"
