"""The hardship fund (困难职工救助基金) and the help it pays for.

- The fund is an append-only ledger (``FundEntry``): the balance is the sum of the entries; nothing
  is edited or deleted, a mistake is undone by a reversal that references the entry it undoes.
- Hardship files (困难职工档案): one per household, categorised against the year's minimum-living
  standard (低保), through review, home visit and public notice (公示) to approval.
- Aid: programmes per year (living, medical, education grants, temporary relief, holiday visits),
  applications approved within the programme's range and the person's yearly cap; an approval
  posts a disbursement.
- Enterprise mutual-aid funds (三方互助基金) and the Spring Festival return-home tickets (春节返乡).

Money is ``Decimal`` with two places (``MONEY``), never float."""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from members.models import MONEY, Enterprise, GrassrootsUnion, Member
from unionhub.access import ScopedQuerySet
from unionhub.storage import random_name

# --- the fund ----------------------------------------------------------------------------------


class Fund(models.Model):
    """The one hardship fund: a row to lock (SELECT … FOR UPDATE) while money goes out, so that two
    approvals at the same moment are serialised and the balance can never go below zero."""

    name = models.CharField(_("name"), max_length=100)

    class Meta:
        verbose_name = _("hardship fund")
        verbose_name_plural = _("hardship fund")

    def __str__(self):
        return self.name


