"""The figures of a monthly report, for the district or for one grassroots union.

Every section reads its programme's tables with a fixed number of aggregate queries (conditional
``Count``/``Sum`` over the month, the year to date and the same month a year earlier), so that a
report costs the same number of queries whatever the amount of data. Figures are as they stood
at the month's end: a membership, a card or a case that changed later is counted as it was then."""

import datetime
from decimal import Decimal

from django.db.models import Count, Q, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from aid import fund
from aid.models import Application, Programme
from associations.models import Activity, PlannedActivity, SignUp
from grievances.models import Case
from members.models import DuesPeriod, Enterprise, GrassrootsUnion, Member, MembershipEvent, Remittance
from members.periods import Period
from perks.models import Card, CardCheck, Redemption
from secondment.models import Certificate, DutyDay, DutyLog, SecondmentTerm
from secondment.rules import rules
from secondment.services import rate as attendance_rate

from .base import Chart, Figure, Report, Section

ZERO = Decimal("0.00")
ROW_LIMIT = 500
YUAN = "¥"

JOINING = (MembershipEvent.Kind.JOINED, MembershipEvent.Kind.TRANSFERRED_IN)
LEAVING = (MembershipEvent.Kind.TRANSFERRED_OUT, MembershipEvent.Kind.WITHDREW, MembershipEvent.Kind.STRUCK_OFF)
GRANTED = (Application.Status.APPROVED, Application.Status.PAID)
ATTENDED = (DutyLog.Status.PENDING, DutyLog.Status.CONFIRMED)


# --- dates -------------------------------------------------------------------------------------------

def _month_end(first: datetime.date) -> datetime.date:
    return Period("monthly", first.year, first.month).end


