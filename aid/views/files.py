"""Hardship files: the chair submits, aid staff visit, post the public notice, resolve objections,
approve and review yearly. Only aid staff and the submitting chair see a file (404 for anyone else);
every look at a file is logged. The public notice shows masked rows only."""

import datetime

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.http import FileResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from members.models import GrassrootsUnion
from unionhub.access import check_required, require
from unionhub.areas import area_context, area_filter, filter_by_area
from unionhub.files import stored_response
from unionhub.paging import page_of
from unionhub.params import id_param, text_param, year_param
from unionhub.posted import add_errors, error_messages, run_step

from .. import permissions
from ..forms.files import (
    FileForm,
    HouseholdFormSet,
    LeftForm,
    LivingStandardForm,
    NoticeForm,
    ObjectionForm,
    ReasonForm,
    ResolutionForm,
    ReviewForm,
    VisitForm,
)
from ..models import FileReview, HardshipDocument, HardshipFile, LivingStandard, NoticeObjection
from ..rules import rules
from ..services import files as services
from ..services import four_eyes

# --- access ------------------------------------------------------------------------------------


def _file_for(user, pk) -> HardshipFile:
    return get_object_or_404(
        HardshipFile.objects.visible_to(user).select_related(
            "member", "member__enterprise", "union", "submitted_by", "approved_by"
        ),
        pk=pk,
    )


# --- list, create, detail ----------------------------------------------------------------------


@check_required(permissions.can_use_aid)
def file_list(request):
    visible = filter_by_area(HardshipFile.objects.visible_to(request.user), area_filter(request), "union")
    files = visible.select_related("member", "member__enterprise", "union")
    filters = {key: text_param(request, key) for key in ("status", "category", "union", "q")}
    if filters["status"] in HardshipFile.Status.values:
        files = files.filter(status=filters["status"])
    if filters["category"] in HardshipFile.Category.values:
        files = files.filter(category=filters["category"])
    if (union := id_param(request, "union")) is not None:
        files = files.filter(union_id=union)
    if filters["q"]:
        files = files.filter(member__name__icontains=filters["q"])
    aid_staff = permissions.is_aid_staff(request.user)
    counts = visible.aggregate(
        applying=Count("pk", filter=Q(status=HardshipFile.Status.APPLYING)),
        notice=Count("pk", filter=Q(status=HardshipFile.Status.NOTICE)),
        active=Count("pk", filter=Q(status=HardshipFile.Status.ACTIVE)),
        deep=Count("pk", filter=Q(status=HardshipFile.Status.ACTIVE, category=HardshipFile.Category.DEEP)),
        due=Count(
            "pk", filter=Q(status=HardshipFile.Status.ACTIVE, next_review_on__lte=timezone.localdate())
        ),
    )
    unions = (
        (
            GrassrootsUnion.objects.filter(hardship_files__isnull=False)
            .distinct()
            .order_by("code")
            .only("pk", "code", "name")
        )
        if aid_staff
        else []
    )
    return render(
        request,
        "aid/file_list.html",
        {
            "page": page_of(request, files),
            "filters": filters,
            "counts": counts,
            "aid_staff": aid_staff,
            "can_create": _may_create(request.user),
            "statuses": HardshipFile.Status.choices,
            "categories": HardshipFile.Category.choices,
            "unions": unions,
            "year": timezone.localdate().year,
            **area_context(request),
        },
    )


def _may_create(user) -> bool:
    return permissions.can_add_hardship_files(user)


