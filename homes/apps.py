from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HomesConfig(AppConfig):
    name = "homes"
    verbose_name = _("Workers' homes")
    # Collected by the core (unionhub.contributions): where its pages hang in the URL tree, and its menu entries.
    url_includes = (("", "homes.urls"),)
    nav_template = "homes/nav.html"

    def ready(self):
        from auditlog.registry import auditlog

        from .models import ChecklistItem, HomeInspection, SelfAssessment, WorkersHome

        auditlog.register(WorkersHome, exclude_fields=["reminded_for"])
        auditlog.register(ChecklistItem)
        auditlog.register(HomeInspection, exclude_fields=["findings"])
        auditlog.register(SelfAssessment, include_fields=["status", "total", "submitted_at"])
