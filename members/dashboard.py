"""The registry's contributions to the dashboard and to a grid area's page (see
``unionhub/contributions.py``): the district's unions, enterprises and members, union funds, the
largest unions and committees due for re-election, and a chair's "My union".

A union's card on the chair's dashboard shows what other programmes add to it (``@union_card``: the
workers' home's level, for one); this module does not know them."""

import datetime
from urllib.parse import urlencode

from django.db.models import Count, F, Max, Min, OuterRef, Q, Subquery
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language, gettext_lazy, ngettext
from django.utils.translation import gettext as _

from unionhub.access import has_duty
from unionhub.areas import filter_by_area
from unionhub.contributions import (
    Scope,
    Severity,
    TodoItem,
    area_figures,
    contributions,
    dashboard_panel,
    district_figures,
    register_scope_models,
    severity_for,
    todo_items,
)
from unionhub.money import format_money

from . import transfers_todo
from .models import (
    Area,
    DuesPeriod,
    DuesUpload,
    Enterprise,
    GrassrootsUnion,
    JoinApplication,
    Member,
    PaymentInstructions,
    Remittance,
)
from .services import dues

register_scope_models(area=Area, union=GrassrootsUnion)


# --- figures shared by the dashboard, the area page and the reports ------------------------------------


def operating_enterprises(scope: Scope) -> int:
    return (
        filter_by_area(Enterprise.objects.all(), scope.area, "union")
        .filter(status=Enterprise.Status.OPERATING)
        .count()
    )


def member_counts(scope: Scope) -> dict:
    """Members, women, migrant workers and those who joined this year, in one query."""
    return filter_by_area(Member.objects.all(), scope.area, "union").aggregate(
        members=Count("pk", filter=Q(status__in=Member.ACTIVE_STATUSES)),
        women=Count("pk", filter=Q(status__in=Member.ACTIVE_STATUSES, sex=Member.Sex.FEMALE)),
        migrants=Count("pk", filter=Q(status__in=Member.ACTIVE_STATUSES, is_migrant_worker=True)),
        joined_this_year=Count("pk", filter=Q(joined_on__year=scope.day.year)),
    )


def funds_received(scope: Scope):
    return filter_by_area(Remittance.objects.all(), scope.area, "period__union").received_in_year(
        scope.day.year
    )


# --- the staff's "The district" --------------------------------------------------------------------------


@district_figures(order=10, template="members/dashboard/district_registry.html")
def registry_figures(scope: Scope) -> dict:
    return {
        "unions": GrassrootsUnion.objects.in_area(scope.area)
        .filter(status=GrassrootsUnion.Status.ACTIVE)
        .count(),
        "enterprises": operating_enterprises(scope),
        **member_counts(scope),
    }


@district_figures(order=50, template="members/dashboard/district_dues.html")
def dues_figures(scope: Scope) -> dict:
    return {
        "funds_received": funds_received(scope),
        "arrears": filter_by_area(DuesPeriod.objects.all(), scope.area, "union")
        .in_arrears(scope.day)
        .count(),
    }


# Committee terms (换届) on the staff's dashboard: how far ahead "coming up" looks, and how many are listed.
TERM_HORIZON_DAYS = 90
TERMS_SHOWN = 10


@dashboard_panel(order=10, template="members/dashboard/largest_unions.html")
def largest_unions(scope: Scope) -> dict | None:
    if not scope.user.is_federation_staff:
        return None
    largest = list(
        filter_by_area(Member.objects.active(), scope.area, "union")
        .values_list("union_id")
        .annotate(n=Count("pk"))
        .values_list("union_id", "n")
        .order_by("-n")[:8]
    )
    unions = GrassrootsUnion.objects.in_bulk([pk for pk, _ in largest])
    ending, overdue = committee_terms(scope)
    return {
        "largest_unions": [(unions[pk], n) for pk, n in largest],
        "terms_ending": ending[:TERMS_SHOWN],
        "terms_ending_count": len(ending),
        "terms_overdue": overdue[:TERMS_SHOWN],
        "terms_overdue_count": len(overdue),
    }


