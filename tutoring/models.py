"""Weekend and summer tutoring classes for workers' children (周末、暑期托教辅导班): a class hosted by an
enterprise union with the federation's support, its teachers and volunteers, its timetable of sessions, the
children enrolled by their guardians (members) with the guardian's consent, and attendance per session.

A child's details are a minor's personal information: only the hosting union's chair and federation staff
with the aid duty see them (``Enrolment.objects.visible_to``); everybody else sees counts. The guardian sees
their own children's enrolments in the member area."""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from members.models import Enterprise, GrassrootsUnion, Member
from unionhub.access import ScopedQuerySet

MONEY = {"max_digits": 14, "decimal_places": 2}
# The permission that makes a member of staff see every class's children: granted to the aid duty only.
CHILDREN_PERMISSION = "tutoring.view_enrolment"


def age_on(birth_date: datetime.date, day: datetime.date) -> int:
    """Full years on ``day`` (a child born on 29 February turns a year older on 1 March in common years)."""
    return day.year - birth_date.year - ((day.month, day.day) < (birth_date.month, birth_date.day))


class ClassQuerySet(ScopedQuerySet):
    """Staff see every class (its title, dates and counts, never its children); a chair their union's."""

    owner_lookup = "union__chair"

    def in_year(self, year: int):
        return self.filter(starts_on__year=year)

    def running(self):
        return self.filter(status__in=TutoringClass.RUNNING)


