"""The rota: staff see it month by month and generate it; a cadre sees their own duty days, declares
the dates they cannot come, swaps or moves a day; every cadre has a private calendar feed (.ics)."""

import datetime
from collections import defaultdict

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from unionhub.access import require, role_required
from unionhub.context_processors import federation_name
from unionhub.dates import last_of_month
from unionhub.models import CalendarDay
from unionhub.params import month_param
from unionhub.workdays import missing_years, working_days

from .. import permissions
from ..duty_status import State, days_to_log
from ..forms import GenerateForm, ProposeForm, UnavailabilityForm
from ..models import DutyDay, DutyLog, SecondmentTerm, SwapRequest, Unavailability
from ..rules import cycle_start, rules
from ..services import rota

# How many of a cadre's next changeable duty days get a swap/move form (about three months).
SWAP_FORMS = 6


def _swap_for_user(user, pk) -> SwapRequest:
    """A swap request the user proposed or was offered (staff: any); 404 otherwise."""
    requests = SwapRequest.objects.all() if user.is_federation_staff else SwapRequest.objects.involving(user)
    return get_object_or_404(requests, pk=pk)


def _error_text(error: ValidationError) -> str:
    return " ".join(error.messages)


# --- staff: the month and the generator ----------------------------------------------------------


@role_required("staff")
def rota_month(request):
    today = timezone.localdate()
    first = month_param(request, "month", today.replace(day=1))
    last = last_of_month(first)
    grid_start = first - datetime.timedelta(days=first.weekday())
    grid_end = last + datetime.timedelta(days=6 - last.weekday())
    working = set(working_days(grid_start, grid_end))
    special = {day.date: day for day in CalendarDay.objects.filter(date__range=(grid_start, grid_end))}
    on_duty = defaultdict(list)
    for duty in (
        DutyDay.objects.filter(date__range=(grid_start, grid_end))
        .select_related("term__cadre")
        .order_by("date", "term__cadre__name", "pk")
    ):
        on_duty[duty.date].append(duty)
    weeks, day = [], grid_start
    while day <= grid_end:
        weeks.append(
            [
                {
                    "date": d,
                    "in_month": d.month == first.month,
                    "working": d in working,
                    "special": special.get(d),
                    "duties": on_duty[d],
                    "today": d == today,
                    "cycle_start": d == cycle_start(d),
                }
                for d in (day + datetime.timedelta(days=n) for n in range(7))
            ]
        )
        day += datetime.timedelta(days=7)
    month_days = [d for d in working if first <= d <= last]
    open_requests = (
        SwapRequest.objects.filter(status=SwapRequest.Status.PROPOSED)
        .select_related("duty_day__term__cadre", "other_day__term__cadre")
        .order_by("proposed_at")
    )
    return render(
        request,
        "secondment/rota_month.html",
        {
            "month": first,
            "weeks": weeks,
            "previous": (first - datetime.timedelta(days=1)).replace(day=1),
            "next": last + datetime.timedelta(days=1),
            "working_count": len(month_days),
            "duty_count": sum(len(on_duty[d]) for d in month_days),
            "open_requests": open_requests,
            # The grid shown reaches a year whose holiday calendar is not entered: say so above it.
            "calendar_missing": missing_years(grid_start, grid_end),
        },
    )


@login_required
def rota_generate(request):
    """Staff generate the rota for a range. Generation is stable, so submitting twice is harmless:
    the second run keeps every day the first one created. It stops at the last day the holiday
    calendar knows unless "plan beyond the calendar" is ticked; the page says where and why."""
    require(permissions.can_plan_rota(request.user))
    result, calendar_missing = None, []
    if request.method == "POST":
        form = GenerateForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                result = rota.generate(
                    data["date_from"],
                    data["date_to"],
                    by=request.user,
                    beyond_calendar=data["beyond_calendar"],
                )
            except rota.CalendarNotEntered as error:
                form.add_error(None, error)
                calendar_missing = error.years
            except ValidationError as error:
                form.add_error(None, error)
            else:
                calendar_missing = result.calendar_missing
    else:
        tomorrow = timezone.localdate() + datetime.timedelta(days=1)
        until = tomorrow + datetime.timedelta(days=90)
        form = GenerateForm(initial={"date_from": tomorrow, "date_to": until})
        calendar_missing = missing_years(tomorrow, until)
    status = 400 if request.method == "POST" and result is None else 200
    return render(
        request,
        "secondment/rota_generate.html",
        {"form": form, "result": result, "calendar_missing": calendar_missing},
        status=status,
    )


# --- the cadre's own page ------------------------------------------------------------------------


def _log_of(day: DutyDay) -> DutyLog | None:
    try:
        return day.log
    except DutyLog.DoesNotExist:
        return None