def committee_terms(scope: Scope) -> tuple[list, list]:
    """The committees whose term ends within the next 90 days (即将换届, soonest first), and apart from them
    those whose term has ended without a new one recorded (已到期未换届, longest overdue first): the first is
    the federation's calendar of elections to prepare, the second the unions it must chase. A term that ended
    in 2024 is not "coming up"; mixing the two filled the card with old terms."""
    today = scope.day
    horizon = today + datetime.timedelta(days=TERM_HORIZON_DAYS)
    unions = GrassrootsUnion.objects.in_area(scope.area).filter(
        committee_term_start__isnull=False, status=GrassrootsUnion.Status.ACTIVE
    )
    ending, overdue = [], []
    for union in unions:
        end = union.committee_term_end
        if today <= end <= horizon:
            ending.append(union)
        elif end < today:
            overdue.append(union)
    ending.sort(key=lambda u: (u.committee_term_end, u.code))
    overdue.sort(key=lambda u: (u.committee_term_end, u.code))
    return ending, overdue


# --- a union chair's "My union" --------------------------------------------------------------------------


@dashboard_panel(order=20, template="members/dashboard/my_union.html")
def my_union(scope: Scope) -> dict | None:
    user = scope.user
    if not user.is_union_chair:
        return None
    # What other programmes add to each union's card: annotations of the union and a template each.
    annotations, cards = {}, {}
    for card in contributions("union_card"):
        values = dict(card.func(scope) or {})
        annotations.update(values.pop("annotations", {}))
        cards.update(values)
    my_unions = GrassrootsUnion.objects.filter(chair=user).annotate(
        members_n=Count("members", filter=Q(members__status__in=Member.ACTIVE_STATUSES), distinct=True),
        enterprises_n=Count("enterprises", distinct=True),
        # The area this union leads, if any: its chair gets the "My area" card.
        led_area_pk=Subquery(Area.objects.filter(lead_union=OuterRef("pk")).values("pk")[:1]),
        led_area_name=Subquery(Area.objects.filter(lead_union=OuterRef("pk")).values("name")[:1]),
        **annotations,
    )
    return {
        "my_unions": my_unions,
        "union_card_templates": [c.template for c in contributions("union_card")],
        **cards,
        # The union funds to declare, pay or fix are the to-do card's (``chair_dues_todo``), not a list here.
        "recent_members": (
            Member.objects.visible_to(user).select_related("enterprise").order_by("-joined_on", "-pk")[:5]
        ),
    }


# --- the to-do card (待办): a chair's periods to declare and pay, the district's late unions, transfers ---


@todo_items(order=20, shows=gettext_lazy("transfers to confirm or contest"))
def chair_transfers_todo(scope: Scope) -> list[TodoItem] | None:
    return transfers_todo.chair_items(scope)


@todo_items(order=25, shows=gettext_lazy("contested transfers to decide"))
def district_transfers_todo(scope: Scope) -> list[TodoItem] | None:
    return transfers_todo.staff_items(scope)


@todo_items(order=22, shows=gettext_lazy("applications to join the union"))
def chair_join_applications_todo(scope: Scope) -> list[TodoItem] | None:
    """A chair's applications to join waiting for a decision: one item per union, undated (no deadline), the
    oldest application's date in the detail. One query."""
    if not scope.user.is_union_chair:
        return None
    rows = (
        JoinApplication.objects.pending()
        .filter(union__chair=scope.user)
        .order_by()
        .values("union", "union__code")
        .annotate(n=Count("pk"), first=Min("created_at"))
        .order_by("union__code")
    )
    return [
        TodoItem(
            due=None,
            title=ngettext(
                "%(code)s · %(n)d application to join the union",
                "%(code)s · %(n)d applications to join the union",
                row["n"],
            )
            % {"code": row["union__code"], "n": row["n"]},
            detail=_(
                "Waiting since %(date)s. Check each against the employer's records, then approve or decline."
            )
            % {"date": timezone.localdate(row["first"]).isoformat()},
            url=reverse("members:join_applications"),
            action=_("Decide the applications"),
            severity=Severity.NORMAL,
            sort_key=f"join {row['union__code']}",
            kind="members.join",
        )
        for row in rows
    ]


