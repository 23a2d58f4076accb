"""Dues workflows: a chair's sheet is checked against the roster, previewed, then committed in one
transaction; money received is recorded against a period with its split; reminders go out before
and after due dates. Reading the sheet itself is ``members.dues_sheet``."""

import dataclasses
import datetime
import hashlib
from dataclasses import dataclass, field
from decimal import Decimal

from auditlog.context import set_actor
from auditlog.models import LogEntry
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from unionhub.access import require
from unionhub.bulk import bulk_insert
from unionhub.enqueue import enqueue_on_commit
from unionhub.money import money
from unionhub.notices import notify

from .. import permissions
from ..dues_annotate import annotate_errors
from ..dues_sheet import (
    MAX_FILE_BYTES,
    ParsedSheet,
    RowIssue,
    SheetUnreadable,
    expected_dues,
    read_dues_sheet,
)
from ..models import (
    DuesLine,
    DuesPeriod,
    DuesRate,
    DuesUpload,
    Enterprise,
    GrassrootsUnion,
    Member,
    MembershipEvent,
    Remittance,
)
from ..periods import Period, parse_period, period_containing
from . import declarations, insert_events, insert_members
from . import transfers as member_transfers

# The tasks that wrap this module, named by dotted path because members/tasks.py imports this module
# at its top (see unionhub/enqueue.py for why not import them, nor send_task).
CHECK_TASK = "members.tasks.check_dues_upload"
COMMIT_TASK = "members.tasks.commit_dues_upload"
MISSING_LISTED = 200  # names of roster members missing from the sheet kept for the preview


def get_period(*, union: GrassrootsUnion, period: Period, lock: bool = False) -> DuesPeriod:
    """The union's row for this period, created on first use."""
    obj = declarations.period_row(union=union, period=period)
    if lock:
        obj = DuesPeriod.objects.select_for_update().get(pk=obj.pk)
    return obj


# --- checking a sheet against the roster ------------------------------------------------------------


@dataclass
class NewMember:
    row: int
    name: str
    id_number: str
    phone: str
    enterprise_id: int


@dataclass
class ImportPlan:
    parsed: ParsedSheet
    months: int
    matched: dict[int, int] = field(default_factory=dict)  # row -> member pk
    expected_dues: dict[int, Decimal] = field(default_factory=dict)  # row -> one month's dues, valid rows
    new: list[NewMember] = field(default_factory=list)
    # Active members of other unions, transferred in on commit (members.services.transfers).
    transfers: list[member_transfers.TransferIn] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)  # names, first MISSING_LISTED
    missing_count: int = 0
    issues: list[RowIssue] = field(default_factory=list)  # sheet issues + roster issues, sorted
    payroll_total: Decimal = Decimal("0.00")
    funds_due: Decimal = Decimal("0.00")
    dues_due: Decimal = Decimal("0.00")
    dues_paid_total: Decimal = Decimal("0.00")

    @property
    def errors(self) -> list[RowIssue]:
        return [i for i in self.issues if i.severity == "error"]

    @property
    def warnings(self) -> list[RowIssue]:
        return [i for i in self.issues if i.severity == "warning"]

    def summary(self) -> dict:
        return {
            "rows": self.parsed.data_rows,
            "valid_rows": len(self.parsed.rows) - self._roster_errors,
            "matched": len(self.matched),
            "new": len(self.new),
            "missing": self.missing_count,
            "missing_names": self.missing,
            "payroll_total": str(self.payroll_total),
            "funds_due": str(self.funds_due),
            "dues_due": str(self.dues_due),
            "dues_paid_total": str(self.dues_paid_total),
            "months": self.months,
            "file_type": self.parsed.file_type,
            "sheet_name": self.parsed.sheet_name,
            "header_row": self.parsed.header_row,
            **member_transfers.sheet_summary(self.transfers),
        }

    _roster_errors: int = 0


def _normalise(text: str) -> str:
    return "".join(text.split()).replace("（", "(").replace("）", ")")


def active_roster(union: GrassrootsUnion) -> dict[str, tuple[int, str]]:
    """ID number -> (pk, name) of the union's active members."""
    return {
        number: (pk, name)
        for pk, number, name in Member.objects.active()
        .filter(union=union)
        .values_list("pk", "id_number", "name")
    }


