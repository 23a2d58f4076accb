"""The core's kinds of notice (see ``unionhub.notify.kinds``)."""

from django.utils.translation import gettext_lazy as _

from .notify.kinds import WECOM, register_kind

register_kind(
    "report_ready",
    audience=("staff", "union_chair"),
    label=_("Monthly report ready"),
    prefixes=("monthly-report:",),
)
register_kind(
    "backup_failed",
    label=_("Backup failed"),
    prefixes=("backup-failed:",),
    defaults={"staff": {WECOM}},
    digestible=False,
)
register_kind(
    "test_notice", listed=False, label=_("Test notice"), prefixes=("test-notice:",), digestible=False
)
register_kind(
    "signin_code",
    listed=False,
    label=_("Sign-in code"),
    prefixes=("signin-code:",),
    digestible=False,
)
