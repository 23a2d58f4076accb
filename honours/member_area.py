"""What the honours programme shows in the member area: the public notices (公示) of award rounds' winners."""

import datetime

from django.urls import reverse
from django.utils.translation import gettext as _

from unionhub.contributions import MemberNotice, member_notices

from .models import AwardRound

# A round's notice stays listed this long after it ends: members read the winners after the notice, too.
LISTED_DAYS = 90


@member_notices(order=10)
def honour_notices(scope) -> list[MemberNotice]:
    since = scope.day - datetime.timedelta(days=LISTED_DAYS)
    rounds = (
        AwardRound.objects.filter(notice_starts_on__lte=scope.day, notice_ends_on__gte=since)
        .select_related("award_type")
        .order_by("-notice_starts_on")[:20]
    )
    return [
        MemberNotice(
            day=award_round.notice_starts_on,
            title=_("Public notice: %(year)s %(award)s")
            % {"year": award_round.year, "award": award_round.award_type},
            url=reverse("honours:honour_notice", args=[award_round.pk]),
            source=_("Honours"),
        )
        for award_round in rounds
    ]
