from .views import activities, associations, matchmaking, showcase

app_name = "associations"

urlpatterns = [
    *associations.urlpatterns,
    *activities.urlpatterns,
    *showcase.urlpatterns,
    *matchmaking.urlpatterns,
]
