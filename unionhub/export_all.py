"""Taking everything out (issue 20): the federation's own copy of its data, readable without UnionHub.

``export_everything(directory=…, unmasked=False, by=None)`` writes into an empty (or new) directory:

- one workbook per programme (``unionhub.xlsx`` for the core, ``members.xlsx`` for the registry, one for each
  app in ``programmes.PROGRAMMES``), one sheet per table, headers and sheet names in Chinese. The tables are
  found through the app registry (the core imports no app); the audit log goes into the core's workbook;
- ``files/<the stored name>``: every file a ``FileField`` refers to, read through the storage API;
- ``manifest.json`` (each sheet's row count, each written file's SHA-256 and size, the version, when, masked
  or not, who asked) and ``README.txt`` (in Chinese: what is where).

How cells are written: a foreign key is two columns, the related row's name (its ``str``) and its number
(``…（ID）``, the ``ID`` column of that table's sheet: a record's own number, such as a case's, is a column
of its own); a many-to-many field one cell of names joined by "；";
choices their Chinese label; dates and times ISO text (times in the federation's time zone); money and
other Decimals exact numbers; booleans 是/否; text neutralised against formula injection.

Never written: password hashes, one-time tokens and their hashes (fields named like ``password``,
``token``, ``secret``, ``…_hash``), sessions, login-attempt logs, the audit log's serialised object
snapshots. ID numbers and phones (fields named like ``id_number``, ``phone``, ``mobile``) are masked
(``unionhub.masking``) unless ``unmasked``, which only an active staff user holding the organisation duty
may ask for, and which is audited. Masked, the audit log's texts and the names of related rows (a member's
account is named by its mobile) are also scrubbed of anything that looks like an ID number or a mobile;
free text in other columns (a case description) is exported as written."""

import contextlib
import datetime
import decimal
import hashlib
import importlib.metadata
import json
import re
import uuid
from pathlib import Path

from auditlog.models import LogEntry
from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.db import connection, models, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from programmes import PROGRAMMES

from .duties import AID, AUDIT, CASEWORK, FINANCE, ORGANISATION
from .exports import exact_number, neutralise, sheet_name, write_only_workbook
from .masking import mask_id_number, mask_phone

CHUNK = 2000
EXCEL_CELL_LIMIT = 32767
SHEET_ROW_LIMIT = 1_048_576  # Excel's, the header included
STRING_MEMO_LIMIT = 50_000
MAX_JOINS = 40  # SQLite joins at most 64 tables

# The audit log's actions, and the duty groups of the user table, in words.
ACTION_LABELS = {
    LogEntry.Action.CREATE: gettext_lazy("record created"),
    LogEntry.Action.UPDATE: gettext_lazy("record changed"),
    LogEntry.Action.DELETE: gettext_lazy("record deleted"),
    LogEntry.Action.ACCESS: gettext_lazy("record viewed"),
}
DUTY_LABELS = {
    ORGANISATION: gettext_lazy("organisation duty"),
    FINANCE: gettext_lazy("finance duty"),
    CASEWORK: gettext_lazy("casework duty"),
    AID: gettext_lazy("aid duty"),
    AUDIT: gettext_lazy("audit duty"),
}

# A field whose name matches is never written, whoever asks.
SECRET_FIELD = re.compile(r"password|token|secret|_hash$")
# Fields holding ID numbers or phones, by name, and the few whose names do not say so.
ID_NUMBER_FIELD = re.compile(r"id_number")
PHONE_FIELD = re.compile(r"phone|mobile")
ID_NUMBER_FIELDS: set[str] = set()  # "app_label.Model.field"
PHONE_FIELDS: set[str] = set()
# Text fields scrubbed of ID numbers and mobiles when masked: an account is named by its holder's mobile, and
# a counter clerk may type anything into the card check.
SCRUBBED_FIELDS = {"unionhub.User.username", "perks.CardCheck.entered"}
# What a text looks like when it holds one (the audit log's texts and related rows' names, when masked).
ID_NUMBER_TEXT = re.compile(r"(?<![0-9A-Za-z])\d{17}[\dXx](?![0-9A-Za-z])")
MOBILE_TEXT = re.compile(r"(?<!\d)1[3-9]\d{9}(?!\d)")

