"""Importing a federation's existing ledgers (台账): unions, enterprises, members and chairs' accounts.

``read_and_plan`` reads the files (``members.ledger``) and matches them against the registry with one
query per table (unions, enterprises, active members, users, grid areas), so that 40,000 members are
planned in memory: what will be created, what updated (and how), what is unchanged, whose chair
changes, and which active members the ledger no longer lists. The whole-file checks live here: union
codes known neither to the file nor to the registry, an enterprise claimed by two unions, a person
listed twice or on two unions' rosters, a member active in another union in the registry (an error,
never a silent move). ``commit_plan`` writes a plan without errors in one transaction.

The audit trail: unions and enterprises get one django-auditlog entry each (created ones written
explicitly after ``bulk_create``, changed ones by the ordinary save signal, so a corrected ledger shows
field by field what it changed); changed members are saved one by one and audited the same way; new
members go in through ``insert_members`` (40,000 rows in about a second) with their "joined" event
each, and the import's own audit entry records how many and who committed them. A cell left blank
never erases what the registry holds; members the ledger no longer lists are reported, never ended.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime
import gc
from collections import Counter
from dataclasses import dataclass, field

from auditlog.context import set_actor
from auditlog.models import LogEntry
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from unionhub.access import require
from unionhub.enqueue import enqueue_on_commit
from unionhub.masking import mask_id_number

from .. import permissions
from ..ledger import (
    ENTERPRISES,
    KINDS,
    MEMBERS,
    UNIONS,
    Ledger,
    LedgerFile,
    LedgerIssue,
    LedgerRow,
    annotate_ledger,
    looks_like_credit_code,
    read_ledger,
)
from ..models import Area, Enterprise, GrassrootsUnion, Member, MembershipEvent, RegistryImport
from ..sheets import FULLWIDTH_ALL, MAX_FILE_BYTES, SheetUnreadable
from . import insert_events, insert_members

CHECK_TASK = "members.tasks.check_registry_import"
COMMIT_TASK = "members.tasks.commit_registry_import"
PREVIEW_LIMIT = 200  # changes and unlisted members kept for the page, per list
ISSUE_LIMIT = 5000

_UNION_FIELDS = {  # ledger field -> GrassrootsUnion field
    "name": "name",
    "kind": "kind",
    "founded_on": "founded_on",
    "term_start": "committee_term_start",
    "term_years": "committee_term_years",
    "schedule": "dues_schedule",
}
_ENTERPRISE_FIELDS = {"name": "name", "size_band": "size_band", "industry": "industry", "address": "address"}
_MEMBER_FIELDS = {
    "name": "name",
    "phone": "phone",
    "joined_on": "joined_on",
    "migrant": "is_migrant_worker",
    "education": "education",
    "political_status": "political_status",
}


@dataclass
class Counts:
    read: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0


@dataclass
class LedgerPlan:
    ledger: Ledger
    counts: dict[str, Counts] = field(default_factory=lambda: {kind: Counts() for kind in KINDS})
    new_unions: list[dict] = field(default_factory=list)
    changed_unions: list[tuple[GrassrootsUnion, dict]] = field(default_factory=list)
    new_enterprises: list[dict] = field(default_factory=list)
    changed_enterprises: list[tuple[Enterprise, dict]] = field(default_factory=list)
    new_members: list[dict] = field(default_factory=list)
    changed_members: list[tuple[int, dict]] = field(default_factory=list)
    new_chairs: dict[str, str] = field(default_factory=dict)  # mobile -> name, accounts to create
    chair_users: dict[str, int] = field(default_factory=dict)  # mobile -> existing user pk
    chair_changes: list[dict] = field(default_factory=list)
    changes: list[dict] = field(default_factory=list)  # for the preview: what an update changes
    unlisted: list[dict] = field(default_factory=list)
    unlisted_count: int = 0

    @property
    def issues(self) -> list[LedgerIssue]:
        return self.ledger.issues

    def summary(self) -> dict:
        return {
            "counts": {kind: dataclasses.asdict(c) for kind, c in self.counts.items()},
            "sheets": [
                {"name": s.name, "kind": s.kind, "rows": s.rows, "header_row": s.header_row}
                for s in self.ledger.sheets
            ],
            "new_chairs": len(self.new_chairs),
            "chair_changes": self.chair_changes[:PREVIEW_LIMIT],
            "changes": self.changes[:PREVIEW_LIMIT],
            "changes_count": len(self.changes),
            "unlisted": self.unlisted[:PREVIEW_LIMIT],
            "unlisted_count": self.unlisted_count,
        }


def _name_key(name: str) -> str:
    return "".join(name.translate(FULLWIDTH_ALL).split()).lower()


def _display(value) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


@contextlib.contextmanager
def _collector_paused():
    """Reading and planning 40,000 rows allocates hundreds of thousands of small objects and no cycles:
    the cyclic garbage collector's full passes over them would take a third of the import's time."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def read_and_plan(files: list[LedgerFile], *, progress=None) -> LedgerPlan:
    """Read the ledger files and plan them against the registry. Raises ``SheetUnreadable``."""
    with _collector_paused():
        return plan_ledger(read_ledger(files, progress=progress))


