from django.contrib import admin

from .models import Delivery, Event, Message, RobotChannel, Rule

# Chinese labels and help for the fields whose models name them only in English; given to the admin's
# forms here, so that no migration is needed (#13 §6: the admin is in Chinese throughout).
LABELS = {
    "task": ("事项", "相关的督办事项,可为空"),
    "unit": ("单位", "相关的单位,可为空"),
    "key": ("去重键", "同一件事只发一次消息的依据,由系统生成"),
    "event": ("事件", "这条消息或投递所属的事件"),
    "user": ("接收人", "收到这条消息的用户"),
    "webhook": ("Webhook 地址", "钉钉或企业微信机器人的完整地址,以 https:// 开头,须在允许的外发地址清单内"),
}


class ChineseFormMixin:
    """Puts the Chinese labels and help texts above on the admin form's fields."""

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        for name, field in form.base_fields.items():
            if name in LABELS:
                field.label, help_text = LABELS[name]
                field.help_text = field.help_text or help_text
        return form


@admin.register(Rule)
class RuleAdmin(ChineseFormMixin, admin.ModelAdmin):
    list_display = ["kind", "enabled", "channels", "days_ahead"]


@admin.register(RobotChannel)
class RobotChannelAdmin(ChineseFormMixin, admin.ModelAdmin):
    list_display = ["unit", "kind", "name", "active"]


@admin.register(Event)
class EventAdmin(ChineseFormMixin, admin.ModelAdmin):
    list_display = ["created_at", "kind", "title", "urgent"]
    list_filter = ["kind"]


@admin.register(Message)
class MessageAdmin(ChineseFormMixin, admin.ModelAdmin):
    list_display = ["created_at", "recipient", "kind", "read_at"]
    raw_id_fields = ["event", "user", "task"]

    @admin.display(description="接收人", ordering="user")
    def recipient(self, obj):
        return obj.user


@admin.register(Delivery)
class DeliveryAdmin(ChineseFormMixin, admin.ModelAdmin):
    list_display = ["created_at", "channel", "address", "status", "attempts", "answer"]
    list_filter = ["status", "channel"]
    raw_id_fields = ["event"]
