"""The counter check and what follows it: is this card good here, what discount applies, and the
redemption the counter records afterwards. Plus the merchant record's own workflows (agreement,
branches, counter staff accounts) and the agreement-ending reminder.

What a counter learns is deliberately narrow: valid or not (and why, in one word), the discount
that applies at this shop, and the holder's masked name (王*明) — never the full name, ID number,
phone or union. Every attempt is logged as a ``CardCheck``, except one beyond the rate limit: that
one is refused before it is evaluated and is not written to the database (a flood of refused
attempts would otherwise fill the table it is meant to be limited from); it is logged to the
application log with the merchant and account ids instead.
"""

import dataclasses
import datetime
import logging
from decimal import ROUND_HALF_UP, Decimal

from auditlog.models import LogEntry
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from members.models import Member
from unionhub.access import require
from unionhub.masking import mask_name
from unionhub.notices import notify

from .. import permissions
from ..models import Branch, Card, CardCheck, Merchant, Redemption
from ..rules import rules
from .cards import group_number, is_digits, number_problem, valid_number

log = logging.getLogger(__name__)

# A redemption must follow its valid check within this time, at the same merchant.
REDEMPTION_WINDOW = datetime.timedelta(minutes=10)
CENT = Decimal("0.01")


class RateLimited(Exception):
    """Too many checks from this account in the current minute."""

    def __init__(self, limit: int):
        self.limit = limit
        super().__init__(
            _("Too many checks: at most %(limit)d a minute. Please wait a moment and try again.")
            % {"limit": limit}
        )


@dataclasses.dataclass(frozen=True)
class CheckResult:
    """What the counter is told, and nothing else. ``reason`` is a key of ``REASONS``."""

    valid: bool
    reason: str
    word: str
    holder: str  # masked name, "" unless valid
    discount: str  # the discount in words, "" unless valid
    rule: str  # the discount rule, "" unless valid
    check_id: int
    entered: str

    @property
    def css(self) -> str:
        return "valid" if self.valid else "refused"

    @property
    def detail(self) -> str:
        """What to do about a number that is not a card number (the word says only that it is not)."""
        return _details().get(self.reason, "")

    @property
    def shown(self) -> str:
        """The number as entered, in groups of four (as printed on the card) when it is all digits."""
        return group_number(self.entered) if is_digits(self.entered) else self.entered

    @property
    def keep_number(self) -> bool:
        """Whether the counter gets the number back in the field to correct it: after a typo, or a
        number no card carries (often a typo the check digit happens not to catch)."""
        return self.reason in NUMBER_PROBLEMS or self.reason == "unknown"


# Finer reasons than the logged ``CardCheck.Result.BAD_NUMBER``, so that the counter is told what to fix.
NUMBER_PROBLEMS = ("bad_characters", "bad_length", "bad_check_digit")


def _reasons() -> dict[str, str]:
    return {
        "valid": _("Valid"),
        "bad_number": _("Not a card number"),
        "bad_characters": _("Not a card number"),
        "bad_length": _("Not a card number"),
        "bad_check_digit": _("Not a card number"),
        "unknown": _("Unknown card"),
        "lost": _("Card reported lost"),
        "cancelled": _("Card no longer valid"),
        "agreement_ended": _("This shop's agreement has ended"),
        "agreement_not_started": _("This shop's agreement has not started yet"),
    }


def _details() -> dict[str, str]:
    return {
        "bad_characters": _("A card number has digits only (spaces between the groups are fine)."),
        "bad_length": _("A card number has 16 digits: please count them against the card."),
        "bad_check_digit": _(
            "The check digit does not match: a digit was probably mistyped. Please compare the number "
            "with the card."
        ),
        "unknown": _("No card has this number: please compare it with the card."),
    }


# --- the discount -------------------------------------------------------------------------------


