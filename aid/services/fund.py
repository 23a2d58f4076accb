"""The hardship fund's ledger: allocation, income, disbursement, reversal, balance, statement.

Every movement is a ``FundEntry``; the balance is their sum. Money leaves the fund only through
``disburse`` (and reversals of income), which lock the fund's row and check the balance inside the
same transaction, so two approvals at the same moment are serialised and the balance can never go
below zero. The allocation for a year is 5% (the ``hardship_fund`` rate in force on 31 December of
that year) of the union funds actually received that year (the dues remittances); it is posted once,
and only an explicit adjustment brings it up to date when late remittances arrive."""

import dataclasses
import datetime
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from members.models import DuesRate
from members.services.dues import union_funds_received
from unionhub.dates import month_bounds
from unionhub.money import ZERO, money

from ..models import Fund, FundEntry, Programme, ReversalProposal
from . import four_eyes


def the_fund() -> Fund:
    fund, _created = Fund.objects.get_or_create(pk=1, defaults={"name": "困难职工救助基金"})
    return fund


def _locked_fund() -> Fund:
    the_fund()
    return Fund.objects.select_for_update().get(pk=1)


def lock() -> Fund:
    """Lock the fund's row for the rest of the transaction: whatever is read after this (the balance,
    a programme's grants against its budget) cannot change under the caller until it commits."""
    return _locked_fund()


def balance(*, until: datetime.date | None = None) -> Decimal:
    """The fund's balance: the sum of every entry (posted on or before ``until`` when given)."""
    entries = FundEntry.objects.all()
    if until is not None:
        entries = entries.filter(posted_on__lte=until)
    return money(entries.aggregate(total=Sum("amount", default=ZERO))["total"])


# --- the yearly allocation ---------------------------------------------------------------------


def allocation_due(year: int) -> Decimal:
    """What the allocation for ``year`` should be today: the rate × union funds received that year."""
    rate = DuesRate.rate_on(DuesRate.Kind.HARDSHIP_FUND, datetime.date(year, 12, 31))
    return money(union_funds_received(year) * rate)


def allocated(year: int) -> Decimal:
    """What has been posted for ``year`` so far: the allocation and any adjustments (and their reversals)."""
    total = FundEntry.objects.filter(
        Q(year=year, kind__in=[FundEntry.Kind.ALLOCATION, FundEntry.Kind.ADJUSTMENT])
        | Q(
            kind=FundEntry.Kind.REVERSAL,
            reverses__year=year,
            reverses__kind__in=[FundEntry.Kind.ALLOCATION, FundEntry.Kind.ADJUSTMENT],
        )
    ).aggregate(total=Sum("amount", default=ZERO))["total"]
    return money(total)


def post_allocation(*, year: int, by=None, on: datetime.date | None = None) -> Decimal:
    """Post the year's allocation once. Returns the amount posted: 0 when it was already posted (a
    later shortfall is posted only by ``post_adjustment``) or when nothing was received."""
    on = on or timezone.localdate()
    amount = allocation_due(year)
    if amount <= 0:
        return ZERO
    try:
        with transaction.atomic():
            _locked_fund()
            if FundEntry.objects.filter(kind=FundEntry.Kind.ALLOCATION, year=year).exists():
                return ZERO
            FundEntry.objects.create(
                fund_id=1,
                kind=FundEntry.Kind.ALLOCATION,
                amount=amount,
                posted_on=on,
                year=year,
                created_by=by,
                description=_("%(year)d allocation: %(rate)s%% of union funds received (%(received)s)")
                % {
                    "year": year,
                    "received": union_funds_received(year),
                    "rate": (
                        DuesRate.rate_on(DuesRate.Kind.HARDSHIP_FUND, datetime.date(year, 12, 31)) * 100
                    ).normalize(),
                },
            )
    except IntegrityError:  # another run posted it between our check and our insert
        return ZERO
    return amount


def post_adjustment(*, year: int, by=None, on: datetime.date | None = None) -> Decimal:
    """Bring the year's allocation up to date with the remittances received since it was posted
    (late payments, or corrections). Returns the amount posted (0 when nothing changed)."""
    on = on or timezone.localdate()
    with transaction.atomic():
        _locked_fund()
        if not FundEntry.objects.filter(kind=FundEntry.Kind.ALLOCATION, year=year).exists():
            raise ValidationError(_("The %(year)d allocation has not been posted yet.") % {"year": year})
        difference = allocation_due(year) - allocated(year)
        if difference == 0:
            return ZERO
        if difference < 0 and balance() + difference < 0:
            raise ValidationError(
                _("The adjustment of %(amount)s would take the balance (%(balance)s) below zero.")
                % {"amount": difference, "balance": balance()}
            )
        FundEntry.objects.create(
            fund_id=1,
            kind=FundEntry.Kind.ADJUSTMENT,
            amount=difference,
            posted_on=on,
            year=year,
            created_by=by,
            description=_("%(year)d allocation brought up to date with the remittances received")
            % {"year": year},
        )
    return difference


