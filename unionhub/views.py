import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.db.models import Count, OuterRef, Q, Subquery
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from aid import fund as aid_fund
from aid.models import HardshipFile, SchoolPlaceRequest
from associations.models import Association
from grievances.models import Case
from grievances.rules import rules as grievance_rules
from members.models import (
    Area,
    AwardRound,
    DuesPeriod,
    Enterprise,
    GrassrootsUnion,
    HomeLevel,
    Member,
    Remittance,
    WorkersHome,
)
from members.services import dues
from perks.models import Merchant
from secondment.models import SecondmentTerm, SwapRequest

from . import services, workdays
from .areas import area_context, area_filter, filter_by_area
from .celery import app as celery_app
from .forms import CalendarDayForm
from .models import CalendarDay, Notice


@require_GET
@never_cache
def healthz(request):
    """Database and broker status: 200 when both answer, 503 otherwise."""
    status = {}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        status["database"] = "ok"
    except Exception as error:  # noqa: BLE001 - any failure means "down"
        status["database"] = f"error: {error.__class__.__name__}"
    if celery_app.conf.task_always_eager:
        status["broker"] = "eager"
    else:
        try:
            with celery_app.connection_for_write() as conn:
                conn.ensure_connection(max_retries=1, timeout=2)
            status["broker"] = "ok"
        except Exception as error:  # noqa: BLE001
            status["broker"] = f"error: {error.__class__.__name__}"
    healthy = status["database"] == "ok" and status["broker"] in ("ok", "eager")
    status["status"] = "ok" if healthy else "unavailable"
    return JsonResponse(status, status=200 if healthy else 503)


@login_required
def dashboard(request):
    """One page per person: each role the user holds adds its own panel."""
    user = request.user
    today = timezone.localdate()
    context = {"today": today, "is_working_day": workdays.is_working_day(today)}
    if user.is_federation_staff:
        # The figures kept per union follow the area filter; associations and merchants are district-wide.
        area = area_filter(request)
        context.update(area_context(request))
        context["district"] = {
            "unions": GrassrootsUnion.objects.in_area(area).filter(status=GrassrootsUnion.Status.ACTIVE).count(),
            "enterprises": filter_by_area(Enterprise.objects.all(), area, "union")
            .filter(status=Enterprise.Status.OPERATING).count(),
            **filter_by_area(Member.objects.all(), area, "union").aggregate(
                members=Count("pk", filter=Q(status__in=Member.ACTIVE_STATUSES)),
                women=Count("pk", filter=Q(status__in=Member.ACTIVE_STATUSES, sex=Member.Sex.FEMALE)),
                migrants=Count("pk", filter=Q(status__in=Member.ACTIVE_STATUSES, is_migrant_worker=True)),
                joined_this_year=Count("pk", filter=Q(joined_on__year=today.year)),
            ),
            "cadres": filter_by_area(SecondmentTerm.objects.active_on(today), area, "union").count(),
            "associations": Association.objects.filter(status=Association.Status.ACTIVE).count(),
            "merchants": Merchant.objects.filter(is_active=True).count(),
            "funds_received": filter_by_area(Remittance.objects.all(), area, "period__union")
            .received_in_year(today.year),
            "arrears": filter_by_area(DuesPeriod.objects.all(), area, "union").in_arrears(today).count(),
        }
        if user.has_perm("aid.view_fundentry"):
            context["district"]["fund_balance"] = aid_fund.balance()
        if user.has_perm("aid.view_hardshipfile"):
            context["district"]["files_waiting"] = filter_by_area(HardshipFile.objects.all(), area, "union").filter(
                status__in=[HardshipFile.Status.APPLYING, HardshipFile.Status.NOTICE]).count()
        if user.has_perm("grievances.view_case"):
            soon = today + datetime.timedelta(days=grievance_rules().warn_days)
            open_cases = filter_by_area(Case.objects.open(), area, "enterprise__union")
            context["district"]["cases_open"] = open_cases.count()
            context["district"]["limitation_soon"] = open_cases.filter(
                limitation_on__lte=soon, arbitration_applied_on__isnull=True).count()
        # Recognition and member services waiting for the staff.
        context["district"]["homes_due"] = filter_by_area(WorkersHome.objects.all(), area, "union").due_by(
            today + datetime.timedelta(days=30)).count()   # the workers'-home list's "due soon" filter
        context["district"]["rounds_to_decide"] = AwardRound.objects.filter(
            decided_on__isnull=True, closes_on__lt=today).count()
        if user.has_perm("aid.view_schoolplacerequest"):
            context["district"]["school_requests_waiting"] = filter_by_area(
                SchoolPlaceRequest.objects.all(), area, "union").filter(
                status=SchoolPlaceRequest.Status.SUBMITTED).count()
        from .reports.charts import bar_svg
        from .reports.figures import headline

        context["headline"] = headline(today)
        context["headline_chart"] = mark_safe(bar_svg(_funds_by_month(today), width=560, height=180))  # noqa: S308 — our own SVG
        largest = list(filter_by_area(Member.objects.active(), area, "union").values_list("union_id")
                       .annotate(n=Count("pk"))
                       .values_list("union_id", "n").order_by("-n")[:8])
        unions = GrassrootsUnion.objects.in_bulk([pk for pk, _ in largest])
        context["largest_unions"] = [(unions[pk], n) for pk, n in largest]
        # Committees due for re-election (换届) within 90 days, or already overdue.
        horizon = today + datetime.timedelta(days=90)
        due = [u for u in GrassrootsUnion.objects.in_area(area).filter(committee_term_start__isnull=False,
                                                                       status=GrassrootsUnion.Status.ACTIVE)
               if u.committee_term_end <= horizon]
        context["terms_ending"] = sorted(due, key=lambda u: u.committee_term_end)[:10]
    if user.is_union_chair:
        context["my_unions"] = (
            GrassrootsUnion.objects.filter(chair=user)
            .annotate(members_n=Count("members", filter=Q(members__status__in=Member.ACTIVE_STATUSES), distinct=True),
                      enterprises_n=Count("enterprises", distinct=True),
                      # The area this union leads, if any: its chair gets the "My area" card.
                      led_area_pk=Subquery(Area.objects.filter(lead_union=OuterRef("pk")).values("pk")[:1]),
                      led_area_name=Subquery(Area.objects.filter(lead_union=OuterRef("pk")).values("name")[:1]),
                      home_level=Subquery(WorkersHome.objects.filter(union=OuterRef("pk")).values("level")[:1]),
                      home_due=Subquery(WorkersHome.objects.filter(union=OuterRef("pk"))
                                        .values("reinspection_due_on")[:1]))
        )
        # Honours rounds taking nominations now: the chair's cue to nominate.
        context["home_levels"] = dict(HomeLevel.choices)
        context["open_rounds"] = (AwardRound.objects.filter(decided_on__isnull=True, opens_on__lte=today,
                                                            closes_on__gte=today)
                                  .select_related("award_type").order_by("closes_on"))
        context["recent_members"] = (Member.objects.visible_to(user).select_related("enterprise")
                                     .order_by("-joined_on", "-pk")[:5])
        context["my_arrears"] = dues.arrears(queryset=DuesPeriod.objects.visible_to(user), today=today)
    my_cases = Case.objects.open().filter(handler=user)
    context["my_cases"] = list(my_cases.order_by("handling_due")[:10]) if not user.is_anonymous else []
    if user.is_seconded_cadre:
        term = user.active_secondment
        context["secondment"] = term
        context["next_duty"] = term.duty_days.filter(date__gte=today).order_by("date").first()
        context["swaps_waiting"] = SwapRequest.objects.filter(other_day__term__cadre=user,
                                                              status=SwapRequest.Status.PROPOSED).count()
    if user.is_association_chair:
        context["my_associations"] = Association.objects.visible_to(user).filter(chair=user)
    if user.is_merchant:
        context["my_merchants"] = Merchant.objects.filter(staff=user)
    return render(request, "dashboard.html", context)


