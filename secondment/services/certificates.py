"""Completion certificates (上挂锻炼结业证书): issuing one per eligible term, numbering them, rendering
the PDF, and issuing a month's batch.

A certificate is issued once per term (the one-to-one field is the backstop) and numbered
``SG-<year of issue>-<sequence>``; numbers are allocated under a lock so that two concurrent
issues never share one. The PDF is rendered by WeasyPrint from ``secondment/certificate_pdf.html``
and always in Chinese: it is an official document. Numbering, the QR code,
the verification link, storing the PDF and revocation are shared with the honours' certificates
(``unionhub.certificates``); the PDF comes from the process's one WeasyPrint renderer (``unionhub.pdf``)."""

import contextlib
import dataclasses
import datetime
import re
from collections.abc import Callable

from auditlog.context import set_actor
from celery.result import AsyncResult
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from unionhub.access import require
from unionhub.certificates import (
    federation_name,
    lock_numbering_for,
    next_sequence_for,
    qr_code_svg,
    revoke,
    save_pdf,
    verification_url,
)
from unionhub.enqueue import enqueue_now, enqueue_on_commit
from unionhub.pdf import render_template_pdf

from .. import permissions
from ..models import Assessment, Certificate, SecondmentTerm

NUMBER_PREFIX = "SG"
# Two 32-bit keys for PostgreSQL's advisory lock: this namespace, then the year being numbered.
_NUMBERING_LOCK_NAMESPACE = 0x5347  # "SG"
_NUMBER_ATTEMPTS = 3


def certificate_number(year: int, sequence: int) -> str:
    return f"{NUMBER_PREFIX}-{year}-{sequence:04d}"


def _next_sequence(year: int) -> int:
    return next_sequence_for(Certificate, NUMBER_PREFIX, year)


def _lock_numbering(year: int) -> None:
    lock_numbering_for(_NUMBERING_LOCK_NAMESPACE, year)


def holder_name(term: SecondmentTerm) -> str:
    return term.cadre.name or (term.member.name if term.member_id else "") or term.cadre.username


def eligibility_problem(term: SecondmentTerm) -> str | None:
    """Why this term cannot have a certificate (None when it can)."""
    if term.status == SecondmentTerm.Status.ENDED_EARLY:
        return _("The term ended early.")
    end = Assessment.objects.filter(term=term, kind=Assessment.Kind.END).first()
    if end is None:
        return _("The term has no end-of-term assessment yet.")
    if end.grade == Assessment.Grade.FAIL:
        return _("The end-of-term assessment was failed.")
    return None


@dataclasses.dataclass(frozen=True)
class CertificateOutlook:
    """When a term's certificate can be issued: ``expected_on`` (the day after the term's last day: the
    month's batch, ``issue_for_month``, covers the terms ending in that month and each is issued only once
    its end-of-term assessment is passed), whether that assessment is passed, and ``problem`` when the term
    cannot have one (ended early, assessment failed)."""

    expected_on: datetime.date
    assessed: bool
    problem: str | None


def certificate_outlook(term: SecondmentTerm, assessments=None) -> CertificateOutlook:
    """The outlook of a term without a certificate; ``assessments`` (the term's, when already loaded)
    saves the query."""
    if assessments is None:
        assessments = Assessment.objects.filter(term=term, kind=Assessment.Kind.END)
    end = next((a for a in assessments if a.kind == Assessment.Kind.END), None)
    problem = None
    if term.status == SecondmentTerm.Status.ENDED_EARLY:
        problem = _("The term ended early.")
    elif end is not None and end.grade == Assessment.Grade.FAIL:
        problem = _("The end-of-term assessment was failed.")
    return CertificateOutlook(
        expected_on=term.end_date + datetime.timedelta(days=1),
        assessed=end is not None and end.grade != Assessment.Grade.FAIL,
        problem=problem,
    )


def issue_certificate(term: SecondmentTerm, *, on: datetime.date | None = None, by=None) -> Certificate:
    """Issue the term's certificate, or return the one it already has. Refused (ValidationError
    naming why) when the term ended early or has no passed end-of-term assessment. ``by`` is the
    staff member issuing it, for the audit trail (None when a command or a scheduled task does)."""
    if by is not None:
        require(permissions.can_issue_certificates(by))
    on = on or timezone.localdate()
    for _attempt in range(_NUMBER_ATTEMPTS):
        try:
            with transaction.atomic():
                term = SecondmentTerm.objects.select_for_update().get(pk=term.pk)  # serialise per term
                existing = Certificate.objects.filter(term=term).first()
                if existing:
                    return existing
                problem = eligibility_problem(term)
                if problem:
                    raise ValidationError(problem)
                grade = Assessment.objects.get(term=term, kind=Assessment.Kind.END).grade
                _lock_numbering(on.year)
                # Certificate is registered with auditlog: its creation is recorded with the actor.
                with set_actor(by) if by is not None else contextlib.nullcontext():
                    return Certificate.objects.create(
                        term=term,
                        number=certificate_number(on.year, _next_sequence(on.year)),
                        issued_on=on,
                        grade=grade,
                    )
        except IntegrityError:
            # Another process issued this term's certificate, or took the number, between our
            # read and our write: look again.
            continue
    existing = Certificate.objects.filter(term=term).first()
    if existing:
        return existing
    raise ValidationError(_("A certificate number could not be allocated; please try again."))


