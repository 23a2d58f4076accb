"""The discount card's section of the monthly report and its headline figure on the staff dashboard."""

from django.db.models import Count, Q, Sum
from django.utils.translation import gettext as _

from unionhub.contributions import Scope, headline_figure, report_section
from unionhub.reports.base import Figure, Section
from unionhub.reports.figures import ROW_LIMIT, money_or_zero, period_figure, prefixed, three

from .models import Card, CardCheck, Redemption

# --- discount cards ------------------------------------------------------------------------------------


@report_section(order=70)
def cards_section(scope: Scope) -> Section:
    span, union = scope.span, scope.union
    cards, checks, redemptions = Card.objects.all(), CardCheck.objects.all(), Redemption.objects.all()
    if union is not None:
        cards = cards.filter(member__union=union)
        checks = checks.filter(card__member__union=union)
        redemptions = redemptions.filter(card__member__union=union)

    def active_at(day):
        return Q(issued_on__lte=day) & (Q(status=Card.Status.ACTIVE) | Q(status_changed_on__gt=day))

    card_totals = cards.aggregate(
        **prefixed(three(span, "issued_on"), "issued"),
        active_m=Count("pk", filter=active_at(span.end)),
        active_l=Count("pk", filter=active_at(span.ly_end)),
    )
    check_totals = checks.aggregate(**prefixed(three(span, "at__date"), "checks"))
    red_totals = redemptions.aggregate(
        **prefixed(three(span, "at__date"), "n"),
        **prefixed(three(span, "at__date", total="discount_given"), "discount"),
        **prefixed(three(span, "at__date", total="amount_spent"), "spent"),
    )
    in_month = Q(at__date__range=(span.start, span.end))
    rows = [
        [name, n, money_or_zero(spent), money_or_zero(discount)]
        for name, n, spent, discount in redemptions.filter(in_month)
        .values("merchant")
        .annotate(n=Count("pk"), spent=Sum("amount_spent"), discount=Sum("discount_given"))
        .order_by("merchant__name")
        .values_list("merchant__name", "n", "spent", "discount")[:ROW_LIMIT]
    ]
    return Section(
        key="cards",
        title=_("Discount cards"),
        note=_("Cards of this union's members.") if union is not None else "",
        figures=[
            period_figure(_("Cards issued"), card_totals, "issued"),
            Figure(_("Cards active at month end"), card_totals["active_m"], None, card_totals["active_l"]),
            period_figure(_("Card checks"), check_totals, "checks"),
            period_figure(_("Redemptions"), red_totals, "n"),
            period_figure(_("Amount spent"), red_totals, "spent", money=True),
            period_figure(_("Discount given"), red_totals, "discount", money=True),
        ],
        header=[_("Merchant"), _("Redemptions"), _("Amount spent"), _("Discount given")],
        rows=rows,
    )


@headline_figure(order=70)
def redemptions_headline(scope: Scope) -> Figure:
    return Figure(
        _("Redemptions this month"),
        Redemption.objects.filter(at__date__range=(scope.day.replace(day=1), scope.day)).count(),
    )
