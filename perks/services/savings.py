"""What the discount card saved members in a year: per merchant and per month, what the counters
recorded and — for a month in which a merchant recorded nothing while its agreement was in force — an
estimate, always flagged as one.

The estimate (see ``perks.rules``): the active cards at the end of that month × the saving per card per
month, shared equally among the merchants whose agreement was in force that month. Estimates are made
only for months that have ended: a month still running has simply not been recorded yet.

The report costs a fixed number of queries (merchants, redemptions grouped by merchant and month, card
counts, checks grouped by merchant and result) whatever the number of redemptions.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Q, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone

from unionhub.dates import month_bounds

from ..models import Card, CardCheck, Merchant, Redemption
from ..rules import rules

ZERO = Decimal("0.00")
CENT = Decimal("0.01")
MONTHS = range(1, 13)


def agreement_in_force(merchant: Merchant, start: datetime.date, end: datetime.date) -> bool:
    """Whether the merchant's agreement covered any day of ``start``–``end``. A merchant with no
    agreement dates at all is taken as in force while it is marked active."""
    if merchant.agreement_start is None and merchant.agreement_end is None:
        return merchant.is_active
    return (merchant.agreement_start is None or merchant.agreement_start <= end) and (
        merchant.agreement_end is None or merchant.agreement_end >= start
    )


@dataclass
class Cell:
    """One merchant in one month."""

    month: int
    count: int = 0
    spent: Decimal = ZERO
    discount: Decimal = ZERO
    in_force: bool = False
    estimate: Decimal | None = None  # set only where nothing was recorded while the agreement was in force

    @property
    def estimated(self) -> bool:
        return self.estimate is not None

    @property
    def saving(self) -> Decimal:
        return self.estimate if self.estimate is not None else self.discount


@dataclass
class MerchantRow:
    merchant: Merchant
    cells: list[Cell]
    checks_valid: int = 0
    checks_refused: int = 0

    @property
    def count(self) -> int:
        return sum(c.count for c in self.cells)

    @property
    def spent(self) -> Decimal:
        return sum((c.spent for c in self.cells), ZERO)

    @property
    def recorded(self) -> Decimal:
        return sum((c.discount for c in self.cells), ZERO)

    @property
    def estimated(self) -> Decimal:
        return sum((c.estimate for c in self.cells if c.estimate is not None), ZERO)

    @property
    def total(self) -> Decimal:
        return self.recorded + self.estimated

    @property
    def estimated_months(self) -> int:
        return sum(1 for c in self.cells if c.estimated)


@dataclass
class MonthTotal:
    month: int
    active_cards: int = 0
    merchants_in_force: int = 0
    count: int = 0
    spent: Decimal = ZERO
    recorded: Decimal = ZERO
    estimated: Decimal = ZERO

    @property
    def total(self) -> Decimal:
        return self.recorded + self.estimated


@dataclass
class CardCounts:
    issued_in_year: int = 0
    issued: int = 0
    active: int = 0
    lost: int = 0  # reported lost, or lost and replaced
    replaced: int = 0
    cancelled: int = 0


@dataclass
class Report:
    year: int
    today: datetime.date
    per_card_month: Decimal
    rows: list[MerchantRow] = field(default_factory=list)
    months: list[MonthTotal] = field(default_factory=list)
    cards: CardCounts = field(default_factory=CardCounts)
    year_end_active_cards: int = 0

    @property
    def count(self) -> int:
        return sum(m.count for m in self.months)

    @property
    def spent(self) -> Decimal:
        return sum((m.spent for m in self.months), ZERO)

    @property
    def recorded(self) -> Decimal:
        return sum((m.recorded for m in self.months), ZERO)

    @property
    def estimated(self) -> Decimal:
        return sum((m.estimated for m in self.months), ZERO)

    @property
    def total(self) -> Decimal:
        return self.recorded + self.estimated

    @property
    def federation_estimate(self) -> Decimal:
        """The federation's own figure for the year: active cards × the saving per card per month × 12."""
        return (self.year_end_active_cards * self.per_card_month * 12).quantize(CENT)

    @property
    def share_of_estimate(self) -> Decimal | None:
        """The year's combined total as a percentage of the federation's estimate."""
        if not self.federation_estimate:
            return None
        return (self.total * 100 / self.federation_estimate).quantize(Decimal("0.1"))

    @property
    def has_estimates(self) -> bool:
        return any(c.estimated for r in self.rows for c in r.cells)


