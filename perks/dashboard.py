"""The discount card's contributions to the dashboard (see ``unionhub/contributions.py``). Merchants are
district-wide: the staff's figure ignores the area filter."""

from unionhub.contributions import Scope, dashboard_panel, district_figures

from .models import Merchant


@district_figures(order=40, template="perks/dashboard/district_merchants.html")
def merchant_figures(scope: Scope) -> dict:
    return {"merchants": Merchant.objects.filter(is_active=True).count()}


@dashboard_panel(order=60, template="perks/dashboard/my_shop.html")
def my_shop(scope: Scope) -> dict | None:
    if not scope.user.is_merchant:
        return None
    return {"my_merchants": Merchant.objects.filter(staff=scope.user)}
