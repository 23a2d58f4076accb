"""Django admin for the workers' homes: the checklist to look up and correct. Levels, inspections
and self-assessments change through the site's services, where they are checked and audited."""

from django.contrib import admin

from .models import ChecklistItem, HomeInspection, WorkersHome


@admin.register(ChecklistItem)
class ChecklistItemAdmin(admin.ModelAdmin):
    list_display = ["title", "category", "max_points", "order", "active"]
    list_filter = ["category", "active"]
    search_fields = ["title"]


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(WorkersHome)
class WorkersHomeAdmin(ReadOnlyAdmin):
    list_display = ["union", "level", "last_inspected_on", "reinspection_due_on"]
    list_filter = ["level"]
    list_select_related = ["union"]


@admin.register(HomeInspection)
class HomeInspectionAdmin(ReadOnlyAdmin):
    list_display = ["union", "kind", "visited_on", "level_after"]
    list_filter = ["kind"]
    list_select_related = ["union"]
    exclude = ["findings"]
