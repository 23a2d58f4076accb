"""Workers' homes (职工之家): the level each union's home has reached, the chair's yearly
self-assessment against the federation's checklist, the staff's inspection visits with their own
scores, findings and photos, and the re-inspection each rated home falls due for
(``settings.WORKERS_HOME_REINSPECTION_MONTHS`` after its last inspection)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from unionhub.access import ScopedQuerySet
from unionhub.storage import random_name


class HomeLevel(models.IntegerChoices):
    """Ordered, so that ``level__gte=QUALIFIED`` means "has a workers' home"."""

    NONE = 0, _("Not rated")
    QUALIFIED = 1, _("Qualified (合格职工之家)")
    CITY = 2, _("City-level model home")
    PREFECTURE = 3, _("Prefecture-level model home")
    PROVINCE = 4, _("Provincial model home")
    NATIONAL = 5, _("National excellent home (全国优秀职工之家)")


class WorkersHomeQuerySet(ScopedQuerySet):
    owner_lookup = "union__chair"

    def rated(self):
        return self.filter(level__gte=HomeLevel.QUALIFIED)

    def due_by(self, day):
        """Rated homes whose re-inspection falls due on or before ``day`` (overdue ones included)."""
        return self.rated().filter(reinspection_due_on__lte=day)


class WorkersHome(models.Model):
    """One union's workers' home. ``reinspection_due_on`` is set by each inspection;
    ``reminded_for`` is the due date the chair was last reminded of, so a reminder goes once."""

    union = models.OneToOneField(
        "members.GrassrootsUnion",
        verbose_name=_("grassroots union"),
        on_delete=models.CASCADE,
        related_name="workers_home",
    )
    level = models.PositiveSmallIntegerField(_("level"), choices=HomeLevel.choices, default=HomeLevel.NONE)
    level_reached_on = models.DateField(_("level reached on"), null=True, blank=True)
    last_inspected_on = models.DateField(_("last inspected on"), null=True, blank=True)
    reinspection_due_on = models.DateField(_("re-inspection due on"), null=True, blank=True)
    reminded_for = models.DateField(
        null=True, blank=True, editable=False, verbose_name=_("reminded for the due date")
    )

    objects = WorkersHomeQuerySet.as_manager()

    class Meta:
        ordering = ["union__code"]
        verbose_name = _("workers' home")
        verbose_name_plural = _("workers' homes")
        indexes = [models.Index(fields=["reinspection_due_on"], name="workers_home_due_idx")]

    def __str__(self):
        return f"{self.union} · {self.get_level_display()}"

    def get_absolute_url(self):
        return reverse("homes:home_detail", kwargs={"union_pk": self.union_id})


class ChecklistItem(models.Model):
    """One line of the federation's workers'-home checklist, with the points it is worth."""

    class Category(models.TextChoices):
        ORGANISATION = "organisation", _("Organisation")
        DEMOCRACY = "democracy", _("Democratic management")
        FACILITIES = "facilities", _("Facilities")
        ACTIVITIES = "activities", pgettext_lazy("checklist category", "Activities")

    category = models.CharField(_("category"), max_length=16, choices=Category.choices)
    title = models.CharField(_("item"), max_length=200)
    guidance = models.TextField(_("what earns the points"), blank=True)
    max_points = models.PositiveSmallIntegerField(_("maximum points"))
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    active = models.BooleanField(_("in use"), default=True)

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("checklist item")
        verbose_name_plural = _("checklist items")
        constraints = [
            models.CheckConstraint(condition=Q(max_points__gte=1), name="checklist_item_points_positive")
        ]

    def __str__(self):
        return self.title


class SelfAssessmentQuerySet(ScopedQuerySet):
    owner_lookup = "union__chair"


class SelfAssessment(models.Model):
    """The chair's self-assessment of the union's home for a year: a draft until submitted."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", pgettext_lazy("self-assessment status", "Submitted")

    union = models.ForeignKey(
        "members.GrassrootsUnion",
        verbose_name=_("grassroots union"),
        on_delete=models.CASCADE,
        related_name="home_self_assessments",
    )
    year = models.PositiveSmallIntegerField(_("year"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    total = models.DecimalField(_("total"), max_digits=6, decimal_places=1, default=0)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("submitted by"),
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)

    objects = SelfAssessmentQuerySet.as_manager()

    class Meta:
        ordering = ["-year", "union__code"]
        verbose_name = _("self-assessment")
        verbose_name_plural = _("self-assessments")
        constraints = [
            models.UniqueConstraint(fields=["union", "year"], name="self_assessment_once_per_year")
        ]

    def __str__(self):
        return f"{self.year} {self.union}"


class SelfAssessmentScore(models.Model):
    assessment = models.ForeignKey(
        SelfAssessment, on_delete=models.CASCADE, related_name="scores", verbose_name=_("assessment")
    )
    item = models.ForeignKey(
        ChecklistItem, on_delete=models.PROTECT, related_name="+", verbose_name=_("item")
    )
    points = models.DecimalField(_("points"), max_digits=5, decimal_places=1)
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        ordering = ["assessment", "item__order", "item_id"]
        verbose_name = _("self-assessment score")
        verbose_name_plural = _("self-assessment scores")
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "item"], name="self_assessment_score_once_per_item"
            ),
            models.CheckConstraint(condition=Q(points__gte=0), name="self_assessment_score_not_negative"),
        ]

    def __str__(self):
        return f"{self.item}: {self.points}"


