from django.contrib import admin

from .models import Referral, Vacancy


@admin.register(Vacancy)
class VacancyAdmin(admin.ModelAdmin):
    list_display = ["title", "enterprise", "trade", "openings", "status", "approved_on", "expires_on"]
    list_filter = ["status", "trade"]
    search_fields = ["title", "enterprise__name"]
    raw_id_fields = ["enterprise", "union", "posted_by", "approved_by", "area"]


@admin.register(Referral)
class ReferralAdmin(admin.ModelAdmin):
    list_display = ["__str__", "status", "referred_on", "outcome_on"]
    list_filter = ["status"]
    raw_id_fields = ["vacancy", "member", "case", "referred_by"]
    exclude = ["worker_phone"]
