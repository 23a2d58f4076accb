"""The dashboard: one page per person, each role the user holds adding its own panels. The core draws the
frame (the to-do card first, the staff's "The district" with its area filter, the "This month" card); every
figure, to-do item and panel comes from the programme it belongs to (``<app>/dashboard.py``, ``<app>/reports.py``), in their order."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone
from django.utils.safestring import mark_safe

from .. import workdays
from ..areas import area_context, area_filter
from ..contributions import Scope, collect, collect_todo, contributions
from ..reports.charts import bar_svg


@login_required
def dashboard(request):
    user = request.user
    today = timezone.localdate()
    context = {"today": today, "is_working_day": workdays.is_working_day(today)}
    has_role = user.is_federation_staff
    if user.is_federation_staff:
        # The figures kept per union follow the area filter; associations and merchants are district-wide.
        context.update(area_context(request))
        scope = Scope(day=today, user=user, area=area_filter(request))
        context["district"] = collect("district_figures", scope)
        context["district_tiles"] = [c.template for c in contributions("district_figures") if c.template]
        # Imported here, not at the top: the report-run tests stand in a stub for the figures module, and
        # this module is imported whenever the URLconf is.
        from ..reports.figures import headline  # noqa: PLC0415

        context["headline"] = headline(today)
        context["headline_chart"] = mark_safe(  # noqa: S308 — our own SVG
            "".join(bar_svg(c.func(scope), width=560, height=180) for c in contributions("headline_chart"))
        )
    else:
        scope = Scope(day=today, user=user)
    # The to-do card comes first: what needs doing, in date order, each item linking where it is done.
    context["todo"] = collect_todo(scope)
    panels = []
    for panel in contributions("dashboard_panel"):
        data = panel.func(scope)
        if data is None:
            continue
        context.update(data)
        panels.append(panel.template)
        has_role = has_role or panel.role
    context["panels"] = panels
    context["has_role"] = has_role
    return render(request, "dashboard.html", context)