class FundEntry(models.Model):
    """One movement of money. ``amount`` is signed: income positive, disbursements negative, a
    reversal the negation of the entry it undoes. Rows are never updated or deleted."""

    class Kind(models.TextChoices):
        ALLOCATION = "allocation", _("Allocation (share of union funds received)")
        ADJUSTMENT = "adjustment", _("Allocation adjustment (late remittances)")
        DONATION = "donation", _("Donation")
        CHARITY_TRANSFER = "charity_transfer", _("Transfer from the charity federation")
        DISBURSEMENT = "disbursement", _("Disbursement")
        REVERSAL = "reversal", _("Reversal")

    INCOME = (Kind.ALLOCATION, Kind.ADJUSTMENT, Kind.DONATION, Kind.CHARITY_TRANSFER)

    fund = models.ForeignKey(Fund, on_delete=models.PROTECT, related_name="entries", verbose_name=_("fund"))
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    amount = models.DecimalField(_("amount"), **MONEY)
    posted_on = models.DateField(_("date"), db_index=True)
    year = models.PositiveSmallIntegerField(
        _("allocation year"),
        null=True,
        blank=True,
        help_text=_("For allocations and adjustments: the year of union funds."),
    )
    programme = models.ForeignKey(
        "Programme",
        verbose_name=_("programme"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="entries",
    )
    reverses = models.OneToOneField(
        "self",
        verbose_name=_("reverses"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reversed_by",
    )
    description = models.CharField(_("description"), max_length=300)
    reference = models.CharField(_("voucher or reference"), max_length=60, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))

    class Meta:
        ordering = ["posted_on", "pk"]
        verbose_name = _("fund entry")
        verbose_name_plural = _("fund entries")
        indexes = [models.Index(fields=["kind", "posted_on"], name="fund_entry_kind_day_idx")]
        constraints = [
            # One allocation per year; late remittances are adjustment entries.
            models.UniqueConstraint(
                fields=["fund", "year"], condition=Q(kind="allocation"), name="one_allocation_per_year"
            ),
            models.CheckConstraint(condition=~Q(amount=0), name="fund_entry_not_zero"),
            models.CheckConstraint(
                condition=Q(kind__in=["allocation", "donation", "charity_transfer"], amount__gt=0)
                | Q(kind="disbursement", amount__lt=0)
                | Q(kind__in=["adjustment", "reversal"]),
                name="fund_entry_sign_follows_kind",
            ),
            models.CheckConstraint(
                condition=Q(kind="reversal", reverses__isnull=False)
                | (~Q(kind="reversal") & Q(reverses__isnull=True)),
                name="reversal_references_its_entry",
            ),
        ]

    def __str__(self):
        return f"{self.posted_on} {self.get_kind_display()} {self.amount}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValidationError(_("Fund entries cannot be changed; post a reversal instead."))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError(_("Fund entries cannot be deleted; post a reversal instead."))


class ReversalProposal(models.Model):
    """A fund entry someone proposes to reverse. The reversal is posted only when another person
    approves the proposal (four eyes, ``aid.services.four_eyes``)."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Proposed")
        APPROVED = "approved", _("Approved")
        DECLINED = "declined", _("Declined")

    entry = models.ForeignKey(
        FundEntry, verbose_name=_("entry"), on_delete=models.PROTECT, related_name="reversal_proposals"
    )
    reason = models.CharField(_("reason"), max_length=200)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PROPOSED)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("proposed by"),
    )
    proposed_at = models.DateTimeField(auto_now_add=True, verbose_name=_("proposed at"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(null=True, blank=True, verbose_name=_("decided at"))
    reversal = models.OneToOneField(
        FundEntry,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reversal_proposal",
        verbose_name=_("reversal entry"),
    )

    class Meta:
        ordering = ["-proposed_at", "-pk"]
        verbose_name = _("proposed reversal")
        verbose_name_plural = _("proposed reversals")
        constraints = [
            models.UniqueConstraint(
                fields=["entry"], condition=Q(status="proposed"), name="one_open_reversal_proposal_per_entry"
            ),
        ]

    def __str__(self):
        return f"{self.entry} ({self.get_status_display()})"


# --- hardship files ----------------------------------------------------------------------------


class LivingStandard(models.Model):
    """The local minimum-living standard (低保) for a year, per person per month."""

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    monthly_amount = models.DecimalField(_("per person per month"), **MONEY)
    note = models.CharField(_("source"), max_length=200, blank=True)

    class Meta:
        ordering = ["-year"]
        verbose_name = _("minimum-living standard")
        verbose_name_plural = _("minimum-living standards")
        constraints = [
            models.CheckConstraint(condition=Q(monthly_amount__gt=0), name="living_standard_positive")
        ]

    def __str__(self):
        return f"{self.year}: {self.monthly_amount}"


class HardshipFileQuerySet(ScopedQuerySet):
    """Staff with the aid duty, and the chair of the file's union; no one else — not even other staff
    (hardship is sensitive personal information). Visibility follows the union, not the person who
    submitted: a union's new chair takes over its files, and the previous chair no longer sees them."""

    owner_lookup = "union__chair"
    staff_permission = "aid.view_hardshipfile"


class HardshipFile(models.Model):
    """One household's hardship file. The category follows from the income figures and the year's
    minimum-living standard (``aid.rules.categorise``), except accident-caused hardship, which is a
    staff decision with a reason."""

    class Status(models.TextChoices):
        APPLYING = "applying", _("Applying")
        NOTICE = "notice", _("Under public notice")
        ACTIVE = "active", _("On file")
        LEFT = "left", _("Left hardship")
        WITHDRAWN = "withdrawn", pgettext_lazy("request status", "Withdrawn")
        CANCELLED = "cancelled", _("Cancelled")

    class Category(models.TextChoices):
        DEEP = "deep", _("Deep hardship")
        RELATIVE = "relative", _("Relative hardship")
        ACCIDENT = "accident", _("Hardship caused by an accident")
        NONE = "none", _("Not in hardship by the income rule")

    class Cause(models.TextChoices):
        ILLNESS = "illness", _("Illness")
        DISABILITY = "disability", _("Disability")
        EDUCATION = "education", _("Education costs")
        DISASTER = "disaster", _("Disaster")
        UNEMPLOYMENT = "unemployment", _("Unemployment")
        ACCIDENT = "accident", _("Accident")

    number = models.CharField(_("file number"), max_length=20, unique=True)
    member = models.ForeignKey(
        Member, verbose_name=_("member"), on_delete=models.PROTECT, related_name="hardship_files"
    )
    union = models.ForeignKey(
        GrassrootsUnion,
        verbose_name=_("grassroots union"),
        on_delete=models.PROTECT,
        related_name="hardship_files",
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("submitted by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="submitted_hardship_files",
    )
    submitted_on = models.DateField(_("submitted on"))
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.APPLYING)
    causes = models.JSONField(_("causes of hardship"), default=list)
    situation = models.TextField(_("situation"), blank=True)
    household_income = models.DecimalField(_("household monthly income"), **MONEY)
    hardship_expenses = models.DecimalField(
        _("monthly hardship expenses"),
        default=0,
        **MONEY,
        help_text=_("Medical, education and other unavoidable costs."),
    )
    household_size = models.PositiveSmallIntegerField(_("people in the household"))
    living_standard = models.DecimalField(_("minimum-living standard applied"), **MONEY)
    category = models.CharField(_("category"), max_length=10, choices=Category.choices)
    category_reason = models.TextField(_("reason for the category"), blank=True)
    # review and home visit
    visited_on = models.DateField(_("home visit on"), null=True, blank=True)
    visitors = models.CharField(_("visited by"), max_length=200, blank=True)
    visit_findings = models.TextField(_("findings of the visit"), blank=True)
    # public notice (公示): working days from the holiday calendar
    notice_start = models.DateField(_("notice from"), null=True, blank=True)
    notice_end = models.DateField(_("notice until"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("approved by"),
    )
    approved_on = models.DateField(_("approved on"), null=True, blank=True)
    next_review_on = models.DateField(_("next review"), null=True, blank=True)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    closing_reason = models.CharField(_("closing reason"), max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("updated at"))

    objects = HardshipFileQuerySet.as_manager()

    class Meta:
        ordering = ["-submitted_on", "-pk"]
        verbose_name = _("hardship file")
        verbose_name_plural = _("hardship files")
        permissions = [("review_hardshipfile", _("Can review and approve hardship files"))]
        constraints = [
            # One open file per household (member): applying, under notice or on file.
            models.UniqueConstraint(
                fields=["member"],
                condition=Q(status__in=["applying", "notice", "active"]),
                name="one_open_hardship_file_per_member",
            ),
            models.CheckConstraint(condition=Q(household_size__gte=1), name="household_has_someone"),
            models.CheckConstraint(
                condition=Q(household_income__gte=0) & Q(hardship_expenses__gte=0),
                name="hardship_figures_not_negative",
            ),
        ]

    def __str__(self):
        return self.number

    def get_absolute_url(self):
        return reverse("aid:file_detail", kwargs={"pk": self.pk})


class HouseholdMember(models.Model):
    file = models.ForeignKey(
        HardshipFile, on_delete=models.CASCADE, related_name="household", verbose_name=_("file")
    )
    name = models.CharField(_("name"), max_length=50)
    relation = models.CharField(_("relation"), max_length=20)
    age = models.PositiveSmallIntegerField(_("age"))
    occupation = models.CharField(_("occupation"), max_length=50, blank=True)
    monthly_income = models.DecimalField(_("monthly income"), default=0, **MONEY)
    health = models.CharField(_("health"), max_length=100, blank=True)

    class Meta:
        ordering = ["file", "pk"]
        verbose_name = _("household member")
        verbose_name_plural = _("household members")

    def __str__(self):
        return f"{self.relation} {self.name}"


def hardship_document_path(document: "HardshipDocument", filename: str) -> str:
    return f"hardship/{document.file.number}/{random_name()}"


class HardshipDocument(models.Model):
    class Kind(models.TextChoices):
        HOUSEHOLD_REGISTER = "household_register", _("Household register (户口簿)")
        INCOME_PROOF = "income_proof", _("Proof of income")
        MEDICAL_RECORDS = "medical_records", _("Medical records and bills")
        DISABILITY_CERTIFICATE = "disability_certificate", _("Disability certificate")
        OTHER = "other", _("Other")

    file = models.ForeignKey(
        HardshipFile, on_delete=models.CASCADE, related_name="documents", verbose_name=_("file")
    )
    kind = models.CharField(_("document"), max_length=24, choices=Kind.choices)
    upload = models.FileField(_("file"), upload_to=hardship_document_path)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    uploaded_at = models.DateTimeField(auto_now_add=True, verbose_name=_("uploaded at"))

    class Meta:
        ordering = ["file", "kind", "pk"]
        verbose_name = _("hardship document")
        verbose_name_plural = _("hardship documents")

    def __str__(self):
        return self.get_kind_display()


class NoticeObjection(models.Model):
    """An objection raised during the public notice, and how it was resolved."""

    file = models.ForeignKey(
        HardshipFile, on_delete=models.CASCADE, related_name="objections", verbose_name=_("file")
    )
    received_on = models.DateField(_("received on"))
    content = models.TextField(_("objection"))
    resolution = models.TextField(_("resolution"), blank=True)
    upheld = models.BooleanField(_("objection upheld"), default=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("recorded by"),
    )

    class Meta:
        ordering = ["file", "received_on", "pk"]
        verbose_name = _("objection")
        verbose_name_plural = _("objections")

    def __str__(self):
        return f"{self.file} {self.received_on}"


class FileReview(models.Model):
    """A yearly review of a file on record; ``spot_check`` marks those drawn for a visit."""

    file = models.ForeignKey(
        HardshipFile, on_delete=models.CASCADE, related_name="reviews", verbose_name=_("file")
    )
    year = models.PositiveSmallIntegerField(_("year"))
    spot_check = models.BooleanField(_("drawn for a spot check"), default=False)
    reviewed_on = models.DateField(_("reviewed on"), null=True, blank=True)
    outcome = models.CharField(
        _("outcome"),
        max_length=12,
        blank=True,
        choices=[
            ("continue", _("Stays on file")),
            ("left", _("Left hardship")),
            ("cancelled", _("Cancelled")),
        ],
    )
    notes = models.TextField(_("notes"), blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("reviewed by"),
    )

    class Meta:
        ordering = ["-year", "file"]
        verbose_name = _("file review")
        verbose_name_plural = _("file reviews")
        constraints = [models.UniqueConstraint(fields=["file", "year"], name="one_review_per_file_and_year")]

    def __str__(self):
        return f"{self.file} {self.year}"


# --- aid programmes and applications ----------------------------------------------------------


class Programme(models.Model):
    """One year's aid programme (or campaign): its kind, amount range and application window."""

    class Kind(models.TextChoices):
        LIVING = "living", _("Living aid")
        MEDICAL = "medical", _("Medical aid")
        EDUCATION = "education", _("Golden-autumn education grant (金秋助学)")
        TEMPORARY = "temporary", _("Temporary relief")
        HOLIDAY_VISIT = "holiday_visit", _("Holiday visit (送温暖)")

    year = models.PositiveSmallIntegerField(_("year"))
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=100)
    min_amount = models.DecimalField(_("smallest amount"), **MONEY)
    max_amount = models.DecimalField(_("largest amount"), **MONEY)
    opens_on = models.DateField(_("applications from"))
    closes_on = models.DateField(_("applications until"))
    on_file_only = models.BooleanField(_("only for workers on file"), default=True)
    budget = models.DecimalField(_("budget"), null=True, blank=True, **MONEY)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        ordering = ["-year", "kind", "name"]
        verbose_name = _("aid programme")
        verbose_name_plural = _("aid programmes")
        constraints = [
            models.UniqueConstraint(fields=["year", "name"], name="one_programme_name_per_year"),
            models.CheckConstraint(
                condition=Q(min_amount__gt=0) & Q(max_amount__gte=F("min_amount")),
                name="programme_amounts_in_order",
            ),
            models.CheckConstraint(
                condition=Q(closes_on__gte=F("opens_on")), name="programme_window_in_order"
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("aid:programme_detail", kwargs={"pk": self.pk})

    def is_open_on(self, day: datetime.date) -> bool:
        return self.opens_on <= day <= self.closes_on


class ApplicationQuerySet(ScopedQuerySet):
    """Aid staff see every application; a chair sees their own union's."""

    owner_lookup = "union__chair"
    staff_permission = "aid.view_application"


class Application(models.Model):
    class Status(models.TextChoices):
        SUBMITTED = "submitted", pgettext_lazy("request status", "Submitted")
        APPROVED = "approved", _("Approved")
        PAID = "paid", _("Paid")
        REJECTED = "rejected", _("Rejected")
        REFERRED = "referred", _("Referred to the charity federation")
        WITHDRAWN = "withdrawn", pgettext_lazy("request status", "Withdrawn")

    programme = models.ForeignKey(
        Programme, verbose_name=_("programme"), on_delete=models.PROTECT, related_name="applications"
    )
    member = models.ForeignKey(
        Member, verbose_name=_("worker"), on_delete=models.PROTECT, related_name="aid_applications"
    )
    union = models.ForeignKey(
        GrassrootsUnion,
        verbose_name=_("grassroots union"),
        on_delete=models.PROTECT,
        related_name="aid_applications",
    )
    hardship_file = models.ForeignKey(
        HardshipFile,
        verbose_name=_("hardship file"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="applications",
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("submitted by"),
    )
    submitted_on = models.DateField(_("submitted on"))
    amount_requested = models.DecimalField(_("amount requested"), **MONEY)
    reason = models.TextField(_("reason"))
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.SUBMITTED)
    # education grants: the child, the school, the admission letter
    child_name = models.CharField(_("child's name"), max_length=50, blank=True)
    child_id_number = models.CharField(_("child's ID number"), max_length=18, blank=True)
    school = models.CharField(_("university"), max_length=100, blank=True)
    admission_letter = models.FileField(_("admission letter"), upload_to="aid/admission/%Y/", blank=True)
    # decision
    approved_amount = models.DecimalField(_("amount approved"), null=True, blank=True, **MONEY)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    decision_note = models.TextField(_("decision note"), blank=True)
    disbursement = models.OneToOneField(
        FundEntry,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="application",
        verbose_name=_("disbursement entry"),
    )
    # payment
    paid_on = models.DateField(_("paid on"), null=True, blank=True)
    payment_reference = models.CharField(_("bank transfer reference"), max_length=60, blank=True)
    # referral to the charity federation (慈善总会)
    referred_on = models.DateField(_("referred on"), null=True, blank=True)
    referral_outcome = models.TextField(_("outcome of the referral"), blank=True)
    charity_amount = models.DecimalField(
        _("received from the charity federation"), null=True, blank=True, **MONEY
    )

    objects = ApplicationQuerySet.as_manager()

    class Meta:
        ordering = ["-submitted_on", "-pk"]
        verbose_name = _("aid application")
        verbose_name_plural = _("aid applications")
        permissions = [("decide_application", _("Can approve aid applications"))]
        constraints = [
            models.CheckConstraint(condition=Q(amount_requested__gt=0), name="application_amount_positive"),
        ]

    def __str__(self):
        return f"{self.programme} · {self.member}"

    def get_absolute_url(self):
        return reverse("aid:application_detail", kwargs={"pk": self.pk})


class MemberApplicationQuerySet(ScopedQuerySet):
    """Aid staff see every member's application; a chair sees their own union's (the member's own are read
    through ``for_person``, never by id alone)."""

    owner_lookup = "union__chair"
    staff_permission = "aid.view_application"

    def for_person(self, member: Member):
        """Every application of the person (by ID number, whatever union they were in)."""
        return self.filter(member__id_number=member.id_number)


class MemberApplication(models.Model):
    """A member's own application from the phone (/m/applications/): it goes first to the chair of the
    member's union, who forwards it to the federation (it then becomes an ``Application`` in the federation's
    flow, decided with four eyes) or returns it with a reason the member reads."""

    class Status(models.TextChoices):
        AT_CHAIR = "at_chair", _("With the union chair")
        RETURNED = "returned", _("Returned by the union chair")
        FORWARDED = "forwarded", _("Forwarded to the federation")

    programme = models.ForeignKey(
        Programme, verbose_name=_("programme"), on_delete=models.PROTECT, related_name="member_applications"
    )
    member = models.ForeignKey(
        Member, verbose_name=_("member"), on_delete=models.PROTECT, related_name="own_aid_applications"
    )
    union = models.ForeignKey(
        GrassrootsUnion,
        verbose_name=_("grassroots union"),
        on_delete=models.PROTECT,
        related_name="member_aid_applications",
    )
    submitted_on = models.DateField(_("submitted on"))
    amount_requested = models.DecimalField(_("amount requested"), **MONEY)
    reason = models.TextField(_("reason"))
    child_name = models.CharField(_("child's name"), max_length=50, blank=True)
    child_id_number = models.CharField(_("child's ID number"), max_length=18, blank=True)
    school = models.CharField(_("university"), max_length=100, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.AT_CHAIR)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("reviewed by"),
    )
    reviewed_on = models.DateField(_("reviewed on"), null=True, blank=True)
    # What the member reads when the chair returns it; the chair's note to the federation is not shown to them.
    return_reason = models.TextField(_("reason for returning"), blank=True)
    chair_note = models.TextField(_("chair's note to the federation"), blank=True)
    application = models.OneToOneField(
        Application,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="member_application",
        verbose_name=_("aid application"),
    )
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))

    objects = MemberApplicationQuerySet.as_manager()

    class Meta:
        ordering = ["-submitted_on", "-pk"]
        verbose_name = _("member's aid application")
        verbose_name_plural = _("members' aid applications")
        constraints = [
            models.CheckConstraint(
                condition=Q(amount_requested__gt=0), name="member_application_amount_positive"
            ),
            # A form sent twice cannot leave two waiting at the chair.
            models.UniqueConstraint(
                fields=["programme", "member"],
                condition=Q(status="at_chair"),
                name="one_member_application_at_chair",
            ),
            models.CheckConstraint(
                condition=~Q(status="forwarded") | Q(application__isnull=False),
                name="forwarded_member_application_has_application",
            ),
        ]

    def __str__(self):
        return f"{self.programme} · #{self.pk}"

    def get_absolute_url(self):
        return reverse("aid:member_application_review", kwargs={"pk": self.pk})


