from django.urls import path

from . import views

app_name = "ops"

urlpatterns = [
    path("<uuid:pk>/", views.job_detail, name="job"),
]
