"""Activity pages: the list of upcoming activities, planning one, its page with sign-up (a member for
themself; the chair, vice-chairs and staff for anybody), the phone check-in list, attendance, the
closing report with photos, and cancellation. Participants' names are shown to those who manage the
activity only; other members see counts."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from unionhub.params import parse_id
from unionhub.posted import error_messages, form_error_messages

from .. import permissions
from ..forms import ActivityForm, CancelForm, ReportForm, SignUpForm
from ..models import Activity, Association, SignUp
from ..services import activities as svc

# --- helpers -----------------------------------------------------------------------------------


def _managed(user, pk) -> Activity:
    """An activity the user manages (organiser, chair, vice-chair, staff); 404 for anybody else."""
    return get_object_or_404(
        Activity.objects.managed_by(user).select_related("association", "organiser"), pk=pk
    )


def _counts(activity: Activity) -> dict:
    counts = activity.signups.aggregate(
        confirmed=Count("pk", filter=Q(status=SignUp.Status.CONFIRMED)),
        waiting=Count("pk", filter=Q(status=SignUp.Status.WAITING)),
    )
    counts["left"] = max(activity.capacity - counts["confirmed"], 0)
    return counts


def _open_for_signup(activity: Activity) -> bool:
    return activity.status == Activity.Status.PLANNED and timezone.now() <= activity.signup_deadline


# --- pages -------------------------------------------------------------------------------------


@login_required
def activity_list(request):
    user = request.user
    confirmed = Count("signups", filter=Q(signups__status=SignUp.Status.CONFIRMED))
    upcoming = (
        svc.upcoming_for(user)
        .select_related("association")
        .annotate(confirmed=confirmed)
        .order_by("starts_at", "pk")
    )
    # Activities over but not yet reported on, for those who run them.
    to_close = (
        Activity.objects.managed_by(user)
        .filter(status=Activity.Status.PLANNED, ends_at__lt=timezone.now())
        .select_related("association")
        .annotate(confirmed=confirmed)
        .order_by("starts_at", "pk")
    )
    return render(
        request,
        "associations/activity_list.html",
        {
            "upcoming": upcoming,
            "to_close": to_close,
            "associations": Association.objects.managed_by(user).order_by("name"),
        },
    )


@login_required
def activity_create(request):
    user = request.user
    managed = Association.objects.managed_by(user)
    if not managed.exists():
        raise PermissionDenied
    pk = request.GET.get("association") or request.POST.get("association")
    if pk is None:
        if managed.count() == 1:
            return redirect(f"{request.path}?association={managed.get().pk}")
        return render(
            request, "associations/activity_choose.html", {"associations": managed.order_by("name")}
        )
    if (pk := parse_id(pk)) is None:
        raise PermissionDenied
    association = get_object_or_404(managed, pk=pk)
    form = ActivityForm(request.POST or None, association=association)
    if request.method == "POST" and form.is_valid():
        try:
            activity = svc.create_activity(by=user, association=association, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The activity is planned and open for sign-up."))
            return redirect(activity)
    return render(request, "associations/activity_form.html", {"form": form, "association": association})


@login_required
def activity_edit(request, pk):
    activity = _managed(request.user, pk)
    if not permissions.manages_association(request.user, activity.association):
        raise PermissionDenied  # an organiser runs the day but does not change the plan
    if activity.status != Activity.Status.PLANNED:
        messages.error(request, _("Only an activity still open for sign-up can be changed."))
        return redirect(activity)
    form = ActivityForm(request.POST or None, association=activity.association, instance=activity)
    if request.method == "POST" and form.is_valid():
        try:
            activity = svc.update_activity(by=request.user, activity=activity, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Saved."))
            return redirect(activity)
    return render(
        request,
        "associations/activity_form.html",
        {"form": form, "association": activity.association, "activity": activity},
    )


@login_required
def activity_detail(request, pk, signup_form=None):
    user = request.user
    activity = get_object_or_404(
        svc.visible_activities(user).select_related("association", "organiser", "planned"), pk=pk
    )
    managing = permissions.manages_activity(user, activity)
    member = svc.member_of(user)
    context = {
        "activity": activity,
        "counts": _counts(activity),
        "managing": managing,
        "member": member,
        "open": _open_for_signup(activity),
        "photos": activity.photos.all(),
        "can_plan": permissions.manages_association(user, activity.association),
        "started": timezone.now() >= activity.starts_at,
        "can_confirm": activity.needs_confirmation and permissions.can_confirm_activities(user),
    }
    if member is not None:
        context["mine"] = list(activity.signups.filter(member=member, status__in=svc.LIVE).order_by("pk"))
        for signup in context["mine"]:
            signup.rank = svc.waiting_rank(signup)
        if context["open"]:
            context["signup_form"] = signup_form or SignUpForm(activity=activity, on_behalf=False)
    if managing:
        signups = (
            activity.signups.exclude(status=SignUp.Status.CANCELLED)
            .select_related("member__union")
            .order_by("position", "signed_up_at", "pk")
        )
        context["participants"] = [s for s in signups if s.status == SignUp.Status.CONFIRMED]
        context["waiting"] = [s for s in signups if s.status == SignUp.Status.WAITING]
        if context["open"] and context["can_plan"]:
            context["behalf_form"] = SignUpForm(activity=activity, on_behalf=True, prefix="behalf")
    return render(request, "associations/activity_detail.html", context)


@login_required
@require_POST
def signup_create(request, pk):
    user = request.user
    activity = get_object_or_404(svc.visible_activities(user), pk=pk)
    on_behalf = request.POST.get("behalf") == "1"
    form = SignUpForm(
        request.POST, activity=activity, on_behalf=on_behalf, prefix="behalf" if on_behalf else None
    )
    if not form.is_valid():
        form_error_messages(request, form)
        return redirect(activity)
    member = form.cleaned_data.get("member") if on_behalf else svc.member_of(user)
    if member is None:
        raise PermissionDenied
    try:
        signup = svc.sign_up(
            by=user,
            activity=activity,
            member=member,
            child_name=form.cleaned_data.get("child_name", ""),
            child_birth_date=form.cleaned_data.get("child_birth_date"),
            consent=form.cleaned_data.get("consent", False),
        )
    except ValidationError as error:
        error_messages(request, error)
    else:
        level = messages.success if signup.status == SignUp.Status.CONFIRMED else messages.warning
        level(request, svc.signup_message(signup))
    return redirect(activity)


@login_required
@require_POST
def signup_cancel(request, pk):
    user = request.user
    signup = get_object_or_404(
        SignUp.objects.filter(
            Q(member__user=user) | Q(activity__in=Activity.objects.managed_by(user))
        ).select_related("activity", "member"),
        pk=pk,
    )
    try:
        promoted = svc.cancel(by=user, signup=signup)
    except ValidationError as error:
        error_messages(request, error)
    else:
        messages.success(request, _("The sign-up is cancelled."))
        if promoted is not None and permissions.manages_activity(user, signup.activity):
            messages.info(
                request,
                _("%(name)s moved up from the waiting list.")
                % {"name": promoted.child_name or promoted.member.name},
            )
    return redirect(signup.activity)


@login_required
def checkin(request, pk):
    activity = _managed(request.user, pk)
    signups = (
        activity.signups.filter(status=SignUp.Status.CONFIRMED)
        .select_related("member")
        .order_by("checked_in_at", "member__name", "child_name", "pk")
    )
    signups = sorted(signups, key=lambda s: (s.checked_in_at is not None, s.child_name or s.member.name))
    first, last = svc.activity_days(activity)
    return render(
        request,
        "associations/checkin.html",
        {
            "activity": activity,
            "signups": signups,
            "present": sum(s.checked_in_at is not None for s in signups),
            "today_open": first <= timezone.localdate() <= last
            and activity.status == Activity.Status.PLANNED,
        },
    )


@login_required
@require_POST
def signup_checkin(request, pk):
    user = request.user
    signup = get_object_or_404(
        SignUp.objects.filter(activity__in=Activity.objects.managed_by(user)).select_related(
            "activity", "member"
        ),
        pk=pk,
    )
    error = None
    try:
        signup = svc.check_in(by=user, signup=signup)
    except ValidationError as refused:
        error = " ".join(refused.messages)
    if request.htmx:
        return render(
            request, "associations/_checkin_row.html", {"signup": signup, "error": error, "today_open": True}
        )
    if error:
        messages.error(request, error)
    return redirect("associations:checkin", pk=signup.activity_id)


@login_required
@require_POST
def activity_attendance(request, pk):
    activity = _managed(request.user, pk)
    ids = [pk for raw in request.POST.getlist("attended") if (pk := parse_id(raw)) is not None]
    try:
        count = svc.record_attendance(by=request.user, activity=activity, attended_ids=ids)
    except ValidationError as error:
        error_messages(request, error)
    else:
        messages.success(request, _("Attendance recorded: %(count)d present.") % {"count": count})
    return redirect(activity)


@login_required
def activity_close(request, pk):
    activity = _managed(request.user, pk)
    form = ReportForm(request.POST or None)
    photo_errors = []
    if request.method == "POST" and form.is_valid():
        try:
            svc.close_activity(
                by=request.user,
                activity=activity,
                report=form.cleaned_data["report"],
                photos=request.FILES.getlist("photos"),
            )
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                photo_errors = error.message_dict.get("photos", [])
                for message in error.message_dict.get("report", []):
                    form.add_error("report", message)
            else:
                form.add_error(None, error)
        else:
            messages.success(request, _("The activity is recorded as held."))
            return redirect(activity)
    return render(
        request,
        "associations/activity_close.html",
        {"activity": activity, "form": form, "photo_errors": photo_errors},
    )


@login_required
def activity_cancel(request, pk):
    activity = _managed(request.user, pk)
    form = CancelForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            svc.cancel_activity(by=request.user, activity=activity, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            if hasattr(error, "error_dict") and "reason" in error.error_dict:
                form.add_error("reason", error.message_dict["reason"])
            else:
                form.add_error(None, error)
        else:
            messages.success(request, _("The activity is cancelled; those signed up have been notified."))
            return redirect(activity)
    return render(request, "associations/activity_cancel.html", {"activity": activity, "form": form})


@login_required
@require_POST
def activity_confirm(request, pk):
    """Staff confirm that a past-dated activity took place (from its page or the compliance page)."""
    activity = get_object_or_404(svc.visible_activities(request.user), pk=pk)
    if not permissions.can_confirm_activities(request.user):
        raise PermissionDenied
    try:
        svc.confirm_activity(by=request.user, activity=activity)
    except ValidationError as error:
        error_messages(request, error)
    else:
        messages.success(
            request,
            _("Confirmed: %(title)s counts towards its association's year.") % {"title": activity.title},
        )
    if request.POST.get("back") == "compliance":
        return redirect("associations:compliance")
    return redirect(activity)
