"""Secondment terms (上挂锻炼). This issue keeps only what role derivation needs: who is seconded
and when; nominations, the rota and duty days arrive with the secondment programme."""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from unionhub.access import ScopedQuerySet


class SecondmentTermQuerySet(ScopedQuerySet):
    owner_lookup = "cadre"

    def active_on(self, day: datetime.date):
        return self.filter(start_date__lte=day, end_date__gte=day, status=SecondmentTerm.Status.ACTIVE)


class SecondmentTerm(models.Model):
    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        COMPLETED = "completed", _("Completed")
        ENDED_EARLY = "ended_early", _("Ended early")

    cadre = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("cadre"), on_delete=models.PROTECT,
                              related_name="secondment_terms")
    union = models.ForeignKey("members.GrassrootsUnion", verbose_name=_("home union"),
                              on_delete=models.PROTECT, related_name="secondment_terms")
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"))
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.ACTIVE)

    objects = SecondmentTermQuerySet.as_manager()

    class Meta:
        ordering = ["-start_date"]
        verbose_name = _("secondment term")
        verbose_name_plural = _("secondment terms")
        constraints = [
            models.CheckConstraint(condition=Q(end_date__gt=F("start_date")), name="secondment_ends_after_start"),
        ]

    def __str__(self):
        return f"{self.cadre} {self.start_date}–{self.end_date}"

    def is_active_on(self, day: datetime.date) -> bool:
        return self.status == self.Status.ACTIVE and self.start_date <= day <= self.end_date
