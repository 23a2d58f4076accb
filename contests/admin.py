from django.contrib import admin

from .models import Certificate, Contest, ContestRound, Entry, Judge, ScoreItem, UnionQuota


class RoundInline(admin.TabularInline):
    model = ContestRound
    extra = 0


class ItemInline(admin.TabularInline):
    model = ScoreItem
    extra = 0


class QuotaInline(admin.TabularInline):
    model = UnionQuota
    extra = 0
    raw_id_fields = ["union"]


class JudgeInline(admin.TabularInline):
    model = Judge
    extra = 0
    raw_id_fields = ["user", "union"]


@admin.register(Contest)
class ContestAdmin(admin.ModelAdmin):
    list_display = ["title", "year", "trade", "state", "starts_on"]
    list_filter = ["year", "trade", "state"]
    inlines = [RoundInline, ItemInline, QuotaInline, JudgeInline]
    filter_horizontal = ["organisers"]
    raw_id_fields = ["organising_cadres", "created_by"]


@admin.register(Entry)
class EntryAdmin(admin.ModelAdmin):
    list_display = ["contest", "member", "union", "rank", "prize", "score"]
    list_filter = ["contest__year", "prize"]
    raw_id_fields = ["member", "union", "entered_by"]


@admin.register(Certificate)
class CertificateAdmin(admin.ModelAdmin):
    list_display = ["number", "entry", "issued_on", "revoked"]
    readonly_fields = ["token"]
    raw_id_fields = ["entry"]
