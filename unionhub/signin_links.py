"""One-time sign-in links (``SignInLink``): how a person who has never had a password — a chair whose
account the ledger import created, the new chair at a handover — or who forgot theirs gets in, without
anybody ever seeing or choosing a password for them.

A link is a random 256-bit token in a URL, valid ``SIGNIN_LINK_DAYS`` (7) days, good for one password
setting. Only its SHA-256 is stored. Opening the link (GET) changes nothing — WeChat and mail scanners
fetch links before people do — only submitting the new password (POST) spends it. Issuing a link for a
person withdraws the links still open for them, so the newest printout is the only one that works.

``issue_signin_link`` is the action staff call (duty checked here). ``make_signin_link`` is the mechanism
for services that have checked their own duty first: the registry's ledger import (staff with the
organisation duty) and the handover, which an outgoing chair may start."""

import datetime
import hashlib
import secrets
from dataclasses import dataclass

from auditlog.context import set_actor
from django.conf import settings
from django.contrib.auth import password_validation
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from .access import has_duty, require
from .models import SignInLink, User

# Staff with the organisation duty look after accounts (duties.py grants them this permission).
ISSUE_PERMISSION = "unionhub.add_signinlink"


@dataclass(frozen=True)
class IssuedLink:
    """A link just issued: the only moment its token exists in the clear."""

    link: SignInLink
    token: str

    @property
    def path(self) -> str:
        return reverse("signin_link", args=[self.token])

    def url(self, request=None) -> str:
        """The absolute URL to print or send: from the request, else from ``SITE_URL``."""
        if request is not None:
            return request.build_absolute_uri(self.path)
        return settings.SITE_URL.rstrip("/") + self.path


def digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def link_days() -> int:
    return settings.SIGNIN_LINK_DAYS


def can_issue_for(by, user: User) -> bool:
    """Organisation staff issue links for anybody but staff; links for staff and superusers only
    superusers issue — otherwise a duty holder could take over a colleague's (or the admin's) account."""
    if not has_duty(by, ISSUE_PERMISSION):
        return False
    if user.is_staff or user.is_superuser:
        return by.is_superuser
    return True


def make_signin_link(*, user: User, by, purpose: str) -> IssuedLink:
    """Issue a link without checking who asks: for services that checked their own duty. Withdraws the
    links still open for ``user``. Runs in the caller's transaction (or its own)."""
    if purpose not in SignInLink.Purpose.values:
        raise ValueError(f"unknown purpose {purpose!r}")
    now = timezone.now()
    token = secrets.token_urlsafe(32)
    with transaction.atomic(), set_actor(by):
        user.signin_links.open(now).update(revoked_at=now)
        link = SignInLink.objects.create(
            user=user,
            token_hash=digest(token),
            purpose=purpose,
            issued_by=by if getattr(by, "pk", None) else None,
            issued_at=now,
            expires_at=now + datetime.timedelta(days=link_days()),
        )
    return IssuedLink(link=link, token=token)


def issue_signin_link(*, user: User, by, purpose: str = SignInLink.Purpose.RESET) -> IssuedLink:
    """Staff issue a link for ``user`` (a first sign-in, or a forgotten password)."""
    require(can_issue_for(by, user))
    require(user.is_active)
    return make_signin_link(user=user, by=by, purpose=purpose)


def withdraw_signin_links(*, user: User, by) -> int:
    """Withdraw every open link of ``user`` (a printout lost, a chair who left). Returns how many."""
    require(can_issue_for(by, user))
    with transaction.atomic(), set_actor(by):
        return user.signin_links.open().update(revoked_at=timezone.now())


def find_open_link(token: str) -> SignInLink | None:
    """The open link for ``token``, or None (unknown, used, withdrawn or expired — one answer for all)."""
    if not token or len(token) > 100:
        return None
    link = SignInLink.objects.select_related("user").filter(token_hash=digest(token)).first()
    if link is None or not link.is_open() or not link.user.is_active:
        return None
    return link


class LinkSpent(Exception):
    """The link was used, withdrawn or expired between opening the page and submitting it."""


def redeem_signin_link(*, token: str, password: str) -> User:
    """Set the password the person chose and spend the link, in one transaction; the link row is locked so
    that a double-submitted form sets the password once. Raises ``LinkSpent`` if it no longer works and
    ``ValidationError`` if the password is too weak (the link stays open then)."""
    with transaction.atomic():
        link = (
            SignInLink.objects.select_for_update()
            .select_related("user")
            .filter(token_hash=digest(token or ""))
            .first()
        )
        if link is None or not link.is_open() or not link.user.is_active:
            raise LinkSpent
        user = link.user
        password_validation.validate_password(password, user)
        with set_actor(user):
            user.set_password(password)
            user.save(update_fields=["password"])
            now = timezone.now()
            link.used_at = now
            link.save(update_fields=["used_at"])
            user.signin_links.open(now).update(revoked_at=now)
    return user


def has_password(user: User) -> bool:
    """Whether the person has set a password (accounts created by the import start without one)."""
    return user.has_usable_password()
