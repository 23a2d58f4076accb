from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HonoursConfig(AppConfig):
    name = "honours"
    verbose_name = _("Honours")
    # Collected by the core (unionhub.contributions): where its pages hang in the URL tree, and its menu entries.
    url_includes = (("", "honours.urls"),)
    nav_template = "honours/nav.html"

    def ready(self):
        from auditlog.registry import auditlog

        from .models import (
            AwardRound,
            AwardType,
            FederationAward,
            FederationAwardDocument,
            Honour,
            HonourNomination,
            Team,
        )

        auditlog.register(AwardType)
        auditlog.register(AwardRound)
        auditlog.register(HonourNomination, exclude_fields=["statement"])
        auditlog.register(Honour, exclude_fields=["pdf"])
        auditlog.register(Team, include_fields=["enterprise", "name", "leader"])
        auditlog.register(
            FederationAward,
            include_fields=["title", "year", "level", "awarding_body", "result", "description", "public"],
        )
        auditlog.register(FederationAwardDocument, exclude_fields=["file"])
