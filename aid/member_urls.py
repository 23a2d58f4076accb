"""A member's own aid applications (/m/applications/)."""

from django.urls import path

from .views import member_applications as views

app_name = "member_applications"

urlpatterns = [
    path("", views.home, name="home"),
    path("programmes/<int:programme_pk>/", views.apply, name="apply"),
    path("<int:pk>/", views.detail, name="detail"),
]
