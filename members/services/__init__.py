"""Operations that change the registry. Each runs in one transaction and is audited: django-auditlog
records the field changes with the acting user, and membership changes add a dated event."""

import datetime

from auditlog.context import set_actor
from auditlog.models import LogEntry
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from unionhub.access import has_duty, require
from unionhub.bulk import bulk_insert
from unionhub.masking import mask_id_number

from .. import permissions
from ..models import Enterprise, GrassrootsUnion, Member, MembershipEvent
from ..validators import birth_date_from_id, clean_resident_id, sex_from_id

# --- memberships added in bulk by an import (a dues sheet's new members, its job changers) ----------------

_MEMBER_COLUMNS = [
    "name",
    "id_number",
    "birth_date",
    "sex",
    "phone",
    "education",
    "political_status",
    "enterprise",
    "union",
    "joined_on",
    "is_migrant_worker",
    "status",
    "status_changed_on",
    "added_by_upload",
    "created_at",
    "updated_at",
]


def insert_members(rows) -> int:
    """Add active memberships in one statement (``unionhub.bulk.bulk_insert``: no signals, no per-row audit;
    the caller audits the operation). ``rows``: (name, ID number, phone, education, political status,
    enterprise pk, union pk, joined on, migrant worker, added by upload pk, now) tuples; the birth date and
    sex come from the ID number, and the status dates from the joining date."""
    return bulk_insert(
        Member,
        _MEMBER_COLUMNS,
        (
            (
                name,
                number,
                birth_date_from_id(number),
                sex_from_id(number),
                phone,
                education,
                political,
                enterprise,
                union,
                joined_on,
                migrant,
                Member.Status.ACTIVE,
                joined_on,
                upload,
                now,
                now,
            )
            for name, number, phone, education, political, enterprise, union, joined_on, migrant, upload, now in rows
        ),
    )


def insert_events(rows) -> int:
    """Add membership events in one statement: (member pk, kind, on, union pk, note, recorded by pk, now)."""
    return bulk_insert(
        MembershipEvent, ["member", "kind", "on", "union", "note", "recorded_by", "recorded_at"], rows
    )


class DuplicateMembership(ValidationError):
    """Raised when an ID number already has an active (or retained) membership."""

    def __init__(self, existing: Member, *, viewer=None):
        self.existing = existing
        super().__init__(duplicate_message(existing, viewer=viewer), code="duplicate")


def duplicate_message(existing: Member, *, viewer=None) -> str:
    """The existing membership named (who, which union, since when) only to a ``viewer`` who may see
    that member; anybody else learns only that the number is taken, never whose it is."""
    if viewer is not None and not Member.objects.visible_to(viewer).filter(pk=existing.pk).exists():
        return _(
            "This ID number already has an active membership in another union; that union records the "
            "transfer out first, or the federation corrects the roster."
        )
    return _("This ID number already has an active membership: %(name)s, %(union)s, since %(date)s.") % {
        "name": existing.name,
        "union": existing.union,
        "date": existing.joined_on.isoformat(),
    }


def find_active_membership(id_number: str, *, exclude_pk=None) -> Member | None:
    qs = Member.objects.active().filter(id_number=id_number).select_related("union")
    if exclude_pk:
        qs = qs.exclude(pk=exclude_pk)
    return qs.first()


def _check_enterprise_in_union(enterprise: Enterprise, union: GrassrootsUnion):
    if enterprise.union_id != union.pk:
        raise ValidationError(
            {
                "enterprise": _("%(enterprise)s is not covered by %(union)s.")
                % {"enterprise": enterprise, "union": union}
            }
        )


def register_member(
    *,
    by,
    union: GrassrootsUnion,
    enterprise: Enterprise,
    name: str,
    id_number: str,
    joined_on: datetime.date,
    education: str,
    political_status: str = "masses",
    phone: str = "",
    is_migrant_worker: bool = False,
    how: str = MembershipEvent.Kind.JOINED,
    note: str = "",
) -> Member:
    """Add a member who joined (or transferred in) on ``joined_on``: staff with the organisation duty, or
    the chair of ``union``."""
    require(permissions.can_add_member(by, union))
    id_number = clean_resident_id(id_number)
    _check_enterprise_in_union(enterprise, union)
    member = Member(
        name=name.strip(),
        id_number=id_number,
        phone=phone,
        education=education,
        political_status=political_status,
        enterprise=enterprise,
        union=union,
        joined_on=joined_on,
        is_migrant_worker=is_migrant_worker,
        status=Member.Status.ACTIVE,
        status_changed_on=joined_on,
    )
    member.derive_from_id_number()
    with transaction.atomic(), set_actor(by):
        existing = find_active_membership(id_number)
        if existing:
            raise DuplicateMembership(existing, viewer=by)
        try:
            with transaction.atomic():
                member.save()
        except IntegrityError:
            # Another request registered the same person between our check and our insert.
            raise DuplicateMembership(find_active_membership(id_number), viewer=by) from None
        MembershipEvent.objects.create(
            member=member, kind=how, on=joined_on, union=union, note=note, recorded_by=by
        )
    return member


