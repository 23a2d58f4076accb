"""Staff casework pages, mounted at /cases/."""

from .views import cases, overview

app_name = "grievances"

urlpatterns = [
    *overview.urlpatterns,
    *cases.urlpatterns,
]
