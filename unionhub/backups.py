"""Backups and restore (issue 20): one dated archive holding a consistent database snapshot, the stored files
and a manifest; its restore; the nightly run and the pruning of old archives.

An archive ``unionhub-backup-2026-12-07T013000Z.tar.gz`` (UTC, so names sort by time) holds

- ``database.sqlite3`` (SQLite's online backup API, a consistent copy of the live file) or ``database.pgdump``
  (``pg_dump --format=custom``, taken in the snapshot the row counts and migrations were read in);
- ``media/…``: every file under ``MEDIA_ROOT``;
- ``manifest.json``: SHA-256 and size of every other member, the engine, the latest applied migration per app,
  the row count of every table, the time and the UnionHub version.

A restore checks every checksum before it touches anything, refuses an archive of another engine, and refuses a
target that is not empty (unless forced). Empty means: no tables at all, or no user accounts and no grassroots
unions — the rows migrations load themselves (the holiday calendar, the duty groups) do not count.
"""

import dataclasses
import datetime
import hashlib
import importlib.metadata
import io
import json
import logging
import os
import re
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from collections.abc import Iterable
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .contributions import union_model
from .models import BackupRun

logger = logging.getLogger(__name__)

PREFIX = "unionhub-backup-"
SUFFIX = ".tar.gz"
STAMP = "%Y-%m-%dT%H%M%SZ"
# Our archives and nothing else: pruning never touches a file this does not match.
NAME = re.compile(r"^unionhub-backup-(\d{4}-\d{2}-\d{2}T\d{6}Z)(?:-(\d+))?\.tar\.gz$")
MANIFEST = "manifest.json"
MEDIA = "media"
DUMPS = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}
FORMAT = 1
CHUNK = 1 << 20
# The to-do card warns when the newest backup failed or is older than this.
STALE_DAYS = 2


class BackupError(Exception):
    """A backup or restore that cannot go on; the message says why, in a sentence for the operator."""


# --- names and pruning (pure) -----------------------------------------------------------------------------


def archive_name(when: datetime.datetime, n: int = 0) -> str:
    stamp = when.astimezone(datetime.UTC).strftime(STAMP)
    return f"{PREFIX}{stamp}{f'-{n}' if n else ''}{SUFFIX}"


def parse_name(name: str) -> datetime.datetime | None:
    """The UTC time in an archive's name, or None for a file that is not one of our archives."""
    match = NAME.match(name)
    if not match:
        return None
    try:
        return datetime.datetime.strptime(match[1], STAMP).replace(tzinfo=datetime.UTC)
    except ValueError:
        return None


def _sort_key(name: str) -> tuple[datetime.datetime, int]:
    match = NAME.match(name)
    return parse_name(name), int(match[2] or 0)


def to_prune(
    names: Iterable[str], *, now: datetime.datetime, daily: int, weekly: int, monthly: int
) -> list[str]:
    """The archives to delete under grandfather-father-son retention: keep the newest archive of each of the
    last ``daily`` days, of each of the last ``weekly`` ISO weeks and of each of the last ``monthly`` months
    (calendar periods in UTC, today's included, whether or not a backup was made in them), the newest archive
    of all, and any dated after ``now``. Names that are not our archives are never returned."""
    ours = sorted((name for name in names if parse_name(name) is not None), key=_sort_key, reverse=True)
    if not ours:
        return []
    today = now.astimezone(datetime.UTC).date()
    days = {today - datetime.timedelta(days=i) for i in range(max(daily, 0))}
    weeks = {(today - datetime.timedelta(weeks=i)).isocalendar()[:2] for i in range(max(weekly, 0))}
    months = set()
    year, month = today.year, today.month
    for _i in range(max(monthly, 0)):
        months.add((year, month))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    keep = {ours[0]}
    seen: set = set()
    for name in ours:  # newest first: the first of each period is its newest
        when = parse_name(name)
        day = when.date()
        if day > today:
            keep.add(name)
            continue
        for period in (("d", day), ("w", day.isocalendar()[:2]), ("m", (day.year, day.month))):
            wanted = {"d": days, "w": weeks, "m": months}[period[0]]
            if period[1] in wanted and period not in seen:
                seen.add(period)
                keep.add(name)
    return [name for name in ours if name not in keep]


def prune(directory: Path, *, now: datetime.datetime) -> list[Path]:
    """Delete the archives in ``directory`` that retention (``BACKUP_KEEP_*``) no longer keeps."""
    names = [entry.name for entry in directory.iterdir() if entry.is_file()]
    doomed = to_prune(
        names,
        now=now,
        daily=settings.BACKUP_KEEP_DAILY,
        weekly=settings.BACKUP_KEEP_WEEKLY,
        monthly=settings.BACKUP_KEEP_MONTHLY,
    )
    for name in doomed:
        (directory / name).unlink(missing_ok=True)
        logger.info("Pruned the backup %s.", name)
    return [directory / name for name in doomed]


