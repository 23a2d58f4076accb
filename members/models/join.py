"""Applications to join the union (入会申请) made on the phone, with no login, before the person is a member."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from unionhub.access import ScopedQuerySet
from unionhub.masking import mask_id_number, mask_phone


class JoinApplicationQuerySet(ScopedQuerySet):
    """Staff with the organisation duty see every application; a chair those addressed to their union."""

    owner_lookup = "union__chair"
    staff_permission = "members.view_joinapplication"

    def pending(self):
        return self.filter(status=JoinApplication.Status.PENDING)

    def referred(self):
        return self.filter(status=JoinApplication.Status.REFERRED)


class JoinApplication(models.Model):
    """A worker asks to join the union at their employer. An enterprise covered by a union: the union's chair
    approves (the membership is created through the registry's own service) or declines with a reason. An
    enterprise with no union, or one not on file (the name as typed): referred to the federation, which
    organises a union there. The ID number is kept whole (the chair registers it) and shown masked."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for the chair")
        APPROVED = "approved", _("Approved")
        DECLINED = "declined", _("Declined")
        REFERRED = "referred", _("Referred to the federation")

    name = models.CharField(_("Name"), max_length=50)
    id_number = models.CharField(_("resident ID number"), max_length=18)
    phone = models.CharField(_("mobile"), max_length=11)
    enterprise = models.ForeignKey(
        "members.Enterprise",
        verbose_name=_("enterprise"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="join_applications",
    )
    # The employer as the applicant named it: the enterprise's name when chosen from the list.
    enterprise_name = models.CharField(_("employer"), max_length=100)
    union = models.ForeignKey(
        "members.GrassrootsUnion",
        verbose_name=_("grassroots union"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="join_applications",
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    reason = models.TextField(_("reason"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    member = models.ForeignKey(
        "members.Member",
        verbose_name=_("membership created"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("applied at"), auto_now_add=True)

    objects = JoinApplicationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("application to join")
        verbose_name_plural = _("applications to join")
        indexes = [
            models.Index(fields=["union", "status"], name="joinapp_union_status_idx"),
            models.Index(fields=["status", "enterprise_name"], name="joinapp_status_name_idx"),
            models.Index(fields=["id_number"], name="joinapp_id_number_idx"),
        ]

    def __str__(self):
        return f"{self.name} · {self.enterprise_name}"

    def get_absolute_url(self):
        return reverse("members:join_application", kwargs={"pk": self.pk})

    @property
    def masked_id_number(self) -> str:
        return mask_id_number(self.id_number)

    @property
    def masked_phone(self) -> str:
        return mask_phone(self.phone)

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.PENDING
