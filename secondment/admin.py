from django.contrib import admin

from .models import SecondmentTerm


@admin.register(SecondmentTerm)
class SecondmentTermAdmin(admin.ModelAdmin):
    list_display = ["cadre", "union", "start_date", "end_date", "status"]
    list_filter = ["status"]
    list_select_related = ["cadre", "union"]
    autocomplete_fields = ["cadre", "union"]