# Per model, the fields written (in this order) when not all of its own: the user table without its
# password and permissions, the audit log without its snapshots and its text copy of ``changes``.
CHOSEN_FIELDS = {
    "unionhub.User": [
        "id",
        "username",
        "name",
        "phone",
        "email",
        "is_staff",
        "is_superuser",
        "is_active",
        "last_login",
        "date_joined",
        "groups",
    ],
    "auditlog.LogEntry": [
        "id",
        "timestamp",
        "action",
        "content_type",
        "object_pk",
        "object_repr",
        "changes",
        "additional_data",
        "actor",
        "actor_email",
        "remote_addr",
    ],
}
# Tables of other apps that go into the core's workbook. Sessions, login attempts (axes), content types and
# permissions stay out: they are the machinery's, not the federation's records.
CORE_EXTRA_MODELS = ["auditlog.LogEntry"]


def programme_labels() -> list[str]:
    """The workbooks, in order: the core, the registry, then every installed programme."""
    return ["unionhub", "members", *PROGRAMMES]


def exported_models(label: str) -> list[type[models.Model]]:
    """Every concrete table of app ``label`` (not proxies, not many-to-many link tables), plus the audit log
    in the core's."""
    found = [m for m in apps.get_app_config(label).get_models() if not m._meta.proxy]
    if label == "unionhub":
        found += [apps.get_model(extra) for extra in CORE_EXTRA_MODELS]
    return [m for m in found if not SECRET_FIELD.search(m._meta.model_name)]


# --- who may ask ---------------------------------------------------------------------------------


def check_requester(*, unmasked: bool, by) -> None:
    """Refuse unless the export may go ahead: anybody at the console gets a masked copy; naming a user
    (``by``) requires an active staff account; an unmasked copy requires one that holds the organisation
    duty (membership of its group)."""
    if by is None:
        if unmasked:
            raise PermissionDenied(_("An unmasked export must name the staff user who asks for it (--as)."))
        return
    if not (by.is_active and by.is_staff):
        raise PermissionDenied(_("%(user)s is not an active staff account.") % {"user": by.get_username()})
    if unmasked and not by.groups.filter(name=ORGANISATION).exists():
        raise PermissionDenied(
            _("%(user)s does not hold the organisation duty: an unmasked export is not allowed.")
            % {"user": by.get_username()}
        )


def find_requester(username: str):
    """The active user named ``username``, or PermissionDenied."""
    user = get_user_model().objects.filter(username=username).first()
    if user is None:
        raise PermissionDenied(_("No user is named %(user)s.") % {"user": username})
    return user


def check_directory(directory: Path) -> None:
    if directory.exists() and (not directory.is_dir() or any(directory.iterdir())):
        raise FileExistsError(
            _("%(dir)s exists and is not an empty directory: choose a new or empty one.") % {"dir": directory}
        )


# --- cells ---------------------------------------------------------------------------------------


def _scrub(text: str) -> str:
    text = ID_NUMBER_TEXT.sub(lambda m: mask_id_number(m.group()), text)
    return MOBILE_TEXT.sub(lambda m: mask_phone(m.group()), text)


def _text(value, *, scrub: bool = False):
    text = str(value)
    if scrub:
        text = _scrub(text)
    return neutralise(text)[:EXCEL_CELL_LIMIT]


def _local(moment: datetime.datetime) -> str:
    if timezone.is_aware(moment):
        moment = timezone.localtime(moment)
    return moment.replace(microsecond=0, tzinfo=None).isoformat(sep=" ")


def _plain(value, *, scrub: bool):
    """One stored value as a cell: numbers stay numbers (Decimals exact), the rest becomes text."""
    if value is None:
        return None
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, int | decimal.Decimal | float):
        return value
    if isinstance(value, datetime.datetime):
        return _local(value)
    if isinstance(value, datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, datetime.timedelta):
        return str(value)
    if isinstance(value, dict | list):
        return _text(json.dumps(value, ensure_ascii=False, default=str), scrub=scrub)
    if isinstance(value, bytes | memoryview):
        return None
    if isinstance(value, uuid.UUID):
        return str(value)
    return _text(value, scrub=scrub)