def _active_at(day: datetime.date) -> Q:
    """Cards issued by ``day`` and still active at its end (active now, or changed status after it)."""
    return Q(issued_on__lte=day) & (Q(status=Card.Status.ACTIVE) | Q(status_changed_on__gt=day))


def savings(year: int, *, month: int | None = None, today: datetime.date | None = None) -> Report:
    """The year's savings report; with ``month``, only that month's cells and totals carry figures."""
    today = today or timezone.localdate()
    per_card_month = rules().estimated_saving_per_card_month
    wanted = [month] if month else list(MONTHS)
    bounds = {m: month_bounds(year, m) for m in MONTHS}
    year_start, year_end = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    counted_until = min(year_end, today)

    # 1. merchants
    merchants = list(Merchant.objects.order_by("name"))

    # 2. cards: active at each month's end, and the year's counts — one aggregate
    aggregates = {f"m{m}": Count("pk", filter=_active_at(bounds[m][1])) for m in MONTHS}
    aggregates.update(
        year_end=Count("pk", filter=_active_at(counted_until)),
        issued=Count("pk", filter=Q(issued_on__lte=counted_until)),
        issued_in_year=Count("pk", filter=Q(issued_on__range=(year_start, year_end))),
        active=Count("pk", filter=Q(status=Card.Status.ACTIVE)),
        lost=Count("pk", filter=Q(status__in=[Card.Status.LOST, Card.Status.REPLACED])),
        replaced=Count("pk", filter=Q(status=Card.Status.REPLACED)),
        cancelled=Count("pk", filter=Q(status=Card.Status.CANCELLED)),
    )
    card_figures = Card.objects.aggregate(**aggregates)

    # 3. redemptions grouped by merchant and month
    tz = timezone.get_current_timezone()
    start_at = datetime.datetime.combine(year_start, datetime.time.min, tzinfo=tz)
    end_at = datetime.datetime.combine(datetime.date(year + 1, 1, 1), datetime.time.min, tzinfo=tz)
    grouped = (
        Redemption.objects.filter(at__gte=start_at, at__lt=end_at)
        .annotate(month=TruncMonth("at", tzinfo=tz))
        .values("merchant_id", "month")
        .annotate(count=Count("pk"), spent=Sum("amount_spent"), discount=Sum("discount_given"))
        .order_by()
    )
    recorded = {(g["merchant_id"], g["month"].month): g for g in grouped}

    # 4. checks grouped by merchant and result
    checks = (
        CardCheck.objects.filter(at__gte=start_at, at__lt=end_at)
        .values("merchant_id", "result")
        .annotate(n=Count("pk"))
        .order_by()
    )
    valid, refused = {}, {}
    for c in checks:
        target = valid if c["result"] == CardCheck.Result.VALID else refused
        target[c["merchant_id"]] = target.get(c["merchant_id"], 0) + c["n"]

    report = Report(
        year=year,
        today=today,
        per_card_month=per_card_month,
        year_end_active_cards=card_figures["year_end"],
        cards=CardCounts(
            **{
                k: card_figures[k]
                for k in ("issued_in_year", "issued", "active", "lost", "replaced", "cancelled")
            }
        ),
    )
    in_force = {(m.pk, n): agreement_in_force(m, *bounds[n]) for m in merchants for n in MONTHS}
    totals = {
        n: MonthTotal(
            month=n,
            active_cards=card_figures[f"m{n}"],
            merchants_in_force=sum(1 for m in merchants if in_force[m.pk, n]),
        )
        for n in MONTHS
    }
    for merchant in merchants:
        cells = []
        for n in MONTHS:
            cell = Cell(month=n, in_force=in_force[merchant.pk, n])
            cells.append(cell)
            if n not in wanted:
                continue
            figures = recorded.get((merchant.pk, n))
            total = totals[n]
            if figures:
                # SQLite sums decimals as floats: back to cents.
                cell.count = figures["count"]
                cell.spent = Decimal(figures["spent"]).quantize(CENT)
                cell.discount = Decimal(figures["discount"]).quantize(CENT)
            elif cell.in_force and bounds[n][1] < today and total.merchants_in_force:
                cell.estimate = (total.active_cards * per_card_month / total.merchants_in_force).quantize(
                    CENT
                )
            total.count += cell.count
            total.spent += cell.spent
            total.recorded += cell.discount
            total.estimated += cell.estimate or ZERO
        report.rows.append(
            MerchantRow(
                merchant=merchant,
                cells=cells,
                checks_valid=valid.get(merchant.pk, 0),
                checks_refused=refused.get(merchant.pk, 0),
            )
        )
    report.months = [totals[n] for n in MONTHS]
    return report
