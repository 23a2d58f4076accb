"""School places for members' children: a chair submits a request for a member of their union
(with the documents), aid staff check it, send it to the education bureau and record the outcome;
figures per school year, the enrolment deadlines of each year, and a masked export.

A child's data is a minor's personal information: only aid staff and the submitting chair reach a
request (anyone else, other staff included, gets 404) and every look at one is logged. The pages
are for aid staff and union chairs; for anybody else they do not exist (404)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from members.models import GrassrootsUnion, Member
from unionhub.access import check_required, duty_required, require
from unionhub.areas import area_context, area_filter, filter_by_area
from unionhub.files import stored_response
from unionhub.paging import page_of
from unionhub.params import id_param, parse_id, text_param, year_param
from unionhub.posted import add_errors, run_step

from .. import permissions
from ..forms.school_places import (
    CheckForm,
    DeadlineForm,
    DocumentsForm,
    OutcomeForm,
    RequestForm,
    ReturnForm,
    SendForm,
)
from ..models import EnrolmentDeadline, SchoolGrade, SchoolPlaceDocument, SchoolPlaceRequest
from ..services import school_places as services

Status = SchoolPlaceRequest.Status

# --- access ------------------------------------------------------------------------------------


def _request_for(user, pk) -> SchoolPlaceRequest:
    return get_object_or_404(
        SchoolPlaceRequest.objects.visible_to(user).select_related(
            "member", "member__enterprise", "union", "submitted_by"
        ),
        pk=pk,
    )


def _may_add_documents(user, school_request: SchoolPlaceRequest) -> bool:
    return school_request.status in services.OPEN_STATUSES and (
        permissions.is_chair_of(user, school_request.union) or permissions.can_handle_school_places(user)
    )


def _may_withdraw(user, school_request: SchoolPlaceRequest) -> bool:
    return school_request.status in services.WITHDRAWABLE and permissions.is_chair_of(
        user, school_request.union
    )


# --- the list, its figures and its export ------------------------------------------------------

FILTERS = ("school_year", "status", "grade", "union", "q")


def _listing(request):
    """The requests the user may see, narrowed by the list's filters: ``scoped`` (union and area
    only, for the figures) and ``rows`` (every filter)."""
    user = request.user
    aid_staff = permissions.is_aid_staff(user)
    filters = {key: text_param(request, key) for key in FILTERS}
    scoped = SchoolPlaceRequest.objects.visible_to(user)
    area = None
    if aid_staff:
        if (union := id_param(request, "union")) is not None:
            scoped = scoped.filter(union_id=union)
        area = area_filter(request)
        scoped = filter_by_area(scoped, area, "union")
    rows = scoped
    year = year_param(request, "school_year")
    if year is not None:
        rows = rows.filter(school_year=year)
    if filters["status"] in Status.values:
        rows = rows.filter(status=filters["status"])
    if filters["grade"] in SchoolGrade.values:
        rows = rows.filter(grade=filters["grade"])
    if filters["q"]:
        rows = rows.filter(Q(child_name__icontains=filters["q"]) | Q(member__name__icontains=filters["q"]))
    return {
        "scoped": scoped,
        "rows": rows,
        "filters": filters,
        "year": year,
        "area": area,
        "aid_staff": aid_staff,
    }


@check_required(permissions.can_use_aid, denied=Http404)
def school_request_list(request):
    listing = _listing(request)
    today = timezone.localdate()
    year = listing["year"] or services.coming_school_year(today)
    rows = listing["rows"].select_related("union", "member")
    aid_staff = listing["aid_staff"]
    years = sorted(
        {
            *SchoolPlaceRequest.objects.visible_to(request.user)
            .order_by()
            .values_list("school_year", flat=True)
            .distinct(),
            services.coming_school_year(today),
        },
        reverse=True,
    )
    return render(
        request,
        "aid/school_request_list.html",
        {
            **listing,
            "page": page_of(request, rows),
            "figure_year": year,
            "figures": services.year_figures(year, listing["scoped"]),
            "deadlines": services.deadlines_of(year, today),
            "years": years,
            "statuses": Status.choices,
            "grades": SchoolGrade.choices,
            "unions": (
                GrassrootsUnion.objects.filter(school_place_requests__isnull=False)
                .distinct()
                .order_by("code")
                .only("pk", "code", "name")
            )
            if aid_staff
            else [],
            **area_context(request),
            "can_create": request.user.is_union_chair or permissions.can_handle_school_places(request.user),
            "query": request.GET.urlencode(),
        },
    )


@check_required(permissions.can_use_aid, denied=Http404)
@duty_required("aid.view_schoolplacerequest")
def school_request_export(request):
    listing = _listing(request)
    rows = listing["rows"].order_by("-school_year", "union__code", "submitted_on", "pk")
    name = f"school-places-{listing['year'] or 'all'}-{timezone.localdate():%Y%m%d}.xlsx"
    return FileResponse(
        services.export_xlsx(rows),
        as_attachment=True,
        filename=name,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


@check_required(permissions.can_use_aid, denied=Http404)
@duty_required("aid.view_schoolplacerequest")
def school_figures(request):
    area = area_filter(request)
    scoped = filter_by_area(SchoolPlaceRequest.objects.all(), area, "union")
    table = services.figures_by_year(scoped)
    year = year_param(
        request,
        default=table[0]["school_year"] if table else services.coming_school_year(timezone.localdate()),
    )
    return render(
        request,
        "aid/school_figures.html",
        {
            "table": table,
            "year": year,
            "figures": services.year_figures(year, scoped),
            **area_context(request),
        },
    )


# --- submitting --------------------------------------------------------------------------------


@login_required
def school_request_create(request):
    user = request.user
    handler = permissions.can_handle_school_places(user)
    if not (user.is_union_chair or handler):
        require(permissions.can_use_aid(user), Http404)
        raise PermissionDenied
    # A chair submits for the unions they chair; aid staff, on a chair's behalf, for any union.
    unions = (
        (
            GrassrootsUnion.objects.filter(status=GrassrootsUnion.Status.ACTIVE)
            if handler
            else GrassrootsUnion.objects.filter(chair=user)
        )
        .order_by("code")
        .only("pk", "code", "name")
    )
    chosen = (request.POST.get("union") or request.GET.get("union") or "").strip()
    if chosen:
        if (union_pk := parse_id(chosen)) is None:
            raise Http404
        union = get_object_or_404(unions, pk=union_pk)
        several = handler or unions.exclude(pk=union.pk).exists()
    else:
        first = list(unions[:2])
        union, several = (first[0] if len(first) == 1 else None), len(first) > 1
    if union is None:
        return render(request, "aid/school_request_form.html", {"unions": unions, "union": None})
    members = (
        Member.objects.active()
        .filter(union=union)
        .order_by("-is_migrant_worker", "name", "pk")
        .only("pk", "name", "id_number", "is_migrant_worker", "union_id")
    )
    today = timezone.localdate()
    form = RequestForm(
        request.POST or None,
        request.FILES or None,
        members=members,
        initial={"school_year": services.coming_school_year(today)},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            school_request = services.submit_request(
                by=user,
                union=union,
                member=data["member"],
                child_name=data["child_name"],
                child_birth_date=data["child_birth_date"],
                child_sex=data["child_sex"],
                grade=data["grade"],
                school_year=data["school_year"],
                preferred_district=data["preferred_district"],
                has_residence_permit=data["has_residence_permit"],
                residence_permit_since=data["residence_permit_since"],
                social_insurance_months=data["social_insurance_months"],
                note=data["note"],
                documents=form.documents(),
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(
                request,
                _("The request for %(child)s was submitted; the federation staff will check it.")
                % {"child": school_request.child_name},
            )
            return redirect(school_request)
    return render(
        request,
        "aid/school_request_form.html",
        {
            "form": form,
            "union": union,
            "several_unions": several,
            "required": [kind.label for kind in SchoolPlaceDocument.REQUIRED],
            "entry_ages": [(label, services.ENTRY_AGE[grade]) for grade, label in SchoolGrade.choices],
        },
    )


# --- one request -------------------------------------------------------------------------------


@login_required
def school_request_detail(request, pk):
    school_request = _request_for(request.user, pk)
    services.log_access(by=request.user, request=school_request, remote_addr=request.META.get("REMOTE_ADDR"))
    documents = list(school_request.documents.all())
    handler = permissions.can_handle_school_places(request.user)
    today = timezone.localdate()
    return render(
        request,
        "aid/school_request_detail.html",
        {
            "school_request": school_request,
            "documents": documents,
            "missing": services.missing_documents(d.kind for d in documents)
            if school_request.status in services.OPEN_STATUSES
            else [],
            "warnings": services.warnings_for(school_request)
            if permissions.is_aid_staff(request.user)
            else [],
            "age": services.age_on_cutoff(school_request.child_birth_date, school_request.school_year),
            "handler": handler,
            "can_withdraw": _may_withdraw(request.user, school_request),
            "can_return": handler and school_request.status in services.WITHDRAWABLE,
            "documents_form": DocumentsForm() if _may_add_documents(request.user, school_request) else None,
            "check_form": CheckForm(),
            "send_form": SendForm(initial={"sent_on": today}),
            "outcome_form": OutcomeForm(initial={"decided_on": today}),
            "return_form": ReturnForm(),
            "note_lines": school_request.note.splitlines(),
        },
    )


@login_required
def school_document(request, pk, document_pk):
    school_request = _request_for(request.user, pk)
    document = get_object_or_404(school_request.documents, pk=document_pk)
    services.log_access(
        by=request.user,
        request=school_request,
        remote_addr=request.META.get("REMOTE_ADDR"),
        document=document.kind,
    )
    return stored_response(document.upload)


@login_required
@require_POST
def school_document_upload(request, pk):
    school_request = _request_for(request.user, pk)
    if not (
        permissions.is_chair_of(request.user, school_request.union)
        or permissions.can_handle_school_places(request.user)
    ):
        raise PermissionDenied
    form = DocumentsForm(request.POST, request.FILES)
    return run_step(
        request,
        school_request,
        form,
        lambda d: services.add_documents(by=request.user, request=school_request, documents=form.documents()),
        _("Documents added."),
    )


@login_required
@require_POST
def school_request_check(request, pk):
    school_request = _request_for(request.user, pk)
    require(permissions.can_handle_school_places(request.user))
    return run_step(
        request,
        school_request,
        CheckForm(request.POST),
        lambda d: services.check_request(by=request.user, request=school_request, note=d["note"]),
        _("The request is checked."),
    )


@login_required
@require_POST
def school_request_send(request, pk):
    school_request = _request_for(request.user, pk)
    require(permissions.can_handle_school_places(request.user))
    return run_step(
        request,
        school_request,
        SendForm(request.POST),
        lambda d: services.send_to_bureau(by=request.user, request=school_request, on=d["sent_on"]),
        _("Recorded as sent to the education bureau."),
    )


@login_required
@require_POST
def school_request_outcome(request, pk):
    school_request = _request_for(request.user, pk)
    require(permissions.can_handle_school_places(request.user))
    return run_step(
        request,
        school_request,
        OutcomeForm(request.POST),
        lambda d: services.record_outcome(
            by=request.user,
            request=school_request,
            placed=d["outcome"] == Status.PLACED,
            school=d["school"],
            reason=d["reason"],
            on=d["decided_on"],
        ),
        _("Outcome recorded; the chair is told."),
    )


@login_required
@require_POST
def school_request_withdraw(request, pk):
    """The submitting chair withdraws the request; aid staff return it to the chair with a reason."""
    school_request = _request_for(request.user, pk)
    by_chair = permissions.is_chair_of(request.user, school_request.union)
    if not by_chair:
        require(permissions.can_handle_school_places(request.user))
    return run_step(
        request,
        school_request,
        ReturnForm(request.POST),
        lambda d: services.withdraw_request(by=request.user, request=school_request, reason=d["reason"]),
        _("The request was withdrawn.") if by_chair else _("The request was returned to the chair."),
    )


# --- enrolment deadlines -----------------------------------------------------------------------


@check_required(permissions.can_use_aid, denied=Http404)
@duty_required("aid.view_enrolmentdeadline")
def enrolment_deadline_list(request):
    today = timezone.localdate()
    deadlines = list(EnrolmentDeadline.objects.order_by("-school_year", "due_on", "pk"))
    for deadline in deadlines:
        deadline.days_left = (deadline.due_on - today).days
        deadline.reminding = services.reminder_window(deadline)[0] <= today <= deadline.due_on
    return render(
        request,
        "aid/school_deadline_list.html",
        {
            "deadlines": deadlines,
            "coming": services.coming_school_year(today),
            "can_add": request.user.has_perm("aid.add_enrolmentdeadline"),
            "can_change": request.user.has_perm("aid.change_enrolmentdeadline"),
        },
    )


def _deadline_form(request, deadline: EnrolmentDeadline | None):
    if deadline is None:
        initial = {"school_year": services.coming_school_year(timezone.localdate())}
    else:
        initial = {
            "school_year": deadline.school_year,
            "title": deadline.title,
            "due_on": deadline.due_on,
            "remind_days_before": deadline.remind_days_before,
        }
    form = DeadlineForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            saved = services.save_deadline(
                by=request.user,
                deadline=deadline,
                school_year=data["school_year"],
                title=data["title"],
                due_on=data["due_on"],
                remind_days_before=data["remind_days_before"],
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(
                request,
                _("%(title)s (%(year)d school year): %(day)s.")
                % {"title": saved.title, "year": saved.school_year, "day": saved.due_on.isoformat()},
            )
            return redirect("aid:enrolment_deadline_list")
    return render(request, "aid/school_deadline_form.html", {"form": form, "deadline": deadline})


@check_required(permissions.can_use_aid, denied=Http404)
@duty_required("aid.add_enrolmentdeadline")
def enrolment_deadline_create(request):
    return _deadline_form(request, None)


@check_required(permissions.can_use_aid, denied=Http404)
@duty_required("aid.change_enrolmentdeadline")
def enrolment_deadline_edit(request, pk):
    return _deadline_form(request, get_object_or_404(EnrolmentDeadline, pk=pk))


@check_required(permissions.can_use_aid, denied=Http404)
# The aid duty has no delete permission for deadlines: changing the calendar covers removing a date.
@duty_required("aid.change_enrolmentdeadline")
def enrolment_deadline_delete(request, pk):
    deadline = get_object_or_404(EnrolmentDeadline, pk=pk)
    if request.method == "POST":
        services.delete_deadline(by=request.user, deadline=deadline)
        messages.success(
            request,
            _("%(title)s (%(year)d school year) was removed.")
            % {"title": deadline.title, "year": deadline.school_year},
        )
        return redirect("aid:enrolment_deadline_list")
    return render(request, "aid/school_deadline_delete.html", {"deadline": deadline})