class RelatedNames:
    """The names (``str``) of related rows, fetched in bulk per chunk of rows with the relations a
    ``__str__`` is likely to follow joined (two levels deep), remembered per table and id: one query per
    chunk instead of one (or more) per row."""

    def __init__(self, *, scrub: bool):
        self.scrub = scrub
        self.names: dict[str, dict] = {}

    def fill(self, model, ids) -> None:
        known = self.names.setdefault(model._meta.label, {})
        if len(known) >= STRING_MEMO_LIMIT:
            known.clear()
        missing = sorted({i for i in ids if i is not None} - known.keys())
        if not missing:
            return
        queryset = model._default_manager.order_by().select_related(*_str_paths(model))
        for start in range(0, len(missing), 500):
            for obj in queryset.filter(pk__in=missing[start : start + 500]):
                known[obj.pk] = _text(obj, scrub=self.scrub)

    def name(self, model, pk) -> str:
        return self.names[model._meta.label].get(pk, str(pk))


def _forward_relations(model) -> list:
    return [f for f in model._meta.concrete_fields if f.many_to_one or f.one_to_one]


def _str_paths(model, limit: int = MAX_JOINS) -> list[str]:
    paths = []
    for field in _forward_relations(model):
        paths.append(field.name)
        paths.extend(f"{field.name}__{inner.name}" for inner in _forward_relations(field.related_model))
    return paths[:limit]


class Column:
    """One field of a table, as one or two columns of its sheet."""

    def __init__(self, model, field, *, masked: bool):
        self.field = field
        self.name = field.name
        qualified = f"{model._meta.label}.{field.name}"
        self.masker = None
        if masked and (ID_NUMBER_FIELD.search(field.name) or qualified in ID_NUMBER_FIELDS):
            self.masker = mask_id_number
        elif masked and (PHONE_FIELD.search(field.name) or qualified in PHONE_FIELDS):
            self.masker = mask_phone
        self.scrub = masked and (model._meta.label == "auditlog.LogEntry" or qualified in SCRUBBED_FIELDS)
        self.masked_names = masked
        if model._meta.label == "auditlog.LogEntry" and field.name == "action":
            self.choices = {key: str(label) for key, label in ACTION_LABELS.items()}
        else:
            self.choices = {key: str(label) for key, label in field.flatchoices} if field.choices else None
        self.duties = field.many_to_many and field.related_model is Group
        self.related = field.many_to_one or field.one_to_one
        self.many = field.many_to_many

    def headers(self) -> list[str]:
        title = str(self.field.verbose_name)
        if self.related:
            return [title, _("%(field)s ID") % {"field": title}]
        return [title]

    def cells(self, obj, names: RelatedNames) -> list:
        if self.many:
            related = sorted(str(other) for other in getattr(obj, self.name).all())
            if self.duties:
                related = [str(DUTY_LABELS.get(name, name)) for name in related]
            return [_text("；".join(related), scrub=self.masked_names) if related else None]
        value = getattr(obj, self.field.attname)
        if self.related:
            return [None, None] if value is None else [names.name(self.field.related_model, value), value]
        if isinstance(self.field, models.FileField):
            return [_text(value.name) if value else None]
        if self.masker is not None:
            return [self.masker(str(value)) if value else value]
        if self.choices is not None and value in self.choices:
            return [_text(self.choices[value])]
        return [_plain(value, scrub=self.scrub)]


def columns_of(model, *, masked: bool) -> list[Column]:
    chosen = CHOSEN_FIELDS.get(model._meta.label)
    if chosen is not None:
        fields = [model._meta.get_field(name) for name in chosen]
    else:
        fields = [
            f
            for f in [*model._meta.concrete_fields, *model._meta.many_to_many]
            if not SECRET_FIELD.search(f.name)
        ]
    return [Column(model, field, masked=masked) for field in fields]


def rows_of(model, columns: list[Column], names: RelatedNames):
    """The table's rows in id order, streamed a chunk at a time (constant memory: ``iterator``); the names
    of the chunk's related rows are fetched together."""
    related = [c for c in columns if c.related]
    many = [c.name for c in columns if c.many]
    queryset = model._default_manager.order_by("pk")
    if many:
        queryset = queryset.prefetch_related(*many)
    chunk = []
    for obj in queryset.iterator(chunk_size=CHUNK):
        chunk.append(obj)
        if len(chunk) == CHUNK:
            yield from _rows_of_chunk(chunk, columns, related, names)
            chunk = []
    yield from _rows_of_chunk(chunk, columns, related, names)


def _rows_of_chunk(chunk, columns, related, names):
    for column in related:
        names.fill(column.field.related_model, [getattr(obj, column.field.attname) for obj in chunk])
    for obj in chunk:
        yield [cell for column in columns for cell in column.cells(obj, names)]


