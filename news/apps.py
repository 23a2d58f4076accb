from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NewsConfig(AppConfig):
    name = "news"
    verbose_name = _("Information work")
    # Collected by the core (unionhub.contributions): where its pages hang in the URL tree, and its menu entries.
    url_includes = (("", "news.urls"),)
    nav_template = "news/nav.html"

    def ready(self):
        from auditlog.registry import auditlog

        from .models import AssessmentRules, NewsChannel, NewsItem, NewsPhoto

        auditlog.register(NewsItem, include_fields=["title", "status", "return_reason", "published_at"])
        auditlog.register(NewsPhoto)
        auditlog.register(NewsChannel)
        auditlog.register(AssessmentRules)
