"""UnionHub benchmark: how the registry behaves at the size of a real district.

Run with ``make bench`` (``.venv/bin/python benchmarks/run.py`` from the project root). In one
run it measures:

1. ``seed_demo`` wall time at 4,000 and at the default 40,000 members;
2. SQL queries per list page (/members/, /unions/, /enterprises/) at both sizes: a list page
   must cost the same number of queries whatever the size of the district (no N+1);
3. member list latency (p50, p95, mean, max over 200 requests through Django's test Client,
   after 10 warm-up requests) at 40,000 members, for federation staff (who see everyone) and
   for a union chair (who sees one union), over a realistic mix of pages, searches and filters;
4. the goals, each printed PASS or FAIL: member list p95 < 150 ms at 40,000 members, and the
   same query count at 4,000 and 40,000 members.

Why a script and not a test: these machines are noisy, so timings go up and down with the
neighbours. A timing assertion in the test suite would fail at random; timings live here, never
in tests. A failed goal is printed as FAIL but the exit code stays 0: this is a measurement.

The database is a throw-away test database, never the developer's ``var/db.sqlite3`` nor a
production database: PostgreSQL (database ``unionhub_bench``) when ``DATABASE_URL`` is set,
else SQLite at ``var/bench.sqlite3``. It is created with Django's test-database machinery and
destroyed at the end. Each size starts from an emptied database (``flush``). On PostgreSQL the
bench runs ``ANALYZE`` after each seed (not counted in the seed time), as autovacuum would within
a minute: otherwise the plans, and so the timings, would depend on whether autovacuum happened to
run during the bench. SQLite gathers no statistics unless asked, so there nothing is run.
The figures are also written to ``var/bench.json``.

The test environment (``setup_test_environment``) is deliberately not installed: it
instruments template rendering so that the test Client can copy every context, which would
add overhead a real request does not pay.
"""

import datetime
import io
import json
import math
import os
import platform
import random
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

SIZES = (4_000, 40_000)
SEED = 2026
REQUESTS = 200
WARM_UP = 10
P95_GOAL_MS = 150
LIST_PAGES = ("/members/", "/unions/", "/enterprises/")
RESULT_FILE = ROOT / "var" / "bench.json"


def configure_database() -> None:
    """Point the test database at a bench-only name, so as not to clash with a test run."""
    default = settings.DATABASES["default"]
    sqlite = default["ENGINE"] == "django.db.backends.sqlite3"
    bench_name = str(ROOT / "var" / "bench.sqlite3") if sqlite else "unionhub_bench"
    if str(default["NAME"]) == bench_name:  # it is dropped and re-created: never someone's database
        raise SystemExit(f"refusing to run: DATABASE_URL names the bench database {bench_name} itself")
    default["TEST"] = {"NAME": bench_name}


configure_database()
# WhiteNoise warns that the static files are not collected; the bench serves no static file.
warnings.filterwarnings("ignore", message="No directory at")
django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from members.models import GrassrootsUnion, Member  # noqa: E402


def seed(members: int) -> float:
    """Empty the database, then seed the demo district; return the seed's wall time in seconds."""
    call_command("flush", interactive=False, verbosity=0)
    started = time.perf_counter()
    call_command("seed_demo", members=members, seed=SEED, allow_without_debug=True, stdout=io.StringIO())
    elapsed = time.perf_counter() - started
    if connection.vendor == "postgresql":
        # Planner statistics, as autovacuum would gather within a minute of the seed: without
        # them the figures would depend on whether autovacuum happened to run mid-bench.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return elapsed


def client_user(username: str):
    return get_user_model().objects.get(username=username)


def client_for(username: str) -> Client:
    client = Client()
    client.force_login(client_user(username))
    return client


def get(client: Client, url: str):
    response = client.get(url)
    if response.status_code != 200:
        # A redirect to the login page or an error page would be fast and meaningless.
        raise RuntimeError(f"GET {url} answered {response.status_code}, not 200")
    return response


def queries_per_page(client: Client) -> dict[str, int]:
    counts = {}
    for url in LIST_PAGES:
        get(client, url)  # warm per-process caches (content types, translations, templates)
        with CaptureQueriesContext(connection) as captured:
            get(client, url)
        counts[url] = len(captured.captured_queries)
    return counts


