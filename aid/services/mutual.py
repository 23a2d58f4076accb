"""Enterprise mutual-aid funds (三方互助基金): the enterprise, its union and its workers pay in,
workers in difficulty are paid claims out of it.

Like the hardship fund, each fund is an append-only list of entries and its balance is a sum
(contributions − claims), never a stored number. A claim locks the fund's row and checks the
balance inside the same transaction, so two claims at the same moment cannot overdraw it. A claim is
proposed by one person and paid when another approves it (four eyes). Every
entry is also checked against an identical one already recorded (same kind, day, amount, claimant
and note), so a form submitted twice records the entry once."""

import dataclasses
import datetime
from decimal import Decimal

from auditlog.context import set_actor
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, F, Q, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from members.models import Enterprise, Member
from unionhub.access import require
from unionhub.exports import neutralise, spooled, write_only_workbook
from unionhub.masking import mask_name
from unionhub.money import ZERO, money

from ..models import MutualAidEntry, MutualAidFund
from ..permissions import can_record_mutual_aid
from . import four_eyes

CONTRIBUTIONS = (MutualAidEntry.Kind.ENTERPRISE, MutualAidEntry.Kind.UNION, MutualAidEntry.Kind.WORKERS)


# Only money that moved counts: a claim waiting for its second approver (or declined) does not.
PAID = Q(entries__status=MutualAidEntry.Status.PAID)


def _sum_of(condition: Q) -> Sum:
    return Sum("entries__amount", filter=condition & PAID, default=ZERO)


def with_balances(funds: QuerySet[MutualAidFund]) -> QuerySet[MutualAidFund]:
    """Each fund annotated with its contributions by source, claims paid and balance, in one query."""
    Kind = MutualAidEntry.Kind
    return funds.annotate(
        from_enterprise=_sum_of(Q(entries__kind=Kind.ENTERPRISE)),
        from_union=_sum_of(Q(entries__kind=Kind.UNION)),
        from_workers=_sum_of(Q(entries__kind=Kind.WORKERS)),
        claims_paid=_sum_of(Q(entries__kind=Kind.CLAIM)),
    ).annotate(balance=F("from_enterprise") + F("from_union") + F("from_workers") - F("claims_paid"))


@dataclasses.dataclass(frozen=True)
class Totals:
    funds: int
    from_enterprise: Decimal
    from_union: Decimal
    from_workers: Decimal
    claims_paid: Decimal
    claims: int

    @property
    def contributed(self) -> Decimal:
        return self.from_enterprise + self.from_union + self.from_workers

    @property
    def balance(self) -> Decimal:
        return self.contributed - self.claims_paid


def totals(funds: QuerySet[MutualAidFund]) -> Totals:
    """The figures over these funds together (the district's, for staff), in one query."""
    Kind = MutualAidEntry.Kind
    figures = funds.order_by().aggregate(
        funds=Count("pk", distinct=True),
        from_enterprise=_sum_of(Q(entries__kind=Kind.ENTERPRISE)),
        from_union=_sum_of(Q(entries__kind=Kind.UNION)),
        from_workers=_sum_of(Q(entries__kind=Kind.WORKERS)),
        claims_paid=_sum_of(Q(entries__kind=Kind.CLAIM)),
        claims=Count("entries", filter=Q(entries__kind=Kind.CLAIM) & PAID),
    )
    return Totals(**figures)


def balance_of(fund: MutualAidFund, *, until: datetime.date | None = None) -> Decimal:
    """Contributions − claims paid (dated on or before ``until`` when given)."""
    entries = fund.entries.filter(status=MutualAidEntry.Status.PAID)
    if until is not None:
        entries = entries.filter(on__lte=until)
    figures = entries.aggregate(
        contributed=Sum("amount", filter=Q(kind__in=CONTRIBUTIONS), default=ZERO),
        claimed=Sum("amount", filter=Q(kind=MutualAidEntry.Kind.CLAIM), default=ZERO),
    )
    return money(figures["contributed"] - figures["claimed"])


# --- who may do what ---------------------------------------------------------------------------


def enterprises_open_to(user) -> QuerySet[Enterprise]:
    """Enterprises this user may set up a fund for: without one yet; any for aid staff, a chair's own."""
    enterprises = Enterprise.objects.filter(mutual_aid_fund__isnull=True).select_related("union")
    if user.has_perm("aid.add_mutualaidfund"):
        return enterprises
    return enterprises.filter(union__chair=user)


# --- changes -----------------------------------------------------------------------------------


def create_fund(
    *, by, enterprise: Enterprise, name: str, established_on: datetime.date, rules: str = ""
) -> MutualAidFund:
    if not enterprises_open_to(by).filter(pk=enterprise.pk).exists():
        if MutualAidFund.objects.filter(enterprise=enterprise).exists():
            raise ValidationError(
                _("%(enterprise)s already has a mutual-aid fund.") % {"enterprise": enterprise.name}
            )
        raise ValidationError(_("A chair sets up a fund only for an enterprise of their own union."))
    if established_on > timezone.localdate():
        raise ValidationError(_("The date the fund was established cannot be in the future."))
    try:
        with transaction.atomic(), set_actor(by):
            return MutualAidFund.objects.create(
                enterprise=enterprise, name=name.strip(), established_on=established_on, rules=rules.strip()
            )
    except IntegrityError:  # a second submission of the same form
        raise ValidationError(
            _("%(enterprise)s already has a mutual-aid fund.") % {"enterprise": enterprise.name}
        ) from None


