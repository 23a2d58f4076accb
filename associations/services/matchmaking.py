"""The matchmaking association (职工红娘协会): members opt in to a private profile that only that
association's chair sees (and the member themself); the chair records couples matched as a count
per event or date, never names; staff and the chair see counts only.

Profiles leave this module only through ``profiles_for_chair`` (the chair's page) and
``own_profile`` (the member's own page): never in a list, an export or another member's view."""

import dataclasses
import datetime

from auditlog.context import set_actor
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Sum
from django.db.models.functions import ExtractYear
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _

from members.models import Member

from ..models import Activity, Association, MatchProfile, MatchRecord
from ..permissions import is_matchmaker


def matchmaking_association(pk) -> Association:
    """The association, if it is a matchmaking one; any other association is 404 here."""
    return get_object_or_404(Association, pk=pk, is_matchmaking=True)


def member_record(user) -> Member | None:
    """The signed-in user's own member record, if they have one and their membership is current."""
    if not user.is_authenticated:
        return None
    member = Member.objects.filter(user=user).select_related("union").first()
    return member if member and member.is_active_member else None


def profiles_for_chair(user, association: Association):
    """The association's active profiles for its chair; raises 404 for anybody else, so that the
    page neither shows them nor tells that they exist."""
    if not is_matchmaker(user, association):
        raise Http404
    return (
        MatchProfile.objects.filter(association=association, active=True)
        .select_related("member__union")
        .order_by("-opted_in_on", "pk")
    )


def own_profile(member: Member, association: Association) -> MatchProfile | None:
    return MatchProfile.objects.filter(association=association, member=member).first()


def save_profile(
    *,
    member: Member,
    association: Association,
    about: str,
    looking_for: str,
    today: datetime.date | None = None,
) -> MatchProfile:
    """Opt in (or change the profile). Opting in again after withdrawing starts a new opt-in date."""
    if not association.is_matchmaking:
        raise ValidationError(_("Only a matchmaking association keeps profiles."))
    today = today or timezone.localdate()
    with transaction.atomic():
        profile, created = MatchProfile.objects.select_for_update().get_or_create(
            association=association,
            member=member,
            defaults={"opted_in_on": today, "about": about, "looking_for": looking_for, "active": True},
        )
        if not created:
            if not profile.active:
                profile.opted_in_on, profile.active = today, True
            profile.about, profile.looking_for = about, looking_for
            profile.save(update_fields=["opted_in_on", "active", "about", "looking_for"])
    return profile


def withdraw_profile(*, member: Member, association: Association) -> bool:
    """Withdraw the member's consent: the profile is hidden from the chair and what it said is
    erased (the member can opt in again and write a new one). Returns whether there was one."""
    return (
        MatchProfile.objects.filter(association=association, member=member, active=True).update(
            active=False, about="", looking_for=""
        )
        > 0
    )


def record_match(
    *,
    by,
    association: Association,
    on: datetime.date,
    couples: int,
    activity: Activity | None = None,
    note: str = "",
    today: datetime.date | None = None,
) -> MatchRecord:
    """The chair records how many couples an event (or a date) matched: a count, never names."""
    today = today or timezone.localdate()
    if not is_matchmaker(by, association):
        raise PermissionDenied(_("Only the association's chair records matches."))
    if couples < 1:
        raise ValidationError(_("Record at least one couple."))
    if on > today:
        raise ValidationError(_("Matches cannot be recorded for a future date."))
    if activity is not None and activity.association_id != association.pk:
        raise ValidationError(_("The event must be one of this association's activities."))
    with transaction.atomic(), set_actor(by):
        return MatchRecord.objects.create(
            association=association, on=on, couples=couples, activity=activity, note=note
        )


@dataclasses.dataclass(frozen=True)
class MatchYear:
    year: int
    events: int
    couples: int


@dataclasses.dataclass(frozen=True)
class MatchSummary:
    active_profiles: int
    years: list[MatchYear]

    @property
    def couples(self) -> int:
        return sum(y.couples for y in self.years)


def match_summary(association: Association) -> MatchSummary:
    """Counts only: active profiles now, and events and couples matched per year (newest first)."""
    years = (
        MatchRecord.objects.filter(association=association)
        .annotate(year=ExtractYear("on"))
        .values("year")
        .annotate(events=Count("pk"), couples=Sum("couples"))
        .order_by("-year")
    )
    return MatchSummary(
        active_profiles=MatchProfile.objects.filter(association=association, active=True).count(),
        years=[MatchYear(year=row["year"], events=row["events"], couples=row["couples"]) for row in years],
    )
