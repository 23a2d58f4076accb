"""Secondment (上挂锻炼): chairs nominate young union cadres, staff approve, each approved cadre
serves a one-year term at the federation, on duty one working day in every two-week cycle, logs
what they did, is assessed mid-term and at the end, is trained, and receives a certificate.

The rules (age limit, education, term length, cycle, log window, grading) live in
``secondment.rules``; this module is the data."""

import datetime
import secrets

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from members.models import Member
from unionhub.access import ScopedQuerySet
from unionhub.masking import mask_phone
from unionhub.storage import random_name

from .rules import rules


def _token() -> str:
    return secrets.token_urlsafe(24)


class UnionPost(models.TextChoices):
    CHAIR = "chair", _("Union chair")
    VICE_CHAIR = "vice_chair", _("Union vice-chair")
    COMMITTEE_MEMBER = "committee_member", _("Union committee member")


class NominationQuerySet(ScopedQuerySet):
    owner_lookup = "union__chair"


class Nomination(models.Model):
    """A chair's nomination of a cadre of their own union. Refused on submission when a rule fails;
    staff approve it (which creates the term) or return it with a reason."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Awaiting review")
        APPROVED = "approved", _("Approved")
        RETURNED = "returned", _("Returned")
        WITHDRAWN = "withdrawn", pgettext_lazy("request status", "Withdrawn")

    union = models.ForeignKey(
        "members.GrassrootsUnion",
        verbose_name=_("grassroots union"),
        on_delete=models.PROTECT,
        related_name="nominations",
    )
    member = models.ForeignKey(
        Member, verbose_name=_("nominee"), on_delete=models.PROTECT, related_name="nominations"
    )
    union_post = models.CharField(_("union post"), max_length=20, choices=UnionPost.choices)
    education = models.CharField(_("education"), max_length=20, choices=Member.Education.choices)
    recommendation = models.TextField(
        _("recommendation"), help_text=_("Why this cadre, and their commitment to union work.")
    )
    phone = models.CharField(_("mobile"), max_length=20, help_text=_("The cadre's login name once approved."))
    start_date = models.DateField(_("proposed start date"))
    nominated_on = models.DateField(_("nomination date"))
    nominated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("nominated by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.SUBMITTED)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_note = models.TextField(_("reason"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = NominationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("nomination")
        verbose_name_plural = _("nominations")
        constraints = [
            # One open nomination per person: a double-submitted form cannot create two.
            models.UniqueConstraint(
                fields=["member"], condition=Q(status="submitted"), name="one_open_nomination_per_member"
            ),
        ]

    def __str__(self):
        return f"{self.member.name} ({self.union.code})"

    def get_absolute_url(self):
        return reverse("secondment:nomination_detail", kwargs={"pk": self.pk})

    @property
    def masked_phone(self) -> str:
        return mask_phone(self.phone)


class SecondmentTermQuerySet(ScopedQuerySet):
    owner_lookup = "cadre"

    def active_on(self, day: datetime.date):
        return self.filter(start_date__lte=day, end_date__gte=day, status=SecondmentTerm.Status.ACTIVE)

    def overlapping(self, start: datetime.date, end: datetime.date):
        return self.filter(start_date__lte=end, end_date__gte=start).exclude(
            status=SecondmentTerm.Status.ENDED_EARLY
        )


class SecondmentTerm(models.Model):
    """One year at the federation. ``end_date`` is the last day of the term (inclusive)."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        COMPLETED = "completed", _("Completed")
        ENDED_EARLY = "ended_early", _("Ended early")

    cadre = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("cadre"),
        on_delete=models.PROTECT,
        related_name="secondment_terms",
    )
    union = models.ForeignKey(
        "members.GrassrootsUnion",
        verbose_name=_("home union"),
        on_delete=models.PROTECT,
        related_name="secondment_terms",
    )
    member = models.ForeignKey(
        Member,
        verbose_name=_("member record"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="secondment_terms",
    )
    nomination = models.OneToOneField(
        Nomination,
        verbose_name=_("nomination"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="term",
    )
    union_post = models.CharField(_("union post"), max_length=20, choices=UnionPost.choices, blank=True)
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"))
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.ACTIVE)
    # Outcomes recorded at assessment (the federation reports them).
    recommended_for_party = models.BooleanField(_("recommended for party membership"), default=False)
    joined_committee = models.BooleanField(_("joined the federation committee"), default=False)
    hired_full_time = models.BooleanField(_("hired as full-time staff"), default=False)
    # The cadre's calendar feed (.ics): an unguessable URL, replaceable if it leaks.
    feed_token = models.CharField(
        max_length=40, unique=True, default=_token, editable=False, verbose_name=_("feed token")
    )

    objects = SecondmentTermQuerySet.as_manager()

    class Meta:
        ordering = ["-start_date", "pk"]
        verbose_name = _("secondment term")
        verbose_name_plural = _("secondment terms")
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gt=F("start_date")), name="secondment_ends_after_start"
            ),
        ]

    def __str__(self):
        return f"{self.cadre} {self.start_date}–{self.end_date}"

    def get_absolute_url(self):
        return reverse("secondment:term_detail", kwargs={"pk": self.pk})

    def is_active_on(self, day: datetime.date) -> bool:
        return self.status == self.Status.ACTIVE and self.start_date <= day <= self.end_date