def plan_ledger(ledger: Ledger) -> LedgerPlan:
    plan = LedgerPlan(ledger)
    unions = {u.code: u for u in GrassrootsUnion.objects.select_related("chair", "area")}
    areas = {_name_key(a.name): a for a in Area.objects.all()}
    file_unions = _plan_unions(plan, unions, areas)
    enterprises = {e.credit_code: e for e in Enterprise.objects.select_related("union")}
    covered = _plan_enterprises(plan, unions, file_unions, enterprises)
    _plan_members(plan, unions, file_unions, enterprises, covered)
    ledger.issues.sort(key=lambda i: (i.file, i.sheet, i.row, i.col_index))
    return plan


def _first_rows(plan, rows: list[LedgerRow], key: str, twice) -> dict[str, LedgerRow]:
    """The first row of each key; ``twice(row, first)`` is called for every later one."""
    first: dict[str, LedgerRow] = {}
    for row in rows:
        value = row.values.get(key)
        if value is None:
            continue
        if value in first:
            twice(row, first[value])
        else:
            first[value] = row
    return first


def _twice(ledger: Ledger, name: str, listed: str, claimed: str):
    """The error for a row whose ``name`` an earlier row has: ``listed`` twice by the same union, or
    ``claimed`` by two."""

    def twice(row: LedgerRow, other: LedgerRow) -> None:
        here, there = row.values.get("union_code"), other.values.get("union_code")
        message = listed if here == there else claimed
        ledger.issue(row, name, message % {"here": here, "there": there, "where": _where(other)})

    return twice


def _where(row: LedgerRow) -> str:
    return _("sheet %(sheet)s row %(row)d") % {"sheet": row.sheet.name, "row": row.row}


def _plan_unions(plan: LedgerPlan, unions: dict, areas: dict) -> dict[str, LedgerRow]:
    ledger = plan.ledger
    rows = ledger.rows[UNIONS]
    first = _first_rows(
        plan,
        rows,
        "code",
        lambda row, other: ledger.issue(
            row, "code", _("This union code is listed twice: also on %(where)s.") % {"where": _where(other)}
        ),
    )
    for row in rows:
        area = row.values.get("area")
        if area and _name_key(area) not in areas:
            ledger.issue(
                row,
                "area",
                _("There is no grid area “%(name)s”; staff add grid areas first (网格管理).")
                % {"name": area},
            )
    phones = {row.values["chair_phone"] for row in rows if row.ok and "chair_phone" in row.values}
    users = get_user_model().objects.filter(Q(username__in=phones) | Q(phone__in=phones)).order_by("pk")
    by_username = {u.username: u for u in users}
    by_phone: dict[str, object] = {}
    for user in users:
        by_phone.setdefault(user.phone, user)
    enterprises_in_file = Counter(r.values.get("union_code") for r in ledger.rows[ENTERPRISES])
    counts = plan.counts[UNIONS]
    for row in rows:
        if not row.ok:
            continue
        values = row.values
        counts.read += 1
        target = {_UNION_FIELDS[k]: v for k, v in values.items() if k in _UNION_FIELDS}
        if "area" in values:
            target["area"] = areas[_name_key(values["area"])]
        chair = None
        phone = values.get("chair_phone")
        if phone:
            chair = by_username.get(phone) or by_phone.get(phone)
            if chair is None:
                plan.new_chairs.setdefault(phone, values.get("chair_name", ""))
            else:
                plan.chair_users[phone] = chair.pk
        union = unions.get(values["code"])
        if union is None:
            target.setdefault(
                "kind",
                GrassrootsUnion.Kind.JOINT
                if enterprises_in_file[values["code"]] > 1
                else GrassrootsUnion.Kind.SINGLE,
            )
            plan.new_unions.append({"code": values["code"], "chair_phone": phone, **target})
            counts.created += 1
            continue
        changed = {f: v for f, v in target.items() if getattr(union, f) != v}
        if phone and (chair is None or union.chair_id != chair.pk):
            changed["chair"] = phone
            if union.chair_id is not None:
                plan.chair_changes.append(
                    {
                        "union": str(union),
                        "before": union.chair.name or union.chair.username,
                        "after": values.get("chair_name") or phone,
                    }
                )
        if changed:
            plan.changed_unions.append((union, changed))
            _describe(plan, _("union"), str(union), union, changed)
            counts.updated += 1
        else:
            counts.unchanged += 1
    return {code: row for code, row in first.items() if row.ok}