def discount_for(merchant: Merchant, amount_spent: Decimal) -> Decimal:
    """The discount the merchant's rule gives on ``amount_spent`` (yuan, to the fen, never more than spent)."""
    spent = Decimal(amount_spent)
    if spent <= 0:
        return Decimal("0.00")
    kind = merchant.discount_kind
    if kind == Merchant.DiscountKind.PERCENT:
        discount = spent * (merchant.discount_percent or 0) / 100
    elif kind == Merchant.DiscountKind.FIXED:
        discount = min(merchant.discount_amount or Decimal(0), spent)
    elif kind == Merchant.DiscountKind.SPEND_SAVE:
        threshold = merchant.spend_threshold or Decimal(0)
        discount = min(merchant.discount_amount or Decimal(0), spent) if spent >= threshold else Decimal(0)
    else:
        discount = Decimal(0)
    return Decimal(discount).quantize(CENT, rounding=ROUND_HALF_UP)


def discount_rule(merchant: Merchant) -> str:
    """The rule in words, e.g. "10% off", "¥20 off", "¥30 off when spending ¥200 or more"."""
    kind = merchant.discount_kind
    if kind == Merchant.DiscountKind.PERCENT and merchant.discount_percent:
        return _("%(percent)s%% off") % {"percent": f"{merchant.discount_percent.normalize():f}"}
    if kind == Merchant.DiscountKind.FIXED and merchant.discount_amount:
        return _("¥%(amount)s off") % {"amount": merchant.discount_amount}
    if kind == Merchant.DiscountKind.SPEND_SAVE and merchant.discount_amount and merchant.spend_threshold:
        return _("¥%(amount)s off when spending ¥%(threshold)s or more") % {
            "amount": merchant.discount_amount,
            "threshold": merchant.spend_threshold,
        }
    return ""


# --- the agreement ------------------------------------------------------------------------------


def agreement_state(merchant: Merchant, day: datetime.date | None = None) -> str:
    """ "valid", "agreement_not_started" or "agreement_ended". An empty start or end is open-ended;
    an inactive merchant's agreement counts as ended."""
    day = day or timezone.localdate()
    if not merchant.is_active:
        return "agreement_ended"
    if merchant.agreement_start and day < merchant.agreement_start:
        return "agreement_not_started"
    if merchant.agreement_end and day > merchant.agreement_end:
        return "agreement_ended"
    return "valid"


def agreement_is_valid(merchant: Merchant, day: datetime.date | None = None) -> bool:
    return agreement_state(merchant, day) == "valid"


# --- the check ----------------------------------------------------------------------------------


def _take_rate_slot(user, now: datetime.datetime) -> None:
    """One slot of ``checks_per_minute`` for this account in this clock minute (a fixed window)."""
    limit = rules().checks_per_minute
    key = f"perks:counter-checks:{user.pk}:{now:%Y%m%d%H%M}"
    cache.add(key, 0, timeout=90)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=90)
        count = 1
    if count > limit:
        raise RateLimited(limit)


def describe(card_check: CardCheck, *, reason: str | None = None) -> CheckResult:
    """The counter's view of a logged check (used right after the check and to show it again)."""
    reason = reason or card_check.result
    valid = card_check.result == CardCheck.Result.VALID
    merchant = card_check.merchant
    holder = mask_name(card_check.card.member.name) if valid and card_check.card else ""
    return CheckResult(
        valid=valid,
        reason=reason,
        word=_reasons()[reason],
        holder=holder,
        discount=merchant.discount if valid else "",
        rule=discount_rule(merchant) if valid else "",
        check_id=card_check.pk,
        entered=card_check.entered,
    )


