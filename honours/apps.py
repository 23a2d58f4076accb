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

        from unionhub.moved import alias_module, alias_names

        # members/demo.py, members/views/areas.py and unionhub/views.py (rewritten on other branches)
        # still import these from members; see unionhub/moved.py.
        alias_names("members.models", "honours.models", ["AwardRound", "Honour"])
        alias_module("members.demo_honours", "honours.demo")
