from django.urls import path

from . import views

app_name = "notify"

urlpatterns = [
    path("", views.message_list, name="messages"),
    path("<int:pk>/open/", views.message_open, name="open"),
    path("<int:pk>/read/", views.message_read, name="read"),
    path("read-all/", views.messages_read_all, name="read_all"),
    path("rules/", views.rule_list, name="rules"),
    path("preferences/", views.preferences, name="preferences"),
    path("preferences/test/", views.channel_test, name="channel_test"),
    path("robots/", views.robot_list, name="robots"),
    path("robots/<int:pk>/test/", views.robot_test, name="robot_test"),
    path("robots/<int:pk>/delete/", views.robot_delete, name="robot_delete"),
    path("dead/", views.dead_letters, name="dead"),
    path("notices/", views.notice_list, name="notices"),
    path("notices/resend/", views.notice_resend, name="notice_resend"),
    path("notices/<int:pk>/", views.notice_detail, name="notice"),
    path("notices/<int:pk>/docx/", views.notice_docx, name="notice_docx"),
    path("notices/<int:pk>/confirm/", views.notice_confirm, name="notice_confirm"),
    path("feed/", views.feed_settings, name="feed"),
    path("ical/<str:token>.ics", views.ical, name="ical"),
]
