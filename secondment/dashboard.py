"""The secondment scheme's contributions to the dashboard and to a grid area's page (see
``unionhub/contributions.py``). "Cadres active" is computed here only (``active_terms``)."""

import datetime

from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from unionhub.areas import filter_by_area
from unionhub.contributions import (
    Scope,
    Severity,
    TodoItem,
    area_figures,
    dashboard_panel,
    district_figures,
    severity_for,
    todo_items,
)

from .dashboard_calendar import duty_days_beyond_calendar  # noqa: F401 - registers the staff's item for duty days in years without a calendar
from .duty_status import DayToLog, State, days_to_log
from .models import Certificate, LateEntryRequest, Nomination, SecondmentTerm, SwapRequest
from .permissions import can_decide_late_entries
from .rules import rules
from .services.certificates import certificate_outlook

RETURNED_SHOWN_DAYS = 30  # a returned nomination stays on the chair's to-do list this long


def active_terms(scope: Scope):
    """The terms active on the scope's day, in its grid area or the whole district."""
    return filter_by_area(SecondmentTerm.objects.active_on(scope.day), scope.area, "union")


@district_figures(order=20, template="secondment/dashboard/district_cadres.html")
def cadre_figures(scope: Scope) -> dict:
    return {"cadres": active_terms(scope).count()}


# Before a chair's "My union" (order 20): a cadre who also chairs a union sees their duty first.
@dashboard_panel(order=15, template="secondment/dashboard/my_secondment.html")
def my_secondment(scope: Scope) -> dict | None:
    user = scope.user
    if not user.is_seconded_cadre:
        return None
    term = user.active_secondment
    return {
        "secondment": term,
        "certificate_outlook": certificate_outlook(term),
        "next_duty": term.duty_days.filter(date__gte=scope.day).order_by("date").first(),
        "swaps_waiting": SwapRequest.objects.filter(
            other_day__term__cadre=user, status=SwapRequest.Status.PROPOSED
        ).count(),
    }


@dashboard_panel(order=17, template="secondment/dashboard/former_secondment.html")
def my_former_secondment(scope: Scope) -> dict | None:
    """A cadre whose term has ended (and who holds no active one) keeps their way to their certificates and
    their record: without this panel their dashboard would say the account has no role."""
    user = scope.user
    if user.is_seconded_cadre or not user.is_former_cadre:
        return None
    terms = list(
        SecondmentTerm.objects.filter(cadre=user, start_date__lte=scope.day)
        .select_related("union", "certificate")
        .order_by("-end_date", "-pk")
    )
    certificates = []
    for term in terms:
        try:
            certificate = term.certificate
        except Certificate.DoesNotExist:
            continue
        if not certificate.revoked:
            certificates.append(certificate)
    return {"former_terms": terms, "former_certificates": certificates}


@todo_items(order=70, shows=gettext_lazy("requests returned to you"))
def returned_nominations(scope: Scope) -> list[TodoItem] | None:
    """A chair's cadre nominations that staff returned in the last ``RETURNED_SHOWN_DAYS`` days, unless the
    person has been nominated again since: read the reason, nominate again if it still stands."""
    user = scope.user
    if not user.is_union_chair:
        return None
    since = timezone.make_aware(
        datetime.datetime.combine(scope.day - datetime.timedelta(days=RETURNED_SHOWN_DAYS), datetime.time.min)
    )
    later = Nomination.objects.filter(
        member=OuterRef("member"), created_at__gt=OuterRef("decided_at")
    ).exclude(status=Nomination.Status.RETURNED)
    returned = (
        Nomination.objects.filter(union__chair=user, status=Nomination.Status.RETURNED, decided_at__gte=since)
        .exclude(Exists(later))
        .select_related("member")
        .order_by("-decided_at")
    )
    return [
        TodoItem(
            due=None,
            title=_("Nomination of %(name)s returned") % {"name": n.member.name},
            detail=Truncator(n.decision_note).chars(80)
            or _("Read the reason; nominate again if it still stands."),
            url=n.get_absolute_url(),
            action=_("See why"),
            sort_key=timezone.localtime(n.decided_at).isoformat(),
            kind="secondment.returned",
        )
        for n in returned
    ]


