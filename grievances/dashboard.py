"""Casework's contributions to the dashboard and to a grid area's page (see ``unionhub/contributions.py``).
"Open cases" is computed here only: the staff's district tile, an area's page and the monthly report's
headline all read ``open_cases``."""

import datetime

from django.db.models import Count, Min, Q
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from unionhub.areas import filter_by_area
from unionhub.contributions import (
    Scope,
    Severity,
    TodoItem,
    area_figures,
    dashboard_panel,
    district_figures,
    todo_items,
)

from .deadlines import UrgencyScale
from .models import Case
from .permissions import is_casework
from .rules import rules

UNASSIGNED_SHOWN = 10
SUBJECT_CHARACTERS = 30


def open_cases(scope: Scope):
    """The cases still open, in the scope's grid area (employer's union) or the whole district."""
    return filter_by_area(Case.objects.open(), scope.area, "enterprise__union")


@district_figures(order=70, template="grievances/dashboard/district_cases.html")
def case_figures(scope: Scope) -> dict:
    if not scope.user.has_perm("grievances.view_case"):
        return {}
    soon = scope.day + datetime.timedelta(days=rules().warn_days)
    cases = open_cases(scope)
    return {
        "cases_open": cases.count(),
        "limitation_soon": cases.filter(limitation_on__lte=soon, arbitration_applied_on__isnull=True).count(),
    }


@dashboard_panel(order=30, template="grievances/dashboard/my_cases.html", role=False)
def my_cases(scope: Scope) -> dict:
    """The open cases the user handles, whatever their role (staff or a seconded cadre)."""
    cases = list(Case.objects.open().filter(handler=scope.user).order_by("handling_due")[:10])
    if cases:
        scale = UrgencyScale.on(scope.day)
        for case in cases:
            case.urgency = scale.of(case.handling_due)
    return {"my_cases": cases}


@area_figures(order=50)
def area_cases(scope: Scope) -> dict:
    return {"cases_open": open_cases(scope).count()}


def _subject(case: Case) -> str:
    """A short subject for a list: the category and the employer — never the complainant, and never the
    worker's own words (they often name the worker)."""
    text = f"{case.get_category_display()} · {case.employer_name}"
    return text if len(text) <= SUBJECT_CHARACTERS else text[: SUBJECT_CHARACTERS - 1] + "…"


@dashboard_panel(order=27, template="grievances/dashboard/unassigned.html")
def unassigned_cases(scope: Scope) -> dict | None:
    """The open cases nobody handles yet, oldest first, for the staff who hold the casework duty (they
    assign them): its heading reads "未分派 N 件", shown at 0 too so that an empty queue is a fact. Other
    federation staff see the count alone — how many complaints wait is the whole office's business; who
    complained and about whom stays with the casework duty."""
    if not is_casework(scope.user):
        if not scope.user.is_federation_staff:
            return None
        count = Case.objects.unassigned().count()
        return {"unassigned": {"count": count, "heading": unassigned_heading(count), "count_only": True}}
    waiting = Case.objects.unassigned()
    cases = list(
        waiting.only("pk", "number", "received_on", "channel", "category", "employer_name", "callback_due")[
            :UNASSIGNED_SHOWN
        ]
    )
    count = len(cases) if len(cases) < UNASSIGNED_SHOWN else waiting.count()
    scale = UrgencyScale.on(scope.day) if any(c.callback_due for c in cases) else None
    rows = [
        {"case": c, "subject": _subject(c), "callback": scale.of(c.callback_due) if scale else None}
        for c in cases
    ]
    return {
        "unassigned": {
            "count": count,
            # One text node, "未分派 4 件" (the acceptance check reads it): built here, not from template tags.
            "heading": unassigned_heading(count),
            "rows": rows,
            "more": count - len(rows),
            "list_url": reverse("grievances:case_list") + "?unassigned=on",
        }
    }


def unassigned_heading(count: int) -> str:
    return ngettext("%(count)d unassigned case", "%(count)d unassigned cases", count) % {"count": count}


@todo_items(order=35, shows=gettext_lazy("cases waiting for a handler"))
def unassigned_todo(scope: Scope) -> list[TodoItem] | None:
    """One item while cases wait for a handler: dated by the first call back they owe (or the oldest
    case's arrival), overdue once a call back is late."""
    if not is_casework(scope.user):
        return None
    row = Case.objects.unassigned().aggregate(
        n=Count("pk"),
        oldest=Min("received_on"),
        callback=Min("callback_due", filter=Q(called_back_on__isnull=True)),
    )
    if not row["n"]:
        return []
    due = row["callback"] or row["oldest"]
    tier = UrgencyScale.on(scope.day).tier(due)
    severity = {"overdue": Severity.OVERDUE, "urgent": Severity.WARNING}.get(tier, Severity.NORMAL)
    return [
        TodoItem(
            due=due,
            title=unassigned_heading(row["n"]),
            detail=_("The oldest came in on %(date)s.") % {"date": row["oldest"].isoformat()},
            url=reverse("grievances:case_list") + "?unassigned=on",
            action=_("Assign"),
            severity=severity,
            kind="cases.unassigned",
        )
    ]