def _can_log(day: DutyDay, log: DutyLog | None, today: datetime.date) -> bool:
    """The same rule as ``services.loggable_problem``, answered from rows already loaded."""
    return (
        day.date <= today
        and not day.window_passed(today)
        and day.term.start_date <= day.date <= day.term.end_date
        and (log is None or log.status == DutyLog.Status.REJECTED)
    )


def _swap_choices(user, changeable: list[DutyDay], today: datetime.date) -> dict[int, dict]:
    """For each changeable day: the other cadres' days of its cycle and the working days it could move to."""
    if not changeable:
        return {}
    cycles = {cycle_start(day.date) for day in changeable}
    others = defaultdict(list)
    for other in (
        DutyDay.objects.filter(cycle_start__in=cycles, date__gt=today)
        .exclude(term__cadre=user)
        .select_related("term__cadre")
        .order_by("date", "term__cadre__name")
    ):
        others[other.cycle_start].append(other)
    span_end = rota.cycle_span(max(changeable, key=lambda d: d.date).date)[1]
    working = [d for d in working_days(min(cycles), span_end) if d > today]
    choices = {}
    for day in changeable:
        first, last = rota.cycle_span(day.date)
        choices[day.pk] = {
            "others": [o for o in others[first] if o.date != day.date],
            "targets": [
                d
                for d in working
                if first <= d <= last and d != day.date and day.term.start_date <= d <= day.term.end_date
            ],
        }
    return choices


@login_required
def my_duty_days(request, unavailability_form=None):
    user = request.user
    terms = list(SecondmentTerm.objects.filter(cadre=user).order_by("start_date"))
    if not terms:
        raise PermissionDenied
    today = timezone.localdate()
    # The days still to log come first on the page (as on the dashboard's to-do card), late entries with them.
    to_log = days_to_log(user, today)
    accepted = {entry.day.pk for entry in to_log if entry.state == State.ACCEPTED}
    upcoming, past = [], []
    for day in DutyDay.objects.filter(term__cadre=user).select_related("term", "log").order_by("date"):
        log = _log_of(day)
        row = {"day": day, "log": log, "can_log": _can_log(day, log, today) or day.pk in accepted}
        (upcoming if day.date >= today else past).append(row)
    past.reverse()
    requests = SwapRequest.objects.select_related(
        "duty_day__term__cadre", "other_day__term__cadre", "decided_by"
    )
    open_requests = requests.filter(status=SwapRequest.Status.PROPOSED)
    outgoing = list(open_requests.filter(duty_day__term__cadre=user))
    busy = {request.duty_day_id for request in outgoing}
    changeable = [
        row["day"]
        for row in upcoming
        if row["day"].date > today and row["log"] is None and row["day"].pk not in busy
    ][:SWAP_FORMS]
    choices = _swap_choices(user, changeable, today)
    for row in upcoming:
        row["choices"] = choices.get(row["day"].pk)
    active = [
        term for term in terms if term.status == SecondmentTerm.Status.ACTIVE and term.end_date >= today
    ]
    return render(
        request,
        "secondment/my_duty_days.html",
        {
            "terms": terms,
            "to_log": to_log,
            "window": rules().log_window_days,
            "calendar_missing": missing_years(today, upcoming[-1]["day"].date) if upcoming else [],
            "upcoming": upcoming,
            "past": past,
            "today": today,
            "feeds": [
                (term, request.build_absolute_uri(reverse("secondment:rota_feed", args=[term.feed_token])))
                for term in active
            ],
            "unavailable": Unavailability.objects.filter(term__cadre=user, date__gt=today).order_by("date"),
            "unavailability_form": unavailability_form or UnavailabilityForm(),
            "incoming": open_requests.filter(other_day__term__cadre=user),
            "outgoing": outgoing,
            "decided": requests.involving(user)
            .exclude(status=SwapRequest.Status.PROPOSED)
            .order_by("-decided_at")[:10],
        },
        status=400 if unavailability_form is not None else 200,
    )


@login_required
@require_POST
def unavailability_add(request):
    form = UnavailabilityForm(request.POST)
    if form.is_valid():
        date = form.cleaned_data["date"]
        term = SecondmentTerm.objects.filter(
            cadre=request.user, start_date__lte=date, end_date__gte=date, status=SecondmentTerm.Status.ACTIVE
        ).first()
        if term is None:
            form.add_error("date", _("%(date)s is outside your secondment term.") % {"date": date})
        else:
            try:
                _record, moved_to = rota.declare_unavailable(
                    term=term, date=date, reason=form.cleaned_data["reason"]
                )
            except ValidationError as error:
                form.add_error("date", error)
            else:
                if moved_to:
                    messages.success(
                        request,
                        _("%(date)s is noted as unavailable; your duty day moved to %(new)s.")
                        % {"date": date, "new": moved_to},
                    )
                else:
                    messages.success(request, _("%(date)s is noted as unavailable.") % {"date": date})
                return redirect("secondment:my_duty_days")
    return my_duty_days(request, unavailability_form=form)


