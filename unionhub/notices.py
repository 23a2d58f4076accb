"""In-app notices (and their e-mail copies), sent at most once per user and key."""

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction

from .models import Notice


def notify(*, user, key: str, title: str, body: str = "", url: str = "", email: bool = True) -> bool:
    """Send a notice unless this user already has one with this key. Returns whether it was sent."""
    try:
        with transaction.atomic():
            Notice.objects.create(user=user, key=key, title=title[:200], body=body, url=url[:200])
    except IntegrityError:
        return False
    if email and user.email:
        transaction.on_commit(
            lambda: send_mail(
                title,
                f"{body}\n\n{url}".strip(),
                settings.DEFAULT_FROM_EMAIL,
                [user.email],
                fail_silently=True,
            )
        )
    return True
