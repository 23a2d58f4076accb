"""Honours (评先评优): the rounds (staff open them, chairs nominate while they are open), the
nominations (staff review, score and find ineligible), the committee's decision, the public
notice of the winners, the honours list with its export, the certificates and their public
verification page.

Who sees what: federation staff with the organisation duty see and do everything; a union chair
sees the rounds and their own union's nominations and honours (another union's is a 404); anybody
else is refused (403). The public notice and the verification page need no login and show the
names, unions and awards only.

Teams (班组): staff and chairs keep them (a chair their own union's); the 十百千 programme page is for
staff and chairs; the federation's own awards are kept by staff with the organisation duty, and shown with
the district's higher team honours on the public honours page (/honours/public/, no login)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Case, Count, IntegerField, Prefetch, Q, Value, When
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from members.views import _history
from unionhub.access import check_required, duty_required, public_page, require
from unionhub.exports import neutralise, spooled, write_only_workbook
from unionhub.files import stored_response
from unionhub.masking import mask_name
from unionhub.paging import page_of
from unionhub.params import REASON_MAX, clean_text, year_param
from unionhub.posted import add_errors, error_messages, form_error_messages

from . import permissions, services
from .forms import (
    AwardTypeForm,
    CriterionFormSet,
    DecisionForm,
    FederationAwardForm,
    FederationDocumentForm,
    HonourFilter,
    NominationForm,
    NoticeForm,
    ReasonForm,
    RoundForm,
    ScoreForm,
    TeamForm,
)
from .models import (
    AwardRound,
    AwardType,
    FederationAward,
    FederationAwardDocument,
    FederationAwardLevel,
    Honour,
    HonourNomination,
    Series,
    Team,
)
from .stored_files import can_read_federation_document

Status = HonourNomination.Status
# The largest primary key the databases hold (as the core's file view).
MAX_PK = 2**63 - 1


# --- access ------------------------------------------------------------------------------------------


def _nomination_for(user, pk) -> HonourNomination:
    return get_object_or_404(
        HonourNomination.objects.visible_to(user).select_related(
            "round__award_type",
            "union__chair",
            "nominee_union",
            "nominee_enterprise__union",
            "nominee_member__union",
            "nominee_association",
            "nominee_team__enterprise__union",
            "submitted_by",
        ),
        pk=pk,
    )


# --- rounds ------------------------------------------------------------------------------------------


@check_required(permissions.can_use_honours)
def round_list(request):
    user = request.user
    today = timezone.localdate()
    open_now = Q(decided_on__isnull=True, opens_on__lte=today, closes_on__gte=today)
    rounds = (
        AwardRound.objects.select_related("award_type")
        .annotate(
            open_first=Case(When(open_now, then=Value(0)), default=Value(1), output_field=IntegerField()),
            used=Count("nominations", filter=~Q(nominations__status=Status.WITHDRAWN)),
            mine=Count(
                "nominations",
                filter=Q(nominations__union__chair=user) & ~Q(nominations__status=Status.WITHDRAWN),
            ),
        )
        .order_by("open_first", "-year", "award_type__name", "award_type__level")
    )
    year = year_param(request)
    if year is not None:
        rounds = rounds.filter(year=year)
    page = page_of(request, rounds)
    for award_round in page.object_list:
        award_round.phase = services.round_phase(award_round, today)
    return render(
        request,
        "honours/round_list.html",
        {
            "page": page,
            "year": year,
            "staff": user.is_federation_staff,
            "years": AwardRound.objects.order_by("-year").values_list("year", flat=True).distinct(),
            "can_add": user.is_federation_staff and user.has_perm("honours.add_awardround"),
        },
    )


def _round_form_page(request, award_round: AwardRound | None):
    if award_round is None:
        today = timezone.localdate()
        form = RoundForm(
            request.POST or None, initial={"year": today.year, "opens_on": today, "notice_working_days": 5}
        )
    else:
        form = RoundForm(
            request.POST or None,
            award_round=award_round,
            initial={
                "opens_on": award_round.opens_on,
                "closes_on": award_round.closes_on,
                "quota": award_round.quota,
                "per_union_limit": award_round.per_union_limit,
                "notice_working_days": award_round.notice_working_days,
            },
        )
    if request.method == "POST" and form.is_valid():
        try:
            if award_round is None:
                award_round = services.open_round(by=request.user, **form.cleaned_data)
                messages.success(request, _("Round %(round)s opened.") % {"round": award_round})
            else:
                award_round = services.update_round(
                    by=request.user, award_round=award_round, **form.cleaned_data
                )
                messages.success(request, _("Round %(round)s saved.") % {"round": award_round})
        except ValidationError as error:
            add_errors(form, error)
        else:
            return redirect(award_round)
    return render(request, "honours/round_form.html", {"form": form, "round": award_round})


@duty_required("honours.add_awardround")
def round_create(request):
    return _round_form_page(request, None)


@duty_required("honours.change_awardround")
def round_edit(request, pk):
    return _round_form_page(
        request, get_object_or_404(AwardRound.objects.select_related("award_type"), pk=pk)
    )


@check_required(permissions.can_use_honours)
def round_detail(request, pk):
    user = request.user
    award_round = get_object_or_404(AwardRound.objects.select_related("award_type", "created_by"), pk=pk)
    today = timezone.localdate()
    phase = services.round_phase(award_round, today)
    nominations = (
        HonourNomination.objects.visible_to(user)
        .filter(round=award_round)
        .select_related(
            "union",
            "nominee_member__union",
            "nominee_enterprise__union",
            "nominee_union",
            "nominee_team__enterprise__union",
        )
        .order_by("status", "-score", "pk")
    )
    staff = permissions.is_honours_staff(user)
    context = {
        "round": award_round,
        "phase": phase,
        "today": today,
        "staff": staff,
        "criteria": award_round.award_type.criteria_items.all(),
        "used": award_round.nominations.counting().count(),
        "nominations": nominations,
        "can_nominate": permissions.can_nominate(user, award_round) and phase == services.Phase.OPEN,
        "can_edit": user.is_federation_staff
        and user.has_perm("honours.change_awardround")
        and award_round.decided_on is None,
        "notice_visible": award_round.notice_starts_on is not None,
    }
    if staff:
        context.update(
            can_decide=phase == services.Phase.REVIEW,
            can_publish=phase == services.Phase.DECIDED and award_round.notice_starts_on is None,
            notice_form=NoticeForm(),
            can_issue=phase == services.Phase.FINAL
            and user.has_perm("honours.add_honour")
            and award_round.nominations.filter(status=Status.AWARDED, honour__isnull=True).exists(),
            honours=Honour.objects.filter(nomination__round=award_round)
            .select_related("nomination")
            .order_by("number"),
            history=_history(user, award_round),
        )
    return render(request, "honours/round_detail.html", context)


@duty_required("honours.change_awardround")
def round_decide(request, pk):
    award_round = get_object_or_404(AwardRound.objects.select_related("award_type"), pk=pk)
    form = DecisionForm(request.POST or None, award_round=award_round)
    if request.method == "POST" and form.is_valid():
        try:
            services.record_decision(
                round=award_round,
                by=request.user,
                winners=form.cleaned_data["winners"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(
                request, _("The committee's decision is recorded; publish the public notice next.")
            )
            return redirect(award_round)
    return render(request, "honours/decide_form.html", {"form": form, "round": award_round})


@duty_required("honours.change_awardround")
@require_POST
def round_publish(request, pk):
    award_round = get_object_or_404(AwardRound, pk=pk)
    form = NoticeForm(request.POST)
    if not form.is_valid():
        form_error_messages(request, form)
        return redirect(award_round)
    try:
        award_round = services.publish_notice(
            round=award_round, by=request.user, start=form.cleaned_data["start"]
        )
    except ValidationError as error:
        error_messages(request, error)
    else:
        messages.success(
            request,
            _("The winners are on public notice from %(start)s to %(end)s.")
            % {
                "start": award_round.notice_starts_on.isoformat(),
                "end": award_round.notice_ends_on.isoformat(),
            },
        )
    return redirect(award_round)


@duty_required("honours.add_honour")
@require_POST
def round_issue(request, pk):
    award_round = get_object_or_404(AwardRound, pk=pk)
    try:
        honours = services.issue_honours(round=award_round, by=request.user, render_certificates=True)
    except ValidationError as error:
        error_messages(request, error)
    else:
        messages.success(request, _("%(count)d honours issued.") % {"count": len(honours)})
    return redirect(award_round)


# --- nominations -------------------------------------------------------------------------------------


@login_required
def nomination_create(request, pk):
    user = request.user
    award_round = get_object_or_404(AwardRound.objects.select_related("award_type"), pk=pk)
    require(permissions.can_nominate(user, award_round))
    if request.method != "POST" and not award_round.is_open_on(timezone.localdate()):
        messages.error(
            request,
            _("Nominations for this round are taken from %(opens)s to %(closes)s.")
            % {"opens": award_round.opens_on.isoformat(), "closes": award_round.closes_on.isoformat()},
        )
        return redirect(award_round)
    form = NominationForm(request.POST or None, request.FILES or None, user=user, award_round=award_round)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            nomination = services.nominate(
                round=award_round,
                union=data["union"],
                nominee=data["nominee"],
                statement=data["statement"],
                evidence=data["evidence"],
                by=user,
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(
                request,
                _("%(name)s is nominated for %(award)s.")
                % {"name": nomination.nominee_name, "award": award_round},
            )
            return redirect(nomination)
    return render(
        request,
        "honours/nomination_form.html",
        {"form": form, "round": award_round, "criteria": award_round.award_type.criteria_items.all()},
    )


@login_required
def nomination_detail(request, pk):
    user = request.user
    nomination = _nomination_for(user, pk)
    staff = permissions.is_honours_staff(user)
    award_round = nomination.round
    today = timezone.localdate()
    reviewable = staff and award_round.decided_on is None and nomination.status in services.CANDIDATE_STATUSES
    return render(
        request,
        "honours/nomination_detail.html",
        {
            "nomination": nomination,
            "round": award_round,
            "staff": staff,
            "union": services.nominee_union(nomination),
            "evidence": nomination.evidence.all(),
            "scores": nomination.scores.select_related("criterion", "scored_by") if staff else None,
            "can_withdraw": permissions.can_withdraw(user, nomination, today),
            "can_score": reviewable and today > award_round.closes_on,
            "can_mark_ineligible": reviewable,
            "reason_form": ReasonForm(),
            "honour": Honour.objects.filter(nomination=nomination).first(),
            "history": _history(user, nomination),
        },
    )


@login_required
def nomination_evidence(request, pk, evidence_pk):
    nomination = _nomination_for(request.user, pk)
    evidence = get_object_or_404(nomination.evidence, pk=evidence_pk)
    return stored_response(evidence.upload, as_attachment=True)


@login_required
@require_POST
def nomination_withdraw(request, pk):
    nomination = _nomination_for(request.user, pk)
    require(permissions.can_withdraw(request.user, nomination))
    try:
        services.withdraw(nomination=nomination, by=request.user)
    except ValidationError as error:
        error_messages(request, error)
    else:
        messages.success(request, _("The nomination is withdrawn; its place in the quota is free again."))
    return redirect(nomination)


@login_required
def nomination_score(request, pk):
    nomination = _nomination_for(request.user, pk)
    require(permissions.is_honours_staff(request.user))
    criteria = nomination.round.award_type.criteria_items.all()
    given = dict(nomination.scores.values_list("criterion_id", "points"))
    form = ScoreForm(request.POST or None, criteria=criteria, initial_points=given)
    if request.method == "POST" and form.is_valid():
        try:
            services.score_nomination(nomination=nomination, by=request.user, points=form.points())
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("Scored: %(total)s points.") % {"total": nomination.score})
            return redirect(nomination)
    return render(
        request,
        "honours/score_form.html",
        {
            "form": form,
            "nomination": nomination,
            "round": nomination.round,
            "total": sum(c.max_points for c in form.criteria),
        },
    )


@login_required
@require_POST
def nomination_ineligible(request, pk):
    nomination = _nomination_for(request.user, pk)
    require(permissions.is_honours_staff(request.user))
    form = ReasonForm(request.POST)
    if not form.is_valid():
        form_error_messages(request, form)
        return redirect(nomination)
    try:
        services.mark_ineligible(nomination=nomination, by=request.user, reason=form.cleaned_data["reason"])
    except ValidationError as error:
        error_messages(request, error)
    else:
        messages.success(request, _("The nomination is marked ineligible."))
    return redirect(nomination)


# --- award types -------------------------------------------------------------------------------------


@duty_required("honours.view_awardtype")
def award_type_list(request):
    award_types = (
        AwardType.objects.annotate(rounds_count=Count("rounds", distinct=True))
        .prefetch_related("criteria_items")
        .order_by("-active", "name", "level")
    )
    return render(
        request,
        "honours/award_type_list.html",
        {
            "award_types": award_types,
            "can_add": request.user.has_perm("honours.add_awardtype"),
            "can_edit": request.user.has_perm("honours.change_awardtype"),
        },
    )


def _award_type_form_page(request, award_type: AwardType | None):
    post = request.POST if request.method == "POST" else None
    form = AwardTypeForm(post, instance=award_type)
    formset = CriterionFormSet(post, instance=award_type or AwardType(), prefix="criteria")
    if post is not None and all([form.is_valid(), formset.is_valid()]):
        items = [
            {
                "pk": f.instance.pk,
                "title": f.cleaned_data["title"],
                "max_points": f.cleaned_data["max_points"],
            }
            for f in formset.forms
            if f.cleaned_data and not f.cleaned_data.get("DELETE") and f.cleaned_data.get("title")
        ]
        data = form.cleaned_data
        try:
            award_type = services.save_award_type(
                by=request.user,
                award_type=award_type,
                name=data["name"],
                level=data["level"],
                nominee_kind=data["nominee_kind"],
                criteria=data["criteria"],
                active=data["active"],
                items=items,
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("Award %(award)s saved.") % {"award": award_type})
            return redirect("honours:award_type_list")
    return render(
        request, "honours/award_type_form.html", {"form": form, "formset": formset, "award_type": award_type}
    )


@duty_required("honours.add_awardtype")
def award_type_create(request):
    return _award_type_form_page(request, None)


@duty_required("honours.change_awardtype")
def award_type_edit(request, pk):
    return _award_type_form_page(request, get_object_or_404(AwardType, pk=pk))


# --- honours -----------------------------------------------------------------------------------------


def _filtered_honours(request):
    honours = services.with_nominee(Honour.objects.visible_to(request.user)).order_by(
        "-nomination__round__year",
        "-nomination__round__award_type__level",
        "nomination__round__award_type__name",
        "number",
    )
    filters = HonourFilter(request.GET)
    if filters.is_valid():
        honours = filters.filter(honours)
    return filters, honours


@check_required(permissions.can_use_honours)
def honour_list(request):
    filters, honours = _filtered_honours(request)
    page = page_of(request, honours)
    for honour in page.object_list:
        honour.union = services.nominee_union(honour.nomination)
    return render(
        request,
        "honours/honour_list.html",
        {
            "page": page,
            "filters": filters,
            "staff": request.user.is_federation_staff,
            "can_revoke": request.user.is_federation_staff and request.user.has_perm("honours.change_honour"),
            "query": request.GET.urlencode(),
        },
    )


def honour_rows(honours):
    yes = _("Yes")
    for honour in honours:
        nomination = honour.nomination
        award_type = nomination.round.award_type
        union = services.nominee_union(nomination)
        yield [
            neutralise(v)
            for v in (
                nomination.round.year,
                award_type.name,
                award_type.get_level_display(),
                award_type.get_nominee_kind_display(),
                nomination.nominee_name,
                union.code if union else "",
                union.name if union else "",
                honour.number,
                honour.issued_on.isoformat(),
                yes if honour.revoked else "",
            )
        ]


@check_required(permissions.can_use_honours)
def honour_export(request):
    _filters, honours = _filtered_honours(request)
    workbook = write_only_workbook()
    sheet = workbook.create_sheet(_("Honours"))
    sheet.append(
        [
            _("Year"),
            _("Award"),
            _("Level"),
            _("Nominee kind"),
            _("Honoured"),
            _("Union code"),
            _("Union"),
            _("Certificate number"),
            _("Awarded on"),
            _("Revoked"),
        ]
    )
    for row in honour_rows(honours.iterator(chunk_size=500)):
        sheet.append(row)
    spool = spooled(workbook)
    return FileResponse(
        spool,
        as_attachment=True,
        filename=f"honours-{timezone.localdate():%Y%m%d}.xlsx",
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


@public_page
def honour_notice(request, pk):
    """The public notice (公示) of a round's winners, like a notice board: no login, and nothing but
    the winners' names, their unions and the award. Federation staff see it from the moment it is
    published; everyone else from its first day."""
    award_round = get_object_or_404(
        AwardRound.objects.select_related("award_type"), pk=pk, notice_starts_on__isnull=False
    )
    today = timezone.localdate()
    if today < award_round.notice_starts_on and not getattr(request.user, "is_federation_staff", False):
        raise Http404
    winners = (
        award_round.nominations.filter(status=Status.AWARDED)
        .select_related(
            "union",
            "nominee_union",
            "nominee_enterprise__union",
            "nominee_member__union",
            "nominee_team__enterprise__union",
        )
        .order_by("nominee_name", "pk")
    )
    rows = [
        {
            "name": n.nominee_name,
            "enterprise": n.nominee_team.enterprise.name if n.nominee_team_id else "",
            "union": getattr(services.nominee_union(n), "name", ""),
        }
        for n in winners
    ]
    response = render(
        request,
        "honours/notice.html",
        {"round": award_round, "rows": rows, "phase": services.round_phase(award_round, today)},
    )
    response["X-Robots-Tag"] = "noindex"
    return response


@login_required
def honour_certificate(request, pk):
    """The certificate PDF, rendered on first download: for the staff, the nominating chair and the
    honoured member themselves."""
    user = request.user
    honours = Honour.objects.filter(
        Q(pk__in=Honour.objects.visible_to(user).values("pk")) | Q(nomination__nominee_member__user=user)
    )
    if not user.is_federation_staff:
        honours = honours.filter(revoked=False)
    honour = get_object_or_404(services.with_nominee(honours), pk=pk)
    services.ensure_honour_rendered(honour)
    return stored_response(honour.pdf, filename=f"{honour.number}.pdf")


@duty_required("honours.change_honour")
@require_POST
def honour_revoke(request, pk):
    honour = get_object_or_404(Honour.objects.select_related("nomination"), pk=pk)
    try:
        services.revoke_honour(
            by=request.user,
            honour=honour,
            reason=clean_text(request.POST.get("reason"), max_length=REASON_MAX),
        )
    except ValidationError as error:
        error_messages(request, error)
    else:
        messages.success(
            request,
            _("Honour %(number)s is revoked; its verification page says so.") % {"number": honour.number},
        )
    return redirect(honour.nomination.round)


@public_page
def honour_verify(request, token):
    """Public (the QR code's target): genuine, revoked or unknown, with no more than the certificate
    prints, and a person's name masked."""
    honour = services.with_nominee(Honour.objects.filter(token=token)).first()
    if honour is None:
        response = render(request, "honours/verify.html", {"honour": None}, status=404)
    else:
        nomination = honour.nomination
        award_type = nomination.round.award_type
        union = services.nominee_union(nomination)
        response = render(
            request,
            "honours/verify.html",
            {
                "honour": honour,
                "award_type": award_type,
                "year": nomination.round.year,
                "holder": mask_name(nomination.nominee_name)
                if award_type.nominates_people
                else nomination.nominee_name,
                "union": union.name if union else "",
                "enterprise": nomination.nominee_team.enterprise.name if nomination.nominee_team_id else "",
            },
        )
    response["X-Robots-Tag"] = "noindex"
    return response


# --- teams (班组) ------------------------------------------------------------------------------------


def _team_for(user, pk) -> Team:
    return get_object_or_404(
        Team.objects.visible_to(user).select_related("enterprise__union__chair", "leader", "created_by"),
        pk=pk,
    )


@check_required(permissions.can_use_teams)
def team_list(request):
    """Staff: every team; a chair: the teams of the enterprises their union covers."""
    teams = (
        Team.objects.visible_to(request.user)
        .select_related("enterprise__union", "leader")
        .annotate(
            size=Count("members", distinct=True),
            honours_count=Count(
                "honour_nominations__honour",
                filter=Q(honour_nominations__honour__revoked=False),
                distinct=True,
            ),
        )
        .order_by("enterprise__name", "name", "pk")
    )
    return render(request, "honours/team_list.html", {"page": page_of(request, teams), "can_add": True})


@check_required(permissions.can_use_teams)
def team_create(request):
    form = TeamForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            team = services.save_team(
                by=request.user, enterprise=form.cleaned_data["enterprise"], name=form.cleaned_data["name"]
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(
                request, _("Team %(team)s created; now choose its leader and members.") % {"team": team}
            )
            return redirect("honours:team_edit", pk=team.pk)
    return render(request, "honours/team_form.html", {"form": form, "team": None})


@check_required(permissions.can_use_teams)
def team_edit(request, pk):
    team = _team_for(request.user, pk)
    require(permissions.can_manage_team_of(request.user, team.enterprise))
    form = TeamForm(
        request.POST or None,
        user=request.user,
        team=team,
        initial={
            "name": team.name,
            "leader": team.leader_id,
            "members": list(team.members.values_list("pk", flat=True)),
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.save_team(
                by=request.user,
                team=team,
                name=form.cleaned_data["name"],
                leader=form.cleaned_data["leader"],
                members=form.cleaned_data["members"],
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("Team %(team)s saved.") % {"team": team})
            return redirect(team)
    return render(request, "honours/team_form.html", {"form": form, "team": team})


@check_required(permissions.can_use_teams)
def team_detail(request, pk):
    """The team, its members (names for the staff and the chair, who keep the roster; phones masked) and
    its honours and nominations."""
    user = request.user
    team = _team_for(user, pk)
    return render(
        request,
        "honours/team_detail.html",
        {
            "team": team,
            "members": team.members.select_related("union").order_by("name", "pk"),
            "honours": services.honours_of_team(team),
            "nominations": HonourNomination.objects.visible_to(user)
            .filter(nominee_team=team)
            .select_related("round__award_type")
            .order_by("-round__year", "pk"),
            "can_edit": permissions.can_manage_team_of(user, team.enterprise),
            "history": _history(user, team),
        },
    )


# --- the 十百千 programme -----------------------------------------------------------------------------


@check_required(permissions.can_see_programme)
def programme(request):
    """The 十百千 programme by year: each tier's target, nominated and awarded, its rounds, and the list of
    the awarded (units and teams by name, members masked)."""
    series = Series.SHIBAIQIAN
    years = services.programme_years(series)
    today = timezone.localdate()
    year = year_param(request, default=years[0] if years else today.year)
    return render(
        request,
        "honours/programme.html",
        {
            "year": year,
            "years": sorted(set(years) | {year}, reverse=True),
            "tiers": services.programme_summary(series, year),
            "by_year": services.programme_by_year(series),
            "awarded": services.programme_awarded(series, year),
            "series": Series.SHIBAIQIAN.label,
        },
    )


# --- the federation's own awards ------------------------------------------------------------------------


@duty_required("honours.view_federationaward")
def federation_award_list(request):
    awards = FederationAward.objects.annotate(documents_count=Count("documents")).order_by(
        "-year", "title", "pk"
    )
    return render(
        request,
        "honours/federation_award_list.html",
        {"page": page_of(request, awards), "can_add": request.user.has_perm("honours.add_federationaward")},
    )


def _federation_award_form_page(request, award: FederationAward | None):
    form = FederationAwardForm(request.POST or None, instance=award)
    if request.method == "POST" and form.is_valid():
        try:
            award = services.save_federation_award(by=request.user, award=award, **form.cleaned_data)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("Award %(award)s saved.") % {"award": award})
            return redirect(award)
    return render(request, "honours/federation_award_form.html", {"form": form, "award": award})


@duty_required("honours.add_federationaward")
def federation_award_create(request):
    return _federation_award_form_page(request, None)


@duty_required("honours.change_federationaward")
def federation_award_edit(request, pk):
    return _federation_award_form_page(request, get_object_or_404(FederationAward, pk=pk))


@duty_required("honours.view_federationaward")
def federation_award_detail(request, pk):
    award = get_object_or_404(FederationAward.objects.select_related("created_by"), pk=pk)
    return render(
        request,
        "honours/federation_award_detail.html",
        {
            "award": award,
            "documents": award.documents.select_related("uploaded_by"),
            "document_form": FederationDocumentForm(),
            "can_edit": request.user.has_perm("honours.change_federationaward"),
            "can_add_document": request.user.has_perm("honours.add_federationawarddocument"),
            "can_change_document": request.user.has_perm("honours.change_federationawarddocument"),
            "can_remove_document": request.user.has_perm("honours.delete_federationawarddocument"),
            "history": _history(request.user, award),
        },
    )


@duty_required("honours.add_federationawarddocument")
@require_POST
def federation_document_add(request, pk):
    award = get_object_or_404(FederationAward, pk=pk)
    form = FederationDocumentForm(request.POST, request.FILES)
    if not form.is_valid():
        form_error_messages(request, form)
        return redirect(award)
    try:
        services.add_federation_document(
            by=request.user,
            award=award,
            upload=form.cleaned_data["file"],
            title=form.cleaned_data["title"],
            public=form.cleaned_data["public"],
        )
    except ValidationError as error:
        error_messages(request, error)
    else:
        messages.success(request, _("The document is uploaded."))
    return redirect(award)


@duty_required("honours.change_federationawarddocument")
@require_POST
def federation_document_public(request, pk):
    """Mark a document public (``public=1``) or internal (anything else)."""
    document = get_object_or_404(FederationAwardDocument.objects.select_related("award"), pk=pk)
    services.set_document_public(by=request.user, document=document, public=request.POST.get("public") == "1")
    messages.success(
        request,
        _("The document is public.") if document.public else _("The document is for the staff only."),
    )
    return redirect(document.award)


@duty_required("honours.delete_federationawarddocument")
@require_POST
def federation_document_remove(request, pk):
    document = get_object_or_404(FederationAwardDocument.objects.select_related("award"), pk=pk)
    award = document.award
    services.remove_federation_document(by=request.user, document=document)
    messages.success(request, _("The document is removed."))
    return redirect(award)


# --- the public honours page ------------------------------------------------------------------------------


@public_page
@require_GET
def public_honours(request):
    """The federation's honours for anyone: its own awards marked public, by year, with their public
    documents, and the district's team honours of provincial level and above (team, enterprise, award and
    year; no person is named)."""
    awards = FederationAward.objects.public().prefetch_related(
        Prefetch("documents", queryset=FederationAwardDocument.objects.filter(public=True).order_by("pk"))
    )
    by_year = {}
    rank = {level: n for n, level in enumerate(FederationAwardLevel.values)}  # national first
    for award in sorted(awards.order_by("-year", "title", "pk"), key=lambda a: (-a.year, rank[a.level])):
        by_year.setdefault(award.year, []).append(award)
    teams = [
        {
            "year": honour.nomination.round.year,
            "team": honour.nomination.nominee_team.name,
            "enterprise": honour.nomination.nominee_team.enterprise.name,
            "award": honour.nomination.round.award_type,
        }
        for honour in services.public_team_honours()
    ]
    return render(
        request,
        "honours/public.html",
        {"years": sorted(by_year.items(), reverse=True), "teams": teams},
    )


@public_page
@require_GET
def public_document(request, pk):
    """A federation award's document for anyone, when it and its award are public (the core's delivery
    view asks for a login, so public documents have this door of their own)."""
    document = (
        FederationAwardDocument.objects.select_related("award").filter(pk=pk).first()
        if pk <= MAX_PK
        else None
    )
    if document is None or not can_read_federation_document(request.user, document) or not document.is_public:
        raise Http404
    return stored_response(document.file, filename=document.title)