def plan_import(
    *,
    union: GrassrootsUnion,
    period: Period,
    parsed: ParsedSheet,
    roster: dict[str, tuple[int, str]] | None = None,
) -> ImportPlan:
    """Match the sheet's rows to the union's roster: who is already a member, who is new (and at
    which enterprise), who moves here from another union (a transfer in), who is missing from the sheet.
    ``roster`` is ``active_roster(union)`` when the caller has it already."""
    plan = ImportPlan(parsed=parsed, months=period.months)
    if roster is None:
        roster = active_roster(union)
    unknown = [row.id_number for row in parsed.rows if row.id_number not in roster]
    elsewhere = member_transfers.active_elsewhere(unknown, union)
    enterprises = dict(Enterprise.objects.filter(union=union).values_list("name", "pk"))
    by_name = {_normalise(name): pk for name, pk in enterprises.items()}
    only_enterprise = next(iter(enterprises.values())) if len(enterprises) == 1 else None
    columns = parsed.columns
    name_col = columns["name"]
    enterprise_col = columns.get("enterprise", (-1, _("Enterprise")))
    roster_issues = []
    bad_rows = set()
    funds_rate = DuesRate.rate_on(DuesRate.Kind.UNION_FUNDS, period.start)
    dues_rate = DuesRate.rate_on(DuesRate.Kind.MEMBER_DUES, period.start)
    paid = Decimal(0)
    expected, matched, wages = plan.expected_dues, plan.matched, []
    cache: dict[Decimal, Decimal] = {}
    for row in parsed.rows:
        known = roster.get(row.id_number)
        if known:
            matched[row.row] = known[0]
            if known[1] != row.name:
                roster_issues.append(
                    RowIssue(
                        row.row,
                        name_col[1],
                        name_col[0],
                        _("The roster has this ID number under the name %(name)s; the roster keeps its name.")
                        % {"name": known[1]},
                        "warning",
                    )
                )
        else:
            other = elsewhere.get(row.id_number)
            if other is not None and not member_transfers.same_name(row.name, other[4]):
                roster_issues.append(
                    RowIssue(
                        row.row,
                        name_col[1],
                        name_col[0],
                        # Which union, or whose number, is not said: the ID number alone tells nothing.
                        _(
                            "This ID number is an active member of another union under a different name; "
                            "check the name and the ID number against the ID card."
                        ),
                        "error",
                    )
                )
                bad_rows.add(row.row)
                continue
            enterprise_id = by_name.get(_normalise(row.enterprise)) if row.enterprise else only_enterprise
            if enterprise_id is None:
                message = (
                    _("“%(name)s” is not an enterprise covered by this union.") % {"name": row.enterprise}
                    if row.enterprise
                    else _("A new member of a joint union needs the enterprise column (所在企业) filled in.")
                )
                roster_issues.append(
                    RowIssue(row.row, enterprise_col[1], enterprise_col[0], message, "error")
                )
                bad_rows.add(row.row)
                continue
            if other is None:
                plan.new.append(NewMember(row.row, row.name, row.id_number, row.phone, enterprise_id))
            else:
                # A job changer: an active member of another union, transferred in on commit.
                plan.transfers.append(
                    member_transfers.TransferIn(
                        row.row, row.name, row.id_number, row.phone, enterprise_id, *other[:4]
                    )
                )
        wage = row.wage
        wages.append(wage)
        due = cache.get(wage)
        if due is None:
            due = cache[wage] = expected_dues(wage, dues_rate)
        expected[row.row] = due
        if row.dues_paid is not None:
            paid += row.dues_paid
    payroll = sum(wages, Decimal(0))
    seen = {row.id_number for row in parsed.rows}
    missing = [name for number, (_pk, name) in roster.items() if number not in seen]
    plan.missing, plan.missing_count = missing[:MISSING_LISTED], len(missing)
    plan.issues = sorted([*parsed.issues, *roster_issues], key=lambda i: (i.row, i.col_index))
    plan._roster_errors = len(bad_rows)
    plan.payroll_total = money(payroll)
    plan.funds_due = money(payroll * funds_rate * period.months)
    plan.dues_due = money(sum(expected.values(), Decimal(0)) * period.months)
    plan.dues_paid_total = money(paid)
    return plan


