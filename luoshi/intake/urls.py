from django.urls import path

from . import views

app_name = "intake"

urlpatterns = [
    path("", views.index, name="index"),
    path("<int:pk>/", views.review, name="review"),
    path("<int:pk>/rows/<int:row_pk>/", views.row_save, name="row_save"),
    path("<int:pk>/rows/<int:row_pk>/<str:action>/", views.row_action, name="row_action"),
    path("<int:pk>/rows/add/", views.row_add, name="row_add"),
    path("<int:pk>/accept-all/", views.accept_all, name="accept_all"),
    path("<int:pk>/fill/", views.fill, name="fill"),
    path("<int:pk>/date/", views.date_set, name="date"),
    path("<int:pk>/confirm/", views.confirm, name="confirm"),
    path("<int:pk>/export.xlsx", views.export_xlsx, name="export_xlsx"),
    path("<int:pk>/export.docx", views.export_docx, name="export_docx"),
]
