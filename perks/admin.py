"""The partner merchants are kept in the admin as well as on the site. Cards and batches are not
registered: numbers are allocated under a lock and every change of a card (lost, replaced, cancelled)
is an audited service call; an admin form would bypass both."""

from django.contrib import admin

from .models import Merchant


@admin.register(Merchant)
class MerchantAdmin(admin.ModelAdmin):
    list_display = ["name", "category", "discount", "is_active"]
    list_filter = ["category", "is_active"]
    filter_horizontal = ["staff"]
