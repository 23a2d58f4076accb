"""What the discount card shows in the member area (/m/): the "Card" tab and the home page's card tile."""

from django.utils.translation import pgettext_lazy

from unionhub.contributions import MemberScope, member_tile, register_member_tab

from .models import Card

register_member_tab(10, label=pgettext_lazy("member tab", "Card"), url_name="member_card:card")


def masked_number(number: str) -> str:
    """``8860000000000017`` → ``8860 **** **** 0017``: enough to tell one's cards apart on the home
    page, not enough to be read off a shoulder and typed in at a counter."""
    return f"{number[:4]} **** **** {number[-4:]}" if len(number) == 16 else "****"


@member_tile(10, "perks/member/_tile.html")
def card_tile(scope: MemberScope) -> dict:
    """The member's latest card (an active card is always their latest) and its state: one query."""
    latest = (
        Card.objects.filter(member=scope.member)
        .order_by("-issued_on", "-pk")
        .values_list("number", "status")
        .first()
    )
    if latest is None:
        return {"number": "", "status": ""}
    number, status = latest
    return {
        "number": masked_number(number),
        "status": status,
        "label": Card.Status(status).label,
        "active": status == Card.Status.ACTIVE,
    }
