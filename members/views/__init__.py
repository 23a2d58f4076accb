from auditlog.models import LogEntry
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.http import FileResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from unionhub.access import check_required
from unionhub.masking import mask_id_number
from unionhub.paging import page_of
from unionhub.posted import (  # add_errors also for areas.py and unionhub/views_rules.py, until re-pointed
    add_errors,
    error_messages,
)

from .. import permissions, services
from ..exports import roster_csv, roster_xlsx
from ..forms import (
    EnterpriseFilter,
    EnterpriseForm,
    IdCorrectionForm,
    MemberFilter,
    MemberForm,
    MembershipChangeForm,
    UnionFilter,
    UnionForm,
)
from ..models import DuesLine, DuesUpload, Enterprise, GrassrootsUnion, Member
from ..services import member_signin
from ..services import transfers as member_transfers


def _page_by_key(request, queryset):
    """Paginate on primary keys, then load the page's rows: a deep page's OFFSET then walks the
    (union, name, id) index alone instead of joining union and enterprise for every skipped row."""
    page = page_of(request, queryset.values_list("pk", flat=True))
    pks = list(page.object_list)
    rows = queryset.in_bulk(pks)
    page.object_list = [rows[pk] for pk in pks]
    return page


def _get_member_for_user(user, pk) -> Member:
    return get_object_or_404(Member.objects.visible_to(user).select_related("union", "enterprise"), pk=pk)


# The registry's door, also used by members/views/dues.py and unionhub/views_reports.py.
registry_access_required = check_required(permissions.can_use_registry)


def _attach_counts(objects, queryset, key: str, attr: str):
    """Set ``attr`` on each object of a page from one grouped query (no join explosion, no N+1)."""
    counts = dict(
        queryset.filter(**{f"{key}__in": [o.pk for o in objects]})
        .values_list(key)
        .annotate(n=Count("pk"))
        .values_list(key, "n")
        .order_by()
    )
    for obj in objects:
        setattr(obj, attr, counts.get(obj.pk, 0))


@registry_access_required
def union_list(request):
    unions = GrassrootsUnion.objects.visible_to(request.user).select_related("chair", "area").order_by("code")
    filterset = UnionFilter(request.GET, queryset=unions, user=request.user)
    page = page_of(request, filterset.qs)
    _attach_counts(page.object_list, Member.objects.active(), "union_id", "member_count")
    _attach_counts(page.object_list, Enterprise.objects.all(), "union_id", "enterprise_count")
    return render(
        request,
        "members/union_list.html",
        {
            "filter": filterset,
            "page": page,
            "can_add": request.user.has_perm("members.add_grassrootsunion"),
            "can_see_areas": request.user.is_federation_staff,
            "can_import": permissions.can_import_registry(request.user),
        },
    )


@registry_access_required
def union_detail(request, pk):
    union = get_object_or_404(GrassrootsUnion.objects.visible_to(request.user).select_related("chair"), pk=pk)
    enterprises = union.enterprises.annotate(
        member_count=Count("members", filter=Q(members__status__in=Member.ACTIVE_STATUSES))
    )
    stats = union.members.aggregate(
        active=Count("pk", filter=Q(status__in=Member.ACTIVE_STATUSES)),
        women=Count("pk", filter=Q(status__in=Member.ACTIVE_STATUSES, sex=Member.Sex.FEMALE)),
        migrants=Count("pk", filter=Q(status__in=Member.ACTIVE_STATUSES, is_migrant_worker=True)),
    )
    return render(
        request,
        "members/union_detail.html",
        {
            "union": union,
            "enterprises": enterprises,
            "stats": stats,
            "can_edit": request.user.has_perm("members.change_grassrootsunion"),
            "can_hand_over": permissions.can_hand_over_union(request.user, union),
            "chair_changes": union.chair_changes.select_related("outgoing", "incoming", "by"),
            "history": _history(request.user, union),
        },
    )


# What the shared create/edit page needs for each kind of registry record.
REGISTRY_FORMS = {
    "union": (GrassrootsUnion, UnionForm, "members:union_list", "grassrootsunion"),
    "enterprise": (Enterprise, EnterpriseForm, "members:enterprise_list", "enterprise"),
}


