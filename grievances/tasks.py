"""Celery tasks of casework: thin wrappers over the reads and notices; each is safe to run twice."""

import datetime

from celery import shared_task
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from unionhub.notices import notify

from .models import Case
from .overview import DueDeadline, deadlines_ahead
from .permissions import is_casework


def casework_staff() -> list:
    """Every active account with the casework duty: they share the cases nobody handles yet."""
    candidates = get_user_model().objects.filter(Q(is_staff=True) | Q(is_superuser=True), is_active=True)
    return [user for user in candidates.order_by("pk") if is_casework(user)]


@shared_task
def notify_new_case(case_id: int) -> int:
    """Tell the casework duty that a case came in and waits for a handler: every active holder of the
    duty but whoever took it in (they know). Enqueued on commit by the intake services; once per case
    and person (the notice key), so a second run sends nothing. The notice names the case, its channel,
    category and employer, never the complainant. Returns how many notices were sent."""
    case = Case.objects.filter(pk=case_id).first()
    if case is None:
        return 0
    with translation.override(settings.LANGUAGE_CODE):
        due = (
            _("Call back by %(date)s.") % {"date": case.callback_due.isoformat()} if case.callback_due else ""
        )
        notice = {
            "key": f"case-new:{case.pk}",
            "title": _("New case %(number)s (%(channel)s) waits for a handler")
            % {"number": case.number, "channel": case.get_channel_display()},
            "body": " ".join(
                part
                for part in (
                    _("%(category)s at %(employer)s, received %(date)s.")
                    % {
                        "category": case.get_category_display(),
                        "employer": case.employer_name,
                        "date": case.received_on.isoformat(),
                    },
                    due,
                )
                if part
            ),
            "url": case.get_absolute_url(),
        }
        return sum(notify(user=user, **notice) for user in casework_staff() if user.pk != case.received_by_id)


def _notice(deadline: DueDeadline) -> dict:
    case = deadline.case
    if deadline.days_left < 0:
        when = _("passed %(days)d days ago") % {"days": deadline.days_overdue}
    elif deadline.days_left == 0:
        when = _("today")
    else:
        when = _("in %(days)d days") % {"days": deadline.days_left}
    return {
        "key": f"case-deadline:{case.pk}:{deadline.kind}:{deadline.due.isoformat()}",
        "due": deadline.due,
        "title": _("Case %(number)s: %(deadline)s %(date)s")
        % {"number": case.number, "deadline": deadline.label, "date": deadline.due.isoformat()},
        "body": _("%(deadline)s of case %(number)s (%(stage)s): %(date)s, %(when)s.")
        % {
            "deadline": deadline.label,
            "number": case.number,
            "stage": case.get_stage_display(),
            "date": deadline.due.isoformat(),
            "when": when,
        },
        "url": case.get_absolute_url(),
    }


@shared_task
def remind_case_deadlines(today: str | None = None) -> dict:
    """Notify each open case's handler — every casework staff member when it has none — of its
    limitation and handling deadlines within warn_days, once per case, kind of deadline and date (the
    notice key), so that a second run sends nothing and a deadline moved to a new date is announced
    again. Returns how many deadlines were due and how many notices were sent."""
    day = datetime.date.fromisoformat(today) if today else timezone.localdate()
    due = deadlines_ahead(today=day)
    shared = None
    sent = 0
    for deadline in due:
        if deadline.case.handler and deadline.case.handler.is_active:
            recipients = [deadline.case.handler]
        else:
            shared = casework_staff() if shared is None else shared
            recipients = shared
        notice = _notice(deadline)
        sent += sum(notify(user=user, **notice) for user in recipients)
    return {"deadlines": len(due), "notified": sent}