def read_and_plan(
    *, union: GrassrootsUnion, period: Period, data: bytes, filename: str, progress=None
) -> ImportPlan:
    """Read a sheet and match it to the roster. Raises SheetUnreadable for a file that is not a dues sheet.
    The roster is read from the database while the workbook is parsed (see ``read_dues_sheet``)."""
    rate = DuesRate.rate_on(DuesRate.Kind.MEMBER_DUES, period.start)
    fetched = {}
    parsed = read_dues_sheet(
        data,
        filename,
        dues_rate=rate,
        progress=progress,
        meanwhile=lambda: fetched.setdefault("roster", active_roster(union)),
    )
    return plan_import(union=union, period=period, parsed=parsed, roster=fetched.get("roster"))


def _issues_json(issues: list[RowIssue], limit: int = 5000) -> list[list]:
    return [[i.row, i.column, i.col_index, i.message, i.severity] for i in issues[:limit]]


# --- the web flow: upload → check (task) → preview → commit (task) -----------------------------------


def start_upload(
    *, by, union: GrassrootsUnion, period_label: str, filename: str, data: bytes, replace: bool = False
) -> DuesUpload:
    """Store an uploaded sheet and queue its check. The same file for the same period returns the
    upload already made (nothing changes). A sheet for a period that is already declared is checked
    like any other; its preview puts the two declarations side by side, and committing it needs the
    explicit choice to replace (``request_commit(replace=True)``; ``replace`` here makes that choice
    in advance, for callers that have shown the comparison already)."""
    require(permissions.can_upload_dues(by, union))
    try:
        period = parse_period(period_label)
    except ValueError as error:
        raise ValidationError({"period": str(error)}) from None
    if len(data) > MAX_FILE_BYTES:
        raise ValidationError({"file": _("The file is larger than 20 MB; split it or remove other sheets.")})
    if not data:
        raise ValidationError({"file": _("The file is empty.")})
    digest = hashlib.sha256(data).hexdigest()
    with transaction.atomic(), set_actor(by):
        dues_period = get_period(union=union, period=period, lock=True)
        same = (
            dues_period.uploads.filter(sha256=digest).exclude(status__in=[DuesUpload.Status.REPLACED]).first()
        )
        if same and not (replace and same.status != DuesUpload.Status.COMMITTED):
            return same
        upload = DuesUpload(
            union=union,
            period=dues_period,
            original_name=filename[:255],
            sha256=digest,
            size=len(data),
            replace=replace,
            uploaded_by=by,
        )
        upload.file.save(
            f"{union.code}-{period.label}-{digest[:12]}{_extension(filename)}", ContentFile(data), save=False
        )
        upload.save()
        enqueue_on_commit(CHECK_TASK, upload.pk)
    return upload


def _extension(filename: str) -> str:
    dot = filename.rfind(".")
    extension = filename[dot:].lower() if dot >= 0 else ""
    return extension if extension in (".xlsx", ".xls", ".csv", ".xlsm", ".txt") else ".bin"


def _progress_writer(upload_id: int):
    def write(done: int, total: int):
        DuesUpload.objects.filter(pk=upload_id).update(progress_done=done, progress_total=total)

    return write


def _load(upload_id: int, status: str) -> tuple[DuesUpload | None, bytes, Period | None]:
    """The upload if it is in ``status`` (else None: a task run twice finds it moved on), its file, its period."""
    upload = DuesUpload.objects.select_related("union", "period").filter(pk=upload_id, status=status).first()
    if upload is None:
        return None, b"", None
    with upload.file.open("rb") as handle:
        return upload, handle.read(), parse_period(upload.period.label)


def check_upload(*, upload_id: int) -> DuesUpload | None:
    """Read and check a pending upload (the Celery task's body). Safe to run twice: only a
    pending upload is checked."""
    upload, data, period = _load(upload_id, DuesUpload.Status.PENDING)
    if upload is None:
        return None
    try:
        plan = read_and_plan(
            union=upload.union,
            period=period,
            data=data,
            filename=upload.original_name,
            progress=_progress_writer(upload.pk),
        )
    except SheetUnreadable as error:
        DuesUpload.objects.filter(pk=upload.pk, status=DuesUpload.Status.PENDING).update(
            status=DuesUpload.Status.UNREADABLE, message=str(error)
        )
        return DuesUpload.objects.get(pk=upload.pk)
    if plan.issues:
        # Made here, in the worker: for a 50,000-row sheet it takes seconds, too long for a request.
        annotated = annotate_errors(
            data, upload.original_name, dataclasses.replace(plan.parsed, issues=plan.issues)
        )
        upload.errors_file.save(
            f"{upload.union.code}-{upload.period.label}-{upload.pk}-errors.xlsx",
            ContentFile(annotated),
            save=False,
        )
        DuesUpload.objects.filter(pk=upload.pk).update(errors_file=upload.errors_file.name)
    DuesUpload.objects.filter(pk=upload.pk, status=DuesUpload.Status.PENDING).update(
        status=DuesUpload.Status.INVALID if plan.errors else DuesUpload.Status.VALID,
        data_rows=plan.parsed.data_rows,
        error_count=len(plan.errors),
        warning_count=len(plan.warnings),
        summary=plan.summary(),
        issues=_issues_json(plan.issues),
        progress_done=plan.parsed.data_rows,
        progress_total=plan.parsed.data_rows,
    )
    return DuesUpload.objects.get(pk=upload.pk)


