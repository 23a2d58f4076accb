"""Job changers (会员组织关系转接): a person's membership moves from one union to another.

A dues sheet that lists an active member of another union transfers them in on commit
(``apply_sheet_transfers``, called by ``dues.apply_plan`` in its transaction); staff or the member's
chair record one by hand (``transfer_member``). Either way the old membership ends first ("transferred
out to …"), then the new one begins ("transferred in from …"): the one-active-membership rule holds
at every statement. The old union's chair is told and may contest within
``UNIONHUB_TRANSFER_CONTEST_DAYS``; staff with the organisation duty uphold or reverse a contested
transfer. The to-do list asks ``contestable_for``, ``incoming_for`` and ``contested``."""

import datetime
import json
from collections import Counter
from dataclasses import dataclass

from auditlog.context import set_actor
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import F, Q, Value
from django.db.models.expressions import RawSQL
from django.db.models.functions import Greatest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from unionhub.access import require
from unionhub.bulk import bulk_insert
from unionhub.notices import notify

from .. import permissions
from ..models import (
    DuesUpload,
    Enterprise,
    GrassrootsUnion,
    Member,
    MembershipEvent,
    MemberTransfer,
)
from . import insert_events, insert_members

CHUNK = 5000  # pks per ``IN (…)``: well under SQLite's and PostgreSQL's parameter limits
RECENT_DAYS = 30  # how far back ``incoming_for`` looks
REASON_MAX = 1000
LISTED = 200  # transfers listed by name on the preview


def contest_days() -> int:
    return int(getattr(settings, "UNIONHUB_TRANSFER_CONTEST_DAYS", 15))


class RosterChanged(IntegrityError):
    """A membership the plan would transfer is no longer active in its union (someone else moved it
    meanwhile). An ``IntegrityError`` so that the commit's existing "the roster changed" path refuses
    the whole sheet and checks it again, as for a new member registered elsewhere meanwhile."""


@dataclass
class TransferIn:
    """A row of a dues sheet whose person is an active member of another union: transferred in on commit."""

    row: int
    name: str
    id_number: str
    phone: str
    enterprise_id: int
    from_member_id: int
    from_union_id: int
    from_union_code: str
    from_union_name: str

    @property
    def from_union_label(self) -> str:
        return f"{self.from_union_code} {self.from_union_name}"


def active_elsewhere(id_numbers: list[str], union: GrassrootsUnion) -> dict[str, tuple]:
    """ID number -> (member pk, union pk, union code, union name, member's name) of active members of
    other unions."""
    found = {}
    for chunk in _chunks(id_numbers):
        for number, *rest in (
            Member.objects.active()
            .filter(id_number__in=_any(chunk, "text"))
            .exclude(union=union)
            .values_list("id_number", "pk", "union_id", "union__code", "union__name", "name")
        ):
            found[number] = tuple(rest)
    return found


def same_name(sheet_name: str, roster_name: str) -> bool:
    """A transfer needs the sheet's name and the roster's to agree (spaces aside): an ID number alone
    must not move a person, nor tell the chair which union they belong to (issue 17's oracle)."""
    return "".join(sheet_name.split()) == "".join(roster_name.split())


def sheet_summary(transfers: list[TransferIn]) -> dict:
    """The preview's figures: how many, and from which unions (largest first)."""
    counts = Counter((t.from_union_code, t.from_union_name) for t in transfers)
    return {
        "transfers": len(transfers),
        "transfers_from": [
            {"code": code, "name": name, "count": count}
            for (code, name), count in sorted(counts.items(), key=lambda item: (-item[1], item[0]))
        ],
        # Who comes from where, by sheet row (the names are the chair's own sheet's), the first LISTED.
        "transfer_rows": [[t.row, t.name, t.from_union_code] for t in transfers[:LISTED]],
    }


def _chunks(items: list, size: int = CHUNK):
    """Slices for ``IN (…)`` lists; on PostgreSQL and SQLite one slice, sent as a single parameter (see
    ``_any``)."""
    if connection.vendor in ("postgresql", "sqlite"):
        size = max(len(items), 1)
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _any(values: list, sql_type: str):
    """The right-hand side of ``field__in`` as one parameter, where 50,000 separate ones cost more to
    compile and bind than the query takes: on PostgreSQL an array (``IN (SELECT unnest(%s::text[]))``),
    on SQLite a JSON list (``IN (SELECT value FROM json_each(%s))``; JSON1 is built in, and Django's
    JSONField needs it anyway); elsewhere the list itself."""
    if connection.vendor == "postgresql":
        return RawSQL(f"SELECT unnest(%s::{sql_type}[])", [values])  # noqa: S611 - the type is ours
    if connection.vendor == "sqlite":
        return RawSQL("SELECT value FROM json_each(%s)", [json.dumps(values)])  # noqa: S611 - a constant
    return values


