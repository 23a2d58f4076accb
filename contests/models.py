"""Skills contests (技能比武): a contest of one trade in one year, its rounds (a preliminary and a final), the
places each union may fill (a default quota and per-union overrides), the unions' entries of their members,
the judges (each with their own union, whom they never score), the scoring sheet (theory and practical
items with their maximum points, weighted), the judges' scores, and the results — ranks, prizes and
numbered certificates verifiable through the core's certificate engine."""

import secrets
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from unionhub.access import ScopedQuerySet


def _token() -> str:
    return secrets.token_urlsafe(24)


class Trade(models.TextChoices):
    """Common trades of the district's contests (国家职业分类的常见工种); "other" names its trade in words."""

    ELECTRICIAN = "electrician", _("Electrician")
    CNC_OPERATOR = "cnc_operator", _("CNC lathe operator")
    FORKLIFT_DRIVER = "forklift_driver", _("Forklift driver")
    ECOMMERCE_SERVICE = "ecommerce_service", _("E-commerce customer service")
    WELDER = "welder", _("Welder")
    FITTER = "fitter", _("Fitter")
    CHILDCARE = "childcare", _("Childcare worker")
    OTHER = "other", pgettext_lazy("trade", "Other")


class Part(models.TextChoices):
    THEORY = "theory", _("Theory")
    PRACTICAL = "practical", _("Practical")


class TieBreak(models.TextChoices):
    PRACTICAL_FIRST = "practical", _("Higher practical score first")
    THEORY_FIRST = "theory", _("Higher theory score first")


class Prize(models.TextChoices):
    FIRST = "first", _("First prize")
    SECOND = "second", _("Second prize")
    THIRD = "third", _("Third prize")
    MERIT = "merit", _("Merit award")


class ContestQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Federation staff see every contest; union chairs and seconded cadres every contest out of draft; a
        judge or an organising cadre the contests they serve (a draft too, for an organising cadre)."""
        if not user.is_authenticated:
            return self.none()
        if user.is_federation_staff:
            return self
        serves = Q(
            Exists(Judge.objects.filter(contest=OuterRef("pk"), user=user)), ~Q(state=Contest.State.DRAFT)
        )
        serves |= Q(
            Exists(
                Contest.organising_cadres.through.objects.filter(
                    contest=OuterRef("pk"), secondmentterm__cadre=user
                )
            )
        )
        if user.is_union_chair or user.is_seconded_cadre:
            return self.filter(~Q(state=Contest.State.DRAFT) | serves)
        return self.filter(serves)


class Contest(models.Model):
    """One contest. Its state moves draft → open for entry → judging → results published, each step a
    service checked against the organisation duty; entries are taken from ``entry_opens_on`` to
    ``entry_closes_on`` inclusive while it is open for entry."""

    class State(models.TextChoices):
        DRAFT = "draft", pgettext_lazy("contest state", "Draft")
        ENTRY_OPEN = "entry_open", _("Open for entry")
        JUDGING = "judging", _("Entry closed, judging")
        PUBLISHED = "published", _("Results published")

    title = models.CharField(_("title"), max_length=100)
    trade = models.CharField(_("trade"), max_length=20, choices=Trade.choices)
    trade_other = models.CharField(_("trade (other)"), max_length=40, blank=True)
    accepted_trades = models.JSONField(
        _("accepted trades"), default=list, help_text=_("The declared trades a contestant may enter with.")
    )
    year = models.PositiveSmallIntegerField(_("year"))
    venue = models.CharField(_("venue"), max_length=100)
    starts_on = models.DateField(_("first day"))
    ends_on = models.DateField(_("last day"))
    entry_opens_on = models.DateField(_("entries open"))
    entry_closes_on = models.DateField(_("entries close"))
    min_age = models.PositiveSmallIntegerField(_("minimum age"), null=True, blank=True)
    max_age = models.PositiveSmallIntegerField(_("maximum age"), null=True, blank=True)
    default_quota = models.PositiveSmallIntegerField(_("places per union"), default=2)
    theory_weight = models.DecimalField(
        _("theory weight (%)"), max_digits=5, decimal_places=2, default=Decimal(30)
    )
    practical_weight = models.DecimalField(
        _("practical weight (%)"), max_digits=5, decimal_places=2, default=Decimal(70)
    )
    tie_break = models.CharField(
        _("tie-break"), max_length=10, choices=TieBreak.choices, default=TieBreak.PRACTICAL_FIRST
    )
    first_prizes = models.PositiveSmallIntegerField(_("first prizes"), default=1)
    second_prizes = models.PositiveSmallIntegerField(_("second prizes"), default=2)
    third_prizes = models.PositiveSmallIntegerField(_("third prizes"), default=3)
    merit_prizes = models.PositiveSmallIntegerField(_("merit awards"), default=0)
    organisers = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="organised_contests",
        verbose_name=_("organising staff"),
    )
    organising_cadres = models.ManyToManyField(
        "secondment.SecondmentTerm",
        blank=True,
        related_name="organised_contests",
        verbose_name=_("organising cadres"),
    )
    state = models.CharField(_("state"), max_length=12, choices=State.choices, default=State.DRAFT)
    published_on = models.DateField(_("results published on"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("created by"),
    )

    objects = ContestQuerySet.as_manager()

    class Meta:
        ordering = ["-year", "-starts_on", "pk"]
        verbose_name = _("skills contest")
        verbose_name_plural = _("skills contests")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="contest_ends_after_start"
            ),
            models.CheckConstraint(
                condition=Q(entry_closes_on__gte=models.F("entry_opens_on")),
                name="contest_entry_closes_after_open",
            ),
            models.CheckConstraint(
                condition=Q(theory_weight__gte=0, practical_weight__gte=0)
                & Q(theory_weight=Decimal(100) - models.F("practical_weight")),
                name="contest_weights_sum_to_100",
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("contests:detail", kwargs={"pk": self.pk})

    @property
    def trade_name(self) -> str:
        return (
            self.trade_other if self.trade == Trade.OTHER and self.trade_other else self.get_trade_display()
        )

    def accepted_trade_names(self) -> list[str]:
        labels = dict(Trade.choices)
        return [
            (self.trade_other if t == Trade.OTHER and self.trade_other else str(labels.get(t, t)))
            for t in self.accepted_trades
        ]

    def entry_open_on(self, day) -> bool:
        return self.state == self.State.ENTRY_OPEN and self.entry_opens_on <= day <= self.entry_closes_on

    def weight(self, part: str) -> Decimal:
        return self.theory_weight if part == Part.THEORY else self.practical_weight

    def prize_counts(self) -> list[tuple[str, int]]:
        return [
            (Prize.FIRST, self.first_prizes),
            (Prize.SECOND, self.second_prizes),
            (Prize.THIRD, self.third_prizes),
            (Prize.MERIT, self.merit_prizes),
        ]


class ContestRound(models.Model):
    """A round: the preliminary (optional; its top ``advance`` by score go to the final) or the final (the
    round the results rank by). A round closes when its ranking is used: the preliminary when the
    finalists are chosen, the final when the results are published; no score changes after that."""

    class Kind(models.TextChoices):
        PRELIMINARY = "preliminary", _("Preliminary")
        FINAL = "final", _("Final")

    contest = models.ForeignKey(
        Contest, on_delete=models.CASCADE, related_name="rounds", verbose_name=_("contest")
    )
    kind = models.CharField(_("round"), max_length=12, choices=Kind.choices)
    date = models.DateField(_("date"))
    venue = models.CharField(_("venue"), max_length=100, blank=True)
    advance = models.PositiveSmallIntegerField(
        _("advance to the final"),
        null=True,
        blank=True,
        help_text=_("How many of the preliminary go to the final."),
    )
    closed = models.BooleanField(_("closed"), default=False)

    class Meta:
        ordering = ["contest", "-kind"]  # preliminary before final
        verbose_name = _("contest round")
        verbose_name_plural = _("contest rounds")
        constraints = [
            models.UniqueConstraint(fields=["contest", "kind"], name="contest_round_once_per_kind")
        ]

    def __str__(self):
        return f"{self.contest} · {self.get_kind_display()}"


class UnionQuota(models.Model):
    """A union's own number of places, instead of the contest's default."""

    contest = models.ForeignKey(
        Contest, on_delete=models.CASCADE, related_name="quotas", verbose_name=_("contest")
    )
    union = models.ForeignKey(
        "members.GrassrootsUnion", on_delete=models.CASCADE, related_name="+", verbose_name=_("union")
    )
    places = models.PositiveSmallIntegerField(_("places"))

    class Meta:
        ordering = ["contest", "union__code"]
        verbose_name = _("union quota")
        verbose_name_plural = _("union quotas")
        constraints = [
            models.UniqueConstraint(fields=["contest", "union"], name="contest_quota_once_per_union")
        ]

    def __str__(self):
        return f"{self.union} {self.places}"


class ScoreItem(models.Model):
    """A line of the contest's scoring sheet: a theory or practical item and the most points it gives."""

    contest = models.ForeignKey(
        Contest, on_delete=models.CASCADE, related_name="items", verbose_name=_("contest")
    )
    part = models.CharField(_("part"), max_length=10, choices=Part.choices)
    title = models.CharField(_("item"), max_length=100)
    max_points = models.PositiveSmallIntegerField(_("maximum points"))
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["contest", "-part", "order", "pk"]  # theory before practical
        verbose_name = _("scoring item")
        verbose_name_plural = _("scoring items")
        constraints = [
            models.CheckConstraint(condition=Q(max_points__gte=1), name="contest_item_points_positive")
        ]

    def __str__(self):
        return self.title