def _locked(fund: MutualAidFund) -> MutualAidFund:
    return MutualAidFund.objects.select_for_update(of=("self",)).select_related("enterprise").get(pk=fund.pk)


def _check_entry(fund: MutualAidFund, *, on: datetime.date, amount: Decimal) -> None:
    if amount <= 0:
        raise ValidationError(_("The amount must be more than zero."))
    if on < fund.established_on:
        raise ValidationError(
            _("The fund was established on %(day)s; nothing can be recorded before that.")
            % {"day": fund.established_on.isoformat()}
        )
    if on > timezone.localdate():
        raise ValidationError(_("An entry is recorded once the money has moved, not in advance."))


def _refuse_duplicate(
    fund: MutualAidFund, *, kind: str, on: datetime.date, amount: Decimal, member: Member | None, note: str
) -> None:
    if (
        fund.entries.filter(kind=kind, on=on, amount=amount, member=member, note=note)
        .exclude(status=MutualAidEntry.Status.DECLINED)
        .exists()
    ):
        raise ValidationError(
            _(
                "This entry is already recorded (%(kind)s, %(day)s, ¥%(amount)s). If it is a second "
                "one, say so in the note."
            )
            % {"kind": MutualAidEntry.Kind(kind).label, "day": on.isoformat(), "amount": f"{amount:,}"}
        )


def record_contribution(
    *, by, fund: MutualAidFund, kind: str, on: datetime.date, amount: Decimal, note: str = ""
) -> MutualAidEntry:
    """Money paid in by the enterprise, the union or the workers."""
    if by is not None:  # None: the demo and the import of a fund's history
        require(can_record_mutual_aid(by, fund))
    if kind not in CONTRIBUTIONS:
        raise ValidationError(_("A contribution comes from the enterprise, the union or the workers."))
    amount, note = money(amount), note.strip()
    _check_entry(fund, on=on, amount=amount)
    with transaction.atomic(), set_actor(by):
        fund = _locked(fund)
        _refuse_duplicate(fund, kind=kind, on=on, amount=amount, member=None, note=note)
        return MutualAidEntry.objects.create(
            fund=fund, kind=kind, on=on, amount=amount, note=note, recorded_by=by
        )


def _awaiting(fund: MutualAidFund) -> Decimal:
    """Claims proposed and not yet decided: the balance must cover them as well."""
    return money(
        fund.entries.filter(kind=MutualAidEntry.Kind.CLAIM, status=MutualAidEntry.Status.PROPOSED).aggregate(
            total=Sum("amount", default=ZERO)
        )["total"]
    )


def propose_claim(
    *, by, fund: MutualAidFund, member: Member, on: datetime.date, amount: Decimal, note: str = ""
) -> MutualAidEntry:
    """A claim for a worker of the fund's enterprise, recorded as proposed: it is paid (and leaves
    the balance) when another person approves it (``approve_claim``, four eyes). Refused when the
    balance, less the claims already waiting, cannot cover it."""
    amount, note = money(amount), note.strip()
    _check_entry(fund, on=on, amount=amount)
    if member.enterprise_id != fund.enterprise_id:
        raise ValidationError(
            _("%(name)s does not work at %(enterprise)s; the fund pays only its own workers.")
            % {"name": member.name, "enterprise": fund.enterprise.name}
        )
    if not note:
        raise ValidationError(_("Say what the claim is for."))
    with transaction.atomic(), set_actor(by):
        fund = _locked(fund)
        _refuse_duplicate(
            fund, kind=MutualAidEntry.Kind.CLAIM, on=on, amount=amount, member=member, note=note
        )
        available = balance_of(fund) - _awaiting(fund)
        if amount > available:
            raise ValidationError(
                _("The fund holds ¥%(balance)s; a claim of ¥%(amount)s cannot be paid.")
                % {"balance": f"{available:,}", "amount": f"{amount:,}"}
            )
        return MutualAidEntry.objects.create(
            fund=fund,
            kind=MutualAidEntry.Kind.CLAIM,
            status=MutualAidEntry.Status.PROPOSED,
            on=on,
            amount=amount,
            member=member,
            note=note,
            recorded_by=by,
        )


def _proposed_claim(claim: MutualAidEntry, by) -> tuple[MutualAidFund, MutualAidEntry]:
    if not can_record_mutual_aid(by, claim.fund):
        raise PermissionDenied(_("Only aid staff or the union's chair may decide this claim."))
    fund = _locked(claim.fund)
    claim = MutualAidEntry.objects.select_for_update().get(pk=claim.pk)
    if claim.kind != MutualAidEntry.Kind.CLAIM or claim.status != MutualAidEntry.Status.PROPOSED:
        raise ValidationError(
            _("This claim is no longer waiting for approval (%(status)s).")
            % {"status": claim.get_status_display()}
        )
    return fund, claim