# --- the engine ----------------------------------------------------------------------------------------------


def engine() -> str:
    vendor = connection.vendor
    if vendor not in DUMPS:
        raise BackupError(_("Backups support SQLite and PostgreSQL, not %(vendor)s.") % {"vendor": vendor})
    return vendor


def _pg_command(program: str) -> tuple[str, list[str], dict]:
    """The program's path, its connection arguments and an environment carrying the password (never on the
    command line, where ``ps`` shows it)."""
    path = shutil.which(program)
    if path is None:
        raise BackupError(
            _("%(program)s is not installed (the PostgreSQL client tools, Debian package postgresql-client).")
            % {"program": program}
        )
    db = connection.settings_dict
    args = []
    if db.get("HOST"):
        args += ["--host", str(db["HOST"])]
    if db.get("PORT"):
        args += ["--port", str(db["PORT"])]
    if db.get("USER"):
        args += ["--username", str(db["USER"])]
    env = {**os.environ}
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = str(db["PASSWORD"])
    if (db.get("OPTIONS") or {}).get("sslmode"):
        env["PGSSLMODE"] = str(db["OPTIONS"]["sslmode"])
    return path, args, env


def _run(command: list[str], env: dict, what: str) -> None:
    try:
        done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    except OSError as error:
        raise BackupError(f"{what}: {error}") from None
    if done.returncode != 0:
        raise BackupError(
            _("%(what)s failed (exit %(code)s): %(error)s")
            % {"what": what, "code": done.returncode, "error": done.stderr.strip()[-2000:]}
        )


def _facts(cursor, tables: Iterable[str], quote) -> tuple[dict, dict]:
    """Row counts per table and the latest applied migration per app, read through ``cursor``."""
    counts = {}
    for table in sorted(tables):
        cursor.execute(f"SELECT COUNT(*) FROM {quote(table)}")  # noqa: S608 - a table name, quoted
        counts[table] = cursor.fetchone()[0]
    migrations = {}
    if "django_migrations" in counts:
        cursor.execute("SELECT app, name FROM django_migrations")
        for app, name in cursor.fetchall():
            migrations[app] = max(migrations.get(app, ""), name)
    return counts, dict(sorted(migrations.items()))


def _sqlite_quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _sqlite_tables(conn: sqlite3.Connection) -> list[str]:
    rows = conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
    return [row[0] for row in rows]


def _snapshot_sqlite(dest: Path) -> tuple[dict, dict]:
    """Copy the live database with SQLite's online backup API (consistent even while others write), then read
    the counts from the copy itself."""
    connection.ensure_connection()
    target = sqlite3.connect(dest)
    try:
        connection.connection.backup(target)
        return _facts(target.cursor(), _sqlite_tables(target), _sqlite_quote)
    finally:
        target.close()


def _snapshot_postgresql(dest: Path) -> tuple[dict, dict]:
    """``pg_dump --format=custom`` in a snapshot exported from a repeatable-read transaction, in which the row
    counts and the migrations are read too: the manifest describes exactly what the dump holds."""
    program, args, env = _pg_command("pg_dump")
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        cursor.execute("SELECT pg_export_snapshot()")
        snapshot = cursor.fetchone()[0]
        tables = connection.introspection.table_names(cursor)
        facts = _facts(cursor, tables, connection.ops.quote_name)
        command = [program, *args, "--format=custom", f"--snapshot={snapshot}", f"--file={dest}"]
        _run([*command, str(connection.settings_dict["NAME"])], env, "pg_dump")
    return facts


# --- backup --------------------------------------------------------------------------------------------------


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        while chunk := stream.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def version() -> str:
    try:
        return importlib.metadata.version("unionhub")
    except importlib.metadata.PackageNotFoundError:
        return "unknown"


def _media_files(root: Path, skip: Path) -> list[Path]:
    """Every regular file under MEDIA_ROOT (not symlinks, nor a backup directory placed inside it)."""
    if not root.is_dir():
        return []
    found = []
    for folder, dirs, files in os.walk(root):
        here = Path(folder)
        dirs[:] = sorted(d for d in dirs if (here / d).resolve() != skip and not (here / d).is_symlink())
        found += [here / f for f in sorted(files) if (here / f).is_file() and not (here / f).is_symlink()]
    return found


def backup_dir() -> Path:
    return Path(settings.BACKUP_DIR)