def _note(text: str) -> str:
    return text[:200]


def apply_sheet_transfers(
    *, by, upload: DuesUpload, union: GrassrootsUnion, on: datetime.date, transfers: list[TransferIn], now
) -> dict[int, int]:
    """Perform a committed sheet's transfers in the caller's transaction: lock the old memberships
    (``SELECT … FOR UPDATE``, in pk order), check each is still active in its union (else
    ``RosterChanged``: nothing is written), end them, then add the new memberships, both sides' events,
    the transfer records and one notice per old union. Returns sheet row -> new member pk."""
    if not transfers:
        return {}
    by_pk = {t.from_member_id: t for t in transfers}
    pks = sorted(by_pk)
    carried = {}  # old member pk -> (education, political status, migrant, phone, transfer date)
    for chunk in _chunks(pks):
        for pk, union_id, education, political, migrant, phone, since in (
            Member.objects.select_for_update()
            .filter(pk__in=_any(chunk, "bigint"), status__in=Member.ACTIVE_STATUSES)
            .order_by("pk")
            .values_list(
                "pk",
                "union_id",
                "education",
                "political_status",
                "is_migrant_worker",
                "phone",
                "status_changed_on",
            )
        ):
            if union_id == by_pk[pk].from_union_id:
                # The period's start, or the day the old membership's status began when that is later.
                carried[pk] = (education, political, migrant, phone, max(on, since))
    if len(carried) != len(pks):
        raise RosterChanged("a membership to transfer is no longer active in its union")
    for chunk in _chunks(pks):
        Member.objects.filter(pk__in=_any(chunk, "bigint")).update(
            status=Member.Status.TRANSFERRED_OUT,
            status_changed_on=Greatest(F("status_changed_on"), Value(on)),
            updated_at=now,
        )
    recorded_by = by.pk if by else None
    out_note = _note(_("Transferred out to %(union)s") % {"union": union})
    insert_events(
        (pk, MembershipEvent.Kind.TRANSFERRED_OUT, c[4], by_pk[pk].from_union_id, out_note, recorded_by, now)
        for pk, c in carried.items()
    )
    insert_members(
        (
            t.name,
            t.id_number,
            t.phone or c[3],
            c[0],
            c[1],
            t.enterprise_id,
            union.pk,
            c[4],
            c[2],
            upload.pk,
            now,
        )
        for t, c in ((t, carried[t.from_member_id]) for t in transfers)
    )
    new_pks = {}
    for chunk in _chunks([t.id_number for t in transfers]):
        new_pks.update(
            Member.objects.active()
            .filter(id_number__in=_any(chunk, "text"), union=union)
            .values_list("id_number", "pk")
        )
    in_notes = {}
    for t in transfers:
        if t.from_union_id not in in_notes:
            in_notes[t.from_union_id] = _note(
                _("Transferred in from %(union)s") % {"union": t.from_union_label}
            )
    insert_events(
        (
            new_pks[t.id_number],
            MembershipEvent.Kind.TRANSFERRED_IN,
            carried[t.from_member_id][4],
            union.pk,
            in_notes[t.from_union_id],
            recorded_by,
            now,
        )
        for t in transfers
    )
    deadline = timezone.localdate() + datetime.timedelta(days=contest_days())
    bulk_insert(
        MemberTransfer,
        [
            "from_member",
            "to_member",
            "from_union",
            "to_union",
            "on",
            "source",
            "upload",
            "status",
            "contest_deadline",
            "contest_reason",
            "resolution_note",
            "created_by",
            "created_at",
        ],
        (
            (
                t.from_member_id,
                new_pks[t.id_number],
                t.from_union_id,
                union.pk,
                carried[t.from_member_id][4],
                MemberTransfer.Source.SHEET,
                upload.pk,
                MemberTransfer.Status.DONE,
                deadline,
                "",
                "",
                recorded_by,
                now,
            )
            for t in transfers
        ),
    )
    _notify_old_unions(upload=upload, union=union, transfers=transfers, deadline=deadline)
    return {t.row: new_pks[t.id_number] for t in transfers}


