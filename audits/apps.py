from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditsConfig(AppConfig):
    name = "audits"
    verbose_name = _("Finance and dues audits")
    # Collected by the core (unionhub.contributions): where its pages hang in the URL tree, and its menu entries.
    url_includes = (("", "audits.urls"),)
    nav_template = "audits/nav.html"

    def ready(self):
        from auditlog.registry import auditlog

        from .models import Audit, AuditPlan, ChecklistResult, Finding, Rectification

        auditlog.register(AuditPlan)
        auditlog.register(Audit, m2m_fields={"team"})
        auditlog.register(ChecklistResult)
        auditlog.register(Finding)
        auditlog.register(Rectification)
