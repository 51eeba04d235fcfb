from django.urls import path

from . import views

app_name = "library"

urlpatterns = [
    path("", views.index, name="index"),
    path("upload/", views.upload, name="upload"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/edit/", views.edit, name="edit"),
    path("<int:pk>/file", views.download, name="download"),
    path("<int:pk>/page/<int:number>.png", views.page, name="page"),
    path("figures/", views.figures, name="figures"),
    path("figures/drill/", views.drill, name="drill"),
    path("figures/<int:unit>/fact-sheet.docx", views.fact_sheet, name="fact_sheet"),
    path("visits/", views.visits, name="visits"),
    path("visits/<int:pk>/", views.visit, name="visit"),
    path("visits/<int:pk>/report.docx", views.visit_report, name="visit_report"),
    path("visits/new/", views.visit_new, name="visit_new"),
    path("cases/new/", views.case_new, name="case_new"),
    path("cases/<int:pk>/", views.case, name="case"),
    path("figures/link/", views.figure_link, name="figure_link"),
    path("feed/", views.feed, name="feed"),
    path("links/", views.link_add, name="link_add"),
    path("links/<int:pk>/remove/", views.link_remove, name="link_remove"),
]
