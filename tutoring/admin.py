"""Django admin for the tutoring classes: to look things up. Classes change through the site's services, where
duties are checked and every change audited; the children's enrolments are not listed here at all (a minor's
data is seen through the hosting chair's and aid staff's pages only)."""

from django.contrib import admin

from .models import Session, TutoringClass


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(TutoringClass)
class TutoringClassAdmin(ReadOnlyAdmin):
    list_display = ["title", "kind", "union", "starts_on", "ends_on", "capacity", "status"]
    list_filter = ["kind", "status"]
    date_hierarchy = "starts_on"


@admin.register(Session)
class SessionAdmin(ReadOnlyAdmin):
    list_display = ["tutoring_class", "date", "starts_at", "ends_at", "topic"]
    date_hierarchy = "date"