EDITABLE_FIELDS = (
    "name",
    "phone",
    "education",
    "political_status",
    "enterprise",
    "joined_on",
    "is_migrant_worker",
)


def update_member(*, by, member: Member, **changes) -> Member:
    """Change a member's details. The union follows the enterprise; the ID number is not editable
    here (a mistyped ID is corrected by ``correct_id_number`` so that the change is explicit)."""
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"update_member cannot change {sorted(unknown)}")
    require(permissions.can_edit_member(by, member))
    with transaction.atomic(), set_actor(by):
        member = Member.objects.select_for_update().get(pk=member.pk)
        for field, value in changes.items():
            setattr(member, field, value)
        if "enterprise" in changes and member.enterprise.union_id != member.union_id:
            raise ValidationError(
                {
                    "enterprise": _("%(enterprise)s is not covered by %(union)s; record a transfer instead.")
                    % {"enterprise": member.enterprise, "union": member.union}
                }
            )
        member.save(update_fields=[*changes, "updated_at"])
    return member


def correct_id_number(*, by, member: Member, id_number: str) -> Member:
    require(permissions.can_correct_id_number(by))
    id_number = clean_resident_id(id_number)
    with transaction.atomic(), set_actor(by):
        member = Member.objects.select_for_update().get(pk=member.pk)
        if member.is_active_member:
            existing = find_active_membership(id_number, exclude_pk=member.pk)
            if existing:
                raise DuplicateMembership(existing, viewer=by)
        member.id_number = id_number
        member.derive_from_id_number()
        member.save(update_fields=["id_number", "birth_date", "sex", "updated_at"])
    return member


# Which event moves a membership to which status, and from which statuses it may happen.
TRANSITIONS = {
    MembershipEvent.Kind.TRANSFERRED_OUT: (Member.Status.TRANSFERRED_OUT, Member.ACTIVE_STATUSES),
    MembershipEvent.Kind.RETAINED: (Member.Status.RETAINED, (Member.Status.ACTIVE,)),
    MembershipEvent.Kind.RESTORED: (Member.Status.ACTIVE, (Member.Status.RETAINED,)),
    MembershipEvent.Kind.WITHDREW: (Member.Status.WITHDRAWN, Member.ACTIVE_STATUSES),
    MembershipEvent.Kind.STRUCK_OFF: (Member.Status.STRUCK_OFF, Member.ACTIVE_STATUSES),
}


def change_membership_status(*, by, member: Member, kind: str, on: datetime.date, note: str = "") -> Member:
    """Record a dated change of membership status (transfer out, retain, restore, withdraw, strike off)."""
    require(permissions.can_edit_member(by, member))
    if kind not in TRANSITIONS:
        raise ValidationError(_("This change of membership cannot be recorded here."))
    new_status, allowed_from = TRANSITIONS[kind]
    with transaction.atomic(), set_actor(by):
        member = Member.objects.select_for_update().get(pk=member.pk)
        if member.status not in allowed_from:
            raise ValidationError(
                _("A membership that is “%(status)s” cannot be changed this way.")
                % {"status": member.get_status_display()}
            )
        if on < member.status_changed_on:
            raise ValidationError(
                {
                    "on": _("The date cannot be before the current status began (%(date)s).")
                    % {"date": member.status_changed_on.isoformat()}
                }
            )
        member.status = new_status
        member.status_changed_on = on
        member.save(update_fields=["status", "status_changed_on", "updated_at"])
        MembershipEvent.objects.create(
            member=member, kind=kind, on=on, union=member.union, note=note, recorded_by=by
        )
    return member


def save_registry_record(*, by, form):
    """Create or change a union or an enterprise from its validated form, audited with the actor: staff
    holding the organisation duty's add or change permission for that kind of record."""
    model = form._meta.model
    action = "change" if form.instance.pk else "add"
    require(has_duty(by, f"{model._meta.app_label}.{action}_{model._meta.model_name}"))
    with transaction.atomic(), set_actor(by):
        return form.save()


def reveal_id_number(*, by, member: Member, remote_addr: str | None = None) -> str:
    """Return the unmasked ID number and log that ``by`` saw it (PIPL: access is recorded)."""
    require(permissions.can_reveal_id_number(by, member))
    LogEntry.objects.log_create(
        member,
        action=LogEntry.Action.ACCESS,
        actor=by,
        remote_addr=remote_addr,
        force_log=True,
        additional_data={"revealed": "id_number"},
    )
    return member.id_number


def log_id_number_search(*, by, number: str, found, remote_addr: str | None = None) -> None:
    """A search by a whole ID number tells the searcher whose number it is: logged like a reveal
    (``reveal_id_number``), once per member found, or once against the searcher when nobody was. The
    log keeps the number masked, never whole."""
    require(permissions.can_use_registry(by))
    data = {"searched": "id_number", "query": mask_id_number(number), "found": len(found)}
    with transaction.atomic():
        for target in found or [by]:
            LogEntry.objects.log_create(
                target,
                action=LogEntry.Action.ACCESS,
                actor=by,
                remote_addr=remote_addr,
                force_log=True,
                additional_data=data,
            )
