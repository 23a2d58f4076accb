"""Audits' stored files: a finding's evidence and a rectification's evidence, for whoever sees the audit
(the audit team and the audited union's chair)."""

from unionhub.files import register_stored_file

from .models import Audit, FindingEvidence, RectificationEvidence


def _can_read_finding_evidence(user, evidence: FindingEvidence) -> bool:
    return Audit.objects.visible_to(user).filter(findings__evidence=evidence).exists()


def _can_read_rectification_evidence(user, evidence: RectificationEvidence) -> bool:
    return Audit.objects.visible_to(user).filter(findings__rectification__evidence=evidence).exists()


register_stored_file("audits.finding_evidence", FindingEvidence, "file", can_read=_can_read_finding_evidence)
register_stored_file(
    "audits.rectification_evidence",
    RectificationEvidence,
    "file",
    can_read=_can_read_rectification_evidence,
)
