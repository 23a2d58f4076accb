"""The to-do card's items for job changers (``members.services.transfers``), registered in
``members/dashboard.py`` beside the dues sources (orders 20 and 25). Each source is one or two queries,
whatever the number of transfers."""

from django.db.models import Count, Min
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from unionhub.contributions import Scope, Severity, TodoItem, severity_for

from . import permissions
from .models import MemberTransfer
from .services import transfers

NAMES_SHOWN = 3


def chair_items(scope: Scope) -> list[TodoItem] | None:
    """A chair's transfers out still open to contest (one item per union, by the earliest deadline) and the
    transfers in of the last 30 days (one item per union, undated). None for anyone but a chair."""
    user, today = scope.user, scope.day
    if not user.is_union_chair:
        return None
    items = []
    out = list(transfers.contestable_for(user, today))
    by_union: dict[int, list[MemberTransfer]] = {}
    for transfer in out:
        by_union.setdefault(transfer.from_union_id, []).append(transfer)
    many = len(by_union) > 1
    for rows in by_union.values():
        union, deadline = rows[0].from_union, min(t.contest_deadline for t in rows)
        names = "、".join(t.from_member.name for t in rows[:NAMES_SHOWN]) + (
            "…" if len(rows) > NAMES_SHOWN else ""
        )
        title = ngettext(
            "%(n)d member transferred to another union: confirm or contest",
            "%(n)d members transferred to other unions: confirm or contest",
            len(rows),
        ) % {"n": len(rows)}
        items.append(
            TodoItem(
                due=deadline,
                title=f"{union.code} · {title}" if many else title,
                detail=_("%(names)s. If one has not in fact changed jobs, contest it by %(date)s.")
                % {"names": names, "date": deadline.isoformat()},
                url=reverse("members:union_transfers", kwargs={"pk": union.pk}) + "?direction=out",
                action=_("Review the transfers"),
                severity=severity_for(deadline, today, warn_days=3),
                sort_key=f"transfers.out {union.code}",
                kind="transfers.contest",
            )
        )
    incoming = (
        transfers.incoming_for(user)
        .order_by()
        .values("to_union", "to_union__code")
        .annotate(n=Count("pk"), first=Min("created_at"))
    )
    for row in incoming:
        items.append(
            TodoItem(
                due=None,
                title=ngettext(
                    "%(code)s · %(n)d member transferred in",
                    "%(code)s · %(n)d members transferred in",
                    row["n"],
                )
                % {"code": row["to_union__code"], "n": row["n"]},
                detail=_("Check their enterprise and details on the new memberships."),
                url=reverse("members:union_transfers", kwargs={"pk": row["to_union"]}) + "?direction=in",
                action=_("See the transfers in"),
                severity=Severity.NORMAL,
                sort_key=f"transfers.in {row['to_union__code']}",
                kind="transfers.incoming",
            )
        )
    return items


def staff_items(scope: Scope) -> list[TodoItem] | None:
    """Contested transfers waiting for a decision, within the dashboard's area filter: one item, dated by
    the oldest contest. For staff who may decide them (the organisation duty); None for anyone else."""
    user = scope.user
    if not permissions.can_resolve_transfer(user):
        return None
    waiting = list(transfers.contested(area=scope.area)[: NAMES_SHOWN + 1])
    if not waiting:
        return []
    count = len(waiting) if len(waiting) <= NAMES_SHOWN else transfers.contested(area=scope.area).count()
    oldest = waiting[0]
    since = oldest.contested_at.date() if oldest.contested_at else scope.day
    return [
        TodoItem(
            due=since,
            title=ngettext("%(n)d contested transfer to decide", "%(n)d contested transfers to decide", count)
            % {"n": count},
            detail="、".join(
                f"{t.from_member.name}（{t.from_union.code} → {t.to_union.code}）"
                for t in waiting[:NAMES_SHOWN]
            )
            + ("…" if count > NAMES_SHOWN else ""),
            url=oldest.get_absolute_url(),
            action=_("Decide"),
            severity=Severity.WARNING,
            sort_key="transfers.contested",
            kind="transfers.contested",
        )
    ]
