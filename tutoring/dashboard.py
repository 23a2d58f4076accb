"""The tutoring classes on the dashboard (see ``unionhub/contributions.py``): the hosting chair's to-dos
(attendance not yet taken for today's and past sessions, children on a waiting list while places are free or
the list grows) and the aid staff's (classes waiting for approval); a panel of the chair's running classes; and
the district's figures of the year (counts only)."""

from django.db.models import Count, Min, Q
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from unionhub.contributions import Scope, Severity, TodoItem, dashboard_panel, district_figures, todo_items

from . import services
from .models import Enrolment, Session, TutoringClass
from .permissions import can_approve_classes

SHOWN = 10


def _untaken_items(classes, day) -> list[TodoItem]:
    rows = (
        Session.objects.untaken(day)
        .filter(tutoring_class__in=classes)
        .values("tutoring_class", "tutoring_class__title")
        .annotate(n=Count("pk"), first=Min("date"))
        .order_by("first", "tutoring_class")[:SHOWN]
    )
    rows = list(rows)
    if not rows:
        return []
    firsts = {}  # (class, day) → the day's first session, where the register is opened
    untaken = Session.objects.untaken(day).filter(tutoring_class__in=[row["tutoring_class"] for row in rows])
    for session in untaken.order_by("date", "starts_at", "pk").only("pk", "tutoring_class", "date"):
        firsts.setdefault((session.tutoring_class_id, session.date), session.pk)
    items = []
    for row in rows:
        items.append(
            TodoItem(
                due=row["first"],
                title=_("Take the attendance of %(title)s") % {"title": row["tutoring_class__title"]},
                detail=_("%(n)d sessions up to today without attendance.") % {"n": row["n"]}
                if row["n"] > 1
                else _("The session of %(day)s has no attendance yet.") % {"day": row["first"].isoformat()},
                url=reverse(
                    "tutoring:attendance", kwargs={"pk": firsts.get((row["tutoring_class"], row["first"]), 0)}
                ),
                action=_("Take attendance"),
                severity=Severity.OVERDUE if row["first"] < day else Severity.WARNING,
                sort_key=f"{row['tutoring_class']:010d}",
                kind="tutoring.attendance",
            )
        )
    return items


def _waiting_items(classes) -> list[TodoItem]:
    rows = (
        classes.filter(status__in=(TutoringClass.Status.OPEN, TutoringClass.Status.CLOSED))
        .annotate(n_waiting=Count("enrolments", filter=Q(enrolments__status=Enrolment.Status.WAITING)))
        .filter(n_waiting__gt=0)
        .order_by("starts_on", "pk")[:SHOWN]
    )
    return [
        TodoItem(
            due=None,
            title=_("Waiting list of %(title)s") % {"title": c.title},
            detail=_("%(n)d children are waiting for a place.") % {"n": c.n_waiting},
            url=reverse("tutoring:roster", kwargs={"pk": c.pk}),
            action=_("See the waiting list"),
            sort_key=f"{c.pk:010d}",
            kind="tutoring.waiting",
        )
        for c in rows
    ]


def _approval_items() -> list[TodoItem]:
    waiting = (
        TutoringClass.objects.filter(status=TutoringClass.Status.DRAFT, submitted_at__isnull=False)
        .select_related("union")
        .order_by("submitted_at", "pk")[:SHOWN]
    )
    return [
        TodoItem(
            due=c.starts_on,
            title=_("Approve the class %(title)s") % {"title": c.title},
            detail=_("%(union)s · from %(day)s") % {"union": c.union.name, "day": c.starts_on.isoformat()},
            url=c.get_absolute_url(),
            action=_("Approve"),
            severity=Severity.WARNING,
            sort_key=f"{c.pk:010d}",
            kind="tutoring.approve",
        )
        for c in waiting
    ]


@todo_items(
    order=103,
    shows=gettext_lazy("tutoring classes: attendance to take, waiting lists and classes to approve"),
)
def tutoring_todo(scope: Scope) -> list[TodoItem] | None:
    """Every chair (their union's classes: one query each for attendance and waiting lists, a second for the
    sessions to open when some are due) and aid staff with classes to approve (one query)."""
    user, day = scope.user, scope.day
    items = []
    applies = False
    if user.is_union_chair:
        applies = True
        hosted = TutoringClass.objects.filter(union__chair=user)
        items += _untaken_items(hosted, day) + _waiting_items(hosted)
    if can_approve_classes(user):
        # Aid staff get a card from here only when a class waits for them: holding the aid duty does not by
        # itself make a card (as the meetings' tasks; the registry's test of staff without duties holds it).
        approvals = _approval_items()
        applies = applies or bool(approvals)
        items += approvals
    return items if applies else None


@dashboard_panel(order=90, template="tutoring/dashboard/my_classes.html")
def my_tutoring_classes(scope: Scope) -> dict | None:
    """A chair's classes not yet finished, with their places and the next session; with none, the invitation to
    host one (the federation supports it). One query."""
    user = scope.user
    if not user.is_union_chair:
        return None
    classes = list(
        TutoringClass.objects.filter(union__chair=user, status__in=TutoringClass.LIVE)
        .annotate(
            n_confirmed=Count(
                "enrolments", filter=Q(enrolments__status=Enrolment.Status.CONFIRMED), distinct=True
            ),
            n_waiting=Count(
                "enrolments", filter=Q(enrolments__status=Enrolment.Status.WAITING), distinct=True
            ),
            next_session=Min("sessions__date", filter=Q(sessions__date__gte=scope.day)),
        )
        .order_by("starts_on", "pk")[:SHOWN]
    )
    return {"tutoring_panel": {"classes": classes, "today": scope.day}}


@district_figures(order=150, template="tutoring/dashboard/district_tutoring.html")
def tutoring_figures(scope: Scope) -> dict:
    """The year's classes, children and attendance rate: three queries."""
    figures = services.year_figures(scope.day.year, area=scope.area, sessions=False)
    return {
        "tutoring_classes": figures["classes"],
        "tutoring_children": figures["children"],
        "tutoring_rate": figures["rate"],
    }
