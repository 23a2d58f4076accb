"""Backups and restore (issue 20): an archive of a seeded database restores into a fresh one with every table's
row count and the money tables' contents intact (SQLite here, PostgreSQL in CI); a tampered archive, an archive
of another engine and a non-empty target are refused before anything is touched; retention pruning; the nightly
task records a failure where superusers see it."""

import datetime
import hashlib
import io
import json
import logging
import os
import subprocess
import sys
import tarfile
import uuid
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.db.models import DecimalField

from aid.models import Application, FundEntry, MutualAidEntry
from members import demo
from members.models import CreditSettlement, DuesLine, Remittance
from tests.factories import TODAY, make_user
from unionhub import backups, tasks
from unionhub.contributions import Scope, collect_todo
from unionhub.models import BackupRun

pytestmark = pytest.mark.usefixtures("english")

MANAGE = Path(__file__).resolve().parents[2] / "manage.py"
# The money tables: dues lines, remittances and credit settlements, the hardship fund's ledger, aid payments and
# the mutual-aid ledger.
MONEY = [DuesLine, Remittance, CreditSettlement, FundEntry, Application, MutualAidEntry]
ON_POSTGRES = connection.vendor == "postgresql"
UTC = datetime.UTC


def at(text: str) -> datetime.datetime:
    return datetime.datetime.fromisoformat(text).replace(tzinfo=UTC)


def name(text: str, n: int = 0) -> str:
    return backups.archive_name(at(text), n)


# --- helpers over any DB-API cursor (the test database or the restored one) -----------------------------------


def counts(cursor, tables) -> dict[str, int]:
    result = {}
    for table in tables:
        cursor.execute(f'SELECT COUNT(*) FROM "{table}"')  # noqa: S608 - our own table names
        result[table] = cursor.fetchone()[0]
    return result


def money_checksum(cursor) -> dict[str, str]:
    """SHA-256 per money table over its rows in primary-key order: the key and every amount, to the cent."""
    result = {}
    for model in MONEY:
        columns = [f.column for f in model._meta.concrete_fields if isinstance(f, DecimalField)]
        table, pk = model._meta.db_table, model._meta.pk.column
        selected = ", ".join(f'"{column}"' for column in [pk, *columns])
        cursor.execute(f'SELECT {selected} FROM "{table}" ORDER BY "{pk}"')  # noqa: S608 - our own names
        digest = hashlib.sha256()
        rows = 0
        for row in cursor.fetchall():
            amounts = ["-" if v is None else str(Decimal(str(v)).quantize(Decimal("0.01"))) for v in row[1:]]
            digest.update(f"{row[0]}|{'|'.join(amounts)}\n".encode())
            rows += 1
        result[table] = f"{rows}:{digest.hexdigest()}"
    return result


def our_tables() -> list[str]:
    return sorted(connection.introspection.table_names())