def _describe(plan: LedgerPlan, kind: str, label: str, obj, changed: dict) -> None:
    fields = []
    for name, value in changed.items():
        if name == "chair":
            continue  # listed as a chair change
        model_field = obj._meta.get_field(name)
        before = getattr(obj, name)
        if model_field.choices:
            choices = dict(model_field.flatchoices)
            before, value = choices.get(before, before), choices.get(value, value)
        fields.append([str(model_field.verbose_name), _display(before), _display(value)])
    if fields:
        plan.changes.append({"kind": kind, "label": label, "fields": fields})


def _plan_enterprises(plan, unions, file_unions, enterprises) -> dict[str, dict[str, str]]:
    """Plan the enterprise rows; returns, per union code, the enterprises it covers (credit code ->
    name), from the registry and the file together."""
    ledger = plan.ledger
    rows = ledger.rows[ENTERPRISES]

    _first_rows(
        plan,
        rows,
        "credit_code",
        _twice(
            ledger,
            "credit_code",
            _("This enterprise is listed twice: also on %(where)s."),
            _("This enterprise is claimed by two unions: %(here)s here and %(there)s on %(where)s."),
        ),
    )
    code_of = {u.pk: code for code, u in unions.items()}
    covered: dict[str, dict[str, str]] = {}
    for enterprise in enterprises.values():
        if enterprise.union_id is not None:
            covered.setdefault(code_of[enterprise.union_id], {})[enterprise.credit_code] = enterprise.name
    counts = plan.counts[ENTERPRISES]
    for row in rows:
        values = row.values
        code = values.get("union_code")
        if code and code not in file_unions and code not in unions:
            ledger.issue(row, "union_code", _unknown_union(code))
        credit = values.get("credit_code")
        existing = enterprises.get(credit) if credit else None
        if existing is not None and existing.union_id is not None and code and existing.union.code != code:
            ledger.issue(
                row,
                "union_code",
                _(
                    "In the registry this enterprise is covered by %(union)s; the import does not move "
                    "enterprises between unions."
                )
                % {"union": existing.union},
            )
        if not row.ok:
            continue
        counts.read += 1
        covered.setdefault(code, {})[credit] = values["name"]
        target = {_ENTERPRISE_FIELDS[k]: v for k, v in values.items() if k in _ENTERPRISE_FIELDS}
        if "size_band" in target:
            target["is_small_micro"] = target["size_band"] in (
                Enterprise.SizeBand.SMALL,
                Enterprise.SizeBand.MICRO,
            )
        if existing is None:
            target.setdefault("industry", Enterprise.Industry.OTHER)
            plan.new_enterprises.append({"credit_code": credit, "union_code": code, **target})
            counts.created += 1
            continue
        changed = {f: v for f, v in target.items() if getattr(existing, f) != v}
        if existing.union_id is None:
            changed["union"] = code
        if changed:
            plan.changed_enterprises.append((existing, changed))
            _describe(
                plan,
                _("enterprise"),
                str(existing),
                existing,
                {k: v for k, v in changed.items() if k != "union"},
            )
            counts.updated += 1
        else:
            counts.unchanged += 1
    return covered


def _unknown_union(code: str) -> str:
    return _("Union code %(code)s is neither in the unions sheet nor in the registry.") % {"code": code}


