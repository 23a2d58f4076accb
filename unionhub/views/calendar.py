"""The Chinese working calendar: the year's holidays and adjusted working days, edited by staff."""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .. import services, workdays
from ..forms import CalendarDayForm
from ..models import CalendarDay


@login_required
def calendar(request, year=None):
    year = year or timezone.localdate().year
    if not 2000 <= year <= 2100:
        raise Http404
    days = CalendarDay.objects.in_year(year)
    return render(
        request,
        "calendar/calendar.html",
        {
            "year": year,
            "days": days,
            "known_years": workdays.known_years(),
            "can_edit": request.user.has_perm("unionhub.change_calendarday"),
            "form": CalendarDayForm(initial={"date": datetime.date(year, 1, 1)}),
        },
    )


@login_required
def calendar_day_edit(request, pk=None):
    if not request.user.has_perm("unionhub.change_calendarday"):
        raise PermissionDenied
    instance = get_object_or_404(CalendarDay, pk=pk) if pk else None
    form = CalendarDayForm(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        day = services.save_calendar_day(by=request.user, instance=instance, **form.cleaned_data)
        messages.success(request, _("Calendar day saved."))
        for text in day.follow_up:
            messages.info(request, text)
        return redirect("calendar", year=day.date.year)
    return render(request, "calendar/day_form.html", {"form": form, "day": instance})


@login_required
@require_POST
def calendar_day_delete(request, pk):
    if not request.user.has_perm("unionhub.delete_calendarday"):
        raise PermissionDenied
    day = get_object_or_404(CalendarDay, pk=pk)
    year = day.date.year
    follow_up = services.delete_calendar_day(by=request.user, day=day)
    messages.success(request, _("Calendar day removed."))
    for text in follow_up:
        messages.info(request, text)
    return redirect("calendar", year=year)
