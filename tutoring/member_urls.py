"""The member's tutoring classes on the phone (/m/tutoring/): see ``member_views``."""

from django.urls import path

from . import member_views as views

app_name = "member_tutoring"

urlpatterns = [
    path("", views.index, name="index"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/enrol/", views.enrol, name="enrol"),
    path("enrolments/<int:pk>/withdraw/", views.withdraw, name="withdraw"),
]
