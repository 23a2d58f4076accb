"""Django admin for the office meetings: to look things up. Meetings, minutes and tasks change through the
site's services, where duties are checked, carried tasks kept in step and every change audited."""

from django.contrib import admin

from .models import Meeting, Task


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Meeting)
class MeetingAdmin(ReadOnlyAdmin):
    list_display = ["date", "kind", "place", "status"]
    list_filter = ["kind", "status"]
    date_hierarchy = "date"


@admin.register(Task)
class TaskAdmin(ReadOnlyAdmin):
    list_display = ["title", "owner", "department", "due_on", "status"]
    list_filter = ["department", "status"]
    search_fields = ["title"]