@login_required
def file_create(request):
    if not _may_create(request.user):
        raise PermissionDenied
    post = request.POST if request.method == "POST" else None
    form = FileForm(post, request.FILES or None, user=request.user)
    household = HouseholdFormSet(post, prefix="household")
    if post is not None and all([form.is_valid(), household.is_valid()]):  # both, to show every error
        data = form.cleaned_data
        people = [row.cleaned_data for row in household if row.cleaned_data]
        try:
            file = services.submit_file(
                by=request.user,
                member=data["member"],
                causes=data["causes"],
                situation=data["situation"],
                household_income=data["household_income"],
                hardship_expenses=data["hardship_expenses"],
                household=people,
                documents=form.documents(),
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(
                request,
                _("File %(number)s for %(name)s submitted; the federation staff will arrange a home visit.")
                % {"number": file.number, "name": file.member.name},
            )
            return redirect(file)
    return render(
        request,
        "aid/file_form.html",
        {
            "form": form,
            "household": household,
            "rules": rules(),
            "documents_for_cause": [
                (HardshipFile.Cause(c).label, HardshipDocument.Kind(k).label)
                for c, k in rules().documents_for_cause
            ],
            "required": [HardshipDocument.Kind(k).label for k in rules().required_documents],
        },
    )


@login_required
def file_detail(request, pk):
    file = _file_for(request.user, pk)
    services.log_file_access(by=request.user, file=file, remote_addr=request.META.get("REMOTE_ADDR"))
    reviewer = permissions.can_review_hardship_files(request.user)
    objections = list(file.objections.select_related("recorded_by"))
    today = timezone.localdate()
    return render(
        request,
        "aid/file_detail.html",
        {
            "file": file,
            "household": file.household.all(),
            "documents": file.documents.all(),
            "objections": objections,
            "reviews": file.reviews.select_related("reviewed_by"),
            "per_capita": services.per_capita_income(file),
            "multiple": rules().relative_multiple,
            "relative_line": file.living_standard * rules().relative_multiple,
            "causes": [HardshipFile.Cause(c).label for c in file.causes if c in HardshipFile.Cause.values],
            "reviewer": reviewer,
            "can_withdraw": _may_withdraw(request.user, file),
            "notice_over": file.notice_end is not None and today > file.notice_end,
            "four_eyes_refusal": four_eyes.refusal(by=request.user, proposer_id=file.submitted_by_id),
            "visit_form": VisitForm(initial={"visited_on": today}),
            "reason_form": ReasonForm(),
            "notice_form": NoticeForm(),
            "objection_form": ObjectionForm(initial={"received_on": today}),
            "resolution_form": ResolutionForm(),
            "left_form": LeftForm(initial={"on": today}),
        },
    )


@login_required
def file_document(request, pk, document_pk):
    file = _file_for(request.user, pk)
    document = get_object_or_404(file.documents, pk=document_pk)
    services.log_file_access(
        by=request.user, file=file, remote_addr=request.META.get("REMOTE_ADDR"), document=document.kind
    )
    return stored_response(document.upload)


# --- workflow ----------------------------------------------------------------------------------


@login_required
@require_POST
def file_visit(request, pk):
    file = _file_for(request.user, pk)
    require(permissions.can_review_hardship_files(request.user))
    return run_step(
        request,
        file,
        VisitForm(request.POST),
        lambda d: services.record_visit(
            by=request.user,
            file=file,
            visited_on=d["visited_on"],
            visitors=d["visitors"],
            findings=d["findings"],
        ),
        _("Home visit recorded."),
    )


@login_required
@require_POST
def file_accident(request, pk):
    file = _file_for(request.user, pk)
    require(permissions.can_review_hardship_files(request.user))
    return run_step(
        request,
        file,
        ReasonForm(request.POST),
        lambda d: services.set_accident_category(by=request.user, file=file, reason=d["reason"]),
        _("Categorised as hardship caused by an accident."),
    )


@login_required
@require_POST
def file_notice(request, pk):
    file = _file_for(request.user, pk)
    require(permissions.can_review_hardship_files(request.user))
    return run_step(
        request,
        file,
        NoticeForm(request.POST),
        lambda d: services.start_notice(by=request.user, file=file, start=d["start"]),
        _("The file is under public notice."),
    )


@login_required
@require_POST
def file_objection(request, pk):
    file = _file_for(request.user, pk)
    require(permissions.can_review_hardship_files(request.user))
    return run_step(
        request,
        file,
        ObjectionForm(request.POST),
        lambda d: services.record_objection(
            by=request.user, file=file, received_on=d["received_on"], content=d["content"]
        ),
        _("Objection recorded."),
    )


@login_required
@require_POST
def objection_resolve(request, pk, objection_pk):
    file = _file_for(request.user, pk)
    require(permissions.can_review_hardship_files(request.user))
    objection = get_object_or_404(NoticeObjection, file=file, pk=objection_pk)
    return run_step(
        request,
        file,
        ResolutionForm(request.POST),
        lambda d: services.resolve_objection(
            by=request.user, objection=objection, resolution=d["resolution"], upheld=d["upheld"]
        ),
        _("Resolution recorded."),
    )


@login_required
@require_POST
def file_approve(request, pk):
    file = _file_for(request.user, pk)
    require(permissions.can_review_hardship_files(request.user))
    return run_step(
        request,
        file,
        forms.Form(request.POST),
        lambda d: services.approve(by=request.user, file=file),
        _("Approved: the worker is on file."),
    )


def _may_withdraw(user, file: HardshipFile) -> bool:
    return file.status in (HardshipFile.Status.APPLYING, HardshipFile.Status.NOTICE) and (
        permissions.is_chair_of(user, file.union) or permissions.can_review_hardship_files(user)
    )


@login_required
@require_POST
def file_withdraw(request, pk):
    file = _file_for(request.user, pk)
    if not _may_withdraw(request.user, file):
        raise PermissionDenied
    return run_step(
        request,
        file,
        forms.Form(request.POST),
        lambda d: services.withdraw(by=request.user, file=file),
        _("The file was withdrawn."),
    )


@login_required
@require_POST
def file_cancel(request, pk):
    file = _file_for(request.user, pk)
    require(permissions.can_review_hardship_files(request.user))
    return run_step(
        request,
        file,
        ReasonForm(request.POST),
        lambda d: services.cancel(by=request.user, file=file, reason=d["reason"]),
        _("The file was cancelled."),
    )


@login_required
@require_POST
def file_left(request, pk):
    file = _file_for(request.user, pk)
    require(permissions.can_review_hardship_files(request.user))
    return run_step(
        request,
        file,
        LeftForm(request.POST),
        lambda d: services.mark_left(by=request.user, file=file, on=d["on"], reason=d["reason"]),
        _("The household has left hardship."),
    )


# --- public notice -----------------------------------------------------------------------------


@check_required(permissions.can_use_aid)
def notice_board(request):
    return render(
        request,
        "aid/notice_board.html",
        {"rows": services.notice_rows(services.under_notice()), "working_days": rules().notice_working_days},
    )


@check_required(permissions.can_use_aid)
def notice_export(request):
    spool = services.notice_workbook(services.notice_rows(services.under_notice()))
    return FileResponse(
        spool, as_attachment=True, filename=f"hardship-notice-{timezone.localdate():%Y%m%d}.xlsx"
    )


# --- yearly review -----------------------------------------------------------------------------


@login_required
def review_list(request, year):
    if not permissions.is_aid_staff(request.user):
        raise PermissionDenied
    if request.method == "POST":
        require(permissions.can_review_hardship_files(request.user))
        reviews = services.review_list(year)
        messages.success(
            request,
            _("%(count)d files are due for review in %(year)d; %(checks)d drawn for a spot check.")
            % {"count": len(reviews), "year": year, "checks": sum(r.spot_check for r in reviews)},
        )
        return redirect("aid:review_list", year=year)
    reviews = (
        FileReview.objects.filter(year=year)
        .select_related("file", "file__member", "file__member__enterprise", "file__union", "reviewed_by")
        .order_by("-spot_check", "file__union__code", "file__number")
    )
    due = (
        HardshipFile.objects.filter(
            status=HardshipFile.Status.ACTIVE, next_review_on__lte=datetime.date(year, 12, 31)
        )
        .exclude(reviews__year=year)
        .count()
    )
    return render(
        request,
        "aid/review_list.html",
        {
            "year": year,
            "reviews": reviews,
            "due": due,
            "reviewer": permissions.can_review_hardship_files(request.user),
            "review_form": ReviewForm(),
            "share": rules().spot_check_share * 100,
            "previous": year - 1,
            "next": year + 1,
        },
    )


@login_required
@require_POST
def review_record(request, pk):
    review = get_object_or_404(
        FileReview.objects.filter(file__in=HardshipFile.objects.visible_to(request.user)).select_related(
            "file"
        ),
        pk=pk,
    )
    require(permissions.can_review_hardship_files(request.user))
    form = ReviewForm(request.POST)
    if form.is_valid():
        try:
            services.record_review(
                by=request.user,
                review=review,
                outcome=form.cleaned_data["outcome"],
                notes=form.cleaned_data["notes"],
            )
        except ValidationError as error:
            error_messages(request, error)
        else:
            messages.success(request, _("Review of %(number)s recorded.") % {"number": review.file.number})
    else:
        messages.error(request, _("Choose the outcome of the review."))
    return redirect(reverse("aid:review_list", kwargs={"year": review.year}) + f"#review-{review.pk}")


# --- minimum-living standards ------------------------------------------------------------------


@login_required
def living_standards(request):
    if not permissions.is_aid_staff(request.user):
        raise PermissionDenied
    editable = permissions.can_review_hardship_files(request.user)
    form = LivingStandardForm(request.POST or None, initial={"year": timezone.localdate().year})
    if request.method == "POST":
        if not editable:
            raise PermissionDenied
        if form.is_valid():
            try:
                standard = services.save_living_standard(by=request.user, **form.cleaned_data)
            except ValidationError as error:
                add_errors(form, error)
            else:
                messages.success(
                    request,
                    _("The standard for %(year)d is %(amount)s yuan per person per month.")
                    % {"year": standard.year, "amount": standard.monthly_amount},
                )
                return redirect("aid:living_standards")
    elif (year := year_param(request)) is not None:
        standard = LivingStandard.objects.filter(year=year).first()
        if standard:
            form = LivingStandardForm(
                initial={
                    "year": standard.year,
                    "monthly_amount": standard.monthly_amount,
                    "note": standard.note,
                }
            )
    return render(
        request,
        "aid/living_standards.html",
        {
            "standards": LivingStandard.objects.all(),
            "form": form,
            "editable": editable,
            "multiple": rules().relative_multiple,
        },
    )
