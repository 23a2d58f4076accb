"""One-time codes sent by SMS to sign in with a mobile number (the member area, issue 22).

A code is six digits, valid ``PHONE_CODE_MINUTES`` (5) minutes, used once; a newer code for the same number
and purpose voids the older; five wrong tries void it too. Only digests are stored (``PhoneCode``): the
number's, to find its codes, and the code's, salted per row. The code goes out through the notification
service (``unionhub.notify.service.send_code``): the delivery log keeps the row with the code hidden.

Who may receive a code is not this module's business: the caller (the registry's member sign-in) asks only
for numbers it knows and answers every number the same way, so nobody learns whether a number is on file.
The limits per number and per address are counted here for every request, known number or not."""

import datetime
import hashlib
import hmac
import secrets

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from . import throttle
from .models import PhoneCode
from .notify.service import phone_hash, send_code

CODE_DIGITS = 6
MAX_WRONG_TRIES = 5
HOUR, DAY = 3600, 86400


class Throttled(Exception):
    """Too many codes asked for (or tried) from this number or address; ``until`` says when to try again."""

    def __init__(self, until: datetime.datetime | None):
        super().__init__(until)
        self.until = until


def _digest(salt: str, code: str) -> str:
    return hashlib.sha256(f"{salt}:{code}".encode()).hexdigest()


def _limits(purpose: str, number: str, address: str) -> list[tuple[str, int, int]]:
    return [
        # one code a minute: a second tap on "send" gets the same answer and no second text
        (f"{purpose}:send:number:{number}", 1, settings.PHONE_CODE_INTERVAL_SECONDS),
        (f"{purpose}:send:number:{number}", settings.PHONE_CODES_PER_HOUR, HOUR),
        (f"{purpose}:send:number:{number}", settings.PHONE_CODES_PER_DAY, DAY),
        (f"{purpose}:send:address:{address}", settings.PHONE_CODES_PER_ADDRESS_HOUR, HOUR),
    ]


def check_send_allowed(*, purpose: str, phone: str, remote_addr: str) -> None:
    """Raise ``Throttled`` if this number or address has had its share of codes; else count this request."""
    number = phone_hash(phone)[:32]
    address = throttle.client_address(remote_addr)
    waits = [
        until
        for name, limit, seconds in _limits(purpose, number, address)
        if seconds and (until := throttle.retry_after(name, limit=limit, seconds=seconds)) is not None
    ]
    if waits:
        raise Throttled(max(waits))
    for name, _limit, seconds in _limits(purpose, number, address):
        if seconds:
            throttle.count(name, seconds)


def issue_code(*, purpose: str, phone: str, now: datetime.datetime | None = None) -> str:
    """A new code for ``phone``, sent by SMS after the transaction commits; earlier open codes are voided."""
    now = now or timezone.now()
    code = "".join(secrets.choice("0123456789") for _ in range(CODE_DIGITS))
    salt = secrets.token_hex(16)
    digest = phone_hash(phone)
    minutes = settings.PHONE_CODE_MINUTES
    with transaction.atomic():
        PhoneCode.objects.filter(phone_hash=digest, purpose=purpose, used_at=None).update(used_at=now)
        PhoneCode.objects.create(
            purpose=purpose,
            phone_hash=digest,
            salt=salt,
            code_hash=_digest(salt, code),
            created_at=now,
            expires_at=now + datetime.timedelta(minutes=minutes),
        )
        send_code(phone=phone, code=code, minutes=minutes)  # its delivery row now, the text after commit
    return code


def redeem_code(*, purpose: str, phone: str, code: str, remote_addr: str = "", now=None) -> bool:
    """True, once, for the open code of ``phone``; False for a wrong, expired, used or voided one. Wrong tries
    count against the code (five void it) and against the number and the address (``Throttled``)."""
    now = now or timezone.now()
    number = phone_hash(phone)
    address = throttle.client_address(remote_addr)
    tries = [
        (f"{purpose}:try:number:{number[:32]}", settings.PHONE_CODE_TRIES_PER_HOUR, HOUR),
        (f"{purpose}:try:address:{address}", settings.PHONE_CODES_PER_ADDRESS_HOUR * 2, HOUR),
    ]
    waits = [
        u for name, limit, seconds in tries if (u := throttle.retry_after(name, limit=limit, seconds=seconds))
    ]
    if waits:
        raise Throttled(max(waits))
    code = "".join(ch for ch in (code or "") if ch.isascii() and ch.isdigit())
    with transaction.atomic():
        row = (
            PhoneCode.objects.select_for_update()
            .filter(phone_hash=number, purpose=purpose, used_at=None, expires_at__gt=now)
            .order_by("-created_at", "-pk")
            .first()
        )
        if (
            row is not None
            and len(code) == CODE_DIGITS
            and hmac.compare_digest(row.code_hash, _digest(row.salt, code))
        ):
            PhoneCode.objects.filter(pk=row.pk).update(used_at=now)
            return True
        if row is not None:
            row.failed_attempts += 1
            changes = {"failed_attempts": row.failed_attempts}
            if row.failed_attempts >= MAX_WRONG_TRIES:
                changes["used_at"] = now
            PhoneCode.objects.filter(pk=row.pk).update(**changes)
    for name, _limit, seconds in tries:
        throttle.count(name, seconds)
    return False


def purge(*, now=None, keep=datetime.timedelta(days=1)) -> int:
    """Delete the codes created more than ``keep`` ago (used, expired or voided long since): a code is personal
    data of a kind, kept no longer than it can matter. Answers how many were deleted."""
    now = now or timezone.now()
    deleted, _ = PhoneCode.objects.filter(created_at__lt=now - keep).delete()
    return deleted
