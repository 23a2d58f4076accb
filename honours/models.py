"""Honours (评先评优): award types with their level and criteria, a yearly round per type with its
window and quota, the chairs' nominations with statement and evidence, the staff's scores, the
committee's decision, the public notice (公示) of winners, and the honour itself — a numbered
certificate with a verification link, from the same engine as the secondment certificates."""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from unionhub.access import ScopedQuerySet
from unionhub.storage import random_name


def _token() -> str:
    return secrets.token_urlsafe(24)


class AwardLevel(models.IntegerChoices):
    """Ordered from the district upwards, so that ``level__gte`` means "at least"."""

    DISTRICT = 1, _("District")
    CITY = 2, _("County-level city")
    PREFECTURE = 3, _("Prefecture city")
    PROVINCE = 4, _("Province")
    NATIONAL = 5, _("National")


class NomineeKind(models.TextChoices):
    UNION = "union", _("A union")
    ENTERPRISE = "enterprise", _("An enterprise")
    UNION_WORKER = "union_worker", _("A union worker")
    MEMBER = "member", _("A member")
    ASSOCIATION = "association", _("An association")


class AwardType(models.Model):
    """One award at one level: 品牌工会 at prefecture level is a different award from 品牌工会 at
    provincial level (different body, different criteria)."""

    name = models.CharField(_("name"), max_length=60)
    level = models.PositiveSmallIntegerField(_("level"), choices=AwardLevel.choices)
    nominee_kind = models.CharField(_("who can be nominated"), max_length=16, choices=NomineeKind.choices)
    criteria = models.TextField(_("criteria"), blank=True)
    active = models.BooleanField(_("in use"), default=True)

    class Meta:
        ordering = ["name", "level"]
        verbose_name = _("award type")
        verbose_name_plural = _("award types")
        constraints = [models.UniqueConstraint(fields=["name", "level"], name="award_type_name_level_unique")]

    def __str__(self):
        return f"{self.name}（{self.get_level_display()}）"

    @property
    def nominates_people(self) -> bool:
        return self.nominee_kind in (NomineeKind.UNION_WORKER, NomineeKind.MEMBER)


class AwardCriterion(models.Model):
    """One line of an award's scoring sheet, with the most points it can give."""

    award_type = models.ForeignKey(
        AwardType, on_delete=models.CASCADE, related_name="criteria_items", verbose_name=_("award type")
    )
    title = models.CharField(_("criterion"), max_length=200)
    max_points = models.PositiveSmallIntegerField(_("maximum points"))
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["award_type", "order", "pk"]
        verbose_name = _("award criterion")
        verbose_name_plural = _("award criteria")
        constraints = [
            models.CheckConstraint(condition=Q(max_points__gte=1), name="award_criterion_points_positive")
        ]

    def __str__(self):
        return self.title