@pytest.fixture
def places(settings, tmp_path):
    """A media root and a backup directory of the test's own."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.BACKUP_DIR = tmp_path / "backups"
    (tmp_path / "media" / "docs").mkdir(parents=True)
    (tmp_path / "media" / "docs" / "证明.pdf").write_bytes(b"%PDF-1.4 proof")
    return tmp_path


def make_backup(*args) -> Path:
    out = io.StringIO()
    call_command("backup", *args, stdout=out)
    last = out.getvalue().strip().splitlines()[-1]
    path = Path(last)
    assert path.is_file() and backups.parse_name(path.name) is not None
    return path


# --- the round trip (the test) ---------------------------------------------------------------------------


@pytest.fixture
def fresh_database(tmp_path):
    """The DATABASE_URL of an empty database: a new SQLite file, or a new PostgreSQL database (dropped after)."""
    if not ON_POSTGRES:
        yield f"sqlite:///{tmp_path / 'fresh.sqlite3'}", lambda: _sqlite(tmp_path / "fresh.sqlite3")
        return
    import psycopg

    db = connection.settings_dict
    name = f"test_restore_{uuid.uuid4().hex[:12]}"
    params = {"host": db["HOST"] or None, "port": db["PORT"] or None, "user": db["USER"] or None}
    params["password"] = db["PASSWORD"] or None
    with psycopg.connect(dbname="postgres", autocommit=True, **params) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    auth = f"{db['USER']}:{db['PASSWORD']}@" if db["PASSWORD"] else f"{db['USER']}@" if db["USER"] else ""
    url = f"postgres://{auth}{db['HOST'] or 'localhost'}:{db['PORT'] or 5432}/{name}"
    opened = []

    def connect():
        opened.append(psycopg.connect(dbname=name, **params))
        return opened[-1]

    yield url, connect
    for conn in opened:
        conn.close()
    with psycopg.connect(dbname="postgres", autocommit=True, **params) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _sqlite(path):
    import sqlite3

    return sqlite3.connect(path)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_seeded_database_restores_into_a_fresh_one_with_every_row_and_every_amount(
    places, fresh_database, settings
):
    settings.MEDIA_ROOT = places / "media"
    demo.seed(members=100, today=TODAY)
    tables = our_tables()
    with connection.cursor() as cursor:
        before_counts = counts(cursor, tables)
        before_money = money_checksum(cursor)
    assert all(
        not value.startswith("0:") for table, value in before_money.items() if "creditsettlement" not in table
    )
    files = sorted(p.relative_to(places / "media") for p in (places / "media").rglob("*") if p.is_file())
    archive = make_backup("--to", str(places / "elsewhere"))
    assert archive.parent == places / "elsewhere"

    url, connect = fresh_database
    restored_media = places / "restored-media"
    env = {**os.environ, "DATABASE_URL": url, "MEDIA_ROOT": str(restored_media)}
    env["DJANGO_SETTINGS_MODULE"] = "unionhub.settings.dev"
    done = subprocess.run(  # noqa: S603
        [sys.executable, str(MANAGE), "restore", str(archive)],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    lines = done.stdout.strip().splitlines()
    assert f"members_member: {before_counts['members_member']}" in lines
    assert lines[-1].startswith("Restored") or lines[-1].startswith("已恢复")

    restored = connect()
    try:
        cursor = restored.cursor()
        assert counts(cursor, tables) == before_counts
        assert money_checksum(cursor) == before_money
    finally:
        restored.close()
    assert sorted(p.relative_to(restored_media) for p in restored_media.rglob("*") if p.is_file()) == files
    assert (restored_media / "docs" / "证明.pdf").read_bytes() == b"%PDF-1.4 proof"


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_manifest_describes_the_archive(places):
    make_user("keeper")
    archive = make_backup()
    assert archive.parent == places / "backups"
    assert not [p for p in archive.parent.iterdir() if p.name.startswith(".")]  # no temporary left behind
    with tarfile.open(archive) as tar:
        manifest = json.load(tar.extractfile("manifest.json"))
        names = set(tar.getnames())
    assert manifest["engine"] == connection.vendor
    assert manifest["row_counts"]["unionhub_user"] == 1
    # The latest migration applied: the leaf of the core's migration graph, whatever its name is today.
    leaves = MigrationLoader(connection).graph.leaf_nodes("unionhub")
    assert [("unionhub", manifest["migrations"]["unionhub"])] == leaves
    assert manifest["unionhub_version"] and manifest["created_at"].endswith("+00:00")
    assert set(manifest["members"]) == names - {"manifest.json"}
    assert manifest["members"]["media/docs/证明.pdf"]["size"] == len(b"%PDF-1.4 proof")
    # The run is recorded, after the snapshot: the archive does not hold its own record.
    run = BackupRun.objects.get()
    assert run.status == "ok" and run.path == str(archive) and run.size == archive.stat().st_size
    assert manifest["row_counts"]["unionhub_backuprun"] == 0


# --- refusals --------------------------------------------------------------------------------------------------


def rewrite(archive: Path, *, change=None, drop=None, manifest=None) -> Path:
    """A copy of ``archive`` with one member's bytes changed, one member left out, or the manifest edited."""
    target = archive.with_name("edited-" + archive.name)
    with tarfile.open(archive) as source, tarfile.open(target, "w:gz") as out:
        for member in source.getmembers():
            data = source.extractfile(member).read()
            if member.name == drop:
                continue
            if member.name == change:
                data = data[:-1] + bytes([data[-1] ^ 1])
            if member.name == "manifest.json" and manifest:
                edited = json.loads(data)
                manifest(edited)
                data = json.dumps(edited).encode()
            member.size = len(data)
            out.addfile(member, io.BytesIO(data))
    return target


