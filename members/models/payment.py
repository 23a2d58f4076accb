"""How a union pays: the federation's account and the tax bureau's channel, configured by finance staff
and shown on a chair's to-do items for periods to pay and on every union's dues page."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class PaymentInstructions(models.Model):
    """One row for the district (``singleton``): edited in place, each change audited. Union funds are
    paid to the federation's account, or collected by the tax bureau (税务代收) where it collects them;
    either or both may be set."""

    singleton = models.BooleanField(
        default=True, unique=True, editable=False, verbose_name=_("single record")
    )
    account_name = models.CharField(_("account name"), max_length=100, blank=True)
    bank = models.CharField(_("bank"), max_length=100, blank=True)
    account_number = models.CharField(_("account number"), max_length=40, blank=True)
    tax_channel = models.CharField(
        _("tax bureau channel"),
        max_length=300,
        blank=True,
        help_text=_("How union funds are paid through the tax bureau, where it collects them."),
    )
    note = models.CharField(
        _("note"),
        max_length=500,
        blank=True,
        help_text=_("What to write in the transfer's remarks, whom to call with questions…"),
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("updated by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("payment instructions")
        verbose_name_plural = _("payment instructions")
        constraints = [
            models.CheckConstraint(condition=models.Q(singleton=True), name="payment_instructions_one_row")
        ]

    def __str__(self):
        return str(_("payment instructions"))

    @classmethod
    def current(cls) -> "PaymentInstructions | None":
        return cls.objects.filter(singleton=True).select_related("updated_by").first()

    @property
    def is_set(self) -> bool:
        return bool(self.account_number or self.tax_channel)
