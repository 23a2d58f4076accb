"""The cultural showcase pages: every signed-in user sees the showcases and their running order;
federation staff create and edit showcases and programmes and export a programme."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from unionhub.access import check_required, role_required

from ..forms import ProgrammeForm, ShowcaseForm
from ..models import Programme, Showcase
from ..permissions import can_run_showcases
from ..services.showcase import (
    delete_programme,
    next_order,
    running_order,
    save_programme,
    save_showcase,
    showcase_totals,
    showcase_xlsx,
    showcases_with_counts,
)


@login_required
def showcase_list(request):
    return render(
        request,
        "associations/showcase_list.html",
        {
            "showcases": showcases_with_counts(),
            "totals": showcase_totals(),
        },
    )


@login_required
def showcase_detail(request, pk):
    showcase = get_object_or_404(showcases_with_counts(), pk=pk)
    return render(
        request,
        "associations/showcase_detail.html",
        {
            "showcase": showcase,
            "programmes": running_order(showcase),
        },
    )


@check_required(can_run_showcases)
def showcase_form(request, pk=None):
    """Create (no ``pk``) or edit a showcase."""
    showcase = get_object_or_404(Showcase, pk=pk) if pk else None
    form = ShowcaseForm(request.POST or None, instance=showcase)
    if request.method == "POST" and form.is_valid():
        showcase = save_showcase(by=request.user, form=form)
        messages.success(request, _("Saved."))
        return redirect(showcase)
    return render(request, "associations/showcase_form.html", {"form": form, "showcase": showcase})


@check_required(can_run_showcases)
def programme_create(request, pk):
    showcase = get_object_or_404(Showcase, pk=pk)
    form = ProgrammeForm(
        request.POST or None,
        instance=Programme(showcase=showcase),
        initial={"order": next_order(showcase), "performers": 1},
    )
    if request.method == "POST" and form.is_valid():
        save_programme(by=request.user, form=form)
        messages.success(request, _("Programme added."))
        return redirect(showcase)
    return render(
        request, "associations/programme_form.html", {"form": form, "showcase": showcase, "programme": None}
    )


@check_required(can_run_showcases)
def programme_edit(request, pk):
    programme = get_object_or_404(Programme.objects.select_related("showcase"), pk=pk)
    form = ProgrammeForm(request.POST or None, instance=programme)
    if request.method == "POST" and form.is_valid():
        save_programme(by=request.user, form=form)
        messages.success(request, _("Saved."))
        return redirect(programme.showcase)
    return render(
        request,
        "associations/programme_form.html",
        {"form": form, "showcase": programme.showcase, "programme": programme},
    )


@check_required(can_run_showcases)
@require_POST
def programme_delete(request, pk):
    programme = get_object_or_404(Programme.objects.select_related("showcase"), pk=pk)
    showcase = programme.showcase
    delete_programme(by=request.user, programme=programme)
    messages.success(request, _("Programme removed."))
    return redirect(showcase)


@role_required("staff")
def showcase_export(request, pk):
    """The running order with the performers' names: for the staff who organise the showcase."""
    showcase = get_object_or_404(Showcase, pk=pk)
    return FileResponse(
        showcase_xlsx(showcase),
        as_attachment=True,
        filename=f"showcase-{showcase.year}.xlsx",
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
