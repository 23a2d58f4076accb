"""Celery tasks of the secondment programme: thin wrappers over services; each is safe to run twice."""

import datetime

from celery import shared_task
from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext as _

from unionhub.notices import notify
from unionhub.workdays import next_working_day

from .models import Certificate, DutyDay
from .services import complete_ended_terms
from .services.certificates import ensure_rendered, issue_for_month


@shared_task
def secondment_daily(today: str | None = None) -> dict:
    """Remind each cadre on the working day before their duty day (the notice key makes a second
    run a no-op), and mark terms whose last day has passed as completed."""
    day = datetime.date.fromisoformat(today) if today else timezone.localdate()
    tomorrow = next_working_day(day, include_today=False)
    # Every calendar day up to the next working day: a duty day is always a working day, so this is
    # exactly the next working day's rota.
    reminded = 0
    for duty in DutyDay.objects.filter(date=tomorrow, term__status="active").select_related("term__cadre"):
        if notify(
            user=duty.term.cadre,
            key=f"duty-reminder:{duty.pk}",
            title=_("Duty day tomorrow"),
            body=_("You are on duty at the federation on %(date)s. Please log what you did afterwards.")
            % {"date": duty.date.isoformat()},
            url="/secondment/my/",
            due=duty.date,
        ):
            reminded += 1
    return {"reminded": reminded, "completed": complete_ended_terms(day)}


@shared_task
def render_certificate_task(certificate_id: int) -> str | None:
    """Render a certificate's PDF if its file is missing; returns the file's path."""
    certificate = (
        Certificate.objects.select_related("term__cadre", "term__union", "term__member")
        .filter(pk=certificate_id)
        .first()
    )
    return ensure_rendered(certificate) if certificate else None


@shared_task(bind=True)
def issue_certificates_for_month(self, year: int, month: int, user_id: int | None = None) -> dict:
    """Issue and render the certificates of every eligible term ending in that month; reports its
    progress to the result backend (the batch form's progress bar). Returns the counts."""

    def report(done: int, total: int) -> None:
        if not self.request.is_eager:
            self.update_state(state="PROGRESS", meta={"done": done, "total": total})

    by = get_user_model().objects.filter(pk=user_id).first() if user_id else None
    return issue_for_month(year, month, by=by, progress=report).counts()
