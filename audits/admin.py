"""Django admin for audits: to look up and correct the checklist; audits, findings and rectifications change
through the site's services (checked and audited), and evidence files are opened from the audit's pages."""

from django.contrib import admin

from .models import (
    Audit,
    AuditPlan,
    ChecklistItem,
    ChecklistResult,
    Finding,
    Rectification,
)


@admin.register(AuditPlan)
class AuditPlanAdmin(admin.ModelAdmin):
    list_display = ["year", "cycle_years", "created_by", "created_at"]


class ChecklistResultInline(admin.TabularInline):
    model = ChecklistResult
    extra = 0


@admin.register(Audit)
class AuditAdmin(admin.ModelAdmin):
    list_display = ["plan", "union", "kind", "state", "lead", "fieldwork_from", "fieldwork_to"]
    list_filter = ["plan__year", "state", "kind"]
    search_fields = ["union__code", "union__name"]
    raw_id_fields = ["union", "lead"]
    filter_horizontal = ["team"]
    inlines = [ChecklistResultInline]


@admin.register(ChecklistItem)
class ChecklistItemAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "area", "order", "active"]
    list_filter = ["kind", "area", "active"]


@admin.register(Finding)
class FindingAdmin(admin.ModelAdmin):
    list_display = ["audit", "category", "severity", "amount_involved", "amount_recovered", "recorded_on"]
    list_filter = ["category", "severity"]
    raw_id_fields = ["audit"]


@admin.register(Rectification)
class RectificationAdmin(admin.ModelAdmin):
    list_display = ["finding", "state", "deadline", "rounds"]
    list_filter = ["state"]
    raw_id_fields = ["finding"]
