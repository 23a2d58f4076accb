"""Job-finding help (就业帮助), one of the service station's four mechanisms: enterprises post vacancies
through their union's chair, the casework staff approve them, the open ones are listed on the public page
``/jobs/``, and staff and seconded cadres refer workers to them — often a worker from a grievance case whose
job ended — and record each referral's outcome.

A vacancy goes submitted → approved (open until ``expires_on``) | returned with a reason (the chair edits and
submits again) → closed early (filled or withdrawn). Expiry is by date: an approved vacancy whose
``expires_on`` has passed is expired whatever its stored status says (``Vacancy.objects.open_on(day)``); the
daily ``expire_vacancies`` command only records it (status ``expired``) for the lists.

A referral goes referred → interviewed → hired | not hired, or referred → not hired."""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from members.models import MONEY
from unionhub.masking import mask_name, mask_phone

# A vacancy runs for at most this many days from its approval (or from the day it is extended).
MAX_RUN_DAYS = 90
DEFAULT_RUN_DAYS = 30
# Sane bounds of a monthly wage in yuan (a part-time post may pay less than the statutory minimum wage of a
# full month; nothing in the district's posts pays a worker more than the upper bound).
WAGE_MIN, WAGE_MAX = 500, 100_000
MAX_OPENINGS = 999


class Trade(models.TextChoices):
    """The trades the district's enterprises post most, for the public page's filter."""

    OPERATOR = "operator", _("Production-line operator")
    ELECTRICIAN = "electrician", _("Electrician")
    WELDER = "welder", _("Welder")
    CNC = "cnc", _("CNC operator")
    FORKLIFT = "forklift", _("Forklift driver")
    WAREHOUSE = "warehouse", _("Warehouse and logistics")
    INSPECTOR = "inspector", _("Quality inspector")
    MAINTENANCE = "maintenance", _("Equipment maintenance")
    ECOMMERCE = "ecommerce", _("E-commerce customer service")
    SALES = "sales", _("Sales")
    DRIVER = "driver", _("Driver")
    CATERING = "catering", _("Cook and catering")
    CLEANING = "cleaning", _("Cleaning and security")
    OFFICE = "office", _("Office and administration")
    TECHNICIAN = "technician", _("Technician and engineer")
    OTHER = "other", _("Other")


class VacancyQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The management pages' one door: casework staff (the station's job-finding help) see every vacancy;
        a union's chair the vacancies their union posted; a seconded cadre the vacancies that were approved
        (to refer workers to them and follow their referrals). Everyone else: none."""
        if not user.is_authenticated:
            return self.none()
        if user.is_federation_staff and user.has_perm("jobs.approve_vacancy"):
            return self
        mine = Q(union__chair=user)
        if user.is_seconded_cadre:
            mine |= Q(approved_on__isnull=False)
        return self.filter(mine)

    def open_on(self, day: datetime.date):
        """Approved, not closed, and not past ``expires_on`` on ``day``: what the public page lists and what
        a worker may be referred to."""
        return self.filter(status=Vacancy.Status.APPROVED, expires_on__gte=day)

    def expired_on(self, day: datetime.date):
        return self.filter(
            Q(status=Vacancy.Status.EXPIRED) | Q(status=Vacancy.Status.APPROVED, expires_on__lt=day)
        )


class Vacancy(models.Model):
    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Waiting for approval")
        RETURNED = "returned", _("Returned")
        APPROVED = "approved", _("Open")
        EXPIRED = "expired", _("Expired")
        CLOSED = "closed", _("Closed")

    class CloseReason(models.TextChoices):
        FILLED = "filled", _("Filled")
        WITHDRAWN = "withdrawn", _("Withdrawn by the employer")

    enterprise = models.ForeignKey(
        "members.Enterprise", verbose_name=_("enterprise"), on_delete=models.PROTECT, related_name="vacancies"
    )
    # The posting union (the enterprise's union when posted): its chair owns the post.
    union = models.ForeignKey(
        "members.GrassrootsUnion",
        verbose_name=_("posting union"),
        on_delete=models.PROTECT,
        related_name="vacancies",
    )
    posted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("posted by"), on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField(_("job title"), max_length=60)
    trade = models.CharField(_("trade"), max_length=16, choices=Trade.choices)
    openings = models.PositiveSmallIntegerField(_("openings"))
    wage_min = models.DecimalField(_("wage from (yuan a month)"), **MONEY)
    wage_max = models.DecimalField(_("wage up to (yuan a month)"), **MONEY)
    requirements = models.TextField(_("requirements and description"))
    area = models.ForeignKey(
        "members.Area",
        verbose_name=_("work place (grid area)"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="vacancies",
    )
    contact_name = models.CharField(_("contact person"), max_length=50)
    contact_phone = models.CharField(_("contact phone"), max_length=20)
    # What the employer chose to show on the public page. The wage and the enterprise's name are what draws
    # workers, so they are shown unless the employer says otherwise; the contact person and phone are a
    # person's data, so they stay private unless the employer says so (workers then ask the station).
    publish_wage = models.BooleanField(_("show the wage publicly"), default=True)
    publish_enterprise = models.BooleanField(_("show the enterprise's name publicly"), default=True)
    publish_contact_name = models.BooleanField(_("show the contact person publicly"), default=False)
    publish_contact_phone = models.BooleanField(_("show the contact phone publicly"), default=False)
    run_days = models.PositiveSmallIntegerField(_("run for (days)"), default=DEFAULT_RUN_DAYS)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.SUBMITTED)
    submitted_at = models.DateTimeField(_("submitted"))
    return_reason = models.TextField(_("reason for returning"), blank=True)
    approved_on = models.DateField(_("approved on"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("approved by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    expires_on = models.DateField(_("listed until"), null=True, blank=True)
    extended_on = models.DateField(_("last extended on"), null=True, blank=True)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    close_reason = models.CharField(_("why closed"), max_length=10, choices=CloseReason.choices, blank=True)

    objects = VacancyQuerySet.as_manager()

    class Meta:
        ordering = ["-submitted_at", "-pk"]
        verbose_name = _("vacancy")
        verbose_name_plural = _("vacancies")
        permissions = [("approve_vacancy", "Can approve and return vacancies")]
        indexes = [models.Index(fields=["status", "expires_on"], name="jobs_vacancy_open_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(wage_min__gte=0) & Q(wage_min__lte=models.F("wage_max")),
                name="jobs_vacancy_wage_range",
            ),
            models.CheckConstraint(
                condition=Q(openings__gte=1) & Q(openings__lte=MAX_OPENINGS), name="jobs_vacancy_openings"
            ),
            models.CheckConstraint(
                condition=Q(run_days__gte=1) & Q(run_days__lte=MAX_RUN_DAYS), name="jobs_vacancy_run_days"
            ),
            models.CheckConstraint(
                condition=Q(status__in=["submitted", "returned"])
                | Q(status="closed", closed_on__isnull=False)
                | Q(status__in=["approved", "expired"], approved_on__isnull=False, expires_on__isnull=False),
                name="jobs_vacancy_approved_has_dates",
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("jobs:vacancy_detail", kwargs={"pk": self.pk})

    def public_url(self):
        return reverse("jobs:public_detail", kwargs={"pk": self.pk})

    def is_open_on(self, day: datetime.date) -> bool:
        return self.status == self.Status.APPROVED and self.expires_on is not None and day <= self.expires_on

    def is_expired_on(self, day: datetime.date) -> bool:
        return self.status == self.Status.EXPIRED or (
            self.status == self.Status.APPROVED and self.expires_on is not None and day > self.expires_on
        )

    def state_on(self, day: datetime.date) -> str:
        """The status as of ``day``: an approved vacancy past its date reads as expired."""
        return self.Status.EXPIRED if self.is_expired_on(day) else self.status

    def state_label_on(self, day: datetime.date) -> str:
        return self.Status(self.state_on(day)).label

    @property
    def masked_contact_phone(self) -> str:
        return mask_phone(self.contact_phone)


class ReferralQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Casework staff see every referral; a cadre (or anyone) the referrals they made; a union's chair the
        referrals to their union's vacancies (the worker's name, the phone masked)."""
        if not user.is_authenticated:
            return self.none()
        if user.is_federation_staff and user.has_perm("jobs.view_referral"):
            return self
        return self.filter(Q(referred_by=user) | Q(vacancy__union__chair=user))

    def pending(self):
        return self.filter(status__in=(Referral.Status.REFERRED, Referral.Status.INTERVIEWED))