def _plan_members(plan, unions, file_unions, enterprises, covered) -> None:
    ledger = plan.ledger
    rows = ledger.rows[MEMBERS]
    if not rows:
        return

    _first_rows(
        plan,
        rows,
        "id_number",
        _twice(
            ledger,
            "id_number",
            _("This person is listed twice: also on %(where)s."),
            _("This person is on two unions' rosters: %(here)s here and %(there)s on %(where)s."),
        ),
    )
    active = {
        m[1]: m
        for m in Member.objects.active().values_list(
            "pk",
            "id_number",
            "union_id",
            "name",
            "phone",
            "enterprise_id",
            "joined_on",
            "is_migrant_worker",
            "education",
            "political_status",
        )
    }
    union_pk = {code: u.pk for code, u in unions.items()}
    union_of_pk = {u.pk: u for u in unions.values()}
    credit_of_pk = {e.pk: credit for credit, e in enterprises.items()}
    names = {code: _names_index(found) for code, found in covered.items()}
    listed_unions: set[str] = set()
    seen_ids: set[str] = set()
    counts = plan.counts[MEMBERS]
    # Enterprises whose own row has an error: their members point there rather than call them missing.
    broken = {
        _name_key(r.values["name"]): r for r in ledger.rows[ENTERPRISES] if not r.ok and r.values.get("name")
    }
    for row in rows:
        values = row.values
        code = values.get("union_code")
        if code:
            listed_unions.add(code)
            if code not in file_unions and code not in unions:
                ledger.issue(row, "union_code", _unknown_union(code))
        number = values.get("id_number")
        if number:
            seen_ids.add(number)
        existing = active.get(number) if number else None
        if existing is not None and code and existing[2] != union_pk.get(code):
            ledger.issue(
                row,
                "id_number",
                _(
                    "This person is an active member of %(union)s in the registry. That union records the "
                    "transfer out first: the import never moves a member between unions."
                )
                % {"union": union_of_pk[existing[2]]},
            )
        if code and code not in file_unions and code not in unions:
            continue  # one cause, one message: the unknown union, not its enterprise as well
        credit = _member_enterprise(ledger, row, code, covered.get(code, {}), names.get(code, {}), broken)
        if not row.ok:
            continue
        counts.read += 1
        target = {_MEMBER_FIELDS[k]: v for k, v in values.items() if k in _MEMBER_FIELDS}
        if existing is None:
            plan.new_members.append(
                {"id_number": number, "union_code": code, "credit_code": credit, **target}
            )
            counts.created += 1
            continue
        before = dict(
            zip(
                _MEMBER_FIELDS.values(),
                (existing[3], existing[4], existing[6], existing[7], existing[8], existing[9]),
                strict=True,
            )
        )
        changed = {f: v for f, v in target.items() if before[f] != v}
        if credit_of_pk.get(existing[5]) != credit:
            changed["enterprise"] = credit
        if changed:
            plan.changed_members.append((existing[0], changed))
            shown = {k: v for k, v in changed.items() if k != "enterprise"}
            fields = [
                [str(Member._meta.get_field(k).verbose_name), _display(before[k]), _display(v)]
                for k, v in shown.items()
            ]
            if "enterprise" in changed:
                fields.append(
                    [str(Member._meta.get_field("enterprise").verbose_name), "", covered[code][credit]]
                )
            plan.changes.append(
                {"kind": _("member"), "label": f"{values['name']} {mask_id_number(number)}", "fields": fields}
            )
            counts.updated += 1
        else:
            counts.unchanged += 1
    for _pk, number, union_id, name, *_rest in active.values():
        union = union_of_pk.get(union_id)
        if union is not None and union.code in listed_unions and number not in seen_ids:
            plan.unlisted_count += 1
            if len(plan.unlisted) < PREVIEW_LIMIT:
                plan.unlisted.append({"union": str(union), "name": name, "id_number": mask_id_number(number)})


def _names_index(found: dict[str, str]) -> dict[str, list[str]]:
    index: dict[str, list[str]] = {}
    for credit, name in found.items():
        index.setdefault(_name_key(name), []).append(credit)
    return index


