"""Spring Festival return-home tickets (春节返乡): campaigns with their seats by means of travel
and their budget, chairs' applications for their migrant workers, the allocation of seats by
staff, issued tickets, declines and withdrawals.

An application holds a seat, and money, once it is allocated or issued. Allocation locks the
campaign's row, so that two staff allocating at the same moment are serialised and the seats of a
ticket type and the campaign's budget can never be exceeded; an allocation beyond either is refused
whole, naming the figures. Every change of an application locks the campaign first, then the
application, always in that order."""

import dataclasses
import datetime
from collections import Counter
from collections.abc import Iterable, Sequence
from decimal import Decimal

from auditlog.context import set_actor, set_extra_data
from auditlog.models import LogEntry
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Case, Count, IntegerField, Min, Q, QuerySet, Sum, Value, When
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from members.models import Member
from unionhub.access import has_duty, require
from unionhub.exports import neutralise, spooled, write_only_workbook
from unionhub.money import ZERO, money
from unionhub.notices import notify

from ..models import HardshipFile, TicketApplication, TicketCampaign, TicketType
from ..permissions import can_decide_tickets

Status = TicketApplication.Status
Priority = TicketApplication.Priority
# The statuses that hold a seat and money.
HOLDING = (Status.ALLOCATED, Status.ISSUED)
PRIORITY_RANK = Case(
    When(priority=Priority.HARDSHIP, then=Value(0)),
    When(priority=Priority.OUTSTANDING, then=Value(1)),
    default=Value(2),
    output_field=IntegerField(),
)


def in_priority_order(applications: QuerySet[TicketApplication]) -> QuerySet[TicketApplication]:
    """Hardship first, then outstanding employees, then other workers; within each, first submitted first."""
    return applications.alias(priority_rank=PRIORITY_RANK).order_by("priority_rank", "submitted_on", "pk")


# --- campaigns ---------------------------------------------------------------------------------


def create_campaign(
    *,
    by,
    year: int,
    name: str,
    budget: Decimal,
    opens_on: datetime.date,
    closes_on: datetime.date,
    travel_from: datetime.date,
    travel_until: datetime.date,
    ticket_types: Sequence[tuple[str, int, Decimal]],
) -> TicketCampaign:
    """A campaign with its ticket types, each ``(mode, seats, average price)``."""
    require(has_duty(by, "aid.add_ticketcampaign"))
    problems = []
    if budget <= 0:
        problems.append(_("The budget must be more than zero."))
    if closes_on < opens_on:
        problems.append(_("Applications must close on or after the day they open."))
    if travel_until < travel_from:
        problems.append(_("The travel window must end on or after the day it begins."))
    if not ticket_types:
        problems.append(_("Offer at least one kind of ticket (air, train or coach)."))
    modes = [mode for mode, _seats, _price in ticket_types]
    if len(set(modes)) != len(modes):
        problems.append(_("Each means of travel is offered once."))
    for mode, seats, price in ticket_types:
        if seats <= 0 or price <= 0:
            problems.append(
                _("%(mode)s: the seats and the average price must be more than zero.")
                % {"mode": TicketType.Mode(mode).label}
            )
    if problems:
        raise ValidationError(problems)
    try:
        with transaction.atomic(), set_actor(by):
            campaign = TicketCampaign.objects.create(
                year=year,
                name=name.strip(),
                budget=money(budget),
                opens_on=opens_on,
                closes_on=closes_on,
                travel_from=travel_from,
                travel_until=travel_until,
            )
            TicketType.objects.bulk_create(
                [
                    TicketType(campaign=campaign, mode=mode, seats=seats, average_price=money(price))
                    for mode, seats, price in ticket_types
                ]
            )
    except IntegrityError:  # a second submission of the same form
        raise ValidationError(
            _("There is already a campaign called %(name)s in %(year)d.")
            % {"name": name.strip(), "year": year}
        ) from None
    return campaign


@dataclasses.dataclass(frozen=True)
class TypeUsage:
    ticket_type: TicketType
    used: int
    committed: Decimal
    waiting: int

    @property
    def next_allocation(self) -> int:
        """How many waiting applications the seats left can take (the budget is checked on allocation)."""
        return max(0, min(self.waiting, self.remaining))

    @property
    def remaining(self) -> int:
        return self.ticket_type.seats - self.used


