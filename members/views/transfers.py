"""Job changers' pages: a union's transfers in and out, one transfer (contest, resolve), and a
transfer recorded by hand from a member's page. Who may act is checked again by the services."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from unionhub.paging import page_of
from unionhub.params import choice_param, parse_id
from unionhub.posted import add_errors, error_messages, form_error_messages

from .. import permissions
from ..forms import TransferContestForm, TransferForm, TransferResolveForm
from ..models import GrassrootsUnion, Member, MemberTransfer
from ..services import transfers
from . import _get_member_for_user, registry_access_required

DIRECTIONS = ("in", "out")


@registry_access_required
def union_transfers(request, pk):
    union = get_object_or_404(GrassrootsUnion.objects.visible_to(request.user), pk=pk)
    direction = choice_param(request, "direction", DIRECTIONS)
    page = page_of(request, transfers.for_union(union, direction))
    return render(
        request,
        "members/transfers/union_transfers.html",
        {
            "union": union,
            "direction": direction,
            "page": page,
            "today": timezone.localdate(),
            "is_chair": union.chair_id == request.user.pk,
        },
    )


def _transfer_for_user(user, pk) -> MemberTransfer:
    return get_object_or_404(
        MemberTransfer.objects.visible_to(user).select_related(
            "from_member", "to_member", "from_union", "to_union", "upload", "contested_by", "resolved_by"
        ),
        pk=pk,
    )


@registry_access_required
def transfer_detail(request, pk):
    transfer = _transfer_for_user(request.user, pk)
    today = timezone.localdate()
    visible = set(
        Member.objects.visible_to(request.user)
        .filter(pk__in=[transfer.from_member_id, transfer.to_member_id])
        .values_list("pk", flat=True)
    )
    can_contest = permissions.can_contest_transfer(request.user, transfer) and transfer.contestable_on(today)
    can_resolve = (
        permissions.can_resolve_transfer(request.user) and transfer.status == MemberTransfer.Status.CONTESTED
    )
    return render(
        request,
        "members/transfers/transfer_detail.html",
        {
            "transfer": transfer,
            "from_visible": transfer.from_member_id in visible,
            "to_visible": transfer.to_member_id in visible,
            "contest_form": TransferContestForm() if can_contest else None,
            "resolve_form": TransferResolveForm() if can_resolve else None,
        },
    )


@registry_access_required
@require_POST
def transfer_contest(request, pk):
    transfer = _transfer_for_user(request.user, pk)
    if not permissions.can_contest_transfer(request.user, transfer):
        raise PermissionDenied
    form = TransferContestForm(request.POST)
    if not form.is_valid():
        form_error_messages(request, form)
        return redirect(transfer)
    try:
        transfers.contest_transfer(by=request.user, transfer=transfer, reason=form.cleaned_data["reason"])
    except ValidationError as error:
        error_messages(request, error)
    else:
        messages.success(request, _("The transfer is contested; the federation will decide."))
    return redirect(transfer)


@registry_access_required
@require_POST
def transfer_resolve(request, pk):
    transfer = _transfer_for_user(request.user, pk)
    if not permissions.can_resolve_transfer(request.user):
        raise PermissionDenied
    form = TransferResolveForm(request.POST)
    if not form.is_valid():
        form_error_messages(request, form)
        return redirect(transfer)
    try:
        transfers.resolve_transfer(by=request.user, transfer=transfer, **form.cleaned_data)
    except ValidationError as error:
        error_messages(request, error)
    else:
        messages.success(request, _("Decision recorded."))
    return redirect(transfer)


@registry_access_required
def member_transfer(request, pk):
    """Step one (GET): choose the receiving union; step two: its enterprise and the date (POST)."""
    member = _get_member_for_user(request.user, pk)
    if not permissions.can_transfer_member(request.user, member):
        raise PermissionDenied
    if not member.is_active_member and request.method != "POST":
        # A POST goes on to the service: the same transfer submitted twice answers with the transfer made.
        messages.error(request, _("Only an active membership can be transferred."))
        return redirect(member)
    # The union chosen in step one (GET) or posted with step two; a forged value is simply no choice.
    chosen = parse_id((request.POST if request.method == "POST" else request.GET).get("to_union"))
    to_union = (
        GrassrootsUnion.objects.filter(pk=chosen, status=GrassrootsUnion.Status.ACTIVE)
        .exclude(pk=member.union_id)
        .first()
        if chosen
        else None
    )
    form = TransferForm(
        request.POST if request.method == "POST" else None,
        member=member,
        union=to_union,
        initial={"to_union": to_union, "on": timezone.localdate()},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            transfer = transfers.transfer_member(
                by=request.user,
                member=member,
                to_union=data["to_union"],
                enterprise=data["enterprise"],
                on=data["on"],
                note=data["note"],
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(
                request,
                _("%(name)s transferred to %(union)s.") % {"name": member.name, "union": transfer.to_union},
            )
            return redirect(transfer)
    return render(
        request,
        "members/transfers/member_transfer.html",
        {"member": member, "form": form, "to_union": to_union},
    )


urlpatterns = [
    path("unions/<int:pk>/transfers/", union_transfers, name="union_transfers"),
    path("transfers/<int:pk>/", transfer_detail, name="transfer_detail"),
    path("transfers/<int:pk>/contest/", transfer_contest, name="transfer_contest"),
    path("transfers/<int:pk>/resolve/", transfer_resolve, name="transfer_resolve"),
    path("members/<int:pk>/transfer/", member_transfer, name="member_transfer"),
]
