from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class JobsConfig(AppConfig):
    name = "jobs"
    verbose_name = _("Job-finding help")
    # Collected by the core (unionhub.contributions): where its pages hang in the URL tree, and its menu entries.
    url_includes = (("", "jobs.urls"),)
    nav_template = "jobs/nav.html"

    def ready(self):
        from auditlog.registry import auditlog

        from .models import Referral, Vacancy

        auditlog.register(
            Vacancy,
            include_fields=[
                "status",
                "return_reason",
                "approved_on",
                "expires_on",
                "extended_on",
                "closed_on",
                "close_reason",
                "openings",
                "wage_min",
                "wage_max",
            ],
        )
        auditlog.register(
            Referral, include_fields=["status", "interviewed_on", "outcome_on", "case", "vacancy"]
        )