@dataclasses.dataclass(frozen=True)
class Usage:
    campaign: TicketCampaign
    types: list[TypeUsage]

    @property
    def committed(self) -> Decimal:
        return money(sum((t.committed for t in self.types), ZERO))

    @property
    def remaining_budget(self) -> Decimal:
        return self.campaign.budget - self.committed

    def of(self, ticket_type_id: int) -> TypeUsage:
        return next(t for t in self.types if t.ticket_type.pk == ticket_type_id)


def usage(campaign: TicketCampaign) -> Usage:
    """Seats used and money committed (allocated and issued tickets), and applications waiting, per
    ticket type, in one query."""
    holding = Q(applications__status__in=HOLDING)
    types = campaign.ticket_types.annotate(
        used=Count("applications", filter=holding),
        committed=Sum("applications__price", filter=holding, default=ZERO),
        waiting=Count("applications", filter=Q(applications__status=Status.SUBMITTED)),
    ).order_by("mode")
    return Usage(
        campaign=campaign,
        types=[
            TypeUsage(ticket_type=t, used=t.used, committed=t.committed, waiting=t.waiting) for t in types
        ],
    )


def status_priority_counts(applications: QuerySet[TicketApplication]) -> dict[str, dict[str, int]]:
    """``{status: {priority: count}}`` over these applications, in one query."""
    counts: dict[str, dict[str, int]] = {status: {} for status in Status.values}
    for row in applications.order_by().values("status", "priority").annotate(n=Count("pk")):
        counts[row["status"]][row["priority"]] = row["n"]
    return counts


def with_figures(campaigns: QuerySet[TicketCampaign]) -> QuerySet[TicketCampaign]:
    """Each campaign with its applications (not withdrawn), tickets allocated and issued, and the
    money committed, in one query."""
    return campaigns.annotate(
        applied=Count("applications", filter=~Q(applications__status=Status.WITHDRAWN)),
        allocated=Count("applications", filter=Q(applications__status=Status.ALLOCATED)),
        issued=Count("applications", filter=Q(applications__status=Status.ISSUED)),
        committed=Sum("applications__price", filter=Q(applications__status__in=HOLDING), default=ZERO),
    )


@dataclasses.dataclass(frozen=True)
class History:
    """Tickets issued over every campaign: by means of travel, since the first campaign's year."""

    by_mode: dict[str, int]
    since: int | None

    @property
    def total(self) -> int:
        return sum(self.by_mode.values())

    def lines(self) -> list[tuple[str, int]]:
        return [(TicketType.Mode(mode).label, n) for mode, n in self.by_mode.items()]


def history() -> History:
    issued = dict(
        TicketApplication.objects.filter(status=Status.ISSUED)
        .order_by()
        .values_list("ticket_type__mode")
        .annotate(n=Count("pk"))
    )
    since = TicketCampaign.objects.aggregate(first=Min("year"))["first"]
    return History(by_mode={mode: issued.get(mode, 0) for mode in TicketType.Mode.values}, since=since)


# --- applications ------------------------------------------------------------------------------


def accepting_applications(campaign: TicketCampaign, day: datetime.date) -> bool:
    return campaign.opens_on <= day <= campaign.closes_on


def has_active_hardship_file(member: Member) -> bool:
    return HardshipFile.objects.filter(member=member, status=HardshipFile.Status.ACTIVE).exists()


