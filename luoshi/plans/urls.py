from django.urls import path

from . import views

app_name = "plans"

urlpatterns = [
    path("calendar/", views.calendar_page, name="calendar"),
    path("calendar/<int:pk>/delete/", views.calendar_day_delete, name="calendar_delete"),
]
