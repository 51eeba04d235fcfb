from django.urls import path

from . import views

app_name = "library"

urlpatterns = [
    path("", views.index, name="index"),
    path("upload/", views.upload, name="upload"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/edit/", views.edit, name="edit"),
    path("<int:pk>/file", views.download, name="download"),
    path("figures/", views.figures, name="figures"),
    path("figures/drill/", views.drill, name="drill"),
    path("figures/<int:unit>/fact-sheet.docx", views.fact_sheet, name="fact_sheet"),
    path("visits/", views.visits, name="visits"),
    path("visits/<int:pk>/", views.visit, name="visit"),
    path("visits/<int:pk>/report.docx", views.visit_report, name="visit_report"),
]
