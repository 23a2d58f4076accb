"""A period's declaration as money: what a new sheet would change before it is committed (the two
declarations side by side, and what the chair must check), and the credit (多缴) an overpaid period
holds until staff carry it to the next period or refund it.

A period counts as declared when it has ``funds_due``, whatever declared it: a committed sheet, staff,
an import or the demo. Replacing a declaration is never silent: ``members.services.dues`` refuses to
commit over one without the explicit choice made on the preview this module fills."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from auditlog.context import set_actor
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from unionhub.access import require
from unionhub.dates import months_after
from unionhub.money import ZERO, format_money, money

from .. import permissions
from ..models import CreditSettlement, DeclarationReplacement, DuesPeriod, DuesUpload
from ..periods import Period, period_containing

MISSING_SHARE_WARNING = Decimal("0.30")  # more of the roster than this missing from the sheet
PAYROLL_CHANGE_WARNING = Decimal("0.50")  # payroll changed by more than half from the last declaration
LONG_PAST_MONTHS = 6  # a sheet for a period whose due date is this far behind


def received_for(period: DuesPeriod) -> Decimal:
    """What counts as paid for one period (remittances and credits in, less credits out): the period's own
    ``received_total`` when it was loaded ``with_received()``, else one query."""
    total = getattr(period, "received_total", None)
    if total is None:
        total = DuesPeriod.objects.with_received().get(pk=period.pk).received_total
    return money(total)


# --- the comparison on the preview ------------------------------------------------------------------


@dataclass
class Side:
    members: int | None
    payroll: Decimal | None
    funds: Decimal | None
    dues: Decimal | None


@dataclass
class Comparison:
    """A sheet for a period that is already declared: before and after, and what paying so far means."""

    period: DuesPeriod
    before: Side
    after: Side
    received: Decimal
    source: str  # how the current declaration was made, for people

    @property
    def effect(self) -> Decimal:
        """Positive: outstanding after the replacement; negative: overpaid."""
        return self.after.funds - self.received

    @property
    def outstanding(self) -> Decimal:
        return max(self.effect, ZERO)

    @property
    def overpaid(self) -> Decimal:
        return max(-self.effect, ZERO)

    def rows(self):
        """(label, before, after, is money) for the side-by-side table."""
        return [
            (_("Members"), self.before.members, self.after.members, False),
            (_("Monthly payroll"), self.before.payroll, self.after.payroll, True),
            (_("Union funds due"), self.before.funds, self.after.funds, True),
            (_("Member dues due"), self.before.dues, self.after.dues, True),
        ]

    def line(self) -> str:
        """One line for the command line: ``declared: …``."""
        before_members = "?" if self.before.members is None else self.before.members
        text = (
            f"declared: {self.period.label} is already declared ({self.source}): "
            f"{before_members} members, payroll {self.before.payroll or 0:.2f}, "
            f"union funds due {self.before.funds:.2f}, paid {self.received:.2f}; "
            f"this sheet: {self.after.members} members, payroll {self.after.payroll:.2f}, "
            f"union funds due {self.after.funds:.2f}"
        )
        if self.effect > 0:
            return text + f"; replacing it leaves {self.outstanding:.2f} outstanding"
        if self.effect < 0:
            return text + f"; replacing it leaves {self.overpaid:.2f} overpaid"
        return text + "; replacing it leaves nothing outstanding"


def declared_side(period: DuesPeriod) -> Side:
    return Side(period.declared_members, period.payroll_total, period.funds_due, period.dues_due)


def sheet_side(summary: dict) -> Side:
    members = int(summary.get("matched", 0)) + int(summary.get("new", 0)) + int(summary.get("transfers", 0))
    return Side(
        members,
        Decimal(summary.get("payroll_total", "0")),
        Decimal(summary.get("funds_due", "0")),
        Decimal(summary.get("dues_due", "0")),
    )


def declaration_source(period: DuesPeriod) -> str:
    if period.declared_upload_id:
        upload = period.declared_upload
        when = timezone.localtime(upload.committed_at).strftime("%Y-%m-%d") if upload.committed_at else ""
        return _("sheet %(name)s, committed %(date)s") % {"name": upload.original_name, "date": when}
    return _("entered without a sheet")


def compare(period: DuesPeriod, summary: dict, *, upload: DuesUpload | None = None) -> Comparison | None:
    """The comparison for a sheet's summary, or None when the period is not declared (or ``upload`` is
    the declaration itself)."""
    if not period.is_declared or (upload is not None and period.declared_upload_id == upload.pk):
        return None
    return Comparison(
        period, declared_side(period), sheet_side(summary), received_for(period), declaration_source(period)
    )


# --- warnings the chair cannot miss --------------------------------------------------------------------


@dataclass
class Warning:
    code: str
    title: str
    text: str  # what it means and what to check


def declaration_warnings(
    period: DuesPeriod, summary: dict, *, today: datetime.date | None = None, upload: DuesUpload | None = None
) -> list[Warning]:
    """What the chair must look at before committing: most of the roster missing, a payroll far from the
    last declaration, a period already paid, a period long past."""
    today = today or timezone.localdate()
    found = []
    matched, missing = int(summary.get("matched", 0)), int(summary.get("missing", 0))
    roster = matched + missing
    if roster and Decimal(missing) / roster > MISSING_SHARE_WARNING:
        found.append(
            Warning(
                "missing",
                _("%(missing)s of the %(roster)s members on the roster are not in this sheet (%(share)s%%)")
                % {"missing": missing, "roster": roster, "share": round(100 * missing / roster)},
                _(
                    "Committing does not remove them, but they are not declared for this period. Check that the "
                    "sheet is complete (every department, every page of the payroll) and that it is your union's "
                    "sheet. People who have left should be recorded as leaving on their member page."
                ),
            )
        )
    payroll = Decimal(summary.get("payroll_total", "0"))
    previous, previous_label = _previous_payroll(period, upload)
    if previous and abs(payroll - previous) > previous * PAYROLL_CHANGE_WARNING:
        found.append(
            Warning(
                "payroll",
                _("The monthly payroll changes from ¥%(before)s to ¥%(after)s (%(change)+d%%)")
                % {
                    "before": format_money(previous),
                    "after": format_money(payroll),
                    "change": round(100 * (payroll - previous) / previous),
                },
                _(
                    "Compared with %(period)s. A change of more than half usually means a sheet for another "
                    "month, another union or only part of the payroll, or wages typed in the wrong unit (yuan, "
                    "not ten thousands). Check the total against your payroll office's figure."
                )
                % {"period": previous_label},
            )
        )
    received = received_for(period) if period.pk else ZERO
    if received > 0:
        fully = period.is_declared and received >= period.funds_due
        found.append(
            Warning(
                "paid",
                (
                    _("%(period)s is already paid: ¥%(amount)s received")
                    if fully
                    else _("¥%(amount)s has already been received for %(period)s")
                )
                % {"period": period.label, "amount": format_money(received)},
                _(
                    "A new declaration does not change what was paid. If it is lower, the difference becomes a "
                    "credit (多缴) that the federation carries to your next period or refunds; if it is higher, "
                    "the difference is still to pay. Check that this is the period you mean."
                ),
            )
        )
    if period.due_date < months_after(today, -LONG_PAST_MONTHS):
        found.append(
            Warning(
                "long_past",
                _("%(period)s is long past: it was due on %(date)s")
                % {
                    "period": period.label,
                    "date": period.due_date.isoformat(),
                },
                _(
                    "Sheets are usually for the month just ended. Check the period you chose (the year too): "
                    "a sheet declared for the wrong period leaves the right one undeclared."
                ),
            )
        )
    return found


def _previous_payroll(period: DuesPeriod, upload: DuesUpload | None) -> tuple[Decimal | None, str]:
    """The payroll to compare with: the period's own declaration when it has one, else the union's latest
    declaration before it."""
    if period.is_declared and not (upload is not None and period.declared_upload_id == upload.pk):
        return period.payroll_total, period.label
    earlier = (
        DuesPeriod.objects.filter(
            union_id=period.union_id, start__lt=period.start, payroll_total__isnull=False
        )
        .order_by("-start")
        .values_list("payroll_total", "label")
        .first()
    )
    return (earlier[0], earlier[1]) if earlier else (None, "")


# --- replacing: the history --------------------------------------------------------------------------


def record_replacement(
    *, by, period: DuesPeriod, upload: DuesUpload | None, after: Side
) -> DeclarationReplacement:
    """Keep the declaration being replaced, side by side with the new one (call before overwriting it)."""
    return DeclarationReplacement.objects.create(
        period=period,
        replaced_upload_id=period.declared_upload_id,
        upload=upload,
        before_members=period.declared_members,
        before_payroll=period.payroll_total,
        before_funds=period.funds_due,
        before_dues=period.dues_due,
        after_members=after.members,
        after_payroll=after.payroll,
        after_funds=after.funds,
        after_dues=after.dues,
        received=received_for(period),
        replaced_by=by,
    )


# --- credits (多缴) ------------------------------------------------------------------------------------


def period_row(*, union, period: Period) -> DuesPeriod:
    """The union's row for this period, created on first use."""
    obj, _created = DuesPeriod.objects.get_or_create(
        union=union,
        start=period.start,
        end=period.end,
        defaults={"kind": period.kind, "label": period.label, "due_date": period.due_date()},
    )
    return obj


