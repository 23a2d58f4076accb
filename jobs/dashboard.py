"""The job-finding help on the dashboard (see ``unionhub/contributions.py``): the casework staff's vacancies
waiting for approval and referrals still without an outcome after two weeks; a chair's returned posts and
open vacancies about to run out; a panel for those who refer; and the year's figures as district tiles."""

import datetime

from django.db.models import Count, Q, Sum
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from unionhub.contributions import (
    Scope,
    TodoItem,
    dashboard_panel,
    district_figures,
    severity_for,
    todo_items,
)

from . import permissions
from .models import Referral, Vacancy

# A submitted vacancy is approved or returned within this many days of its submission.
REVIEW_DAYS = 3
# A referral with no outcome this many days after it was made is followed up.
FOLLOW_UP_DAYS = 14
# A chair is reminded of an open vacancy this many days before its listing ends.
EXPIRY_WARNING_DAYS = 7
LISTED = 5  # items of one kind on the to-do card; the rest behind one "and N more" item


def _more(url: str, kind: str) -> list[TodoItem]:
    """One item for the rest, which the list behind ``url`` shows (no count: it would cost a query)."""
    return [
        TodoItem(due=None, title=_("and more"), url=url, action=_("See them all"), kind=kind, sort_key="~")
    ]


@todo_items(
    order=105,
    shows=gettext_lazy("vacancies waiting for approval and job referrals without an outcome after 14 days"),
)
def jobs_casework_todo(scope: Scope) -> list[TodoItem] | None:
    if not permissions.is_jobs_staff(scope.user):
        return None
    items = []
    waiting = list(
        Vacancy.objects.filter(status=Vacancy.Status.SUBMITTED)
        .select_related("enterprise")
        .order_by("submitted_at", "pk")[: LISTED + 1]
    )
    for vacancy in waiting[:LISTED]:
        due = vacancy.submitted_at.date() + datetime.timedelta(days=REVIEW_DAYS)
        items.append(
            TodoItem(
                due=due,
                title=_("Approve the vacancy “%(title)s”") % {"title": vacancy.title},
                detail=vacancy.enterprise.name,
                url=vacancy.get_absolute_url(),
                action=_("Review"),
                severity=severity_for(due, scope.day),
                sort_key=str(vacancy.pk),
                kind="jobs.approve",
            )
        )
    if len(waiting) > LISTED:
        items += _more(reverse("jobs:vacancy_list") + "?state=submitted", "jobs.approve")
    cutoff = scope.day - datetime.timedelta(days=FOLLOW_UP_DAYS)
    stale = (
        Referral.objects.pending()
        .filter(referred_on__lte=cutoff)
        .select_related("vacancy")
        .order_by("referred_on", "pk")
    )
    rows = list(stale[: LISTED + 1])
    for referral in rows[:LISTED]:
        due = referral.referred_on + datetime.timedelta(days=FOLLOW_UP_DAYS)
        items.append(
            TodoItem(
                due=due,
                title=_("Follow up the referral to “%(title)s”") % {"title": referral.vacancy.title},
                detail=_("Referred on %(day)s, no outcome yet.") % {"day": referral.referred_on.isoformat()},
                url=referral.get_absolute_url(),
                action=_("Record the outcome"),
                severity=severity_for(due, scope.day),
                sort_key=str(referral.pk),
                kind="jobs.follow_up",
            )
        )
    if len(rows) > LISTED:
        items += _more(reverse("jobs:referral_list") + "?status=referred", "jobs.follow_up")
    return items


@todo_items(order=106, shows=gettext_lazy("your vacancies returned or about to stop being listed"))
def jobs_chair_todo(scope: Scope) -> list[TodoItem] | None:
    user = scope.user
    if not user.is_union_chair:
        return None
    soon = scope.day + datetime.timedelta(days=EXPIRY_WARNING_DAYS)
    rows = (
        Vacancy.objects.filter(union__chair=user)
        .filter(
            Q(status=Vacancy.Status.RETURNED)
            | Q(status=Vacancy.Status.APPROVED, expires_on__gte=scope.day, expires_on__lte=soon)
        )
        .order_by("expires_on", "pk")
    )
    items = []
    for vacancy in rows:
        if vacancy.status == Vacancy.Status.RETURNED:
            items.append(
                TodoItem(
                    due=None,
                    title=_("Vacancy returned: “%(title)s”") % {"title": vacancy.title},
                    detail=vacancy.return_reason,
                    url=reverse("jobs:vacancy_edit", kwargs={"pk": vacancy.pk}),
                    action=_("Edit and submit again"),
                    sort_key=str(vacancy.pk),
                    kind="jobs.returned",
                )
            )
        else:
            items.append(
                TodoItem(
                    due=vacancy.expires_on,
                    title=_("Vacancy “%(title)s” is listed until %(day)s")
                    % {"title": vacancy.title, "day": vacancy.expires_on.isoformat()},
                    detail=_("Extend it if the posts are not filled, or close it."),
                    url=vacancy.get_absolute_url(),
                    action=_("Extend or close"),
                    severity=severity_for(vacancy.expires_on, scope.day),
                    sort_key=str(vacancy.pk),
                    kind="jobs.expiring",
                )
            )
    return items


@dashboard_panel(order=95, template="jobs/dashboard/panel.html")
def jobs_help(scope: Scope) -> dict | None:
    """For those who refer workers (casework staff, cadres on secondment): what is open to refer to and
    their own referrals still waiting for an outcome."""
    user = scope.user
    if not permissions.can_refer(user):
        return None
    open_now = Vacancy.objects.open_on(scope.day).aggregate(
        n=Count("pk"), openings=Sum("openings", default=0)
    )
    mine = Referral.objects.filter(referred_by=user).aggregate(
        pending=Count("pk", filter=Q(status__in=(Referral.Status.REFERRED, Referral.Status.INTERVIEWED))),
        hired=Count("pk", filter=Q(status=Referral.Status.HIRED, outcome_on__year=scope.day.year)),
    )
    return {"jobs_panel": {"open": open_now["n"], "openings": open_now["openings"] or 0, **mine}}


@district_figures(order=160, template="jobs/dashboard/district_jobs.html")
def jobs_figures(scope: Scope) -> dict:
    """The year's referrals and hires, and the vacancies open today (in the grid area when filtered)."""
    first = datetime.date(scope.day.year, 1, 1)
    referrals = Referral.objects.filter(referred_on__gte=first, referred_on__lte=scope.day)
    if scope.area is not None:
        referrals = referrals.filter(vacancy__area=scope.area)
    figures = referrals.aggregate(
        n=Count("pk"),
        hired=Count("pk", filter=Q(status=Referral.Status.HIRED)),
    )
    return {"jobs_referrals": figures["n"], "jobs_hired": figures["hired"]}
