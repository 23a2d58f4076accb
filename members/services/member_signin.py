"""Signing in to the member area with a mobile number and a one-time code (issue 22).

- ``request_code``: the number is checked for shape only; a code goes out only to a number on a current
  membership, but every number gets the same answer ("如该手机号已登记，验证码已发送") and counts against
  the same limits, so the page never tells whether a number belongs to a member.
- ``sign_in_with_code``: the code is checked (``unionhub.phone_codes``); the member is the one current
  membership with that mobile. Their login is created the first time (user name ``m<member id>``, no
  password: a member signs in with codes only) and tied to the membership (``Member.user``).
- A number on two current memberships of different people cannot sign in (one phone, two workers — a
  household or a typing error): the member is asked to have their chair correct the roster, after the code
  has proved the phone is theirs, never before.
- ``sign_out_everywhere``: raises the login's session generation, which ends every session it has.
- ``accept_privacy``: records the consent to the current version of the privacy notice.
- ``confirm_phone``: the member's chair (or organisation staff) enters or corrects the member's mobile."""

import re

from auditlog.context import set_actor
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from unionhub import phone_codes
from unionhub.access import has_duty

from ..models import Member, PrivacyConsent
from ..validators import normalise_code

PURPOSE = "member"
_MOBILE = re.compile(r"^1[3-9]\d{9}$")


class CannotSignIn(Exception):
    """The code was right but this number cannot open the member area: a message in the member's words."""


def clean_mobile(value: str) -> str:
    """A mainland mobile number (full-width digits, spaces, dashes and +86 tolerated), or ValidationError."""
    number = normalise_code(value or "").removeprefix("+86")
    if not (number.isascii() and _MOBILE.match(number)):
        raise ValidationError(_("Enter the 11-digit mobile number, e.g. 13905710001."), code="mobile")
    return number


def _members_with(phone: str):
    return Member.objects.filter(phone=phone, status__in=Member.ACTIVE_STATUSES)


def request_code(*, phone: str, remote_addr: str) -> None:
    """Send a code if ``phone`` is on a current membership. Raises ``phone_codes.Throttled`` past the limits,
    for every number alike; otherwise answers nothing either way."""
    phone_codes.check_send_allowed(purpose=PURPOSE, phone=phone, remote_addr=remote_addr)
    if _members_with(phone).exists():
        phone_codes.issue_code(purpose=PURPOSE, phone=phone)


def sign_in_with_code(*, phone: str, code: str, remote_addr: str):
    """The login of the member with this mobile, once the code is right; None for a wrong or expired code.
    Raises ``phone_codes.Throttled`` past the tries allowed, ``CannotSignIn`` when the number is not one
    member's."""
    if not phone_codes.redeem_code(purpose=PURPOSE, phone=phone, code=code, remote_addr=remote_addr):
        return None
    people = list(_members_with(phone).select_related("user").order_by("pk")[:5])
    if len({member.id_number for member in people}) != 1:
        # Only a number on file gets a code: no row means the membership ended in the last minutes.
        raise CannotSignIn(
            _(
                "This mobile number is on the roster of more than one member, or of none any more. "
                "Ask your union chair to check your mobile number on the roster."
            )
        )
    return login_for(people[0])


def login_for(member: Member):
    """The member's login, created and tied to the membership the first time (also the demo's and tests' way in)."""
    User = get_user_model()
    with transaction.atomic():
        # No select_related: PostgreSQL refuses FOR UPDATE on the nullable side of the outer join to the login.
        member = Member.objects.select_for_update().get(pk=member.pk)
        if member.user_id:
            return User.objects.get(pk=member.user_id)
        # The same person's earlier membership may hold the login (a transfer): it moves with them.
        earlier = (
            Member.objects.filter(id_number=member.id_number).exclude(pk=member.pk).exclude(user=None).first()
        )
        if earlier is not None:
            user = earlier.user
            Member.objects.filter(pk=earlier.pk).update(user=None)
        else:
            try:
                with transaction.atomic():
                    user = User.objects.create(username=f"m{member.pk}", name=member.name, phone=member.phone)
            except IntegrityError:  # a login of that name exists (created by hand): reuse only if unlinked
                user = User.objects.get(username=f"m{member.pk}")
                if Member.objects.filter(user=user).exists():
                    raise
            user.set_unusable_password()
            user.save(update_fields=["password"])
        Member.objects.filter(pk=member.pk).update(user=user)
    return user


def sign_out_everywhere(*, user) -> None:
    """End every session of this login, on every device (the next request of each is signed out)."""
    get_user_model().objects.filter(pk=user.pk).update(session_generation=F("session_generation") + 1)


def accept_privacy(*, user) -> PrivacyConsent:
    """Record the consent to the current privacy notice (sending the form twice records it once)."""
    consent, _created = PrivacyConsent.objects.get_or_create(
        user=user, version=settings.MEMBER_PRIVACY_VERSION, defaults={"accepted_at": timezone.now()}
    )
    return consent


def can_confirm_phone(user, member: Member) -> bool:
    return user.is_authenticated and (
        has_duty(user, "members.change_member") or (member.union.chair_id == user.pk and user.is_active)
    )


def confirm_phone(*, member: Member, phone: str, by) -> Member:
    """The chair confirms (or corrects) a member's mobile, so that the member can sign in with it. Audited."""
    if not can_confirm_phone(by, member):
        raise PermissionDenied
    phone = clean_mobile(phone)
    with transaction.atomic(), set_actor(by):
        member = Member.objects.select_for_update().get(pk=member.pk)
        if not member.is_active_member:
            raise ValidationError(
                _("Only a current membership can be given a mobile number to sign in with.")
            )
        others = _members_with(phone).exclude(id_number=member.id_number)
        if others.exists():
            raise ValidationError(
                _("This mobile number is on another member's roster entry; correct that one first."),
                code="phone_taken",
            )
        member.phone = phone
        member.save(update_fields=["phone", "updated_at"])
    return member
