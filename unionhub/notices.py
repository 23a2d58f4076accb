"""In-app notices (and their copies on e-mail, SMS and WeCom), sent at most once per user and key.

``notify`` is the door every app uses; behind it the notification service (``unionhub.notify.service``)
routes the notice by its kind to the channels the recipient reads."""

import datetime

from .notify.service import send_notice


def notify(
    *,
    user,
    key: str,
    title: str,
    body: str = "",
    url: str = "",
    email: bool = True,
    kind: str | None = None,
    due: datetime.date | None = None,
) -> bool:
    """Send a notice unless this user already has one with this key. Returns whether it was sent. ``kind``
    names a registered kind (else the key's prefix decides); ``due`` is a deadline's date."""
    return send_notice(user=user, key=key, title=title, body=body, url=url, email=email, kind=kind, due=due)
