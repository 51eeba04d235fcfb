from django.urls import path

from . import views

app_name = "rankings"

urlpatterns = [
    path("", views.index, name="index"),
    path("export.xlsx", views.export_xlsx, name="export_xlsx"),
    path("export.docx", views.export_docx, name="export_docx"),
    path("missing-tasks/", views.missing_tasks, name="missing_tasks"),
    path("indicators/new/", views.indicator_edit, name="indicator_new"),
    path("indicators/<int:pk>/", views.indicator, name="indicator"),
    path("indicators/<int:pk>/edit/", views.indicator_edit, name="indicator_edit"),
    path("indicators/<int:pk>/enter/", views.enter, name="enter"),
    path("import/", views.upload, name="upload"),
    path("import/<int:pk>/", views.preview, name="preview"),
    path("import/<int:pk>/choose/", views.choose, name="choose"),
    path("import/<int:pk>/commit/", views.commit, name="commit"),
    path("counties/", views.counties, name="counties"),
    path("initiatives/", views.initiatives, name="initiatives"),
    path("initiatives/new/", views.initiative_edit, name="initiative_new"),
    path("initiatives/<int:pk>/edit/", views.initiative_edit, name="initiative_edit"),
    path("practices/", views.practices, name="practices"),
    path("practices/new/", views.practice_edit, name="practice_new"),
    path("practices/<int:pk>/", views.practice, name="practice"),
    path("practices/<int:pk>/edit/", views.practice_edit, name="practice_edit"),
]