def request_mix(username: str) -> list[tuple[str, str]]:
    """(kind, url) pairs a user of the member list plausibly asks for, from first to last page."""
    user = client_user(username)
    members = Member.objects.visible_to(user)
    last_page = max(1, math.ceil(members.count() / settings.UNIONHUB_PAGE_SIZE))
    union_pks = list(GrassrootsUnion.objects.visible_to(user).order_by("pk").values_list("pk", flat=True))
    rng = random.Random(SEED)
    pages = sorted({2, 3, last_page // 10, last_page // 2, last_page} - {0, 1})
    unions = rng.sample(union_pks, min(3, len(union_pks)))
    mix = [("first page", "/members/")]
    mix += [("page=2..3" if n <= 3 else "deep page", f"/members/?page={n}") for n in pages]
    mix += [("q=surname", f"/members/?q={surname}") for surname in ("王", "李")]
    mix += [("q=4 digits", f"/members/?q={rng.randrange(10_000):04d}") for _ in range(2)]
    mix += [("union=pk", f"/members/?union={pk}") for pk in unions]
    mix += [("status=retained", "/members/?status=retained")]
    return mix


def percentile(sorted_values: list[float], fraction: float) -> float:
    """Linear interpolation between closest ranks (as numpy's default)."""
    position = (len(sorted_values) - 1) * fraction
    low = math.floor(position)
    high = min(low + 1, len(sorted_values) - 1)
    return sorted_values[low] + (sorted_values[high] - sorted_values[low]) * (position - low)


def summary(timings_ms: list[float]) -> dict[str, float]:
    ordered = sorted(timings_ms)
    return {
        "p50_ms": round(percentile(ordered, 0.50), 1),
        "p95_ms": round(percentile(ordered, 0.95), 1),
        "mean_ms": round(statistics.fmean(ordered), 1),
        "max_ms": round(ordered[-1], 1),
    }


def member_list_latency(username: str) -> dict:
    client = client_for(username)
    mix = request_mix(username)
    for i in range(WARM_UP):
        get(client, mix[i % len(mix)][1])
    timings: list[float] = []
    by_kind: dict[str, list[float]] = {}
    for i in range(REQUESTS):
        kind, url = mix[i % len(mix)]
        started = time.perf_counter()
        get(client, url)
        elapsed_ms = (time.perf_counter() - started) * 1000
        timings.append(elapsed_ms)
        by_kind.setdefault(kind, []).append(elapsed_ms)
    return {
        "user": username,
        "visible_members": Member.objects.visible_to(client_user(username)).count(),
        "requests": REQUESTS,
        "warm_up": WARM_UP,
        "urls": [url for _, url in mix],
        **summary(timings),
        "by_kind": {kind: summary(values) for kind, values in by_kind.items()},
    }


def fmt_queries(counts: dict[str, int]) -> str:
    return ", ".join(f"{url} {n}" for url, n in counts.items())


def fmt_latency(label: str, figures: dict) -> str:
    return (
        f"member list ({label}, {REQUESTS} requests): p50 {figures['p50_ms']:.0f} ms, "
        f"p95 {figures['p95_ms']:.0f} ms, mean {figures['mean_ms']:.0f} ms, max {figures['max_ms']:.0f} ms"
    )


def fmt_kinds(figures: dict) -> str:
    return "  p50 by request: " + ", ".join(
        f"{kind} {kind_figures['p50_ms']:.0f} ms" for kind, kind_figures in figures["by_kind"].items()
    )


def load_average() -> float:
    """The 1-minute load average: with more runnable processes than CPUs, timings suffer."""
    return round(os.getloadavg()[0], 2)


def run() -> dict:
    results: dict = {"seed_s": {}, "queries": {}}
    for size in SIZES:
        seconds = seed(size)
        results["seed_s"][size] = round(seconds, 2)
        print(f"seed_demo {size:,} members: {seconds:.1f} s", flush=True)
        counts = queries_per_page(client_for("staff"))
        results["queries"][size] = counts
        print(f"queries per page @{size:,}: {fmt_queries(counts)}", flush=True)

    small, large = SIZES
    same_queries = results["queries"][small] == results["queries"][large]
    print(f"queries per page equal at {small:,} and {large:,}: {'yes' if same_queries else 'NO'}")

    results["member_list"] = {}
    for username, role in (("staff", "federation staff"), ("chair1", "chair of HN001")):
        figures = member_list_latency(username)
        results["member_list"][username] = figures
        label = f"{username}, {role}, sees {figures['visible_members']:,} of {large:,} members"
        print(fmt_latency(label, figures), flush=True)
        print(fmt_kinds(figures), flush=True)

    p95 = results["member_list"]["staff"]["p95_ms"]
    small_counts, large_counts = ("/".join(map(str, results["queries"][size].values())) for size in SIZES)
    goals = [
        (f"member list p95 < {P95_GOAL_MS} ms at {large:,} members", p95 < P95_GOAL_MS, f"p95 {p95} ms"),
        (f"same query count at {small:,} and {large:,}", same_queries, f"{small_counts} vs {large_counts}"),
    ]
    for label, passed, detail in goals:
        print(f"GOAL {label}: {'PASS' if passed else 'FAIL'} ({detail})")
    results["goals"] = {label: passed for label, passed, _ in goals}
    return results


def main() -> int:
    own_name = connection.settings_dict["NAME"]
    name = connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    vendor = connection.vendor
    if vendor == "sqlite":
        name = Path(name).relative_to(ROOT)
    print(f"UnionHub benchmark — database: {vendor} ({name})", flush=True)
    load_before = load_average()
    try:
        results = run()
    finally:
        connection.creation.destroy_test_db(own_name, verbosity=0)
    load_after = load_average()
    cpus = os.cpu_count()
    print(
        f"load average {load_before} before, {load_after} after, on {cpus} CPUs "
        "(a load above the CPU count means noisy timings)"
    )
    results = {
        "when": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "database": vendor,
        "python": platform.python_version(),
        "django": django.get_version(),
        "cpus": cpus,
        "load_average": {"before": load_before, "after": load_after},
        **results,
    }
    RESULT_FILE.parent.mkdir(exist_ok=True)
    RESULT_FILE.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"figures written to {RESULT_FILE.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
