"""The tutoring classes' pages for staff and union chairs: the list of classes, a class (its support, tutors,
timetable and counts), the forms that set it up and run it, the roster of children and its export, enrolment
on a member's behalf, attendance per session, and the year's figures.

The class pages are for federation staff (every class) and union chairs (their union's; another union's class
is 404); others are refused (403). The children — the roster, attendance by name, the export, enrolling and
withdrawing — are the hosting chair's and aid staff's only: 404 for everybody else, staff included."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count, Prefetch, Q
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from unionhub.access import check_required, require
from unionhub.masking import mask_phone
from unionhub.paging import page_of
from unionhub.params import choice_param, year_param
from unionhub.posted import add_errors, error_messages, form_error_messages

from . import permissions, services
from .forms import CancelForm, ClassForm, EnrolForm, GenerateForm, SessionForm, TutorForm, attendance_ids
from .models import Attendance, Enrolment, Session, Tutor, TutoringClass, age_on

ACTIONS = ("submit", "approve", "close", "reopen", "finish", "cancel")


def _class_for(user, pk) -> TutoringClass:
    return get_object_or_404(
        TutoringClass.objects.visible_to(user).select_related("union", "enterprise", "approved_by"), pk=pk
    )


def _children_class_for(user, pk) -> TutoringClass:
    """A class whose children the user may see: the hosting chair's or aid staff's; else 404."""
    tutoring_class = get_object_or_404(TutoringClass.objects.select_related("union", "enterprise"), pk=pk)
    if not permissions.can_see_children(user, tutoring_class):
        raise Http404
    return tutoring_class


def _counts():
    return {
        "n_confirmed": Count(
            "enrolments", filter=Q(enrolments__status=Enrolment.Status.CONFIRMED), distinct=True
        ),
        "n_waiting": Count(
            "enrolments", filter=Q(enrolments__status=Enrolment.Status.WAITING), distinct=True
        ),
        "n_sessions": Count("sessions", distinct=True),
    }


@check_required(permissions.can_use_tutoring)
def class_list(request):
    """Every class for staff, the union's own for a chair; by year and kind, newest first."""
    classes = TutoringClass.objects.visible_to(request.user)
    years = [d.year for d in classes.dates("starts_on", "year", "DESC")]
    year = year_param(request, "year")
    if year is not None:
        classes = classes.in_year(year)
    kind = choice_param(request, "kind", TutoringClass.Kind.values)
    if kind:
        classes = classes.filter(kind=kind)
    status = choice_param(request, "status", [*TutoringClass.Status.values, "waiting"])
    if status == "waiting":
        classes = classes.filter(status=TutoringClass.Status.DRAFT, submitted_at__isnull=False)
    elif status:
        classes = classes.filter(status=status)
    rows = classes.select_related("union", "enterprise").annotate(**_counts()).order_by("-starts_on", "-pk")
    return render(
        request,
        "tutoring/class_list.html",
        {
            "page": page_of(request, rows),
            "year": year,
            "years": years,
            "kind": kind,
            "status": status,
            "kinds": TutoringClass.Kind.choices,
            "statuses": TutoringClass.Status.choices,
            "can_create": permissions.can_create_class(request.user),
        },
    )


@check_required(permissions.can_create_class)
def class_create(request):
    form = ClassForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            tutoring_class = services.create_class(by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("Class saved as a draft: add its tutors and timetable."))
            return redirect(tutoring_class)
    return render(request, "tutoring/class_form.html", {"form": form, "tutoring_class": None})


@check_required(permissions.can_use_tutoring)
def class_edit(request, pk):
    tutoring_class = _class_for(request.user, pk)
    require(permissions.can_run_class(request.user, tutoring_class) and tutoring_class.editable)
    form = ClassForm(request.POST or None, user=request.user, instance=tutoring_class)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_class(by=request.user, tutoring_class=tutoring_class, **form.cleaned_data)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("Class saved."))
            return redirect(tutoring_class)
    return render(request, "tutoring/class_form.html", {"form": form, "tutoring_class": tutoring_class})