def _member_enterprise(
    ledger, row, code, found: dict[str, str], names: dict[str, list[str]], broken: dict | None = None
) -> str | None:
    """The credit code of the member's enterprise, or None (with an error on the row). ``broken``: the
    enterprises sheet's rows with errors, by name, so that a member of one is told where to look."""
    if not code:
        return None
    value = row.values.get("enterprise")
    if value is None:
        if len(found) == 1:
            return next(iter(found))
        ledger.issue(
            row,
            "enterprise",
            _("Union %(code)s covers several enterprises: name the member's enterprise.") % {"code": code}
            if found
            else _("Union %(code)s covers no enterprise: list its enterprises in the enterprises sheet.")
            % {"code": code},
        )
        return None
    upper = "".join(value.split()).upper()
    if looks_like_credit_code(upper) and upper in found:
        return upper
    credits = names.get(_name_key(value), [])
    if len(credits) == 1:
        return credits[0]
    if len(credits) > 1:
        ledger.issue(
            row,
            "enterprise",
            _("Union %(code)s covers two enterprises of this name: give the credit code.") % {"code": code},
        )
        return None
    faulty = (broken or {}).get(_name_key(value))
    if faulty is not None:
        ledger.issue(
            row,
            "enterprise",
            _("Enterprise “%(name)s” has an error on row %(row)s of sheet %(sheet)s: correct that row first.")
            % {"name": value, "row": faulty.row, "sheet": faulty.sheet.name},
        )
        return None
    ledger.issue(
        row,
        "enterprise",
        _("Union %(code)s covers no enterprise “%(name)s” (in the enterprises sheet or the registry).")
        % {"code": code, "name": value},
    )
    return None


# --- commit --------------------------------------------------------------------------------------


def commit_plan(*, by, plan: LedgerPlan, record: RegistryImport) -> list[int]:
    """Write a plan without errors: call inside ``transaction.atomic()`` and ``set_actor(by)``. Returns the
    ids of the chairs' accounts it created (for their sign-in letters)."""
    if plan.issues:
        raise ValidationError(_("The ledger has errors; nothing was imported."))
    now = timezone.now()
    users = get_user_model()
    chair_pk = dict(plan.chair_users)
    accounts = []
    for phone, name in plan.new_chairs.items():
        user = users(username=phone, name=name, phone=phone)
        user.set_unusable_password()
        accounts.append(user)
    accounts = users.objects.bulk_create(accounts)
    _log_created(accounts, by, record, fields=("username", "name", "phone"))
    created_chairs = [user.pk for user in accounts]
    chair_pk.update({user.username: user.pk for user in accounts})
    # unions
    new_unions = GrassrootsUnion.objects.bulk_create(
        [
            GrassrootsUnion(
                **{k: v for k, v in values.items() if k != "chair_phone"},
                chair_id=chair_pk.get(values["chair_phone"]),
            )
            for values in plan.new_unions
        ]
    )
    _log_created(new_unions, by, record)
    for union, changed in plan.changed_unions:
        for name, value in changed.items():
            if name == "chair":
                union.chair_id = chair_pk[value]
            else:
                setattr(union, name, value)
        union.save(update_fields=list(changed))
    union_pk = dict(GrassrootsUnion.objects.values_list("code", "pk"))
    # enterprises
    new_enterprises = Enterprise.objects.bulk_create(
        [
            Enterprise(
                **{k: v for k, v in values.items() if k != "union_code"},
                union_id=union_pk[values["union_code"]],
            )
            for values in plan.new_enterprises
        ]
    )
    _log_created(new_enterprises, by, record)
    for enterprise, changed in plan.changed_enterprises:
        for name, value in changed.items():
            if name == "union":
                enterprise.union_id = union_pk[value]
            else:
                setattr(enterprise, name, value)
        enterprise.save(update_fields=list(changed))
    enterprise_pk = dict(Enterprise.objects.values_list("credit_code", "pk"))
    # members
    joined = 0
    if plan.new_members:
        before = Member.objects.aggregate(last=Max("pk"))["last"] or 0
        insert_members(
            (
                m["name"],
                m["id_number"],
                m.get("phone", ""),
                m.get("education", ""),
                m.get("political_status", Member.PoliticalStatus.MASSES),
                enterprise_pk[m["credit_code"]],
                union_pk[m["union_code"]],
                m["joined_on"],
                m.get("is_migrant_worker", False),
                None,
                now,
            )
            for m in plan.new_members
        )
        wanted = {m["id_number"]: m for m in plan.new_members}
        note = (_("Added by the ledger import %(name)s") % {"name": record.original_name})[:200]
        by_pk = by.pk if getattr(by, "pk", None) else None
        events = [
            (pk, MembershipEvent.Kind.JOINED, wanted[number]["joined_on"], union_id, note, by_pk, now)
            for pk, number, union_id in Member.objects.filter(pk__gt=before).values_list(
                "pk", "id_number", "union_id"
            )
            if number in wanted
        ]
        joined = insert_events(events)
    if plan.changed_members:
        members = Member.objects.in_bulk([pk for pk, _c in plan.changed_members])
        for pk, changed in plan.changed_members:
            member = members[pk]
            for name, value in changed.items():
                if name == "enterprise":
                    member.enterprise_id = enterprise_pk[value]
                else:
                    setattr(member, name, value)
            member.save(update_fields=[*changed, "updated_at"])
    record.status = RegistryImport.Status.COMMITTED
    record.committed_by = by if getattr(by, "pk", None) else None
    record.committed_at = now
    record.summary = {**plan.summary(), "created_chairs": created_chairs}
    record.error_count = 0
    record.save()
    LogEntry.objects.log_create(
        record,
        action=LogEntry.Action.UPDATE,
        actor=record.committed_by,
        force_log=True,
        changes={"status": ["valid", "committed"]},
        additional_data={
            **{kind: dataclasses.asdict(c) for kind, c in plan.counts.items()},
            "members_joined_events": joined,
            "chairs_created": len(created_chairs),
            "chair_changes": len(plan.chair_changes),
            "unlisted_members": plan.unlisted_count,
        },
    )
    return created_chairs


