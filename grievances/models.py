"""Grievance casework (维权): every worker's claim is a ``Case`` with a number, a handler and its
deadlines; a timeline of ``CaseEvent`` notes, calls, visits, documents and replies; evidence files.

The complainant's identity (name, phone, ID number) lives on the case but is shown only to staff
with the casework duty and to the case's handler (never to the handler when the case is
anonymous); ``grievances.access`` decides, and every view of an identity is audited."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from members.models import MONEY, Enterprise, GrassrootsUnion, Member

from .deadlines import callback_due, handling_due, limitation_date


class CaseQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Casework staff see every case; a handler (staff or cadre) their own cases and the cases
        they took in; the chair asked to help, the cases of their union (without the identity)."""
        if not user.is_authenticated:
            return self.none()
        if user.is_federation_staff and user.has_perm("grievances.view_case"):
            return self
        return self.filter(Q(handler=user) | Q(received_by=user) | Q(helping_union__chair=user))

    def filed_by(self, member):
        """The member area's only door to cases: the signed cases that name one of the person's membership
        rows (their history across unions, found by ID number, as ``members.member_access.member_rows``).
        An anonymous case is never among them, whatever it names: a member follows an anonymous case with
        its tracking code only, as any worker does."""
        mine = Q(member__id_number=member.id_number) if member.id_number else Q(member=member)
        return self.filter(mine, anonymous=False, member__isnull=False)

    def open(self):
        return self.exclude(stage=Case.Stage.CLOSED)

    def unassigned(self):
        """Open cases nobody handles yet, oldest first."""
        return self.open().filter(handler__isnull=True).order_by("received_on", "pk")