# --- income, disbursement, reversal ------------------------------------------------------------


def post_income(
    *, kind: str, amount: Decimal, on: datetime.date, description: str, reference: str = "", by=None
) -> FundEntry:
    """A donation or a transfer from the charity federation."""
    if kind not in (FundEntry.Kind.DONATION, FundEntry.Kind.CHARITY_TRANSFER):
        raise ValidationError(
            _("Only donations and transfers from the charity federation are posted as income.")
        )
    amount = money(amount)
    if amount <= 0:
        raise ValidationError(_("The amount must be more than zero."))
    if not description.strip():
        raise ValidationError(_("Say where the money came from."))
    the_fund()
    return FundEntry.objects.create(
        fund_id=1,
        kind=kind,
        amount=amount,
        posted_on=on,
        created_by=by,
        description=description.strip()[:300],
        reference=reference.strip()[:60],
    )


def disburse(
    *,
    amount: Decimal,
    programme: Programme | None,
    description: str,
    by=None,
    on: datetime.date | None = None,
    reference: str = "",
) -> FundEntry:
    """Money out of the fund. Locks the fund and checks the balance in the same transaction; refuses
    (ValidationError with the figures) an amount the fund does not have. Call inside the caller's
    transaction when the disbursement belongs to a larger change (an approval)."""
    amount = money(amount)
    if amount <= 0:
        raise ValidationError(_("The amount must be more than zero."))
    with transaction.atomic():
        _locked_fund()
        available = balance()
        if amount > available:
            raise ValidationError(
                _("The fund holds %(balance)s yuan; %(amount)s yuan cannot be paid out.")
                % {"balance": f"{available:,}", "amount": f"{amount:,}"}
            )
        return FundEntry.objects.create(
            fund_id=1,
            kind=FundEntry.Kind.DISBURSEMENT,
            amount=-amount,
            posted_on=on or timezone.localdate(),
            programme=programme,
            description=description.strip()[:300],
            reference=reference[:60],
            created_by=by,
        )


def reverse(*, entry: FundEntry, reason: str, by=None, on: datetime.date | None = None) -> FundEntry:
    """Undo an entry with one that references it and carries the opposite amount. An entry is
    reversed at most once; a reversal is not reversed; undoing income cannot overdraw the fund."""
    if not reason.strip():
        raise ValidationError(_("Say why the entry is reversed."))
    if entry.kind == FundEntry.Kind.REVERSAL:
        raise ValidationError(_("A reversal cannot itself be reversed; post a new entry instead."))
    try:
        with transaction.atomic():
            _locked_fund()
            if FundEntry.objects.filter(reverses=entry).exists():
                raise ValidationError(_("This entry has already been reversed."))
            if entry.amount > 0 and balance() - entry.amount < 0:
                raise ValidationError(
                    _("Reversing %(amount)s yuan would take the balance (%(balance)s) below zero.")
                    % {"amount": f"{entry.amount:,}", "balance": f"{balance():,}"}
                )
            return FundEntry.objects.create(
                fund_id=1,
                kind=FundEntry.Kind.REVERSAL,
                amount=-entry.amount,
                reverses=entry,
                programme=entry.programme,
                year=entry.year,
                posted_on=on or timezone.localdate(),
                created_by=by,
                description=(
                    _("Reversal of %(entry)s: %(reason)s")
                    % {"entry": entry.description, "reason": reason.strip()}
                )[:300],
            )
    except IntegrityError:
        raise ValidationError(_("This entry has already been reversed.")) from None


# --- reversals on four eyes --------------------------------------------------------------------


def _require_poster(by) -> None:
    if not (by.is_federation_staff and by.has_perm("aid.add_fundentry")):
        raise PermissionDenied(_("Only aid staff may reverse fund entries."))


def propose_reversal(*, by, entry: FundEntry, reason: str) -> ReversalProposal:
    """Propose to undo an entry. Nothing moves until another person approves the proposal
    (``approve_reversal``); the entry's own checks (not a reversal, not already reversed) apply now."""
    _require_poster(by)
    reason = reason.strip()
    if not reason:
        raise ValidationError(_("Say why the entry is reversed."))
    if entry.kind == FundEntry.Kind.REVERSAL:
        raise ValidationError(_("A reversal cannot itself be reversed; post a new entry instead."))
    try:
        with transaction.atomic(), four_eyes.audited(by):
            lock()
            if FundEntry.objects.filter(reverses=entry).exists():
                raise ValidationError(_("This entry has already been reversed."))
            return ReversalProposal.objects.create(entry=entry, reason=reason[:200], proposed_by=by)
    except IntegrityError:
        raise ValidationError(_("A reversal of this entry is already waiting for approval.")) from None


