from django.contrib import admin

from .models import Association


@admin.register(Association)
class AssociationAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "chair", "founded_on", "status"]
    list_filter = ["kind", "status"]
    autocomplete_fields = ["chair"]