class HomeInspectionQuerySet(ScopedQuerySet):
    owner_lookup = "union__chair"


class HomeInspection(models.Model):
    """A staff visit: acceptance of a new home, a scheduled re-inspection or a spot check. It scores
    the checklist itself, records findings and photos, and sets the level the home holds after it."""

    class Kind(models.TextChoices):
        ACCEPTANCE = "acceptance", _("Acceptance inspection")
        REINSPECTION = "reinspection", _("Re-inspection")
        SPOT_CHECK = "spot_check", _("Spot check")

    union = models.ForeignKey(
        "members.GrassrootsUnion",
        verbose_name=_("grassroots union"),
        on_delete=models.CASCADE,
        related_name="home_inspections",
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    visited_on = models.DateField(_("visited on"))
    inspectors = models.CharField(_("inspectors"), max_length=200)
    findings = models.TextField(_("findings"))
    total = models.DecimalField(_("total"), max_digits=6, decimal_places=1, default=0)
    level_after = models.PositiveSmallIntegerField(_("level after the visit"), choices=HomeLevel.choices)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    recorded_at = models.DateTimeField(auto_now_add=True, verbose_name=_("recorded at"))

    objects = HomeInspectionQuerySet.as_manager()

    class Meta:
        ordering = ["-visited_on", "-pk"]
        verbose_name = _("inspection")
        verbose_name_plural = _("inspections")

    def __str__(self):
        return f"{self.visited_on} {self.union}"


class InspectionScore(models.Model):
    inspection = models.ForeignKey(
        HomeInspection, on_delete=models.CASCADE, related_name="scores", verbose_name=_("inspection")
    )
    item = models.ForeignKey(
        ChecklistItem, on_delete=models.PROTECT, related_name="+", verbose_name=_("item")
    )
    points = models.DecimalField(_("points"), max_digits=5, decimal_places=1)

    class Meta:
        ordering = ["inspection", "item__order", "item_id"]
        verbose_name = _("inspection score")
        verbose_name_plural = _("inspection scores")
        constraints = [
            models.UniqueConstraint(fields=["inspection", "item"], name="inspection_score_once_per_item"),
            models.CheckConstraint(condition=Q(points__gte=0), name="inspection_score_not_negative"),
        ]

    def __str__(self):
        return f"{self.item}: {self.points}"


def inspection_photo_path(photo: "InspectionPhoto", filename: str) -> str:
    return f"workers_homes/{photo.inspection.union_id}/{photo.inspection_id}/{random_name()}"


class InspectionPhoto(models.Model):
    inspection = models.ForeignKey(
        HomeInspection, on_delete=models.CASCADE, related_name="photos", verbose_name=_("inspection")
    )
    image = models.FileField(_("photo"), upload_to=inspection_photo_path)
    caption = models.CharField(_("caption"), max_length=200, blank=True)
    uploaded_at = models.DateTimeField(auto_now_add=True, verbose_name=_("uploaded at"))

    class Meta:
        ordering = ["inspection", "pk"]
        verbose_name = _("inspection photo")
        verbose_name_plural = _("inspection photos")

    def __str__(self):
        return self.caption or self.image.name.rsplit("/", 1)[-1]
