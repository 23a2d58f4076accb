"""The worker's side of casework, with no login: the complaint form's intake, the tracking code and
the tracking page's answer, and the guards of both pages (hourly limits per client, one case per
form however often it is sent).

Case numbers: ``WQ2026-0001``, a sequence per year; the unique constraint on ``Case.number`` is
the backstop when two intakes take the same number at once (the insert is retried).

Tracking codes: 12 characters from an alphabet without look-alikes (no 0/O, 1/I/L), shown grouped
(``K7QM-4XPA-9RTE``), about 59 bits of chance. Only ``sha256("<case number>:<normalised code>")``
is stored: the case number salts it, so equal codes never share a hash and one precomputed table
cannot serve every case. No secret key enters the hash on purpose: rotating ``SECRET_KEY`` must not
lock every worker out of their case, and whoever could read the hash from the database can already
read the case itself, which is all the code guards. Guessing online is bounded by the hourly limit.
"""

import dataclasses
import datetime
import hashlib
import hmac
import ipaddress
import re
import secrets
import time
import unicodedata
from collections.abc import Mapping, Sequence

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from members.models import Enterprise, Member
from members.validators import clean_phone
from unionhub.uploads import UploadPolicy, stored_extension

from ..models import Case, CaseEvent, Evidence
from ..rules import rules
from ..tasks import notify_new_case

CASE_NUMBER_PREFIX = "WQ"
NUMBER_ATTEMPTS = 5
TRACKING_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
TRACKING_GROUPS, TRACKING_GROUP_LENGTH = 3, 4
MIN_DESCRIPTION_CHARACTERS = 20
# A hash no code can produce, compared against when the case number does not exist, so that a
# wrong number costs the same work as a wrong code.
_NO_CASE_HASH = "-" * 64


# --- case numbers and tracking codes ------------------------------------------------------------


def new_case_number(on: datetime.date) -> str:
    """The next free number of ``on``'s year: ``WQ2026-0001``, ``WQ2026-0002``, … (more digits past 9999)."""
    prefix = f"{CASE_NUMBER_PREFIX}{on.year}-"
    taken = Case.objects.filter(number__startswith=prefix).values_list("number", flat=True)
    sequences = (
        int(rest) for number in taken if (rest := number.removeprefix(prefix)).isascii() and rest.isdigit()
    )
    return f"{prefix}{max(sequences, default=0) + 1:04d}"


def tracking_code() -> str:
    """A fresh code for the worker to keep: ``K7QM-4XPA-9RTE``."""
    characters = "".join(
        secrets.choice(TRACKING_ALPHABET) for _ in range(TRACKING_GROUPS * TRACKING_GROUP_LENGTH)
    )
    return "-".join(
        characters[i : i + TRACKING_GROUP_LENGTH] for i in range(0, len(characters), TRACKING_GROUP_LENGTH)
    )


def _normalised(value: str) -> str:
    """Upper case, full-width characters made half-width (a Chinese keyboard types ＫＱ７), and every
    space and dash dropped."""
    return re.sub(r"[^0-9A-Z]", "", unicodedata.normalize("NFKC", value or "").upper())


def normalise_case_number(value: str) -> str:
    """``wq2026 - 0001`` and ``ＷＱ２０２６－０００１`` → ``WQ2026-0001``."""
    compact = _normalised(value)
    match = re.fullmatch(rf"({CASE_NUMBER_PREFIX}\d{{4}})(\d+)", compact)
    return f"{match[1]}-{match[2]}" if match else compact


def tracking_code_hash(number: str, code: str) -> str:
    """What ``Case.tracking_code_hash`` holds for this code (see the module's docstring)."""
    return hashlib.sha256(f"{number}:{_normalised(code)}".encode()).hexdigest()


# --- the complaint form -------------------------------------------------------------------------


# What a worker may attach to a complaint, and what casework attaches to a timeline entry: PDF, JPEG or
# PNG by content, up to the size the rules set (unionhub.uploads).
EVIDENCE_POLICY = UploadPolicy(
    kinds=("pdf", "jpeg", "png"),
    max_bytes=lambda: rules().public_max_file_bytes,
    refusal=gettext_lazy("%(name)s is not a PDF, JPEG or PNG file."),
    name_must_match=False,
    accept=".pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png",
)


def _evidence_problems(files: Sequence) -> list[str]:
    r = rules()
    if len(files) > r.public_max_files:
        return [_("At most %(count)d files can be attached.") % {"count": r.public_max_files}]
    return EVIDENCE_POLICY.problems(files)


def _text(data: Mapping, key: str) -> str:
    return (data.get(key) or "").strip()


