from django.contrib import admin

from unionhub.files import admin_file_link

from .models import AssessmentRules, NewsChannel, NewsItem, NewsPhoto


class PhotoInline(admin.TabularInline):
    model = NewsPhoto
    extra = 0
    exclude = ["image"]
    readonly_fields = [admin_file_link("image", "photo")]


class ChannelInline(admin.TabularInline):
    model = NewsChannel
    extra = 0


@admin.register(NewsItem)
class NewsItemAdmin(admin.ModelAdmin):
    list_display = ["title", "category", "union", "status", "published_at"]
    list_filter = ["status", "category"]
    search_fields = ["title"]
    raw_id_fields = ["union", "author", "reviewed_by"]
    inlines = [PhotoInline, ChannelInline]


@admin.register(AssessmentRules)
class AssessmentRulesAdmin(admin.ModelAdmin):
    list_display = ["year", "points_published", "points_picked_up", "points_report_on_time"]
