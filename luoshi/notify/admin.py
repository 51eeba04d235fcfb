from django.contrib import admin

from .models import Delivery, Event, Message, RobotChannel, Rule


@admin.register(Rule)
class RuleAdmin(admin.ModelAdmin):
    list_display = ["kind", "enabled", "channels", "days_ahead"]


@admin.register(RobotChannel)
class RobotChannelAdmin(admin.ModelAdmin):
    list_display = ["unit", "kind", "name", "active"]


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    list_display = ["created_at", "kind", "title", "urgent"]
    list_filter = ["kind"]


@admin.register(Message)
class MessageAdmin(admin.ModelAdmin):
    list_display = ["created_at", "user", "kind", "read_at"]
    raw_id_fields = ["event", "user", "task"]


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    list_display = ["created_at", "channel", "address", "status", "attempts", "answer"]
    list_filter = ["status", "channel"]
    raw_id_fields = ["event"]