@pytest.fixture
def archive_and_later_user(places):
    """An archive of a database with one account, and a second account made after it."""
    make_user("before")
    archive = make_backup()
    make_user("after")
    return archive


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.parametrize(
    "edit, says",
    [
        ({"change": "media/docs/证明.pdf"}, "media/docs/证明.pdf does not match its checksum"),
        ({"drop": "media/docs/证明.pdf"}, "media/docs/证明.pdf is missing"),
        ({"change": "database.pgdump" if ON_POSTGRES else "database.sqlite3"}, "does not match its checksum"),
        ({"drop": "manifest.json"}, "has no valid manifest.json"),
    ],
)
def test_a_tampered_archive_is_refused_and_nothing_is_touched(archive_and_later_user, places, edit, says):
    tampered = rewrite(archive_and_later_user, **edit)
    (places / "media" / "docs" / "证明.pdf").write_bytes(b"changed since")
    with pytest.raises(CommandError, match=says):
        call_command("restore", str(tampered), "--force")
    assert set(django_user_names()) == {"before", "after"}
    assert (places / "media" / "docs" / "证明.pdf").read_bytes() == b"changed since"


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_an_archive_of_another_engine_is_refused(archive_and_later_user):
    other = "sqlite" if ON_POSTGRES else "postgresql"
    edited = rewrite(archive_and_later_user, manifest=lambda m: m.update(engine=other))
    with pytest.raises(CommandError, match=f"holds a {other} database"):
        call_command("restore", str(edited), "--force")
    assert set(django_user_names()) == {"before", "after"}


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_non_empty_database_or_media_root_is_refused_without_force(archive_and_later_user, places):
    with pytest.raises(CommandError, match="database is not empty"):
        call_command("restore", str(archive_and_later_user))
    assert set(django_user_names()) == {"before", "after"}
    assert not backups.database_is_empty() and not backups.media_is_empty()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_force_replaces_the_database_and_the_files(archive_and_later_user, places):
    (places / "media" / "docs" / "later.pdf").write_bytes(b"%PDF later")
    out = io.StringIO()
    call_command("restore", str(archive_and_later_user), "--force", stdout=out)
    assert set(django_user_names()) == {"before"}
    assert "unionhub_user: 1" in out.getvalue().splitlines()
    assert not (places / "media" / "docs" / "later.pdf").exists()
    assert (places / "media" / "docs" / "证明.pdf").read_bytes() == b"%PDF-1.4 proof"


def django_user_names() -> list[str]:
    from django.contrib.auth import get_user_model

    return list(get_user_model().objects.values_list("username", flat=True))


@pytest.mark.django_db
def test_a_missing_archive_is_a_clear_error(tmp_path):
    with pytest.raises(CommandError, match="There is no archive"):
        call_command("restore", str(tmp_path / "nothing.tar.gz"))


def test_empty_means_no_accounts_and_no_unions(db):
    assert backups.database_is_empty()  # the calendar and duty groups of the migrations do not count
    make_user("someone")
    assert not backups.database_is_empty()


def test_missing_pg_tools_are_named(monkeypatch):
    monkeypatch.setattr(backups.shutil, "which", lambda program: None)
    with pytest.raises(backups.BackupError, match="pg_dump is not installed"):
        backups._pg_command("pg_dump")


@pytest.mark.django_db
def test_backup_without_pg_dump_exits_non_zero_and_leaves_no_archive(places, monkeypatch):
    monkeypatch.setattr(backups, "engine", lambda: "postgresql")
    monkeypatch.setattr(backups.shutil, "which", lambda program: None)
    with pytest.raises(CommandError, match="pg_dump is not installed"):
        call_command("backup", stdout=io.StringIO())
    assert list((places / "backups").iterdir()) == []
    assert BackupRun.objects.get().status == "failed"


def test_a_failing_pg_dump_says_why(tmp_path):
    with pytest.raises(backups.BackupError, match=r"pg_dump failed \(exit 3\): boom"):
        backups._run(
            [sys.executable, "-c", "import sys; sys.stderr.write('boom'); sys.exit(3)"], {}, "pg_dump"
        )


