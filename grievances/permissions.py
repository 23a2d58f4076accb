"""Who may do what in casework: the named checks that views and services ask (who may see a
case at all is ``Case.objects.visible_to``)."""

from unionhub.access import has_duty, has_role
from unionhub.duties import CASEWORK, grant

from .conflicts import conflict_of_interest


def is_casework(user) -> bool:
    return has_duty(user, "grievances.view_case")


def can_open_cases(user) -> bool:
    """Casework staff, and the seconded cadres who staff the service station on their duty days."""
    return is_casework(user) or has_role(user, "cadre")


def can_see_identity(user, case) -> bool:
    """Casework staff; and the handler, unless the case is anonymous or the handler sits on the
    employer's side (a case assigned before that was refused, or a post taken up since)."""
    if has_duty(user, "grievances.view_identity"):
        return True
    return (
        not case.anonymous
        and case.handler_id is not None
        and case.handler_id == user.pk
        and conflict_of_interest(case, user) is None
    )


def can_handle(user, case) -> bool:
    """Casework staff and the case's handler move a case along: stages, legal aid, help, closing."""
    return is_casework(user) or (
        user.is_authenticated and case.handler_id is not None and case.handler_id == user.pk
    )


def is_helping_chair(user, case) -> bool:
    return (
        user.is_authenticated and case.helping_union_id is not None and case.helping_union.chair_id == user.pk
    )


def can_write_timeline(user, case) -> bool:
    """Those who handle the case, whoever took it in, and the chair of the union asked to help."""
    return (
        can_handle(user, case)
        or (user.is_authenticated and case.received_by_id == user.pk)
        or is_helping_chair(user, case)
    )


# What each staff duty may do in this app (the duty groups are made from these on every migrate).
grant(
    CASEWORK,
    [
        "grievances.view_case",
        "grievances.add_case",
        "grievances.change_case",
        "grievances.view_identity",
        "grievances.handle_case",
        "grievances.view_caseevent",
        "grievances.add_caseevent",
    ],
)