class Unavailability(models.Model):
    """A date the cadre declared they cannot come (the rota avoids it)."""

    term = models.ForeignKey(
        SecondmentTerm, on_delete=models.CASCADE, related_name="unavailable_dates", verbose_name=_("term")
    )
    date = models.DateField(_("date"))
    reason = models.CharField(_("reason"), max_length=200, blank=True)

    class Meta:
        ordering = ["date"]
        verbose_name = _("unavailable date")
        verbose_name_plural = _("unavailable dates")
        constraints = [models.UniqueConstraint(fields=["term", "date"], name="one_unavailability_per_day")]

    def __str__(self):
        return f"{self.term.cadre} {self.date}"


class DutyDayQuerySet(ScopedQuerySet):
    owner_lookup = "term__cadre"


class DutyDay(models.Model):
    """One cadre's duty day. ``cycle_start`` is the first day of the two-week cycle it belongs to
    (cycles are counted from ``rules.cycle_anchor``); the database holds one per term and cycle."""

    class Origin(models.TextChoices):
        ROTA = "rota", _("Rota")
        SWAP = "swap", _("Swap")
        MOVE = "move", _("Moved")

    term = models.ForeignKey(
        SecondmentTerm, verbose_name=_("term"), on_delete=models.CASCADE, related_name="duty_days"
    )
    date = models.DateField(_("duty date"), db_index=True)
    cycle_start = models.DateField(_("cycle start"))
    origin = models.CharField(_("origin"), max_length=8, choices=Origin.choices, default=Origin.ROTA)
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))

    objects = DutyDayQuerySet.as_manager()

    class Meta:
        ordering = ["date", "term_id"]
        verbose_name = _("duty day")
        verbose_name_plural = _("duty days")
        constraints = [
            models.UniqueConstraint(fields=["term", "date"], name="one_duty_per_term_and_day"),
            models.UniqueConstraint(fields=["term", "cycle_start"], name="one_duty_per_term_and_cycle"),
        ]

    def __str__(self):
        return f"{self.term.cadre} {self.date}"

    @property
    def log_deadline(self) -> datetime.date:
        """The last day on which the cadre may log this day themselves (``rules.log_window_days``)."""
        return self.date + datetime.timedelta(days=rules().log_window_days)

    def window_passed(self, today: datetime.date) -> bool:
        return today > self.log_deadline


class DutyLogQuerySet(ScopedQuerySet):
    owner_lookup = "duty_day__term__cadre"


class DutyLog(models.Model):
    """What a cadre did on a duty day, recorded by them and confirmed by staff."""

    class Activity(models.TextChoices):
        LABOUR_RELATIONS = "labour_relations", _("Labour-relations coordination")
        GRIEVANCE_INTAKE = "grievance_intake", _("Grievance intake")
        SKILLS_CONTEST = "skills_contest", _("Skills contest")
        CULTURAL_ACTIVITY = "cultural_activity", _("Cultural activity")
        OFFICE_DUTY = "office_duty", _("Office duty")
        OTHER = "other", _("Other")

    class Status(models.TextChoices):
        PENDING = "pending", _("Awaiting confirmation")
        CONFIRMED = "confirmed", _("Confirmed")
        REJECTED = "rejected", _("Not accepted")

    duty_day = models.OneToOneField(
        DutyDay, verbose_name=_("duty day"), on_delete=models.PROTECT, related_name="log"
    )
    arrived_at = models.TimeField(_("arrived"))
    left_at = models.TimeField(_("left"))
    activities = models.JSONField(_("what was done"), default=list)
    notes = models.TextField(_("notes"), blank=True)
    logged_at = models.DateTimeField(_("logged"), auto_now_add=True)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.PENDING)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("reviewed by"),
    )
    reviewed_at = models.DateTimeField(null=True, blank=True, verbose_name=_("reviewed at"))
    review_note = models.CharField(_("staff note"), max_length=200, blank=True)

    objects = DutyLogQuerySet.as_manager()

    class Meta:
        ordering = ["-duty_day__date"]
        verbose_name = _("duty log")
        verbose_name_plural = _("duty logs")
        constraints = [
            models.CheckConstraint(
                condition=Q(left_at__gt=F("arrived_at")), name="duty_log_leaves_after_arriving"
            )
        ]

    def __str__(self):
        return str(self.duty_day)

    def activity_labels(self) -> list[str]:
        labels = dict(self.Activity.choices)
        return [str(labels.get(a, a)) for a in self.activities]


