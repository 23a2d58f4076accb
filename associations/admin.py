"""Associations are kept in the admin as well as on the site. Their members, activities, sign-ups,
showcases and matchmaking are not registered: each change goes through a service that checks the
association's rules and writes its audit record, and matchmaking profiles must never be shown to
anyone but the association's chair."""

from django.contrib import admin

from .models import Association


@admin.register(Association)
class AssociationAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "chair", "founded_on", "status"]
    list_filter = ["kind", "status"]
    autocomplete_fields = ["chair"]