def approve_claim(*, by, claim: MutualAidEntry) -> MutualAidEntry:
    """Pay a proposed claim: approved by someone other than who proposed it (four eyes), with the
    fund's row locked and the balance read inside the same transaction."""
    with transaction.atomic(), four_eyes.audited(by):
        fund, claim = _proposed_claim(claim, by)
        four_eyes.check(by=by, proposer_id=claim.recorded_by_id)
        available = balance_of(fund)
        if claim.amount > available:
            raise ValidationError(
                _("The fund holds ¥%(balance)s; a claim of ¥%(amount)s cannot be paid.")
                % {"balance": f"{available:,}", "amount": f"{claim.amount:,}"}
            )
        claim.status, claim.approved_by = MutualAidEntry.Status.PAID, by
        claim.save(update_fields=["status", "approved_by"])
    return claim


def decline_claim(*, by, claim: MutualAidEntry) -> MutualAidEntry:
    """Turn a proposed claim down (or take one's own back): nothing is paid."""
    with transaction.atomic(), set_actor(by):
        _fund, claim = _proposed_claim(claim, by)
        claim.status, claim.approved_by = MutualAidEntry.Status.DECLINED, by
        claim.save(update_fields=["status", "approved_by"])
    return claim


# --- the annual disclosure report --------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class ClaimLine:
    on: datetime.date
    claimant: str  # masked: the report is shown to the workers who pay in
    amount: Decimal
    note: str


@dataclasses.dataclass(frozen=True)
class AnnualReport:
    fund: MutualAidFund
    year: int
    opening: Decimal
    from_enterprise: Decimal
    from_union: Decimal
    from_workers: Decimal
    claims: list[ClaimLine]

    @property
    def contributed(self) -> Decimal:
        return self.from_enterprise + self.from_union + self.from_workers

    @property
    def claims_paid(self) -> Decimal:
        return sum((c.amount for c in self.claims), ZERO)

    @property
    def closing(self) -> Decimal:
        return self.opening + self.contributed - self.claims_paid


def report_years(fund: MutualAidFund, *, today: datetime.date | None = None) -> list[int]:
    """The years a report can be drawn for: from the year the fund was established to this one."""
    today = today or timezone.localdate()
    return list(range(today.year, fund.established_on.year - 1, -1))


def annual_report(fund: MutualAidFund, year: int) -> AnnualReport:
    start = datetime.date(year, 1, 1)
    Kind = MutualAidEntry.Kind
    in_year = Q(on__year=year)
    paid = fund.entries.filter(status=MutualAidEntry.Status.PAID)
    figures = paid.aggregate(
        contributed_before=Sum("amount", filter=Q(on__lt=start, kind__in=CONTRIBUTIONS), default=ZERO),
        claimed_before=Sum("amount", filter=Q(on__lt=start, kind=Kind.CLAIM), default=ZERO),
        from_enterprise=Sum("amount", filter=in_year & Q(kind=Kind.ENTERPRISE), default=ZERO),
        from_union=Sum("amount", filter=in_year & Q(kind=Kind.UNION), default=ZERO),
        from_workers=Sum("amount", filter=in_year & Q(kind=Kind.WORKERS), default=ZERO),
    )
    claims = [
        ClaimLine(
            on=entry.on,
            claimant=mask_name(entry.member.name) if entry.member else "",
            amount=entry.amount,
            note=entry.note,
        )
        for entry in paid.filter(in_year, kind=Kind.CLAIM).select_related("member").order_by("on", "pk")
    ]
    return AnnualReport(
        fund=fund,
        year=year,
        opening=figures["contributed_before"] - figures["claimed_before"],
        from_enterprise=figures["from_enterprise"],
        from_union=figures["from_union"],
        from_workers=figures["from_workers"],
        claims=claims,
    )


def annual_report_xlsx(report: AnnualReport):
    """The report as a write-only workbook, spooled to a temporary file (the caller closes it)."""
    workbook = write_only_workbook()
    sheet = workbook.create_sheet(_("Annual report"))
    sheet.append(
        [neutralise(_("%(fund)s: annual report %(year)d") % {"fund": report.fund.name, "year": report.year})]
    )
    sheet.append([neutralise(report.fund.enterprise.name)])
    sheet.append([])
    for label, amount in [
        (_("Opening balance"), report.opening),
        (_("Contributions from the enterprise"), report.from_enterprise),
        (_("Contributions from the union"), report.from_union),
        (_("Contributions from workers"), report.from_workers),
        (_("Claims paid"), report.claims_paid),
        (_("Closing balance"), report.closing),
    ]:
        sheet.append([label, amount])
    sheet.append([])
    sheet.append([_("Date"), _("Claimant"), _("Amount"), _("For")])
    for claim in report.claims:
        sheet.append([claim.on.isoformat(), neutralise(claim.claimant), claim.amount, neutralise(claim.note)])
    return spooled(workbook)