class Judge(models.Model):
    """A user who judges the contest, with the union they belong to (never scoring its contestants); none
    for a judge from outside every union of the district."""

    contest = models.ForeignKey(
        Contest, on_delete=models.CASCADE, related_name="judges", verbose_name=_("contest")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="contest_judgings",
        verbose_name=_("judge"),
    )
    union = models.ForeignKey(
        "members.GrassrootsUnion",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("judge's union"),
    )

    class Meta:
        ordering = ["contest", "pk"]
        verbose_name = _("judge")
        verbose_name_plural = _("judges")
        constraints = [models.UniqueConstraint(fields=["contest", "user"], name="contest_judge_once")]

    def __str__(self):
        return self.user.name or self.user.username


class EntryQuerySet(ScopedQuerySet):
    """Staff with the organisation duty see every entry; a chair their union's (other staff: none)."""

    owner_lookup = "union__chair"
    staff_permission = "contests.view_entry"


class Entry(models.Model):
    """A union's entry of one of its members, with the trade and job the member declares (the registry
    keeps no trade). ``union`` is the member's union when entered: the quota counts it, and no judge of
    it scores the contestant. ``finalist``, ``rank``, ``prize`` and ``score`` are fixed by the services."""

    contest = models.ForeignKey(
        Contest, on_delete=models.PROTECT, related_name="entries", verbose_name=_("contest")
    )
    member = models.ForeignKey(
        "members.Member",
        on_delete=models.PROTECT,
        related_name="contest_entries",
        verbose_name=_("contestant"),
    )
    union = models.ForeignKey(
        "members.GrassrootsUnion",
        on_delete=models.PROTECT,
        related_name="contest_entries",
        verbose_name=_("union"),
    )
    declared_trade = models.CharField(_("declared trade"), max_length=20, choices=Trade.choices)
    job_title = models.CharField(_("job"), max_length=60, blank=True)
    finalist = models.BooleanField(_("finalist"), default=False)
    rank = models.PositiveSmallIntegerField(_("rank"), null=True, blank=True)
    prize = models.CharField(_("prize"), max_length=8, choices=Prize.choices, blank=True)
    score = models.DecimalField(_("score"), max_digits=6, decimal_places=2, null=True, blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("entered by"),
    )
    entered_at = models.DateTimeField(_("entered at"), auto_now_add=True)

    objects = EntryQuerySet.as_manager()

    class Meta:
        ordering = ["contest", "union__code", "pk"]
        verbose_name = _("entry")
        verbose_name_plural = _("entries")
        constraints = [
            models.UniqueConstraint(fields=["contest", "member"], name="contest_entry_once_per_member")
        ]

    def __str__(self):
        return f"{self.contest} · {self.member.name}"


class Score(models.Model):
    """One judge's points for one item of one contestant in one round: 0 to the item's maximum, in tenths."""

    entry = models.ForeignKey(
        Entry,
        on_delete=models.CASCADE,
        related_name="scores",
        verbose_name=pgettext_lazy("skills contest", "entry"),
    )
    judge = models.ForeignKey(Judge, on_delete=models.PROTECT, related_name="scores", verbose_name=_("judge"))
    round = models.ForeignKey(
        ContestRound,
        on_delete=models.CASCADE,
        related_name="scores",
        verbose_name=pgettext_lazy("skills contest", "round"),
    )
    item = models.ForeignKey(
        ScoreItem, on_delete=models.PROTECT, related_name="scores", verbose_name=_("item")
    )
    points = models.DecimalField(_("points"), max_digits=5, decimal_places=1)
    scored_at = models.DateTimeField(_("scored at"), auto_now=True)

    class Meta:
        ordering = ["entry", "round", "judge", "item"]
        verbose_name = _("score")
        verbose_name_plural = _("scores")
        constraints = [
            models.UniqueConstraint(fields=["entry", "judge", "round", "item"], name="contest_score_once"),
            models.CheckConstraint(condition=Q(points__gte=0), name="contest_score_not_negative"),
        ]

    def __str__(self):
        return f"{self.item}: {self.points}"


class Certificate(models.Model):
    """A prize's certificate, numbered ``JN-<year>-<sequence>``, with a token for the verification page."""

    entry = models.OneToOneField(
        Entry,
        on_delete=models.PROTECT,
        related_name="certificate",
        verbose_name=pgettext_lazy("skills contest", "entry"),
    )
    number = models.CharField(_("certificate number"), max_length=32, unique=True)
    token = models.CharField(
        _("verification token"), max_length=40, unique=True, default=_token, editable=False
    )
    issued_on = models.DateField(_("issued on"))
    revoked = models.BooleanField(_("revoked"), default=False)

    class Meta:
        ordering = ["number"]
        verbose_name = _("contest certificate")
        verbose_name_plural = _("contest certificates")

    def __str__(self):
        return self.number

    def get_absolute_url(self):
        return reverse("contests:certificate", kwargs={"pk": self.pk})

    def get_verify_url(self):
        return reverse("contests:certificate_verify", kwargs={"token": self.token})