def member_photo_path(photo: "MemberApplicationPhoto", filename: str) -> str:
    return f"aid/member_applications/{photo.request.submitted_on.year}/{random_name()}"


class MemberApplicationPhoto(models.Model):
    """A photo of a document taken on the member's phone (admission letter, hospital bill...)."""

    request = models.ForeignKey(
        MemberApplication, on_delete=models.CASCADE, related_name="photos", verbose_name=_("application")
    )
    upload = models.FileField(_("photo"), upload_to=member_photo_path)
    uploaded_at = models.DateTimeField(auto_now_add=True, verbose_name=_("uploaded at"))

    class Meta:
        ordering = ["request", "pk"]
        verbose_name = _("photo of a document")
        verbose_name_plural = _("photos of documents")

    def __str__(self):
        return f"{self.request} · {self.pk}"


# --- enterprise mutual-aid funds ----------------------------------------------------------------


class MutualAidFundQuerySet(ScopedQuerySet):
    owner_lookup = "enterprise__union__chair"


class MutualAidFund(models.Model):
    """An enterprise's three-party mutual-aid fund (enterprise, union and workers contribute)."""

    enterprise = models.OneToOneField(
        Enterprise, verbose_name=_("enterprise"), on_delete=models.PROTECT, related_name="mutual_aid_fund"
    )
    name = models.CharField(_("name"), max_length=100)
    established_on = models.DateField(_("established on"))
    rules = models.TextField(_("rules"), blank=True)

    objects = MutualAidFundQuerySet.as_manager()

    class Meta:
        ordering = ["enterprise__name"]
        verbose_name = _("mutual-aid fund")
        verbose_name_plural = _("mutual-aid funds")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("aid:mutual_fund_detail", kwargs={"pk": self.pk})


