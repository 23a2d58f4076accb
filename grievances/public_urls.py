"""The worker's public pages, mounted at /complaint/ (no login): the form and the tracking page."""

from django.urls import path

from .views import public

app_name = "complaint"

urlpatterns = [
    path("", public.complaint, name="complaint"),
    path("received/", public.received, name="received"),
    path("track/", public.track, name="track"),
]
