"""The member's own discount card on the phone (/m/card/): the card as a QR code for the counter, where it
may be used, and reporting it lost. Every card and report is reached through the signed-in member's own
membership rows (``members.member_access``): another member's id is 404."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from members.member_access import member_required, member_rows
from unionhub.certificates import qr_code_svg
from unionhub.params import DB_INT_MAX

from ..models import Branch, Card, LostCardReport, Merchant
from ..services import cards as services
from ..services.counter import discount_rule

REPORTS_SHOWN = 10


def _own_cards(member):
    """The cards of every membership row of the member (a transfer leaves the old row's cards behind)."""
    return Card.objects.filter(member__in=member_rows(member))


def _own(queryset, pk: int):
    if pk > DB_INT_MAX:  # beyond the database's integer: no such row, and PostgreSQL would raise
        raise Http404
    return get_object_or_404(queryset, pk=pk)


@never_cache
@member_required
def card(request):
    """The member's active card as a QR code (the bare 16-digit number: what the counter's scanner and
    its number field read, ``perks.services.cards.valid_number``) with the number beneath; or why there
    is none and what to do."""
    member = request.member
    cards = list(Card.objects.filter(member=member).order_by("-issued_on", "-pk")[:10])
    active = next((c for c in cards if c.status == Card.Status.ACTIVE), None)
    reports = list(
        LostCardReport.objects.filter(card__member__in=member_rows(member))
        .select_related("card", "new_card")
        .order_by("-reported_at", "-pk")[:REPORTS_SHOWN]
    )
    return render(
        request,
        "perks/member/card.html",
        {
            "member": member,
            "active": active,
            "latest": cards[0] if cards else None,
            "qr": mark_safe(qr_code_svg(active.number, quiet_zone=4)) if active else "",  # noqa: S308 — SVG made by qrcode from digits
            "grouped": services.group_number(active.number) if active else "",
            "open_report": next((r for r in reports if r.status == LostCardReport.Status.OPEN), None),
            "reports": reports,
        },
    )


@member_required
def merchants(request):
    """Where the card may be used today: the partner merchants whose agreement is in force and who chose to
    be listed, with the discount and their branches' addresses (no phone, no contact person)."""
    day = request.member_scope.day
    category = request.GET.get("category", "")
    shops = Merchant.objects.in_force(day).filter(listed_for_members=True)
    categories = list(shops.order_by().values_list("category", flat=True).distinct())
    if category not in categories:
        category = ""  # missing, unknown or hostile: every category
    else:
        shops = shops.filter(category=category)
    shops = list(
        shops.only(
            "pk",
            "name",
            "category",
            "address",
            "discount",
            "discount_kind",
            "discount_percent",
            "discount_amount",
            "spend_threshold",
        )
        .prefetch_related(
            Prefetch("branches", queryset=Branch.objects.only("pk", "merchant_id", "name", "address"))
        )
        .order_by("category", "name")
    )
    rows = [
        {"merchant": shop, "rule": discount_rule(shop), "branches": list(shop.branches.all())}
        for shop in shops
    ]
    labels = dict(Merchant.Category.choices)
    return render(
        request,
        "perks/member/merchants.html",
        {
            "rows": rows,
            "category": category,
            "categories": [(value, labels.get(value, value)) for value in sorted(categories)],
        },
    )


@member_required
def report_lost(request, pk: int):
    """GET: what reporting the card lost does; POST: report it (the card is blocked at once)."""
    card = _own(_own_cards(request.member).select_related("member__union"), pk)
    if request.method == "POST":
        try:
            report = services.report_lost_by_member(by=request.user, card=card)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect("member_card:card")
        messages.success(request, _("Your card is blocked. Your union chair has been asked for a new card."))
        return redirect("member_card:report", pk=report.pk)
    open_report = LostCardReport.objects.open().filter(card=card).first()
    if open_report is not None:
        return redirect("member_card:report", pk=open_report.pk)
    return render(
        request,
        "perks/member/report_lost.html",
        {
            "card": card,
            "grouped": services.group_number(card.number),
            "may_report": card.status in (Card.Status.ACTIVE, Card.Status.LOST) and not card.replaced_by_id,
        },
    )


@member_required
def report(request, pk: int):
    """One of the member's lost reports and where it stands."""
    lost = _own(
        LostCardReport.objects.filter(card__member__in=member_rows(request.member)).select_related(
            "card__member__union", "new_card"
        ),
        pk,
    )
    return render(
        request,
        "perks/member/report.html",
        {"report": lost, "grouped": services.group_number(lost.card.number)},
    )
