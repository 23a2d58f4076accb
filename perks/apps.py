from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PerksConfig(AppConfig):
    name = "perks"
    verbose_name = _("Discount card")
    # Collected by the core (unionhub.contributions): where its pages hang in the URL tree, and its menu entries.
    url_includes = (("perks/", "perks.urls"), ("m/card/", "perks.member_urls"))
    nav_template = "perks/nav.html"

    def ready(self):
        from . import signals  # noqa: F401, PLC0415 — connects the receivers once models are loaded