@todo_items(order=27, shows=gettext_lazy("enterprises whose workers asked for a union"))
def district_join_referrals_todo(scope: Scope) -> list[TodoItem] | None:
    """Organisation staff: workers of enterprises without a union who asked to join. One query."""
    if not has_duty(scope.user, "members.view_joinapplication"):
        return None
    found = JoinApplication.objects.referred().aggregate(
        n=Count("pk"), employers=Count("enterprise_name", distinct=True)
    )
    if not found["n"]:
        return []
    return [
        TodoItem(
            due=None,
            title=ngettext(
                "%(n)d worker asked to join at an employer with no union",
                "%(n)d workers asked to join at employers with no union",
                found["n"],
            )
            % {"n": found["n"]},
            detail=ngettext(
                "%(count)d employer to organise.", "%(count)d employers to organise.", found["employers"]
            )
            % {"count": found["employers"]},
            url=reverse("members:join_to_organise"),
            action=_("See the enterprises to organise"),
            severity=Severity.NORMAL,
            sort_key="join referred",
            kind="members.join_referred",
        )
    ]


def _upload_url(union_pk: int, label: str) -> str:
    """The union's dues page, at the upload form, with the period chosen."""
    return (
        reverse("members:union_dues", kwargs={"pk": union_pk})
        + "?"
        + urlencode({"period": label})
        + "#upload"
    )


def _sentences(*parts: str) -> str:
    """Sentences of one detail line: Chinese runs them together, English puts a space between."""
    sep = "" if (get_language() or "").startswith("zh") else " "
    return sep.join(part for part in parts if part)


def _payment_order_line(period: DuesPeriod, today: datetime.date) -> str:
    if not period.payment_order_due(today):
        return ""
    return _("Over three months overdue: the federation may apply to the court for a payment order (支付令).")


def _upload_items(unions: dict, today: datetime.date, title) -> tuple[list[TodoItem], set[DuesPeriod]]:
    """Each period's latest upload that is checked and waiting to be committed, or that has errors to fix,
    unless the period was declared since. Returns the items and the periods they cover."""
    latest = (
        DuesUpload.objects.filter(union__in=unions.values())
        .order_by()
        .values("period")
        .annotate(last=Max("pk"))
        .values_list("last", flat=True)
    )
    waiting = (
        DuesUpload.objects.filter(
            pk__in=latest,
            status__in=[DuesUpload.Status.VALID, DuesUpload.Status.INVALID, DuesUpload.Status.UNREADABLE],
        )
        .select_related("period", "period__declared_upload")
        .order_by("period__due_date", "pk")
    )
    items, periods = [], set()
    for upload in waiting:
        period = upload.period
        declared = period.declared_upload
        if declared is not None and declared.committed_at and declared.committed_at > upload.uploaded_at:
            continue
        union = unions[upload.union_id]
        values = {"period": period.label, "n": upload.error_count, "file": upload.original_name}
        if upload.status == DuesUpload.Status.VALID:
            text = _("Commit the sheet for %(period)s")
            detail = _("%(file)s is checked and has no errors: review it and commit to declare.") % values
            action, kind = _("Review and commit"), "dues.commit"
        elif upload.status == DuesUpload.Status.INVALID:
            text = _("Fix the sheet for %(period)s")
            detail = (
                ngettext(
                    "%(file)s has %(n)d error: correct it in the sheet and upload it again.",
                    "%(file)s has %(n)d errors: correct them in the sheet and upload it again.",
                    upload.error_count,
                )
                % values
            )
            action, kind = _("See the errors"), "dues.fix"
        else:
            text = _("Upload the sheet for %(period)s again")
            detail = _("%(file)s could not be read: save it as .xlsx and upload it again.") % values
            action, kind = _("See why"), "dues.fix"
        severity = severity_for(period.due_date, today)
        if severity == Severity.OVERDUE:
            overdue_line = _payment_order_line(period, today) or _("Overdue since %(date)s.") % {
                "date": period.due_date.isoformat()
            }
            detail = _sentences(detail, overdue_line)
        items.append(
            TodoItem(
                due=period.due_date,
                title=title(union, text % values),
                detail=detail,
                url=upload.get_absolute_url(),
                action=action,
                severity=severity,
                sort_key=f"{union.code} {period.start.isoformat()}",
                kind=kind,
            )
        )
        periods.add(period)
    return items, periods


