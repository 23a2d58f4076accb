"""Honours' stored files: a nomination's evidence (whoever sees the nomination) and an honour's certificate
(staff, the nominating chair and the honoured member themselves; a revoked one to staff only). The public
notice and the verification page print no file: the certificate names the holder unmasked. A document of the federation's own awards is the organisation staff's,
and anyone's once it and its award are marked public — through the honours' public door
(``honours:public_document``), since the core's delivery view asks for a login."""

from django.db.models import Q

from unionhub.access import has_duty
from unionhub.files import register_stored_file

from . import services
from .models import FederationAwardDocument, Honour, HonourNomination, NominationEvidence


def _can_read_evidence(user, evidence: NominationEvidence) -> bool:
    return HonourNomination.objects.visible_to(user).filter(pk=evidence.nomination_id).exists()


def _can_read_certificate(user, honour: Honour) -> bool:
    if honour.revoked and not user.is_federation_staff:
        return False
    return Honour.objects.filter(
        Q(pk__in=Honour.objects.visible_to(user).values("pk")) | Q(nomination__nominee_member__user=user),
        pk=honour.pk,
    ).exists()


register_stored_file("honours.nomination_evidence", NominationEvidence, "upload", can_read=_can_read_evidence)
register_stored_file(
    "honours.honour_certificate",
    Honour,
    "pdf",
    can_read=_can_read_certificate,
    prepare=services.ensure_honour_rendered,
    filename=lambda honour: f"{honour.number}.pdf",
)


def can_read_federation_document(user, document: FederationAwardDocument) -> bool:
    return document.is_public or has_duty(user, "honours.view_federationawarddocument")


register_stored_file(
    "honours.federation_document",
    FederationAwardDocument,
    "file",
    can_read=can_read_federation_document,
    filename=lambda document: document.title,
)
