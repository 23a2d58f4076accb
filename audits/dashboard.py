"""Audits on the dashboard (see ``unionhub/contributions.py``): the audit team's overdue rectifications
(the escalation) and the responses waiting for its decision; the audited chair's open rectifications with
their deadlines; the year's coverage as a district figure and a panel, for the audit team only."""

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from unionhub.contributions import (
    Scope,
    Severity,
    TodoItem,
    dashboard_panel,
    district_figures,
    severity_for,
    todo_items,
)

from . import permissions, services
from .models import AuditPlan, Rectification

LISTED = 5  # items of one kind listed on the to-do card; the rest are behind one "and N more" item


def _item(r: Rectification, *, title: str, detail: str, severity: str, kind: str) -> TodoItem:
    return TodoItem(
        due=r.deadline,
        title=title,
        detail=detail,
        url=r.get_absolute_url(),
        action=_("Rectification"),
        severity=severity,
        sort_key=r.finding.audit.union.code,
        kind=kind,
    )


def _more(n: int, url: str, kind: str) -> list[TodoItem]:
    if n <= 0:
        return []
    return [
        TodoItem(
            due=None,
            title=_("and %(n)d more") % {"n": n},
            url=url,
            action=_("Audits"),
            kind=kind,
            sort_key="~",
        )
    ]


def _rows(queryset):
    return queryset.select_related("finding__audit__union", "finding__audit__plan").order_by("deadline", "pk")


@todo_items(order=90, shows=gettext_lazy("audit rectifications past their deadline"))
def overdue_rectifications(scope: Scope) -> list[TodoItem] | None:
    """The escalation: rectifications open or sent back past their deadline, for the audit team."""
    if not permissions.is_auditor(scope.user):
        return None
    rows = Rectification.objects.overdue(scope.day)
    total = rows.count()
    items = [
        _item(
            r,
            title=_("%(code)s · overdue audit rectification") % {"code": r.finding.audit.union.code},
            detail=_("%(union)s: %(finding)s")
            % {"union": r.finding.audit.union.name, "finding": r.finding.description[:60]},
            severity=Severity.OVERDUE,
            kind="audits.overdue",
        )
        for r in _rows(rows)[:LISTED]
    ]
    return items + _more(total - len(items), reverse("audits:district"), "audits.overdue")


@todo_items(order=91, shows=gettext_lazy("audit rectification responses to decide"))
def responses_to_decide(scope: Scope) -> list[TodoItem] | None:
    if not permissions.can_decide_rectification(scope.user):
        return None
    rows = Rectification.objects.filter(state=Rectification.State.RESPONDED)
    total = rows.count()
    items = [
        TodoItem(
            due=None,
            title=_("%(code)s · rectification answered") % {"code": r.finding.audit.union.code},
            detail=_("Accept the response or send it back."),
            url=r.get_absolute_url(),
            action=_("Accept or send back"),
            sort_key=r.finding.audit.union.code,
            kind="audits.decide",
        )
        for r in _rows(rows)[:LISTED]
    ]
    return items + _more(total - len(items), reverse("audits:district"), "audits.decide")


@todo_items(order=92, shows=gettext_lazy("your union's audit rectifications"))
def my_rectifications(scope: Scope) -> list[TodoItem] | None:
    """The audited chair's rectifications to make (open or sent back), with their deadlines."""
    user = scope.user
    if not user.is_union_chair:
        return None
    rows = _rows(Rectification.objects.unresolved().filter(finding__audit__union__chair=user))
    return [
        _item(
            r,
            title=(
                _("Audit rectification sent back")
                if r.state == Rectification.State.RETURNED
                else _("Audit rectification")
            )
            + f" · {r.finding.audit.plan.year}",
            detail=_("%(category)s: %(finding)s")
            % {"category": r.finding.get_category_display(), "finding": r.finding.description[:60]},
            severity=severity_for(r.deadline, scope.day),
            kind="audits.rectify",
        )
        for r in rows
    ]


@dashboard_panel(order=70, template="audits/dashboard/coverage.html")
def audit_coverage(scope: Scope) -> dict | None:
    """The audit team's year at a glance: coverage, open findings, overdue rectifications."""
    if not permissions.is_auditor(scope.user):
        return None
    year = scope.day.year
    cycle = AuditPlan.objects.filter(year=year).values_list("cycle_years", flat=True).first()
    return {
        "audit_year": year,
        "audit_coverage": services.coverage(year, cycle or services.DEFAULT_CYCLE_YEARS),
        "audit_overdue": Rectification.objects.overdue(scope.day).count(),
        "audit_to_decide": Rectification.objects.filter(state=Rectification.State.RESPONDED).count(),
    }


@district_figures(order=120, template="audits/dashboard/district_audits.html")
def audit_figures(scope: Scope) -> dict:
    """Overdue audit rectifications: a figure for the audit team only (other staff do not see audits)."""
    if scope.user is None or not permissions.is_auditor(scope.user):
        return {}
    return {"audit_overdue": Rectification.objects.overdue(scope.day).count()}