class TutoringClass(models.Model):
    class Kind(models.TextChoices):
        WEEKEND = "weekend", _("Weekend class")
        SUMMER = "summer", _("Summer class")

    class Status(models.TextChoices):
        DRAFT = "draft", pgettext_lazy("tutoring class status", "Draft")
        OPEN = "open", _("Open for enrolment")
        CLOSED = "closed", _("Enrolment closed")
        FINISHED = "finished", pgettext_lazy("tutoring class status", "Finished")
        CANCELLED = "cancelled", pgettext_lazy("tutoring class status", "Cancelled")

    # The class takes place: its sessions are held and attendance taken.
    RUNNING = (Status.OPEN, Status.CLOSED, Status.FINISHED)
    # Enrolments still change: a child may be withdrawn and a place handed on.
    LIVE = (Status.DRAFT, Status.OPEN, Status.CLOSED)

    union = models.ForeignKey(
        GrassrootsUnion,
        verbose_name=_("hosting union"),
        on_delete=models.PROTECT,
        related_name="tutoring_classes",
    )
    enterprise = models.ForeignKey(
        Enterprise,
        verbose_name=_("hosting enterprise"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="tutoring_classes",
    )
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=200)
    subjects = models.CharField(_("subjects"), max_length=200, blank=True)
    description = models.TextField(_("description"), blank=True)
    support = models.TextField(_("the federation's support"), blank=True)
    subsidy = models.DecimalField(_("federation subsidy (yuan)"), null=True, blank=True, **MONEY)
    min_age = models.PositiveSmallIntegerField(_("children from age"))
    max_age = models.PositiveSmallIntegerField(_("children up to age"))
    capacity = models.PositiveIntegerField(_("places"))
    starts_on = models.DateField(_("first day"))
    ends_on = models.DateField(_("last day"))
    place = models.CharField(_("place"), max_length=200)
    open_to_district = models.BooleanField(
        _("open to members of every union in the district"),
        default=False,
        help_text=_("Otherwise only members of the hosting union may enrol their children."),
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    submitted_at = models.DateTimeField(_("submitted for approval"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("approved by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    cancel_reason = models.CharField(_("why cancelled"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = ClassQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_on", "pk"]
        verbose_name = _("tutoring class")
        verbose_name_plural = _("tutoring classes")
        permissions = [("approve_tutoringclass", _("Can approve and run any tutoring class"))]
        indexes = [models.Index(fields=["union", "starts_on"], name="tutoring_class_union_day_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")), name="tutoring_ends_after_start"
            ),
            models.CheckConstraint(condition=Q(capacity__gte=1), name="tutoring_has_places"),
            models.CheckConstraint(condition=Q(max_age__gte=F("min_age")), name="tutoring_age_range"),
            models.CheckConstraint(
                condition=Q(subsidy__isnull=True) | Q(subsidy__gte=0), name="tutoring_subsidy_not_negative"
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("tutoring:class_detail", kwargs={"pk": self.pk})

    @property
    def waiting_approval(self) -> bool:
        return self.status == self.Status.DRAFT and self.submitted_at is not None

    @property
    def editable(self) -> bool:
        return self.status in self.LIVE


class Tutor(models.Model):
    """A teacher or volunteer of a class. The phone is shown masked in every list."""

    class Role(models.TextChoices):
        TEACHER = "teacher", _("Teacher")
        VOLUNTEER = "volunteer", _("Volunteer")

    tutoring_class = models.ForeignKey(
        TutoringClass, verbose_name=_("class"), on_delete=models.CASCADE, related_name="tutors"
    )
    name = models.CharField(_("name"), max_length=50)
    role = models.CharField(_("role"), max_length=10, choices=Role.choices, default=Role.TEACHER)
    phone = models.CharField(_("mobile"), max_length=11, blank=True)

    class Meta:
        ordering = ["tutoring_class", "role", "name", "pk"]
        verbose_name = _("tutor")
        verbose_name_plural = _("tutors")

    def __str__(self):
        return self.name


class SessionQuerySet(models.QuerySet):
    def untaken(self, day: datetime.date):
        """Sessions of a running class, on or before ``day``, whose attendance nobody has taken."""
        return self.filter(
            date__lte=day,
            attendance_taken_at__isnull=True,
            tutoring_class__status__in=TutoringClass.RUNNING,
        )


class Session(models.Model):
    """One meeting of a class on the timetable."""

    tutoring_class = models.ForeignKey(
        TutoringClass, verbose_name=_("class"), on_delete=models.CASCADE, related_name="sessions"
    )
    date = models.DateField(_("date"))
    starts_at = models.TimeField(_("from"))
    ends_at = models.TimeField(_("until"))
    topic = models.CharField(_("topic"), max_length=200, blank=True)
    tutor = models.ForeignKey(
        Tutor,
        verbose_name=_("tutor"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="sessions",
    )
    attendance_taken_at = models.DateTimeField(_("attendance taken at"), null=True, blank=True)
    attendance_taken_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("attendance taken by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = SessionQuerySet.as_manager()

    class Meta:
        ordering = ["tutoring_class", "date", "starts_at", "pk"]
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="tutoring_session_ends_after"
            ),
            models.UniqueConstraint(
                fields=["tutoring_class", "date", "starts_at"], name="tutoring_one_session_per_slot"
            ),
        ]
        indexes = [models.Index(fields=["date"], name="tutoring_session_day_idx")]

    def __str__(self):
        return f"{self.date:%Y-%m-%d} {self.starts_at:%H:%M}"

    def get_absolute_url(self):
        return reverse("tutoring:attendance", kwargs={"pk": self.pk})


class EnrolmentQuerySet(ScopedQuerySet):
    """A minor's personal information: staff with the aid duty and the hosting union's current chair see it;
    nobody else, not even other staff."""

    owner_lookup = "tutoring_class__union__chair"
    staff_permission = CHILDREN_PERMISSION

    def live(self):
        return self.filter(status__in=Enrolment.LIVE)

    def confirmed(self):
        return self.filter(status=Enrolment.Status.CONFIRMED)


class Enrolment(models.Model):
    """A child's place in a class, or on its waiting list. The member is the guardian, whose consent (to the
    text shown, kept with the row) is recorded with its time."""

    class Status(models.TextChoices):
        CONFIRMED = "confirmed", _("Place confirmed")
        WAITING = "waiting", _("On the waiting list")
        WITHDRAWN = "withdrawn", pgettext_lazy("enrolment status", "Withdrawn")

    LIVE = (Status.CONFIRMED, Status.WAITING)

    tutoring_class = models.ForeignKey(
        TutoringClass, verbose_name=_("class"), on_delete=models.CASCADE, related_name="enrolments"
    )
    member = models.ForeignKey(
        Member, verbose_name=_("guardian"), on_delete=models.PROTECT, related_name="tutoring_enrolments"
    )
    child_name = models.CharField(_("child's name"), max_length=50)
    child_birth_date = models.DateField(_("child's birth date"))
    guardian_consent_on = models.DateTimeField(_("guardian's consent given"))
    consent_text = models.TextField(_("consent given to"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices)
    position = models.PositiveIntegerField(_("waiting-list position"), null=True, blank=True)
    enrolled_at = models.DateTimeField(_("enrolled at"), auto_now_add=True)
    enrolled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("enrolled by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)

    objects = EnrolmentQuerySet.as_manager()

    class Meta:
        ordering = ["tutoring_class", "status", "position", "enrolled_at", "pk"]
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")
        permissions = [("export_enrolment", _("Can export the children of a tutoring class"))]
        constraints = [
            # One live enrolment per child and class: a form posted twice makes one.
            models.UniqueConstraint(
                fields=["tutoring_class", "member", "child_name"],
                condition=~Q(status="withdrawn"),
                name="tutoring_one_enrolment_per_child",
            ),
        ]

    def __str__(self):
        return f"{self.tutoring_class} · {self.child_name}"


class Attendance(models.Model):
    """Whether a child was present at a session; marking again corrects the row."""

    session = models.ForeignKey(
        Session, verbose_name=_("session"), on_delete=models.CASCADE, related_name="attendance"
    )
    enrolment = models.ForeignKey(
        Enrolment, verbose_name=_("enrolment"), on_delete=models.CASCADE, related_name="attendance"
    )
    present = models.BooleanField(_("present"))
    marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("marked by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    marked_at = models.DateTimeField(_("marked at"))

    class Meta:
        ordering = ["session", "enrolment"]
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        constraints = [
            models.UniqueConstraint(fields=["session", "enrolment"], name="tutoring_one_mark_per_child"),
        ]

    def __str__(self):
        return f"{self.session} · {self.enrolment.child_name}"
