from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from .models import CalendarDay, User

# The admin speaks the product's name in the interface language (工会通 管理), not Django's "Django administration".
admin.site.site_header = _("UnionHub administration")
admin.site.site_title = _("UnionHub administration")
admin.site.index_title = _("UnionHub administration")


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    list_display = ["username", "name", "is_staff", "is_active", "last_login"]
    search_fields = ["username", "name"]
    fieldsets = [
        *DjangoUserAdmin.fieldsets,
        (_("Contact"), {"fields": ["name", "phone"]}),
    ]


@admin.register(CalendarDay)
class CalendarDayAdmin(admin.ModelAdmin):
    list_display = ["date", "kind", "name", "note"]
    list_filter = ["kind"]
    date_hierarchy = "date"
