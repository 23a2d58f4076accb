from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from .models import BackupRun, CalendarDay, User, WeComGroup
from .notify.kinds import kinds

# The admin speaks the product's name in the interface language (工会通 管理), not Django's "Django administration".
admin.site.site_header = _("UnionHub administration")
admin.site.site_title = _("UnionHub administration")
admin.site.index_title = _("UnionHub administration")


def _superusers_only(request) -> bool:
    """The admin edits rows directly, past the services' duty checks and audit records: only superusers may
    use it. Federation staff (``is_staff`` with duty groups) work through the application's own pages; the
    menu shows the admin to superusers only, and a staff member typing /admin/ meets the admin's login page."""
    return request.user.is_active and request.user.is_superuser


admin.site.has_permission = _superusers_only


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    list_display = ["username", "name", "is_staff", "is_active", "last_login"]
    search_fields = ["username", "name"]
    fieldsets = [
        *DjangoUserAdmin.fieldsets,
        (_("Contact"), {"fields": ["name", "phone", "wecom_userid"]}),
        (_("Notices"), {"fields": ["quiet_hours", "daily_digest"]}),
    ]


@admin.register(CalendarDay)
class CalendarDayAdmin(admin.ModelAdmin):
    list_display = ["date", "kind", "name", "note"]
    list_filter = ["kind"]
    date_hierarchy = "date"


@admin.register(BackupRun)
class BackupRunAdmin(admin.ModelAdmin):
    """The record of every backup, read-only: rows are written by the backup itself."""

    list_display = ["started_at", "status", "scheduled", "path", "size", "message"]
    list_filter = ["status", "scheduled"]
    date_hierarchy = "started_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class WeComGroupForm(forms.ModelForm):
    """The kinds a group takes, ticked from the registered kinds rather than typed as JSON."""

    webhook_url = forms.URLField(label=_("webhook address"), max_length=300, assume_scheme="https")
    kinds = forms.MultipleChoiceField(
        label=_("kinds of notice"), required=False, widget=forms.CheckboxSelectMultiple, choices=()
    )

    class Meta:
        model = WeComGroup
        fields = ["name", "webhook_url", "kinds", "duties", "area_name", "is_active"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kinds"].choices = [(kind.name, kind.label) for kind in kinds() if kind.listed]


@admin.register(WeComGroup)
class WeComGroupAdmin(admin.ModelAdmin):
    """A WeCom group robot: staff notices of its kinds are posted once to it when a recipient holds one of its
    duties. The webhook address holds the robot's key: superusers only (like all of the admin)."""

    form = WeComGroupForm
    list_display = ["name", "area_name", "is_active"]
    list_filter = ["is_active"]
    filter_horizontal = ["duties"]
