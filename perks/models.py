"""Discount-card partner merchants (惠工卡商户). This issue keeps what role derivation and the demo
need: the merchant and its counter-staff accounts; cards and redemptions arrive with the perks
programme."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from unionhub.access import ScopedQuerySet


class MerchantQuerySet(ScopedQuerySet):
    owner_lookup = "staff"


class Merchant(models.Model):
    class Category(models.TextChoices):
        SUPERMARKET = "supermarket", _("Supermarket")
        PHARMACY = "pharmacy", _("Pharmacy")
        RESTAURANT = "restaurant", _("Restaurant")
        CLOTHING = "clothing", _("Clothing")
        SERVICES = "services", _("Services")
        OTHER = "other", _("Other")

    name = models.CharField(_("name"), max_length=100, unique=True)
    category = models.CharField(_("category"), max_length=12, choices=Category.choices)
    address = models.CharField(_("address"), max_length=200, blank=True)
    discount = models.CharField(_("discount offered"), max_length=100, blank=True)
    staff = models.ManyToManyField(settings.AUTH_USER_MODEL, verbose_name=_("counter staff"), blank=True,
                                   related_name="merchants")
    is_active = models.BooleanField(_("active"), default=True)

    objects = MerchantQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("partner merchant")
        verbose_name_plural = _("partner merchants")

    def __str__(self):
        return self.name