@todo_items(order=10, shows=gettext_lazy("periods to declare and to pay, and dues sheets to finish"))
def chair_dues_todo(scope: Scope) -> list[TodoItem] | None:
    """A chair's union funds: the next period to declare, the declared periods to pay with how to pay,
    the overdue ones (oldest first, with the payment-order warning at three months) and the sheets
    waiting to be committed or fixed."""
    user, today = scope.user, scope.day
    if not user.is_union_chair:
        return None
    unions = {u.pk: u for u in GrassrootsUnion.objects.filter(chair=user).order_by("code")}
    if not unions:
        return []
    many = len(unions) > 1

    def title(union, text):
        return f"{union.code} · {text}" if many else text

    items, covered = _upload_items(unions, today, title)
    instructions = PaymentInstructions.current()
    pay_more = {"more": "members/todo/_pay.html", "context": {"instructions": instructions}}
    no_instructions = (
        "" if instructions and instructions.is_set else _("Ask the federation's finance office how to pay.")
    )
    periods = (
        DuesPeriod.objects.filter(union__in=unions.values())
        .exclude(pk__in=[p.pk for p in covered])
        .with_received()
        .filter(Q(funds_due__isnull=True, due_date__lt=today) | Q(funds_due__gt=F("received_total")))
        .order_by("due_date", "union__code")
    )
    for period in periods:
        union = unions[period.union_id]
        key = f"{union.code} {period.start.isoformat()}"
        values = {"period": period.label, "date": period.due_date.isoformat()}
        if period.due_date < today:
            days = period.days_overdue(today)
            overdue = ngettext("%(days)d day overdue.", "%(days)d days overdue.", days) % {"days": days}
            warning = _payment_order_line(period, today)
            if period.funds_due is None:
                items.append(
                    TodoItem(
                        due=period.due_date,
                        title=title(union, _("%(period)s not declared") % values),
                        detail=_sentences(overdue, warning, _("Upload the payroll sheet now.")),
                        url=_upload_url(union.pk, period.label),
                        action=_("Upload sheet"),
                        severity=Severity.OVERDUE,
                        sort_key=key,
                        kind="dues.overdue",
                    )
                )
            else:
                outstanding = period.outstanding(period.received_total)
                items.append(
                    TodoItem(
                        due=period.due_date,
                        title=title(
                            union,
                            _("%(period)s overdue: ¥%(amount)s to pay")
                            % {**values, "amount": format_money(outstanding)},
                        ),
                        detail=_sentences(overdue, warning, no_instructions),
                        url=period.get_absolute_url(),
                        action=_("See the period"),
                        severity=Severity.OVERDUE,
                        sort_key=key,
                        kind="dues.overdue",
                        **pay_more,
                    )
                )
        elif period.funds_due is not None:
            outstanding = period.outstanding(period.received_total)
            received = (
                _("¥%(amount)s received so far.") % {"amount": format_money(period.received_total)}
                if period.received_total
                else ""
            )
            items.append(
                TodoItem(
                    due=period.due_date,
                    title=title(
                        union,
                        _("Pay ¥%(amount)s for %(period)s") % {**values, "amount": format_money(outstanding)},
                    ),
                    detail=_sentences(_("Declared; due by %(date)s.") % values, received, no_instructions),
                    url=period.get_absolute_url(),
                    action=_("See the period"),
                    severity=severity_for(period.due_date, today),
                    sort_key=key,
                    kind="dues.pay",
                    **pay_more,
                )
            )
    covered_labels = {(p.union_id, p.label) for p in covered}
    for union in unions.values():
        if union.status != GrassrootsUnion.Status.ACTIVE:
            continue
        upcoming = next(
            (
                p
                for p in dues.declarable_periods(union, today=today)
                if not p.overdue and (union.pk, p.label) not in covered_labels
            ),
            None,
        )
        if upcoming is None:
            continue
        values = {"period": upcoming.label, "date": upcoming.due_date.isoformat()}
        items.append(
            TodoItem(
                due=upcoming.due_date,
                title=title(union, _("Declare %(period)s") % values),
                detail=_("Upload the payroll sheet for %(period)s by %(date)s.") % values,
                url=_upload_url(union.pk, upcoming.label),
                action=_("Upload sheet"),
                severity=severity_for(upcoming.due_date, today),
                sort_key=f"{union.code} {upcoming.period.start.isoformat()}",
                kind="dues.declare",
            )
        )
    return items


