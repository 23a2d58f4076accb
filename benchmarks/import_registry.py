"""UnionHub benchmark: importing the demo district's ledgers (台账) into an empty database, beside the
bare read of the same workbook (issue 20).

Run by ``make bench``. In one process, on a throw-away database (PostgreSQL ``unionhub_bench_registry``
when ``DATABASE_URL`` is set, else ``var/bench_registry.sqlite3``, migrated once):

1. writes the district's ledger (``members.ledger_sample.synthetic_rows``: 186 unions, 485 enterprises,
   40,000 members; a title row above each header) to a temporary .xlsx;
2. times python-calamine reading every cell of every sheet and nothing else (best of three);
3. times the whole import as ``manage.py import_registry --commit`` does it — read, validate every row,
   check the whole file against the (empty) registry, commit in one transaction: 186 chairs' accounts,
   the unions and enterprises with their audit entries, 40,000 members with their joining events (once);
   then the re-import of the same workbook, which changes nothing (best of three);
4. prints each as a ratio of the bare read, and the process's peak memory (``ru_maxrss``: an upper bound,
   as it includes Django, the workbook generation and both imports).

Goals: the import within 5× of the bare read and under 500 MB. Timings live here, never in tests.
"""

import io
import os
import resource
import sys
import tempfile
import time
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ["DJANGO_SETTINGS_MODULE"] = "unionhub.settings.test"

import django  # noqa: E402
from django.conf import settings  # noqa: E402

UNIONS, ENTERPRISES, MEMBERS = 186, 485, 40_000
RATIO_GOAL, MEMORY_GOAL_MB = 5.0, 500


def configure_database() -> None:
    default = settings.DATABASES["default"]
    sqlite = default["ENGINE"] == "django.db.backends.sqlite3"
    default["TEST"] = {
        "NAME": str(ROOT / "var" / "bench_registry.sqlite3") if sqlite else "unionhub_bench_registry"
    }


configure_database()
warnings.filterwarnings("ignore", message="No directory at")
django.setup()

from django.db import connection  # noqa: E402

from members.ledger import LedgerFile  # noqa: E402
from members.ledger_sample import synthetic_rows, write_ledger  # noqa: E402
from members.models import GrassrootsUnion, Member  # noqa: E402
from members.services import ledger  # noqa: E402


def bare_read_calamine(data: bytes) -> float:
    from python_calamine import CalamineWorkbook

    best = float("inf")
    for _ in range(3):
        started = time.perf_counter()
        workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
        cells = 0
        for index in range(len(workbook.sheet_names)):
            for row in workbook.get_sheet_by_index(index).iter_rows():
                cells += len(row)
        best = min(best, time.perf_counter() - started)
    return best


def timed_import(files: list[LedgerFile]) -> tuple[float, object]:
    started = time.perf_counter()
    plan, _chairs = ledger.import_from_command(by=None, files=files, commit=True)
    seconds = time.perf_counter() - started
    assert not plan.issues, plan.issues[:5]
    return seconds, plan


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> int:
    own_name = connection.settings_dict["NAME"]
    name = connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    print(f"UnionHub ledger import benchmark — database: {connection.vendor} ({Path(name).name})", flush=True)
    try:
        data = write_ledger(synthetic_rows(unions=UNIONS, enterprises=ENTERPRISES, members=MEMBERS))
        with tempfile.NamedTemporaryFile(suffix=".xlsx") as handle:
            handle.write(data)
            handle.flush()
            files = [LedgerFile("台账.xlsx", Path(handle.name).read_bytes())]
        print(
            f"ledger: {UNIONS} unions, {ENTERPRISES} enterprises, {MEMBERS:,} members, {len(data) / 1e6:.1f} MB",
            flush=True,
        )
        bare = bare_read_calamine(data)
        print(f"bare read, python-calamine, every sheet (best of 3): {bare:.2f} s", flush=True)
        first, plan = timed_import(files)
        counts = plan.counts
        print(
            f"import into an empty database ({counts['members'].created:,} members, {counts['unions'].created} "
            f"unions, {counts['enterprises'].created} enterprises, {len(plan.new_chairs)} chairs created): "
            f"{first:.2f} s = {first / bare:.1f}× the bare read",
            flush=True,
        )
        assert Member.objects.count() == MEMBERS and GrassrootsUnion.objects.count() == UNIONS
        again = float("inf")
        for _ in range(3):
            seconds, plan = timed_import(files)
            again = min(again, seconds)
        assert plan.counts["members"].unchanged == MEMBERS
        print(
            f"re-import of the same ledger (nothing changes, best of 3): {again:.2f} s = "
            f"{again / bare:.1f}× the bare read",
            flush=True,
        )
        peak = peak_mb()
        print(f"peak memory of this process (ru_maxrss): {peak:.0f} MB", flush=True)
        goals = [
            (
                f"import within {RATIO_GOAL:.0f}× the bare read",
                first / bare <= RATIO_GOAL,
                f"{first / bare:.1f}×",
            ),
            (f"peak memory < {MEMORY_GOAL_MB} MB", peak < MEMORY_GOAL_MB, f"{peak:.0f} MB"),
        ]
        for label, passed, detail in goals:
            print(f"GOAL {label}: {'PASS' if passed else 'FAIL'} ({detail})")
    finally:
        connection.creation.destroy_test_db(own_name, verbosity=0)
    return 0


if __name__ == "__main__":
    sys.exit(main())
