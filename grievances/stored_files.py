"""Grievances' stored files: a case's evidence (its handlers and whoever took it in: evidence often names
the worker, so never the chair of a helping union) and a timeline entry's attachment (whoever may read that
entry). Every download is recorded."""

from unionhub.files import register_stored_file

from . import permissions, services
from .models import Case, CaseEvent, Evidence


def _works_on(user, case: Case) -> bool:
    return permissions.can_handle(user, case) or case.received_by_id == user.pk


def _visible(user, case: Case) -> bool:
    return Case.objects.visible_to(user).filter(pk=case.pk).exists()


def _can_read_evidence(user, evidence: Evidence) -> bool:
    return _visible(user, evidence.case) and _works_on(user, evidence.case)


def _can_read_attachment(user, event: CaseEvent) -> bool:
    # As the case page's timeline: a reader who does not work on the case sees stage entries and their own.
    return _visible(user, event.case) and (
        _works_on(user, event.case) or event.kind == CaseEvent.Kind.STAGE or event.by_id == user.pk
    )


register_stored_file(
    "grievances.evidence",
    Evidence,
    "upload",
    can_read=_can_read_evidence,
    on_read=lambda user, evidence, remote_addr: services.log_file_access(
        by=user, case=evidence.case, name=evidence.original_name, remote_addr=remote_addr
    ),
    filename=lambda evidence: evidence.original_name,
)
register_stored_file(
    "grievances.case_attachment",
    CaseEvent,
    "attachment",
    can_read=_can_read_attachment,
    on_read=lambda user, event, remote_addr: services.log_file_access(
        by=user, case=event.case, name=event.attachment.name.rsplit("/", 1)[-1], remote_addr=remote_addr
    ),
)
