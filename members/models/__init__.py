"""The member registry: enterprises, grassroots unions, members and their membership history."""

import datetime
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import ExpressionWrapper, F, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from unionhub.access import ScopedQuerySet, has_duty
from unionhub.dates import months_after
from unionhub.masking import mask_id_number, mask_phone

from ..validators import birth_date_from_id, sex_from_id


class Area(models.Model):
    """A grid area (片组): neighbouring unions grouped for the federation's grid management
    (网格化片组管理). The lead union's chair sees the area's summary figures — counts and totals,
    never another union's members."""

    name = models.CharField(_("name"), max_length=50, unique=True)
    lead_union = models.ForeignKey(
        "members.GrassrootsUnion",
        verbose_name=_("lead union"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="led_areas",
    )
    contact_name = models.CharField(_("contact person"), max_length=50, blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=20, blank=True)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("grid area")
        verbose_name_plural = _("grid areas")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("members:area_detail", kwargs={"pk": self.pk})

    def is_led_by(self, user) -> bool:
        return bool(user.is_authenticated and self.lead_union_id and self.lead_union.chair_id == user.pk)


class UnionQuerySet(ScopedQuerySet):
    owner_lookup = "chair"

    def in_area(self, area):
        """Filter by grid area; ``None`` (no filter) returns every union."""
        return self if area is None else self.filter(area=area)


class GrassrootsUnion(models.Model):
    class Kind(models.TextChoices):
        SINGLE = "single", _("Single-enterprise union")
        JOINT = "joint", _("Joint grassroots union")

    class Schedule(models.TextChoices):
        MONTHLY = "monthly", _("Monthly")
        QUARTERLY = "quarterly", _("Quarterly")
        HALF_YEARLY = "half_yearly", _("Half-yearly")
        YEARLY = "yearly", _("Yearly")

    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        DISSOLVED = "dissolved", _("Dissolved")

    code = models.CharField(_("code"), max_length=12, unique=True, help_text=_("e.g. HN001"))
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("type"), max_length=10, choices=Kind.choices, default=Kind.SINGLE)
    chair = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("chair"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="chaired_unions",
    )
    founded_on = models.DateField(_("founding date"))
    committee_term_start = models.DateField(_("committee term start"), null=True, blank=True)
    committee_term_years = models.PositiveSmallIntegerField(_("committee term (years)"), default=5)
    dues_schedule = models.CharField(
        _("dues collection schedule"), max_length=12, choices=Schedule.choices, default=Schedule.MONTHLY
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.ACTIVE)
    area = models.ForeignKey(
        Area,
        verbose_name=_("grid area"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="unions",
    )

    objects = UnionQuerySet.as_manager()

    class Meta:
        ordering = ["code"]
        verbose_name = _("grassroots union")
        verbose_name_plural = _("grassroots unions")
        constraints = [
            models.CheckConstraint(
                condition=Q(committee_term_years__gte=1) & Q(committee_term_years__lte=5),
                name="union_committee_term_1_to_5_years",
            ),
        ]

    def __str__(self):
        return f"{self.code} {self.name}"

    def get_absolute_url(self):
        return reverse("members:union_detail", kwargs={"pk": self.pk})

    @property
    def committee_term_end(self) -> datetime.date | None:
        start = self.committee_term_start
        if start is None:
            return None
        try:
            return start.replace(year=start.year + self.committee_term_years)
        except ValueError:  # 29 February
            return start.replace(year=start.year + self.committee_term_years, day=28)


class ChairChangeQuerySet(ScopedQuerySet):
    owner_lookup = "union__chair"


class ChairChange(models.Model):
    """A union's chair handed over to a new one (换届): who left, who took over, on what day and who
    recorded it. ``GrassrootsUnion.chair`` says who chairs today; these rows are the history."""

    union = models.ForeignKey(
        GrassrootsUnion, verbose_name=_("union"), on_delete=models.CASCADE, related_name="chair_changes"
    )
    outgoing = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("outgoing chair"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    incoming = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("incoming chair"), on_delete=models.PROTECT, related_name="+"
    )
    on = models.DateField(_("handover date"))
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(_("recorded at"))
    note = models.TextField(_("note"), blank=True)

    objects = ChairChangeQuerySet.as_manager()

    class Meta:
        ordering = ["-on", "-at"]
        verbose_name = _("chair change")
        verbose_name_plural = _("chair changes")

    def __str__(self):
        return f"{self.union.code} {self.on:%Y-%m-%d}: {self.outgoing or '—'} → {self.incoming}"


class EnterpriseQuerySet(ScopedQuerySet):
    owner_lookup = "union__chair"


class Enterprise(models.Model):
    class SizeBand(models.TextChoices):
        LARGE = "large", _("Large")
        MEDIUM = "medium", _("Medium")
        SMALL = "small", _("Small")
        MICRO = "micro", _("Micro")

    class Industry(models.TextChoices):
        MANUFACTURING = "manufacturing", _("Manufacturing")
        ELECTRONICS = "electronics", _("Electronics and equipment")
        SOFTWARE = "software", _("Software and IT services")
        BIOMEDICINE = "biomedicine", _("Biomedicine")
        NEW_MATERIALS = "materials", _("New materials")
        CONSTRUCTION = "construction", _("Construction")
        LOGISTICS = "logistics", _("Transport and logistics")
        TRADE = "trade", _("Wholesale and retail")
        HOSPITALITY = "hospitality", _("Hotels and catering")
        SERVICES = "services", _("Business services")
        OTHER = "other", _("Other")

    class Status(models.TextChoices):
        OPERATING = "operating", _("Operating")
        SUSPENDED = "suspended", _("Suspended")
        CLOSED = "closed", _("Closed")

    name = models.CharField(_("name"), max_length=100)
    credit_code = models.CharField(_("unified social credit code"), max_length=18, unique=True)
    union = models.ForeignKey(
        GrassrootsUnion,
        verbose_name=_("grassroots union"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="enterprises",
        help_text=_("The union that covers this enterprise; a joint union covers several."),
    )
    size_band = models.CharField(_("size band"), max_length=10, choices=SizeBand.choices)
    is_small_micro = models.BooleanField(_("small or micro enterprise"), default=False)
    industry = models.CharField(_("industry"), max_length=20, choices=Industry.choices)
    address = models.CharField(_("address"), max_length=200, blank=True)
    contact_name = models.CharField(_("contact person"), max_length=50, blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=20, blank=True)
    headcount = models.PositiveIntegerField(_("headcount"), default=0)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPERATING)

    objects = EnterpriseQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("enterprise")
        verbose_name_plural = _("enterprises")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("members:enterprise_detail", kwargs={"pk": self.pk})

    @property
    def masked_contact_phone(self) -> str:
        return mask_phone(self.contact_phone)


class MemberQuerySet(ScopedQuerySet):
    owner_lookup = "union__chair"

    def active(self):
        return self.filter(status__in=Member.ACTIVE_STATUSES)


class Member(models.Model):
    class Sex(models.TextChoices):
        MALE = "M", _("Male")
        FEMALE = "F", _("Female")

    class Education(models.TextChoices):
        JUNIOR_HIGH = "junior_high", _("Junior high school or below")
        SENIOR_HIGH = "senior_high", _("Senior high / secondary vocational")
        JUNIOR_COLLEGE = "junior_college", _("Junior college (大专)")
        BACHELOR = "bachelor", _("Bachelor's degree")
        MASTER = "master", _("Master's degree")
        DOCTORATE = "doctorate", _("Doctorate")

    class PoliticalStatus(models.TextChoices):
        CPC = "cpc", _("CPC member")
        CPC_PROBATIONARY = "cpc_probationary", _("Probationary CPC member")
        CYL = "cyl", _("Communist Youth League member")
        OTHER_PARTY = "other_party", _("Member of another party")
        MASSES = "masses", _("Ordinary citizen")

    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        RETAINED = "retained", _("Membership retained")
        TRANSFERRED_OUT = "transferred_out", _("Transferred out")
        WITHDRAWN = "withdrawn", _("Withdrawn")
        STRUCK_OFF = "struck_off", _("Struck off")

    # A retained membership (保留会籍) is still a membership: one per ID number with either.
    ACTIVE_STATUSES = (Status.ACTIVE, Status.RETAINED)

    name = models.CharField(_("Name"), max_length=50)
    # Looked up through one_active_membership_per_id_number (a partial unique index); a second,
    # plain index would only slow down the bulk inserts of a dues import.
    id_number = models.CharField(_("resident ID number"), max_length=18)
    birth_date = models.DateField(_("birth date"), editable=False)
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices, editable=False)
    phone = models.CharField(_("mobile"), max_length=11, blank=True)
    # Blank for members added by a dues upload, whose sheet does not say.
    education = models.CharField(_("education"), max_length=20, choices=Education.choices, blank=True)
    political_status = models.CharField(
        _("political status"), max_length=20, choices=PoliticalStatus.choices, default=PoliticalStatus.MASSES
    )
    enterprise = models.ForeignKey(
        Enterprise, verbose_name=_("enterprise"), on_delete=models.PROTECT, related_name="members"
    )
    # No index of its own: member_union_name_idx starts with union and serves its lookups.
    union = models.ForeignKey(
        GrassrootsUnion,
        verbose_name=_("grassroots union"),
        on_delete=models.PROTECT,
        related_name="members",
        db_index=False,
    )
    joined_on = models.DateField(_("join date"))
    is_migrant_worker = models.BooleanField(_("migrant worker"), default=False)
    status = models.CharField(
        _("membership status"), max_length=16, choices=Status.choices, default=Status.ACTIVE
    )
    status_changed_on = models.DateField(_("status since"))
    # The member's own login, when they have one (association sign-ups, later the member portal).
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("login"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="member_record",
    )
    added_by_upload = models.ForeignKey(
        "DuesUpload",
        verbose_name=_("added by dues upload"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="added_members",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = MemberQuerySet.as_manager()

    class Meta:
        # By union then name; union_id (not union__code) so the page query walks an index, no join.
        ordering = ["union_id", "name", "pk"]
        verbose_name = _("member")
        verbose_name_plural = _("members")
        permissions = [("reveal_id_number", _("Can reveal unmasked ID numbers"))]
        constraints = [
            models.UniqueConstraint(
                fields=["id_number"],
                condition=Q(status__in=["active", "retained"]),
                name="one_active_membership_per_id_number",
            ),
        ]
        indexes = [
            models.Index(fields=["union", "name", "id"], name="member_union_name_idx"),
            models.Index(fields=["status"]),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("members:member_detail", kwargs={"pk": self.pk})

    def derive_from_id_number(self):
        """Birth date and sex come from the ID number; they are never typed twice."""
        self.birth_date = birth_date_from_id(self.id_number)
        self.sex = sex_from_id(self.id_number)

    @property
    def masked_id_number(self) -> str:
        return mask_id_number(self.id_number)

    @property
    def masked_phone(self) -> str:
        return mask_phone(self.phone)

    @property
    def is_active_member(self) -> bool:
        return self.status in self.ACTIVE_STATUSES

    def age_on(self, day: datetime.date) -> int:
        """Age in whole years, exact to the day (a person born on 29 February ages on 1 March)."""
        years = day.year - self.birth_date.year
        if (day.month, day.day) < (self.birth_date.month, self.birth_date.day):
            years -= 1
        return years


class MembershipEvent(models.Model):
    """The dated history of a membership: each change of status, with who recorded it."""

    class Kind(models.TextChoices):
        JOINED = "joined", _("Joined")
        TRANSFERRED_IN = "transferred_in", _("Transferred in")
        TRANSFERRED_OUT = "transferred_out", _("Transferred out")
        RETAINED = "retained", _("Membership retained")
        RESTORED = "restored", _("Membership restored")
        WITHDREW = "withdrew", _("Withdrew")
        STRUCK_OFF = "struck_off", _("Struck off")

    member = models.ForeignKey(
        Member, on_delete=models.CASCADE, related_name="events", verbose_name=_("member")
    )
    kind = models.CharField(_("event"), max_length=16, choices=Kind.choices)
    on = models.DateField(_("date"))
    union = models.ForeignKey(
        GrassrootsUnion, verbose_name=_("grassroots union"), on_delete=models.PROTECT, related_name="+"
    )
    note = models.CharField(_("note"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    recorded_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    class Meta:
        ordering = ["on", "pk"]
        verbose_name = _("membership event")
        verbose_name_plural = _("membership events")

    def __str__(self):
        return f"{self.on} {self.get_kind_display()}"


# --- Dues: rates, periods, uploads, remittances -------------------------------------------------

MONEY = {"max_digits": 14, "decimal_places": 2}


class DuesRate(models.Model):
    """A rate with the date it takes effect; the rate for a day is the latest one in force."""

    class Kind(models.TextChoices):
        UNION_FUNDS = "union_funds", _("Union funds (share of payroll)")
        MEMBER_DUES = "member_dues", _("Member dues (share of wage)")
        GRASSROOTS_SHARE = "grassroots_share", _("Share of funds returned to the grassroots union")
        HARDSHIP_FUND = "hardship_fund", _("Share of funds received set aside for the hardship fund")

    kind = models.CharField(_("rate"), max_length=20, choices=Kind.choices)
    rate = models.DecimalField(_("rate"), max_digits=7, decimal_places=4)
    effective_from = models.DateField(_("effective from"))
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        ordering = ["kind", "-effective_from"]
        verbose_name = _("dues rate")
        verbose_name_plural = _("dues rates")
        constraints = [
            models.UniqueConstraint(fields=["kind", "effective_from"], name="one_rate_per_kind_and_day"),
            models.CheckConstraint(condition=Q(rate__gte=0) & Q(rate__lte=1), name="rate_between_0_and_1"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.rate} ({self.effective_from})"

    @classmethod
    def rate_on(cls, kind: str, day: datetime.date):
        rate = (
            cls.objects.filter(kind=kind, effective_from__lte=day)
            .order_by("-effective_from")
            .values_list("rate", flat=True)
            .first()
        )
        if rate is None:
            raise LookupError(f"No {kind} rate in force on {day}")
        return rate


class DuesPeriodQuerySet(ScopedQuerySet):
    owner_lookup = "union__chair"

    def in_arrears(self, today: datetime.date):
        """Past their due date and not declared, or declared and not fully paid."""
        return (
            self.filter(due_date__lt=today)
            .with_received()
            .filter(Q(funds_due__isnull=True) | Q(funds_due__gt=F("received_total") + CENT_TOLERANCE))
        )

    def overpaid(self):
        """Declared periods credited with more than they owe: a credit (多缴) to carry or refund."""
        return self.with_received().filter(
            funds_due__isnull=False, received_total__gt=F("funds_due") + CENT_TOLERANCE
        )

    def with_received(self):
        """``received_total``: what counts as paid for the period — the money remitted for it, plus credits
        carried in from an earlier overpaid period, less credits carried out or refunded. The parts are
        annotated too (``remitted_total``, ``credit_in``, ``credit_out``). Subqueries, not joins: two
        joined sums would multiply each other."""
        remitted = _sum_for(Remittance.objects.filter(period=OuterRef("pk")), "period")
        credit_in = _sum_for(CreditSettlement.objects.filter(to_period=OuterRef("pk")), "to_period")
        credit_out = _sum_for(CreditSettlement.objects.filter(period=OuterRef("pk")), "period")
        return self.annotate(
            remitted_total=remitted,
            credit_in=credit_in,
            credit_out=credit_out,
            received_total=ExpressionWrapper(
                remitted + credit_in - credit_out, output_field=models.DecimalField(**MONEY)
            ),
        )


# Money is held to the cent; SQLite compares decimals as floats, so equality is "within half a cent".
CENT_TOLERANCE = Decimal("0.005")


def _sum_for(queryset, key: str):
    zero = models.Value(Decimal(0), output_field=models.DecimalField(**MONEY))
    total = queryset.order_by().values(key).annotate(total=models.Sum("amount")).values("total")
    return Coalesce(Subquery(total, output_field=models.DecimalField(**MONEY)), zero)


class DuesPeriod(models.Model):
    """What one union owes for one period: declared by its committed dues sheet, paid by remittances."""

    union = models.ForeignKey(
        GrassrootsUnion,
        verbose_name=_("grassroots union"),
        on_delete=models.PROTECT,
        related_name="dues_periods",
    )
    kind = models.CharField(_("period type"), max_length=12, choices=GrassrootsUnion.Schedule.choices)
    label = models.CharField(_("period"), max_length=10)
    start = models.DateField(_("start"))
    end = models.DateField(_("end"))
    due_date = models.DateField(_("due date"))
    payroll_total = models.DecimalField(_("monthly payroll"), null=True, blank=True, **MONEY)
    funds_due = models.DecimalField(_("union funds due"), null=True, blank=True, **MONEY)
    dues_due = models.DecimalField(_("member dues due"), null=True, blank=True, **MONEY)
    # How many members the declaration covers (a sheet's lines; the roster for a declaration made otherwise).
    declared_members = models.PositiveIntegerField(_("members declared"), null=True, blank=True)
    declared_upload = models.OneToOneField(
        "DuesUpload",
        verbose_name=_("declared by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = DuesPeriodQuerySet.as_manager()

    class Meta:
        ordering = ["union__code", "-start"]
        verbose_name = _("dues period")
        verbose_name_plural = _("dues periods")
        constraints = [
            models.UniqueConstraint(
                fields=["union", "start", "end"], name="one_dues_period_per_union_and_span"
            ),
            models.CheckConstraint(condition=Q(end__gte=F("start")), name="dues_period_ends_after_start"),
            models.CheckConstraint(
                condition=Q(funds_due__gte=0) | Q(funds_due__isnull=True),
                name="dues_period_funds_due_not_negative",
            ),
        ]

    def __str__(self):
        return f"{self.union.code} {self.label}"

    def get_absolute_url(self):
        return reverse("members:union_dues", kwargs={"pk": self.union_id}) + f"#period-{self.pk}"

    @property
    def is_declared(self) -> bool:
        return self.funds_due is not None

    def outstanding(self, received) -> Decimal | None:
        return None if self.funds_due is None else max(self.funds_due - received, 0)

    def overpaid(self, received) -> Decimal:
        """The credit (多缴) on a declared period: what it was credited with beyond what it owes."""
        if self.funds_due is None:
            return Decimal("0.00")
        return max(received - self.funds_due, Decimal("0.00"))

    def days_overdue(self, today: datetime.date) -> int:
        return max((today - self.due_date).days, 0)

    def payment_order_due(self, today: datetime.date) -> bool:
        """Three months past the due date, the federation may apply for a payment order (支付令)."""
        return today >= months_after(self.due_date, OVERDUE_MONTHS_FOR_PAYMENT_ORDER)


OVERDUE_MONTHS_FOR_PAYMENT_ORDER = 3


class DuesUploadQuerySet(ScopedQuerySet):
    owner_lookup = "union__chair"


class CheckedSheet(models.Model):
    """What an uploaded spreadsheet goes through, whatever it holds (a dues sheet, the ledgers): who uploaded
    it, the check's progress, what it found (summary, issues, a message) and who committed it. Each subclass
    adds its file fields and its ``Status`` (with at least PENDING and COMMITTING)."""

    original_name = models.CharField(_("file name"), max_length=255)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)
    progress_done = models.PositiveIntegerField(default=0, verbose_name=_("rows processed"))
    progress_total = models.PositiveIntegerField(default=0, verbose_name=_("rows in total"))
    error_count = models.PositiveIntegerField(_("errors"), default=0)
    summary = models.JSONField(default=dict, blank=True, verbose_name=_("summary"))
    issues = models.JSONField(default=list, blank=True, verbose_name=_("problems found"))
    message = models.TextField(_("message"), blank=True)
    committed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("committed by"),
    )
    committed_at = models.DateTimeField(_("committed"), null=True, blank=True)

    class Meta:
        abstract = True
        ordering = ["-uploaded_at", "-pk"]

    @property
    def is_working(self) -> bool:
        return self.status in (self.Status.PENDING, self.Status.COMMITTING)

    @property
    def progress_percent(self) -> int:
        return int(100 * self.progress_done / self.progress_total) if self.progress_total else 0


class DuesUpload(CheckedSheet):
    class Status(models.TextChoices):
        PENDING = "pending", _("Checking")
        INVALID = "invalid", _("Has errors")
        VALID = "valid", _("Ready to commit")
        COMMITTING = "committing", _("Committing")
        COMMITTED = "committed", _("Committed")
        REPLACED = "replaced", _("Replaced")
        UNREADABLE = "unreadable", _("Unreadable")

    union = models.ForeignKey(
        GrassrootsUnion,
        verbose_name=_("grassroots union"),
        on_delete=models.PROTECT,
        related_name="dues_uploads",
    )
    period = models.ForeignKey(
        DuesPeriod, verbose_name=_("period"), on_delete=models.PROTECT, related_name="uploads"
    )
    file = models.FileField(_("file"), upload_to="dues/%Y/%m/")
    # The user's sheet with the problem cells marked, made by the check when there is any problem.
    errors_file = models.FileField(
        _("sheet with problems marked"), upload_to="dues/errors/%Y/%m/", blank=True
    )
    sha256 = models.CharField(max_length=64, db_index=True, verbose_name=_("file fingerprint (SHA-256)"))
    size = models.PositiveIntegerField(_("size"))
    replace = models.BooleanField(_("replaces the committed sheet"), default=False)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.PENDING)
    data_rows = models.PositiveIntegerField(_("rows"), default=0)
    warning_count = models.PositiveIntegerField(_("warnings"), default=0)

    objects = DuesUploadQuerySet.as_manager()

    class Meta(CheckedSheet.Meta):
        verbose_name = _("dues upload")
        verbose_name_plural = _("dues uploads")

    def __str__(self):
        return f"{self.union.code} {self.period.label} {self.original_name}"

    def get_absolute_url(self):
        return reverse("members:dues_upload", kwargs={"pk": self.pk})


class DuesLine(models.Model):
    """One member's line of a committed dues sheet: what the sheet said, kept as it was.

    No database-level foreign keys (``db_constraint=False``): a sheet's 50,000 lines are written in
    one statement, and PostgreSQL would check and key-share-lock the upload and every member row
    once per line at commit, which took longer than writing the lines. The keys come from the
    import's own plan inside the same transaction, members are never deleted, and the ORM still
    applies PROTECT and CASCADE; both columns keep their indexes."""

    upload = models.ForeignKey(
        DuesUpload,
        on_delete=models.CASCADE,
        related_name="lines",
        db_constraint=False,
        verbose_name=_("dues upload"),
    )
    member = models.ForeignKey(
        Member,
        on_delete=models.PROTECT,
        related_name="dues_lines",
        db_constraint=False,
        verbose_name=_("member"),
    )
    row = models.PositiveIntegerField(_("row"))
    wage = models.DecimalField(_("monthly wage base"), **MONEY)
    dues_due = models.DecimalField(_("dues due"), **MONEY)
    dues_paid = models.DecimalField(_("dues paid"), null=True, blank=True, **MONEY)

    class Meta:
        ordering = ["upload", "row"]
        verbose_name = _("dues line")
        verbose_name_plural = _("dues lines")

    def __str__(self):
        return f"{self.upload_id}:{self.row}"


class RemittanceQuerySet(ScopedQuerySet):
    owner_lookup = "period__union__chair"

    def received_in_year(self, year: int):
        """The union funds actually received in a calendar year, district-wide."""
        return self.filter(received_on__year=year).aggregate(
            total=models.Sum("amount", default=models.Value(0, output_field=models.DecimalField(**MONEY)))
        )["total"]


class Remittance(models.Model):
    """Money received for a union's period. Several payments may settle one period; each records
    the split between the grassroots union and the federation at the rate in force that day."""

    class Channel(models.TextChoices):
        TAX_BUREAU = "tax", _("Collected by the tax bureau")
        TRANSFER = "transfer", _("Direct bank transfer")

    period = models.ForeignKey(
        DuesPeriod, verbose_name=_("period"), on_delete=models.PROTECT, related_name="remittances"
    )
    amount = models.DecimalField(_("amount"), **MONEY)
    received_on = models.DateField(_("date received"))
    voucher_no = models.CharField(_("voucher number"), max_length=40)
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    grassroots_share = models.DecimalField(_("returned to the grassroots union"), **MONEY)
    federation_share = models.DecimalField(_("kept by the federation"), **MONEY)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    recorded_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    objects = RemittanceQuerySet.as_manager()

    class Meta:
        ordering = ["-received_on", "-pk"]
        verbose_name = _("remittance")
        verbose_name_plural = _("remittances")
        constraints = [
            models.UniqueConstraint(fields=["channel", "voucher_no"], name="one_remittance_per_voucher"),
            models.CheckConstraint(condition=Q(amount__gt=0), name="remittance_amount_positive"),
            # Within a tenth of a cent rather than equal: SQLite compares decimals as floats.
            models.CheckConstraint(
                condition=Q(grassroots_share__gte=0)
                & Q(federation_share__gte=0)
                & Q(amount__gte=F("grassroots_share") + F("federation_share") - Decimal("0.001"))
                & Q(amount__lte=F("grassroots_share") + F("federation_share") + Decimal("0.001")),
                name="remittance_split_adds_up",
            ),
        ]

    def __str__(self):
        return f"{self.period} ¥{self.amount} {self.voucher_no}"


class CreditSettlement(models.Model):
    """How a credit on an overpaid period (多缴) was settled: carried to the union's next period, where it
    counts as received, or refunded to the union. Either way it leaves the overpaid period balanced and
    appears in the statements; a refund is money the federation no longer holds."""

    class Kind(models.TextChoices):
        CARRIED = "carried", _("Carried to the next period")
        REFUNDED = "refunded", _("Refunded to the union")

    period = models.ForeignKey(
        DuesPeriod, verbose_name=_("overpaid period"), on_delete=models.PROTECT, related_name="credits_out"
    )
    kind = models.CharField(_("settled by"), max_length=10, choices=Kind.choices)
    amount = models.DecimalField(_("amount"), **MONEY)
    to_period = models.ForeignKey(
        DuesPeriod,
        verbose_name=_("carried to"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="credits_in",
    )
    on = models.DateField(_("date"))
    reference = models.CharField(_("voucher number"), max_length=40, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    recorded_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    class Meta:
        ordering = ["-on", "-pk"]
        verbose_name = _("credit settlement")
        verbose_name_plural = _("credit settlements")
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="credit_settlement_amount_positive"),
            models.CheckConstraint(
                condition=(Q(kind="carried") & Q(to_period__isnull=False))
                | (Q(kind="refunded") & Q(to_period__isnull=True)),
                name="credit_carried_has_a_target_refund_has_none",
            ),
        ]

    def __str__(self):
        return f"{self.period} {self.get_kind_display()} ¥{self.amount}"


class DeclarationReplacement(models.Model):
    """A declared period declared again, with an explicit choice on the preview: the two declarations
    side by side as they stood, and what had been paid. The period's history of declarations."""

    period = models.ForeignKey(
        DuesPeriod, verbose_name=_("period"), on_delete=models.PROTECT, related_name="replacements"
    )
    replaced_upload = models.ForeignKey(
        DuesUpload,
        verbose_name=_("replaced sheet"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    upload = models.ForeignKey(
        DuesUpload,
        verbose_name=_("new sheet"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    before_members = models.PositiveIntegerField(_("members before"), null=True, blank=True)
    before_payroll = models.DecimalField(_("payroll before"), null=True, blank=True, **MONEY)
    before_funds = models.DecimalField(_("union funds due before"), **MONEY)
    before_dues = models.DecimalField(_("member dues due before"), null=True, blank=True, **MONEY)
    after_members = models.PositiveIntegerField(_("members after"), null=True, blank=True)
    after_payroll = models.DecimalField(_("payroll after"), **MONEY)
    after_funds = models.DecimalField(_("union funds due after"), **MONEY)
    after_dues = models.DecimalField(_("member dues due after"), **MONEY)
    received = models.DecimalField(_("paid so far"), **MONEY)
    replaced_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("replaced by"),
    )
    replaced_at = models.DateTimeField(_("replaced"), auto_now_add=True)

    class Meta:
        ordering = ["-replaced_at", "-pk"]
        verbose_name = _("replaced declaration")
        verbose_name_plural = _("replaced declarations")

    def __str__(self):
        return f"{self.period} {self.replaced_at:%Y-%m-%d}"

    @property
    def effect(self) -> Decimal:
        """Positive: still outstanding after the replacement; negative: overpaid (多缴)."""
        return self.after_funds - self.received


from .payment import PaymentInstructions  # noqa: E402, F401

# --- Job changers: a membership moved from one union to another (会员组织关系转接) ------------------


class MemberTransferQuerySet(ScopedQuerySet):
    """A transfer is seen by federation staff and by the chairs of both unions, nobody else."""

    def visible_to(self, user):
        if not user.is_authenticated:
            return self.none()
        if user.is_federation_staff:
            return self
        return self.filter(Q(from_union__chair=user) | Q(to_union__chair=user))


class MemberTransfer(models.Model):
    """A person's membership moved from one union to another: the old membership ended ("transferred
    out"), a new one began in the receiving union. Made by a dues sheet that lists an active member of
    another union, or by hand. The old union's chair may contest it until ``contest_deadline``;
    federation staff then uphold it or reverse it."""

    class Source(models.TextChoices):
        SHEET = "sheet", _("Dues sheet")
        MANUAL = "manual", _("Recorded by hand")

    class Status(models.TextChoices):
        DONE = "done", _("Transferred")
        CONTESTED = "contested", _("Contested")
        UPHELD = "upheld", _("Upheld")
        REVERSED = "reversed", _("Reversed")

    from_member = models.ForeignKey(
        Member, verbose_name=_("old membership"), on_delete=models.PROTECT, related_name="transfers_out"
    )
    to_member = models.ForeignKey(
        Member, verbose_name=_("new membership"), on_delete=models.PROTECT, related_name="transfers_in"
    )
    # No index of their own: transfer_from_idx and transfer_to_idx start with them. Every index costs the
    # bulk insert of a sheet's transfers (5,000 in the benchmark).
    from_union = models.ForeignKey(
        GrassrootsUnion,
        verbose_name=_("from union"),
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
    )
    to_union = models.ForeignKey(
        GrassrootsUnion,
        verbose_name=_("to union"),
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
    )
    on = models.DateField(_("transfer date"))
    source = models.CharField(_("source"), max_length=8, choices=Source.choices)
    upload = models.ForeignKey(
        DuesUpload,
        verbose_name=_("dues sheet"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="transfers",
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DONE)
    contest_deadline = models.DateField(_("may be contested until"))
    contested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_index=False,  # never looked up by; a deleted user is rare enough to scan for
        verbose_name=_("contested by"),
    )
    contested_at = models.DateTimeField(_("contested"), null=True, blank=True)
    contest_reason = models.TextField(_("reason for contesting"), blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_index=False,  # never looked up by; a deleted user is rare enough to scan for
        verbose_name=_("resolved by"),
    )
    resolved_at = models.DateTimeField(_("resolved"), null=True, blank=True)
    resolution_note = models.TextField(_("resolution"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_index=False,  # never looked up by; a deleted user is rare enough to scan for
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    objects = MemberTransferQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("membership transfer")
        verbose_name_plural = _("membership transfers")
        indexes = [
            # The old chair's "may still contest" list and the union's transfers-out page.
            models.Index(fields=["from_union", "status", "contest_deadline"], name="transfer_from_idx"),
            # The receiving chair's recent transfers in.
            models.Index(fields=["to_union", "created_at"], name="transfer_to_idx"),
            # Staff's contested list.
            models.Index(fields=["status", "created_at"], name="transfer_status_idx"),
        ]

    def __str__(self):
        return f"{self.from_member.name} {self.from_union.code} → {self.to_union.code}"

    def get_absolute_url(self):
        return reverse("members:transfer_detail", kwargs={"pk": self.pk})

    def contestable_on(self, day: datetime.date) -> bool:
        return self.status == self.Status.DONE and day <= self.contest_deadline


class RegistryImportQuerySet(ScopedQuerySet):
    """Ledger imports are federation work: staff with the organisation duty see them, nobody else."""

    owner_lookup = "uploaded_by"
    staff_permission = "members.add_registryimport"

    def visible_to(self, user):
        return self if has_duty(user, self.staff_permission) else self.none()


class RegistryImport(CheckedSheet):
    """A federation's existing ledgers (台账) read into the registry: the workbook as uploaded, its check
    (preview and errors) and its commit. The command ``import_registry`` records its commits here too."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Checking")
        INVALID = "invalid", _("Has errors")
        VALID = "valid", _("Ready to commit")
        COMMITTING = "committing", _("Committing")
        COMMITTED = "committed", _("Committed")
        UNREADABLE = "unreadable", _("Unreadable")

    file = models.FileField(_("file"), upload_to="registry/%Y/%m/", blank=True)
    errors_file = models.FileField(
        _("ledger with errors marked"), upload_to="registry/errors/%Y/%m/", blank=True
    )
    size = models.PositiveIntegerField(_("size"), default=0)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.PENDING)

    objects = RegistryImportQuerySet.as_manager()

    class Meta(CheckedSheet.Meta):
        verbose_name = _("ledger import")
        verbose_name_plural = _("ledger imports")

    def __str__(self):
        return self.original_name

    def get_absolute_url(self):
        return reverse("members:registry_import", kwargs={"pk": self.pk})


from .join import JoinApplication  # noqa: E402, F401
from .member_area import PrivacyConsent  # noqa: E402, F401