def complaint_problems(data: Mapping, files: Sequence, *, on: datetime.date) -> dict[str, list[str]]:
    """Every reason the complaint cannot be taken in, by field (``evidence`` for the files)."""
    problems: dict[str, list[str]] = {}

    def refuse(field: str, message: str) -> None:
        problems.setdefault(field, []).append(message)

    if data.get("type") and data["type"] not in Case.Type.values:
        refuse("type", _("Choose the kind of request."))
    if data.get("category") not in Case.Category.values:
        refuse("category", _("Choose what the problem is about."))
    if len(_text(data, "description")) < MIN_DESCRIPTION_CHARACTERS:
        refuse(
            "description",
            _("Describe what happened in at least %(count)d characters.")
            % {"count": MIN_DESCRIPTION_CHARACTERS},
        )
    if not _text(data, "employer_name"):
        refuse("employer_name", _("Name the employer."))
    if not data.get("anonymous"):
        if not _text(data, "complainant_name"):
            refuse("complainant_name", _("Give your name, or choose to complain anonymously."))
        if not _text(data, "complainant_phone"):
            refuse(
                "complainant_phone", _("Give a phone number so that the service station can call you back.")
            )
    if phone := _text(data, "complainant_phone"):
        try:
            clean_phone(phone)
        except ValidationError as error:
            problems.setdefault("complainant_phone", []).extend(error.messages)
    if data.get("workers_affected") is not None and data["workers_affected"] < 1:
        refuse("workers_affected", _("At least one worker is affected."))
    if data.get("amount_claimed") is not None and data["amount_claimed"] < 0:
        refuse("amount_claimed", _("The amount cannot be negative."))
    for field in ("harm_known_on", "employment_ended_on"):
        if data.get(field) and data[field] > on:
            refuse(field, _("The date cannot be in the future."))
    if evidence := _evidence_problems(files):
        problems["evidence"] = evidence
    return problems


def _insert_with_new_number(case: Case, code: str, on: datetime.date) -> None:
    """Save the new case under the next number; when another intake took that number meanwhile,
    the unique constraint refuses the insert and the next number is tried."""
    for attempt in range(NUMBER_ATTEMPTS):
        case.number = new_case_number(on)
        case.tracking_code_hash = tracking_code_hash(case.number, code)
        try:
            with transaction.atomic():
                case.save(force_insert=True)
            return
        except IntegrityError:
            if attempt == NUMBER_ATTEMPTS - 1:
                raise


def submit_public(
    *, data: Mapping, files: Sequence = (), on: datetime.date | None = None, member: Member | None = None
) -> tuple[Case, str]:
    """Take in a complaint from the public form: the case (channel web), its evidence and a first,
    internal timeline note, in one transaction. ``data`` holds the form's cleaned values under the
    names of ``Case`` fields; ``files`` the uploaded evidence. Returns the case and its tracking code,
    which is not kept anywhere: the caller shows it to the worker once.

    Raises ``ValidationError`` (a dict by field) and writes nothing when the complaint is incomplete
    or a file is refused. An anonymous complainant's name is not stored; a phone is kept if given,
    so that the station can call back.

    ``member``: the signed complaint of a member signed in to the member area
    (``grievances.services.member``): the case names their membership record. Never with an
    anonymous complaint."""
    on = on or timezone.localdate()
    if problems := complaint_problems(data, files, on=on):
        raise ValidationError(problems)
    anonymous = bool(data.get("anonymous"))
    if anonymous and member is not None:
        raise ValueError("an anonymous complaint names no member")
    employer = _text(data, "employer_name")
    phone = _text(data, "complainant_phone")
    case = Case(
        channel=Case.Channel.WEB,
        type=data.get("type") or Case.Type.COMPLAINT,
        category=data["category"],
        description=_text(data, "description"),
        employer_name=employer,
        enterprise=Enterprise.objects.filter(name=employer).order_by("pk").first(),
        workers_affected=data.get("workers_affected") or 1,
        amount_claimed=data.get("amount_claimed"),
        harm_known_on=data.get("harm_known_on"),
        employment_ended_on=data.get("employment_ended_on"),
        anonymous=anonymous,
        complainant_name="" if anonymous else _text(data, "complainant_name"),
        complainant_phone=clean_phone(phone) if phone else "",
        member=member,
        is_member=member is not None or bool(data.get("is_member")),
        is_migrant_worker=bool(data.get("is_migrant_worker")),
        received_on=on,
    )
    code = tracking_code()
    stored: list[Evidence] = []
    try:
        with transaction.atomic():
            _insert_with_new_number(case, code, on)
            # The timeline is read by staff: written in the office's language, whatever the worker's.
            with translation.override(settings.LANGUAGE_CODE):
                note = (
                    _("Filed by the member, signed in to the member area.")
                    if member is not None
                    else _("Received through the web form.")
                )
            CaseEvent.objects.create(case=case, kind=CaseEvent.Kind.NOTE, at=timezone.now(), text=note)
            for upload in files:
                # Stored under a random name: a worker's file name often carries their own name.
                evidence = Evidence(case=case, original_name=upload.name[:200], from_worker=True)
                # Stored under a random name with the extension of its content (unionhub.storage).
                evidence.upload.save(f"evidence{stored_extension(upload)}", upload, save=False)
                stored.append(evidence)
                evidence.save()
            announce_new_case(case)
    except Exception:
        for evidence in stored:
            evidence.upload.delete(save=False)
        raise
    return case, code


