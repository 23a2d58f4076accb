from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ContestsConfig(AppConfig):
    name = "contests"
    verbose_name = _("Skills contests")
    # Collected by the core (unionhub.contributions): where its pages hang in the URL tree, and its menu entries.
    url_includes = (("", "contests.urls"),)
    nav_template = "contests/nav.html"

    def ready(self):
        from auditlog.registry import auditlog

        from .models import Certificate, Contest, ContestRound, Entry, Judge, Score, ScoreItem, UnionQuota

        auditlog.register(Contest, m2m_fields={"organisers", "organising_cadres"})
        auditlog.register(ContestRound)
        auditlog.register(UnionQuota)
        auditlog.register(ScoreItem)
        auditlog.register(Judge)
        auditlog.register(Entry)
        auditlog.register(Score)
        auditlog.register(Certificate)