def request_commit(*, by, upload: DuesUpload, replace: bool | None = None) -> DuesUpload:
    """Move a checked upload to "committing" and queue the commit. A double-submitted form finds
    the upload no longer "valid" and changes nothing. For a period that is already declared the
    caller must pass ``replace=True`` — the chair's explicit choice on the preview, which showed the
    two declarations side by side — else nothing moves (``replace=None`` keeps a choice made at upload).
    The declaration being replaced is noted, so that a commit finding another one in its place stops."""
    require(permissions.can_upload_dues(by, upload.union))
    period = DuesPeriod.objects.select_related("declared_upload").get(pk=upload.period_id)
    chosen = upload.replace if replace is None else replace
    replacing = period.is_declared and period.declared_upload_id != upload.pk
    if replacing and not chosen:
        raise ValidationError(
            {
                "replace": _(
                    "%(period)s is already declared (%(source)s). Compare the two declarations and choose "
                    "“replace the declaration” to commit this sheet instead; the earlier one stays in the history."
                )
                % {"period": period.label, "source": declarations.declaration_source(period)}
            }
        )
    fields = {"status": DuesUpload.Status.COMMITTING, "progress_done": 0}
    if replacing:
        fields["replace"] = True
        fields["summary"] = {**upload.summary, "replacing": _declaration_key(period)}
    moved = DuesUpload.objects.filter(pk=upload.pk, status=DuesUpload.Status.VALID).update(**fields)
    if moved:
        enqueue_on_commit(COMMIT_TASK, upload.pk, by.pk if by else None)
    upload.refresh_from_db()
    return upload


def _declaration_key(period: DuesPeriod) -> list:
    """What identifies the declaration a chair chose to replace."""
    return [period.declared_upload_id, None if period.funds_due is None else str(period.funds_due)]


def commit_upload(*, upload_id: int, by) -> DuesUpload | None:
    """Commit a checked sheet in one transaction (the Celery task's body). The sheet is read and
    matched again inside the transaction, so a roster that changed since the preview cannot slip
    an error through; any error commits nothing and sends the upload back to "has errors"."""
    upload, data, period = _load(upload_id, DuesUpload.Status.COMMITTING)
    if upload is None:
        return None
    try:
        with transaction.atomic(), set_actor(by):
            dues_period = DuesPeriod.objects.select_for_update().get(pk=upload.period_id)
            plan = read_and_plan(
                union=upload.union, period=period, data=data, filename=upload.original_name, progress=None
            )
            refusal = _refusal(dues_period, upload, plan)
            if refusal is None:
                apply_plan(by=by, upload=upload, dues_period=dues_period, plan=plan)
    except IntegrityError:
        # Someone registered one of the sheet's new members elsewhere at the same moment.
        refusal = _(
            "The roster changed while the sheet was being committed; nothing was written. Check it again."
        )
        DuesUpload.objects.filter(pk=upload.pk).update(status=DuesUpload.Status.PENDING, message=refusal)
        enqueue_on_commit(CHECK_TASK, upload.pk)
        return DuesUpload.objects.get(pk=upload.pk)
    if refusal is not None:
        DuesUpload.objects.filter(pk=upload.pk).update(
            status=DuesUpload.Status.INVALID if plan.errors else DuesUpload.Status.VALID,
            message=refusal,
            error_count=len(plan.errors),
            warning_count=len(plan.warnings),
            summary=plan.summary(),
            issues=_issues_json(plan.issues),
        )
    return DuesUpload.objects.get(pk=upload.pk)