STUCK_CHECKING = datetime.timedelta(minutes=30)  # checking or committing for longer: the task died
STUCK_UNCOMMITTED = datetime.timedelta(days=3)  # checked without errors, never committed
STUCK_LISTED = 8


def _moment(day: datetime.date) -> datetime.datetime:
    """Now, on the scope's day; the end of that day when it is another day (a report, a test)."""
    if day == timezone.localdate():
        return timezone.now()
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.max))


def _district_money_items(scope: Scope, area_query: str) -> list[TodoItem]:
    """For finance staff: declared periods three months overdue (a payment order may be applied for), and
    credits (多缴) waiting to be carried or refunded."""
    periods = filter_by_area(DuesPeriod.objects.all(), scope.area, "union")
    items = []
    orders = [a for a in dues.arrears(queryset=periods, today=scope.day) if a.payment_order and a.outstanding]
    if orders:
        oldest = min(orders, key=lambda a: a.period.due_date)
        items.append(
            TodoItem(
                due=oldest.period.due_date,
                title=ngettext(
                    "%(n)d period unpaid three months after its due date",
                    "%(n)d periods unpaid three months after their due date",
                    len(orders),
                )
                % {"n": len(orders)},
                detail=_("¥%(amount)s outstanding; the federation may apply for a payment order (支付令).")
                % {"amount": format_money(sum(a.outstanding for a in orders))},
                url=reverse("members:arrears") + area_query,
                action=_("See the arrears"),
                severity=Severity.OVERDUE,
                sort_key="dues.orders",
                kind="dues.orders",
            )
        )
    # Every credit counts (they are few: a replaced declaration each), two numbers a row.
    credits = [
        received - due for received, due in periods.overpaid().values_list("received_total", "funds_due")
    ]
    if credits:
        total = sum(credits)
        items.append(
            TodoItem(
                due=None,
                title=ngettext(
                    "%(n)d overpaid credit to settle", "%(n)d overpaid credits to settle", len(credits)
                )
                % {"n": len(credits)},
                detail=_(
                    "¥%(amount)s overpaid (多缴): carry each to the union's next period or record its refund."
                )
                % {"amount": format_money(total)},
                url=reverse("members:arrears") + area_query + "#credits",
                action=_("Settle"),
                severity=Severity.WARNING,
                sort_key="dues.credits",
                kind="dues.credits",
            )
        )
    return items


