"""Discount cards: the list (staff: all, a chair: their union's members'), issuing a batch, the
batches and their printable sheets, one card with its history and status actions, and "my card"
for a member whose login is linked to their membership."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from members.models import GrassrootsUnion, Member
from unionhub.access import check_required, has_role, require
from unionhub.areas import area_context, area_filter, filter_by_area
from unionhub.files import stored_response
from unionhub.paging import page_of
from unionhub.params import REASON_MAX, clean_text

from .. import permissions
from ..forms import CardFilter, IssueForm
from ..models import Card, CardBatch
from ..services import cards as services
from ..services.sheets import sheet_filename, start_rendering


def _batches_visible_to(user):
    """Staff: every batch. A chair: their union's batches (a district-wide batch holds other unions'
    members, so it is staff's only)."""
    batches = CardBatch.objects.select_related("union", "created_by")
    if user.is_federation_staff:
        return batches
    return batches.filter(union__chair=user)


def _search(cards, text: str):
    text = text.strip()
    number = services.valid_number(text)
    if number:
        return cards.filter(number=number)
    digits = "".join(ch for ch in text if ch in "0123456789")
    if digits and len(digits) >= 4 and not any(ch.isalpha() for ch in text):
        return cards.filter(number__contains=digits)
    return cards.filter(member__name__icontains=text)


@check_required(permissions.can_manage_cards)
def card_list(request):
    user = request.user
    cards = Card.objects.visible_to(user).select_related("member__union", "member__enterprise", "batch")
    filters = CardFilter(request.GET, user=user)
    if filters.is_valid():
        data = filters.cleaned_data
        if data["q"]:
            cards = _search(cards, data["q"])
        if data["union"]:
            cards = cards.filter(member__union=data["union"])
        if data["status"]:
            cards = cards.filter(status=data["status"])
    cards = filter_by_area(cards, area_filter(request), "member__union")
    page = page_of(request, cards.order_by("-issued_on", "number"))
    return render(
        request, "perks/card_list.html", {"page": page, "filters": filters, **area_context(request)}
    )


@check_required(permissions.can_manage_cards)
def card_issue(request):
    """POST: issue cards to the members without one, in a union (a chair: their own only) or, for
    staff, the whole district. A second submit finds nobody left and makes an empty batch."""
    user = request.user
    require(permissions.can_issue_cards(user) or has_role(user, "union_chair"))
    if request.method != "POST":
        return redirect("perks:batch_list")
    form = IssueForm(request.POST, user=user)
    if not form.is_valid():
        if request.POST.get("union"):
            # Not a union at all: the same answer as another union's.
            return get_object_or_404(GrassrootsUnion.objects.none())
        return batch_list(request, issue_form=form)
    union = form.cleaned_data["union"]
    if union is not None:
        union = get_object_or_404(GrassrootsUnion.objects.visible_to(user), pk=union.pk)
    batch = services.issue_cards(by=user, union=union)
    if batch.count:
        messages.success(request, _("%(count)d cards issued.") % {"count": batch.count})
    else:
        messages.info(request, _("Every active member already holds a card: no cards were issued."))
    return redirect("perks:batch_list")


@check_required(permissions.can_manage_cards)
def batch_list(request, issue_form=None):
    user = request.user
    page = page_of(request, _batches_visible_to(user))
    unions = GrassrootsUnion.objects.visible_to(user).order_by("code")
    return render(
        request,
        "perks/batch_list.html",
        {
            "page": page,
            "issue_form": issue_form or IssueForm(user=user),
            "unions": unions,
            "is_staff": user.is_federation_staff,
        },
    )


@check_required(permissions.can_manage_cards)
def batch_sheet(request, pk):
    """The batch's printable PDF, rendered first if it is missing."""
    user = request.user
    batch = get_object_or_404(_batches_visible_to(user), pk=pk)
    if not (batch.sheet and batch.sheet.storage.exists(batch.sheet.name)):
        result = start_rendering(batch_id=batch.pk)
        if not result.ready():
            messages.info(request, _("The sheet is being prepared; download it again in a minute."))
            return redirect("perks:batch_list")
        batch.refresh_from_db(fields=["sheet"])
    return stored_response(batch.sheet, filename=sheet_filename(batch))


def _history(card: Card) -> list[Card]:
    """Every card the member has held, oldest first: the replacement chain and any earlier cards."""
    return list(
        Card.objects.filter(member_id=card.member_id)
        .select_related("replaced_by", "batch")
        .order_by("issued_on", "pk")
    )


@login_required
def card_detail(request, pk):
    card = get_object_or_404(
        Card.objects.visible_to(request.user).select_related(
            "member__union", "member__enterprise", "batch", "replaced_by"
        ),
        pk=pk,
    )
    may_change = permissions.can_change_card(request.user, card)
    return render(
        request,
        "perks/card_detail.html",
        {
            "card": card,
            "history": _history(card),
            "lost_reports": list(card.lost_reports.select_related("new_card", "resolved_by")),
            "can_report_lost": may_change and card.status == Card.Status.ACTIVE,
            "can_replace": may_change
            and card.status in (Card.Status.ACTIVE, Card.Status.LOST)
            and not card.replaced_by_id
            and card.member.is_active_member,
            "can_cancel": may_change and card.status in (Card.Status.ACTIVE, Card.Status.LOST),
        },
    )


def _card_action(request, pk, action):
    card = get_object_or_404(Card.objects.visible_to(request.user), pk=pk)
    require(permissions.can_change_card(request.user, card))
    if request.method != "POST":
        return redirect("perks:card_detail", pk=card.pk)
    try:
        result = action(card)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("perks:card_detail", pk=card.pk)
    return redirect("perks:card_detail", pk=result.pk)


@login_required
def card_report_lost(request, pk):
    def action(card):
        card = services.report_lost(by=request.user, card=card)
        messages.success(
            request, _("Card %(number)s is reported lost; counters will refuse it.") % {"number": card.number}
        )
        return card

    return _card_action(request, pk, action)


@login_required
def card_replace(request, pk):
    def action(card):
        new = services.replace(by=request.user, card=card)
        messages.success(
            request, _("Card %(old)s is replaced by card %(new)s.") % {"old": card.number, "new": new.number}
        )
        return new

    return _card_action(request, pk, action)


@login_required
def card_cancel(request, pk):
    def action(card):
        card = services.cancel(
            by=request.user, card=card, reason=clean_text(request.POST.get("reason"), max_length=REASON_MAX)
        )
        messages.success(request, _("Card %(number)s is cancelled.") % {"number": card.number})
        return card

    return _card_action(request, pk, action)


@login_required
def my_card(request):
    member = Member.objects.filter(user=request.user).select_related("union").first()
    cards = list(Card.objects.filter(member=member).order_by("-issued_on", "-pk")) if member else []
    return render(
        request,
        "perks/my_card.html",
        {
            "member": member,
            "cards": cards,
            "active": next((card for card in cards if card.status == Card.Status.ACTIVE), None),
        },
    )