class AwardRound(models.Model):
    """A year's selection for one award type: nominations are taken from ``opens_on`` to
    ``closes_on`` inclusive, at most ``quota`` of them (and at most ``per_union_limit`` from one
    union, when set); the committee then awards at most ``quota`` places. After the decision the
    winners are on public notice for ``notice_working_days`` working days."""

    award_type = models.ForeignKey(
        AwardType, verbose_name=_("award type"), on_delete=models.PROTECT, related_name="rounds"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    opens_on = models.DateField(_("nominations open"))
    closes_on = models.DateField(_("nominations close"))
    quota = models.PositiveSmallIntegerField(_("quota"))
    per_union_limit = models.PositiveSmallIntegerField(
        _("nominations per union"), null=True, blank=True, help_text=_("Leave empty for no limit per union.")
    )
    decided_on = models.DateField(_("committee decision on"), null=True, blank=True)
    committee_note = models.TextField(_("committee decision"), blank=True)
    notice_working_days = models.PositiveSmallIntegerField(_("public notice (working days)"), default=5)
    notice_starts_on = models.DateField(_("public notice from"), null=True, blank=True)
    notice_ends_on = models.DateField(_("public notice until"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("created by"),
    )

    class Meta:
        ordering = ["-year", "award_type"]
        verbose_name = _("award round")
        verbose_name_plural = _("award rounds")
        constraints = [
            models.UniqueConstraint(fields=["award_type", "year"], name="award_round_one_per_type_year"),
            models.CheckConstraint(
                condition=Q(closes_on__gte=models.F("opens_on")), name="award_round_closes_after_opening"
            ),
            models.CheckConstraint(condition=Q(quota__gte=1), name="award_round_quota_positive"),
            models.CheckConstraint(
                condition=Q(notice_working_days__gte=1), name="award_round_notice_days_positive"
            ),
        ]

    def __str__(self):
        return f"{self.year} {self.award_type}"

    def get_absolute_url(self):
        return reverse("honours:round_detail", kwargs={"pk": self.pk})

    def is_open_on(self, day) -> bool:
        return self.decided_on is None and self.opens_on <= day <= self.closes_on


class HonourNominationQuerySet(ScopedQuerySet):
    """Staff with the view permission (the organisation duty) see every nomination; anybody else, as
    a chair, their own union's."""

    owner_lookup = "union__chair"
    staff_permission = "honours.view_honournomination"

    def counting(self):
        """Nominations that take a place in the quota (a withdrawn one gives its place back)."""
        return self.exclude(status=HonourNomination.Status.WITHDRAWN)


def evidence_path(evidence: "NominationEvidence", filename: str) -> str:
    return f"honours/{evidence.nomination.round.year}/{evidence.nomination_id}/{random_name()}"


class HonourNomination(models.Model):
    """A union's nomination of a union, enterprise, person or association for a round. Exactly one
    nominee field is filled, the one the award type's ``nominee_kind`` names; ``nominee_name``
    keeps the name as nominated (what the public notice and the certificate print)."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", pgettext_lazy("nomination status", "Submitted")
        WITHDRAWN = "withdrawn", pgettext_lazy("nomination status", "Withdrawn")
        INELIGIBLE = "ineligible", _("Ineligible")
        SCORED = "scored", _("Scored")
        AWARDED = "awarded", _("Awarded")
        NOT_AWARDED = "not_awarded", _("Not awarded")

    round = models.ForeignKey(
        AwardRound, verbose_name=_("round"), on_delete=models.PROTECT, related_name="nominations"
    )
    union = models.ForeignKey(
        "members.GrassrootsUnion",
        verbose_name=_("nominating union"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="honour_nominations_made",
        help_text=_("Empty when the federation nominates directly."),
    )
    nominee_union = models.ForeignKey(
        "members.GrassrootsUnion",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="honour_nominations",
        verbose_name=_("nominated union"),
    )
    nominee_enterprise = models.ForeignKey(
        "members.Enterprise",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="honour_nominations",
        verbose_name=_("nominated enterprise"),
    )
    nominee_member = models.ForeignKey(
        "members.Member",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="honour_nominations",
        verbose_name=_("nominated member"),
    )
    nominee_association = models.ForeignKey(
        "associations.Association",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="honour_nominations",
        verbose_name=_("nominated association"),
    )
    nominee_name = models.CharField(_("nominee"), max_length=100)
    statement = models.TextField(_("statement"))
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.SUBMITTED)
    score = models.DecimalField(_("score"), max_digits=6, decimal_places=1, null=True, blank=True)
    review_note = models.TextField(_("review note"), blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("submitted by"),
    )
    submitted_at = models.DateTimeField(_("submitted at"), auto_now_add=True)

    objects = HonourNominationQuerySet.as_manager()

    class Meta:
        ordering = ["round", "-score", "pk"]
        verbose_name = _("nomination")
        verbose_name_plural = _("nominations")
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(
                        nominee_union__isnull=False,
                        nominee_enterprise__isnull=True,
                        nominee_member__isnull=True,
                        nominee_association__isnull=True,
                    )
                    | Q(
                        nominee_union__isnull=True,
                        nominee_enterprise__isnull=False,
                        nominee_member__isnull=True,
                        nominee_association__isnull=True,
                    )
                    | Q(
                        nominee_union__isnull=True,
                        nominee_enterprise__isnull=True,
                        nominee_member__isnull=False,
                        nominee_association__isnull=True,
                    )
                    | Q(
                        nominee_union__isnull=True,
                        nominee_enterprise__isnull=True,
                        nominee_member__isnull=True,
                        nominee_association__isnull=False,
                    )
                ),
                name="nomination_exactly_one_nominee",
            ),
            # One live nomination per nominee per round (a withdrawn one may be made again).
            models.UniqueConstraint(
                fields=["round", "nominee_union"],
                condition=~Q(status="withdrawn"),
                name="nomination_union_once_per_round",
            ),
            models.UniqueConstraint(
                fields=["round", "nominee_enterprise"],
                condition=~Q(status="withdrawn"),
                name="nomination_enterprise_once_per_round",
            ),
            models.UniqueConstraint(
                fields=["round", "nominee_member"],
                condition=~Q(status="withdrawn"),
                name="nomination_member_once_per_round",
            ),
            models.UniqueConstraint(
                fields=["round", "nominee_association"],
                condition=~Q(status="withdrawn"),
                name="nomination_association_once_per_round",
            ),
        ]

    def __str__(self):
        return f"{self.round} · {self.nominee_name}"

    def get_absolute_url(self):
        return reverse("honours:nomination_detail", kwargs={"pk": self.pk})

    @property
    def nominee(self):
        return (
            self.nominee_union or self.nominee_enterprise or self.nominee_member or self.nominee_association
        )


# Nominations the committee may choose among: neither withdrawn nor found ineligible.
CANDIDATE_STATUSES = (HonourNomination.Status.SUBMITTED, HonourNomination.Status.SCORED)


class NominationEvidence(models.Model):
    nomination = models.ForeignKey(
        HonourNomination, on_delete=models.CASCADE, related_name="evidence", verbose_name=_("nomination")
    )
    upload = models.FileField(_("file"), upload_to=evidence_path)
    description = models.CharField(_("description"), max_length=200, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    uploaded_at = models.DateTimeField(auto_now_add=True, verbose_name=_("uploaded at"))

    class Meta:
        ordering = ["nomination", "pk"]
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")

    def __str__(self):
        return self.description or self.upload.name.rsplit("/", 1)[-1]


class NominationScore(models.Model):
    """A staff reviewer's points for one criterion; never more than the criterion's maximum."""

    nomination = models.ForeignKey(
        HonourNomination, on_delete=models.CASCADE, related_name="scores", verbose_name=_("nomination")
    )
    criterion = models.ForeignKey(
        AwardCriterion, on_delete=models.PROTECT, related_name="+", verbose_name=_("criterion")
    )
    points = models.DecimalField(_("points"), max_digits=5, decimal_places=1)
    scored_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("scored by"),
    )
    scored_at = models.DateTimeField(auto_now=True, verbose_name=_("scored at"))

    class Meta:
        ordering = ["nomination", "criterion__order", "criterion_id"]
        verbose_name = _("score")
        verbose_name_plural = _("scores")
        constraints = [
            models.UniqueConstraint(
                fields=["nomination", "criterion"], name="nomination_score_once_per_criterion"
            ),
            models.CheckConstraint(condition=Q(points__gte=0), name="nomination_score_not_negative"),
        ]

    def __str__(self):
        return f"{self.criterion}: {self.points}"


class HonourQuerySet(ScopedQuerySet):
    """Staff with the view permission see every honour; a chair those their union nominated."""

    owner_lookup = "nomination__union__chair"
    staff_permission = "honours.view_honour"


def honour_certificate_path(honour: "Honour", filename: str) -> str:
    return f"honours/certificates/{honour.issued_on.year}/{random_name()}"


class Honour(models.Model):
    """An award won: numbered ``RY-<year>-<sequence>``, with a token for the verification page
    printed on its certificate as a link and a QR code."""

    nomination = models.OneToOneField(
        HonourNomination, on_delete=models.PROTECT, related_name="honour", verbose_name=_("nomination")
    )
    number = models.CharField(_("certificate number"), max_length=32, unique=True)
    token = models.CharField(
        max_length=40, unique=True, default=_token, editable=False, verbose_name=_("verification token")
    )
    issued_on = models.DateField(_("awarded on"))
    pdf = models.FileField(_("PDF"), upload_to=honour_certificate_path, blank=True)
    revoked = models.BooleanField(_("revoked"), default=False)
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))

    objects = HonourQuerySet.as_manager()

    class Meta:
        ordering = ["-issued_on", "number"]
        verbose_name = _("honour")
        verbose_name_plural = _("honours")

    def __str__(self):
        return self.number

    def get_verify_url(self):
        return reverse("honours:honour_verify", kwargs={"token": self.token})