@check_required(permissions.can_use_tutoring)
def class_detail(request, pk):
    """The class as any staff may see it: its support, tutors (mobiles masked), timetable and counts."""
    tutoring_class = _class_for(request.user, pk)
    user, today = request.user, timezone.localdate()
    tutors = list(tutoring_class.tutors.all())
    for tutor in tutors:
        tutor.masked_phone = mask_phone(tutor.phone)
    sessions = list(
        tutoring_class.sessions.select_related("tutor").annotate(
            n_marked=Count("attendance"), n_present=Count("attendance", filter=Q(attendance__present=True))
        )
    )
    counts = tutoring_class.enrolments.aggregate(
        confirmed=Count("pk", filter=Q(status=Enrolment.Status.CONFIRMED)),
        waiting=Count("pk", filter=Q(status=Enrolment.Status.WAITING)),
    )
    marked = sum(s.n_marked for s in sessions)
    present = sum(s.n_present for s in sessions)
    can_run = permissions.can_run_class(user, tutoring_class)
    return render(
        request,
        "tutoring/class_detail.html",
        {
            "c": tutoring_class,
            "tutors": tutors,
            "sessions": sessions,
            "counts": counts,
            "left": max(tutoring_class.capacity - counts["confirmed"], 0),
            "held": sum(1 for s in sessions if s.attendance_taken_at),
            "rate": services.rate(present, marked),
            "today": today,
            "running": tutoring_class.status in TutoringClass.RUNNING,
            "can_run": can_run,
            "can_edit": can_run and tutoring_class.editable,
            "can_approve": permissions.can_approve_classes(user),
            "can_see_children": permissions.can_see_children(user, tutoring_class),
            "cancel_form": CancelForm() if can_run and tutoring_class.editable else None,
            "tutor_form": TutorForm() if can_run and tutoring_class.editable else None,
        },
    )


@check_required(permissions.can_use_tutoring)
@require_POST
def class_status(request, pk):
    """One step of the class's life: submit, approve, close or reopen enrolment, finish, cancel."""
    tutoring_class = _class_for(request.user, pk)
    action = _posted_choice(request, "action", ACTIONS)
    allowed = (
        permissions.can_approve_classes(request.user)
        if action == "approve"
        else permissions.can_run_class(request.user, tutoring_class)
    )
    require(allowed)
    if not action:
        messages.error(request, _("Choose what to do."))
        return redirect(tutoring_class)
    by = request.user
    try:
        if action == "submit":
            services.submit_class(by=by, tutoring_class=tutoring_class)
            done = _("Submitted: the federation's aid staff will approve it.")
        elif action == "approve":
            services.approve_class(by=by, tutoring_class=tutoring_class)
            done = _("Approved: the class is open for enrolment.")
        elif action == "close":
            services.close_enrolment(by=by, tutoring_class=tutoring_class)
            done = _("Enrolment closed.")
        elif action == "reopen":
            services.reopen_enrolment(by=by, tutoring_class=tutoring_class)
            done = _("Enrolment reopened.")
        elif action == "finish":
            services.finish_class(by=by, tutoring_class=tutoring_class)
            done = _("The class is finished.")
        else:
            form = CancelForm(request.POST)
            if not form.is_valid():
                form_error_messages(request, form)
                return redirect(tutoring_class)
            services.cancel_class(by=by, tutoring_class=tutoring_class, reason=form.cleaned_data["reason"])
            done = _("The class is cancelled; the guardians are told.")
    except ValidationError as error:
        error_messages(request, error)
    else:
        messages.success(request, done)
    return redirect(tutoring_class)


def _posted_choice(request, name, choices) -> str:
    value = request.POST.get(name, "")
    return value if value in choices else ""


# --- tutors and the timetable ------------------------------------------------------------------------------


def _runnable(request, pk) -> TutoringClass:
    tutoring_class = _class_for(request.user, pk)
    require(permissions.can_run_class(request.user, tutoring_class) and tutoring_class.editable)
    return tutoring_class


@check_required(permissions.can_use_tutoring)
@require_POST
def tutor_add(request, pk):
    tutoring_class = _runnable(request, pk)
    form = TutorForm(request.POST)
    if not form.is_valid():
        form_error_messages(request, form)
        return redirect(tutoring_class)
    try:
        services.add_tutor(by=request.user, tutoring_class=tutoring_class, **form.cleaned_data)
    except ValidationError as error:
        error_messages(request, error)
    else:
        messages.success(request, _("Tutor added."))
    return redirect(f"{tutoring_class.get_absolute_url()}#tutors")


@check_required(permissions.can_use_tutoring)
@require_POST
def tutor_delete(request, pk):
    tutor = get_object_or_404(Tutor, pk=pk, tutoring_class__in=TutoringClass.objects.visible_to(request.user))
    tutoring_class = _runnable(request, tutor.tutoring_class_id)
    try:
        services.remove_tutor(by=request.user, tutor=tutor)
    except ValidationError as error:
        error_messages(request, error)
    else:
        messages.success(request, _("Tutor removed."))
    return redirect(f"{tutoring_class.get_absolute_url()}#tutors")