def _open_proposal(proposal: ReversalProposal) -> ReversalProposal:
    proposal = ReversalProposal.objects.select_for_update().select_related("entry").get(pk=proposal.pk)
    if proposal.status != ReversalProposal.Status.PROPOSED:
        raise ValidationError(
            _("This proposal has already been decided (%(status)s).")
            % {"status": proposal.get_status_display()}
        )
    return proposal


def approve_reversal(*, by, proposal: ReversalProposal, on: datetime.date | None = None) -> ReversalProposal:
    """Post the proposed reversal: by someone other than its proposer (four eyes), under the fund's
    lock like every movement of money."""
    _require_poster(by)
    with transaction.atomic(), four_eyes.audited(by):
        lock()
        proposal = _open_proposal(proposal)
        four_eyes.check(by=by, proposer_id=proposal.proposed_by_id)
        proposal.reversal = reverse(entry=proposal.entry, reason=proposal.reason, by=by, on=on)
        proposal.status, proposal.decided_by, proposal.decided_at = (
            ReversalProposal.Status.APPROVED,
            by,
            timezone.now(),
        )
        proposal.save(update_fields=["reversal", "status", "decided_by", "decided_at"])
    return proposal


def decline_reversal(*, by, proposal: ReversalProposal) -> ReversalProposal:
    """Turn a proposal down (or take one's own back): the entry stands."""
    _require_poster(by)
    with transaction.atomic(), four_eyes.audited(by):
        proposal = _open_proposal(proposal)
        proposal.status, proposal.decided_by, proposal.decided_at = (
            ReversalProposal.Status.DECLINED,
            by,
            timezone.now(),
        )
        proposal.save(update_fields=["status", "decided_by", "decided_at"])
    return proposal


# --- the statement -----------------------------------------------------------------------------


@dataclasses.dataclass
class Statement:
    start: datetime.date
    end: datetime.date
    opening: Decimal
    allocations: Decimal
    donations: Decimal
    charity: Decimal
    by_programme: list[tuple[str, Decimal]]  # (programme kind label, amount paid out, positive)
    unassigned: Decimal  # disbursements without a programme
    closing: Decimal

    @property
    def other_income(self) -> Decimal:
        return self.donations + self.charity

    @property
    def disbursed(self) -> Decimal:
        return sum((amount for _label, amount in self.by_programme), ZERO) + self.unassigned


def period_bounds(year: int, month: int | None = None) -> tuple[datetime.date, datetime.date]:
    if month is None:
        return datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    return month_bounds(year, month)


def statement(*, year: int, month: int | None = None) -> Statement:
    """Opening balance, allocations, other income, disbursements by programme, closing balance for a
    month or a year. Two queries whatever the number of entries: the opening sum, and the period's
    sums grouped by kind (a reversal counts with the kind of the entry it undoes) and programme kind."""
    start, end = period_bounds(year, month)
    opening = money(
        FundEntry.objects.filter(posted_on__lt=start).aggregate(total=Sum("amount", default=ZERO))["total"]
    )
    rows = (
        FundEntry.objects.filter(posted_on__range=(start, end))
        .values_list("kind", "reverses__kind", "programme__kind")
        .annotate(total=Sum("amount"))
        .order_by()
    )
    sums: dict[str, Decimal] = {}
    paid: dict[str | None, Decimal] = {}
    for kind, reversed_kind, programme_kind, total in rows:
        total = money(total)  # SQLite returns the sum without its two places
        effective = reversed_kind if kind == FundEntry.Kind.REVERSAL else kind
        if effective == FundEntry.Kind.DISBURSEMENT:
            paid[programme_kind] = paid.get(programme_kind, ZERO) - total
        else:
            sums[effective] = sums.get(effective, ZERO) + total
    labels = dict(Programme.Kind.choices)
    by_programme = [(str(labels[kind]), paid[kind]) for kind in Programme.Kind.values if kind in paid]
    allocations = sums.get(FundEntry.Kind.ALLOCATION, ZERO) + sums.get(FundEntry.Kind.ADJUSTMENT, ZERO)
    donations = sums.get(FundEntry.Kind.DONATION, ZERO)
    charity = sums.get(FundEntry.Kind.CHARITY_TRANSFER, ZERO)
    unassigned = paid.get(None, ZERO)
    closing = opening + allocations + donations + charity - sum(paid.values(), ZERO)
    return Statement(
        start=start,
        end=end,
        opening=opening,
        allocations=allocations,
        donations=donations,
        charity=charity,
        by_programme=by_programme,
        unassigned=unassigned,
        closing=closing,
    )
