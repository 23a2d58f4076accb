"""Contest pages: thin — parse with a form, check, call a service, render. A contest is fetched through
``Contest.objects.visible_to`` (outside it: 404); what the user may do with a visible contest is asked of
``permissions`` (not allowed: 403). A judge's own union's contestants are not offered and are 404 on the
scoring page."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from members.models import Member
from unionhub.access import check_required, public_page, require
from unionhub.masking import mask_name
from unionhub.paging import page_of
from unionhub.posted import add_errors, error_messages, form_error_messages

from . import permissions, services
from .forms import (
    ContestForm,
    EntryForm,
    FilterForm,
    ItemFormSet,
    JudgeForm,
    JudgeUnionForm,
    NominateForm,
    QuotaForm,
    RoundForm,
    ScoreForm,
    sheet_items,
)
from .models import Certificate, Contest, ContestRound, Entry, Judge, Prize, Score

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _contest_for(user, pk) -> Contest:
    return get_object_or_404(Contest.objects.visible_to(user), pk=pk)


def _staff_contest(request, pk) -> Contest:
    contest = _contest_for(request.user, pk)
    require(permissions.is_contest_staff(request.user))
    return contest


# --- the list, the figures ------------------------------------------------------------------------


@check_required(permissions.can_use_contests)
def contest_list(request):
    today = timezone.localdate()
    year = FilterForm(request.GET or None).year_or(None)
    contests = (
        Contest.objects.visible_to(request.user)
        .annotate(n_entries=Count("entries"))
        .order_by("-year", "-starts_on", "pk")
    )
    if year:
        contests = contests.filter(year=year)
    return render(
        request,
        "contests/list.html",
        {
            "page": page_of(request, contests),
            "year": year,
            "today": today,
            "can_create": permissions.is_contest_staff(request.user),
            "form": FilterForm(request.GET or None),
        },
    )


@check_required(permissions.can_use_contests)
def figures(request, year):
    years = [services.year_figures(y) for y in (year - 2, year - 1, year)]
    contests = (
        Contest.objects.visible_to(request.user)
        .filter(year=year)
        .annotate(n_entries=Count("entries"))
        .order_by("starts_on", "pk")
    )
    return render(
        request,
        "contests/figures.html",
        {"year": year, "figures": years[-1], "years": years, "contests": contests},
    )


# --- setting a contest up -------------------------------------------------------------------------


def _contest_form_page(request, form, contest=None):
    return render(request, "contests/contest_form.html", {"form": form, "contest": contest})


def _save_from(request, form, contest=None):
    data = dict(form.cleaned_data)
    data["accepted_trades"] = data["accepted_trades"] or [data["trade"]]
    try:
        return services.save_contest(by=request.user, contest=contest, **data)
    except ValidationError as error:
        add_errors(form, error)
        return None


@check_required(permissions.is_contest_staff)
def contest_create(request):
    today = timezone.localdate()
    form = ContestForm(
        request.POST or None,
        initial={
            "theory_weight": 30,
            "practical_weight": 70,
            "default_quota": 2,
            "first_prizes": 1,
            "second_prizes": 2,
            "third_prizes": 3,
            "merit_prizes": 0,
            "tie_break": "practical",
            "entry_opens_on": today,
        },
    )
    if request.method == "POST" and form.is_valid():
        contest = _save_from(request, form)
        if contest is not None:
            messages.success(request, _("Contest created as a draft; now set its scoring sheet."))
            return redirect("contests:sheet", pk=contest.pk)
    return _contest_form_page(request, form)


@login_required
def contest_edit(request, pk):
    contest = _staff_contest(request, pk)
    form = ContestForm(request.POST or None, initial=ContestForm.initial_for(contest))
    if request.method == "POST" and form.is_valid() and _save_from(request, form, contest) is not None:
        messages.success(request, _("Contest saved."))
        return redirect(contest)
    return _contest_form_page(request, form, contest)


@login_required
def sheet(request, pk):
    contest = _staff_contest(request, pk)
    initial = [{"part": i.part, "title": i.title, "max_points": i.max_points} for i in contest.items.all()]
    formset = ItemFormSet(request.POST or None, initial=initial, prefix="items")
    if request.method == "POST" and formset.is_valid():
        try:
            services.save_sheet(by=request.user, contest=contest, items=sheet_items(formset))
        except ValidationError as error:
            formset._non_form_errors = formset.error_class(error.messages)  # noqa: SLF001 - shown above the rows
        else:
            messages.success(request, _("Scoring sheet saved."))
            return redirect(contest)
    return render(request, "contests/sheet.html", {"contest": contest, "formset": formset})


@login_required
def quotas(request, pk):
    contest = _staff_contest(request, pk)
    form = QuotaForm(request.POST or None, initial={"default_quota": contest.default_quota})
    if request.method == "POST" and form.is_valid():
        union = form.cleaned_data["union"]
        try:
            services.set_quotas(
                by=request.user,
                contest=contest,
                default_quota=form.cleaned_data["default_quota"],
                overrides={union: form.cleaned_data["places"]} if union else {},
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("Quotas saved."))
            return redirect("contests:quotas", pk=contest.pk)
    made = services.entries_by_union(contest)
    overrides = [(q, made.get(q.union_id, 0)) for q in contest.quotas.select_related("union")]
    return render(request, "contests/quotas.html", {"contest": contest, "form": form, "overrides": overrides})


@login_required
def round_edit(request, pk, round_pk):
    contest = _contest_for(request.user, pk)
    contest_round = get_object_or_404(ContestRound, contest=contest, pk=round_pk)
    require(permissions.can_manage_rounds(request.user, contest))
    form = RoundForm(
        request.POST or None,
        initial={"date": contest_round.date, "venue": contest_round.venue, "advance": contest_round.advance},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.save_round(by=request.user, contest_round=contest_round, **form.cleaned_data)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("Round saved."))
            return redirect(contest)
    return render(
        request,
        "contests/form.html",
        {"contest": contest, "form": form, "title": contest_round.get_kind_display()},
    )


@login_required
def judges(request, pk):
    contest = _staff_contest(request, pk)
    form = JudgeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.add_judge(by=request.user, contest=contest, **form.cleaned_data)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("Judge added."))
            return redirect("contests:judges", pk=contest.pk)
    rows = contest.judges.select_related("user", "union").annotate(n_scores=Count("scores"))
    return render(
        request,
        "contests/judges.html",
        {"contest": contest, "form": form, "judges": rows, "union_form": JudgeUnionForm()},
    )


@login_required
@require_POST
def judge_union(request, pk, judge_pk):
    contest = _staff_contest(request, pk)
    judge = get_object_or_404(Judge, contest=contest, pk=judge_pk)
    form = JudgeUnionForm(request.POST)
    if form.is_valid():
        try:
            services.set_judge_union(by=request.user, judge=judge, union=form.cleaned_data["union"])
        except ValidationError as error:
            error_messages(request, error)
        else:
            messages.success(request, _("Judge's union saved."))
    else:
        form_error_messages(request, form)
    return redirect("contests:judges", pk=contest.pk)


@login_required
@require_POST
def judge_remove(request, pk, judge_pk):
    contest = _staff_contest(request, pk)
    judge = get_object_or_404(Judge, contest=contest, pk=judge_pk)
    try:
        services.remove_judge(by=request.user, judge=judge)
    except ValidationError as error:
        error_messages(request, error)
    else:
        messages.success(request, _("Judge removed."))
    return redirect("contests:judges", pk=contest.pk)


TRANSITIONS = {
    "open": (services.open_entry, gettext_lazy("The contest is open for entry.")),
    "close": (services.close_entry, gettext_lazy("Entry is closed; the judges may score.")),
    "publish": (
        services.publish_results,
        gettext_lazy("Results published; the prize winners' certificates are issued."),
    ),
}


@login_required
@require_POST
def transition(request, pk, action):
    contest = _contest_for(request.user, pk)
    if action == "finalists":
        require(permissions.can_manage_rounds(request.user, contest))
        step, done = services.choose_finalists, _("The finalists are chosen; the final may be scored.")
    elif action in TRANSITIONS:
        require(permissions.is_contest_staff(request.user))
        step, done = TRANSITIONS[action]
    else:
        raise Http404
    try:
        step(by=request.user, contest=contest)
    except ValidationError as error:
        error_messages(request, error)
    else:
        messages.success(request, str(done))
    return redirect(contest)


# --- one contest ----------------------------------------------------------------------------------


@login_required
def detail(request, pk):
    contest = _contest_for(request.user, pk)
    user = request.user
    rounds = list(contest.rounds.all())
    made = services.entries_by_union(contest)
    judge = permissions.judge_of(user, contest)
    chaired = list(user.chaired_unions.order_by("code")) if user.is_union_chair else []
    places = [(u, services.quota_for(contest, u), made.get(u.pk, 0)) for u in chaired]
    return render(
        request,
        "contests/detail.html",
        {
            "contest": contest,
            "rounds": rounds,
            "items": list(contest.items.all()),
            "current_round": services.current_round(contest),
            "judges": list(contest.judges.select_related("user", "union")),
            "organisers": list(contest.organisers.all()),
            "cadres": list(contest.organising_cadres.select_related("cadre", "union")),
            "n_entries": sum(made.values()),
            "n_unions": len(made),
            "places": places,
            "judge": judge,
            "is_staff": permissions.is_contest_staff(user),
            "can_manage_rounds": permissions.can_manage_rounds(user, contest),
            "is_organiser": permissions.is_organiser(user, contest),
            "entry_open": contest.entry_open_on(timezone.localdate()),
            "n_certificates": Certificate.objects.filter(entry__contest=contest).count(),
        },
    )


# --- entries --------------------------------------------------------------------------------------


def _find_member(user, contest, id_number):
    """The active member with this ID number, if the chair may see them (their union) or the user is staff."""
    return (
        Member.objects.visible_to(user).active().filter(id_number=id_number).select_related("union").first()
        if user.is_federation_staff
        else Member.objects.active()
        .filter(id_number=id_number, union__chair=user)
        .select_related("union")
        .first()
    )


@login_required
def entries(request, pk):
    contest = _contest_for(request.user, pk)
    require(permissions.can_enter(request.user))
    today = timezone.localdate()
    staff = permissions.is_contest_staff(request.user)
    form = EntryForm(request.POST or None, contest=contest) if contest.entry_open_on(today) else None
    if request.method == "POST":
        require(form is not None, PermissionDenied)
        if form.is_valid():
            data = form.cleaned_data
            member = _find_member(request.user, contest, data["id_number"])
            if member is None:
                form.add_error("id_number", _("No active member of your union has this ID number."))
            else:
                try:
                    entry = services.enter(
                        by=request.user,
                        contest=contest,
                        member=member,
                        declared_trade=data["declared_trade"],
                        job_title=data["job_title"],
                    )
                except ValidationError as error:
                    add_errors(form, error)
                else:
                    messages.success(request, _("%(name)s is entered.") % {"name": entry.member.name})
                    return redirect("contests:entries", pk=contest.pk)
    rows = Entry.objects.visible_to(request.user).filter(contest=contest).select_related("member", "union")
    if not staff:
        rows = rows.filter(union__chair=request.user)
    chaired = list(request.user.chaired_unions.order_by("code")) if request.user.is_union_chair else []
    made = services.entries_by_union(contest)
    return render(
        request,
        "contests/entries.html",
        {
            "contest": contest,
            "form": form,
            "page": page_of(request, rows.order_by("union__code", "pk")),
            "places": [(u, services.quota_for(contest, u), made.get(u.pk, 0)) for u in chaired],
            "can_remove": contest.entry_open_on(today),
            "staff": staff,
        },
    )


@login_required
@require_POST
def entry_remove(request, pk):
    entry = get_object_or_404(
        Entry.objects.visible_to(request.user).select_related("contest", "union", "member"), pk=pk
    )
    try:
        services.remove_entry(by=request.user, entry=entry)
    except ValidationError as error:
        error_messages(request, error)
    else:
        messages.success(request, _("%(name)s's entry is taken back.") % {"name": entry.member.name})
    return redirect("contests:entries", pk=entry.contest_id)


# --- scoring --------------------------------------------------------------------------------------


def _judge_for(request, pk):
    contest = _contest_for(request.user, pk)
    judge = permissions.judge_of(request.user, contest)
    require(judge is not None)
    return contest, judge


@login_required
def scoring(request, pk):
    contest, judge = _judge_for(request, pk)
    contest_round = services.current_round(contest) if contest.state == Contest.State.JUDGING else None
    rows = []
    if contest_round is not None:
        scored = set(
            Score.objects.filter(judge=judge, round=contest_round)
            .values_list("entry_id", flat=True)
            .distinct()
        )
        for entry in (
            services.entries_to_score(judge, contest_round)
            .select_related("member", "union")
            .order_by("union__code", "pk")
        ):
            rows.append((entry, entry.pk in scored))
    return render(
        request,
        "contests/scoring.html",
        {
            "contest": contest,
            "judge": judge,
            "round": contest_round,
            "rows": rows,
            "left": sum(1 for _e, s in rows if not s),
        },
    )


@login_required
def score(request, pk, entry_pk):
    contest, judge = _judge_for(request, pk)
    contest_round = services.current_round(contest) if contest.state == Contest.State.JUDGING else None
    if contest_round is None:
        raise Http404
    # A contestant of the judge's own union is not offered: 404, as for one not in the round.
    entry = get_object_or_404(
        services.entries_to_score(judge, contest_round).select_related("member", "union"), pk=entry_pk
    )
    items = list(contest.items.all())
    given = dict(
        Score.objects.filter(judge=judge, round=contest_round, entry=entry).values_list("item_id", "points")
    )
    form = ScoreForm(request.POST or None, items=items, scores=given)
    if request.method == "POST" and form.is_valid():
        try:
            services.score_entry(by=request.user, entry=entry, points=form.points())
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("Scores saved for %(name)s.") % {"name": entry.member.name})
            return redirect("contests:scoring", pk=contest.pk)
    return render(
        request,
        "contests/score.html",
        {"contest": contest, "round": contest_round, "entry": entry, "form": form},
    )


# --- results, export, honours ---------------------------------------------------------------------


@login_required
def results(request, pk):
    contest = _contest_for(request.user, pk)
    organiser = permissions.is_organiser(request.user, contest)
    published = contest.state == Contest.State.PUBLISHED
    if not published and not organiser:
        rows = []
    else:
        rows = services.published_standings(contest) if published else services.standings(contest)
    for row in rows:
        row.name = row.entry.member.name if organiser else mask_name(row.entry.member.name)
        row.total = row.entry.score if published else (row.score.total if row.score else None)
        row.prize_label = Prize(row.prize).label if row.prize else ""
    return render(
        request,
        "contests/results.html",
        {
            "contest": contest,
            "rows": rows,
            "published": published,
            "organiser": organiser,
            "is_staff": permissions.is_contest_staff(request.user),
        },
    )


@login_required
def export(request, pk):
    contest = _contest_for(request.user, pk)
    require(permissions.is_organiser(request.user, contest))
    return FileResponse(
        services.export_xlsx(contest),
        as_attachment=True,
        filename=f"contest-{contest.year}-{contest.pk}-results.xlsx",
        content_type=XLSX,
    )


@login_required
def nominate(request, pk):
    contest = _staff_contest(request, pk)
    today = timezone.localdate()
    form = NominateForm(request.POST or None, rounds=services.open_member_rounds(today))
    refused = []
    if request.method == "POST" and form.is_valid():
        try:
            made, refused = services.nominate_for_honours(
                by=request.user,
                contest=contest,
                award_round=form.cleaned_data["award_round"],
                top=form.cleaned_data["top"],
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            if made:
                messages.success(request, _("%(n)d contestants nominated.") % {"n": len(made)})
            if not refused:
                return redirect(contest)
    return render(request, "contests/nominate.html", {"contest": contest, "form": form, "refused": refused})


# --- certificates ---------------------------------------------------------------------------------


@login_required
def certificate(request, pk):
    """The PDF: for the contest's staff and organisers and the contestant's union's chair; others 404."""
    found = get_object_or_404(
        Certificate.objects.select_related("entry__contest", "entry__member", "entry__union"), pk=pk
    )
    entry = found.entry
    if not (permissions.is_organiser(request.user, entry.contest) or entry.union.chair_id == request.user.pk):
        raise Http404
    response = HttpResponse(services.certificate_pdf(found), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{found.number}.pdf"'
    return response


@public_page
def certificate_verify(request, token):
    """Public (the QR code's target): genuine, revoked or unknown, with no more than the certificate prints,
    the name masked."""
    found = services.verification(token)
    response = render(
        request, "contests/verify.html", found or {"certificate": None}, status=200 if found else 404
    )
    response["X-Robots-Tag"] = "noindex"
    return response