def check(*, by, merchant: Merchant, entered: str, now: datetime.datetime | None = None) -> CheckResult:
    """Check a card number typed (or scanned) at ``merchant``'s counter by ``by``, one of its counter
    staff (the caller makes sure of that). Logs a ``CardCheck``; raises ``RateLimited`` beyond
    ``rules().checks_per_minute`` for this account, without logging a row (see the module doc)."""
    explicit_now = now is not None
    now = now or timezone.now()
    try:
        _take_rate_slot(by, now)
    except RateLimited:
        log.warning("counter check rate limit: merchant %s, account %s", merchant.pk, by.pk)
        raise
    entered = (entered or "").strip()[:40]
    card = None
    reason = agreement_state(merchant, timezone.localdate(now))
    if reason == "valid":
        number = valid_number(entered)
        if number is None:
            reason = number_problem(entered) or "bad_number"
        else:
            card = (
                Card.objects.select_related("member")
                .only("id", "status", "member__name", "member__status")
                .filter(number=number)
                .first()
            )
            if card is None:
                reason = "unknown"
            elif card.status == Card.Status.LOST:
                reason = "lost"
            elif card.status != Card.Status.ACTIVE or card.member.status not in Member.ACTIVE_STATUSES:
                reason = "cancelled"
    if reason.startswith("agreement"):
        result = CardCheck.Result.AGREEMENT_ENDED
    elif reason in NUMBER_PROBLEMS:
        result = CardCheck.Result.BAD_NUMBER
    else:
        result = reason
    card_check = CardCheck.objects.create(
        merchant=merchant, checked_by=by, entered=entered, card=card, result=result
    )
    if explicit_now:
        # ``at`` is auto_now_add: an explicit ``now`` (a replay, a test) costs one more query.
        CardCheck.objects.filter(pk=card_check.pk).update(at=now)
        card_check.at = now
    return describe(card_check, reason=reason)


def recent_valid_check(
    *, merchant: Merchant, check_id, now: datetime.datetime | None = None
) -> CardCheck | None:
    """A valid check at ``merchant`` within the redemption window and not yet redeemed, or None."""
    now = now or timezone.now()
    return (
        CardCheck.objects.select_related("merchant", "card__member")
        .filter(
            pk=check_id,
            merchant=merchant,
            result=CardCheck.Result.VALID,
            at__gte=now - REDEMPTION_WINDOW,
            redemption__isnull=True,
        )
        .first()
    )


# --- the redemption -----------------------------------------------------------------------------