def _notify_old_unions(*, upload: DuesUpload, union: GrassrootsUnion, transfers, deadline) -> None:
    counts = Counter(t.from_union_id for t in transfers)
    for old_union in GrassrootsUnion.objects.filter(pk__in=counts, chair__isnull=False).select_related(
        "chair"
    ):
        chair, count, union_id = old_union.chair, counts[old_union.pk], old_union.pk
        notify(
            user=chair,
            key=f"transfers-out:{upload.pk}:{union_id}",
            title=_("%(count)s member(s) transferred to %(union)s") % {"count": count, "union": union},
            body=_(
                "Their names were on %(union)s's dues sheet for %(period)s, so they have changed jobs. "
                "If a transfer is wrong, contest it by %(date)s."
            )
            % {"union": union, "period": upload.period.label, "date": deadline.isoformat()},
            url=reverse("members:union_transfers", kwargs={"pk": union_id}) + "?direction=out",
        )


# --- by hand, from a member's page ---------------------------------------------------------------------


def transfer_member(
    *,
    by,
    member: Member,
    to_union: GrassrootsUnion,
    enterprise: Enterprise,
    on: datetime.date,
    note: str = "",
    today: datetime.date | None = None,
) -> MemberTransfer:
    """Move ``member`` to ``to_union`` (at ``enterprise``) on ``on``: staff with the organisation duty,
    or the chair of the member's union. Safe to submit twice: a membership already transferred to the
    same union returns that transfer."""
    require(permissions.can_transfer_member(by, member))
    today = today or timezone.localdate()
    note = note.strip()[:200]
    if enterprise.union_id != to_union.pk:
        raise ValidationError(
            {
                "enterprise": _("%(enterprise)s is not covered by %(union)s.")
                % {"enterprise": enterprise, "union": to_union}
            }
        )
    if to_union.status != GrassrootsUnion.Status.ACTIVE:
        raise ValidationError({"to_union": _("%(union)s is dissolved.") % {"union": to_union}})
    if on > today:
        raise ValidationError({"on": _("The transfer date cannot be in the future.")})
    with transaction.atomic(), set_actor(by):
        member = Member.objects.select_for_update().select_related("union").get(pk=member.pk)
        if not member.is_active_member:
            done = (
                MemberTransfer.objects.filter(
                    from_member=member, to_union=to_union, status=MemberTransfer.Status.DONE
                )
                .order_by("-pk")
                .first()
            )
            if done is not None:
                return done
            raise ValidationError(
                _("A membership that is “%(status)s” cannot be transferred.")
                % {"status": member.get_status_display()}
            )
        if to_union.pk == member.union_id:
            raise ValidationError({"to_union": _("The member already belongs to this union.")})
        if on < member.status_changed_on:
            raise ValidationError(
                {
                    "on": _("The date cannot be before the current status began (%(date)s).")
                    % {"date": member.status_changed_on.isoformat()}
                }
            )
        old_union = member.union
        member.status, member.status_changed_on = Member.Status.TRANSFERRED_OUT, on
        member.save(update_fields=["status", "status_changed_on", "updated_at"])
        MembershipEvent.objects.create(
            member=member,
            kind=MembershipEvent.Kind.TRANSFERRED_OUT,
            on=on,
            union=old_union,
            note=_note(
                _("Transferred out to %(union)s") % {"union": to_union} + (f"；{note}" if note else "")
            ),
            recorded_by=by,
        )
        new = Member(
            name=member.name,
            id_number=member.id_number,
            phone=member.phone,
            education=member.education,
            political_status=member.political_status,
            enterprise=enterprise,
            union=to_union,
            joined_on=on,
            is_migrant_worker=member.is_migrant_worker,
            status=Member.Status.ACTIVE,
            status_changed_on=on,
        )
        new.derive_from_id_number()
        new.save()  # the partial unique index refuses a second active membership
        MembershipEvent.objects.create(
            member=new,
            kind=MembershipEvent.Kind.TRANSFERRED_IN,
            on=on,
            union=to_union,
            note=_note(_("Transferred in from %(union)s") % {"union": old_union}),
            recorded_by=by,
        )
        transfer = MemberTransfer.objects.create(
            from_member=member,
            to_member=new,
            from_union=old_union,
            to_union=to_union,
            on=on,
            source=MemberTransfer.Source.MANUAL,
            contest_deadline=today + datetime.timedelta(days=contest_days()),
            created_by=by,
        )
        url = transfer.get_absolute_url()
        if to_union.chair_id:
            notify(
                user=to_union.chair,
                key=f"transfer-in:{transfer.pk}",
                title=_("%(name)s transferred in from %(union)s") % {"name": new.name, "union": old_union},
                url=url,
            )
        if old_union.chair_id and old_union.chair_id != by.pk:
            notify(
                user=old_union.chair,
                key=f"transfer-out:{transfer.pk}",
                title=_("%(name)s transferred to %(union)s") % {"name": new.name, "union": to_union},
                body=_("If the transfer is wrong, contest it by %(date)s.")
                % {"date": transfer.contest_deadline.isoformat()},
                url=url,
            )
    return transfer