# --- the tracking page --------------------------------------------------------------------------


def announce_new_case(case: Case) -> None:
    """Every new case, whatever its channel (this form, or a call, a letter or a visit taken in by
    ``grievances.services.open_case``), reaches the casework duty: the notice task is enqueued with the
    case's id when the intake's transaction commits, never for an intake rolled back."""
    case_id = case.pk
    transaction.on_commit(lambda: notify_new_case.delay(case_id))


def track(number: str, code: str) -> Case | None:
    """The case with this number if the code is its tracking code, else None — the same None, for
    the same work, whether the number or the code is wrong."""
    number = normalise_case_number(number)
    case = Case.objects.filter(number=number).first() if number else None
    expected = case.tracking_code_hash if case is not None and case.tracking_code_hash else _NO_CASE_HASH
    if hmac.compare_digest(tracking_code_hash(number, code), expected) and case is not None:
        return case
    return None


@dataclasses.dataclass(frozen=True)
class PublicReply:
    on: datetime.date
    text: str


@dataclasses.dataclass(frozen=True)
class PublicCase:
    """All the tracking page shows: no handler, no internal note, no identity."""

    number: str
    received_on: datetime.date
    stage: str
    outcome: str
    replies: tuple[PublicReply, ...]


def public_view(case: Case) -> PublicCase:
    replies = case.events.filter(kind=CaseEvent.Kind.REPLY, public=True).order_by("at", "pk")
    return PublicCase(
        number=case.number,
        received_on=case.received_on,
        stage=str(case.get_stage_display()),
        outcome=str(case.get_outcome_display()) if case.stage == Case.Stage.CLOSED else "",
        replies=tuple(PublicReply(on=timezone.localdate(reply.at), text=reply.text) for reply in replies),
    )


# --- guards: hourly limits per client, one case per form ----------------------------------------

LIMITED_ACTIONS = {"submission": "public_submissions_per_hour", "tracking": "tracking_attempts_per_hour"}
WINDOW_SECONDS = 3600
FORM_TOKEN_SECONDS = 24 * 3600


def _client(remote_addr: str) -> str:
    """The address limits are counted for; an IPv6 client by its /64, which one household holds whole."""
    try:
        address = ipaddress.ip_address(remote_addr)
    except ValueError:
        return "unknown"
    if address.version == 6:
        return str(ipaddress.ip_network(f"{address}/64", strict=False))
    return str(address)


def _window() -> int:
    return int(time.time()) // WINDOW_SECONDS


def _counter_key(action: str, remote_addr: str, window: int) -> str:
    return f"grievances:public:{action}:{window}:{_client(remote_addr)}"


def retry_after(action: str, remote_addr: str) -> datetime.datetime | None:
    """When this client may try ``action`` again if it has used up the hour's allowance, else None.
    Windows are fixed clock hours, counted in the cache shared by every web worker."""
    window = _window()
    if cache.get(_counter_key(action, remote_addr, window), 0) < getattr(rules(), LIMITED_ACTIONS[action]):
        return None
    return datetime.datetime.fromtimestamp((window + 1) * WINDOW_SECONDS, tz=datetime.UTC)


def count_attempt(action: str, remote_addr: str) -> None:
    key = _counter_key(action, remote_addr, _window())
    if cache.add(key, 1, timeout=WINDOW_SECONDS + 60):
        return
    try:
        cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, timeout=WINDOW_SECONDS + 60)


def new_form_token() -> str:
    return secrets.token_urlsafe(16)


def claim_form_token(token: str) -> bool:
    """True the first time a form's token is sent, False for every copy after it (a double click, a
    resent request). Atomic in the shared cache, so two copies arriving together cannot both pass."""
    return cache.add(f"grievances:public:form:{token}", True, timeout=FORM_TOKEN_SECONDS)


def release_form_token(token: str) -> None:
    """The form was refused: the worker corrects it and sends the same form again."""
    cache.delete(f"grievances:public:form:{token}")