class SwapRequestQuerySet(ScopedQuerySet):
    owner_lookup = "duty_day__term__cadre"

    def involving(self, user):
        return self.filter(Q(duty_day__term__cadre=user) | Q(other_day__term__cadre=user))


class SwapRequest(models.Model):
    """A cadre proposes to swap their duty day with another cadre's (the other cadre, or staff,
    accepts) or to move it to another working day of the same cycle (staff accept)."""

    class Kind(models.TextChoices):
        SWAP = "swap", _("Swap with another cadre")
        MOVE = "move", _("Move to another day")

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Proposed")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")
        CANCELLED = "cancelled", _("Cancelled")

    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices)
    duty_day = models.ForeignKey(
        DutyDay, verbose_name=_("duty day"), on_delete=models.CASCADE, related_name="swap_requests"
    )
    other_day = models.ForeignKey(
        DutyDay,
        verbose_name=_("the other cadre's day"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="swap_offers",
    )
    target_date = models.DateField(_("new date"), null=True, blank=True)
    reason = models.CharField(_("reason"), max_length=200, blank=True)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("proposed by"),
    )
    proposed_at = models.DateTimeField(auto_now_add=True, verbose_name=_("proposed at"))
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.PROPOSED)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(null=True, blank=True, verbose_name=_("decided at"))

    objects = SwapRequestQuerySet.as_manager()

    class Meta:
        ordering = ["-proposed_at"]
        verbose_name = _("swap request")
        verbose_name_plural = _("swap requests")

    def __str__(self):
        return f"{self.get_kind_display()} {self.duty_day}"


class Assessment(models.Model):
    """A mid-term or end-of-term score sheet (the 2013 assessment rules): attendance from the rota
    and the logs, tasks done and the staff's evaluation give a score and a grade (``rules.grade``)."""

    class Kind(models.TextChoices):
        MID = "mid", _("Mid-term")
        END = "end", _("End of term")

    class Grade(models.TextChoices):
        EXCELLENT = "excellent", _("Excellent")
        PASS = "pass", _("Pass")
        BASIC_PASS = "basic_pass", _("Basic pass")
        FAIL = "fail", _("Fail")

    term = models.ForeignKey(
        SecondmentTerm, verbose_name=_("term"), on_delete=models.CASCADE, related_name="assessments"
    )
    kind = models.CharField(_("assessment"), max_length=4, choices=Kind.choices)
    duty_days_due = models.PositiveIntegerField(_("duty days due"))
    duty_days_attended = models.PositiveIntegerField(_("duty days attended"))
    attendance_rate = models.DecimalField(_("attendance rate (%)"), max_digits=5, decimal_places=1)
    tasks_score = models.PositiveSmallIntegerField(_("tasks score (0–100)"))
    evaluation_score = models.PositiveSmallIntegerField(_("staff evaluation (0–100)"))
    score = models.DecimalField(_("score"), max_digits=5, decimal_places=1)
    grade = models.CharField(_("grade"), max_length=12, choices=Grade.choices)
    comments = models.TextField(_("comments"), blank=True)
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("assessed by"),
    )
    assessed_on = models.DateField(_("assessed on"))

    class Meta:
        ordering = ["term", "kind"]
        verbose_name = _("assessment")
        verbose_name_plural = _("assessments")
        constraints = [
            models.UniqueConstraint(fields=["term", "kind"], name="one_assessment_per_term_and_kind"),
            models.CheckConstraint(
                condition=Q(tasks_score__lte=100) & Q(evaluation_score__lte=100),
                name="assessment_scores_at_most_100",
            ),
        ]

    def __str__(self):
        return f"{self.term} {self.get_kind_display()}"


