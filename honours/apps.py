from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HonoursConfig(AppConfig):
    name = "honours"
    verbose_name = _("Honours")

    def ready(self):
        from auditlog.registry import auditlog

        from .models import AwardRound, AwardType, Honour, HonourNomination

        auditlog.register(AwardType)
        auditlog.register(AwardRound)
        auditlog.register(HonourNomination, exclude_fields=["statement"])
        auditlog.register(Honour, exclude_fields=["pdf"])


