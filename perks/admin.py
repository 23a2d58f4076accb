from django.contrib import admin

from .models import Merchant


@admin.register(Merchant)
class MerchantAdmin(admin.ModelAdmin):
    list_display = ["name", "category", "discount", "is_active"]
    list_filter = ["category", "is_active"]
    filter_horizontal = ["staff"]
