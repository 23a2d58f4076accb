"""Django admin for the secondment scheme: for looking things up and correcting a record. The
workflows (approving a nomination, generating the rota, logging, assessing, issuing a certificate)
run through the site, where the rules are checked."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from unionhub.files import admin_file_link

from .models import Assessment, Certificate, Course, DutyDay, Enrolment, Nomination, SecondmentTerm


@admin.register(SecondmentTerm)
class SecondmentTermAdmin(admin.ModelAdmin):
    list_display = ["cadre", "union", "start_date", "end_date", "status"]
    list_filter = ["status"]
    list_select_related = ["cadre", "union"]
    autocomplete_fields = ["cadre", "union"]
    raw_id_fields = ["member", "nomination"]
    search_fields = ["cadre__name", "cadre__username", "union__code"]


@admin.register(Nomination)
class NominationAdmin(admin.ModelAdmin):
    list_display = ["member", "union", "union_post", "start_date", "status", "nominated_on"]
    list_filter = ["status", "union_post"]
    list_select_related = ["member", "union"]
    raw_id_fields = ["member", "union", "nominated_by", "decided_by"]
    readonly_fields = ["status", "decided_by", "decided_at"]
    exclude = ["phone"]

    def has_add_permission(self, request):
        return False  # nominations are made on the site, where the rules are checked


@admin.register(DutyDay)
class DutyDayAdmin(admin.ModelAdmin):
    list_display = ["date", "term", "origin"]
    list_filter = ["origin"]
    date_hierarchy = "date"
    list_select_related = ["term__cadre"]
    raw_id_fields = ["term"]

    def has_add_permission(self, request):
        return False  # the rota generator and the swap services keep one day per cycle


@admin.register(Assessment)
class AssessmentAdmin(admin.ModelAdmin):
    list_display = ["term", "kind", "attendance_rate", "score", "grade", "assessed_on"]
    list_filter = ["kind", "grade"]
    list_select_related = ["term__cadre"]
    raw_id_fields = ["term", "assessed_by"]


@admin.register(Course)
class CourseAdmin(admin.ModelAdmin):
    list_display = ["title", "track", "provider", "starts_on", "hours"]
    list_filter = ["track"]
    search_fields = ["title", "provider"]


@admin.register(Enrolment)
class EnrolmentAdmin(admin.ModelAdmin):
    list_display = ["course", "term", "status", "hours_credited"]
    list_filter = ["status"]
    list_select_related = ["course", "term__cadre"]
    raw_id_fields = ["course", "term"]


@admin.register(Certificate)
class CertificateAdmin(admin.ModelAdmin):
    list_display = ["number", "term", "grade", "issued_on", "revoked"]
    list_filter = ["revoked", "grade"]
    search_fields = ["number"]
    list_select_related = ["term__cadre"]
    exclude = ["pdf"]
    readonly_fields = ["number", "term", "grade", "issued_on", admin_file_link("pdf", _("PDF"))]