def test_the_password_is_passed_in_the_environment_not_the_command_line(monkeypatch):
    monkeypatch.setattr(backups.shutil, "which", lambda program: f"/usr/bin/{program}")
    fake = {"HOST": "db", "PORT": 5432, "USER": "unionhub", "PASSWORD": "s3cret", "OPTIONS": {}}
    monkeypatch.setattr(backups, "connection", type("C", (), {"settings_dict": fake})())
    program, args, env = backups._pg_command("pg_dump")
    assert "s3cret" not in " ".join(args) and env["PGPASSWORD"] == "s3cret"
    assert args == ["--host", "db", "--port", "5432", "--username", "unionhub"]


# --- retention -------------------------------------------------------------------------------------------------


def prune(names, now, daily=14, weekly=8, monthly=12):
    return sorted(backups.to_prune(names, now=at(now), daily=daily, weekly=weekly, monthly=monthly))


def test_names_sort_by_time_and_only_ours_are_recognised():
    assert name("2026-12-07T03:00:00") == "unionhub-backup-2026-12-07T030000Z.tar.gz"
    # A time in Beijing is named in UTC.
    beijing = datetime.datetime(2026, 12, 7, 9, 30, tzinfo=datetime.timezone(datetime.timedelta(hours=8)))
    assert backups.archive_name(beijing) == "unionhub-backup-2026-12-07T013000Z.tar.gz"
    assert backups.parse_name(name("2026-12-07T03:00:00", 2)) == at("2026-12-07T03:00:00")
    for other in ["unionhub-backup-2026-12-07.tar.gz", "notes.txt", ".unionhub-backup-2026-12-07T030000Z.tar.gz.partial",
                  "unionhub-backup-2026-13-07T030000Z.tar.gz"]:  # fmt: skip
        assert backups.parse_name(other) is None


def test_a_nightly_series_keeps_14_days_8_weeks_12_months():
    nights = [at("2025-01-01T01:30:00") + datetime.timedelta(days=i) for i in range(700)]
    names = [backups.archive_name(n) for n in nights]
    now = nights[-1]
    doomed = set(backups.to_prune(names, now=now, daily=14, weekly=8, monthly=12))
    kept = sorted(set(names) - doomed)
    days = {backups.parse_name(n).date() for n in kept}
    # The last 14 days, every one.
    assert {now.date() - datetime.timedelta(days=i) for i in range(14)} <= days
    # One per week for 8 ISO weeks (the Sunday ending each, the newest in it), one per month for 12 months.
    weeks = {d.isocalendar()[:2] for d in days}
    assert {(now.date() - datetime.timedelta(weeks=i)).isocalendar()[:2] for i in range(8)} <= weeks
    month_ends = {d for d in days if (d + datetime.timedelta(days=1)).day == 1}
    assert len(month_ends) == 11  # the 11 whole months before this one; this month's newest is today
    assert len(kept) <= 14 + 8 + 12
    assert names[-1] in kept


def test_the_newest_of_a_day_is_kept_and_the_others_go():
    names = [name("2026-12-07T01:30:00"), name("2026-12-07T13:00:00"), name("2026-12-07T13:00:00", 1)]
    assert prune(names, "2026-12-07T20:00:00") == [name("2026-12-07T01:30:00"), name("2026-12-07T13:00:00")]


def test_month_ends_and_the_year_boundary():
    names = [name("2025-11-30T01:30:00"), name("2025-12-31T01:30:00"), name("2025-12-30T01:30:00"),
             name("2026-01-01T01:30:00"), name("2026-01-31T01:30:00"), name("2026-02-28T01:30:00")]  # fmt: skip
    # Only the monthly rule: the newest of December 2025 (the 31st), of January and of February 2026;
    # November 2025 is four months back, outside three.
    assert prune(names, "2026-02-28T12:00:00", daily=0, weekly=0, monthly=3) == [
        name("2025-11-30T01:30:00"),
        name("2025-12-30T01:30:00"),
        name("2026-01-01T01:30:00"),
    ]