class MutualAidEntry(models.Model):
    """Money in or out of a mutual-aid fund. A claim is recorded as *proposed* and paid (counted
    in the balance) only once another person approves it (four eyes); contributions are paid
    when recorded."""

    class Kind(models.TextChoices):
        ENTERPRISE = "enterprise", _("Contribution from the enterprise")
        UNION = "union", _("Contribution from the union")
        WORKERS = "workers", _("Contributions from workers")
        CLAIM = "claim", _("Claim paid")

    class Status(models.TextChoices):
        PAID = "paid", _("Paid")
        PROPOSED = "proposed", _("Proposed, awaiting approval")
        DECLINED = "declined", _("Declined")

    fund = models.ForeignKey(
        MutualAidFund, on_delete=models.CASCADE, related_name="entries", verbose_name=_("fund")
    )
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    on = models.DateField(_("date"))
    amount = models.DecimalField(_("amount"), **MONEY, help_text=_("Always positive; a claim is paid out."))
    member = models.ForeignKey(
        Member, verbose_name=_("claimant"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    note = models.CharField(_("note"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PAID)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("approved by"),
    )

    class Meta:
        ordering = ["fund", "on", "pk"]
        verbose_name = _("mutual-aid entry")
        verbose_name_plural = _("mutual-aid entries")
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="mutual_aid_amount_positive")]

    def __str__(self):
        return f"{self.fund} {self.on} {self.get_kind_display()} {self.amount}"


