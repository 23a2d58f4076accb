"""What the member area (/m/) keeps of a member's own choices: their consent to the privacy notice."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class PrivacyConsent(models.Model):
    """A member's consent to the privacy notice (个人信息保护告知), one row per version accepted: the PIPL asks
    that consent be informed and provable, so the version and the moment are kept, and a new version of the
    notice asks everybody again (``MEMBER_PRIVACY_VERSION``)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="privacy_consents",
        verbose_name=_("user"),
    )
    version = models.CharField(_("version of the notice"), max_length=20)
    accepted_at = models.DateTimeField(_("accepted at"))

    class Meta:
        verbose_name = _("privacy consent")
        verbose_name_plural = _("privacy consents")
        ordering = ["-accepted_at"]
        constraints = [models.UniqueConstraint(fields=["user", "version"], name="one_consent_per_version")]

    def __str__(self):
        return f"{self.user} · {self.version}"
