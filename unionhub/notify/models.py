"""The notification service's rows: WeCom group robots, users' departures from the default channels, and
one ``Delivery`` per notice per channel per recipient (the delivery log)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class WeComGroup(models.Model):
    """A WeCom group chat's robot (企业微信群机器人). Staff notices of the kinds it takes are posted once to
    it when a recipient holds one of its duties. A grid area's group is one more row: name the area in
    ``area_name`` (for people reading the admin) and choose its kinds and duties like any other."""

    name = models.CharField(_("name"), max_length=100)
    webhook_url = models.URLField(_("webhook address"), max_length=300)
    kinds = models.JSONField(_("kinds of notice"), default=list, blank=True)
    duties = models.ManyToManyField(
        "auth.Group", verbose_name=_("duties"), blank=True, related_name="wecom_groups"
    )
    area_name = models.CharField(_("grid area"), max_length=100, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("WeCom group")
        verbose_name_plural = _("WeCom groups")

    def __str__(self):
        return self.name


class NoticePreference(models.Model):
    """The channels one user chose for one kind of notice; only where they depart from the defaults."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notice_preferences",
        verbose_name=_("user"),
    )
    kind = models.CharField(_("kind of notice"), max_length=50)
    channels = models.JSONField(_("channels"), default=list)

    class Meta:
        verbose_name = _("notice preference")
        verbose_name_plural = _("notice preferences")
        constraints = [
            models.UniqueConstraint(fields=["user", "kind"], name="one_preference_per_user_and_kind")
        ]

    def __str__(self):
        return f"{self.user} {self.kind}"


class DeliveryQuerySet(models.QuerySet):
    def due(self, now):
        return self.filter(status=Delivery.Status.QUEUED, next_attempt_at__lte=now)


class Delivery(models.Model):
    """One notice on one channel to one person (or one WeCom group). ``(key, channel, target_key)`` is unique:
    however often a scheduler runs, a notice is sent once per channel and recipient."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")
        DELIVERED = "delivered", _("Delivered")
        FAILED = "failed", pgettext_lazy("delivery", "Failed")
        HELD = "held", _("Held")

    key = models.CharField(_("notice key"), max_length=100)
    kind = models.CharField(_("kind of notice"), max_length=50)
    channel = models.CharField(_("channel"), max_length=10)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recipient"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="deliveries",
    )
    group = models.ForeignKey(
        WeComGroup,
        verbose_name=_("WeCom group"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    notice = models.ForeignKey(
        "unionhub.Notice",
        verbose_name=_("notice"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="deliveries",
    )
    target_key = models.CharField(
        _("recipient key"), max_length=40
    )  # "user:12" or "group:3": unique across nulls
    target = models.CharField(
        _("sent to"), max_length=100, blank=True
    )  # masked phone, e-mail, WeCom id, group name
    address_hash = models.CharField(
        max_length=64, blank=True, db_index=True
    )  # the phone's digest, for the rate limit
    subject = models.CharField(_("subject"), max_length=200, blank=True)
    text = models.TextField(_("text"), blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True)
    provider = models.CharField(_("provider"), max_length=30, blank=True)
    provider_id = models.CharField(_("provider's id"), max_length=100, blank=True)
    error_code = models.CharField(_("error code"), max_length=50, blank=True)
    error_message = models.CharField(_("error"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True, db_index=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    # When the provider's delivery receipt (状态报告) says the phone received it (unionhub.notify.receipts).
    delivered_at = models.DateTimeField(_("delivered at"), null=True, blank=True)

    objects = DeliveryQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        constraints = [
            models.UniqueConstraint(
                fields=["key", "channel", "target_key"], name="one_delivery_per_notice_channel_target"
            )
        ]
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="delivery_due")]

    def __str__(self):
        return f"{self.key} {self.channel} {self.target}"
