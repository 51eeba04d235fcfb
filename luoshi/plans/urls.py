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
    path("templates/", project_views.template_list, name="templates"),
    path("templates/<int:pk>/", project_views.template_edit, name="template"),
]

from . import plan_views  # noqa: E402

urlpatterns += [
    path("units/", plan_views.my_plans, name="units"),
    path("units/<int:unit_id>/", plan_views.unit_plans, name="unit"),
    path("units/<int:unit_id>/import/", plan_views.plan_import, name="plan_import"),
    path("units/<int:unit_id>/week/", plan_views.unit_week, name="week"),
    path("plan/<int:pk>/export.xlsx", plan_views.plan_export, name="plan_export"),
    path("plan/<int:pk>/actuals/<int:month>/", plan_views.plan_actuals, name="plan_actuals"),
    path("plan/<int:pk>/diff/", plan_views.plan_diff, name="plan_diff"),
    path("plan/<int:pk>/roll/", plan_views.plan_roll, name="plan_roll"),
    path("plan/<int:pk>/tasks/", plan_views.plan_tasks, name="plan_tasks"),
]

from . import revenue_views  # noqa: E402

urlpatterns += [
    path("revenue/", revenue_views.revenue_page, name="revenue"),
    path("revenue/<int:pk>/actual/", revenue_views.revenue_actual, name="revenue_actual"),
    path("revenue/debt/import/", revenue_views.debt_import, name="debt_import"),
]
