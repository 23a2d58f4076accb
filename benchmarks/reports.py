"""UnionHub benchmark: the monthly report and the staff dashboard on the demo district.

Run by ``make bench``. On a throw-away database (PostgreSQL ``unionhub_bench_reports`` when
``DATABASE_URL`` is set, else ``var/bench_reports.sqlite3``):

1. seeds the demo district (40,000 members with a year of dues, secondment, hardship fund,
   casework, associations and discount-card activity; not timed here — see benchmarks/run.py);
2. times producing last month's district report — the figures, the PDF and the XLSX — in this one
   process, as one Celery worker would (best of two, the second replacing the first);
3. times the staff dashboard over 200 requests (after 10 warm-up requests), p50 and p95.

Goals: PDF and XLSX together in under 10 s on one worker; the dashboard p95 under 200 ms.
Timings live here, never in tests.
"""

import datetime
import os
import statistics
import sys
import time
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ["DJANGO_SETTINGS_MODULE"] = "unionhub.settings.test"

import django  # noqa: E402
from django.conf import settings  # noqa: E402

REPORT_GOAL_S, DASHBOARD_GOAL_MS = 10.0, 200


def configure_database() -> None:
    default = settings.DATABASES["default"]
    sqlite = default["ENGINE"] == "django.db.backends.sqlite3"
    default["TEST"] = {
        "NAME": str(ROOT / "var" / "bench_reports.sqlite3") if sqlite else "unionhub_bench_reports"
    }
    settings.ALLOWED_HOSTS = ["testserver"]
    settings.MEDIA_ROOT = ROOT / "var" / "bench-media"


configure_database()
warnings.filterwarnings("ignore", message="No directory at")
django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.utils import timezone  # noqa: E402

from members import demo  # noqa: E402
from unionhub.reports.runs import produce  # noqa: E402


def main() -> int:
    own_name = connection.settings_dict["NAME"]
    name = connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    print(f"UnionHub report benchmark — database: {connection.vendor} ({Path(name).name})", flush=True)
    try:
        started = time.perf_counter()
        demo.seed()
        print(
            f"demo district seeded in {time.perf_counter() - started:.1f} s (not part of the goals)",
            flush=True,
        )
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        today = timezone.localdate()
        month = (today.replace(day=1) - datetime.timedelta(days=1)).replace(day=1)
        best = float("inf")
        for replace in (False, True):
            started = time.perf_counter()
            report = produce(month=month, replace=replace)
            best = min(best, time.perf_counter() - started)
        pdf_kb, xlsx_kb = report.pdf.size // 1024, report.xlsx.size // 1024
        print(
            f"district report {month:%Y-%m}: PDF {pdf_kb} KB + XLSX {xlsx_kb} KB in {best:.2f} s (best of 2)"
        )

        client = Client()
        client.force_login(get_user_model().objects.get(username="staff"))
        for _ in range(10):
            client.get("/")
        samples = []
        for _ in range(200):
            began = time.perf_counter()
            assert client.get("/").status_code == 200
            samples.append((time.perf_counter() - began) * 1000)
        samples.sort()
        p50, p95 = statistics.median(samples), samples[int(len(samples) * 0.95) - 1]
        print(f"staff dashboard over 200 requests: p50 {p50:.0f} ms, p95 {p95:.0f} ms")
        print(
            f"GOAL monthly report (PDF + XLSX) < {REPORT_GOAL_S:.0f} s on one worker: "
            f"{'PASS' if best < REPORT_GOAL_S else 'FAIL'} ({best:.2f} s)"
        )
        print(
            f"GOAL dashboard p95 < {DASHBOARD_GOAL_MS} ms: {'PASS' if p95 < DASHBOARD_GOAL_MS else 'FAIL'} "
            f"({p95:.0f} ms)"
        )
    finally:
        connection.creation.destroy_test_db(own_name, verbosity=0)
    return 0


if __name__ == "__main__":
    sys.exit(main())
