"""Cross-cutting models: the custom user and the Chinese working calendar."""

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from .contributions import roles
from .storage import random_name


class User(AbstractUser):
    """A person who logs in. Roles are derived from relationships, never stored in one column:
    federation staff (``is_staff``, with duty groups), chair of a union (``GrassrootsUnion.chair``),
    seconded cadre (an active ``SecondmentTerm``; a former cadre: one no longer active), association chair, merchant counter staff."""

    name = models.CharField(_("full name"), max_length=50, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    # Notices (unionhub/notify): the WeCom user id for application messages, quiet hours for SMS, the daily digest.
    wecom_userid = models.CharField(_("WeCom user id"), max_length=64, blank=True)
    quiet_hours = models.BooleanField(
        _("quiet hours"),
        default=True,
        help_text=_("No text messages between 21:00 and 08:00, except deadlines due the next day."),
    )
    daily_digest = models.BooleanField(
        _("daily digest"),
        default=False,
        help_text=_("E-mail copies of routine notices come as one e-mail a day at 18:00."),
    )
    # Raised by "sign out on every device" (unionhub.services.sign_out_everywhere): every session carries a
    # hash of it, so each one opened before no longer matches and is ended at its next request.
    session_generation = models.PositiveIntegerField(_("session generation"), default=0, editable=False)

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self):
        return self.name or self.username

    def _with_generation(self, password_hash: str) -> str:
        # Generation 0 keeps Django's own hash, so sessions opened before this field existed stay valid.
        if not self.session_generation:
            return password_hash
        return salted_hmac(
            "unionhub.User.session_generation",
            f"{password_hash}:{self.session_generation}",
            algorithm="sha256",
        ).hexdigest()

    def get_session_auth_hash(self):
        return self._with_generation(super().get_session_auth_hash())

    def get_session_auth_fallback_hash(self):
        for password_hash in super().get_session_auth_fallback_hash():
            yield self._with_generation(password_hash)

    @property
    def is_federation_staff(self) -> bool:
        return self.is_active and (self.is_staff or self.is_superuser)

    @cached_property
    def _relationship_roles(self) -> dict[str, bool]:
        """The roles that come from relationships, answered in one query for the whole request. Each
        programme contributes its own (``contributions.register_role``): the core knows none of them."""
        contributed = roles()
        if not self.pk or not contributed:
            return dict.fromkeys(contributed, False)
        today = timezone.localdate()
        row = (
            User.objects.filter(pk=self.pk)
            .annotate(**{name: models.Exists(role.subquery(today)) for name, role in contributed.items()})
            .values(*contributed)
            .first()
        )
        return row or dict.fromkeys(contributed, False)

    def _holds(self, role: str) -> bool:
        return self._relationship_roles.get(role, False)

    @property
    def is_union_chair(self) -> bool:
        return self._holds("union_chair")

    @cached_property
    def active_secondment(self):
        return self.secondment_terms.active_on(timezone.localdate()).select_related("union").first()

    @property
    def is_seconded_cadre(self) -> bool:
        return self._holds("cadre")

    @property
    def is_former_cadre(self) -> bool:
        """Had a secondment term that is no longer active (they may hold an active one as well)."""
        return self._holds("former_cadre")

    @property
    def is_association_chair(self) -> bool:
        return self._holds("association_chair")

    @property
    def is_merchant(self) -> bool:
        return self._holds("merchant")

    @property
    def is_member(self) -> bool:
        """Holds a current union membership (the registry's ``Member.user``): the member area (/m/) is theirs."""
        return self._holds("member")

    @cached_property
    def role_labels(self) -> list[str]:
        labels = []
        if self.is_federation_staff:
            labels.append(_("Federation staff"))
        if self.is_union_chair:
            labels.append(_("Union chair"))
        if self.is_seconded_cadre:
            labels.append(_("Seconded cadre"))
        elif self.is_former_cadre:
            labels.append(_("Former seconded cadre"))
        if self.is_association_chair:
            labels.append(_("Association chair"))
        if self.is_merchant:
            labels.append(_("Partner merchant"))
        return labels


class CalendarDayQuerySet(models.QuerySet):
    def in_year(self, year: int):
        return self.filter(date__year=year)


class CalendarDay(models.Model):
    """A day that departs from the Monday-to-Friday week: a statutory holiday (or a weekend day
    inside a holiday period) or an adjusted working day (调休上班). Everything not listed here
    follows the ordinary week."""

    class Kind(models.TextChoices):
        HOLIDAY = "holiday", _("Holiday")
        WORKDAY = "workday", _("Adjusted working day")

    date = models.DateField(_("date"), unique=True)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=50, help_text=_("e.g. Spring Festival"))
    note = models.CharField(_("note"), max_length=200, blank=True)

    objects = CalendarDayQuerySet.as_manager()

    class Meta:
        ordering = ["date"]
        verbose_name = _("calendar day")
        verbose_name_plural = _("calendar days")

    def __str__(self):
        return f"{self.date} {self.get_kind_display()} {self.name}"

    def get_absolute_url(self):
        return reverse("calendar", kwargs={"year": self.date.year})