def _log_created(objects, by, record, fields: tuple[str, ...] | None = None) -> None:
    """One audit entry per created row, written in one statement: ``bulk_create`` sends no signals, and
    auditlog's own diff would load every foreign key row by row. The changes name each field's stored
    value (a foreign key by its id), as auditlog records a creation."""
    if not objects:
        return
    model = type(objects[0])
    content_type = ContentType.objects.get_for_model(model)
    concrete = [
        f for f in model._meta.concrete_fields if not f.primary_key and (fields is None or f.name in fields)
    ]
    actor = by if getattr(by, "pk", None) else None
    now = timezone.now()
    LogEntry.objects.bulk_create(
        [
            LogEntry(
                content_type=content_type,
                object_pk=str(obj.pk),
                object_id=obj.pk,
                object_repr=str(obj),
                action=LogEntry.Action.CREATE,
                changes={
                    f.name: ["None", _audit_text(getattr(obj, f.attname))]
                    for f in concrete
                    if getattr(obj, f.attname) not in (None, "")
                },
                actor=actor,
                timestamp=now,
                additional_data={"ledger_import": record.pk},
            )
            for obj in objects
        ],
        batch_size=500,
    )


def _audit_text(value) -> str:
    return value.isoformat() if isinstance(value, datetime.date) else str(value)


def _issues_json(issues: list[LedgerIssue]) -> list[list]:
    return [[i.sheet, i.row, i.column, i.col_index, i.message] for i in issues[:ISSUE_LIMIT]]


def issues_from_json(rows: list[list]) -> list[LedgerIssue]:
    return [LedgerIssue(sheet, row, column, col, message) for sheet, row, column, col, message in rows]


# --- the command ---------------------------------------------------------------------------------


def import_from_command(*, by, files: list[LedgerFile], commit: bool) -> tuple[LedgerPlan, list[int]]:
    """Check (and with ``commit``, import) ledger files for ``manage.py import_registry``. ``by`` None is the
    system (an operator at the server's shell); a user must hold the organisation duty."""
    if by is not None:
        require(permissions.can_import_registry(by))
    if not commit:
        return read_and_plan(files), []
    with transaction.atomic(), set_actor(by):
        plan = read_and_plan(files)  # inside the transaction: what is checked is what is written
        if plan.issues:
            return plan, []
        record = RegistryImport.objects.create(
            original_name=", ".join(f.name for f in files)[:255],
            size=sum(len(f.data) for f in files),
            uploaded_by=by,
            status=RegistryImport.Status.COMMITTING,
        )
        with _collector_paused():
            created = commit_plan(by=by, plan=plan, record=record)
    return plan, created


# --- the staff page: upload → check (task) → preview → commit (task) ------------------------------


def start_import(*, by, filename: str, data: bytes) -> RegistryImport:
    """Store an uploaded ledger and queue its check."""
    require(permissions.can_import_registry(by))
    if not data:
        raise ValidationError({"file": _("The file is empty.")})
    if len(data) > MAX_FILE_BYTES:
        raise ValidationError({"file": _("The file is larger than 20 MB; split it or remove other sheets.")})
    with transaction.atomic(), set_actor(by):
        record = RegistryImport(original_name=filename[:255], size=len(data), uploaded_by=by)
        record.file.save(f"ledger{_extension(filename)}", ContentFile(data), save=False)
        record.save()
        enqueue_on_commit(CHECK_TASK, record.pk)
    return record