# --- return-home tickets ------------------------------------------------------------------------


class TicketCampaign(models.Model):
    """A Spring Festival return-home campaign: its budget, its seats by means of travel, its dates."""

    year = models.PositiveSmallIntegerField(_("year"))
    name = models.CharField(_("name"), max_length=100)
    budget = models.DecimalField(_("budget"), **MONEY)
    opens_on = models.DateField(_("applications from"))
    closes_on = models.DateField(_("applications until"))
    travel_from = models.DateField(_("travel from"))
    travel_until = models.DateField(_("travel until"))

    class Meta:
        ordering = ["-year", "name"]
        verbose_name = _("return-home campaign")
        verbose_name_plural = _("return-home campaigns")
        constraints = [models.UniqueConstraint(fields=["year", "name"], name="one_campaign_name_per_year")]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("aid:campaign_detail", kwargs={"pk": self.pk})


class TicketType(models.Model):
    class Mode(models.TextChoices):
        AIR = "air", _("Air")
        TRAIN = "train", _("Train")
        COACH = "coach", _("Coach")

    campaign = models.ForeignKey(
        TicketCampaign, on_delete=models.CASCADE, related_name="ticket_types", verbose_name=_("campaign")
    )
    mode = models.CharField(_("means of travel"), max_length=8, choices=Mode.choices)
    seats = models.PositiveIntegerField(_("seats"))
    average_price = models.DecimalField(_("average price"), **MONEY)

    class Meta:
        ordering = ["campaign", "mode"]
        verbose_name = _("ticket type")
        verbose_name_plural = _("ticket types")
        constraints = [models.UniqueConstraint(fields=["campaign", "mode"], name="one_ticket_type_per_mode")]

    def __str__(self):
        return f"{self.campaign} {self.get_mode_display()}"


