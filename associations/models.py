"""Hobby associations (职工协会): each led by its own chair (会长负责制) under the federation's
guidance, with members, a yearly plan of at least ten activities, activities with sign-up, a waiting
list, check-in and attendance; the yearly cultural showcase; the summer camp for migrant workers'
children (小候鸟); the matchmaking association's private profiles."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from members.models import MONEY, GrassrootsUnion, Member
from unionhub.access import ScopedQuerySet, has_duty
from unionhub.storage import random_name


class AssociationQuerySet(ScopedQuerySet):
    owner_lookup = "chair"

    def managed_by(self, user):
        """The associations a user runs: staff with the organisation duty all; a chair or vice-chair
        their own (staff without the duty are treated like anybody else)."""
        if not user.is_authenticated:
            return self.none()
        if has_duty(user, "associations.change_association"):
            return self
        return self.filter(models.Q(chair=user) | models.Q(vice_chairs=user)).distinct()


class Association(models.Model):
    class Kind(models.TextChoices):
        SPORTS = "sports", _("Sports and fitness")
        ARTS = "arts", _("Arts and crafts")
        PERFORMANCE = "performance", _("Singing and dancing")
        GAMES = "games", _("Chess and cards")
        OUTDOORS = "outdoors", _("Outdoors")
        SOCIAL = "social", _("Social and matchmaking")

    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        DORMANT = "dormant", _("Dormant")

    class Joining(models.TextChoices):
        OPEN = "open", _("Open: members join at once")
        APPROVAL = "approval", _("The chair approves each member")

    name = models.CharField(_("name"), max_length=100, unique=True)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    description = models.TextField(_("description"), blank=True)
    chair = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=pgettext_lazy("association", "chair"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="chaired_associations",
    )
    vice_chairs = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("vice-chairs"),
        blank=True,
        related_name="vice_chaired_associations",
    )
    founded_on = models.DateField(_("founding date"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.ACTIVE)
    joining = models.CharField(_("joining"), max_length=10, choices=Joining.choices, default=Joining.APPROVAL)
    is_matchmaking = models.BooleanField(
        _("matchmaking association"),
        default=False,
        help_text=_("Members may keep a private profile only the chair sees."),
    )
    # Whom its managers may enrol on a member's behalf (``draws_from``): the members of these unions,
    # or of every union when it is district-wide. Neither set: nobody, until staff say.
    district_wide = models.BooleanField(
        _("draws from the whole district"),
        default=False,
        help_text=_("Its chair may enrol members of any union on their behalf."),
    )
    unions = models.ManyToManyField(
        GrassrootsUnion,
        verbose_name=_("unions it draws from"),
        blank=True,
        related_name="associations",
        help_text=_(
            "Its chair may enrol members of these unions on their behalf. Members of any union may still "
            "ask to join themselves."
        ),
    )

    objects = AssociationQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("association")
        verbose_name_plural = _("associations")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("associations:association_detail", kwargs={"pk": self.pk})

    def draws_from(self, member: Member) -> bool:
        """Whether its managers may enrol ``member`` on their behalf."""
        return self.district_wide or self.unions.filter(pk=member.union_id).exists()


class AssociationMember(models.Model):
    """A district member's membership of an association (a member can belong to several)."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Awaiting the chair's approval")
        ACTIVE = "active", _("Member")
        LEFT = "left", pgettext_lazy("association", "Left")
        REFUSED = "refused", _("Not admitted")

    association = models.ForeignKey(
        Association, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("association")
    )
    member = models.ForeignKey(
        Member, verbose_name=_("member"), on_delete=models.PROTECT, related_name="association_memberships"
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    joined_on = models.DateField(_("joined on"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))

    class Meta:
        ordering = ["association", "member__name"]
        verbose_name = _("association member")
        verbose_name_plural = _("association members")
        constraints = [
            models.UniqueConstraint(fields=["association", "member"], name="one_membership_per_association")
        ]

    def __str__(self):
        return f"{self.association} · {self.member}"


class ActivityKind(models.TextChoices):
    MEETING = "meeting", _("Meeting or training")
    CONTEST = "contest", _("Contest or match")
    OUTING = "outing", _("Outing")
    PERFORMANCE = "performance", _("Performance or exhibition")
    VOLUNTEERING = "volunteering", _("Volunteering")
    SOCIAL = "social", _("Social event")
    SUMMER_CAMP = "summer_camp", _("Summer camp for migrant workers' children (小候鸟)")


class PlannedActivity(models.Model):
    """One line of an association's annual plan: the month, title and kind of an activity."""

    association = models.ForeignKey(
        Association, on_delete=models.CASCADE, related_name="plan", verbose_name=_("association")
    )
    year = models.PositiveSmallIntegerField(_("year"))
    month = models.PositiveSmallIntegerField(_("month"))
    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(_("kind"), max_length=14, choices=ActivityKind.choices)

    class Meta:
        ordering = ["association", "year", "month", "pk"]
        verbose_name = _("planned activity")
        verbose_name_plural = _("planned activities")
        constraints = [
            models.CheckConstraint(condition=Q(month__gte=1, month__lte=12), name="plan_month_1_to_12")
        ]

    def __str__(self):
        return f"{self.year}-{self.month:02d} {self.title}"


class ActivityQuerySet(models.QuerySet):
    def managed_by(self, user):
        """Activities the user may manage: staff all; a chair or vice-chair their association's; an
        organiser (a seconded cadre) the ones they organise. Staff: those with the organisation duty."""
        if not user.is_authenticated:
            return self.none()
        if has_duty(user, "associations.change_activity"):
            return self
        return self.filter(
            Q(association__chair=user) | Q(association__vice_chairs=user) | Q(organiser=user)
        ).distinct()


class Activity(models.Model):
    class Eligibility(models.TextChoices):
        ASSOCIATION = "association", _("Members of the association")
        ALL_MEMBERS = "all_members", _("All union members")
        CHILDREN = "children", _("Members' children (by age)")

    class Payer(models.TextChoices):
        UNION = "union", _("Union funds")
        ENTERPRISE = "enterprise", _("The enterprise")
        PARTICIPANTS = "participants", pgettext_lazy("association payer", "Participants")
        FREE = "free", _("Free of charge")

    class Status(models.TextChoices):
        PLANNED = "planned", _("Open for sign-up")
        HELD = "held", _("Held")
        CANCELLED = "cancelled", _("Cancelled")

    association = models.ForeignKey(
        Association, verbose_name=_("association"), on_delete=models.CASCADE, related_name="activities"
    )
    planned = models.ForeignKey(
        PlannedActivity,
        verbose_name=_("plan line"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="activities",
    )
    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(_("kind"), max_length=14, choices=ActivityKind.choices)
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    venue = models.CharField(_("venue"), max_length=200)
    capacity = models.PositiveIntegerField(_("places"))
    signup_deadline = models.DateTimeField(_("sign-up until"))
    eligibility = models.CharField(
        _("who may sign up"), max_length=12, choices=Eligibility.choices, default=Eligibility.ASSOCIATION
    )
    child_min_age = models.PositiveSmallIntegerField(_("children from age"), null=True, blank=True)
    child_max_age = models.PositiveSmallIntegerField(_("children up to age"), null=True, blank=True)
    cost = models.DecimalField(_("cost per person"), default=0, **MONEY)
    paid_by = models.CharField(_("paid by"), max_length=12, choices=Payer.choices, default=Payer.UNION)
    organiser = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("organiser"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="organised_activities",
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PLANNED)
    report = models.TextField(_("report"), blank=True)
    description = models.TextField(_("description"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))
    # An activity entered with a date already past (by its association, not by staff) counts towards the
    # association's year only once federation staff confirm it took place: otherwise anyone could pad
    # the yearly count by entering and closing activities after the fact.
    needs_confirmation = models.BooleanField(_("awaiting staff confirmation"), default=False)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("confirmed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)

    # What counts towards an association's year: held, and not waiting for staff to confirm it.
    COUNTS = Q(status=Status.HELD, needs_confirmation=False)

    objects = ActivityQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_at", "pk"]
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        permissions = [("confirm_activity", _("Can confirm past-dated activities"))]
        indexes = [models.Index(fields=["association", "starts_at"], name="activity_association_day_idx")]
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gt=F("starts_at")), name="activity_ends_after_start"),
            models.CheckConstraint(condition=Q(capacity__gte=1), name="activity_has_places"),
            models.CheckConstraint(condition=Q(cost__gte=0), name="activity_cost_not_negative"),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("associations:activity_detail", kwargs={"pk": self.pk})


class SignUp(models.Model):
    """A place on an activity, or on its waiting list. For a children's activity (the summer camp)
    the participant is the child; the member is the guardian, whose consent is recorded."""

    class Status(models.TextChoices):
        CONFIRMED = "confirmed", _("Place confirmed")
        WAITING = "waiting", _("On the waiting list")
        CANCELLED = "cancelled", _("Cancelled")

    activity = models.ForeignKey(
        Activity, on_delete=models.CASCADE, related_name="signups", verbose_name=_("activity")
    )
    member = models.ForeignKey(
        Member, verbose_name=_("member"), on_delete=models.PROTECT, related_name="signups"
    )
    child_name = models.CharField(_("child's name"), max_length=50, blank=True)
    child_birth_date = models.DateField(_("child's birth date"), null=True, blank=True)
    guardian_consent_on = models.DateTimeField(_("guardian's consent given"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices)
    position = models.PositiveIntegerField(_("waiting-list position"), null=True, blank=True)
    signed_up_at = models.DateTimeField(auto_now_add=True, verbose_name=_("signed up at"))
    checked_in_at = models.DateTimeField(_("checked in"), null=True, blank=True)
    attended = models.BooleanField(_("attended"), null=True, blank=True)
    signed_up_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("signed up by"),
    )

    class Meta:
        ordering = ["activity", "status", "position", "signed_up_at", "pk"]
        verbose_name = _("sign-up")
        verbose_name_plural = _("sign-ups")
        constraints = [
            # One live sign-up per member (or per child) and activity: signing up twice is refused.
            models.UniqueConstraint(
                fields=["activity", "member", "child_name"],
                condition=~Q(status="cancelled"),
                name="one_signup_per_person_and_activity",
            ),
        ]

    def __str__(self):
        return f"{self.activity} · {self.child_name or self.member}"


def activity_photo_path(photo: "ActivityPhoto", filename: str) -> str:
    return f"activities/{photo.activity_id}/{random_name()}"


class ActivityPhoto(models.Model):
    activity = models.ForeignKey(
        Activity, on_delete=models.CASCADE, related_name="photos", verbose_name=_("activity")
    )
    image = models.FileField(_("photo"), upload_to=activity_photo_path)
    caption = models.CharField(_("caption"), max_length=200, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    uploaded_at = models.DateTimeField(auto_now_add=True, verbose_name=_("uploaded at"))

    class Meta:
        ordering = ["activity", "pk"]
        verbose_name = _("activity photo")
        verbose_name_plural = _("activity photos")

    def __str__(self):
        return self.caption or str(self.pk)


# --- the yearly cultural showcase (职工文化成果展演) ---------------------------------------------------


class Showcase(models.Model):
    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    edition = models.PositiveSmallIntegerField(_("edition"), help_text=_("The seventh showcase is 7."))
    title = models.CharField(_("title"), max_length=200)
    held_on = models.DateField(_("held on"))
    venue = models.CharField(_("venue"), max_length=200)

    class Meta:
        ordering = ["-year"]
        verbose_name = _("cultural showcase")
        verbose_name_plural = _("cultural showcases")

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("associations:showcase_detail", kwargs={"pk": self.pk})


class Programme(models.Model):
    """One programme (节目) of a showcase: its kind, its performers and the unions they come from."""

    class Kind(models.TextChoices):
        SINGING = "singing", _("Singing")
        DANCE = "dance", _("Dance")
        DRAMA = "drama", _("Drama and sketch")
        INSTRUMENTAL = "instrumental", _("Instrumental music")
        RECITATION = "recitation", _("Recitation")
        EXHIBITION = "exhibition", _("Calligraphy, painting and photography")
        OTHER = "other", _("Other")

    showcase = models.ForeignKey(
        Showcase, on_delete=models.CASCADE, related_name="programmes", verbose_name=_("showcase")
    )
    order = models.PositiveSmallIntegerField(_("order"))
    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(_("kind"), max_length=14, choices=Kind.choices)
    association = models.ForeignKey(
        Association,
        verbose_name=_("association"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="programmes",
    )
    unions = models.ManyToManyField(
        GrassrootsUnion, verbose_name=_("unions"), blank=True, related_name="programmes"
    )
    performers = models.PositiveIntegerField(_("performers"))
    performer_names = models.TextField(_("performers' names"), blank=True)

    class Meta:
        ordering = ["showcase", "order"]
        verbose_name = _("showcase programme")
        verbose_name_plural = _("showcase programmes")
        constraints = [
            models.UniqueConstraint(fields=["showcase", "order"], name="one_programme_per_slot"),
            models.CheckConstraint(condition=Q(performers__gte=1), name="programme_has_performers"),
        ]

    def __str__(self):
        return self.title


# --- the matchmaking association's private profiles ------------------------------------------------


class MatchProfile(models.Model):
    """A member's opt-in profile in the matchmaking association: only that association's chair (and
    the member themself) see it; never other members, never in lists or exports."""

    association = models.ForeignKey(
        Association, on_delete=models.CASCADE, related_name="match_profiles", verbose_name=_("association")
    )
    member = models.ForeignKey(
        Member, on_delete=models.CASCADE, related_name="match_profiles", verbose_name=_("member")
    )
    opted_in_on = models.DateField(_("opted in on"))
    about = models.TextField(_("about me"), blank=True)
    looking_for = models.TextField(_("looking for"), blank=True)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["association", "pk"]
        verbose_name = _("matchmaking profile")
        verbose_name_plural = _("matchmaking profiles")
        constraints = [
            models.UniqueConstraint(fields=["association", "member"], name="one_profile_per_member")
        ]

    def __str__(self):
        return str(self.pk)


class MatchRecord(models.Model):
    """A couple matched through the association, recorded as a count per event or date: no names."""

    association = models.ForeignKey(
        Association, on_delete=models.CASCADE, related_name="matches", verbose_name=_("association")
    )
    activity = models.ForeignKey(
        Activity,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("activity"),
    )
    on = models.DateField(_("date"))
    couples = models.PositiveSmallIntegerField(_("couples matched"))
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        ordering = ["-on"]
        verbose_name = _("matches recorded")
        verbose_name_plural = _("matches recorded")

    def __str__(self):
        return f"{self.on} {self.couples}"
