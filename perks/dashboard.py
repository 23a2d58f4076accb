"""The discount card's contributions to the dashboard (see ``unionhub/contributions.py``). Merchants are
district-wide: the staff's figure ignores the area filter."""

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from unionhub.contributions import Scope, Severity, TodoItem, dashboard_panel, district_figures, todo_items

from .models import LostCardReport, Merchant

LOST_REPORTS_SHOWN = 20


@district_figures(order=40, template="perks/dashboard/district_merchants.html")
def merchant_figures(scope: Scope) -> dict:
    return {"merchants": Merchant.objects.filter(is_active=True).count()}


@dashboard_panel(order=60, template="perks/dashboard/my_shop.html")
def my_shop(scope: Scope) -> dict | None:
    if not scope.user.is_merchant:
        return None
    return {"my_merchants": Merchant.objects.filter(staff=scope.user)}


@todo_items(order=47, shows=gettext_lazy("cards members reported lost"))
def lost_card_reports(scope: Scope) -> list[TodoItem] | None:
    """A chair's members who reported their card lost from the phone and wait for a new one (the card is
    already blocked): one item each, oldest first, done with the card page's "Replace" action. One query."""
    user = scope.user
    if not user.is_union_chair:
        return None
    reports = (
        LostCardReport.objects.open()
        .filter(card__member__union__chair=user)
        .select_related("card__member")
        .order_by("reported_at", "pk")[:LOST_REPORTS_SHOWN]
    )
    return [
        TodoItem(
            due=None,
            title=_("%(name)s reported card %(number)s lost: issue a new card")
            % {"name": report.card.member.name, "number": report.card.number},
            detail=_(
                "Reported on %(date)s from the member area; the card is already blocked at the counters."
            )
            % {"date": timezone.localdate(report.reported_at).isoformat()},
            url=reverse("perks:card_detail", kwargs={"pk": report.card_id}),
            action=_("Replace the card"),
            severity=Severity.WARNING,
            sort_key=f"perks.lost {report.reported_at.isoformat()}",
            kind="perks.lost_report",
        )
        for report in reports
    ]
