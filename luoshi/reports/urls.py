from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("briefs/", views.brief_list, name="briefs"),
    path("briefs/new/", views.brief_create, name="brief_create"),
    path("briefs/summary/", views.brief_summary, name="brief_summary"),
    path("briefs/<int:pk>/", views.brief_detail, name="brief"),
    path("briefs/<int:pk>/edit/", views.brief_edit, name="brief_edit"),
    path("briefs/<int:pk>/submit/", views.brief_submit, name="brief_submit"),
    path("briefs/<int:pk>/decide/", views.brief_decide, name="brief_decide"),
    path("briefs/<int:pk>/return/", views.brief_return, name="brief_return"),
    path("briefs/<int:pk>/docx/", views.brief_download, name="brief_docx"),
    path("packs/", views.pack_list, name="packs"),
    path("packs/preview/", views.pack_preview, name="pack_preview"),
    path("packs/issue/", views.pack_issue, name="pack_issue"),
    path("packs/<int:pk>/", views.pack_detail, name="pack"),
    path("packs/<int:pk>/docx/", views.pack_download, name="pack_docx"),
    path("circulars/", views.circular_list, name="circulars"),
    path("circulars/<int:pk>/", views.circular_detail, name="circular"),
    path("circulars/<int:pk>/issue/", views.circular_issue, name="circular_issue"),
    path("circulars/<int:pk>/docx/", views.circular_download, name="circular_docx"),
    path("circulars/<int:pk>/xlsx/", views.circular_xlsx, name="circular_xlsx"),
    path("notices/", views.notice_list, name="notices"),
    path("notices/new/", views.notice_create, name="notice_create"),
    path("notices/<uuid:batch>/", views.notice_batch, name="notice_batch"),
    path("notices/<uuid:batch>/docx/", views.notice_download, name="notice_docx"),
]