def test_iso_week_53_and_weeks_across_the_new_year():
    # 2026 has an ISO week 53 (Mon 28 Dec 2026 – Sun 3 Jan 2027); 2027-01-03 is in it, 2027-01-04 is week 1.
    names = [name("2026-12-27T01:30:00"), name("2026-12-28T01:30:00"), name("2027-01-03T01:30:00"),
             name("2027-01-04T01:30:00")]  # fmt: skip
    assert datetime.date(2027, 1, 3).isocalendar()[:2] == (2026, 53)
    # Weeks only, two of them: 2027-W01 (the 4th) and 2026-W53 (its newest, the 3rd); week 52 goes.
    assert prune(names, "2027-01-05T00:00:00", daily=0, weekly=2, monthly=0) == [
        name("2026-12-27T01:30:00"),
        name("2026-12-28T01:30:00"),
    ]


def test_gaps_keep_what_the_periods_hold_and_never_the_newest():
    # Backups stopped on 1 March; it is now 20 June: no day or week rule reaches back, the month rule keeps
    # March's newest; with no rule at all, the newest archive still stays.
    names = [name("2026-02-27T01:30:00"), name("2026-02-28T01:30:00"), name("2026-03-01T01:30:00")]
    assert prune(names, "2026-06-20T00:00:00", monthly=6) == [name("2026-02-27T01:30:00")]
    assert prune(names, "2026-06-20T00:00:00", daily=0, weekly=0, monthly=0) == names[:2]
    assert prune([], "2026-06-20T00:00:00") == []


def test_archives_dated_after_now_and_other_files_are_left_alone():
    names = [name("2026-12-09T01:30:00"), name("2026-01-01T01:30:00"), "notes.txt", "pg.dump"]
    assert prune(names, "2026-12-07T02:00:00", daily=1, weekly=0, monthly=0) == [name("2026-01-01T01:30:00")]


# --- the nightly task ------------------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_nightly_backup_prunes_only_our_old_archives(places, settings):
    settings.BACKUP_KEEP_DAILY, settings.BACKUP_KEEP_WEEKLY, settings.BACKUP_KEEP_MONTHLY = 2, 0, 0
    folder = places / "backups"
    folder.mkdir()
    old = folder / name("2020-01-01T01:30:00")
    foreign = folder / "unionhub-backup-keep-me.tar.gz"
    for path in (old, foreign):
        path.write_bytes(b"x")
    result = tasks.nightly_backup()
    assert result.startswith("ok: ")
    run = BackupRun.objects.get()
    assert run.scheduled and Path(run.path).is_file()
    assert not old.exists() and foreign.exists()


@pytest.mark.django_db
def test_a_failed_night_is_logged_recorded_and_shown_to_superusers(places, monkeypatch, caplog, staff):
    def broken(*args, **kwargs):
        raise backups.BackupError("pg_dump failed (exit 1): connection refused")

    monkeypatch.setattr(backups, "create_backup", broken)
    with caplog.at_level(logging.ERROR, logger="unionhub.backups"):
        result = tasks.nightly_backup()
    assert result == "failed: pg_dump failed (exit 1): connection refused"
    assert any(r.levelno == logging.ERROR and "backup failed" in r.getMessage() for r in caplog.records)
    run = BackupRun.objects.get()
    assert run.status == "failed" and "connection refused" in run.message
    root = make_user("root", is_superuser=True, is_staff=True)
    items = collect_todo(Scope(user=root, day=TODAY)).items
    assert [i.kind for i in items if i.kind.startswith("backup.")] == ["backup.failed"]
    assert not [i for i in collect_todo(Scope(user=staff, day=TODAY)).items if i.kind.startswith("backup.")]


@pytest.mark.django_db
def test_a_stale_backup_is_shown_and_a_fresh_one_is_not():
    root = make_user("root", is_superuser=True, is_staff=True)
    at_day = datetime.datetime.combine(TODAY, datetime.time(1, 30), tzinfo=UTC)

    def kinds():
        return [
            i.kind for i in collect_todo(Scope(user=root, day=TODAY)).items if i.kind.startswith("backup.")
        ]

    assert kinds() == []  # before the first backup, nothing
    BackupRun.objects.create(started_at=at_day - datetime.timedelta(days=3), finished_at=at_day, status="ok")
    assert kinds() == ["backup.stale"]
    BackupRun.objects.create(started_at=at_day - datetime.timedelta(days=1), finished_at=at_day, status="ok")
    assert kinds() == []


def test_the_nightly_backup_is_scheduled():
    entry = django_settings.CELERY_BEAT_SCHEDULE["nightly-backup"]
    assert entry["task"] == "unionhub.tasks.nightly_backup"