@todo_items(
    order=15,
    shows=gettext_lazy("unions late to declare, unpaid periods, credits to settle and dues sheets stuck"),
)
def district_dues_todo(scope: Scope) -> list[TodoItem] | None:
    """The district version, for staff: unions late to declare (finance duty) and dues sheets stuck in
    checking or committing, or checked and never committed (organisation or finance duty), within the
    dashboard's area filter."""
    user, today = scope.user, scope.day
    if not user.is_federation_staff:
        return None
    finance = has_duty(user, "members.add_remittance")
    sheets = finance or has_duty(user, "members.change_member")
    if not (finance or sheets):
        return None
    items = []
    area_query = f"?{urlencode({'area': scope.area.pk})}" if scope.area else ""
    if finance:
        late = filter_by_area(DuesPeriod.objects.all(), scope.area, "union").filter(
            funds_due__isnull=True, due_date__lt=today, union__status=GrassrootsUnion.Status.ACTIVE
        )
        unions_late = late.values("union").distinct().count()
        if unions_late:
            oldest = list(late.select_related("union").order_by("due_date", "union__code")[:3])
            items.append(
                TodoItem(
                    due=oldest[0].due_date,
                    title=ngettext("%(n)d union late to declare", "%(n)d unions late to declare", unions_late)
                    % {"n": unions_late},
                    detail=_("Oldest: %(list)s")
                    % {
                        "list": "、".join(
                            f"{p.union.code} {p.union.name} {p.label}（{p.due_date.isoformat()}）"
                            for p in oldest
                        )
                    },
                    url=reverse("members:arrears") + area_query,
                    action=_("See the arrears"),
                    severity=Severity.OVERDUE,
                    sort_key="dues.late",
                    kind="dues.late",
                )
            )
        items.extend(_district_money_items(scope, area_query))
    if sheets:
        now = _moment(today)
        stuck = (
            filter_by_area(DuesUpload.objects.all(), scope.area, "union")
            .filter(
                Q(
                    status__in=[DuesUpload.Status.PENDING, DuesUpload.Status.COMMITTING],
                    uploaded_at__lt=now - STUCK_CHECKING,
                )
                | Q(status=DuesUpload.Status.VALID, uploaded_at__lt=now - STUCK_UNCOMMITTED)
            )
            .select_related("union", "period")
            .order_by("uploaded_at", "pk")
        )
        total = stuck.count()
        for upload in stuck[:STUCK_LISTED]:
            values = {"code": upload.union.code, "period": upload.period.label, "file": upload.original_name}
            if upload.status == DuesUpload.Status.VALID:
                text = _("%(code)s %(period)s: checked, never committed") % values
                detail = (
                    _("%(file)s has waited more than three days: remind the chair, or commit it.") % values
                )
            else:
                text = _("%(code)s %(period)s: stuck in %(status)s") % {
                    **values,
                    "status": upload.get_status_display(),
                }
                detail = (
                    _("%(file)s has been in this state for more than 30 minutes: the task may have stopped.")
                    % values
                )
            items.append(
                TodoItem(
                    due=timezone.localdate(upload.uploaded_at),
                    title=text,
                    detail=detail,
                    url=upload.get_absolute_url(),
                    action=_("Open the sheet"),
                    severity=Severity.WARNING,
                    sort_key=f"{upload.union.code} {upload.pk:012d}",
                    kind="dues.stuck",
                )
            )
        if total > STUCK_LISTED:
            items.append(
                TodoItem(
                    due=None,
                    title=ngettext(
                        "%(n)d more stuck dues sheet", "%(n)d more stuck dues sheets", total - STUCK_LISTED
                    )
                    % {"n": total - STUCK_LISTED},
                    url=reverse("members:dues_overview") + area_query,
                    action=_("Dues"),
                    sort_key="dues.stuck.more",
                    kind="dues.stuck",
                )
            )
    return items


# --- a grid area's page ----------------------------------------------------------------------------------


def _counts_by(queryset, key: str) -> dict:
    return dict(queryset.values_list(key).annotate(n=Count("pk")).values_list(key, "n").order_by())


@area_figures(order=10)
def area_registry(scope: Scope) -> dict:
    members = member_counts(scope)
    return {
        "unions": scope.area.unions.count(),
        "enterprises": operating_enterprises(scope),
        "members": members["members"],
        "migrants": members["migrants"],
    }


@area_figures(order=20)
def area_dues(scope: Scope) -> dict:
    overdue = dues.arrears(queryset=DuesPeriod.objects.filter(union__area=scope.area), today=scope.day)
    return {
        "funds_received": funds_received(scope),
        "arrears_count": len(overdue),
        "arrears_total": sum((a.outstanding or 0) for a in overdue),
    }
