"""Return-home tickets: campaigns (with their seats, budget and the totals over the years), chairs'
applications for their migrant workers, allocation of seats, issued tickets, declines and
withdrawals, and the XLSX export of a campaign's applications.

Staff and union chairs see the pages (a chair only their own union's applications; any other is
404). Creating a campaign and deciding applications need the aid duty's permissions; applying and
withdrawing are for the chair of the worker's union."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from members.models import Member
from unionhub.access import has_role, require, role_required
from unionhub.params import REASON_MAX, choice_param, clean_text, parse_id
from unionhub.posted import add_errors, error_messages

from .. import permissions
from ..forms.tickets import ApplicationForm, ByPriorityForm, CampaignForm, DeclineForm, IssueForm, PriceForm
from ..models import TicketApplication, TicketCampaign
from ..services import tickets

Status = TicketApplication.Status


# --- access ------------------------------------------------------------------------------------


def _campaign_for(user, pk) -> TicketCampaign:
    require(has_role(user, "staff", "union_chair"))
    return get_object_or_404(TicketCampaign, pk=pk)


def _application_for(user, pk) -> TicketApplication:
    require(has_role(user, "staff", "union_chair"))
    return get_object_or_404(
        TicketApplication.objects.visible_to(user).select_related(
            "campaign", "ticket_type", "member__enterprise", "union", "submitted_by", "decided_by"
        ),
        pk=pk,
    )


# --- campaigns ---------------------------------------------------------------------------------


@role_required("staff", "union_chair")
def campaign_list(request):
    return render(
        request,
        "aid/campaign_list.html",
        {
            "campaigns": tickets.with_figures(TicketCampaign.objects.all()),
            "history": tickets.history(),
            "can_create": request.user.is_federation_staff
            and request.user.has_perm("aid.add_ticketcampaign"),
        },
    )


@login_required
def campaign_create(request):
    if not (request.user.is_federation_staff and request.user.has_perm("aid.add_ticketcampaign")):
        raise PermissionDenied
    form = CampaignForm(request.POST or None, initial={"year": timezone.localdate().year + 1})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            campaign = tickets.create_campaign(
                by=request.user,
                year=data["year"],
                name=data["name"],
                budget=data["budget"],
                opens_on=data["opens_on"],
                closes_on=data["closes_on"],
                travel_from=data["travel_from"],
                travel_until=data["travel_until"],
                ticket_types=form.ticket_types(),
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("Campaign %(name)s created.") % {"name": campaign.name})
            return redirect(campaign)
    return render(request, "aid/campaign_form.html", {"form": form})


@login_required
def campaign_detail(request, pk):
    campaign = _campaign_for(request.user, pk)
    visible = TicketApplication.objects.visible_to(request.user).filter(campaign=campaign)
    shown = visible
    status = choice_param(request, "status", Status.values)
    priority = choice_param(request, "priority", TicketApplication.Priority.values)
    if status:
        shown = shown.filter(status=status)
    if priority:
        shown = shown.filter(priority=priority)
    shown = tickets.in_priority_order(shown).select_related("member", "union", "ticket_type")
    counts = tickets.status_priority_counts(visible)
    priorities = TicketApplication.Priority.choices
    table = [
        (
            value,
            label,
            [(counts[value].get(p, 0), p_label) for p, p_label in priorities],
            sum(counts[value].values()),
        )
        for value, label in Status.choices
    ]
    can_allocate = permissions.can_decide_tickets(request.user)
    return render(
        request,
        "aid/campaign_detail.html",
        {
            "campaign": campaign,
            "usage": tickets.usage(campaign),
            "history": tickets.history(),
            "table": table,
            "priorities": priorities,
            "statuses": Status.choices,
            "status": status,
            "priority": priority,
            "page": Paginator(shown, 100).get_page(request.GET.get("page")),
            "can_allocate": can_allocate,
            "price_form": PriceForm(),
            "can_apply": request.user.is_union_chair
            and tickets.accepting_applications(campaign, timezone.localdate()),
        },
    )


@login_required
def campaign_export(request, pk):
    campaign = _campaign_for(request.user, pk)
    applications = tickets.in_priority_order(
        TicketApplication.objects.visible_to(request.user).filter(campaign=campaign)
    )
    return FileResponse(
        tickets.applications_xlsx(applications),
        as_attachment=True,
        filename=f"return-home-{campaign.year}-{campaign.pk}.xlsx",
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


# --- applications ------------------------------------------------------------------------------


@login_required
def ticket_apply(request, pk):
    campaign = _campaign_for(request.user, pk)
    if not request.user.is_union_chair:
        raise PermissionDenied
    members = Member.objects.active().filter(union__chair=request.user).order_by("name", "pk")
    if request.method == "POST" and (member_pk := parse_id(request.POST.get("member"))) is not None:
        # A forged id of another union's member is not found, whatever it is.
        get_object_or_404(Member.objects.filter(union__chair=request.user), pk=member_pk)
    form = ApplicationForm(request.POST or None, campaign=campaign, members=members)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            application = tickets.apply_for_ticket(
                by=request.user,
                campaign=campaign,
                ticket_type=data["ticket_type"],
                member=data["member"],
                priority=data["priority"],
                destination=data["destination"],
                travel_on=data["travel_on"],
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(
                request, _("Application for %(name)s submitted.") % {"name": application.member.name}
            )
            return redirect(campaign)
    return render(
        request,
        "aid/ticket_form.html",
        {
            "campaign": campaign,
            "form": form,
            "open": tickets.accepting_applications(campaign, timezone.localdate()),
        },
    )


@login_required
def ticket_detail(request, pk):
    application = _application_for(request.user, pk)
    can_decide = permissions.can_decide_tickets(request.user)
    open_statuses = (Status.SUBMITTED, Status.ALLOCATED)
    return render(
        request,
        "aid/ticket_detail.html",
        {
            "application": application,
            "decline_reason": tickets.decline_reason(application)
            if application.status == Status.DECLINED
            else "",
            "issue_form": IssueForm(initial={"price": application.price, "issued_on": timezone.localdate()})
            if can_decide and application.status == Status.ALLOCATED
            else None,
            "decline_form": DeclineForm() if can_decide and application.status in open_statuses else None,
            "can_withdraw": application.union.chair_id == request.user.pk
            and application.status in open_statuses,
        },
    )


@login_required
@require_POST
def ticket_allocate(request, pk):
    campaign = _campaign_for(request.user, pk)
    require(permissions.can_decide_tickets(request.user))
    try:
        if "count" in request.POST:
            form = ByPriorityForm(request.POST, campaign=campaign)
            if not form.is_valid():
                raise ValidationError(_("Choose the ticket and how many seats to allocate."))
            allocated = tickets.allocate_by_priority(
                by=request.user,
                campaign=campaign,
                ticket_type=form.cleaned_data["ticket_type"],
                count=form.cleaned_data["count"],
            )
        else:
            form = PriceForm(request.POST)
            if not form.is_valid():
                raise ValidationError(form.errors["price"])
            chosen = [pk for raw in request.POST.getlist("application") if (pk := parse_id(raw)) is not None]
            allocated = tickets.allocate_seats(
                by=request.user, campaign=campaign, application_ids=chosen, price=form.cleaned_data["price"]
            )
    except ValidationError as error:
        messages.error(request, _("Nothing was allocated."))
        error_messages(request, error)
    else:
        if allocated:
            messages.success(request, _("%(n)d seats allocated.") % {"n": allocated})
        else:
            messages.info(request, _("Nothing to allocate: the applications chosen are no longer waiting."))
    return redirect(campaign)


@login_required
@require_POST
def ticket_issue(request, pk):
    application = _application_for(request.user, pk)
    require(permissions.can_decide_tickets(request.user))
    form = IssueForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(
                [
                    f"{form.fields[name].label}: {error}"
                    for name, errors in form.errors.items()
                    for error in errors
                ]
            )
        tickets.issue_ticket(by=request.user, application=application, **form.cleaned_data)
    except ValidationError as error:
        error_messages(request, error)
    else:
        messages.success(request, _("Ticket recorded."))
    return redirect(tickets.application_url(application))


@login_required
@require_POST
def ticket_decline(request, pk):
    application = _application_for(request.user, pk)
    require(permissions.can_decide_tickets(request.user))
    try:
        tickets.decline_application(
            by=request.user,
            application=application,
            reason=clean_text(request.POST.get("reason"), max_length=REASON_MAX),
        )
    except ValidationError as error:
        error_messages(request, error)
    else:
        messages.info(request, _("The application was declined; the chair is told why."))
    return redirect(tickets.application_url(application))


@login_required
@require_POST
def ticket_withdraw(request, pk):
    application = _application_for(request.user, pk)
    if application.union.chair_id != request.user.pk:
        raise PermissionDenied
    try:
        tickets.withdraw_application(by=request.user, application=application)
    except ValidationError as error:
        error_messages(request, error)
    else:
        messages.info(request, _("The application was withdrawn."))
    return redirect(tickets.application_url(application))
