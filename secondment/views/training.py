"""Training pages: courses and their enrolments (federation staff), and the hours ledger (staff:
every cadre; a cadre: their own courses and hours)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from unionhub.access import check_required, role_required
from unionhub.paging import page_of
from unionhub.posted import error_messages

from .. import permissions
from ..forms import CourseFilter, CourseForm, EnrolForm, LedgerFilter
from ..models import Course, Enrolment, SecondmentTerm
from ..services.certificates import holder_name
from ..services.training import enrol, hours_ledger, record_attendance, save_course


@role_required("staff")
def course_list(request):
    courses = Course.objects.annotate(
        enrolled=Count("enrolments"),
        completed=Count("enrolments", filter=Q(enrolments__status=Enrolment.Status.COMPLETED)),
    ).order_by("-starts_on", "title", "pk")
    filters = CourseFilter(request.GET)
    if filters.is_valid():
        if filters.cleaned_data["track"]:
            courses = courses.filter(track=filters.cleaned_data["track"])
        if filters.cleaned_data["year"]:
            courses = courses.filter(starts_on__year=filters.cleaned_data["year"])
    return render(
        request, "secondment/course_list.html", {"page": page_of(request, courses), "filters": filters}
    )


@check_required(permissions.can_manage_training)
def course_form(request, pk=None):
    """Create (no ``pk``) or edit a course."""
    course = get_object_or_404(Course, pk=pk) if pk else None
    form = CourseForm(request.POST or None, instance=course)
    if request.method == "POST" and form.is_valid():
        course = save_course(by=request.user, form=form)
        messages.success(request, _("Saved."))
        return redirect(course)
    return render(request, "secondment/course_form.html", {"form": form, "course": course})


@role_required("staff")
def course_detail(request, pk, enrol_form=None):
    course = get_object_or_404(Course, pk=pk)
    enrolments = list(
        course.enrolments.select_related("term__cadre", "term__union", "term__member").order_by(
            "term__cadre__name", "pk"
        )
    )
    for enrolment in enrolments:
        enrolment.holder_name = holder_name(enrolment.term)
    return render(
        request,
        "secondment/course_detail.html",
        {
            "course": course,
            "enrolments": enrolments,
            "completed": sum(e.status == Enrolment.Status.COMPLETED for e in enrolments),
            "hours_credited": sum(e.hours_credited for e in enrolments),
            "enrol_form": enrol_form or EnrolForm(course=course),
        },
    )


@check_required(permissions.can_manage_training)
@require_POST
def course_enrol(request, pk):
    course = get_object_or_404(Course, pk=pk)
    form = EnrolForm(request.POST, course=course)
    if not form.is_valid():
        return course_detail(request, pk, enrol_form=form)
    try:
        created = enrol(by=request.user, course=course, terms=form.cleaned_data["terms"])
    except ValidationError as error:
        error_messages(request, error)
    else:
        messages.success(request, _("%(count)d cadre(s) enrolled.") % {"count": created})
    return redirect(course)


@check_required(permissions.can_manage_training)
@require_POST
def enrolment_attendance(request, pk):
    enrolment = get_object_or_404(Enrolment.objects.select_related("course"), pk=pk)
    outcome = request.POST.get("status")
    if outcome not in (Enrolment.Status.COMPLETED, Enrolment.Status.ABSENT):
        messages.error(request, _("Choose completed or absent."))
        return redirect(enrolment.course)
    try:
        record_attendance(
            by=request.user, enrolment=enrolment, completed=outcome == Enrolment.Status.COMPLETED
        )
    except ValidationError as error:
        error_messages(request, error)
    return redirect(enrolment.course)


@login_required
def training_ledger(request):
    """Staff: hours credited to every cadre, by track. A cadre: their own courses and hours."""
    user = request.user
    terms = SecondmentTerm.objects.visible_to(user).order_by("-start_date", "pk")
    if not user.is_federation_staff and not terms.exists():
        raise PermissionDenied
    filters = LedgerFilter(request.GET)
    if filters.is_valid() and filters.cleaned_data["status"]:
        terms = terms.filter(status=filters.cleaned_data["status"])
    page = page_of(request, terms)
    page.object_list = hours_ledger(terms.filter(pk__in=[term.pk for term in page.object_list]))
    context = {
        "page": page,
        "filters": filters,
        "tracks": Course.Track.labels,
        "is_staff": user.is_federation_staff,
    }
    if not user.is_federation_staff:
        context["enrolments"] = (
            Enrolment.objects.visible_to(user)
            .select_related("course", "term")
            .order_by("-course__starts_on", "pk")
        )
    return render(request, "secondment/training_ledger.html", context)