def table_name(model) -> str:
    """The name of a table's sheet, before Excel's rules: its Chinese plural name."""
    if model._meta.label == "auditlog.LogEntry":
        return _("Audit log")
    return str(model._meta.verbose_name_plural) or model._meta.model_name


# --- files ---------------------------------------------------------------------------------------


def _sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _file_entry(path: Path, directory: Path) -> dict:
    return {
        "path": path.relative_to(directory).as_posix(),
        "size": path.stat().st_size,
        "sha256": _sha256_of(path),
    }


def write_workbook(label: str, path: Path, *, masked: bool) -> list[dict]:
    """One programme's workbook at ``path``; returns its sheets (title, table, row count). A table longer
    than a sheet holds goes on in further sheets, each with the header."""
    workbook = write_only_workbook()
    sheets, taken = [], set()
    names = RelatedNames(scrub=masked)
    for model in exported_models(label):
        columns = columns_of(model, masked=masked)
        header = [title for column in columns for title in column.headers()]
        entry = None
        for row in rows_of(model, columns, names):
            if entry is None or entry["rows"] == SHEET_ROW_LIMIT - 1:
                entry, sheet = _new_sheet(workbook, table_name(model), taken, header, sheets, model)
            sheet.append([exact_number(sheet, v) if isinstance(v, decimal.Decimal) else v for v in row])
            entry["rows"] += 1
        if entry is None:
            _new_sheet(workbook, table_name(model), taken, header, sheets, model)
    workbook.save(path)
    return sheets


def _new_sheet(workbook, name, taken, header, sheets, model):
    sheet = workbook.create_sheet(sheet_name(name, taken))
    sheet.append(header)
    entry = {"sheet": sheet.title, "table": model._meta.label, "rows": 0}
    sheets.append(entry)
    return entry, sheet


def stored_file_names():
    """Every name a ``FileField`` of an exported table refers to, once, with its storage."""
    seen = set()
    for label in programme_labels():
        for model in exported_models(label):
            for field in model._meta.concrete_fields:
                if not isinstance(field, models.FileField):
                    continue
                names = (
                    model._default_manager.exclude(**{field.attname: ""})
                    .exclude(**{f"{field.attname}__isnull": True})
                    .order_by()
                    .values_list(field.attname, flat=True)
                    .distinct()
                )
                for name in names.iterator(chunk_size=CHUNK):
                    if name not in seen:
                        seen.add(name)
                        yield name, field.storage


def copy_stored_files(directory: Path) -> tuple[list[dict], list[str]]:
    """Copy each stored file to ``files/<its stored name>``; returns the written files and the missing."""
    written, missing = [], []
    root = (directory / "files").resolve()
    for name, storage in stored_file_names():
        target = (root / name).resolve()
        if not target.is_relative_to(root):  # a stored name is ours, but never write outside files/
            missing.append(name)
            continue
        try:
            source = storage.open(name, "rb")
        except (FileNotFoundError, OSError):
            missing.append(name)
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        with source, target.open("wb") as out:
            for chunk in source.chunks():
                out.write(chunk)
        written.append(_file_entry(target, directory.resolve()))
    return written, missing


def _commit() -> str:
    """The git commit the code runs from, when it is a checkout (read from .git, no git needed); else ""."""
    git = Path(settings.BASE_DIR) / ".git"
    try:
        if git.is_file():  # a worktree: "gitdir: <path>"
            git = Path(git.read_text().split(":", 1)[1].strip())
        head = (git / "HEAD").read_text().strip()
        if not head.startswith("ref:"):
            return head
        ref = head.split(" ", 1)[1]
        for base in (git, git.parent.parent if git.parent.name == "worktrees" else git):
            if (base / ref).exists():
                return (base / ref).read_text().strip()
            packed = base / "packed-refs"
            if packed.exists():
                for line in packed.read_text().splitlines():
                    if line.endswith(" " + ref):
                        return line.split(" ", 1)[0]
    except (OSError, IndexError):
        pass
    return ""


def _version() -> str:
    try:
        return importlib.metadata.version("unionhub")
    except importlib.metadata.PackageNotFoundError:
        return ""


@contextlib.contextmanager
def _snapshot():
    """On PostgreSQL, one read-only repeatable-read transaction: every table as of the same moment. SQLite
    (the embedded default) reads table by table: a transaction that long would lock its writers out. Inside a
    transaction already (a test), that one decides."""
    if connection.vendor != "postgresql" or connection.in_atomic_block:
        yield
        return
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        yield


# --- the export ----------------------------------------------------------------------------------