def next_period(period: DuesPeriod) -> DuesPeriod:
    """The union's period after this one under its current schedule, created on first use."""
    day_after = period.end + datetime.timedelta(days=1)
    return period_row(union=period.union, period=period_containing(period.union.dues_schedule, day_after))


def settle_credit(
    *,
    by,
    period: DuesPeriod,
    kind: str,
    amount: Decimal | None = None,
    on: datetime.date | None = None,
    reference: str = "",
    note: str = "",
) -> CreditSettlement:
    """Settle an overpaid period's credit: carry it to the union's next period (where it counts as
    received) or record its refund. ``amount`` defaults to the whole credit and may not exceed it; a
    double-submitted form finds no credit left and is refused."""
    require(permissions.can_settle_credit(by))
    today = timezone.localdate()
    on = on or today
    if kind not in CreditSettlement.Kind.values:
        raise ValidationError({"kind": _("Choose how the credit is settled.")})
    if on > today:
        raise ValidationError({"on": _("The date cannot be in the future.")})
    reference = (reference or "").strip()
    if kind == CreditSettlement.Kind.REFUNDED and not reference:
        raise ValidationError({"reference": _("A refund needs the voucher number of the payment back.")})
    with transaction.atomic(), set_actor(by):
        locked = DuesPeriod.objects.select_for_update().select_related("union").get(pk=period.pk)
        credit = locked.overpaid(received_for(locked))
        if credit <= 0:
            raise ValidationError(_("%(period)s has no credit left to settle.") % {"period": locked.label})
        amount = credit if amount is None else money(amount)
        if amount <= 0:
            raise ValidationError({"amount": _("The amount must be more than zero.")})
        if amount > credit:
            raise ValidationError(
                {
                    "amount": _("The credit is ¥%(credit)s; no more than that can be settled.")
                    % {"credit": format_money(credit)}
                }
            )
        target = next_period(locked) if kind == CreditSettlement.Kind.CARRIED else None
        return CreditSettlement.objects.create(
            period=locked,
            kind=kind,
            amount=amount,
            to_period=target,
            on=on,
            reference=reference[:40],
            note=(note or "").strip()[:200],
            recorded_by=by,
        )


def refunds_in_year(year: int, queryset=None) -> Decimal:
    """Credits refunded in a calendar year: money received that the federation gave back."""
    settlements = queryset if queryset is not None else CreditSettlement.objects.all()
    total = settlements.filter(kind=CreditSettlement.Kind.REFUNDED, on__year=year).values_list(
        "amount", flat=True
    )
    return money(sum(total, ZERO))
