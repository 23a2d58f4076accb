"""The discount card (惠工卡): partner merchants and their agreements, cards issued to members, the
counter check (which reveals nothing but validity, the discount and a masked name), redemptions."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from members.models import MONEY, GrassrootsUnion, Member
from unionhub.access import ScopedQuerySet
from unionhub.masking import mask_phone


class MerchantQuerySet(ScopedQuerySet):
    owner_lookup = "staff"

    def in_force(self, day):
        """Active merchants whose agreement covers ``day`` (an empty start or end is open-ended), as
        ``perks.services.counter.agreement_state`` judges one merchant."""
        return self.filter(
            Q(agreement_start__isnull=True) | Q(agreement_start__lte=day),
            Q(agreement_end__isnull=True) | Q(agreement_end__gte=day),
            is_active=True,
        )


class Merchant(models.Model):
    class Category(models.TextChoices):
        SUPERMARKET = "supermarket", _("Supermarket")
        PHARMACY = "pharmacy", _("Pharmacy")
        RESTAURANT = "restaurant", _("Restaurant")
        CLOTHING = "clothing", _("Clothing")
        SERVICES = "services", _("Services")
        OTHER = "other", _("Other")

    class DiscountKind(models.TextChoices):
        PERCENT = "percent", _("A percentage off")
        FIXED = "fixed", _("A fixed amount off")
        SPEND_SAVE = "spend_save", _("Spend X, save Y")

    name = models.CharField(_("name"), max_length=100, unique=True)
    credit_code = models.CharField(_("unified social credit code"), max_length=18, blank=True)
    category = models.CharField(_("category"), max_length=12, choices=Category.choices)
    address = models.CharField(_("address"), max_length=200, blank=True)
    contact_name = models.CharField(_("contact"), max_length=50, blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=20, blank=True)
    discount = models.CharField(
        _("discount offered"),
        max_length=100,
        blank=True,
        help_text=_("The discount in words, as the counter shows it."),
    )
    discount_kind = models.CharField(
        _("discount rule"), max_length=10, choices=DiscountKind.choices, default=DiscountKind.PERCENT
    )
    discount_percent = models.DecimalField(
        _("percentage off"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    discount_amount = models.DecimalField(_("amount off"), null=True, blank=True, **MONEY)
    spend_threshold = models.DecimalField(_("spend at least"), null=True, blank=True, **MONEY)
    agreement_start = models.DateField(_("agreement from"), null=True, blank=True)
    agreement_end = models.DateField(_("agreement until"), null=True, blank=True)
    staff = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("counter staff"), blank=True, related_name="merchants"
    )
    is_active = models.BooleanField(_("active"), default=True)
    listed_for_members = models.BooleanField(
        _("listed for members"),
        default=True,
        help_text=_(
            "Show this merchant in the member area: its name, category, discount, address and its "
            "branches' names and addresses (never a phone number or the contact person)."
        ),
    )

    objects = MerchantQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("partner merchant")
        verbose_name_plural = _("partner merchants")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("perks:merchant_detail", kwargs={"pk": self.pk})

    @property
    def masked_contact_phone(self) -> str:
        return mask_phone(self.contact_phone)


class Branch(models.Model):
    merchant = models.ForeignKey(
        Merchant, on_delete=models.CASCADE, related_name="branches", verbose_name=_("merchant")
    )
    name = models.CharField(_("branch"), max_length=100)
    address = models.CharField(_("address"), max_length=200)
    phone = models.CharField(_("phone"), max_length=20, blank=True)

    class Meta:
        ordering = ["merchant", "name"]
        verbose_name = _("branch")
        verbose_name_plural = _("branches")

    def __str__(self):
        return f"{self.merchant} {self.name}"

    @property
    def masked_phone(self) -> str:
        return mask_phone(self.phone)


class CardBatch(models.Model):
    """Cards issued together (a union's members, or the whole district), with their printable sheet."""

    union = models.ForeignKey(
        GrassrootsUnion,
        verbose_name=_("union"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="card_batches",
    )
    issued_on = models.DateField(_("issued on"))
    count = models.PositiveIntegerField(_("cards"), default=0)
    sheet = models.FileField(_("printable sheet"), upload_to="cards/%Y/", blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("card batch")
        verbose_name_plural = _("card batches")

    def __str__(self):
        return f"{self.issued_on} ({self.count})"


class CardQuerySet(models.QuerySet):
    def visible_to(self, user):
        if not user.is_authenticated:
            return self.none()
        if user.is_federation_staff:
            return self
        return self.filter(member__union__chair=user)


class Card(models.Model):
    """A discount card: a 16-digit number whose last digit is a Luhn check digit, issued to one
    member. A lost card is replaced by a new one (``replaced_by``); the history stays."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        LOST = "lost", _("Reported lost")
        REPLACED = "replaced", _("Replaced")
        CANCELLED = "cancelled", pgettext_lazy("card", "Cancelled")

    number = models.CharField(_("card number"), max_length=16, unique=True)
    member = models.ForeignKey(
        Member, verbose_name=_("member"), on_delete=models.PROTECT, related_name="cards"
    )
    batch = models.ForeignKey(
        CardBatch,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="cards",
        verbose_name=_("batch"),
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.ACTIVE)
    issued_on = models.DateField(_("issued on"))
    status_changed_on = models.DateField(_("status since"))
    replaced_by = models.OneToOneField(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="replaces",
        verbose_name=_("replaced by"),
    )
    note = models.CharField(_("note"), max_length=200, blank=True)

    objects = CardQuerySet.as_manager()

    class Meta:
        ordering = ["-issued_on", "number"]
        verbose_name = _("discount card")
        verbose_name_plural = _("discount cards")
        constraints = [
            models.UniqueConstraint(
                fields=["member"], condition=Q(status="active"), name="one_active_card_per_member"
            ),
        ]

    def __str__(self):
        return self.number


class LostCardReportQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Staff: every report; a chair: those of their union's members' cards."""
        if not user.is_authenticated:
            return self.none()
        if user.is_federation_staff:
            return self
        return self.filter(card__member__union__chair=user)

    def open(self):
        return self.filter(status=LostCardReport.Status.OPEN)


class LostCardReport(models.Model):
    """A member's own report, from the phone, that their card is lost: the card is blocked at once (see
    ``perks.services.cards.report_lost_by_member``) and the report waits, on the chair's to-do card, until
    the chair replaces the card (``replaced``) or cancels it (``closed``) with the card's usual actions."""

    class Status(models.TextChoices):
        OPEN = "open", _("Waiting for a new card")
        REPLACED = "replaced", _("New card issued")
        CLOSED = "closed", _("Closed without a new card")

    card = models.ForeignKey(
        Card, on_delete=models.PROTECT, related_name="lost_reports", verbose_name=_("card")
    )
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("reported by"),
    )
    reported_at = models.DateTimeField(_("reported at"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN)
    resolved_on = models.DateField(_("resolved on"), null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("resolved by"),
    )
    new_card = models.ForeignKey(
        Card,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("new card"),
    )

    objects = LostCardReportQuerySet.as_manager()

    class Meta:
        ordering = ["-reported_at", "-pk"]
        verbose_name = _("lost card report")
        verbose_name_plural = _("lost card reports")
        constraints = [
            # A double-submitted report finds the open one instead of making a second.
            models.UniqueConstraint(
                fields=["card"], condition=Q(status="open"), name="one_open_lost_report_per_card"
            ),
        ]

    def __str__(self):
        return f"{self.card} {self.reported_at:%Y-%m-%d}"


class CardCheck(models.Model):
    """Every check at a counter, valid or not: who checked, where, what was entered, what was said."""

    class Result(models.TextChoices):
        VALID = "valid", _("Valid")
        BAD_NUMBER = "bad_number", _("Not a card number")
        UNKNOWN = "unknown", _("Unknown card")
        LOST = "lost", _("Card reported lost")
        CANCELLED = "cancelled", _("Card no longer valid")
        AGREEMENT_ENDED = "agreement_ended", _("This shop's agreement has ended")

    merchant = models.ForeignKey(
        Merchant, on_delete=models.PROTECT, related_name="checks", verbose_name=_("merchant")
    )
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("checked by"),
    )
    entered = models.CharField(_("number entered"), max_length=40)
    card = models.ForeignKey(
        Card, null=True, blank=True, on_delete=models.SET_NULL, related_name="checks", verbose_name=_("card")
    )
    result = models.CharField(_("result"), max_length=16, choices=Result.choices)
    at = models.DateTimeField(_("when"), auto_now_add=True)

    class Meta:
        ordering = ["-at"]
        verbose_name = _("card check")
        verbose_name_plural = _("card checks")
        indexes = [models.Index(fields=["merchant", "at"], name="card_check_merchant_at_idx")]

    def __str__(self):
        return f"{self.merchant} {self.at:%Y-%m-%d %H:%M} {self.result}"


class Redemption(models.Model):
    """A purchase with the card: what was spent and the discount given, recorded at the counter."""

    merchant = models.ForeignKey(
        Merchant, on_delete=models.PROTECT, related_name="redemptions", verbose_name=_("merchant")
    )
    card = models.ForeignKey(
        Card, on_delete=models.PROTECT, related_name="redemptions", verbose_name=_("card")
    )
    card_check = models.OneToOneField(
        CardCheck,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="redemption",
        verbose_name=_("card check"),
    )
    amount_spent = models.DecimalField(_("amount spent"), **MONEY)
    discount_given = models.DecimalField(_("discount given"), **MONEY)
    at = models.DateTimeField(_("when"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("recorded by"),
    )

    class Meta:
        ordering = ["-at"]
        verbose_name = _("redemption")
        verbose_name_plural = _("redemptions")
        indexes = [models.Index(fields=["merchant", "at"], name="redemption_merchant_at_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount_spent__gt=0)
                & Q(discount_given__gte=0)
                & Q(discount_given__lte=F("amount_spent")),
                name="redemption_amounts_sane",
            ),
        ]

    def __str__(self):
        return f"{self.merchant} {self.at:%Y-%m-%d} {self.discount_given}"
