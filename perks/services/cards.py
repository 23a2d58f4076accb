"""Discount cards (惠工卡): numbering, issuing a batch, and the card's life — reported lost, replaced,
cancelled, and cancelled automatically when the holder's membership ends.

A number is the rules' prefix, an 11-digit sequence and a Luhn check digit: 16 digits. Sequences are
allocated under a lock (an advisory lock on PostgreSQL; SQLite's IMMEDIATE transactions already hold
the writer lock), so two concurrent issues never share one. The database constraint "one active card
per member" is the backstop behind the checks made here."""

import datetime
import unicodedata

from auditlog.models import LogEntry
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from stdnum import luhn

from members.models import GrassrootsUnion, Member
from unionhub.access import require
from unionhub.bulk import bulk_insert
from unionhub.notices import notify

from .. import permissions
from ..models import Card, CardBatch, LostCardReport
from ..rules import rules

NUMBER_LENGTH = 16
# PostgreSQL advisory lock key (one 64-bit key): "CARD" in ASCII.
_NUMBERING_LOCK = 0x43415244


def _sequence_width() -> int:
    return NUMBER_LENGTH - len(rules().card_prefix) - 1


def card_number(sequence: int) -> str:
    """The 16-digit card number of ``sequence``: prefix, zero-padded sequence, Luhn check digit."""
    width = _sequence_width()
    if not 0 < sequence < 10**width:
        raise ValueError(f"card sequence {sequence} does not fit in {width} digits")
    body = f"{rules().card_prefix}{sequence:0{width}d}"
    return body + luhn.calc_check_digit(body)


_SEPARATORS = (" ", "-", "\u2010", "\u2011", "\u2012", "\u2013", "\u2014", "\u2212", "\t", "\u3000")


def _digits_of(text: str) -> str:
    """``text`` without the spaces and dashes people type between groups, full-width digits folded."""
    digits = unicodedata.normalize("NFKC", str(text or ""))
    for separator in _SEPARATORS:
        digits = digits.replace(separator, "")
    return digits


def is_digits(text: str) -> bool:
    """ASCII digits only: ``str.isdigit`` alone also accepts "²" and other digit-like characters."""
    return bool(text) and text.isascii() and text.isdigit()


def number_problem(text: str) -> str | None:
    """Why ``text`` is not a card number, or None when it is one: "bad_characters" (something other
    than digits, spaces and dashes), "bad_length" (not 16 digits) or "bad_check_digit" (16 digits
    whose Luhn check digit does not match — nearly always one digit mistyped or two swapped). The
    check-digit rule is public (it is printed on no card, but Luhn is a standard), so telling the
    counter which of the three it is tells it nothing about any card."""
    digits = _digits_of(text)
    if not is_digits(digits):
        return "bad_characters"
    if len(digits) != NUMBER_LENGTH:
        return "bad_length"
    return None if luhn.is_valid(digits) else "bad_check_digit"


def valid_number(text: str) -> str | None:
    """The card number in ``text`` (spaces, dashes and full-width digits tolerated), or None when it
    is not 16 digits with a correct check digit."""
    if not text or number_problem(text) is not None:
        return None
    return _digits_of(text)


def group_number(number: str) -> str:
    """``8860000000000017`` → ``8860 0000 0000 0017``, as printed on the card."""
    return " ".join(number[i : i + 4] for i in range(0, len(number), 4))


def _lock_numbering() -> None:
    """Serialise number allocation until the transaction ends."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_NUMBERING_LOCK])


def _highest_sequence() -> int:
    prefix = rules().card_prefix
    # Numbers are fixed-width digits: the greatest string is the greatest sequence.
    highest = (
        Card.objects.filter(number__startswith=prefix)
        .order_by("-number")
        .values_list("number", flat=True)
        .first()
    )
    return int(highest[len(prefix) : -1]) if highest else 0


def _stored_note(message) -> str:
    """A note written by the system is stored in the site's language (it is data, not interface)."""
    with translation.override(settings.LANGUAGE_CODE):
        return str(message)[:200]


def _audit(card: Card, by, changes: dict, **extra) -> None:
    LogEntry.objects.log_create(
        card,
        action=LogEntry.Action.UPDATE,
        actor=by,
        force_log=True,
        changes={field: [str(old), str(new)] for field, (old, new) in changes.items()},
        additional_data=extra or None,
    )


def members_without_card(union: GrassrootsUnion | None = None):
    """Active (or retained) members with no active card, in the union or the whole district."""
    members = Member.objects.active().filter(
        ~Exists(Card.objects.filter(member=OuterRef("pk"), status=Card.Status.ACTIVE))
    )
    if union is not None:
        members = members.filter(union=union)
    return members