class NoticeQuerySet(models.QuerySet):
    def unread(self):
        return self.filter(read_at__isnull=True)


class Notice(models.Model):
    """An in-app notice for one user. ``key`` makes sending idempotent: a scheduled job that runs
    twice finds the notice already there and sends nothing again."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="notices", verbose_name=_("user"))
    key = models.CharField(max_length=100, verbose_name=_("notice key"))
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"), blank=True)
    url = models.CharField(_("link"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("sent"), auto_now_add=True)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)

    objects = NoticeQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("notice")
        verbose_name_plural = _("notices")
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="one_notice_per_user_and_key")]

    def __str__(self):
        return self.title


def report_path(report: "MonthlyReport", filename: str) -> str:
    scope = report.union.code if report.union_id else "district"
    return f"reports/{report.month:%Y-%m}/{scope}/{random_name()}"


class MonthlyReport(models.Model):
    """One month's report for the district or one union: its PDF and XLSX, who asked for it and when.
    The scheduled run produces the district's once per month; a request for an existing one replaces it
    only when asked to."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Being produced")
        READY = "ready", _("Ready")
        FAILED = "failed", _("Failed")

    month = models.DateField(_("month"))
    union = models.ForeignKey(
        "members.GrassrootsUnion",
        verbose_name=_("union"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="monthly_reports",
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    pdf = models.FileField(_("PDF"), upload_to=report_path, blank=True)
    xlsx = models.FileField(_("workbook"), upload_to=report_path, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    scheduled = models.BooleanField(_("produced on schedule"), default=False)
    message = models.CharField(_("message"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        ordering = ["-month", "union_id", "-created_at"]
        verbose_name = _("monthly report")
        verbose_name_plural = _("monthly reports")
        constraints = [
            # One report per month and scope (the district when union is null).
            models.UniqueConstraint(fields=["month", "union"], name="one_report_per_month_and_union"),
            models.UniqueConstraint(
                fields=["month"], condition=models.Q(union__isnull=True), name="one_district_report_per_month"
            ),
        ]

    def __str__(self):
        return f"{self.month:%Y-%m} {self.union.code if self.union_id else ''}".strip()


# --- the rules library (制度汇编) ------------------------------------------------------------------


class Rule(models.Model):
    """One of the federation's written work rules. Its text lives in versions (``RuleVersion``);
    the current version is the latest one in effect. A rule replaced outright by another rule
    names it in ``superseded_by`` and stays readable, marked superseded."""

    class Category(models.TextChoices):
        ORGANISATION = "organisation", _("Organisation")
        FINANCE = "finance", _("Finance")
        SECONDMENT = "secondment", _("Secondment")
        ASSISTANCE = "assistance", _("Assistance")
        RIGHTS = "rights", _("Rights protection")
        ASSOCIATIONS = "associations", _("Associations")
        DISCIPLINE = "discipline", _("Discipline")

    class Programme(models.TextChoices):
        """The programme whose pages link this rule (``{% governing_rules "secondment" %}``)."""

        NONE = "", _("None")
        REGISTRY = "registry", _("Unions and members")
        DUES = "dues", _("Dues")
        SECONDMENT = "secondment", _("Secondment")
        AID = "aid", _("Hardship aid")
        CASEWORK = "casework", _("Casework")
        ASSOCIATIONS = "associations", _("Associations")
        PERKS = "perks", _("Discount card")
        HONOURS = "honours", _("Honours")
        WORKERS_HOMES = "workers_homes", _("Workers' homes")
        AREAS = "areas", _("Grid areas")
        SCHOOL_PLACES = "school_places", _("School places")

    number = models.CharField(_("number"), max_length=30, unique=True, help_text=_("e.g. ZGH-ZD-01"))
    title = models.CharField(_("title"), max_length=200)
    category = models.CharField(_("category"), max_length=16, choices=Category.choices)
    programme = models.CharField(
        _("programme it governs"), max_length=16, choices=Programme.choices, blank=True
    )
    superseded_by = models.ForeignKey(
        "self",
        verbose_name=_("superseded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="supersedes",
    )
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))

    class Meta:
        ordering = ["number"]
        verbose_name = _("work rule")
        verbose_name_plural = _("work rules")

    def __str__(self):
        return f"{self.number} {self.title}"

    def get_absolute_url(self):
        return reverse("rules:rule_detail", kwargs={"pk": self.pk})


def rule_pdf_path(version: "RuleVersion", filename: str) -> str:
    return f"rules/{version.rule.number}/{random_name()}"


class RuleVersion(models.Model):
    """One published text of a rule. Versions are never edited after publishing: a change is a new
    version. ``search_text`` is the title and the text as plain text, what the search looks in."""

    rule = models.ForeignKey(Rule, on_delete=models.CASCADE, related_name="versions", verbose_name=_("rule"))
    version = models.PositiveSmallIntegerField(_("version"))
    effective_on = models.DateField(_("effective from"))
    text = models.TextField(_("text"), blank=True, help_text=_("Markdown: # headings, lists, **bold**."))
    pdf = models.FileField(_("PDF"), upload_to=rule_pdf_path, blank=True)
    change_note = models.CharField(_("what changed"), max_length=300, blank=True)
    search_text = models.TextField(editable=False, blank=True, verbose_name=_("search text"))
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("published by"),
    )
    published_at = models.DateTimeField(auto_now_add=True, verbose_name=_("published at"))

    class Meta:
        ordering = ["rule", "-version"]
        verbose_name = _("rule version")
        verbose_name_plural = _("rule versions")
        constraints = [
            models.UniqueConstraint(fields=["rule", "version"], name="rule_version_unique"),
            models.CheckConstraint(
                condition=~models.Q(text="") | ~models.Q(pdf=""), name="rule_version_has_text_or_pdf"
            ),
        ]

    def __str__(self):
        return f"{self.rule.number} v{self.version}"


class SignInLinkQuerySet(models.QuerySet):
    def open(self, now=None):
        """Links that still sign someone in: not used, not withdrawn, not expired."""
        now = now or timezone.now()
        return self.filter(used_at=None, revoked_at=None, expires_at__gt=now)


class SignInLink(models.Model):
    """A one-time link that lets a person set their own password and sign in: a chair's first sign-in
    after the ledger import, the new chair at a handover (换届), a forgotten password. Only the SHA-256
    of the token is kept, so nobody — staff included — can read a link back: showing it again means
    issuing a new one, which withdraws the old. Nobody ever sees a password either."""

    class Purpose(models.TextChoices):
        FIRST = "first", _("first sign-in")
        RESET = "reset", _("password reset")
        HANDOVER = "handover", _("union handover")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="signin_links",
        verbose_name=_("user"),
    )
    token_hash = models.CharField(_("token digest"), max_length=64, unique=True, editable=False)
    purpose = models.CharField(_("purpose"), max_length=10, choices=Purpose.choices)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("issued by"),
    )
    issued_at = models.DateTimeField(_("issued"))
    expires_at = models.DateTimeField(_("expires"))
    used_at = models.DateTimeField(_("used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)

    objects = SignInLinkQuerySet.as_manager()

    class Meta:
        verbose_name = _("sign-in link")
        verbose_name_plural = _("sign-in links")
        ordering = ["-issued_at"]
        indexes = [models.Index(fields=["user", "used_at", "revoked_at"], name="signinlink_user_open")]

    def __str__(self):
        return f"{self.user} · {self.get_purpose_display()} · {self.issued_at:%Y-%m-%d}"

    def is_open(self, now=None) -> bool:
        now = now or timezone.now()
        return self.used_at is None and self.revoked_at is None and self.expires_at > now


class PhoneCode(models.Model):
    """A one-time code sent by SMS to sign in with a mobile number (``unionhub.phone_codes``). Only digests are
    kept: the number's (to find the codes of a number) and the code's, salted with the row's own salt."""

    purpose = models.CharField(_("purpose"), max_length=20)
    phone_hash = models.CharField(_("number digest"), max_length=64)
    salt = models.CharField(max_length=32, editable=False)
    code_hash = models.CharField(_("code digest"), max_length=64, editable=False)
    created_at = models.DateTimeField(_("created"))
    expires_at = models.DateTimeField(_("expires"))
    used_at = models.DateTimeField(_("used"), null=True, blank=True)
    failed_attempts = models.PositiveSmallIntegerField(_("wrong codes tried"), default=0)

    class Meta:
        verbose_name = _("sign-in code")
        verbose_name_plural = _("sign-in codes")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["phone_hash", "purpose", "created_at"], name="phonecode_lookup")]

    def __str__(self):
        return f"{self.purpose} · {self.created_at:%Y-%m-%d %H:%M}"


class BackupRun(models.Model):
    """One backup attempt (``manage.py backup`` or the nightly task): when, how it ended, the archive and its
    size. Written once the attempt is over, so that an archive never holds the row of its own making; the
    newest row feeds the superusers' to-do card (a failed or stale backup) and the admin lists them all."""

    class Status(models.TextChoices):
        OK = "ok", _("Succeeded")
        FAILED = "failed", _("Failed")

    started_at = models.DateTimeField(_("started at"))
    finished_at = models.DateTimeField(_("finished at"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices)
    path = models.CharField(_("archive"), max_length=500, blank=True)
    size = models.PositiveBigIntegerField(_("size (bytes)"), null=True, blank=True)
    message = models.TextField(_("message"), blank=True)
    scheduled = models.BooleanField(_("made on schedule"), default=False)

    class Meta:
        ordering = ["-started_at"]
        verbose_name = _("backup run")
        verbose_name_plural = _("backup runs")

    def __str__(self):
        return f"{self.started_at:%Y-%m-%d %H:%M} {self.status}"


# The notification service's rows live in their own module (unionhub/notify) but belong to this app.
from .notify.models import Delivery, NoticePreference, WeComGroup  # noqa: E402, F401
