from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MembersConfig(AppConfig):
    name = "members"
    verbose_name = _("Member registry")

    def ready(self):
        from auditlog.registry import auditlog

        from .models import Enterprise, GrassrootsUnion, Member, MembershipEvent

        auditlog.register(GrassrootsUnion)
        auditlog.register(Enterprise, mask_fields=["contact_phone"])
        # The audit trail itself must not become a copy of the personal data it protects.
        auditlog.register(Member, mask_fields=["id_number", "phone"])
        auditlog.register(MembershipEvent)