def issue_cards(*, by, union: GrassrootsUnion | None = None, on: datetime.date | None = None) -> CardBatch:
    """Give a card to every active member of ``union`` (or of the whole district) who has none, in one
    batch. Members who already hold an active card are skipped, so running it twice is harmless
    (the second batch has no cards). ``by=None`` is the operator's management command."""
    if by is not None:
        require(permissions.can_issue_cards(by, union))
    on = on or timezone.localdate()
    with transaction.atomic():
        _lock_numbering()
        member_ids = list(members_without_card(union).order_by("union_id", "pk").values_list("pk", flat=True))
        batch = CardBatch.objects.create(union=union, issued_on=on, count=len(member_ids), created_by=by)
        start = _highest_sequence() + 1
        active = Card.Status.ACTIVE.value
        rows = (
            (card_number(start + i), member_id, batch.pk, active, on, on, "")
            for i, member_id in enumerate(member_ids)
        )
        bulk_insert(
            Card, ["number", "member", "batch", "status", "issued_on", "status_changed_on", "note"], rows
        )
        # One audit record for the batch as a whole, not one per card.
        LogEntry.objects.log_create(
            batch,
            action=LogEntry.Action.CREATE,
            actor=by,
            force_log=True,
            changes={"count": ["0", str(len(member_ids))]},
            additional_data={"union": union.code if union else None},
        )
    return batch


def _check_may_hold_card(member: Member) -> None:
    if not member.is_active_member:
        raise ValidationError(
            _("%(name)s is not an active member (%(status)s): no card can be issued.")
            % {"name": member.name, "status": member.get_status_display()}
        )
    active = Card.objects.filter(member=member, status=Card.Status.ACTIVE).first()
    if active is not None:
        raise ValidationError(
            _("%(name)s already holds an active card (%(number)s); report it lost or cancel it first.")
            % {"name": member.name, "number": active.number}
        )


def _new_card(member: Member, on: datetime.date, batch: CardBatch | None = None) -> Card:
    _lock_numbering()
    try:
        with transaction.atomic():
            return Card.objects.create(
                number=card_number(_highest_sequence() + 1),
                member=member,
                batch=batch,
                status=Card.Status.ACTIVE,
                issued_on=on,
                status_changed_on=on,
            )
    except IntegrityError:
        # The constraint "one active card per member" caught what the check above could not see.
        raise ValidationError(_("%(name)s already holds an active card.") % {"name": member.name}) from None


def issue_card(*, by, member: Member, on: datetime.date | None = None) -> Card:
    """Issue one card to one member; refused when the member already holds an active card."""
    require(permissions.can_issue_cards(by, member.union))
    on = on or timezone.localdate()
    with transaction.atomic():
        member = Member.objects.select_for_update().get(pk=member.pk)
        _check_may_hold_card(member)
        card = _new_card(member, on)
        LogEntry.objects.log_create(
            card,
            action=LogEntry.Action.CREATE,
            actor=by,
            force_log=True,
            changes={"status": ["", card.status]},
        )
    return card


def _locked(card: Card) -> Card:
    return Card.objects.select_for_update(of=("self",)).select_related("member").get(pk=card.pk)


def report_lost(*, by, card: Card, on: datetime.date | None = None) -> Card:
    """Mark an active card lost: counters refuse it from now on."""
    require(permissions.can_change_card(by, card))
    on = on or timezone.localdate()
    with transaction.atomic():
        card = _locked(card)
        if card.status != Card.Status.ACTIVE:
            raise ValidationError(
                _("Only an active card can be reported lost; this card is “%(status)s”.")
                % {"status": card.get_status_display()}
            )
        card.status, card.status_changed_on = Card.Status.LOST, on
        card.save(update_fields=["status", "status_changed_on"])
        _audit(card, by, {"status": (Card.Status.ACTIVE, Card.Status.LOST)})
    return card


def replace(*, by, card: Card, on: datetime.date | None = None) -> Card:
    """Issue a new card in place of ``card`` (active or lost) and return it. A lost card stays "lost";
    an active one becomes "replaced". The old card keeps its number and points to the new one."""
    require(permissions.can_change_card(by, card))
    on = on or timezone.localdate()
    with transaction.atomic():
        card = _locked(card)
        member = Member.objects.select_for_update().get(pk=card.member_id)
        if card.status not in (Card.Status.ACTIVE, Card.Status.LOST) or card.replaced_by_id:
            raise ValidationError(
                _("This card cannot be replaced: it is “%(status)s”.") % {"status": card.get_status_display()}
            )
        if not member.is_active_member:
            raise ValidationError(
                _("%(name)s is not an active member (%(status)s): no card can be issued.")
                % {"name": member.name, "status": member.get_status_display()}
            )
        old_status = card.status
        if card.status == Card.Status.ACTIVE:
            # Free the member's one active card before the new one exists.
            card.status, card.status_changed_on = Card.Status.REPLACED, on
            card.save(update_fields=["status", "status_changed_on"])
        _check_may_hold_card(member)
        new = _new_card(member, on)
        card.replaced_by = new
        card.save(update_fields=["replaced_by"])
        _audit(card, by, {"status": (old_status, card.status), "replaced_by": ("", new.number)})
        _resolve_reports([card.pk], by=by, on=on, status=LostCardReport.Status.REPLACED, new_card=new)
        LogEntry.objects.log_create(
            new,
            action=LogEntry.Action.CREATE,
            actor=by,
            force_log=True,
            changes={"status": ["", new.status]},
            additional_data={"replaces": card.number},
        )
    return new


