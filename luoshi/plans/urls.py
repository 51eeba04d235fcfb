from django.urls import path

from . import views

app_name = "plans"

urlpatterns = [
    path("calendar/", views.calendar_page, name="calendar"),
    path("calendar/<int:pk>/delete/", views.calendar_day_delete, name="calendar_delete"),
]

from . import project_views  # noqa: E402

urlpatterns += [
    path("projects/", project_views.project_list, name="projects"),
    path("projects/new/", project_views.project_new, name="project_new"),
    path("projects/<int:pk>/", project_views.project_detail, name="project"),
    path("projects/<int:pk>/front-load/", project_views.project_front_load, name="project_front_load"),
    path("projects/<int:pk>/tasks/", project_views.project_tasks, name="project_tasks"),
    path("projects/<int:pk>/export.xlsx", project_views.project_xlsx, name="project_xlsx"),
    path("projects/<int:pk>/export.tjp", project_views.project_tjp, name="project_tjp"),
]
