from .views import certificates, duty, nominations, overview, rota, training

app_name = "secondment"

urlpatterns = [
    *overview.urlpatterns,
    *nominations.urlpatterns,
    *rota.urlpatterns,
    *duty.urlpatterns,
    *training.urlpatterns,
    *certificates.urlpatterns,
]