@registry_access_required
def registry_form(request, kind, pk=None):
    """Create (no ``pk``) or edit a union or an enterprise: 404 outside the user's scope, 403
    without the organisation duty's add/change permission."""
    model, form_class, list_url, codename = REGISTRY_FORMS[kind]
    instance = get_object_or_404(model.objects.visible_to(request.user), pk=pk) if pk else None
    if not request.user.has_perm(f"members.{'change' if pk else 'add'}_{codename}"):
        raise PermissionDenied
    form = form_class(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        obj = services.save_registry_record(by=request.user, form=form)
        messages.success(request, _("Saved."))
        return redirect(obj)
    return render(
        request,
        "members/registry_form.html",
        {
            "form": form,
            "object": instance,
            "list_url": list_url,
            "kind_label": model._meta.verbose_name,
            "list_label": model._meta.verbose_name_plural,
        },
    )


@registry_access_required
def enterprise_list(request):
    enterprises = Enterprise.objects.visible_to(request.user).select_related("union").order_by("name", "pk")
    filterset = EnterpriseFilter(request.GET, queryset=enterprises, user=request.user)
    page = page_of(request, filterset.qs)
    _attach_counts(page.object_list, Member.objects.active(), "enterprise_id", "member_count")
    return render(
        request,
        "members/enterprise_list.html",
        {"filter": filterset, "page": page, "can_add": request.user.has_perm("members.add_enterprise")},
    )


@registry_access_required
def enterprise_detail(request, pk):
    enterprise = get_object_or_404(Enterprise.objects.visible_to(request.user).select_related("union"), pk=pk)
    member_count = enterprise.members.active().count()
    return render(
        request,
        "members/enterprise_detail.html",
        {
            "enterprise": enterprise,
            "member_count": member_count,
            "can_edit": request.user.has_perm("members.change_enterprise"),
            "history": _history(request.user, enterprise),
        },
    )


def _member_filter(request):
    members = Member.objects.visible_to(request.user).select_related("union", "enterprise")
    return MemberFilter(request.GET, queryset=members, user=request.user)


def _log_id_number_search(request, filterset, found):
    """After a search by a whole ID number, audit who searched and whom it found (PIPL)."""
    if filterset.searched_id_number:
        services.log_id_number_search(
            by=request.user,
            number=filterset.searched_id_number,
            found=list(found),
            remote_addr=request.META.get("REMOTE_ADDR"),
        )


@registry_access_required
def member_list(request):
    filterset = _member_filter(request)
    valid = filterset.is_valid()
    selected = request.GET.get("union", "")
    page = _page_by_key(request, filterset.qs if valid else Member.objects.none())
    _log_id_number_search(request, filterset, page.object_list)
    context = {
        "filter": filterset,
        "page": page,
        # A whole ID number is not echoed back into the search box (nor shown anywhere whole).
        "search_value": "" if filterset.searched_id_number else request.GET.get("q", ""),
        "searched_id_number": mask_id_number(filterset.searched_id_number),
        # The language switch returns here without the number (its "next" would carry it whole).
        "language_next": request.path if filterset.searched_id_number else "",
        # Built here, not by Django's select widget or a template loop: 186 options cost
        # ~17 ms through either, under a millisecond as (value, label, selected) tuples.
        "union_options": [
            (pk, f"{code} {name}", str(pk) == selected)
            for pk, code, name in GrassrootsUnion.objects.visible_to(request.user).values_list(
                "pk", "code", "name"
            )
        ],
        "current_enterprise": filterset.form.cleaned_data.get("enterprise") if valid else None,
        "status_choices": Member.Status.choices,
        "can_add": permissions.can_add_member(request.user),
    }
    template = "members/_member_table.html" if request.htmx else "members/member_list.html"
    return render(request, template, context)


@registry_access_required
def member_detail(request, pk):
    member = _get_member_for_user(request.user, pk)
    return render(
        request,
        "members/member_detail.html",
        {
            "member": member,
            "events": member.events.select_related("union", "recorded_by"),
            "transfer_links": member_transfers.links_for_member(request.user, member),
            "can_transfer": member.is_active_member and permissions.can_transfer_member(request.user, member),
            "can_edit": permissions.can_edit_member(request.user, member),
            "can_confirm_phone": member.is_active_member
            and member_signin.can_confirm_phone(request.user, member),
            "can_reveal": permissions.can_reveal_id_number(request.user, member),
            "status_form": MembershipChangeForm(initial={"on": timezone.localdate()}),
            "id_form": IdCorrectionForm() if permissions.can_correct_id_number(request.user) else None,
            "history": _history(request.user, member),
            "dues_lines": DuesLine.objects.filter(member=member, upload__status=DuesUpload.Status.COMMITTED)
            .select_related("upload__period")
            .order_by("-upload__period__start")[:12],
        },
    )


@registry_access_required
def member_create(request):
    if not permissions.can_add_member(request.user):
        raise PermissionDenied
    form = MemberForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            member = services.register_member(
                by=request.user,
                union=data["enterprise"].union,
                enterprise=data["enterprise"],
                name=data["name"],
                id_number=data["id_number"],
                phone=data["phone"],
                education=data["education"],
                political_status=data["political_status"],
                joined_on=data["joined_on"],
                is_migrant_worker=data["is_migrant_worker"],
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("Member %(name)s registered.") % {"name": member.name})
            return redirect(member)
    return render(request, "members/member_form.html", {"form": form})


@registry_access_required
def member_edit(request, pk):
    member = _get_member_for_user(request.user, pk)
    if not permissions.can_edit_member(request.user, member):
        raise PermissionDenied
    form = MemberForm(request.POST or None, instance=member, user=request.user)
    if request.method == "POST" and form.is_valid():
        changes = {f: form.cleaned_data[f] for f in form.changed_data if f in services.EDITABLE_FIELDS}
        try:
            if changes:
                services.update_member(by=request.user, member=member, **changes)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("Changes saved."))
            return redirect(member)
    return render(request, "members/member_form.html", {"form": form, "member": member})


