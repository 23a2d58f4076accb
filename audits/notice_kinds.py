"""Audits' kinds of notice (see ``unionhub.notify.kinds``): the audited union's chair is told of a new
rectification and of a response sent back."""

from django.utils.translation import gettext_lazy as _

from unionhub.notify.kinds import register_kind

register_kind(
    "audit_rectification",
    audience=("union_chair",),
    label=_("Audit rectifications"),
    prefixes=("audit-rectification:",),
)