class Case(models.Model):
    class Channel(models.TextChoices):
        HOTLINE = "hotline", _("12351 union hotline")
        PHONE = "phone", _("Phone")
        WALK_IN = "walk_in", _("Walk-in visit")
        LETTER = "letter", _("Letter")
        PETITION = "petition", _("Petition (信访)")
        REFERRAL = "referral", _("Referral from an enterprise union")
        WEB = "web", _("Web form")

    class Type(models.TextChoices):
        COMPLAINT = "complaint", _("Complaint")
        ENQUIRY = "enquiry", _("Enquiry")
        HELP = "help", _("Request for help")
        SUGGESTION = "suggestion", _("Suggestion")
        LEGAL_AID = "legal_aid", _("Legal-aid application")

    class Category(models.TextChoices):
        WAGE_ARREARS = "wage_arrears", _("Wage arrears")
        SOCIAL_INSURANCE = "social_insurance", _("Social insurance")
        LABOUR_CONTRACT = "labour_contract", _("Labour contract")
        WORK_INJURY = "work_injury", _("Work injury")
        DISMISSAL = "dismissal", _("Dismissal")
        WORKING_HOURS = "working_hours", _("Working hours and leave")
        WOMEN = "women", _("Women workers' rights")
        EMPLOYMENT = "employment", _("Employment help")
        OTHER = "other", _("Other")

    class Difficulty(models.TextChoices):
        ORDINARY = "ordinary", _("Ordinary")
        DIFFICULT = "difficult", _("Difficult")
        COMPLEX = "complex", _("Complex")

    class Stage(models.TextChoices):
        """The one set of stage names (已登记 · 已受理 · 调查中 · 调解 · 仲裁 · 诉讼 · 已结案): the status badge,
        the timeline's stage entries, the filters, the public tracking page and the demo all read these
        labels, never words of their own (the demo's timeline once said 已接收 / 调查核实)."""

        RECEIVED = "received", pgettext_lazy("case stage", "Received")
        ACCEPTED = "accepted", pgettext_lazy("case stage", "Accepted")
        INVESTIGATING = "investigating", _("Investigating")
        MEDIATION = "mediation", _("Mediation")
        ARBITRATION = "arbitration", _("Arbitration")
        LITIGATION = "litigation", _("Litigation")
        CLOSED = "closed", pgettext_lazy("case stage", "Closed")

    class Outcome(models.TextChoices):
        RESOLVED = "resolved", _("Resolved")
        WITHDRAWN = "withdrawn", pgettext_lazy("case outcome", "Withdrawn")
        REFERRED = "referred", _("Referred elsewhere")
        NOT_UPHELD = "not_upheld", pgettext_lazy("case outcome", "Not upheld")

    class LegalAid(models.TextChoices):
        ADVICE = "advice", _("Legal advice")
        DRAFTING = "drafting", _("Drafting documents")
        MEDIATION = "mediation", _("Mediation")
        ARBITRATION = "arbitration", _("Representation in arbitration")
        COURT = "court", _("Representation in court")

    number = models.CharField(_("case number"), max_length=20, unique=True)
    channel = models.CharField(pgettext_lazy("case", "channel"), max_length=10, choices=Channel.choices)
    type = models.CharField(_("type"), max_length=12, choices=Type.choices, default=Type.COMPLAINT)
    category = models.CharField(_("category"), max_length=20, choices=Category.choices)
    # The complainant: shown only as grievances.access allows.
    complainant_name = models.CharField(_("complainant"), max_length=50, blank=True)
    complainant_phone = models.CharField(_("contact phone"), max_length=20, blank=True)
    complainant_id_number = models.CharField(_("ID number"), max_length=18, blank=True)
    anonymous = models.BooleanField(_("anonymous"), default=False)
    member = models.ForeignKey(
        Member,
        verbose_name=_("member record"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    is_member = models.BooleanField(_("union member"), default=False)
    is_migrant_worker = models.BooleanField(_("migrant worker"), default=False)
    # The employer, from the registry or as written by the worker.
    enterprise = models.ForeignKey(
        Enterprise,
        verbose_name=_("employer (registry)"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="cases",
    )
    employer_name = models.CharField(_("employer"), max_length=200)
    workers_affected = models.PositiveIntegerField(_("workers affected"), default=1)
    amount_claimed = models.DecimalField(_("amount claimed"), null=True, blank=True, **MONEY)
    harm_known_on = models.DateField(_("learned of the harm on"), null=True, blank=True)
    employment_ended_on = models.DateField(_("employment ended on"), null=True, blank=True)
    description = models.TextField(_("what happened"))
    # Intake and routing.
    received_on = models.DateField(_("received on"))
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("received by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="received_cases",
    )
    handler = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("handler"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="handled_cases",
    )
    difficulty = models.CharField(
        _("difficulty"), max_length=10, choices=Difficulty.choices, default=Difficulty.ORDINARY
    )
    handling_due = models.DateField(_("handling deadline"), null=True, blank=True)
    # The arbitration limitation date (仲裁时效), kept up to date by ``Case.save`` from the dates above
    # (``grievances.deadlines``); null while it is not running (wage arrears during employment).
    limitation_on = models.DateField(_("arbitration limitation date"), null=True, blank=True, db_index=True)
    # The call back the public form promises (``grievances.deadlines.callback_due``), set by ``Case.save``
    # when a web complaint is taken in; met when staff record the call (``services.record_callback``).
    callback_due = models.DateField(_("call back by"), null=True, blank=True)
    called_back_on = models.DateField(_("called back on"), null=True, blank=True)
    helping_union = models.ForeignKey(
        GrassrootsUnion,
        verbose_name=_("union asked to help"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assisted_cases",
    )
    # Stages, each with its date.
    stage = models.CharField(_("stage"), max_length=14, choices=Stage.choices, default=Stage.RECEIVED)
    accepted_on = models.DateField(_("accepted on"), null=True, blank=True)
    investigation_on = models.DateField(_("investigation from"), null=True, blank=True)
    mediation_on = models.DateField(_("mediation from"), null=True, blank=True)
    mediation_agreed = models.BooleanField(_("mediation agreement reached"), null=True, blank=True)
    arbitration_applied_on = models.DateField(_("arbitration applied for on"), null=True, blank=True)
    arbitration_accepted_on = models.DateField(_("arbitration accepted on"), null=True, blank=True)
    arbitration_extended = models.BooleanField(_("arbitration extended"), default=False)
    award_on = models.DateField(_("award on"), null=True, blank=True)
    litigation_on = models.DateField(_("litigation from"), null=True, blank=True)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    outcome = models.CharField(_("outcome"), max_length=12, choices=Outcome.choices, blank=True)
    # Petition (信访) dates: decide on acceptance, conclude, one extension.
    petition_extended = models.BooleanField(_("petition deadline extended"), default=False)
    # Outcome.
    amount_recovered = models.DecimalField(_("amount recovered"), null=True, blank=True, **MONEY)
    other_outcome = models.TextField(_("other outcome"), blank=True)
    satisfaction = models.PositiveSmallIntegerField(_("worker's satisfaction (1–5)"), null=True, blank=True)
    # Legal aid.
    legal_aid_qualifies = models.BooleanField(_("qualifies for legal aid"), null=True, blank=True)
    legal_aid = models.CharField(_("legal aid given"), max_length=12, choices=LegalAid.choices, blank=True)
    lawyer = models.CharField(_("lawyer"), max_length=100, blank=True)
    household_income = models.DecimalField(
        _("household monthly income per person"), null=True, blank=True, **MONEY
    )
    # The worker's tracking code for the public page: only its hash is kept.
    tracking_code_hash = models.CharField(
        max_length=64, blank=True, db_index=True, verbose_name=_("tracking code hash")
    )
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("updated at"))

    objects = CaseQuerySet.as_manager()

    class Meta:
        ordering = ["-received_on", "-pk"]
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        permissions = [
            ("view_identity", _("Can see complainants' identities")),
            ("handle_case", _("Can handle cases")),
        ]
        indexes = [
            models.Index(fields=["stage", "received_on"], name="case_stage_received_idx"),
            models.Index(fields=["handler", "stage"], name="case_handler_stage_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount_recovered__isnull=True) | Q(amount_recovered__gte=0),
                name="case_recovered_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(amount_claimed__isnull=True) | Q(amount_claimed__gte=0),
                name="case_claim_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(satisfaction__isnull=True) | Q(satisfaction__gte=1, satisfaction__lte=5),
                name="case_satisfaction_1_to_5",
            ),
            models.CheckConstraint(
                condition=~Q(stage="closed") | Q(closed_on__isnull=False, outcome__gt=""),
                name="closed_case_has_date_and_outcome",
            ),
        ]

    def __str__(self):
        return self.number

    def save(self, *args, **kwargs):
        self.limitation_on = limitation_date(self)
        self.handling_due = handling_due(self)
        if self._state.adding:
            # Set once, at intake: a case taken in before the promise was tracked never turns into an
            # overdue call back the next time it is saved.
            self.callback_due = callback_due(self)
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "limitation_on", "handling_due"}
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("grievances:case_detail", kwargs={"pk": self.pk})


class CaseEvent(models.Model):
    """One entry of a case's timeline. A reply marked public is what the worker sees on the tracking
    page; everything else is internal."""

    class Kind(models.TextChoices):
        NOTE = "note", _("Note")
        CALL = "call", _("Phone call")
        VISIT = "visit", _("Visit")
        DOCUMENT = "document", _("Document")
        REPLY = "reply", _("Reply to the worker")
        STAGE = "stage", _("Stage change")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="events", verbose_name=_("case"))
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    at = models.DateTimeField(_("when"))
    text = models.TextField(_("text"))
    public = models.BooleanField(_("shown to the worker"), default=False)
    attachment = models.FileField(_("attachment"), upload_to="cases/%Y/", blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("by"),
    )

    class Meta:
        ordering = ["case", "at", "pk"]
        verbose_name = _("case event")
        verbose_name_plural = _("case events")

    def __str__(self):
        return f"{self.case} {self.get_kind_display()}"


class Evidence(models.Model):
    """A file the worker (public form) or staff attached as evidence."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="evidence", verbose_name=_("case"))
    upload = models.FileField(_("file"), upload_to="cases/evidence/%Y/")
    original_name = models.CharField(_("file name"), max_length=200)
    from_worker = models.BooleanField(_("sent by the worker"), default=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    uploaded_at = models.DateTimeField(auto_now_add=True, verbose_name=_("uploaded at"))

    class Meta:
        ordering = ["case", "pk"]
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")

    def __str__(self):
        return self.original_name
