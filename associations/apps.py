from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssociationsConfig(AppConfig):
    name = "associations"
    verbose_name = _("Hobby associations")
    # Collected by the core (unionhub.contributions): where its pages hang in the URL tree, and its menu entries.
    url_includes = (("associations/", "associations.urls"), ("m/activities/", "associations.member_urls"))
    nav_template = "associations/nav.html"

    def ready(self):
        from auditlog.registry import auditlog  # noqa: PLC0415 — models and the audit registry load once the app registry is ready

        from .models import (  # noqa: PLC0415 — models load once the app registry is ready
            Activity,
            ActivityPhoto,
            Association,
            AssociationMember,
            MatchRecord,
            PlannedActivity,
            Programme,
            Showcase,
            SignUp,
        )

        # Matchmaking profiles stay out of the trail on purpose: their text must not be copied anywhere.
        for model in (
            Association,
            AssociationMember,
            PlannedActivity,
            Activity,
            ActivityPhoto,
            SignUp,
            Showcase,
            Programme,
            MatchRecord,
        ):
            auditlog.register(model)
