"""UnionHub benchmark: skills contests (技能比武, issue 24) on the demo district.

Run by ``make bench``. On a throw-away database (PostgreSQL ``unionhub_bench_contests`` when ``DATABASE_URL`` is
set, else ``var/bench_contests.sqlite3``):

1. seeds the demo district (186 unions, 40,000 members, three years of skills contests with their results;
   not timed);
2. times the ranking of the largest published contest computed afresh (``services.standings``: every judge's
   scores of both rounds, the weighting and the tie-break), 20 runs, and ``contest_results`` for it;
3. for the contests' pages — the list, a contest, its results (staff and a chair, names masked), the year's
   figures, a chair's entries page, the open contest's judges — 5 warm-up requests, then 50 timed ones, p50 and
   p95 of the server time (Django's test client: the whole request and response cycle); the chair's dashboard,
   which carries the contests' to-do item, is printed for information.

Goals (set here; the issue names none): every page p95 < 500 ms; a contest's ranking in < 200 ms.
Timings live here, never in tests.
"""

import io
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

PAGE_GOAL_MS, RANKING_GOAL_MS = 500, 200
WARM, RUNS = 5, 50


def configure_database() -> None:
    default = settings.DATABASES["default"]
    sqlite = default["ENGINE"] == "django.db.backends.sqlite3"
    default["TEST"] = {
        "NAME": str(ROOT / "var" / "bench_contests.sqlite3") if sqlite else "unionhub_bench_contests"
    }
    settings.ALLOWED_HOSTS = ["testserver"]
    settings.MEDIA_ROOT = ROOT / "var" / "bench-media"


configure_database()
warnings.filterwarnings("ignore", message="No directory at")
django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import reverse  # noqa: E402

from contests import services  # noqa: E402
from contests.models import Contest  # noqa: E402
from members import demo  # noqa: E402


def percentiles(samples: list[float]) -> tuple[float, float]:
    samples = sorted(samples)
    return statistics.median(samples), samples[max(int(len(samples) * 0.95) - 1, 0)]


def timed(client: Client, url: str) -> tuple[float, float]:
    for _ in range(WARM):
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
    samples = []
    for _ in range(RUNS):
        began = time.perf_counter()
        client.get(url)
        samples.append((time.perf_counter() - began) * 1000)
    return percentiles(samples)


def client_for(username: str | None) -> Client:
    client = Client()
    if username:
        client.force_login(get_user_model().objects.get(username=username))
    return client


def main() -> int:
    own_name = connection.settings_dict["NAME"]
    name = connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    print(f"UnionHub contests benchmark — database: {connection.vendor} ({Path(name).name})", flush=True)
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
        largest = (
            Contest.objects.filter(state=Contest.State.PUBLISHED)
            .annotate(n=Count("entries"))
            .order_by("-n")
            .first()
        )
        open_contest = Contest.objects.filter(state=Contest.State.ENTRY_OPEN).first()
        runs = []
        for _ in range(20):
            began = time.perf_counter()
            services.standings(largest)
            runs.append((time.perf_counter() - began) * 1000)
        ranking_p50, ranking_worst = statistics.median(runs), max(runs)
        print(
            f"ranking of {largest.entries.count()} contestants: median {ranking_p50:.0f} ms, slowest {ranking_worst:.0f} ms"
        )
        began = time.perf_counter()
        call_command("contest_results", contest=str(largest.pk), stdout=io.StringIO(), stderr=io.StringIO())
        print(f"contest_results --contest {largest.pk}: {(time.perf_counter() - began) * 1000:.0f} ms")
        pages = [
            ("contests: the list (staff)", "staff", reverse("contests:list")),
            ("contests: a contest (staff)", "staff", reverse("contests:detail", args=[largest.pk])),
            ("contests: results (staff)", "staff", reverse("contests:results", args=[largest.pk])),
            ("contests: results (chair1, masked)", "chair1", reverse("contests:results", args=[largest.pk])),
            (
                "contests: the year's figures (staff)",
                "staff",
                reverse("contests:figures", args=[largest.year]),
            ),
            ("contests: entries (chair1)", "chair1", reverse("contests:entries", args=[open_contest.pk])),
            ("contests: judges (staff)", "staff", reverse("contests:judges", args=[open_contest.pk])),
        ]
        worst = 0.0
        for label, who, url in pages:
            p50, p95 = timed(client_for(who), url)
            worst = max(worst, p95)
            print(f"{label:<38} {url:<26} p50 {p50:5.0f} ms  p95 {p95:5.0f} ms")
        p50, p95 = timed(client_for("chair1"), reverse("dashboard"))
        print(f"{'dashboard (chair1; for information)':<38} {'/':<26} p50 {p50:5.0f} ms  p95 {p95:5.0f} ms")
        print(
            f"GOAL every contests page p95 < {PAGE_GOAL_MS} ms: "
            f"{'PASS' if worst < PAGE_GOAL_MS else 'FAIL'} (slowest {worst:.0f} ms)"
        )
        print(
            f"GOAL a contest's ranking in < {RANKING_GOAL_MS} ms: "
            f"{'PASS' if ranking_worst < RANKING_GOAL_MS else 'FAIL'} (slowest {ranking_worst:.0f} ms)"
        )
    finally:
        connection.creation.destroy_test_db(own_name, verbosity=0)
    return 0


if __name__ == "__main__":
    sys.exit(main())
