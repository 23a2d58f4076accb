"""Django admin for the registry. Personal numbers stay masked here too: the admin edits what
staff may edit, and an ID number is corrected through the site's explicit, logged action."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .models import Enterprise, GrassrootsUnion, Member, MembershipEvent


@admin.register(GrassrootsUnion)
class GrassrootsUnionAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "kind", "chair", "dues_schedule", "status"]
    list_filter = ["kind", "dues_schedule", "status"]
    search_fields = ["code", "name"]
    autocomplete_fields = ["chair"]


@admin.register(Enterprise)
class EnterpriseAdmin(admin.ModelAdmin):
    list_display = ["name", "credit_code", "union", "size_band", "industry", "headcount", "status"]
    list_filter = ["size_band", "is_small_micro", "industry", "status"]
    search_fields = ["name", "credit_code"]
    list_select_related = ["union"]
    autocomplete_fields = ["union"]
    exclude = ["contact_phone"]
    readonly_fields = ["masked_contact_phone"]


class MembershipEventInline(admin.TabularInline):
    model = MembershipEvent
    extra = 0
    readonly_fields = ["kind", "on", "union", "note", "recorded_by", "recorded_at"]
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Member)
class MemberAdmin(admin.ModelAdmin):
    list_display = ["name", "masked_id", "union", "enterprise", "status"]
    list_filter = ["status", "is_migrant_worker", "education"]
    search_fields = ["name"]
    list_select_related = ["union", "enterprise"]
    autocomplete_fields = ["union", "enterprise"]
    fields = [
        "name",
        "masked_id",
        "birth_date",
        "sex",
        "masked_mobile",
        "education",
        "political_status",
        "union",
        "enterprise",
        "joined_on",
        "is_migrant_worker",
        "status",
        "status_changed_on",
    ]
    readonly_fields = ["masked_id", "birth_date", "sex", "masked_mobile", "status", "status_changed_on"]
    inlines = [MembershipEventInline]

    def has_add_permission(self, request):
        # Members are registered through the site, where the ID number is validated and the
        # joining event recorded.
        return False

    @admin.display(description=_("Resident ID number"))
    def masked_id(self, obj):
        return obj.masked_id_number

    @admin.display(description=_("Mobile"))
    def masked_mobile(self, obj):
        return obj.masked_phone
