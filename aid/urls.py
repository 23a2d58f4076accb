from .views import applications, files, fund, mutual, tickets

app_name = "aid"

urlpatterns = [
    *fund.urlpatterns,
    *files.urlpatterns,
    *applications.urlpatterns,
    *mutual.urlpatterns,
    *tickets.urlpatterns,
]
