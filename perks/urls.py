from .views import cards, counter, savings

app_name = "perks"

urlpatterns = [
    *counter.urlpatterns,
    *cards.urlpatterns,
    *savings.urlpatterns,
]