# --- contesting and resolving ------------------------------------------------------------------------


def contest_transfer(
    *, by, transfer: MemberTransfer, reason: str, today: datetime.date | None = None
) -> MemberTransfer:
    """The old union's chair says a transfer is wrong, with a reason, before its deadline."""
    require(permissions.can_contest_transfer(by, transfer))
    today = today or timezone.localdate()
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the transfer is wrong.")})
    if len(reason) > REASON_MAX:
        raise ValidationError({"reason": _("Keep the reason under %(n)s characters.") % {"n": REASON_MAX}})
    with transaction.atomic(), set_actor(by):
        transfer = MemberTransfer.objects.select_for_update().get(pk=transfer.pk)
        if transfer.status == MemberTransfer.Status.CONTESTED and transfer.contested_by_id == by.pk:
            return transfer  # submitted twice
        if transfer.status != MemberTransfer.Status.DONE:
            raise ValidationError(_("This transfer has already been contested or decided."))
        if today > transfer.contest_deadline:
            raise ValidationError(
                _("The time to contest this transfer ended on %(date)s; ask the federation.")
                % {"date": transfer.contest_deadline.isoformat()}
            )
        transfer.status = MemberTransfer.Status.CONTESTED
        transfer.contested_by, transfer.contested_at, transfer.contest_reason = by, timezone.now(), reason
        transfer.save(update_fields=["status", "contested_by", "contested_at", "contest_reason"])
        to_union = GrassrootsUnion.objects.select_related("chair").get(pk=transfer.to_union_id)
        if to_union.chair_id:
            notify(
                user=to_union.chair,
                key=f"transfer-contested:{transfer.pk}",
                title=_("A transfer in has been contested; the federation will decide"),
                url=transfer.get_absolute_url(),
            )
    return transfer


UPHOLD, REVERSE = "uphold", "reverse"


def resolve_transfer(
    *, by, transfer: MemberTransfer, outcome: str, note: str = "", today: datetime.date | None = None
) -> MemberTransfer:
    """Federation staff decide a contested transfer: ``uphold`` (it stands) or ``reverse`` (the new
    membership ends, then the old one is restored: never two active at once)."""
    require(permissions.can_resolve_transfer(by))
    if outcome not in (UPHOLD, REVERSE):
        raise ValidationError({"outcome": _("Choose to uphold or to reverse the transfer.")})
    today = today or timezone.localdate()
    note = note.strip()[:REASON_MAX]
    with transaction.atomic(), set_actor(by):
        transfer = MemberTransfer.objects.select_for_update().get(pk=transfer.pk)
        if transfer.status != MemberTransfer.Status.CONTESTED:
            if (
                transfer.status
                == {UPHOLD: MemberTransfer.Status.UPHELD, REVERSE: MemberTransfer.Status.REVERSED}[outcome]
            ):
                return transfer  # submitted twice
            raise ValidationError(_("Only a contested transfer is decided here."))
        if outcome == REVERSE:
            _reverse(by=by, transfer=transfer, today=today, note=note)
        transfer.status = (
            MemberTransfer.Status.UPHELD if outcome == UPHOLD else MemberTransfer.Status.REVERSED
        )
        transfer.resolved_by, transfer.resolved_at, transfer.resolution_note = by, timezone.now(), note
        transfer.save(update_fields=["status", "resolved_by", "resolved_at", "resolution_note"])
        unions = GrassrootsUnion.objects.filter(pk__in=[transfer.from_union_id, transfer.to_union_id])
        title = (
            _("The federation upheld a contested transfer")
            if outcome == UPHOLD
            else _("The federation reversed a contested transfer")
        )
        for union in unions.select_related("chair"):
            if union.chair_id:
                notify(
                    user=union.chair,
                    key=f"transfer-resolved:{transfer.pk}",
                    title=title,
                    body=note,
                    url=transfer.get_absolute_url(),
                )
    return transfer


