"""(being written)"""

app_name = "rules"

urlpatterns = []