@login_required
@require_POST
def unavailability_delete(request, pk):
    unavailability = get_object_or_404(Unavailability, pk=pk, term__cadre=request.user)
    try:
        rota.remove_unavailable(unavailability=unavailability)
    except ValidationError as error:
        messages.error(request, _error_text(error))
    else:
        messages.success(
            request, _("%(date)s is no longer marked unavailable.") % {"date": unavailability.date}
        )
    return redirect("secondment:my_duty_days")


@login_required
@require_POST
def swap_propose(request):
    form = ProposeForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
        return redirect("secondment:my_duty_days")
    data = form.cleaned_data
    duty_day = get_object_or_404(
        DutyDay.objects.visible_to(request.user).select_related("term"), pk=data["duty_day"]
    )
    try:
        if data["kind"] == SwapRequest.Kind.SWAP:
            # Another cadre's day, chosen from the days of the same cycle listed on the page.
            other_day = get_object_or_404(DutyDay.objects.select_related("term__cadre"), pk=data["other_day"])
            rota.propose_swap(by=request.user, duty_day=duty_day, other_day=other_day, reason=data["reason"])
            messages.success(request, _("Swap proposed to %(name)s.") % {"name": other_day.term.cadre})
        else:
            rota.propose_move(
                by=request.user, duty_day=duty_day, target_date=data["target_date"], reason=data["reason"]
            )
            messages.success(request, _("Move proposed; the federation staff will decide."))
    except ValidationError as error:
        messages.error(request, _error_text(error))
    return redirect("secondment:my_duty_days")


@login_required
@require_POST
def swap_decide(request, pk):
    swap = _swap_for_user(request.user, pk)
    require(permissions.can_accept(request.user, swap) or permissions.can_cancel(request.user, swap))
    action = {"accept": rota.accept, "decline": rota.decline, "cancel": rota.cancel}.get(
        request.POST.get("action")
    )
    if action is None:
        messages.error(request, _("Unknown action."))
    else:
        try:
            action(by=request.user, request=swap)
        except ValidationError as error:
            messages.error(request, _error_text(error))
        else:
            messages.success(
                request,
                {rota.accept: _("Accepted."), rota.decline: _("Declined."), rota.cancel: _("Withdrawn.")}[
                    action
                ],
            )
    involved = swap.duty_day.term.cadre_id == request.user.pk or (
        swap.other_day_id and swap.other_day.term.cadre_id == request.user.pk
    )
    if request.user.is_federation_staff and not involved:
        return redirect(reverse("secondment:rota_month") + f"?month={swap.duty_day.date:%Y-%m}")
    return redirect("secondment:my_duty_days")


# --- the calendar feed ---------------------------------------------------------------------------


def _ics_escape(text: str) -> str:
    return (
        str(text)
        .replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
    )


def _ics_fold(line: str) -> str:
    """RFC 5545 §3.1: lines of at most 75 octets, continued after CRLF + one space; never split a
    UTF-8 character."""
    parts, current, size, limit = [], "", 0, 75
    for char in line:
        width = len(char.encode())
        if size + width > limit:
            parts.append(current)
            current, size, limit = "", 0, 74  # the leading space of a continuation counts
        current += char
        size += width
    parts.append(current)
    return "\r\n ".join(parts)


def rota_feed(request, token):
    """Public: a calendar app subscribes to this URL (no login). The token is the secret."""
    term = get_object_or_404(SecondmentTerm.objects.select_related("cadre"), feed_token=token)
    location = federation_name()
    stamp = timezone.now().astimezone(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//UnionHub//Secondment rota//EN",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{_ics_escape(_('Duty days') + ' · ' + str(term.cadre))}",
    ]
    for day in DutyDay.objects.filter(term__cadre=term.cadre_id).order_by("date"):
        lines += [
            "BEGIN:VEVENT",
            # The day's primary key, whatever host served the feed: a swapped or moved day
            # updates the same event in the cadre's calendar.
            f"UID:duty-day-{day.pk}@unionhub",
            f"DTSTAMP:{stamp}",
            f"DTSTART;VALUE=DATE:{day.date:%Y%m%d}",
            f"DTEND;VALUE=DATE:{day.date + datetime.timedelta(days=1):%Y%m%d}",
            f"SUMMARY:{_ics_escape(_('Duty day at the federation'))}",
            f"LOCATION:{_ics_escape(location)}",
            "TRANSP:OPAQUE",
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    body = "".join(_ics_fold(line) + "\r\n" for line in lines)
    response = HttpResponse(body.encode(), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="duty-days.ics"'
    return response