def export_everything(*, directory, unmasked: bool = False, by=None, progress=None) -> Path:
    """Write the whole export into ``directory`` (new or empty); returns the manifest's path. Refused
    (PermissionDenied, FileExistsError) before anything is written. ``progress(label, path, sheets)`` is
    called after each workbook."""
    directory = Path(directory)
    check_requester(unmasked=unmasked, by=by)
    check_directory(directory)
    started = timezone.now()
    if unmasked:
        LogEntry.objects.log_create(
            by,
            action=LogEntry.Action.ACCESS,
            actor=by,
            force_log=True,
            changes={},
            additional_data={"export_all": "unmasked", "directory": str(directory.resolve())},
        )
    directory.mkdir(parents=True, exist_ok=True)
    workbooks = []
    with translation.override("zh-hans"), _snapshot():
        for label in programme_labels():
            path = directory / f"{label}.xlsx"
            sheets = write_workbook(label, path, masked=not unmasked)
            entry = _file_entry(path, directory)
            workbooks.append(
                {
                    "programme": label,
                    "title": str(apps.get_app_config(label).verbose_name),
                    **entry,
                    "sheets": sheets,
                }
            )
            if progress is not None:
                progress(label, path, sheets)
        files, missing = copy_stored_files(directory)
        manifest = {
            "unionhub_version": _version(),
            "commit": _commit(),
            "started_at": timezone.localtime(started).isoformat(),
            "finished_at": timezone.localtime().isoformat(),
            "time_zone": settings.TIME_ZONE,
            "masked": not unmasked,
            "requested_by": by.get_username() if by is not None else None,
            "workbooks": workbooks,
            "files": files,
            "missing_files": missing,
        }
        manifest_path = directory / "manifest.json"
        manifest_path.write_text(json.dumps(manifest, ensure_ascii=False, indent=2), encoding="utf-8")
        (directory / "README.txt").write_text(readme(manifest), encoding="utf-8")
    return manifest_path


def readme(manifest: dict) -> str:
    """The export's README.txt, in the language active when it is written (Chinese: ``export_everything``)."""
    masked = (
        _("masked (as in 3304**********123X, 138****1234)")
        if manifest["masked"]
        else _("in full: keep this copy safe")
    )
    lines = [
        _("UnionHub: everything taken out"),
        "",
        _("Exported at: %(when)s (time zone %(zone)s)")
        % {"when": manifest["finished_at"], "zone": manifest["time_zone"]},
        _("Asked for by: %(user)s")
        % {"user": manifest["requested_by"] or _("(nobody named; run on the server)")},
        _("ID numbers and phones: %(masked)s") % {"masked": masked},
        _("UnionHub version: %(version)s, commit: %(commit)s")
        % {"version": manifest["unionhub_version"] or "-", "commit": manifest["commit"] or "-"},
        "",
        _("What is where:"),
        _("- One Excel workbook (.xlsx) per programme, one sheet per table, the fields' names as headers."),
        _(
            "- A link to another table takes two columns: the linked record's name, and its ID (the ID column "
            "of that table's sheet)."
        ),
        _(
            "- Dates are YYYY-MM-DD, times local YYYY-MM-DD HH:MM:SS; amounts are exact numbers (yuan); "
            "yes/no fields read 是/否."
        ),
        _(
            "- A leading ' in a text was added so that Excel does not run it as a formula; it is not part of "
            "the text."
        ),
        _("- Not included: passwords, one-time tokens and their hashes, sessions and login attempts."),
        _(
            "- files/: every stored file (reports, dues sheets, evidence, photos…), under the path that the "
            "file columns of the sheets show."
        ),
        _(
            "- manifest.json: each sheet's row count, each file's size and SHA-256 checksum (check them with "
            "sha256sum)."
        ),
        "",
        _("Workbooks:"),
    ]
    for book in manifest["workbooks"]:
        lines.append(f"- {book['path']} ({book['title']})")
        lines.extend(
            "    " + _("%(sheet)s: %(rows)d rows") % {"sheet": sheet["sheet"], "rows": sheet["rows"]}
            for sheet in book["sheets"]
        )
    lines += ["", _("Stored files: %(count)d, under files/") % {"count": len(manifest["files"])}]
    if manifest["missing_files"]:
        lines.append(
            _("Stored files recorded but not found in the storage: %(count)d (listed in manifest.json)")
            % {"count": len(manifest["missing_files"])}
        )
    return "\n".join(lines) + "\n"
