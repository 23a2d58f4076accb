"""Django admin for the honours: award types and rounds to look up and correct. Nominations, scores,
decisions and honours change through the site's services, where they are checked and audited."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from unionhub.files import admin_file_link

from .models import AwardCriterion, AwardRound, AwardType, Honour, HonourNomination


class AwardCriterionInline(admin.TabularInline):
    model = AwardCriterion
    extra = 0


@admin.register(AwardType)
class AwardTypeAdmin(admin.ModelAdmin):
    list_display = ["name", "level", "nominee_kind", "active"]
    list_filter = ["level", "nominee_kind", "active"]
    search_fields = ["name"]
    inlines = [AwardCriterionInline]


@admin.register(AwardRound)
class AwardRoundAdmin(admin.ModelAdmin):
    list_display = ["award_type", "year", "opens_on", "closes_on", "quota", "decided_on", "notice_ends_on"]
    list_filter = ["year"]
    list_select_related = ["award_type"]


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(HonourNomination)
class HonourNominationAdmin(ReadOnlyAdmin):
    list_display = ["nominee_name", "round", "union", "status", "score"]
    list_filter = ["status", "round__year"]
    search_fields = ["nominee_name"]
    list_select_related = ["round__award_type", "union"]


@admin.register(Honour)
class HonourAdmin(ReadOnlyAdmin):
    list_display = ["number", "nomination", "issued_on", "revoked"]
    list_filter = ["revoked"]
    search_fields = ["number"]
    list_select_related = ["nomination__round__award_type"]
    exclude = ["token", "pdf"]
    readonly_fields = [admin_file_link("pdf", _("PDF"))]
