"""Every page of the office meetings (三部一室月办公会议): meetings, their minutes and decisions, and tasks."""

from django.urls import path

from . import views

app_name = "meetings"

urlpatterns = [
    path("", views.meeting_list, name="meeting_list"),
    path("new/", views.meeting_create, name="meeting_create"),
    path("<int:pk>/", views.meeting_detail, name="meeting_detail"),
    path("<int:pk>/edit/", views.meeting_edit, name="meeting_edit"),
    path("<int:pk>/minutes/", views.minutes_form, name="minutes_form"),
    path("<int:pk>/minutes/confirm/", views.minutes_confirm, name="minutes_confirm"),
    path("<int:pk>/minutes.pdf", views.minutes_pdf, name="minutes_pdf"),
    path("<int:pk>/decisions/new/", views.decision_create, name="decision_create"),
    path("tasks/", views.task_list, name="task_list"),
    path("tasks/<int:pk>/", views.task_detail, name="task_detail"),
    path("tasks/<int:pk>/close/", views.task_close, name="task_close"),
]
