"""The member area's complaints, mounted at /m/complaints/ (a member signed in with a code)."""

from django.urls import path

from .views import member

app_name = "member_complaints"

urlpatterns = [
    path("", member.complaint_list, name="complaint_list"),
    path("new/", member.complaint_new, name="complaint_new"),
    path("received/", member.complaint_received, name="complaint_received"),
    path("<int:pk>/", member.complaint_detail, name="complaint_detail"),
]
