"""The worker's public pages, mounted at /complaint/ (no login): the form and the tracking page."""

from .views import public

app_name = "complaint"

urlpatterns = public.urlpatterns
