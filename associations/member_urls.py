"""The member's activities on the phone (/m/activities/): see ``views.member``."""

from django.urls import path

from .views import member as views

app_name = "member_activities"

urlpatterns = [
    path("", views.index, name="index"),
    path("history/", views.history, name="history"),
    path("associations/", views.associations, name="associations"),
    path("associations/<int:pk>/join/", views.join, name="join"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/signup/", views.sign_up, name="signup"),
    path("signups/<int:pk>/cancel/", views.cancel, name="cancel"),
]