def cancel(*, by, card: Card, reason: str, on: datetime.date | None = None) -> Card:
    """Withdraw a card (active or lost) for good; the reason is kept in its note and the audit trail."""
    require(permissions.can_change_card(by, card))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("Say why the card is cancelled."))
    on = on or timezone.localdate()
    with transaction.atomic():
        card = _locked(card)
        if card.status not in (Card.Status.ACTIVE, Card.Status.LOST):
            raise ValidationError(
                _("This card cannot be cancelled: it is “%(status)s”.")
                % {"status": card.get_status_display()}
            )
        old_status = card.status
        card.status, card.status_changed_on, card.note = Card.Status.CANCELLED, on, reason[:200]
        card.save(update_fields=["status", "status_changed_on", "note"])
        _audit(card, by, {"status": (old_status, card.status)}, reason=reason[:500])
        _resolve_reports([card.pk], by=by, on=on, status=LostCardReport.Status.CLOSED)
    return card


def cancel_for_ended_memberships(*, member: Member | None = None, on: datetime.date | None = None) -> int:
    """Cancel the active cards of members whose membership is no longer active or retained (all of
    them, or ``member``'s). Run daily and after a membership change; running it twice does nothing
    more. Returns the number of cards cancelled."""
    on = on or timezone.localdate()
    cards = Card.objects.filter(status=Card.Status.ACTIVE).exclude(member__status__in=Member.ACTIVE_STATUSES)
    if member is not None:
        cards = cards.filter(member=member)
    note = _stored_note(_("Membership ended"))
    with transaction.atomic():
        ended = list(cards.select_for_update())
        for card in ended:
            card.status, card.status_changed_on, card.note = Card.Status.CANCELLED, on, note
            _audit(
                card, None, {"status": (Card.Status.ACTIVE, Card.Status.CANCELLED)}, reason="membership ended"
            )
        Card.objects.bulk_update(ended, ["status", "status_changed_on", "note"], batch_size=500)
        _resolve_reports([card.pk for card in ended], by=None, on=on, status=LostCardReport.Status.CLOSED)
    return len(ended)


# --- the member's own report, from the phone --------------------------------------------------------


def _resolve_reports(card_ids, *, by, on, status, new_card: Card | None = None) -> None:
    """Close the members' open lost reports of these cards: the chair has acted with the card's own
    actions (replace: "replaced", with the new card; cancel: "closed")."""
    if card_ids:
        LostCardReport.objects.open().filter(card_id__in=card_ids).update(
            status=status, resolved_on=on, resolved_by=by, new_card=new_card
        )


def report_lost_by_member(*, by, card: Card, on: datetime.date | None = None) -> LostCardReport:
    """The holder reports their own card lost, from the phone: the card is marked lost AT ONCE (a
    stolen card stops working at every counter from this moment, without waiting for the chair), and
    an open report goes to the chair of the holder's union (a notice, and the to-do card) who issues
    the replacement with the card's usual "replace" action, which closes the report.

    Only the holder's own login may report (a member reaching another's card is stopped by the view's
    404 first). A card the chair already marked lost may still be reported: the report asks for the
    new card. Submitting twice returns the open report rather than a second one (the card row is
    locked, and a database constraint allows one open report per card)."""
    on = on or timezone.localdate()
    with transaction.atomic():
        card = _locked(card)
        if not by.is_authenticated or card.member.user_id != by.pk:
            raise PermissionDenied
        existing = LostCardReport.objects.open().filter(card=card).first()
        if existing is not None:
            return existing
        if card.status not in (Card.Status.ACTIVE, Card.Status.LOST) or card.replaced_by_id:
            raise ValidationError(
                _("This card cannot be reported lost: it is “%(status)s”.")
                % {"status": card.get_status_display()}
            )
        if card.status == Card.Status.ACTIVE:
            card.status, card.status_changed_on = Card.Status.LOST, on
            card.save(update_fields=["status", "status_changed_on"])
            _audit(card, by, {"status": (Card.Status.ACTIVE, Card.Status.LOST)}, reported_by="member")
        report = LostCardReport.objects.create(card=card, reported_by=by, reported_at=timezone.now())
        LogEntry.objects.log_create(
            report, action=LogEntry.Action.CREATE, actor=by, force_log=True, changes={"status": ["", "open"]}
        )
        union = card.member.union
        if union.chair_id:
            notify(
                user=union.chair,
                key=f"card-lost:{report.pk}",
                title=_("%(name)s reported their discount card lost") % {"name": card.member.name},
                body=_(
                    "Card %(number)s is blocked: counters refuse it. Issue a new card with “Replace with "
                    "a new card” on the card's page."
                )
                % {"number": card.number},
                url=reverse("perks:card_detail", kwargs={"pk": card.pk}),
            )
    return report