def _extension(filename: str) -> str:
    dot = filename.rfind(".")
    extension = filename[dot:].lower() if dot >= 0 else ""
    return extension if extension in (".xlsx", ".xls", ".csv", ".xlsm", ".txt") else ".bin"


def _files(record: RegistryImport) -> list[LedgerFile]:
    with record.file.open("rb") as handle:
        return [LedgerFile(record.original_name, handle.read())]


def check_import(*, import_id: int) -> RegistryImport | None:
    """Read and plan a pending import (the Celery task's body); safe to run twice."""
    record = RegistryImport.objects.filter(pk=import_id, status=RegistryImport.Status.PENDING).first()
    if record is None:
        return None
    files = _files(record)

    def progress(done: int, total: int):
        RegistryImport.objects.filter(pk=import_id).update(progress_done=done, progress_total=total)

    try:
        plan = read_and_plan(files, progress=progress)
    except SheetUnreadable as error:
        RegistryImport.objects.filter(pk=import_id, status=RegistryImport.Status.PENDING).update(
            status=RegistryImport.Status.UNREADABLE, message=str(error)
        )
        return RegistryImport.objects.get(pk=import_id)
    if plan.issues:
        record.errors_file.save(
            f"ledger-{record.pk}-errors.xlsx", ContentFile(annotate_ledger(files, plan.issues)), save=False
        )
        RegistryImport.objects.filter(pk=import_id).update(errors_file=record.errors_file.name)
    rows = sum(c.read for c in plan.counts.values()) + len(plan.issues)
    RegistryImport.objects.filter(pk=import_id, status=RegistryImport.Status.PENDING).update(
        status=RegistryImport.Status.INVALID if plan.issues else RegistryImport.Status.VALID,
        error_count=len(plan.issues),
        summary=plan.summary(),
        issues=_issues_json(plan.issues),
        progress_done=rows,
        progress_total=rows,
    )
    return RegistryImport.objects.get(pk=import_id)


def request_commit(*, by, record: RegistryImport) -> RegistryImport:
    """Queue the commit of a checked import. Twice is once: only a valid import moves to committing."""
    require(permissions.can_import_registry(by))
    with transaction.atomic(), set_actor(by):
        moved = RegistryImport.objects.filter(pk=record.pk, status=RegistryImport.Status.VALID).update(
            status=RegistryImport.Status.COMMITTING, message=""
        )
        if moved:
            enqueue_on_commit(COMMIT_TASK, record.pk, by.pk)
    return RegistryImport.objects.get(pk=record.pk)


def commit_import(*, import_id: int, by) -> RegistryImport | None:
    """Commit an import that is committing (the Celery task's body). The ledger is planned again inside
    the transaction, against the registry as it is now: should it have errors by now, nothing is written
    and the import shows them."""
    with transaction.atomic(), set_actor(by):
        record = (
            RegistryImport.objects.select_for_update()
            .filter(pk=import_id, status=RegistryImport.Status.COMMITTING)
            .first()
        )
        if record is None:
            return None
        try:
            plan = read_and_plan(_files(record))
        except SheetUnreadable as error:
            record.status, record.message = RegistryImport.Status.UNREADABLE, str(error)
            record.save(update_fields=["status", "message"])
            return record
        if plan.issues:
            record.status = RegistryImport.Status.INVALID
            record.error_count = len(plan.issues)
            record.summary, record.issues = plan.summary(), _issues_json(plan.issues)
            record.message = _(
                "The registry changed since the check: the ledger now has errors. Nothing was imported."
            )
            record.save()
            return record
        with _collector_paused():
            commit_plan(by=by, plan=plan, record=record)
    return record


def log_ledger_download(*, by, record: RegistryImport, which: str, remote_addr: str | None = None) -> None:
    """The ledger and its annotated copy hold ID numbers and phones: every download is an audited access."""
    LogEntry.objects.log_create(
        record,
        action=LogEntry.Action.ACCESS,
        actor=by,
        remote_addr=remote_addr,
        force_log=True,
        additional_data={"downloaded": which},
    )