def _refusal(dues_period: DuesPeriod, upload: DuesUpload, plan: ImportPlan) -> str | None:
    if plan.errors:
        return _("The sheet now has errors (the roster changed since it was checked); nothing was written.")
    if dues_period.is_declared and dues_period.declared_upload_id != upload.pk:
        if not upload.replace:
            return _(
                "This period is already declared; nothing was written. Compare the two declarations on this "
                "page and choose “replace the declaration” to commit this sheet."
            )
        chosen = upload.summary.get("replacing")
        if chosen is not None and chosen != _declaration_key(dues_period):
            return _(
                "The period's declaration changed after you chose to replace it; nothing was written. Compare "
                "the two declarations again."
            )
    return None


def apply_plan(*, by, upload: DuesUpload, dues_period: DuesPeriod, plan: ImportPlan) -> None:
    """Write a checked plan: new members (with their joining event), the sheet's lines, the period's
    totals. Call inside a transaction. Rows go in through ``bulk_insert`` (50,000 in well under a
    second); the upload's own audit entry records the operation as a whole."""
    union = upload.union
    joined_on = dues_period.start
    now = timezone.now()
    if plan.new:
        insert_members(
            (
                n.name,
                n.id_number,
                n.phone,
                "",
                Member.PoliticalStatus.MASSES,
                n.enterprise_id,
                union.pk,
                joined_on,
                False,
                upload.pk,
                now,
            )
            for n in plan.new
        )
    new_pks = (
        dict(Member.objects.filter(added_by_upload=upload).values_list("id_number", "pk")) if plan.new else {}
    )
    if new_pks:
        note = (_("Added by the dues sheet %(name)s") % {"name": upload.original_name})[:200]
        insert_events(
            (pk, MembershipEvent.Kind.JOINED, joined_on, union.pk, note, by.pk if by else None, now)
            for pk in new_pks.values()
        )
    member_for_row = dict(plan.matched)
    member_for_row.update({n.row: new_pks[n.id_number] for n in plan.new})
    member_for_row.update(
        member_transfers.apply_sheet_transfers(
            by=by, upload=upload, union=union, on=joined_on, transfers=plan.transfers, now=now
        )
    )
    expected, upload_pk = plan.expected_dues, upload.pk
    bulk_insert(
        DuesLine,
        ["upload", "member", "row", "wage", "dues_due", "dues_paid"],
        (
            (upload_pk, member_for_row[row.row], row.row, row.wage, expected[row.row], row.dues_paid)
            for row in plan.parsed.rows
            if row.row in member_for_row
        ),
    )
    previous = dues_period.declared_upload_id
    declared_members = len(member_for_row)
    replaced = None
    if dues_period.is_declared and previous != upload.pk:
        replaced = declarations.record_replacement(
            by=by,
            period=dues_period,
            upload=upload,
            after=declarations.Side(declared_members, plan.payroll_total, plan.funds_due, plan.dues_due),
        )
    if previous and previous != upload.pk:
        DuesUpload.objects.filter(pk=previous).update(status=DuesUpload.Status.REPLACED)
    dues_period.payroll_total = plan.payroll_total
    dues_period.funds_due = plan.funds_due
    dues_period.dues_due = plan.dues_due
    dues_period.declared_members = declared_members
    dues_period.declared_upload = upload
    dues_period.save(
        update_fields=["payroll_total", "funds_due", "dues_due", "declared_members", "declared_upload"]
    )
    upload.status = DuesUpload.Status.COMMITTED
    upload.committed_by, upload.committed_at = by, now
    upload.data_rows, upload.error_count, upload.warning_count = plan.parsed.data_rows, 0, len(plan.warnings)
    upload.summary, upload.issues = plan.summary(), _issues_json(plan.issues)
    upload.progress_done = upload.progress_total = plan.parsed.data_rows
    upload.message = ""
    upload.save()
    LogEntry.objects.log_create(
        upload,
        action=LogEntry.Action.UPDATE,
        actor=by,
        force_log=True,
        changes={"status": ["valid", "committed"]},
        additional_data={
            "new_members": len(new_pks),
            "transfers_in": len(plan.transfers),
            "lines": len(member_for_row),
            "funds_due": str(plan.funds_due),
            **(
                {
                    "replaced_declaration": replaced.pk,
                    "funds_due_before": str(replaced.before_funds),
                    "paid_before": str(replaced.received),
                }
                if replaced
                else {}
            ),
        },
    )