def create_backup(to: Path | None = None, *, now: datetime.datetime | None = None) -> Path:
    """Write one archive into ``to`` (``BACKUP_DIR`` by default) and return its path. It is written under a
    hidden temporary name in the same directory and renamed when complete: a file with an archive's name is
    always whole."""
    kind = engine()
    directory = Path(to or backup_dir()).resolve()
    directory.mkdir(parents=True, exist_ok=True)
    now = now or timezone.now()
    n = 0
    while (directory / archive_name(now, n)).exists():
        n += 1
    final = directory / archive_name(now, n)
    partial = directory / f".{final.name}.partial"
    media_root = Path(settings.MEDIA_ROOT).resolve()
    with tempfile.TemporaryDirectory(prefix=".unionhub-backup-", dir=directory) as work:
        dump = Path(work) / DUMPS[kind]
        counts, migrations = (_snapshot_sqlite if kind == "sqlite" else _snapshot_postgresql)(dump)
        entries = [(DUMPS[kind], dump)] + [
            (f"{MEDIA}/{path.relative_to(media_root).as_posix()}", path)
            for path in _media_files(media_root, skip=directory)
        ]
        members = {}
        try:
            with partial.open("wb") as stream:
                with tarfile.open(fileobj=stream, mode="w:gz", compresslevel=6) as archive:
                    for arcname, path in entries:
                        members[arcname] = {"sha256": _sha256(path), "size": path.stat().st_size}
                        archive.add(path, arcname=arcname, recursive=False)
                    manifest = {
                        "format": FORMAT,
                        "unionhub_version": version(),
                        "created_at": now.astimezone(datetime.UTC).isoformat(),
                        "engine": kind,
                        "database": DUMPS[kind],
                        "migrations": migrations,
                        "row_counts": counts,
                        "members": members,
                    }
                    data = json.dumps(manifest, ensure_ascii=False, indent=1).encode()
                    info = tarfile.TarInfo(MANIFEST)
                    info.size, info.mtime, info.mode = len(data), int(now.timestamp()), 0o644
                    archive.addfile(info, io.BytesIO(data))
                stream.flush()
                os.fsync(stream.fileno())
            partial.replace(final)
        finally:
            partial.unlink(missing_ok=True)
    return final


def run_backup(*, to: Path | None = None, scheduled: bool = False) -> BackupRun:
    """Make a backup and record how it went (``BackupRun``); a failure is logged as an error and recorded, not
    raised. After a success the scheduled run prunes ``BACKUP_DIR``."""
    started = timezone.now()
    try:
        path = create_backup(to, now=started)
    except Exception as error:  # noqa: BLE001 - recorded and logged: a failed night must be visible
        if isinstance(error, BackupError):  # a cause already put in words: no traceback
            logger.error("The backup failed: %s", error)  # noqa: TRY400
        else:
            logger.exception("The backup failed.")
        return BackupRun.objects.create(
            started_at=started,
            finished_at=timezone.now(),
            status=BackupRun.Status.FAILED,
            message=str(error) or error.__class__.__name__,
            scheduled=scheduled,
        )
    run = BackupRun.objects.create(
        started_at=started,
        finished_at=timezone.now(),
        status=BackupRun.Status.OK,
        path=str(path),
        size=path.stat().st_size,
        scheduled=scheduled,
    )
    if scheduled:
        prune(path.parent, now=started)
    return run


# --- restore -------------------------------------------------------------------------------------------------


@dataclasses.dataclass
class Restored:
    manifest: dict
    counts: dict[str, int]
    files: int


def _extract_verified(archive: Path, into: Path) -> dict:
    """Unpack the archive into a scratch directory and check every member against the manifest: a missing,
    extra, resized or altered member raises ``BackupError`` before anything outside ``into`` is touched."""
    try:
        with tarfile.open(archive, mode="r:*") as tar:
            tar.extractall(into, filter="data")
    except (OSError, tarfile.TarError, EOFError) as error:
        raise BackupError(
            _("%(archive)s is not a readable archive: %(error)s") % {"archive": archive, "error": error}
        ) from None
    try:
        manifest = json.loads((into / MANIFEST).read_text())
        members = manifest["members"]
    except (OSError, ValueError, KeyError, TypeError):
        raise BackupError(_("%(archive)s has no valid manifest.json.") % {"archive": archive}) from None
    problems = []
    for name, expected in sorted(members.items()):
        path = into / name
        if not path.is_file():
            problems.append(_("%(member)s is missing") % {"member": name})
        elif path.stat().st_size != expected.get("size") or _sha256(path) != expected.get("sha256"):
            problems.append(_("%(member)s does not match its checksum") % {"member": name})
    present = {p.relative_to(into).as_posix() for p in into.rglob("*") if p.is_file()} - {MANIFEST}
    problems += [
        _("%(member)s is not in the manifest") % {"member": name} for name in sorted(present - set(members))
    ]
    if manifest.get("database") not in members:
        problems.append(_("the database snapshot is missing"))
    if problems:
        raise BackupError(
            _("The archive failed verification and nothing was restored: %(problems)s.")
            % {"problems": "; ".join(problems)}
        )
    return manifest


