"""Sign-in letters: one-time links for the people who sign in and are not staff (chairs above all), issued
by organisation staff through the core's duty-checked ``issue_signin_link``, all or nothing. A link for a
person without a password yet is a first sign-in; for a person who has one, a reset. A reset link does
not touch the old password: it keeps working until the person sets a new one with the link (a printed
letter lost in the post locks nobody out)."""

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from unionhub.certificates import federation_name
from unionhub.models import SignInLink
from unionhub.signin_links import IssuedLink, issue_signin_link


def purpose_for(user) -> str:
    return SignInLink.Purpose.RESET if user.has_usable_password() else SignInLink.Purpose.FIRST


def issue_letters(*, users, by) -> list[IssuedLink]:
    """A link for each of ``users`` (each withdraws that person's older links), in one transaction: if
    ``by`` may not issue one of them, none is issued."""
    with transaction.atomic():
        return [issue_signin_link(user=user, by=by, purpose=purpose_for(user)) for user in users]


def email_letters(*, letters) -> int:
    """Send each letter whose person has an e-mail address to that address (after the commit that issued
    the links). Returns how many are sent."""
    sent = 0
    for letter in letters:
        user = letter["user"]
        if not user.email:
            continue
        body = render_to_string(
            "members/signin_letter_email.txt", {**letter, "federation": federation_name()}
        )
        subject = _("Your sign-in link for UnionHub")
        transaction.on_commit(
            lambda subject=subject, body=body, to=user.email: send_mail(
                subject, body, settings.DEFAULT_FROM_EMAIL, [to], fail_silently=True
            )
        )
        sent += 1
    return sent
