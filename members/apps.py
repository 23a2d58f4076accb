from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class MembersConfig(AppConfig):
    name = "members"
    verbose_name = _("Member registry")
    # Collected by the core (unionhub.contributions): where its pages hang in the URL tree, and its menu entries.
    url_includes = (("", "members.urls"), ("m/", "members.member_urls"))
    nav_template = "members/nav.html"

    def ready(self):
        from auditlog.registry import auditlog

        from .models import (
            Area,
            ChairChange,
            CreditSettlement,
            DeclarationReplacement,
            DuesRate,
            DuesUpload,
            Enterprise,
            GrassrootsUnion,
            JoinApplication,
            Member,
            MembershipEvent,
            MemberTransfer,
            PaymentInstructions,
            RegistryImport,
            Remittance,
        )

        auditlog.register(GrassrootsUnion)
        auditlog.register(Enterprise, mask_fields=["contact_phone"])
        # The audit trail itself must not become a copy of the personal data it protects.
        auditlog.register(Member, mask_fields=["id_number", "phone"])
        auditlog.register(MembershipEvent)
        auditlog.register(DuesRate)
        auditlog.register(DuesUpload, exclude_fields=["progress_done", "progress_total", "summary", "issues"])
        auditlog.register(Remittance)
        auditlog.register(CreditSettlement)
        auditlog.register(DeclarationReplacement)
        auditlog.register(Area, mask_fields=["contact_phone"])
        auditlog.register(MemberTransfer)
        auditlog.register(PaymentInstructions)
        auditlog.register(ChairChange)
        auditlog.register(JoinApplication, mask_fields=["id_number", "phone"])
        auditlog.register(
            RegistryImport, exclude_fields=["progress_done", "progress_total", "summary", "issues"]
        )

        from .rates import ensure_default_rates

        post_migrate.connect(ensure_default_rates, sender=self, dispatch_uid="members.default_rates")