def record_redemption(
    *,
    by,
    merchant: Merchant,
    card_check: CardCheck,
    amount_spent: Decimal,
    discount_given: Decimal | None = None,
    now: datetime.datetime | None = None,
) -> Redemption:
    """Record a purchase with the card after a valid check at the same merchant within
    ``REDEMPTION_WINDOW``. ``discount_given`` defaults to the merchant's rule. Raises
    ``ValidationError`` for a bad amount or a check that cannot be redeemed (again)."""
    now = now or timezone.now()
    limit = rules().max_redemption
    spent = Decimal(amount_spent) if amount_spent is not None else None
    if spent is None or spent <= 0:
        raise ValidationError(_("The amount spent must be more than zero."), code="amount")
    if spent > limit:
        raise ValidationError(
            _("An amount over ¥%(limit)s cannot be right: please check it.") % {"limit": limit}, code="absurd"
        )
    discount = discount_for(merchant, spent) if discount_given is None else Decimal(discount_given)
    if discount < 0:
        raise ValidationError(_("The discount cannot be negative."), code="discount")
    if discount > spent:
        raise ValidationError(_("The discount cannot be more than the amount spent."), code="discount")
    with transaction.atomic():
        locked = CardCheck.objects.select_for_update().filter(pk=card_check.pk).first()
        if (
            locked is None
            or locked.merchant_id != merchant.pk
            or locked.result != CardCheck.Result.VALID
            or locked.card_id is None
        ):
            raise ValidationError(
                _("Check the card first: a purchase follows a valid check at this shop."), code="no_check"
            )
        if locked.at < now - REDEMPTION_WINDOW:
            raise ValidationError(
                _("This check is more than %(minutes)d minutes old: check the card again.")
                % {"minutes": REDEMPTION_WINDOW.seconds // 60},
                code="stale",
            )
        if Redemption.objects.filter(card_check=locked).exists():
            raise ValidationError(_("This check has already been used for a purchase."), code="twice")
        try:
            with transaction.atomic():
                redemption = Redemption.objects.create(
                    merchant=merchant,
                    card_id=locked.card_id,
                    card_check=locked,
                    amount_spent=spent.quantize(CENT),
                    discount_given=discount.quantize(CENT),
                    at=now,
                    recorded_by=by,
                )
        except IntegrityError as error:  # a concurrent second submit of the same check
            raise ValidationError(
                _("This check has already been used for a purchase."), code="twice"
            ) from error
        LogEntry.objects.log_create(
            redemption,
            action=LogEntry.Action.CREATE,
            actor=by,
            force_log=True,
            changes={
                "amount_spent": ["", str(redemption.amount_spent)],
                "discount_given": ["", str(redemption.discount_given)],
            },
        )
    return redemption


# --- the merchant record (federation staff) -----------------------------------------------------


def save_merchant(*, by, form) -> Merchant:
    """Create or update a merchant from a validated ModelForm (auditlog records the change)."""
    require(permissions.can_change_merchant(by) if form.instance.pk else permissions.can_add_merchant(by))
    with transaction.atomic():
        return form.save()


def add_branch(*, by, merchant: Merchant, name: str, address: str, phone: str = "") -> Branch:
    require(permissions.can_change_merchant(by))
    with transaction.atomic():
        return Branch.objects.create(merchant=merchant, name=name, address=address, phone=phone)


def remove_branch(*, by, branch: Branch) -> None:
    require(permissions.can_change_merchant(by))
    with transaction.atomic():
        branch.delete()


def add_counter_staff(*, by, merchant: Merchant, username: str):
    """Give an existing account counter access at ``merchant``. An account with no other role is
    then confined to the counter check (see ``perks.middleware``)."""
    require(permissions.can_change_merchant(by))
    user = get_user_model().objects.filter(username=username.strip(), is_active=True).first()
    if user is None:
        raise ValidationError(_("No active account with this username."), code="unknown_user")
    with transaction.atomic():
        merchant.staff.add(user)
        _audit_staff(merchant, by, added=user.username)
    return user


def remove_counter_staff(*, by, merchant: Merchant, user) -> None:
    require(permissions.can_change_merchant(by))
    with transaction.atomic():
        merchant.staff.remove(user)
        _audit_staff(merchant, by, removed=user.username)


def reveal_phone(
    *, by, merchant: Merchant, branch: Branch | None = None, remote_addr: str | None = None
) -> str:
    """Return the unmasked phone of ``merchant``'s contact person (or of ``branch``) and log that ``by``
    saw it (PIPL: access is recorded, as for a member's ID number)."""
    require(permissions.can_reveal_contact_phone(by))
    if branch is not None and branch.merchant_id != merchant.pk:
        raise PermissionDenied
    LogEntry.objects.log_create(
        merchant,
        action=LogEntry.Action.ACCESS,
        actor=by,
        remote_addr=remote_addr,
        force_log=True,
        additional_data={
            "revealed": "branch_phone" if branch else "contact_phone",
            "branch": branch and branch.pk,
        },
    )
    return branch.phone if branch else merchant.contact_phone


def _audit_staff(merchant: Merchant, by, **change) -> None:
    LogEntry.objects.log_create(
        merchant,
        action=LogEntry.Action.UPDATE,
        actor=by,
        force_log=True,
        changes={"counter_staff": ["", str(change)]},
        additional_data=change,
    )


# --- the reminder (wrapped as a Celery task elsewhere) ------------------------------------------


def remind_agreements_ending(*, today: datetime.date | None = None) -> int:
    """Tell every active federation staff member, once per merchant and agreement end date, that an
    active merchant's agreement ends within ``agreement_warning_days``. Safe to run every day:
    the notice key names both the merchant and the end date. Returns the number of notices sent."""
    today = today or timezone.localdate()
    until = today + datetime.timedelta(days=rules().agreement_warning_days)
    merchants = list(
        Merchant.objects.filter(is_active=True, agreement_end__gte=today, agreement_end__lte=until)
    )
    if not merchants:
        return 0
    staff = list(get_user_model().objects.filter(Q(is_staff=True) | Q(is_superuser=True), is_active=True))
    sent = 0
    for merchant in merchants:
        days = (merchant.agreement_end - today).days
        title = _("The agreement with %(merchant)s ends on %(date)s") % {
            "merchant": merchant.name,
            "date": merchant.agreement_end.isoformat(),
        }
        body = _("%(days)d days left: renew the agreement or let the counter check end with it.") % {
            "days": days
        }
        for user in staff:
            sent += notify(
                user=user,
                key=f"perks-agreement:{merchant.pk}:{merchant.agreement_end.isoformat()}",
                title=title,
                body=body,
                url=merchant.get_absolute_url(),
            )
    return sent