def issue_and_render(*, term: SecondmentTerm, by) -> Certificate:
    """Issue the term's certificate from the certificates page (as ``issue_certificate``) and have a
    worker render its PDF once the issue is committed, so the page answers without waiting for it."""
    certificate = issue_certificate(term, by=by)
    enqueue_on_commit(RENDER_TASK, certificate.pk)
    return certificate


def revoke_certificate(*, by, certificate: Certificate, reason: str) -> Certificate:
    """Withdraw a certificate issued in error: the verification page then says it is revoked. The
    number is never reused; the reason goes into the audit trail."""
    require(permissions.can_issue_certificates(by))
    return revoke(certificate, by=by, reason=reason, reason_missing=_("Say why the certificate is revoked."))


# --- rendering ------------------------------------------------------------------------------------


CERTIFICATE_TEMPLATE = "secondment/certificate_pdf.html"
# The tasks that wrap this module, by name: secondment/tasks.py imports this module (unionhub/enqueue.py).
RENDER_TASK = "secondment.tasks.render_certificate_task"
MONTH_TASK = "secondment.tasks.issue_certificates_for_month"


def certificate_context(certificate: Certificate) -> dict:
    term = certificate.term
    url = verification_url(certificate)
    return {
        "certificate": certificate,
        "term": term,
        "holder_name": holder_name(term),
        "union_name": term.union.name,
        "federation_name": federation_name(),
        "verify_url": url,
        "qr_code": mark_safe(qr_code_svg(url)),  # noqa: S308 — SVG made by qrcode from our own URL
    }


def render_certificate(certificate: Certificate) -> str:
    """Render the PDF, store it in ``certificate.pdf`` (replacing any earlier file) and return its
    filesystem path."""
    data = render_template_pdf(CERTIFICATE_TEMPLATE, certificate_context(certificate))
    return save_pdf(certificate, data, f"{certificate.number}.pdf").path


def ensure_rendered(certificate: Certificate) -> str:
    """The PDF's path, rendering it first if its file is missing."""
    if certificate.pdf and certificate.pdf.storage.exists(certificate.pdf.name):
        return certificate.pdf.path
    return render_certificate(certificate)


# --- a month's batch ------------------------------------------------------------------------------


@dataclasses.dataclass
class MonthlyIssue:
    """What ``issue_for_month`` did: certificates issued now, those that existed, terms skipped."""

    issued: list[Certificate] = dataclasses.field(default_factory=list)
    existing: list[Certificate] = dataclasses.field(default_factory=list)
    skipped: list[tuple[SecondmentTerm, str]] = dataclasses.field(default_factory=list)

    @property
    def certificates(self) -> list[Certificate]:
        return sorted(self.issued + self.existing, key=lambda c: c.number)

    def counts(self) -> dict[str, int]:
        return {"issued": len(self.issued), "existing": len(self.existing), "skipped": len(self.skipped)}


def parse_month(value: str) -> tuple[int, int]:
    """``"2026-03"`` → ``(2026, 3)``; anything else is a ValueError that says what is expected."""
    match = re.fullmatch(r"(\d{4})-(\d{2})", value.strip())
    if not match or not 1 <= int(match[2]) <= 12:
        raise ValueError(
            _("“%(value)s” is not a month: write it as YYYY-MM, for example 2026-03.") % {"value": value}
        )
    year, month = int(match[1]), int(match[2])
    if not 2000 <= year <= 2100:
        raise ValueError(_("The year must be between 2000 and 2100."))
    return year, month


def terms_ending_in(year: int, month: int):
    return (
        SecondmentTerm.objects.filter(end_date__year=year, end_date__month=month)
        .select_related("cadre", "union", "member")
        .order_by("end_date", "pk")
    )


def issue_for_month(
    year: int,
    month: int,
    *,
    on: datetime.date | None = None,
    by=None,
    progress: Callable[[int, int], None] | None = None,
) -> MonthlyIssue:
    """Issue and render a certificate for every eligible term ending in that month. Safe to run
    again: existing certificates are returned as they are, their PDF rendered only if missing."""
    terms = list(terms_ending_in(year, month))
    existing_ids = set(Certificate.objects.filter(term__in=terms).values_list("term_id", flat=True))
    outcome = MonthlyIssue()
    for done, term in enumerate(terms, start=1):
        try:
            certificate = issue_certificate(term, on=on, by=by)
        except ValidationError as error:
            outcome.skipped.append((term, " ".join(error.messages)))
        else:
            ensure_rendered(certificate)
            (outcome.existing if term.pk in existing_ids else outcome.issued).append(certificate)
        if progress:
            progress(done, len(terms))
    return outcome


def start_month(*, year: int, month: int, by) -> AsyncResult:
    """Issue a month's certificates in a worker (``issue_for_month``) and return the task's result
    handle, which the certificates page polls for its progress bar. Queued at once: the batch reads
    only rows committed before this request."""
    if by is not None:
        require(permissions.can_issue_certificates(by))
    return enqueue_now(MONTH_TASK, year, month, by.pk if by else None)
