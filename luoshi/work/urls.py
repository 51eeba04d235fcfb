from django.urls import path

from . import views

app_name = "work"

urlpatterns = [
    path("", views.task_list, name="list"),
    path("archive/", views.task_archive, name="archive"),
    path("new/", views.task_create, name="create"),
    path("inbox/", views.inbox, name="inbox"),
    path("week/", views.week, name="week"),
    path("units/", views.unit_summary, name="units"),
    path("pending/", views.pending, name="pending"),
    path("urge/", views.task_urge_batch, name="urge_batch"),
    path("sign/", views.task_sign_batch, name="sign_batch"),
    path("pending/decide/", views.pending_decide_batch, name="decide_batch"),
    path("<int:pk>/", views.task_detail, name="task"),
    path("<int:pk>/split/", views.task_split, name="split"),
    path("<int:pk>/sign/", views.task_sign, name="sign"),
    path("<int:pk>/report/", views.task_report, name="report"),
    path("<int:pk>/extension/", views.task_extension, name="extension"),
    path("<int:pk>/closure/", views.task_closure, name="closure"),
    path("<int:pk>/urge/", views.task_urge, name="urge"),
    path("<int:pk>/pause/", views.task_pause, name="pause"),
    path("<int:pk>/resume/", views.task_resume, name="resume"),
    path("<int:pk>/cancel/", views.task_cancel, name="cancel"),
    path("<int:pk>/instruct/", views.task_instruct, name="instruct"),
    path("extensions/<int:pk>/decide/", views.extension_decide, name="extension_decide"),
    path("closures/<int:pk>/decide/", views.closure_decide, name="closure_decide"),
    path("attachments/<int:pk>/", views.attachment_download, name="attachment"),
]
