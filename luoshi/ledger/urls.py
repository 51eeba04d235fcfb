from django.urls import path

from . import views

app_name = "ledger"

urlpatterns = [
    path("import/", views.upload, name="upload"),
    path("import/template/", views.template, name="template"),
    path("import/<int:pk>/", views.preview, name="preview"),
    path("import/<int:pk>/mapping/", views.mapping, name="mapping"),
    path("import/<int:pk>/choose/", views.choose, name="choose"),
    path("import/<int:pk>/commit/", views.commit, name="commit"),
    path("export/", views.export, name="export"),
]
