"""Hobby associations (职工协会). This issue keeps what role derivation and the demo need: the
association and its chair; plans and activities arrive with the associations programme."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from unionhub.access import ScopedQuerySet


class AssociationQuerySet(ScopedQuerySet):
    owner_lookup = "chair"


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

    name = models.CharField(_("name"), max_length=100, unique=True)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    description = models.TextField(_("description"), blank=True)
    chair = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("chair"), null=True, blank=True,
                              on_delete=models.SET_NULL, related_name="chaired_associations")
    founded_on = models.DateField(_("founding date"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.ACTIVE)

    objects = AssociationQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("association")
        verbose_name_plural = _("associations")

    def __str__(self):
        return self.name
