from django.urls import path

from . import views

app_name = "problems"

urlpatterns = [
    path("", views.problem_list, name="list"),
    path("new/", views.problem_create, name="create"),
    path("overdue/", views.overdue_list, name="overdue"),
    path("export/", views.problem_export, name="export"),
    path("import/", views.problem_import, name="import"),
    path("<int:pk>/", views.problem_detail, name="detail"),
    path("<int:pk>/people/", views.problem_key_people, name="key_people"),
    path("task-force/", views.task_force_calendar, name="task_force_calendar"),
    path("task-force.ics", views.task_force_ics, name="task_force_ics"),
    path("<int:pk>/task-force/", views.task_force, name="task_force"),
    path("<int:pk>/task-force.ics", views.task_force_ics, name="task_force_problem_ics"),
    path("<int:pk>/task-force/<str:action>/", views.task_force_post, name="task_force_post"),
    path("task-force/meetings/<int:pk>/<str:action>/", views.task_force_meeting_post, name="task_force_meeting"),
    path("<int:pk>/documents/", views.problem_documents, name="documents"),
    path("<int:pk>/history/", views.problem_history_add, name="history_add"),
    path("<int:pk>/petitions/", views.petition_add, name="petition_add"),
    path("<int:pk>/escalate/", views.problem_escalate, name="escalate"),
    path("<int:pk>/meetings/", views.meeting_record, name="meeting"),
    path("<int:pk>/close/", views.problem_close, name="close"),
    path("<int:pk>/decide/", views.decision_create, name="decide"),
    path("<int:pk>/to-risk/", views.problem_to_risk, name="to_risk"),
    path("decisions/<int:pk>/", views.decision_detail, name="decision"),
    path("decisions/<int:pk>/docx/", views.decision_download, name="decision_docx"),
    path("risks/", views.risk_list, name="risks"),
    path("risks/new/", views.risk_create, name="risk_create"),
    path("risks/<int:pk>/", views.risk_detail, name="risk"),
    path("risks/<int:pk>/review/", views.risk_review, name="risk_review"),
    path("risks/<int:pk>/observe/", views.risk_observe, name="risk_observe"),
    path("risks/<int:pk>/to-problem/", views.risk_to_problem, name="risk_to_problem"),
    path("accountability/", views.accountability_list, name="accountability_list"),
    path("accountability/new/", views.accountability_create, name="accountability_create"),
    path("accountability/<int:pk>/", views.accountability_detail, name="accountability"),
]
