from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GrievancesConfig(AppConfig):
    name = "grievances"
    verbose_name = _("Grievance casework")
    # Collected by the core (unionhub.contributions): where its pages hang in the URL tree, and its menu entries.
    url_includes = (
        ("cases/", "grievances.urls"),
        ("complaint/", "grievances.public_urls"),
        ("m/complaints/", "grievances.member_urls"),
    )
    nav_template = "grievances/nav.html"

    def ready(self):
        from auditlog.registry import auditlog  # noqa: PLC0415 — models and the audit registry load once the app registry is ready

        from .models import Case  # noqa: PLC0415 — models load once the app registry is ready

        # Stages, routing and outcomes are audited; the complainant's identity and the narrative are not
        # copied into the trail (each view of an identity is logged as an ACCESS entry instead).
        auditlog.register(
            Case,
            exclude_fields=[
                "complainant_name",
                "complainant_phone",
                "complainant_id_number",
                "description",
                "tracking_code_hash",
                "updated_at",
                "household_income",
                # Who complained, by their membership record: identity, as the name is.
                "member",
            ],
        )