def is_declared_by(dues_period: DuesPeriod, data: bytes) -> bool:
    """Whether this very file is the period's committed declaration (running an import twice is a no-op)."""
    declared = dues_period.declared_upload
    return declared is not None and declared.sha256 == hashlib.sha256(data).hexdigest()


def import_from_command(
    *,
    union: GrassrootsUnion,
    period: Period,
    filename: str,
    data: bytes,
    plan: ImportPlan,
    replace: bool = False,
) -> tuple[DuesUpload | None, str]:
    """``manage.py import_dues --commit``: the same writes as the web flow, without the queue.
    Returns (the upload, a sentence saying what happened)."""
    digest = hashlib.sha256(data).hexdigest()
    with transaction.atomic():
        dues_period = get_period(union=union, period=period, lock=True)
        declared = dues_period.declared_upload
        if declared and declared.sha256 == digest:
            return declared, "this file is already committed for the period; nothing changed"
        if dues_period.is_declared and not replace:
            return None, "the period is already declared; nothing changed (use --replace to replace it)"
        upload = DuesUpload(
            union=union,
            period=dues_period,
            original_name=filename[:255],
            sha256=digest,
            size=len(data),
            replace=replace,
            status=DuesUpload.Status.COMMITTING,
        )
        upload.file.save(
            f"{union.code}-{period.label}-{digest[:12]}{_extension(filename)}", ContentFile(data), save=False
        )
        upload.save()
        apply_plan(by=None, upload=upload, dues_period=dues_period, plan=plan)
    return upload, "committed"


# --- remittances, arrears, the hardship fund's figure -------------------------------------------------


def record_remittance(
    *, by, period: DuesPeriod, amount: Decimal, received_on: datetime.date, voucher_no: str, channel: str
) -> Remittance:
    """Record money received for a period, split between the grassroots union and the federation
    at the share in force on the day it was received."""
    require(permissions.can_record_remittances(by))
    amount = money(amount)
    if amount <= 0:
        raise ValidationError({"amount": _("The amount must be more than zero.")})
    if amount > Decimal("100000000"):
        raise ValidationError({"amount": _("The amount is implausibly large; please check it.")})
    if received_on > timezone.localdate():
        raise ValidationError({"received_on": _("The date received cannot be in the future.")})
    voucher_no = voucher_no.strip()
    with transaction.atomic(), set_actor(by):
        if Remittance.objects.filter(channel=channel, voucher_no=voucher_no).exists():
            raise ValidationError(
                {"voucher_no": _("Voucher %(no)s has already been recorded.") % {"no": voucher_no}}
            )
        share = DuesRate.rate_on(DuesRate.Kind.GRASSROOTS_SHARE, received_on)
        grassroots = money(amount * share)
        return Remittance.objects.create(
            period=period,
            amount=amount,
            received_on=received_on,
            voucher_no=voucher_no,
            channel=channel,
            grassroots_share=grassroots,
            federation_share=amount - grassroots,
            recorded_by=by,
        )


def union_funds_received(year: int) -> Decimal:
    """The union funds actually received in a calendar year, district-wide (the hardship fund's base):
    remittances, less the credits (多缴) refunded that year — money given back was not collected."""
    return Remittance.objects.received_in_year(year) - declarations.refunds_in_year(year)


@dataclass
class Arrear:
    period: DuesPeriod
    received: Decimal
    outstanding: Decimal | None  # None: never declared
    days_overdue: int
    payment_order: bool


def arrears(*, queryset=None, today: datetime.date | None = None) -> list[Arrear]:
    """Periods past their due date that are undeclared or not fully paid, largest and oldest first."""
    today = today or timezone.localdate()
    periods = (queryset if queryset is not None else DuesPeriod.objects.all()).in_arrears(today)
    rows = [
        Arrear(
            period,
            period.received_total,
            period.outstanding(period.received_total),
            period.days_overdue(today),
            period.payment_order_due(today),
        )
        for period in periods.select_related("union", "union__chair")
    ]
    rows.sort(key=lambda a: (-(a.outstanding or 0), -a.days_overdue))
    return rows


# --- reminders ---------------------------------------------------------------------------------------

REMIND_DAYS_BEFORE = 7


