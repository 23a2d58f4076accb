"""Honours' stored files: a nomination's evidence (whoever sees the nomination) and an honour's certificate
(staff, the nominating chair and the honoured member themselves; a revoked one to staff only). The public
notice and the verification page print no file: the certificate names the holder unmasked."""

from django.db.models import Q

from unionhub.files import register_stored_file

from . import services
from .models import Honour, HonourNomination, NominationEvidence


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
