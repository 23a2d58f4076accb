"""The secondment scheme's section of the monthly report and its headline figure on the staff dashboard."""

import datetime

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from unionhub.contributions import Scope, headline_figure, report_section
from unionhub.reports.base import Figure, Section
from unionhub.reports.figures import ROW_LIMIT, period_figure, prefixed, three

from .dashboard import active_terms
from .models import Certificate, DutyDay, DutyLog, SecondmentTerm
from .rules import rules
from .services import rate as attendance_rate

ATTENDED = (DutyLog.Status.PENDING, DutyLog.Status.CONFIRMED)


# --- secondment ----------------------------------------------------------------------------------------


@report_section(order=50)
def secondment_section(scope: Scope, *, today: datetime.date | None = None) -> Section:
    """Duty days held are logged and not rejected; missed are unlogged once their logging window has
    passed (a day still inside it is neither); the rate is held over due, as ``services.attendance``."""
    span, union = scope.span, scope.union
    today = today or timezone.localdate()
    window_closed_before = today - datetime.timedelta(days=rules().log_window_days)
    terms = SecondmentTerm.objects.all()
    days = DutyDay.objects.all()
    certificates = Certificate.objects.filter(revoked=False)
    if union is not None:
        terms, days = terms.filter(union=union), days.filter(term__union=union)
        certificates = certificates.filter(term__union=union)

    held = Q(log__status__in=ATTENDED)
    missed = Q(log__isnull=True, date__lt=window_closed_before)
    due = Q(log__isnull=False) | Q(date__lt=window_closed_before)
    totals = days.aggregate(
        **prefixed(three(span, "date", held), "held"),
        **prefixed(three(span, "date", missed), "missed"),
        **prefixed(three(span, "date", due), "due"),
    )
    active = terms.aggregate(
        m=Count("pk", filter=Q(start_date__lte=span.end, end_date__gte=span.end)),
        l=Count("pk", filter=Q(start_date__lte=span.ly_end, end_date__gte=span.ly_end)),
    )
    issued = certificates.aggregate(**prefixed(three(span, "issued_on"), "cert"))

    def rate(key):
        return attendance_rate(totals[f"due_{key}"], totals[f"held_{key}"])

    in_month = Q(duty_days__date__range=(span.start, span.end))
    rows = [
        [code, name or username, post, n_held, n_missed]
        for code, name, username, post, n_held, n_missed in terms.filter(
            start_date__lte=span.end, end_date__gte=span.start
        )
        .annotate(
            n_held=Count("duty_days", filter=in_month & Q(duty_days__log__status__in=ATTENDED)),
            n_missed=Count(
                "duty_days",
                filter=in_month & Q(duty_days__log__isnull=True, duty_days__date__lt=window_closed_before),
            ),
        )
        .order_by("union__code", "start_date", "pk")
        .values_list("union__code", "cadre__name", "cadre__username", "union_post", "n_held", "n_missed")[
            :ROW_LIMIT
        ]
    ]
    return Section(
        key="secondment",
        title=_("Seconded cadres"),
        figures=[
            Figure(_("Cadres active at month end"), active["m"], None, active["l"]),
            period_figure(_("Duty days held"), totals, "held"),
            period_figure(_("Duty days missed"), totals, "missed"),
            Figure(_("Attendance rate"), rate("m"), rate("y"), rate("l"), "%"),
            period_figure(_("Certificates issued"), issued, "cert"),
        ],
        header=[_("Union code"), _("Cadre"), _("Union post"), _("Duty days held"), _("Duty days missed")],
        rows=rows,
    )


@headline_figure(order=50)
def cadres_headline(scope: Scope) -> Figure:
    return Figure(_("Cadres active"), active_terms(scope).count())
