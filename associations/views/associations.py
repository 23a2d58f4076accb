"""The associations themselves: the list and each association's page, editing (staff; a chair their
own description and joining policy), members and their requests, the yearly plan, the federation's
compliance table (staff) and a member's own associations and sign-ups."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_POST

from members.models import Member
from unionhub.exports import neutralise, spooled, write_only_workbook
from unionhub.params import year_param
from unionhub.posted import error_messages, form_error_messages

from .. import permissions, services
from ..forms import MAX_PLAN_LINES, ChairAssociationForm, JoinOnBehalfForm, PlanFormSet, StaffAssociationForm
from ..models import Activity, Association, AssociationMember, PlannedActivity, SignUp
from ..rules import rules
from ..services import activities

# --- scope helpers ------------------------------------------------------------------------------------


def _visible(user):
    """Everyone logged in sees the active associations; their managers see dormant ones too."""
    return Association.objects.filter(
        Q(status=Association.Status.ACTIVE) | Q(pk__in=Association.objects.managed_by(user).values("pk"))
    )


def _get_managed(user, pk) -> Association:
    """An association the user runs (chair, vice-chair, staff); 404 for anybody else."""
    return get_object_or_404(Association.objects.managed_by(user), pk=pk)


def _member_of(user) -> Member | None:
    return Member.objects.filter(user=user).first() if user.is_authenticated else None


# --- pages --------------------------------------------------------------------------------------------


@login_required
def association_list(request):
    associations = (
        Association.objects.filter(status=Association.Status.ACTIVE)
        .select_related("chair")
        .annotate(members=Count("memberships", filter=Q(memberships__status=AssociationMember.Status.ACTIVE)))
        .order_by("name")
    )
    member = _member_of(request.user)
    mine = {}
    if member:
        mine = dict(AssociationMember.objects.filter(member=member).values_list("association_id", "status"))
    rows = [{"association": a, "status": mine.get(a.pk, "")} for a in associations]
    return render(
        request,
        "associations/association_list.html",
        {"rows": rows, "member": member, "can_create": permissions.can_create_association(request.user)},
    )


@login_required
def association_detail(request, pk):
    association = get_object_or_404(_visible(request.user).select_related("chair"), pk=pk)
    user = request.user
    managing = permissions.can_manage(user, association)
    today = timezone.localdate()
    now = timezone.now()
    upcoming = list(
        Activity.objects.filter(
            association=association, status=Activity.Status.PLANNED, starts_at__gte=now
        ).order_by("starts_at")[:10]
    )
    recent = list(
        Activity.objects.filter(association=association, status=Activity.Status.HELD).order_by("-starts_at")[
            :5
        ]
    )
    plan = list(
        PlannedActivity.objects.filter(association=association, year=today.year).order_by("month", "pk")
    )
    member = _member_of(user)
    membership = (
        AssociationMember.objects.filter(association=association, member=member).first() if member else None
    )
    context = {
        "association": association,
        "vice_chairs": list(association.vice_chairs.all()),
        "member_count": association.memberships.filter(status=AssociationMember.Status.ACTIVE).count(),
        "upcoming": upcoming,
        "recent": recent,
        "plan": plan,
        "year": today.year,
        "minimum": rules().min_activities_per_year,
        "managing": managing,
        "member": member,
        "membership": membership,
        "can_edit": permissions.is_associations_staff(user) or association.chair_id == user.pk,
    }
    if managing:
        context["pending"] = list(
            association.memberships.filter(status=AssociationMember.Status.PENDING)
            .select_related("member__enterprise")
            .order_by("created_at")
        )
    return render(request, "associations/association_detail.html", context)


@login_required
def association_create(request):
    if not permissions.can_create_association(request.user):
        raise PermissionDenied
    return _edit(request, Association(), StaffAssociationForm)


@login_required
def association_edit(request, pk):
    association = _get_managed(request.user, pk)
    if permissions.is_associations_staff(request.user):
        form_class = StaffAssociationForm
    elif association.chair_id == request.user.pk:
        form_class = ChairAssociationForm
    else:
        raise PermissionDenied  # a vice-chair: sees the association, may not edit it
    return _edit(request, association, form_class)


def _edit(request, association, form_class):
    creating = association.pk is None
    form = form_class(request.POST or None, instance=association)
    if request.method == "POST" and form.is_valid():
        fields = {
            name: form.cleaned_data[name] for name in form.fields if name not in ("vice_chairs", "unions")
        }
        vice_chairs = form.cleaned_data.get("vice_chairs") if "vice_chairs" in form.fields else None
        unions = form.cleaned_data.get("unions") if "unions" in form.fields else None
        # The form wrote its values onto the instance while validating; reload so the audit sees the change.
        target = Association() if creating else Association.objects.get(pk=association.pk)
        try:
            saved = services.save_association(
                by=request.user, association=target, fields=fields, vice_chairs=vice_chairs, unions=unions
            )
        except ValidationError as error:
            form.add_error(None, error.messages)
        else:
            messages.success(request, _("Association saved."))
            return redirect(saved)
    return render(
        request,
        "associations/association_form.html",
        {"form": form, "association": None if creating else association},
    )


@login_required
def association_members(request, pk):
    association = _get_managed(request.user, pk)
    memberships = (
        association.memberships.exclude(status=AssociationMember.Status.REFUSED)
        .select_related("member__enterprise")
        .order_by("status", "member__name")
    )
    return render(
        request,
        "associations/association_members.html",
        {"association": association, "memberships": memberships, "form": JoinOnBehalfForm()},
    )


@login_required
@require_POST
def association_join(request, pk):
    association = get_object_or_404(_visible(request.user), pk=pk)
    user = request.user
    if "id_number" in request.POST:  # a manager enrols a member on their behalf
        if not permissions.can_manage(user, association):
            raise PermissionDenied
        back = redirect("associations:association_members", pk=association.pk)
        form = JoinOnBehalfForm(request.POST)
        if not form.is_valid():
            form_error_messages(request, form)
            return back
        try:
            services.enrol_on_behalf(
                by=user,
                association=association,
                name=form.cleaned_data["name"],
                id_number=form.cleaned_data["id_number"],
            )
        except ValidationError as error:
            error_messages(request, error)
        else:
            # Named as typed: the page says nothing the manager did not already know.
            messages.success(
                request,
                _("%(member)s is now a member of %(association)s.")
                % {"member": form.cleaned_data["name"].strip(), "association": association.name},
            )
        return back
    member, back = _member_of(user), redirect(association)
    if member is None:
        messages.error(request, _("Your login is not linked to a union member record, so you cannot join."))
        return back
    try:
        membership = services.join(by=user, association=association, member=member)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        if membership.status == AssociationMember.Status.ACTIVE:
            messages.success(
                request,
                _("%(member)s is now a member of %(association)s.")
                % {"member": member.name, "association": association.name},
            )
        else:
            messages.success(
                request,
                _("Your request has been sent to the chair of %(association)s.")
                % {"association": association.name},
            )
    return back


@login_required
@require_POST
def membership_decide(request, pk):
    membership = get_object_or_404(
        AssociationMember.objects.filter(association__in=Association.objects.managed_by(request.user)), pk=pk
    )
    admit = request.POST.get("admit") == "1"
    try:
        services.decide_membership(by=request.user, membership=membership, admit=admit)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            (_("%(member)s admitted.") if admit else _("%(member)s not admitted."))
            % {"member": membership.member.name},
        )
    return redirect(
        request.POST.get("next") == "members"
        and "associations:association_members"
        or "associations:association_detail",
        pk=membership.association_id,
    )


@login_required
@require_POST
def membership_leave(request, pk):
    user = request.user
    scope = AssociationMember.objects.filter(
        Q(member__user=user) | Q(association__in=Association.objects.managed_by(user))
    )
    membership = get_object_or_404(scope.select_related("member", "association"), pk=pk)
    try:
        services.leave(by=user, membership=membership)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("%(member)s has left %(association)s.")
            % {"member": membership.member.name, "association": membership.association.name},
        )
    if request.POST.get("next") == "mine":
        return redirect("associations:my_associations")
    if request.POST.get("next") == "members":
        return redirect("associations:association_members", pk=membership.association_id)
    return redirect(membership.association)


@login_required
def plan_edit(request, pk, year):
    association = _get_managed(request.user, pk)
    today = timezone.localdate()
    if not 2000 <= year <= today.year + 1:
        raise Http404
    minimum = rules().min_activities_per_year
    existing = PlannedActivity.objects.filter(association=association, year=year).order_by("month", "pk")
    initial = [{"month": line.month, "title": line.title, "kind": line.kind} for line in existing]
    if request.method == "POST":
        formset = PlanFormSet(request.POST, initial=initial)
        if formset.is_valid():
            lines = [
                (f.cleaned_data["month"], f.cleaned_data["title"], f.cleaned_data["kind"])
                for f in formset.forms
                if f.cleaned_data.get("title", "").strip()
            ]
            try:
                result = services.save_plan(by=request.user, association=association, year=year, lines=lines)
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
            else:
                if result.below_minimum:
                    messages.warning(
                        request,
                        _(
                            "Plan saved with %(lines)d activities: at least %(minimum)d are needed, "
                            "%(missing)d more to plan."
                        )
                        % {"lines": result.lines, "minimum": result.minimum, "missing": result.missing},
                    )
                else:
                    messages.success(
                        request, _("Plan saved with %(lines)d activities.") % {"lines": result.lines}
                    )
                return redirect(association)
    else:
        blanks = [{}] * max(0, max(minimum + 2, len(initial) + 2) - len(initial))
        formset = PlanFormSet(initial=(initial + blanks)[:MAX_PLAN_LINES])
    return render(
        request,
        "associations/plan_edit.html",
        {
            "association": association,
            "year": year,
            "formset": formset,
            "minimum": minimum,
            "max_lines": MAX_PLAN_LINES,
            "years": [today.year - 1, today.year, today.year + 1],
        },
    )


def _year(request) -> int:
    today = timezone.localdate()
    return year_param(request, default=today.year, min_value=2000, max_value=today.year + 1)


@login_required
def compliance(request):
    if not request.user.is_federation_staff:
        raise PermissionDenied
    year = _year(request)
    today = timezone.localdate()
    rows = services.compliance(year, today=today)
    if request.GET.get("format") == "xlsx":
        return _compliance_xlsx(rows, year)
    past = year < today.year
    for row in rows:
        row.labels = list(zip(row.flags, _flag_labels(row, past), strict=True))
    totals = {
        name: sum(getattr(row, name) for row in rows)
        for name in ("planned", "held", "cancelled", "attendance")
    }
    return render(
        request,
        "associations/compliance.html",
        {
            "rows": rows,
            "year": year,
            "today": today,
            "totals": totals,
            "minimum": rules().min_activities_per_year,
            "past": past,
            "years": list(range(today.year, today.year - 6, -1)),
            "behind": sum(1 for row in rows if not row.ok),
            "awaiting": list(activities.awaiting_confirmation()),
            "can_confirm": permissions.can_confirm_activities(request.user),
        },
    )


def _flag_labels(row, past: bool = False) -> list[str]:
    labels = {
        "BELOW-MINIMUM": _("Plan below the minimum"),
        "BEHIND": _("Behind"),
        "WILL-MISS": _("Missed the minimum") if past else _("Will miss the minimum"),
        "OK": _("On track"),
    }
    return [labels[token] for token in row.flags]


def _compliance_xlsx(rows, year: int) -> FileResponse:
    workbook = write_only_workbook()
    sheet = workbook.create_sheet(_("Compliance"))
    sheet.append([_("Association activities, %(year)d") % {"year": year}])
    sheet.append(
        [
            _("Association"),
            pgettext("association", "Chair"),
            _("Planned"),
            _("Held"),
            _("Cancelled"),
            pgettext("association", "Attendance"),
            _("Expected by now"),
            _("Still ahead"),
            _("Flags"),
        ]
    )
    for row in rows:
        sheet.append(
            [
                neutralise(row.association.name),
                neutralise(str(row.association.chair or "")),
                row.planned,
                row.held,
                row.cancelled,
                row.attendance,
                row.expected,
                row.ahead,
                "; ".join(_flag_labels(row, year < timezone.localdate().year)),
            ]
        )
    buffer = spooled(workbook)
    return FileResponse(
        buffer,
        as_attachment=True,
        filename=f"association-compliance-{year}.xlsx",
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


@login_required
def my_associations(request):
    member = _member_of(request.user)
    if member is None:
        return render(request, "associations/my_associations.html", {"member": None})
    memberships = (
        AssociationMember.objects.filter(member=member)
        .exclude(status=AssociationMember.Status.REFUSED)
        .select_related("association__chair")
        .order_by("association__name")
    )
    signups = (
        SignUp.objects.filter(member=member)
        .select_related("activity__association")
        .order_by("-activity__starts_at", "pk")
    )
    now = timezone.now()
    return render(
        request,
        "associations/my_associations.html",
        {
            "member": member,
            "memberships": memberships,
            "upcoming": [
                s for s in signups if s.activity.starts_at >= now and s.status != SignUp.Status.CANCELLED
            ],
            "past": [s for s in signups if s.activity.starts_at < now or s.status == SignUp.Status.CANCELLED][
                :50
            ],
        },
    )