@check_required(permissions.can_use_tutoring)
def session_add(request, pk):
    tutoring_class = _runnable(request, pk)
    form = SessionForm(
        request.POST or None, tutoring_class=tutoring_class, initial={"date": tutoring_class.starts_on}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.add_session(by=request.user, tutoring_class=tutoring_class, **form.cleaned_data)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("Session added."))
            return redirect(f"{tutoring_class.get_absolute_url()}#timetable")
    return render(request, "tutoring/session_form.html", {"form": form, "c": tutoring_class, "session": None})


@check_required(permissions.can_use_tutoring)
def session_generate(request, pk):
    tutoring_class = _runnable(request, pk)
    weekly = tutoring_class.kind == TutoringClass.Kind.WEEKEND
    form = GenerateForm(
        request.POST or None,
        tutoring_class=tutoring_class,
        initial={
            "pattern": services.WEEKLY if weekly else services.WORKING_DAYS,
            "weekdays": [5] if weekly else [],
            "date": tutoring_class.starts_on,
            "end": tutoring_class.ends_on,
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            made = services.generate_sessions(
                by=request.user,
                tutoring_class=tutoring_class,
                pattern=data["pattern"],
                start=data["date"],
                end=data["end"],
                starts_at=data["starts_at"],
                ends_at=data["ends_at"],
                weekdays=data["weekdays"],
                topic=data["topic"],
                tutor=data["tutor"],
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("%(n)d sessions added to the timetable.") % {"n": len(made)})
            return redirect(f"{tutoring_class.get_absolute_url()}#timetable")
    return render(request, "tutoring/session_generate.html", {"form": form, "c": tutoring_class})


def _session_for(request, pk) -> Session:
    return get_object_or_404(
        Session.objects.select_related("tutoring_class__union", "tutor"),
        pk=pk,
        tutoring_class__in=TutoringClass.objects.visible_to(request.user),
    )


@check_required(permissions.can_use_tutoring)
def session_edit(request, pk):
    session = _session_for(request, pk)
    tutoring_class = _runnable(request, session.tutoring_class_id)
    form = SessionForm(
        request.POST or None, tutoring_class=tutoring_class, initial=SessionForm.initial_for(session)
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.update_session(by=request.user, session=session, **form.cleaned_data)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("Session saved."))
            return redirect(f"{tutoring_class.get_absolute_url()}#timetable")
    return render(
        request, "tutoring/session_form.html", {"form": form, "c": tutoring_class, "session": session}
    )


@check_required(permissions.can_use_tutoring)
@require_POST
def session_delete(request, pk):
    session = _session_for(request, pk)
    tutoring_class = _runnable(request, session.tutoring_class_id)
    try:
        services.delete_session(by=request.user, session=session)
    except ValidationError as error:
        error_messages(request, error)
    else:
        messages.success(request, _("Session removed from the timetable."))
    return redirect(f"{tutoring_class.get_absolute_url()}#timetable")


# --- the children: the host chair's and aid staff's only ---------------------------------------------------


@login_required
def roster(request, pk):
    """The children of the class with their guardians and attendance rates; the waiting list in order."""
    tutoring_class = _children_class_for(request.user, pk)
    enrolments = list(
        Enrolment.objects.visible_to(request.user)
        .filter(tutoring_class=tutoring_class, status__in=Enrolment.LIVE)
        .select_related("member__union")
        .order_by("status", "position", "child_name", "pk")
    )
    rates = services.child_rates(tutoring_class)
    for enrolment in enrolments:
        enrolment.age = age_on(enrolment.child_birth_date, tutoring_class.starts_on)
        enrolment.present, enrolment.marked = rates.get(enrolment.pk, (0, 0))
        enrolment.rate = services.rate(enrolment.present, enrolment.marked)
        enrolment.masked_phone = mask_phone(enrolment.member.phone)
    confirmed = [e for e in enrolments if e.status == Enrolment.Status.CONFIRMED]
    waiting = [e for e in enrolments if e.status == Enrolment.Status.WAITING]
    return render(
        request,
        "tutoring/roster.html",
        {
            "c": tutoring_class,
            "confirmed": confirmed,
            "waiting": waiting,
            "can_change": tutoring_class.editable,
            "consent_text": services.CONSENT_TEXT,
        },
    )


@login_required
def roster_export(request, pk):
    tutoring_class = _children_class_for(request.user, pk)
    response = FileResponse(
        services.roster_xlsx(tutoring_class),
        as_attachment=True,
        filename=f"tutoring-{tutoring_class.pk}-children.xlsx",
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def enrol(request, pk):
    """The host enrols a member's child on the member's behalf (the guardian's written consent at hand)."""
    tutoring_class = _children_class_for(request.user, pk)
    form = EnrolForm(request.POST or None, on_behalf=True)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            enrolment = services.enrol(
                by=request.user,
                tutoring_class=tutoring_class,
                member=data["member"],
                child_name=data["child_name"],
                child_birth_date=data["child_birth_date"],
                consent=data["consent"],
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            level = messages.success if enrolment.status == Enrolment.Status.CONFIRMED else messages.warning
            level(request, services.enrolment_message(enrolment))
            return redirect("tutoring:roster", pk=tutoring_class.pk)
    return render(
        request,
        "tutoring/enrol.html",
        {"form": form, "c": tutoring_class, "consent_text": services.CONSENT_TEXT},
    )


@login_required
@require_POST
def enrolment_withdraw(request, pk):
    enrolment = get_object_or_404(
        Enrolment.objects.visible_to(request.user).select_related("tutoring_class__union", "member"), pk=pk
    )
    if not permissions.can_see_children(request.user, enrolment.tutoring_class):
        raise Http404
    try:
        promoted = services.withdraw(by=request.user, enrolment=enrolment)
    except ValidationError as error:
        error_messages(request, error)
    else:
        messages.success(request, _("%(name)s is withdrawn.") % {"name": enrolment.child_name})
        for moved in promoted:
            messages.info(request, _("%(name)s moved up from the waiting list.") % {"name": moved.child_name})
    return redirect("tutoring:roster", pk=enrolment.tutoring_class_id)


@login_required
def attendance(request, pk):
    """One session's register, made for a phone: every child with a place, present or absent, one post."""
    session = get_object_or_404(Session.objects.select_related("tutoring_class__union", "tutor"), pk=pk)
    tutoring_class = _children_class_for(request.user, session.tutoring_class_id)
    today = timezone.localdate()
    enrolments = list(
        Enrolment.objects.visible_to(request.user)
        .filter(tutoring_class=tutoring_class, status=Enrolment.Status.CONFIRMED)
        .prefetch_related(
            Prefetch("attendance", queryset=Attendance.objects.filter(session=session), to_attr="marks")
        )
        .order_by("child_name", "pk")
    )
    if request.method == "POST":
        present = attendance_ids(request, {e.pk for e in enrolments})
        if present is None:
            messages.error(request, _("Only children with a place in this class are marked."))
            return redirect("tutoring:attendance", pk=session.pk)
        try:
            counts = services.take_attendance(by=request.user, session=session, present=present, today=today)
        except ValidationError as error:
            error_messages(request, error)
            return redirect("tutoring:attendance", pk=session.pk)
        messages.success(request, _("Attendance saved: %(present)d present, %(absent)d absent.") % counts)
        return redirect("tutoring:attendance", pk=session.pk)
    for enrolment in enrolments:
        mark = enrolment.marks[0] if enrolment.marks else None
        # Not yet marked: ticked by default, since most children come.
        enrolment.is_present = mark.present if mark else True
        enrolment.was_marked = mark is not None
    siblings = list(tutoring_class.sessions.order_by("date", "starts_at", "pk").values_list("pk", "date"))
    index = next((i for i, (spk, _day) in enumerate(siblings) if spk == session.pk), 0)
    return render(
        request,
        "tutoring/attendance.html",
        {
            "c": tutoring_class,
            "session": session,
            "enrolments": enrolments,
            "future": session.date > today,
            "running": tutoring_class.status in TutoringClass.RUNNING,
            "previous": siblings[index - 1][0] if index > 0 else None,
            "next": siblings[index + 1][0] if index + 1 < len(siblings) else None,
        },
    )


# --- figures -----------------------------------------------------------------------------------------------


@check_required(permissions.can_see_figures)
def figures(request):
    """The year's counts (never a child), and the same for the years before."""
    today = timezone.localdate()
    year = year_param(request, "year", default=today.year)
    first = TutoringClass.objects.order_by("starts_on").values_list("starts_on__year", flat=True).first()
    years = list(range(today.year, (first or today.year) - 1, -1))
    if year not in years:
        years = sorted({*years, year}, reverse=True)
    rows = [services.year_figures(y) for y in years[:6]]
    by_union = (
        TutoringClass.objects.in_year(year)
        .running()
        .values("union__code", "union__name", "enterprise__name")
        .annotate(
            n=Count("pk", distinct=True),
            children=Count(
                "enrolments", filter=Q(enrolments__status=Enrolment.Status.CONFIRMED), distinct=True
            ),
        )
        .order_by("union__code", "enterprise__name")
    )
    return render(
        request,
        "tutoring/figures.html",
        {
            "year": year,
            "current": services.year_figures(year),
            "rows": rows,
            "by_union": by_union,
            "years": years,
        },
    )