def open_periods(*, today: datetime.date | None = None) -> int:
    """Make sure every active union has its current and previous period on file, so that a union
    that never uploads still shows as due, then overdue. Returns the number created."""
    today = today or timezone.localdate()
    created = 0
    for union in GrassrootsUnion.objects.filter(status=GrassrootsUnion.Status.ACTIVE).only(
        "pk", "dues_schedule"
    ):
        current = period_containing(union.dues_schedule, today)
        for period in (current.previous(), current):
            _obj, made = DuesPeriod.objects.get_or_create(
                union=union,
                start=period.start,
                end=period.end,
                defaults={"kind": period.kind, "label": period.label, "due_date": period.due_date()},
            )
            created += made
    return created


@dataclass(frozen=True)
class OpenPeriod:
    """A period the union has still to declare: its span, due date and whether it is overdue."""

    period: Period
    due_date: datetime.date
    overdue: bool

    @property
    def label(self) -> str:
        return self.period.label


def declarable_periods(union: GrassrootsUnion, *, today: datetime.date | None = None) -> list[OpenPeriod]:
    """The periods the union has not declared yet, the next one due first: every undeclared period on
    file plus the previous and current periods of its schedule. Then the later ones, then the overdue
    ones, oldest first. A period already declared is not offered (replacing one is a separate,
    explicit choice)."""
    today = today or timezone.localdate()
    current = period_containing(union.dues_schedule, today)
    rows = {
        label: (funds, due)
        for label, funds, due in union.dues_periods.values_list("label", "funds_due", "due_date")
    }
    found: dict[str, OpenPeriod] = {}
    for label, (funds, due) in rows.items():
        if funds is None:
            try:
                period = parse_period(label)
            except ValueError:
                continue
            found[label] = OpenPeriod(period, due, due < today)
    for period in (current.previous(), current):
        if period.label not in rows:
            due = period.due_date()
            found[period.label] = OpenPeriod(period, due, due < today)
    upcoming = sorted((p for p in found.values() if not p.overdue), key=lambda p: (p.due_date, p.label))
    overdue = sorted((p for p in found.values() if p.overdue), key=lambda p: (p.due_date, p.label))
    return upcoming + overdue


def send_reminders(*, today: datetime.date | None = None) -> dict[str, int]:
    """Remind chairs a week before a due date, and once when a period becomes overdue. Safe to run
    twice: each reminder is a notice with a key, sent at most once."""
    today = today or timezone.localdate()
    sent = {"due_soon": 0, "overdue": 0}
    periods = (
        DuesPeriod.objects.filter(
            due_date__lte=today + datetime.timedelta(days=REMIND_DAYS_BEFORE),
            union__chair__isnull=False,
            union__status=GrassrootsUnion.Status.ACTIVE,
        )
        .with_received()
        .select_related("union", "union__chair")
    )
    for period in periods:
        outstanding = period.outstanding(period.received_total)
        if outstanding is not None and outstanding <= 0:
            continue
        url = period.get_absolute_url()
        if period.due_date >= today:
            title = _("Union funds for %(period)s are due on %(date)s") % {
                "period": period.label,
                "date": period.due_date.isoformat(),
            }
            body = (
                _("Please upload the dues sheet for %(period)s.") % {"period": period.label}
                if not period.is_declared
                else _("¥%(amount)s is still to be paid.") % {"amount": outstanding}
            )
            sent["due_soon"] += notify(
                user=period.union.chair,
                key=f"dues-soon:{period.pk}",
                title=title,
                body=body,
                url=url,
                due=period.due_date,
            )
        else:
            title = _("Union funds for %(period)s are overdue") % {"period": period.label}
            body = _(
                "They were due on %(date)s. Please upload the sheet and pay, or contact the federation."
            ) % {"date": period.due_date.isoformat()}
            sent["overdue"] += notify(
                user=period.union.chair, key=f"dues-overdue:{period.pk}", title=title, body=body, url=url
            )
    return sent


def log_sheet_download(*, by, upload: DuesUpload, sheet: str, remote_addr: str | None = None) -> None:
    """A dues sheet (the chair's own, or the copy with the problems marked) holds every row's full ID
    number and phone: each download is an audited access (PIPL), like revealing one member's ID number."""
    LogEntry.objects.log_create(
        upload,
        action=LogEntry.Action.ACCESS,
        actor=by,
        remote_addr=remote_addr,
        force_log=True,
        changes={},
        additional_data={"downloaded": sheet},
    )