def _reverse(*, by, transfer: MemberTransfer, today: datetime.date, note: str) -> None:
    first, second = sorted([transfer.from_member_id, transfer.to_member_id])
    locked = Member.objects.select_for_update().select_related("union").in_bulk([first, second])
    new, old = locked[transfer.to_member_id], locked[transfer.from_member_id]
    if not new.is_active_member or old.status != Member.Status.TRANSFERRED_OUT:
        raise ValidationError(
            _("The memberships have changed since the transfer (%(new)s: %(status)s); correct them by hand.")
            % {"new": new.union, "status": new.get_status_display()}
        )
    on = max(today, new.status_changed_on, old.status_changed_on)
    why = _("Transfer reversed by the federation") + (f"：{note}" if note else "")
    new.status, new.status_changed_on = Member.Status.TRANSFERRED_OUT, on
    new.save(update_fields=["status", "status_changed_on", "updated_at"])
    MembershipEvent.objects.create(
        member=new,
        kind=MembershipEvent.Kind.TRANSFERRED_OUT,
        on=on,
        union=new.union,
        note=_note(why + " · " + _("returned to %(union)s") % {"union": old.union}),
        recorded_by=by,
    )
    old.status, old.status_changed_on = Member.Status.ACTIVE, on
    old.save(update_fields=["status", "status_changed_on", "updated_at"])
    MembershipEvent.objects.create(
        member=old,
        kind=MembershipEvent.Kind.RESTORED,
        on=on,
        union=old.union,
        note=_note(why),
        recorded_by=by,
    )


# --- the to-do list's questions (one query each) --------------------------------------------------------


def _base():
    return MemberTransfer.objects.select_related("from_member", "from_union", "to_union")


def contestable_for(user, today: datetime.date | None = None):
    """Transfers out of the user's unions that they may still contest (the deadline not past),
    soonest deadline first; not those the chair recorded themselves."""
    if not user.is_authenticated:
        return MemberTransfer.objects.none()
    today = today or timezone.localdate()
    return (
        _base()
        .filter(from_union__chair=user, status=MemberTransfer.Status.DONE, contest_deadline__gte=today)
        .exclude(created_by=user)
        .order_by("contest_deadline", "pk")
    )


def incoming_for(user, *, days: int = RECENT_DAYS, now=None):
    """Transfers into the user's unions recorded in the last ``days`` days, newest first."""
    if not user.is_authenticated:
        return MemberTransfer.objects.none()
    since = (now or timezone.now()) - datetime.timedelta(days=days)
    return _base().filter(to_union__chair=user, created_at__gte=since).order_by("-created_at", "-pk")


def contested(queryset=None, area=None):
    """Contested transfers waiting for the federation, oldest first; ``queryset`` narrows (e.g.
    ``MemberTransfer.objects.visible_to(user)``), ``area`` keeps those touching a grid area's unions."""
    qs = (queryset if queryset is not None else MemberTransfer.objects.all()).filter(
        status=MemberTransfer.Status.CONTESTED
    )
    if area is not None:
        qs = qs.filter(Q(from_union__area=area) | Q(to_union__area=area))
    return qs.select_related("from_member", "from_union", "to_union").order_by("contested_at", "pk")


def for_union(union: GrassrootsUnion, direction: str):
    """A union's transfers in (``"in"``), out (``"out"``) or both, newest first."""
    qs = _base().select_related("to_member")
    if direction == "in":
        qs = qs.filter(to_union=union)
    elif direction == "out":
        qs = qs.filter(from_union=union)
    else:
        qs = qs.filter(Q(to_union=union) | Q(from_union=union))
    return qs.order_by("-created_at", "-pk")


@dataclass
class TransferLink:
    """A transfer as one membership's page shows it: which way, the other union, and the other
    membership when the viewer may see it (else None)."""

    transfer: MemberTransfer
    direction: str  # "in" or "out"
    other_union: GrassrootsUnion
    other_member: Member | None


def links_for_member(user, member: Member) -> list[TransferLink]:
    """The transfers in and out of this membership, oldest first (two queries)."""
    rows = list(
        MemberTransfer.objects.filter(Q(from_member=member) | Q(to_member=member))
        .select_related("from_union", "to_union", "from_member", "to_member")
        .order_by("created_at", "pk")
    )
    if not rows:
        return []
    others = {t.to_member_id if t.from_member_id == member.pk else t.from_member_id for t in rows}
    visible = set(Member.objects.visible_to(user).filter(pk__in=others).values_list("pk", flat=True))
    links = []
    for t in rows:
        out = t.from_member_id == member.pk
        other = t.to_member if out else t.from_member
        links.append(
            TransferLink(
                t,
                "out" if out else "in",
                t.to_union if out else t.from_union,
                other if other.pk in visible else None,
            )
        )
    return links