def application_problems(
    *,
    by,
    campaign: TicketCampaign,
    ticket_type: TicketType,
    member: Member,
    priority: str,
    travel_on: datetime.date,
    today: datetime.date,
) -> list[str]:
    """Every rule the application breaks, each named in a sentence; empty when it can be submitted."""
    problems = []
    if not accepting_applications(campaign, today):
        problems.append(
            _("Applications for %(campaign)s are accepted from %(opens)s to %(closes)s.")
            % {
                "campaign": campaign.name,
                "opens": campaign.opens_on.isoformat(),
                "closes": campaign.closes_on.isoformat(),
            }
        )
    if member.union.chair_id != by.pk:
        problems.append(
            _("%(name)s is not a member of your union; a chair applies only for their own union's workers.")
            % {"name": member.name}
        )
    if not member.is_active_member:
        problems.append(
            _("%(name)s's membership is not active (%(status)s).")
            % {"name": member.name, "status": member.get_status_display()}
        )
    if not member.is_migrant_worker:
        problems.append(
            _("%(name)s is not registered as a migrant worker; return-home tickets are for migrant workers.")
            % {"name": member.name}
        )
    if ticket_type.campaign_id != campaign.pk:
        problems.append(_("This ticket is not offered by %(campaign)s.") % {"campaign": campaign.name})
    if not campaign.travel_from <= travel_on <= campaign.travel_until:
        problems.append(
            _("The travel date must fall between %(start)s and %(end)s.")
            % {"start": campaign.travel_from.isoformat(), "end": campaign.travel_until.isoformat()}
        )
    if priority == Priority.HARDSHIP and not has_active_hardship_file(member):
        problems.append(
            _("%(name)s has no hardship file on record; the hardship priority is for workers on file.")
            % {"name": member.name}
        )
    existing = campaign.applications.exclude(status=Status.WITHDRAWN).filter(member=member).first()
    if existing:
        problems.append(
            _("%(name)s already has an application in this campaign (%(status)s).")
            % {"name": member.name, "status": existing.get_status_display()}
        )
    return problems


def apply_for_ticket(
    *,
    by,
    campaign: TicketCampaign,
    ticket_type: TicketType,
    member: Member,
    priority: str,
    destination: str,
    travel_on: datetime.date,
    today: datetime.date | None = None,
) -> TicketApplication:
    """A chair's application for one of their union's migrant workers. Raises ValidationError naming
    every broken rule; nothing is saved then."""
    today = today or timezone.localdate()
    problems = application_problems(
        by=by,
        campaign=campaign,
        ticket_type=ticket_type,
        member=member,
        priority=priority,
        travel_on=travel_on,
        today=today,
    )
    if not destination.strip():
        problems.append(_("Say where the worker is going."))
    if problems:
        raise ValidationError(problems)
    try:
        with transaction.atomic(), set_actor(by):
            return TicketApplication.objects.create(
                campaign=campaign,
                ticket_type=ticket_type,
                member=member,
                union_id=member.union_id,
                submitted_by=by,
                submitted_on=today,
                priority=priority,
                destination=destination.strip(),
                travel_on=travel_on,
            )
    except IntegrityError:  # the same form submitted twice at the same moment
        raise ValidationError(
            _("%(name)s already has an application in this campaign.") % {"name": member.name}
        ) from None


# --- allocation --------------------------------------------------------------------------------


def _locked(campaign: TicketCampaign) -> TicketCampaign:
    return TicketCampaign.objects.select_for_update().get(pk=campaign.pk)


def _allocate(
    *, by, campaign: TicketCampaign, applications: list[TicketApplication], price: Decimal | None
) -> int:
    """Allocate these (submitted) applications, all or none; the campaign's row is locked by the caller."""
    current = usage(campaign)
    prices = {
        t.ticket_type.pk: price if price is not None else t.ticket_type.average_price for t in current.types
    }
    wanted = Counter(a.ticket_type_id for a in applications)
    problems = []
    for type_id, n in sorted(wanted.items()):
        held = current.of(type_id)
        if held.used + n > held.ticket_type.seats:
            problems.append(
                _(
                    "%(mode)s: not enough seats — %(seats)d in all, %(used)d already allocated, %(n)d "
                    "more asked for."
                )
                % {
                    "mode": held.ticket_type.get_mode_display(),
                    "seats": held.ticket_type.seats,
                    "used": held.used,
                    "n": n,
                }
            )
    cost = money(sum((prices[a.ticket_type_id] for a in applications), ZERO))
    if current.committed + cost > campaign.budget:
        problems.append(
            _(
                "Over the budget: ¥%(budget)s in all, ¥%(committed)s committed, ¥%(cost)s more for "
                "%(n)d tickets."
            )
            % {
                "budget": f"{campaign.budget:,}",
                "committed": f"{current.committed:,}",
                "cost": f"{cost:,}",
                "n": len(applications),
            }
        )
    if problems:
        raise ValidationError(problems)
    with set_actor(by):
        for application in applications:
            application.status, application.price, application.decided_by = (
                Status.ALLOCATED,
                prices[application.ticket_type_id],
                by,
            )
            application.save(update_fields=["status", "price", "decided_by"])
    return len(applications)