class TicketApplicationQuerySet(ScopedQuerySet):
    owner_lookup = "union__chair"


class TicketApplication(models.Model):
    class Priority(models.TextChoices):
        HARDSHIP = "hardship", _("Worker in hardship")
        OUTSTANDING = "outstanding", _("Outstanding employee")
        OTHER = "other", _("Other migrant worker")

    class Status(models.TextChoices):
        SUBMITTED = "submitted", pgettext_lazy("request status", "Submitted")
        ALLOCATED = "allocated", _("Seat allocated")
        ISSUED = "issued", _("Ticket issued")
        DECLINED = "declined", _("Declined")
        WITHDRAWN = "withdrawn", pgettext_lazy("request status", "Withdrawn")

    campaign = models.ForeignKey(
        TicketCampaign, verbose_name=_("campaign"), on_delete=models.PROTECT, related_name="applications"
    )
    ticket_type = models.ForeignKey(
        TicketType, verbose_name=_("ticket"), on_delete=models.PROTECT, related_name="applications"
    )
    member = models.ForeignKey(
        Member, verbose_name=_("worker"), on_delete=models.PROTECT, related_name="ticket_applications"
    )
    union = models.ForeignKey(
        GrassrootsUnion,
        verbose_name=_("grassroots union"),
        on_delete=models.PROTECT,
        related_name="ticket_applications",
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("submitted by"),
    )
    submitted_on = models.DateField(_("submitted on"))
    priority = models.CharField(_("priority"), max_length=12, choices=Priority.choices)
    destination = models.CharField(_("destination"), max_length=100)
    travel_on = models.DateField(_("travel date"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.SUBMITTED)
    price = models.DecimalField(_("ticket price"), null=True, blank=True, **MONEY)
    ticket_number = models.CharField(_("ticket number"), max_length=40, blank=True)
    issued_on = models.DateField(_("issued on"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("decided by"),
    )

    objects = TicketApplicationQuerySet.as_manager()

    class Meta:
        ordering = ["campaign", "priority", "submitted_on", "pk"]
        verbose_name = _("ticket application")
        verbose_name_plural = _("ticket applications")
        constraints = [
            # One application per worker and campaign (a double-submitted form cannot make two).
            models.UniqueConstraint(
                fields=["campaign", "member"],
                condition=~Q(status="withdrawn"),
                name="one_ticket_per_worker_and_campaign",
            ),
        ]

    def __str__(self):
        return f"{self.campaign} · {self.member}"


# --- school places for migrant workers' children (子女入学) -----------------------------------------


class SchoolGrade(models.TextChoices):
    """The grade a child applies for; ``aid.services.school_places.ENTRY_AGE`` gives the age each expects on
    31 August of the school year."""

    KINDERGARTEN_1 = "k1", _("Kindergarten, junior class (小班)")
    KINDERGARTEN_2 = "k2", _("Kindergarten, middle class (中班)")
    KINDERGARTEN_3 = "k3", _("Kindergarten, senior class (大班)")
    PRIMARY_1 = "p1", _("Primary grade 1")
    PRIMARY_2 = "p2", _("Primary grade 2")
    PRIMARY_3 = "p3", _("Primary grade 3")
    PRIMARY_4 = "p4", _("Primary grade 4")
    PRIMARY_5 = "p5", _("Primary grade 5")
    PRIMARY_6 = "p6", _("Primary grade 6")
    JUNIOR_1 = "j1", _("Junior high grade 1")
    JUNIOR_2 = "j2", _("Junior high grade 2")
    JUNIOR_3 = "j3", _("Junior high grade 3")


class SchoolPlaceRequestQuerySet(ScopedQuerySet):
    """A child's data is a minor's personal information: staff with the aid duty and the chair of the
    request's union see it (the union's current chair, whoever submitted it); nobody else, not even
    other staff."""

    owner_lookup = "union__chair"
    staff_permission = "aid.view_schoolplacerequest"


class SchoolPlaceRequest(models.Model):
    """A chair's request for help finding a school place for a member's child, tracked through
    checked → sent to the education bureau → placed (with the school) or not placed (with why)."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", pgettext_lazy("request status", "Submitted")
        CHECKED = "checked", _("Checked")
        SENT = "sent", _("Sent to the education bureau")
        PLACED = "placed", _("Placed")
        NOT_PLACED = "not_placed", _("Not placed")
        WITHDRAWN = "withdrawn", pgettext_lazy("request status", "Withdrawn")

    OPEN_STATUSES = (Status.SUBMITTED, Status.CHECKED, Status.SENT)

    class Sex(models.TextChoices):
        MALE = "M", _("Male")
        FEMALE = "F", _("Female")

    school_year = models.PositiveSmallIntegerField(
        _("school year"), help_text=_("The year school starts, e.g. 2026 for September 2026.")
    )
    union = models.ForeignKey(
        GrassrootsUnion,
        verbose_name=_("grassroots union"),
        on_delete=models.PROTECT,
        related_name="school_place_requests",
    )
    member = models.ForeignKey(
        Member,
        verbose_name=_("member (parent)"),
        on_delete=models.PROTECT,
        related_name="school_place_requests",
    )
    child_name = models.CharField(_("child's name"), max_length=50)
    child_birth_date = models.DateField(_("child's birth date"))
    child_sex = models.CharField(_("child's sex"), max_length=1, choices=Sex.choices)
    grade = models.CharField(_("grade applying for"), max_length=4, choices=SchoolGrade.choices)
    has_residence_permit = models.BooleanField(_("holds a residence permit (居住证)"), default=False)
    residence_permit_since = models.DateField(_("residence permit since"), null=True, blank=True)
    social_insurance_months = models.PositiveSmallIntegerField(
        _("months of social insurance paid here"), default=0
    )
    preferred_district = models.CharField(_("preferred school district"), max_length=100)
    note = models.TextField(_("note"), blank=True)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.SUBMITTED)
    school = models.CharField(_("school placed at"), max_length=100, blank=True)
    outcome_reason = models.TextField(_("reason"), blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("submitted by"),
    )
    submitted_on = models.DateField(_("submitted on"))
    checked_on = models.DateField(_("checked on"), null=True, blank=True)
    sent_on = models.DateField(_("sent to the bureau on"), null=True, blank=True)
    decided_on = models.DateField(_("outcome on"), null=True, blank=True)

    objects = SchoolPlaceRequestQuerySet.as_manager()

    class Meta:
        ordering = ["-school_year", "-submitted_on", "-pk"]
        verbose_name = _("school-place request")
        verbose_name_plural = _("school-place requests")
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="placed") | ~Q(school=""), name="school_place_placed_has_school"
            ),
            models.UniqueConstraint(
                fields=["school_year", "member", "child_name"],
                condition=~Q(status="withdrawn"),
                name="school_place_once_per_child_year",
            ),
        ]

    def __str__(self):
        # Never the child's name: this is what the audit trail records as the object's label.
        return f"{self.school_year} · #{self.pk}"

    def get_absolute_url(self):
        return reverse("aid:school_request_detail", kwargs={"pk": self.pk})


def school_document_path(document: "SchoolPlaceDocument", filename: str) -> str:
    return f"school_places/{document.request.school_year}/{document.request_id}/{random_name()}"


class SchoolPlaceDocument(models.Model):
    class Kind(models.TextChoices):
        HOUSEHOLD_REGISTER = "household_register", _("Household register (户口簿)")
        BIRTH_CERTIFICATE = "birth_certificate", _("Birth certificate")
        RESIDENCE_PERMIT = "residence_permit", _("Residence permit (居住证)")
        SOCIAL_INSURANCE = "social_insurance", _("Social-insurance payment record")
        EMPLOYMENT = "employment", _("Proof of employment")
        OTHER = "other", _("Other")

    # What every request must carry; the rest help.
    REQUIRED = (Kind.HOUSEHOLD_REGISTER, Kind.BIRTH_CERTIFICATE, Kind.RESIDENCE_PERMIT, Kind.SOCIAL_INSURANCE)

    request = models.ForeignKey(
        SchoolPlaceRequest,
        on_delete=models.CASCADE,
        related_name="documents",
        verbose_name=_("school-place request"),
    )
    kind = models.CharField(_("document"), max_length=24, choices=Kind.choices)
    upload = models.FileField(_("file"), upload_to=school_document_path)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    uploaded_at = models.DateTimeField(auto_now_add=True, verbose_name=_("uploaded at"))

    class Meta:
        ordering = ["request", "kind", "pk"]
        verbose_name = _("school-place document")
        verbose_name_plural = _("school-place documents")

    def __str__(self):
        return self.get_kind_display()


class EnrolmentDeadline(models.Model):
    """A date in a school year's enrolment calendar (the bureau's registration window closing, the
    document check, the placement list); chairs with open requests and aid staff are reminded
    ``remind_days_before`` days ahead."""

    school_year = models.PositiveSmallIntegerField(_("school year"))
    title = models.CharField(_("what is due"), max_length=100)
    due_on = models.DateField(_("due on"))
    remind_days_before = models.PositiveSmallIntegerField(_("remind this many days before"), default=7)

    class Meta:
        ordering = ["due_on", "pk"]
        verbose_name = _("enrolment deadline")
        verbose_name_plural = _("enrolment deadlines")
        constraints = [
            models.UniqueConstraint(fields=["school_year", "title"], name="enrolment_deadline_unique")
        ]

    def __str__(self):
        return f"{self.school_year} {self.title}"