def database_is_empty() -> bool:
    """No tables at all, or no user accounts and no grassroots unions (rows that migrations load themselves —
    the holiday calendar, the duty groups — do not make a database non-empty)."""
    tables = set(connection.introspection.table_names())
    for model in (get_user_model(), union_model()):
        if model._meta.db_table in tables and model.objects.exists():
            return False
    return True


def media_is_empty() -> bool:
    root = Path(settings.MEDIA_ROOT)
    return not root.exists() or not any(path.is_file() for path in root.rglob("*"))


def _restore_sqlite(dump: Path) -> None:
    """The backup API in reverse: page by page into the live connection (safe with WAL, unlike a file copy)."""
    connection.ensure_connection()
    source = sqlite3.connect(dump)
    try:
        source.backup(connection.connection)
    finally:
        source.close()
    connection.close()


def _restore_postgresql(dump: Path, *, clean: bool) -> None:
    program, args, env = _pg_command("pg_restore")
    command = [program, *args, "--no-owner", "--single-transaction", "--exit-on-error"]
    if clean:
        command += ["--clean", "--if-exists"]
    connection.close()
    _run([*command, f"--dbname={connection.settings_dict['NAME']}", str(dump)], env, "pg_restore")


def _restore_media(source: Path, *, replace: bool, keep: Path) -> int:
    """Copy the archive's files into MEDIA_ROOT; ``replace`` first empties it, except for ``keep`` (the
    archive, or a backup directory someone placed inside MEDIA_ROOT)."""
    root = Path(settings.MEDIA_ROOT)
    root.mkdir(parents=True, exist_ok=True)
    if replace:
        spared = {keep.resolve(), backup_dir().resolve()}
        for entry in root.iterdir():
            resolved = entry.resolve()
            if any(resolved == path or resolved in path.parents for path in spared):
                continue
            shutil.rmtree(entry) if entry.is_dir() and not entry.is_symlink() else entry.unlink()
    files = 0
    if source.is_dir():
        for path in sorted(p for p in source.rglob("*") if p.is_file()):
            target = root / path.relative_to(source)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(path, target)
            files += 1
    return files


def current_counts() -> dict[str, int]:
    with connection.cursor() as cursor:
        tables = connection.introspection.table_names(cursor)
        return _facts(cursor, tables, connection.ops.quote_name)[0]


def restore(archive: Path, *, force: bool = False) -> Restored:
    """Restore ``archive`` into the configured database and MEDIA_ROOT. Checks, in this order and before
    changing anything: every checksum, the engine, an empty database and an empty MEDIA_ROOT (``force``
    overrides the last two). Returns the row counts found afterwards, which must match the manifest's."""
    archive = Path(archive)
    if not archive.is_file():
        raise BackupError(_("There is no archive at %(archive)s.") % {"archive": archive})
    kind = engine()
    with tempfile.TemporaryDirectory(prefix="unionhub-restore-") as work:
        work = Path(work)
        manifest = _extract_verified(archive, work)
        if manifest.get("engine") != kind:
            raise BackupError(
                _(
                    "This archive holds a %(archive)s database and this site runs on %(site)s: a backup restores "
                    "only into the same engine. To move between engines, export and load the data instead "
                    "(see the README)."
                )
                % {"archive": manifest.get("engine"), "site": kind}
            )
        if not force and not database_is_empty():
            raise BackupError(
                _(
                    "The database is not empty (it has user accounts or unions): restore with --force to replace it."
                )
            )
        if not force and not media_is_empty():
            raise BackupError(
                _("MEDIA_ROOT (%(root)s) is not empty: restore with --force to replace its files.")
                % {"root": settings.MEDIA_ROOT}
            )
        dump = work / manifest["database"]
        if kind == "sqlite":
            _restore_sqlite(dump)
        else:
            _restore_postgresql(dump, clean=force or bool(connection.introspection.table_names()))
        files = _restore_media(work / MEDIA, replace=force, keep=archive)
    counts = current_counts()
    wrong = {
        table: (expected, counts.get(table))
        for table, expected in manifest.get("row_counts", {}).items()
        if counts.get(table) != expected
    }
    if wrong:
        raise BackupError(
            _("The restored database differs from the manifest: %(tables)s.")
            % {"tables": ", ".join(f"{t} {got} ≠ {want}" for t, (want, got) in sorted(wrong.items()))}
        )
    return Restored(manifest=manifest, counts=counts, files=files)