class Course(models.Model):
    class Track(models.TextChoices):
        ROTATION = "rotation", _("Rotation training")
        SPECIALIST = "specialist", _("Specialist training")
        CENTRAL = "central", _("Central training")
        INDUCTION = "induction", _("New-chair induction")

    title = models.CharField(_("title"), max_length=200)
    track = models.CharField(_("track"), max_length=12, choices=Track.choices)
    provider = models.CharField(_("provider"), max_length=200)
    starts_on = models.DateField(_("starts"))
    ends_on = models.DateField(_("ends"))
    hours = models.DecimalField(_("hours"), max_digits=5, decimal_places=1)
    location = models.CharField(_("location"), max_length=200, blank=True)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        ordering = ["-starts_on", "title"]
        verbose_name = _("training course")
        verbose_name_plural = _("training courses")
        constraints = [
            models.CheckConstraint(condition=Q(ends_on__gte=F("starts_on")), name="course_ends_after_start"),
            models.CheckConstraint(condition=Q(hours__gt=0), name="course_hours_positive"),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("secondment:course_detail", kwargs={"pk": self.pk})


class EnrolmentQuerySet(ScopedQuerySet):
    owner_lookup = "term__cadre"


class Enrolment(models.Model):
    """A cadre on a course; completed enrolments credit their hours to the cadre's ledger."""

    class Status(models.TextChoices):
        ENROLLED = "enrolled", _("Enrolled")
        COMPLETED = "completed", _("Completed")
        ABSENT = "absent", _("Did not attend")

    course = models.ForeignKey(
        Course, verbose_name=_("course"), on_delete=models.PROTECT, related_name="enrolments"
    )
    term = models.ForeignKey(
        SecondmentTerm, verbose_name=_("term"), on_delete=models.PROTECT, related_name="enrolments"
    )
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.ENROLLED)
    hours_credited = models.DecimalField(_("hours credited"), max_digits=5, decimal_places=1, default=0)

    objects = EnrolmentQuerySet.as_manager()

    class Meta:
        ordering = ["course", "term"]
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")
        constraints = [
            models.UniqueConstraint(fields=["course", "term"], name="one_enrolment_per_course_and_term")
        ]

    def __str__(self):
        return f"{self.course} {self.term.cadre}"


def certificate_path(certificate: "Certificate", filename: str) -> str:
    """certificates/<year of issue>/<number>.pdf: the file sits with its year, whenever rendered."""
    return f"certificates/{certificate.issued_on.year}/{random_name()}"


class CertificateQuerySet(ScopedQuerySet):
    owner_lookup = "term__cadre"


class Certificate(models.Model):
    """A completion certificate. ``number`` is printed on it; ``token`` makes the verification link."""

    term = models.OneToOneField(
        SecondmentTerm, verbose_name=_("term"), on_delete=models.PROTECT, related_name="certificate"
    )
    number = models.CharField(_("certificate number"), max_length=32, unique=True)
    token = models.CharField(
        max_length=40, unique=True, default=_token, editable=False, verbose_name=_("token")
    )
    issued_on = models.DateField(_("issued on"))
    grade = models.CharField(_("grade"), max_length=12, choices=Assessment.Grade.choices, blank=True)
    pdf = models.FileField(_("PDF"), upload_to=certificate_path, blank=True)
    revoked = models.BooleanField(_("revoked"), default=False)
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))

    objects = CertificateQuerySet.as_manager()

    class Meta:
        ordering = ["-issued_on", "number"]
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")

    def __str__(self):
        return self.number

    def get_verify_url(self):
        return reverse("secondment:certificate_verify", kwargs={"token": self.token})


class LateEntryRequestQuerySet(ScopedQuerySet):
    owner_lookup = "duty_day__term__cadre"

    def pending(self):
        return self.filter(status=LateEntryRequest.Status.PENDING)

    def open_on(self, day: datetime.date):
        """Accepted requests whose late-entry window still runs on ``day``."""
        return self.filter(status=LateEntryRequest.Status.ACCEPTED, log_by__gte=day)


class LateEntryRequest(models.Model):
    """A cadre asks the staff to let them log a duty day whose logging window (``rules.log_window_days``)
    has passed. Accepted, the cadre may log the day until ``log_by``; refused, the staff say why."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Awaiting the staff")
        ACCEPTED = "accepted", _("Accepted")
        REFUSED = "refused", _("Refused")

    duty_day = models.ForeignKey(
        DutyDay, verbose_name=_("duty day"), on_delete=models.CASCADE, related_name="late_entry_requests"
    )
    reason = models.CharField(_("reason"), max_length=500)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.PENDING)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("requested by"),
    )
    requested_at = models.DateTimeField(_("requested"), auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_note = models.CharField(_("staff note"), max_length=200, blank=True)
    log_by = models.DateField(_("may be logged until"), null=True, blank=True)

    objects = LateEntryRequestQuerySet.as_manager()

    class Meta:
        ordering = ["-requested_at", "-pk"]
        verbose_name = _("late-entry request")
        verbose_name_plural = _("late-entry requests")
        constraints = [
            # A double-submitted form cannot leave two requests for one day waiting.
            models.UniqueConstraint(
                fields=["duty_day"], condition=Q(status="pending"), name="one_pending_late_entry_per_day"
            ),
        ]

    def __str__(self):
        return f"{self.duty_day} ({self.get_status_display()})"