@registry_access_required
@require_POST
def member_change_status(request, pk):
    member = _get_member_for_user(request.user, pk)
    if not permissions.can_edit_member(request.user, member):
        raise PermissionDenied
    form = MembershipChangeForm(request.POST)
    if form.is_valid():
        try:
            services.change_membership_status(by=request.user, member=member, **form.cleaned_data)
        except ValidationError as error:
            error_messages(request, error)
        else:
            messages.success(request, _("Membership change recorded."))
    else:
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, message)
    return redirect(member)


@registry_access_required
@require_POST
def member_correct_id(request, pk):
    member = _get_member_for_user(request.user, pk)
    if not permissions.can_correct_id_number(request.user):
        raise PermissionDenied
    form = IdCorrectionForm(request.POST)
    if form.is_valid():
        try:
            services.correct_id_number(
                by=request.user, member=member, id_number=form.cleaned_data["id_number"]
            )
        except ValidationError as error:
            form.add_error("id_number", error)
    if form.errors:
        for message in form.errors["id_number"]:
            messages.error(request, _("Resident ID number") + "：" + message)
    else:
        messages.success(request, _("ID number corrected."))
    return redirect(member)


@registry_access_required
@require_POST
def member_reveal_id(request, pk):
    member = _get_member_for_user(request.user, pk)
    if not permissions.can_reveal_id_number(request.user, member):
        raise PermissionDenied
    number = services.reveal_id_number(
        by=request.user, member=member, remote_addr=request.META.get("REMOTE_ADDR")
    )
    response = render(request, "members/_revealed_id.html", {"number": number, "member": member})
    response["Cache-Control"] = "no-store"
    return response


@registry_access_required
def member_export(request, fmt):
    filterset = _member_filter(request)
    valid = filterset.is_valid()
    members = filterset.qs if valid else Member.objects.none()  # runs the filters: sets searched_id_number
    _log_id_number_search(request, filterset, members[:100])
    members = members.iterator(chunk_size=2000)
    stamp = timezone.localdate().strftime("%Y%m%d")
    if fmt == "csv":
        response = StreamingHttpResponse(roster_csv(members), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="members-{stamp}.csv"'
        return response
    return FileResponse(
        roster_xlsx(members),
        as_attachment=True,
        filename=f"members-{stamp}.xlsx",
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


def _history(user, obj):
    """The audit trail of an object, for federation staff only."""
    if not user.is_federation_staff:
        return None
    return LogEntry.objects.get_for_object(obj).select_related("actor")[:20]