def allocate_seats(
    *, by, campaign: TicketCampaign, application_ids: Iterable[int], price: Decimal | None = None
) -> int:
    """Allocate seats to the chosen applications (priced at the ticket type's average price unless a
    price is given), in priority order, all or none. Applications already decided are left alone, so
    a form submitted twice allocates once. Returns how many were allocated."""
    require(can_decide_tickets(by))
    if price is not None:
        price = money(price)
        if price <= 0:
            raise ValidationError(_("The price must be more than zero."))
    with transaction.atomic():
        campaign = _locked(campaign)
        applications = list(
            in_priority_order(
                campaign.applications.filter(pk__in=list(application_ids), status=Status.SUBMITTED)
            ).select_for_update()
        )
        return _allocate(by=by, campaign=campaign, applications=applications, price=price)


def allocate_by_priority(*, by, campaign: TicketCampaign, ticket_type: TicketType, count: int) -> int:
    """Allocate the next ``count`` waiting applications for this ticket in priority order (hardship,
    outstanding, others; then by submission date), at its average price, all or none."""
    require(can_decide_tickets(by))
    if ticket_type.campaign_id != campaign.pk:
        raise ValidationError(_("This ticket is not offered by %(campaign)s.") % {"campaign": campaign.name})
    if count <= 0:
        raise ValidationError(_("Say how many seats to allocate."))
    with transaction.atomic():
        campaign = _locked(campaign)
        waiting = in_priority_order(
            campaign.applications.filter(ticket_type=ticket_type, status=Status.SUBMITTED)
        )
        applications = list(
            TicketApplication.objects.filter(
                pk__in=list(waiting.values_list("pk", flat=True)[:count])
            ).select_for_update()
        )
        return _allocate(by=by, campaign=campaign, applications=applications, price=None)


# --- after allocation --------------------------------------------------------------------------


def _locked_application(application: TicketApplication) -> TicketApplication:
    _locked(application.campaign)
    return (
        TicketApplication.objects.select_for_update(of=("self",))
        .select_related("campaign", "member", "union__chair", "ticket_type")
        .get(pk=application.pk)
    )


def issue_ticket(
    *, by, application: TicketApplication, ticket_number: str, price: Decimal, issued_on: datetime.date
) -> TicketApplication:
    """Record the ticket bought for an allocated seat: its number, the price actually paid, the day.
    Recording the same ticket again changes nothing."""
    require(can_decide_tickets(by))
    ticket_number, price = ticket_number.strip(), money(price)
    if not ticket_number:
        raise ValidationError(_("Give the ticket number."))
    if price <= 0:
        raise ValidationError(_("The price must be more than zero."))
    if issued_on > timezone.localdate():
        raise ValidationError(_("A ticket is recorded once it is issued, not in advance."))
    with transaction.atomic():
        application = _locked_application(application)
        if application.status == Status.ISSUED and application.ticket_number == ticket_number:
            return application
        if application.status != Status.ALLOCATED:
            raise ValidationError(
                _(
                    "Only an application with a seat allocated can be issued a ticket (this one is "
                    "%(status)s)."
                )
                % {"status": application.get_status_display()}
            )
        if application.campaign.applications.filter(ticket_number=ticket_number).exists():
            raise ValidationError(
                _("Ticket number %(number)s is already recorded for another worker.")
                % {"number": ticket_number}
            )
        application.status, application.ticket_number, application.price, application.issued_on = (
            Status.ISSUED,
            ticket_number,
            price,
            issued_on,
        )
        application.decided_by = by
        with set_actor(by):
            application.save(update_fields=["status", "ticket_number", "price", "issued_on", "decided_by"])
    _tell_chair(
        application,
        key=f"ticket-issued:{application.pk}",
        title=_("Return-home ticket issued"),
        body=_("%(name)s: ticket %(number)s, travelling on %(day)s to %(destination)s.")
        % {
            "name": application.member.name,
            "number": ticket_number,
            "day": application.travel_on.isoformat(),
            "destination": application.destination,
        },
    )
    return application