@area_figures(order=70)
def area_cadres(scope: Scope) -> dict:
    return {"cadres": active_terms(scope).count()}


def _md(day) -> str:
    return f"{day:%m-%d}"


def _duty_item(entry: DayToLog, today) -> TodoItem:
    day = entry.day
    log_url = reverse("secondment:log_duty", args=[day.date.isoformat()])
    common = {"sort_key": day.date.isoformat(), "kind": f"secondment.duty_{entry.state}"}
    if entry.state == State.LOG:
        return TodoItem(
            due=entry.deadline,
            title=_("%(date)s duty day to log (by %(deadline)s)")
            % {"date": _md(day.date), "deadline": _md(entry.deadline)},
            detail=_("Log when you came and what you did; the staff confirm it."),
            url=log_url,
            action=_("Log now"),
            severity=severity_for(entry.deadline, today),
            **common,
        )
    if entry.state == State.ACCEPTED:
        return TodoItem(
            due=entry.deadline,
            title=_("%(date)s late entry accepted: log it by %(deadline)s")
            % {"date": _md(day.date), "deadline": _md(entry.deadline)},
            url=log_url,
            action=_("Log now"),
            severity=severity_for(entry.deadline, today),
            **common,
        )
    if entry.state == State.PENDING:
        return TodoItem(
            due=None,
            title=_("%(date)s late entry awaiting the staff") % {"date": _md(day.date)},
            detail=Truncator(entry.request.reason).chars(80),
            url=reverse("secondment:my_duty_days"),
            **common,
        )
    return TodoItem(
        due=entry.deadline,
        title=_("%(date)s duty day not logged: past the %(days)d-day logging window")
        % {"date": _md(day.date), "days": rules().log_window_days},
        detail=_("Ask the federation staff to let you log it late."),
        url=reverse("secondment:late_entry_request", args=[day.date.isoformat()]),
        action=_("Request a late entry"),
        severity=Severity.OVERDUE,
        **common,
    )


@todo_items(order=75, shows=gettext_lazy("duty days to log"))
def duty_days_to_log(scope: Scope) -> list[TodoItem] | None:
    """A cadre's duty days still to log, with their deadline; past the window, a late entry to ask for.
    A former cadre sees only what is still open (a late entry pending or accepted)."""
    user = scope.user
    if not (user.is_seconded_cadre or user.is_former_cadre):
        return None
    found = days_to_log(user, scope.day)
    if not user.is_seconded_cadre and not found:
        return None
    return [_duty_item(entry, scope.day) for entry in found]


LATE_ENTRIES_LISTED = 50


@todo_items(order=80, shows=gettext_lazy("late-entry requests to decide"))
def late_entries_to_decide(scope: Scope) -> list[TodoItem] | None:
    """Staff who plan the rota: the cadres' requests to log a duty day late, oldest first."""
    if not can_decide_late_entries(scope.user):
        return None
    pending = (
        LateEntryRequest.objects.pending()
        .select_related("duty_day__term__cadre")
        .order_by("requested_at", "pk")[:LATE_ENTRIES_LISTED]
    )
    url = reverse("secondment:late_entry_list")
    return [
        TodoItem(
            due=None,
            title=_("Late entry requested: %(name)s, duty day %(date)s")
            % {"name": request.duty_day.term.cadre, "date": request.duty_day.date.isoformat()},
            detail=Truncator(request.reason).chars(80),
            url=f"{url}#late-{request.pk}",
            action=_("Decide"),
            sort_key=timezone.localtime(request.requested_at).isoformat(),
            kind="secondment.late_entry",
        )
        for request in pending
    ]
