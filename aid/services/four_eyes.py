"""Four eyes (四眼原则): money leaves the federation on two people's word. Whoever submitted or
proposed an aid application, a hardship file, a mutual-aid claim or a fund reversal is not the one
who approves it.

The rule is the ``UNIONHUB_FOUR_EYES`` setting, on by default. A federation with one staff member
turns it off; every approval made while it is off carries ``{"four_eyes": "off"}`` in its audit
entry, so the trail shows which approvals had only one pair of eyes."""

import contextlib

from auditlog.context import set_extra_data
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

OFF = {"four_eyes": "off"}


def required() -> bool:
    return bool(getattr(settings, "UNIONHUB_FOUR_EYES", True))


def refusal(*, by, proposer_id: int | None) -> str | None:
    """Why ``by`` may not approve what ``proposer_id`` proposed, or None when they may."""
    if required() and proposer_id is not None and by is not None and proposer_id == by.pk:
        return _(
            "Four eyes: you submitted or proposed this yourself, so another staff member must approve it."
        )
    return None


def check(*, by, proposer_id: int | None) -> None:
    if message := refusal(by=by, proposer_id=proposer_id):
        raise ValidationError(message)


@contextlib.contextmanager
def audited(by):
    """Run an approval as ``by`` (the audit trail's actor); while four eyes is off, every audit entry
    written inside says so."""
    extra = {"actor": by}
    if not required():
        extra["additional_data"] = dict(OFF)
    with set_extra_data(extra):
        yield