def decline_application(*, by, application: TicketApplication, reason: str) -> TicketApplication:
    """Decline a submitted or allocated application (its seat is released). The reason goes into
    the audit record and the notice to the chair."""
    require(can_decide_tickets(by))
    reason = reason.strip()
    if not reason:
        raise ValidationError(_("Say why the application is declined."))
    with transaction.atomic():
        application = _locked_application(application)
        if application.status not in (Status.SUBMITTED, Status.ALLOCATED):
            raise ValidationError(
                _("This application is %(status)s; it can no longer be declined.")
                % {"status": application.get_status_display()}
            )
        application.status, application.price, application.decided_by = Status.DECLINED, None, by
        with set_extra_data({"actor": by, "additional_data": {"reason": reason[:300]}}):
            application.save(update_fields=["status", "price", "decided_by"])
    _tell_chair(
        application,
        key=f"ticket-declined:{application.pk}",
        title=_("Return-home ticket declined"),
        body=_("The application for %(name)s was declined: %(reason)s")
        % {"name": application.member.name, "reason": reason},
    )
    return application


def decline_reason(application: TicketApplication) -> str:
    """The reason given when the application was declined (kept in its audit record)."""
    entry = (
        LogEntry.objects.get_for_object(application)
        .filter(additional_data__has_key="reason")
        .order_by("-timestamp")
        .first()
    )
    return entry.additional_data["reason"] if entry else ""


def withdraw_application(*, by, application: TicketApplication) -> TicketApplication:
    """The chair withdraws an application before a ticket is issued (a seat allocated is released)."""
    with transaction.atomic():
        application = _locked_application(application)
        if application.union.chair_id != by.pk:
            raise PermissionDenied(_("Only the chair of the worker's union can withdraw the application."))
        if application.status == Status.WITHDRAWN:
            return application
        if application.status not in (Status.SUBMITTED, Status.ALLOCATED):
            raise ValidationError(
                _("This application is %(status)s; it can no longer be withdrawn.")
                % {"status": application.get_status_display()}
            )
        application.status, application.price = Status.WITHDRAWN, None
        with set_actor(by):
            application.save(update_fields=["status", "price"])
    return application


def _tell_chair(application: TicketApplication, *, key: str, title: str, body: str) -> None:
    chair = application.union.chair
    if chair is not None:
        notify(user=chair, key=key, title=title, body=body, url=application_url(application))


def application_url(application: TicketApplication) -> str:
    return reverse("aid:ticket_detail", kwargs={"pk": application.pk})


# --- export ------------------------------------------------------------------------------------


def applications_header() -> list[str]:
    return [
        _("Union code"),
        _("Union"),
        _("Name"),
        _("Resident ID number"),
        _("Ticket"),
        _("Destination"),
        _("Travel date"),
        _("Priority"),
        _("Status"),
        _("Submitted on"),
        _("Ticket price"),
        _("Ticket number"),
        _("Issued on"),
    ]


def applications_xlsx(applications: QuerySet[TicketApplication]):
    """A campaign's applications (names and masked ID numbers only) as a write-only workbook,
    spooled to a temporary file (the caller closes it)."""
    workbook = write_only_workbook()
    sheet = workbook.create_sheet(_("Applications"))
    sheet.append(applications_header())
    for a in applications.select_related("union", "member", "ticket_type").iterator(chunk_size=2000):
        sheet.append(
            [
                neutralise(a.union.code),
                neutralise(a.union.name),
                neutralise(a.member.name),
                a.member.masked_id_number,
                a.ticket_type.get_mode_display(),
                neutralise(a.destination),
                a.travel_on.isoformat(),
                a.get_priority_display(),
                a.get_status_display(),
                a.submitted_on.isoformat(),
                a.price,
                neutralise(a.ticket_number),
                a.issued_on.isoformat() if a.issued_on else "",
            ]
        )
    return spooled(workbook)
