"""Every page of the tutoring classes (周末、暑期托教辅导班) for staff and union chairs; the members' pages are in
``member_urls``."""

from django.urls import path

from . import views

app_name = "tutoring"

urlpatterns = [
    path("", views.class_list, name="class_list"),
    path("new/", views.class_create, name="class_create"),
    path("figures/", views.figures, name="figures"),
    path("<int:pk>/", views.class_detail, name="class_detail"),
    path("<int:pk>/edit/", views.class_edit, name="class_edit"),
    path("<int:pk>/status/", views.class_status, name="class_status"),
    path("<int:pk>/tutors/", views.tutor_add, name="tutor_add"),
    path("tutors/<int:pk>/delete/", views.tutor_delete, name="tutor_delete"),
    path("<int:pk>/sessions/new/", views.session_add, name="session_add"),
    path("<int:pk>/sessions/generate/", views.session_generate, name="session_generate"),
    path("sessions/<int:pk>/edit/", views.session_edit, name="session_edit"),
    path("sessions/<int:pk>/delete/", views.session_delete, name="session_delete"),
    path("sessions/<int:pk>/attendance/", views.attendance, name="attendance"),
    path("<int:pk>/children/", views.roster, name="roster"),
    path("<int:pk>/children.xlsx", views.roster_export, name="roster_export"),
    path("<int:pk>/children/enrol/", views.enrol, name="enrol"),
    path("enrolments/<int:pk>/withdraw/", views.enrolment_withdraw, name="enrolment_withdraw"),
]
