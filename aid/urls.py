from .views import applications, files, fund, mutual, school_places, tickets

app_name = "aid"

urlpatterns = [
    *fund.urlpatterns,
    *files.urlpatterns,
    *applications.urlpatterns,
    *mutual.urlpatterns,
    *tickets.urlpatterns,
    *school_places.urlpatterns,
]