class Referral(models.Model):
    class Status(models.TextChoices):
        REFERRED = "referred", _("Referred")
        INTERVIEWED = "interviewed", _("Interviewed")
        HIRED = "hired", _("Hired")
        NOT_HIRED = "not_hired", _("Not hired")

    # From each status, where it may go (everything else is refused and writes nothing).
    MOVES = {
        Status.REFERRED: (Status.INTERVIEWED, Status.NOT_HIRED),
        Status.INTERVIEWED: (Status.HIRED, Status.NOT_HIRED),
        Status.HIRED: (),
        Status.NOT_HIRED: (),
    }

    vacancy = models.ForeignKey(
        Vacancy, verbose_name=_("vacancy"), on_delete=models.PROTECT, related_name="referrals"
    )
    worker_name = models.CharField(_("worker's name"), max_length=50)
    worker_phone = models.CharField(_("worker's phone"), max_length=20)
    member = models.ForeignKey(
        "members.Member",
        verbose_name=_("member record"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    case = models.ForeignKey(
        "grievances.Case",
        verbose_name=_("grievance case"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="job_referrals",
    )
    referred_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("referred by"), on_delete=models.PROTECT, related_name="+"
    )
    referred_on = models.DateField(_("referred on"))
    status = models.CharField(_("outcome"), max_length=12, choices=Status.choices, default=Status.REFERRED)
    interviewed_on = models.DateField(_("interviewed on"), null=True, blank=True)
    outcome_on = models.DateField(_("outcome on"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = ReferralQuerySet.as_manager()

    class Meta:
        ordering = ["-referred_on", "-pk"]
        verbose_name = _("referral")
        verbose_name_plural = _("referrals")
        indexes = [models.Index(fields=["referred_on"], name="jobs_referral_day_idx")]
        constraints = [
            # A worker is referred to a vacancy once: a double submit finds the first referral.
            models.UniqueConstraint(fields=["vacancy", "worker_phone"], name="jobs_referral_once_per_worker"),
            models.CheckConstraint(
                condition=Q(status__in=["referred", "interviewed"]) | Q(outcome_on__isnull=False),
                name="jobs_referral_outcome_has_date",
            ),
        ]

    def __str__(self):
        return f"{mask_name(self.worker_name)} → {self.vacancy}"

    def get_absolute_url(self):
        return reverse("jobs:referral_detail", kwargs={"pk": self.pk})

    @property
    def masked_phone(self) -> str:
        return mask_phone(self.worker_phone)

    @property
    def is_pending(self) -> bool:
        return self.status in (self.Status.REFERRED, self.Status.INTERVIEWED)

    def moves(self) -> tuple:
        return self.MOVES[self.Status(self.status)]
