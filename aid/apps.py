from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AidConfig(AppConfig):
    name = "aid"
    verbose_name = _("Hardship fund")
    # Collected by the core (unionhub.contributions): where its pages hang in the URL tree, and its menu entries.
    url_includes = (("aid/", "aid.urls"), ("m/applications/", "aid.member_urls"))
    nav_template = "aid/nav.html"

    def ready(self):
        from auditlog.registry import auditlog

        from .models import (
            Application,
            EnrolmentDeadline,
            FundEntry,
            HardshipFile,
            LivingStandard,
            MutualAidEntry,
            MutualAidFund,
            Programme,
            ReversalProposal,
            SchoolPlaceRequest,
            TicketApplication,
            TicketCampaign,
            TicketType,
        )

        auditlog.register(FundEntry)
        auditlog.register(ReversalProposal)
        auditlog.register(LivingStandard)
        auditlog.register(Programme)
        # The trail records who changed a file's status and figures; the narrative (situation, visit
        # findings, closing reason) stays in the file, so the trail does not become a second copy of it.
        auditlog.register(
            HardshipFile, exclude_fields=["situation", "visit_findings", "closing_reason", "updated_at"]
        )
        auditlog.register(Application, exclude_fields=["reason", "child_id_number", "referral_outcome"])
        auditlog.register(MutualAidFund)
        auditlog.register(MutualAidEntry)
        auditlog.register(TicketCampaign)
        auditlog.register(TicketType)
        auditlog.register(TicketApplication)
        # A minor's data: the trail records status changes, not the child's details.
        auditlog.register(SchoolPlaceRequest, exclude_fields=["child_name", "child_birth_date", "note"])
        auditlog.register(EnrolmentDeadline)