def _funds_by_month(today):
    """Union funds received in each month of the year so far: one grouped query."""
    from django.db.models import Sum
    from django.db.models.functions import TruncMonth

    from members.models import Remittance

    from .reports.base import Chart

    totals = {row["month"].month: float(row["total"]) for row in
              Remittance.objects.filter(received_on__year=today.year).annotate(month=TruncMonth("received_on"))
              .values("month").annotate(total=Sum("amount")).order_by()}
    months = list(range(1, today.month + 1))
    return Chart(kind="bar", title=_("Union funds received by month"), labels=[f"{m}月" for m in months],
                 series=[(_("received"), [totals.get(m, 0.0) for m in months])])


@login_required
def notices(request):
    """The user's notices, newest first; opening the page marks them read."""
    items = list(Notice.objects.filter(user=request.user)[:100])
    Notice.objects.filter(user=request.user, read_at__isnull=True).update(read_at=timezone.now())
    return render(request, "notices.html", {"notices": items})


@login_required
def calendar(request, year=None):
    year = year or timezone.localdate().year
    if not 2000 <= year <= 2100:
        raise Http404
    days = CalendarDay.objects.in_year(year)
    return render(request, "calendar/calendar.html", {
        "year": year, "days": days, "known_years": workdays.known_years(),
        "can_edit": request.user.has_perm("unionhub.change_calendarday"),
        "form": CalendarDayForm(initial={"date": datetime.date(year, 1, 1)}),
    })


@login_required
def calendar_day_edit(request, pk=None):
    if not request.user.has_perm("unionhub.change_calendarday"):
        raise PermissionDenied
    instance = get_object_or_404(CalendarDay, pk=pk) if pk else None
    form = CalendarDayForm(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        day = services.save_calendar_day(by=request.user, instance=instance, **form.cleaned_data)
        messages.success(request, _("Calendar day saved."))
        return redirect("calendar", year=day.date.year)
    return render(request, "calendar/day_form.html", {"form": form, "day": instance})


@login_required
@require_POST
def calendar_day_delete(request, pk):
    if not request.user.has_perm("unionhub.delete_calendarday"):
        raise PermissionDenied
    day = get_object_or_404(CalendarDay, pk=pk)
    year = day.date.year
    services.delete_calendar_day(by=request.user, day=day)
    messages.success(request, _("Calendar day removed."))
    return redirect("calendar", year=year)