def _months_back(first: datetime.date, n: int) -> datetime.date:
    index = first.year * 12 + first.month - 1 - n
    return datetime.date(index // 12, index % 12 + 1, 1)


class Span:
    """The month reported on, the year to its end, and the same month a year earlier."""

    def __init__(self, month: datetime.date):
        self.start = month.replace(day=1)
        self.end = _month_end(self.start)
        self.year_start = self.start.replace(month=1)
        self.ly_start = _months_back(self.start, 12)
        self.ly_end = _month_end(self.ly_start)

    def ranges(self):
        """(name, (first day, last day)) for the month, the year to date and last year's month."""
        return (("m", (self.start, self.end)), ("y", (self.year_start, self.end)),
                ("l", (self.ly_start, self.ly_end)))


def _money(value) -> Decimal:
    return fund.money(value if value is not None else 0)


def _three(span: Span, field: str, extra: Q | None = None, total: str | None = None) -> dict:
    """Aggregate arguments counting (or summing ``total``) the rows whose ``field`` falls in each range."""
    out = {}
    for name, bounds in span.ranges():
        condition = Q(**{f"{field}__range": bounds})
        if extra is not None:
            condition &= extra
        out[name] = Sum(total, filter=condition) if total else Count("pk", filter=condition)
    return out


def _prefixed(values: dict, prefix: str) -> dict:
    return {f"{prefix}_{key}": agg for key, agg in values.items()}


def _figure(label: str, totals: dict, prefix: str, *, money: bool = False, ytd: bool = True) -> Figure:
    def value(key):
        raw = totals.get(f"{prefix}_{key}")
        return _money(raw) if money else (raw or 0)

    return Figure(label, value("m"), value("y") if ytd else None, value("l"), YUAN if money else "")


def _not_applicable(key: str, title: str, note: str) -> Section:
    return Section(key=key, title=title, available=False, note=note)


# --- membership ----------------------------------------------------------------------------------------

def _member_at(day: datetime.date, prefix: str = "") -> Q:
    """A member on ``day``: joined by then, and either still a member or left after it."""
    return (Q(**{f"{prefix}joined_on__lte": day})
            & (Q(**{f"{prefix}status__in": Member.ACTIVE_STATUSES}) | Q(**{f"{prefix}status_changed_on__gt": day})))


def membership_section(span: Span, union=None) -> Section:
    members = Member.objects.all()
    events = MembershipEvent.objects.all()
    unions = GrassrootsUnion.objects.filter(status=GrassrootsUnion.Status.ACTIVE, founded_on__lte=span.end)
    enterprises = Enterprise.objects.filter(union__isnull=False).exclude(status=Enterprise.Status.CLOSED)
    if union is not None:
        members, events = members.filter(union=union), events.filter(union=union)
        unions, enterprises = unions.filter(pk=union.pk), enterprises.filter(union=union)

    chart_months = [_months_back(span.start, n) for n in range(11, -1, -1)]
    counts = members.aggregate(
        last_year=Count("pk", filter=_member_at(span.ly_end)),
        **{f"at{i}": Count("pk", filter=_member_at(_month_end(first))) for i, first in enumerate(chart_months)})
    moves = events.aggregate(**_prefixed(_three(span, "on", Q(kind__in=JOINING)), "in"),
                             **_prefixed(_three(span, "on", Q(kind__in=LEAVING)), "out"))
    series = [counts[f"at{i}"] for i in range(len(chart_months))]

    rows_by_union = {
        pk: [code, name, at_end]
        for pk, code, name, at_end in unions.annotate(at_end=Count("members", filter=_member_at(span.end, "members__")))
        .order_by("code").values_list("pk", "code", "name", "at_end")[:ROW_LIMIT]}
    union_moves = (events.filter(on__range=(span.start, span.end)).values("union")
                   .annotate(joins=Count("pk", filter=Q(kind__in=JOINING)),
                             leaves=Count("pk", filter=Q(kind__in=LEAVING))).order_by())
    moves_by_union = {row["union"]: (row["joins"], row["leaves"]) for row in union_moves}
    rows = [[*row, *moves_by_union.get(pk, (0, 0))] for pk, row in rows_by_union.items()]

    return Section(
        key="membership", title=_("Membership"),
        figures=[
            Figure(_("Members at month end"), series[-1], None, counts["last_year"]),
            Figure(_("Grassroots unions"), unions.count()),
            Figure(_("Enterprises covered"), enterprises.count()),
            _figure(_("Joined (incl. transfers in)"), moves, "in"),
            _figure(_("Left (transfers out, withdrawals, struck off)"), moves, "out"),
        ],
        charts=[Chart("line", _("Members at each month end"), [f"{m:%Y-%m}" for m in chart_months],
                      [(_("Members"), series)])],
        header=[_("Union code"), _("Union"), _("Members at month end"), _("Joined"), pgettext("report", "Left")],
        rows=rows,
    )


# --- dues ----------------------------------------------------------------------------------------------

def dues_section(span: Span, union=None) -> Section:
    periods = DuesPeriod.objects.all()
    remittances = Remittance.objects.all()
    if union is not None:
        periods, remittances = periods.filter(union=union), remittances.filter(period__union=union)

    due = periods.aggregate(**_three(span, "end", total="funds_due"))
    received = remittances.aggregate(**_three(span, "received_on", total="amount"))
    by_month = dict(remittances.filter(received_on__range=(span.year_start, span.end))
                    .annotate(m=TruncMonth("received_on")).values("m").annotate(total=Sum("amount"))
                    .order_by().values_list("m", "total"))

    # What was owed at month end: past due by then, net of what had been received by then.
    past_due = (periods.filter(due_date__lt=span.end).select_related("union")
                .annotate(received_by_end=Sum("remittances__amount",
                                              filter=Q(remittances__received_on__lte=span.end)))
                .order_by("due_date", "pk"))
    outstanding, arrears, rows = ZERO, 0, []
    for period in past_due:
        got = _money(period.received_by_end)
        owed = period.outstanding(got)
        if owed is not None:
            outstanding += owed
        if (owed is None or owed > 0) and period.payment_order_due(span.end):
            arrears += 1
            if len(rows) < ROW_LIMIT:
                rows.append([period.union.code, period.union.name, period.label, period.due_date,
                             period.funds_due, got, owed])

    months = [datetime.date(span.start.year, n, 1) for n in range(1, span.start.month + 1)]
    return Section(
        key="dues", title=_("Union funds"),
        figures=[
            Figure(_("Funds due (periods ending in the month)"), _money(due["m"]), _money(due["y"]),
                   _money(due["l"]), YUAN),
            Figure(_("Funds received"), _money(received["m"]), _money(received["y"]), _money(received["l"]), YUAN),
            Figure(_("Outstanding at month end"), outstanding, unit=YUAN),
            Figure(_("Periods in arrears over three months"), arrears),
        ],
        charts=[Chart("bar", _("Funds received by month"), [f"{m:%Y-%m}" for m in months],
                      [(_("Received"), [float(by_month.get(m) or 0) for m in months])])],
        header=[_("Union code"), _("Union"), _("Period"), _("Due date"), _("Funds due"), _("Received by month end"),
                _("Outstanding")],
        rows=rows,
    )


# --- hardship fund -------------------------------------------------------------------------------------

def hardship_section(span: Span, union=None) -> Section:
    month = fund.statement(year=span.start.year, month=span.start.month)
    last_year = fund.statement(year=span.ly_start.year, month=span.ly_start.month)
    # The year to date is the sum of the months so far: statement() covers a month or a whole year.
    months = [month if n == span.start.month else fund.statement(year=span.start.year, month=n)
              for n in range(1, span.start.month + 1)]

    def total(attr):
        return sum((getattr(s, attr) for s in months), ZERO)

    applications = Application.objects.filter(status__in=GRANTED)
    if union is not None:
        applications = applications.filter(union=union)
    granted = applications.aggregate(**_prefixed(_three(span, "decided_on", total="approved_amount"), "amt"),
                                     **_prefixed(_three(span, "decided_on"), "n"))
    by_kind = {kind: (n, _money(amount)) for kind, n, amount in
               applications.filter(decided_on__range=(span.start, span.end)).values("programme__kind")
               .annotate(n=Count("pk"), amount=Sum("approved_amount")).order_by()
               .values_list("programme__kind", "n", "amount")}
    paid = dict(month.by_programme)
    labels = dict(Programme.Kind.choices)
    rows = [[str(labels[kind]), by_kind.get(kind, (0, ZERO))[0], by_kind.get(kind, (0, ZERO))[1],
             paid.get(str(labels[kind]), ZERO)] for kind in Programme.Kind.values]

    figures = [
        Figure(_("Fund: opening balance"), month.opening, months[0].opening, last_year.opening, YUAN),
        Figure(_("Fund: allocations"), month.allocations, total("allocations"), last_year.allocations, YUAN),
        Figure(_("Fund: other income"), month.other_income, total("other_income"), last_year.other_income, YUAN),
        Figure(_("Fund: paid out"), month.disbursed, total("disbursed"), last_year.disbursed, YUAN),
        Figure(_("Fund: closing balance"), month.closing, month.closing, last_year.closing, YUAN),
        _figure(_("Aid granted"), granted, "amt", money=True),
        _figure(_("Applications granted"), granted, "n"),
    ]
    if union is None:
        chart = Chart("bar", _("Paid out by programme"), [label for label, _amount in month.by_programme],
                      [(_("Paid out"), [float(amount) for _label, amount in month.by_programme])])
        note = ""
    else:
        kinds = [kind for kind in Programme.Kind.values if kind in by_kind]
        chart = Chart("bar", _("Aid granted by programme"), [str(labels[k]) for k in kinds],
                      [(_("Granted"), [float(by_kind[k][1]) for k in kinds])])
        note = _("The hardship fund is district-wide: its statement is the federation's. Aid granted counts "
                 "only this union's members.")
    return Section(
        key="hardship", title=_("Hardship fund"), note=note, figures=figures, charts=[chart],
        header=[_("Programme"), _("Applications granted"), _("Amount granted"), _("Paid out by the fund")],
        rows=rows,
    )


# --- grievances ----------------------------------------------------------------------------------------

def _open_at(day: datetime.date) -> Q:
    still_open = Q(closed_on__isnull=True) & ~Q(stage=Case.Stage.CLOSED)
    return Q(received_on__lte=day) & (still_open | Q(closed_on__gt=day))


def grievances_section(span: Span, union=None) -> Section:
    cases = Case.objects.all()
    if union is not None:
        cases = cases.filter(enterprise__union=union)
    soon = span.end + datetime.timedelta(days=30)
    totals = cases.aggregate(
        **_prefixed(_three(span, "received_on"), "opened"),
        **_prefixed(_three(span, "closed_on"), "closed"),
        **_prefixed(_three(span, "closed_on", total="amount_recovered"), "recovered"),
        open_m=Count("pk", filter=_open_at(span.end)),
        open_l=Count("pk", filter=_open_at(span.ly_end)),
        limitation_m=Count("pk", filter=_open_at(span.end) & Q(limitation_on__gt=span.end, limitation_on__lte=soon)),
    )
    per_category = {
        row["category"]: row for row in cases.values("category").annotate(
            opened=Count("pk", filter=Q(received_on__range=(span.start, span.end))),
            closed=Count("pk", filter=Q(closed_on__range=(span.start, span.end))),
            open_at_end=Count("pk", filter=_open_at(span.end)),
            recovered=Sum("amount_recovered", filter=Q(closed_on__range=(span.start, span.end))),
        ).order_by()}
    labels = dict(Case.Category.choices)
    categories = [c for c in Case.Category.values if c in per_category]
    rows = [[str(labels[c]), per_category[c]["opened"], per_category[c]["closed"], per_category[c]["open_at_end"],
             _money(per_category[c]["recovered"])] for c in categories]
    return Section(
        key="grievances", title=_("Grievances and legal aid"),
        note=_("Cases whose employer is an enterprise of this union.") if union is not None else "",
        figures=[
            _figure(_("Cases opened"), totals, "opened"),
            _figure(_("Cases closed"), totals, "closed"),
            _figure(_("Money recovered"), totals, "recovered", money=True),
            Figure(_("Open at month end"), totals["open_m"], None, totals["open_l"]),
            Figure(_("Limitation deadlines in the next 30 days"), totals["limitation_m"]),
        ],
        charts=[Chart("bar", _("Cases opened by category"), [str(labels[c]) for c in categories],
                      [(_("Cases"), [per_category[c]["opened"] for c in categories])])],
        header=[_("Category"), _("Opened"), _("Closed"), _("Open at month end"), _("Money recovered")],
        rows=rows,
    )


# --- secondment ----------------------------------------------------------------------------------------

def secondment_section(span: Span, union=None, *, today: datetime.date | None = None) -> Section:
    """Duty days held are logged and not rejected; missed are unlogged once their logging window has
    passed (a day still inside it is neither); the rate is held over due, as ``services.attendance``."""
    today = today or timezone.localdate()
    window_closed_before = today - datetime.timedelta(days=rules().log_window_days)
    terms = SecondmentTerm.objects.all()
    days = DutyDay.objects.all()
    certificates = Certificate.objects.filter(revoked=False)
    if union is not None:
        terms, days = terms.filter(union=union), days.filter(term__union=union)
        certificates = certificates.filter(term__union=union)

    held = Q(log__status__in=ATTENDED)
    missed = Q(log__isnull=True, date__lt=window_closed_before)
    due = Q(log__isnull=False) | Q(date__lt=window_closed_before)
    totals = days.aggregate(**_prefixed(_three(span, "date", held), "held"),
                            **_prefixed(_three(span, "date", missed), "missed"),
                            **_prefixed(_three(span, "date", due), "due"))
    active = terms.aggregate(m=Count("pk", filter=Q(start_date__lte=span.end, end_date__gte=span.end)),
                             l=Count("pk", filter=Q(start_date__lte=span.ly_end, end_date__gte=span.ly_end)))
    issued = certificates.aggregate(**_prefixed(_three(span, "issued_on"), "cert"))

    def rate(key):
        return attendance_rate(totals[f"due_{key}"], totals[f"held_{key}"])

    in_month = Q(duty_days__date__range=(span.start, span.end))
    rows = [[code, name or username, post, n_held, n_missed]
            for code, name, username, post, n_held, n_missed in terms.filter(
                start_date__lte=span.end, end_date__gte=span.start).annotate(
                n_held=Count("duty_days", filter=in_month & Q(duty_days__log__status__in=ATTENDED)),
                n_missed=Count("duty_days", filter=in_month & Q(duty_days__log__isnull=True,
                                                                 duty_days__date__lt=window_closed_before)),
            ).order_by("union__code", "start_date", "pk").values_list(
                "union__code", "cadre__name", "cadre__username", "union_post", "n_held", "n_missed")[:ROW_LIMIT]]
    return Section(
        key="secondment", title=_("Seconded cadres"),
        figures=[
            Figure(_("Cadres active at month end"), active["m"], None, active["l"]),
            _figure(_("Duty days held"), totals, "held"),
            _figure(_("Duty days missed"), totals, "missed"),
            Figure(_("Attendance rate"), rate("m"), rate("y"), rate("l"), "%"),
            _figure(_("Certificates issued"), issued, "cert"),
        ],
        header=[_("Union code"), _("Cadre"), _("Union post"), _("Duty days held"), _("Duty days missed")],
        rows=rows,
    )


# --- associations --------------------------------------------------------------------------------------

def associations_section(span: Span, union=None) -> Section:
    if union is not None:
        return _not_applicable("associations", _("Associations"),
                               _("Associations are run district-wide; they are not reported per union."))
    held = Activity.objects.filter(status=Activity.Status.HELD)
    totals = held.aggregate(**_prefixed(_three(span, "starts_at__date"), "held"))
    people = SignUp.objects.filter(attended=True, activity__status=Activity.Status.HELD).aggregate(
        **_prefixed(_three(span, "activity__starts_at__date"), "people"))
    planned = dict(PlannedActivity.objects.filter(year=span.start.year).values("association")
                   .annotate(n=Count("pk")).order_by().values_list("association", "n"))
    per_association = (held.filter(starts_at__date__range=(span.year_start, span.end)).values("association")
                       .annotate(in_month=Count("pk", filter=Q(starts_at__date__range=(span.start, span.end))),
                                 ytd=Count("pk"))
                       .order_by().values_list("association", "association__name", "in_month", "ytd"))
    rows, seen = [], set()
    for pk, name, month, ytd in per_association:
        seen.add(pk)
        rows.append([name, month, ytd, planned.get(pk, 0)])
    if len(seen) < len(planned):
        from associations.models import Association

        for pk, name in Association.objects.filter(pk__in=set(planned) - seen).values_list("pk", "name"):
            rows.append([name, 0, 0, planned[pk]])
    rows.sort(key=lambda row: row[0])
    return Section(
        key="associations", title=_("Associations"),
        figures=[
            _figure(_("Activities held"), totals, "held"),
            Figure(_("Activities planned for the year"), None, sum(planned.values()), None),
            _figure(_("Participants"), people, "people"),
        ],
        header=[_("Association"), _("Held in the month"), _("Held in the year"), _("Planned for the year")],
        rows=rows[:ROW_LIMIT],
    )


# --- discount cards ------------------------------------------------------------------------------------

def cards_section(span: Span, union=None) -> Section:
    cards, checks, redemptions = Card.objects.all(), CardCheck.objects.all(), Redemption.objects.all()
    if union is not None:
        cards = cards.filter(member__union=union)
        checks = checks.filter(card__member__union=union)
        redemptions = redemptions.filter(card__member__union=union)

    def active_at(day):
        return Q(issued_on__lte=day) & (Q(status=Card.Status.ACTIVE) | Q(status_changed_on__gt=day))

    card_totals = cards.aggregate(**_prefixed(_three(span, "issued_on"), "issued"),
                                  active_m=Count("pk", filter=active_at(span.end)),
                                  active_l=Count("pk", filter=active_at(span.ly_end)))
    check_totals = checks.aggregate(**_prefixed(_three(span, "at__date"), "checks"))
    red_totals = redemptions.aggregate(**_prefixed(_three(span, "at__date"), "n"),
                                       **_prefixed(_three(span, "at__date", total="discount_given"), "discount"),
                                       **_prefixed(_three(span, "at__date", total="amount_spent"), "spent"))
    in_month = Q(at__date__range=(span.start, span.end))
    rows = [[name, n, _money(spent), _money(discount)] for name, n, spent, discount in
            redemptions.filter(in_month).values("merchant").annotate(
                n=Count("pk"), spent=Sum("amount_spent"), discount=Sum("discount_given"))
            .order_by("merchant__name").values_list("merchant__name", "n", "spent", "discount")[:ROW_LIMIT]]
    return Section(
        key="cards", title=_("Discount cards"),
        note=_("Cards of this union's members.") if union is not None else "",
        figures=[
            _figure(_("Cards issued"), card_totals, "issued"),
            Figure(_("Cards active at month end"), card_totals["active_m"], None, card_totals["active_l"]),
            _figure(_("Card checks"), check_totals, "checks"),
            _figure(_("Redemptions"), red_totals, "n"),
            _figure(_("Amount spent"), red_totals, "spent", money=True),
            _figure(_("Discount given"), red_totals, "discount", money=True),
        ],
        header=[_("Merchant"), _("Redemptions"), _("Amount spent"), _("Discount given")],
        rows=rows,
    )


# --- the report and the dashboard ------------------------------------------------------------------------

def build_report(month: datetime.date, union=None) -> Report:
    """The monthly report for the month containing ``month``: the district's, or one union's."""
    span = Span(month)
    sections = [
        membership_section(span, union),
        dues_section(span, union),
        hardship_section(span, union),
        grievances_section(span, union),
        secondment_section(span, union),
        associations_section(span, union),
        cards_section(span, union),
    ]
    # No title: the renderer writes the official Chinese one ("2026年10月工作报告", a union's name first).
    return Report(month=span.start, union=union, generated_at=timezone.now(), sections=sections)


def headline(today: datetime.date) -> list[Figure]:
    """This month's headline figures for the staff dashboard, as of ``today``."""
    start = today.replace(day=1)
    received = Remittance.objects.filter(received_on__range=(start, today)).aggregate(
        total=Sum("amount"))["total"]
    return [
        Figure(_("Members"), Member.objects.active().count()),
        Figure(_("Funds received this month"), _money(received), unit=YUAN),
        Figure(_("Hardship fund balance"), fund.balance(until=today), unit=YUAN),
        Figure(_("Open cases"), Case.objects.open().count()),
        Figure(_("Cadres active"), SecondmentTerm.objects.active_on(today).count()),
        Figure(_("Activities held this month"), Activity.objects.filter(
            status=Activity.Status.HELD, starts_at__date__range=(start, today)).count()),
        Figure(_("Redemptions this month"), Redemption.objects.filter(at__date__range=(start, today)).count()),
    ]
