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
    TEAM = "team", _("A team")


class Series(models.TextChoices):
    """A programme of awards selected together, tier by tier (award types outside one have no series)."""

    SHIBAIQIAN = "shibaiqian", _("十百千 programme")


class SeriesTier(models.Model):
    """One tier of a series, with its place (1 the highest) and its target: how many the federation means
    to award in the tier each year. The tier's award types (one per kind of nominee) share the target;
    the 千 tier's, for one, is met by active members and teams together."""

    series = models.CharField(_("series"), max_length=16, choices=Series.choices)
    order = models.PositiveSmallIntegerField(_("tier"))
    name = models.CharField(_("name"), max_length=30)
    target = models.PositiveIntegerField(_("yearly target"))

    class Meta:
        ordering = ["series", "order"]
        verbose_name = _("programme tier")
        verbose_name_plural = _("programme tiers")
        constraints = [
            models.UniqueConstraint(fields=["series", "order"], name="series_tier_order_unique"),
            models.CheckConstraint(condition=Q(target__gte=1), name="series_tier_target_positive"),
        ]

    def __str__(self):
        return self.name


class AwardType(models.Model):
    """One award at one level: 品牌工会 at prefecture level is a different award from 品牌工会 at
    provincial level (different body, different criteria)."""

    name = models.CharField(_("name"), max_length=60)
    level = models.PositiveSmallIntegerField(_("level"), choices=AwardLevel.choices)
    nominee_kind = models.CharField(_("who can be nominated"), max_length=16, choices=NomineeKind.choices)
    criteria = models.TextField(_("criteria"), blank=True)
    active = models.BooleanField(_("in use"), default=True)
    tier = models.ForeignKey(
        SeriesTier,
        verbose_name=_("programme tier"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="award_types",
        help_text=_("Set for the awards of a programme such as 十百千; empty for the others."),
    )

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

    @property
    def nominates_teams(self) -> bool:
        return self.nominee_kind == NomineeKind.TEAM


class TeamQuerySet(ScopedQuerySet):
    """Staff with the view permission (the organisation duty) see every team; a chair the teams of the
    enterprises their union covers."""

    owner_lookup = "enterprise__union__chair"
    staff_permission = "honours.view_team"


class Team(models.Model):
    """A team (班组) of an enterprise: a workshop shift, a line, a service counter — honoured as a team
    (工人先锋号, 先进班组). Its leader and members are members of the union covering the enterprise."""

    enterprise = models.ForeignKey(
        "members.Enterprise", verbose_name=_("enterprise"), on_delete=models.PROTECT, related_name="teams"
    )
    name = models.CharField(_("team name"), max_length=100)
    leader = models.ForeignKey(
        "members.Member",
        verbose_name=_("team leader"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="teams_led",
    )
    members = models.ManyToManyField(
        "members.Member", verbose_name=_("team members"), blank=True, related_name="teams"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = TeamQuerySet.as_manager()

    class Meta:
        ordering = ["enterprise__name", "name", "pk"]
        verbose_name = _("team")
        verbose_name_plural = _("teams")
        constraints = [
            models.UniqueConstraint(fields=["enterprise", "name"], name="team_name_unique_per_enterprise")
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("honours:team_detail", kwargs={"pk": self.pk})


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


NOMINEE_COLUMNS = (
    "nominee_union",
    "nominee_enterprise",
    "nominee_member",
    "nominee_association",
    "nominee_team",
)


def exactly_one_nominee() -> Q:
    """One of the nominee columns is filled, the others empty."""
    condition = Q()
    for filled in NOMINEE_COLUMNS:
        condition |= Q(**{f"{c}__isnull": c != filled for c in NOMINEE_COLUMNS})
    return condition


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
    nominee_team = models.ForeignKey(
        Team,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="honour_nominations",
        verbose_name=_("nominated team"),
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
            models.CheckConstraint(condition=exactly_one_nominee(), name="nomination_exactly_one_nominee"),
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
            models.UniqueConstraint(
                fields=["round", "nominee_team"],
                condition=~Q(status="withdrawn"),
                name="nomination_team_once_per_round",
            ),
        ]

    def __str__(self):
        return f"{self.round} · {self.nominee_name}"

    def get_absolute_url(self):
        return reverse("honours:nomination_detail", kwargs={"pk": self.pk})

    @property
    def nominee(self):
        return (
            self.nominee_union
            or self.nominee_enterprise
            or self.nominee_member
            or self.nominee_association
            or self.nominee_team
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


# --- the federation's own awards ------------------------------------------------------------------------


class FederationAwardLevel(models.TextChoices):
    """Who gave an award the federation itself received (a city is 嘉兴 or 海宁)."""

    NATIONAL = "national", _("National")
    PROVINCIAL = "provincial", _("Provincial")
    CITY = "city", _("City")
    COUNTY = "county", _("County")


FEDERATION_AWARD_YEARS = (1980, 2100)


class FederationAwardQuerySet(models.QuerySet):
    def public(self):
        """The awards shown on the public honours page."""
        return self.filter(public=True)


class FederationAward(models.Model):
    """An award the federation itself received: a national innovation prize, 全国百家示范乡镇（街道）总工会,
    a grade of the city's union-work assessment. Staff with the organisation duty keep the record; the
    public honours page shows those marked public."""

    title = models.CharField(_("award"), max_length=120)
    year = models.PositiveSmallIntegerField(_("year"))
    level = models.CharField(_("level"), max_length=12, choices=FederationAwardLevel.choices)
    awarding_body = models.CharField(_("awarding body"), max_length=120)
    result = models.CharField(
        _("grade or result"),
        max_length=60,
        blank=True,
        help_text=_("e.g. 一等奖, 特等奖; empty for a title."),
    )
    description = models.TextField(_("description"), blank=True)
    public = models.BooleanField(_("shown on the public honours page"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    objects = FederationAwardQuerySet.as_manager()

    class Meta:
        ordering = ["-year", "title", "pk"]
        verbose_name = _("federation award")
        verbose_name_plural = _("federation awards")
        constraints = [
            models.CheckConstraint(
                condition=Q(year__gte=FEDERATION_AWARD_YEARS[0], year__lte=FEDERATION_AWARD_YEARS[1]),
                name="federation_award_year_in_range",
            )
        ]

    def __str__(self):
        return f"{self.year} {self.title}" + (f" {self.result}" if self.result else "")

    def get_absolute_url(self):
        return reverse("honours:federation_award_detail", kwargs={"pk": self.pk})


def federation_document_path(document: "FederationAwardDocument", filename: str) -> str:
    return f"honours/federation/{document.award.year}/{random_name()}"


class FederationAwardDocument(models.Model):
    """A document of a federation award (the certificate, the notice naming it): public only when marked
    so, and then only while its award is public too."""

    award = models.ForeignKey(
        FederationAward, on_delete=models.CASCADE, related_name="documents", verbose_name=_("award")
    )
    file = models.FileField(_("file"), upload_to=federation_document_path)
    title = models.CharField(_("title"), max_length=120)
    public = models.BooleanField(_("public"), default=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        ordering = ["award", "pk"]
        verbose_name = _("federation award document")
        verbose_name_plural = _("federation award documents")

    def __str__(self):
        return self.title

    @property
    def is_public(self) -> bool:
        return self.public and self.award.public
