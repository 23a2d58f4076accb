"""UnionHub benchmark: the rules library's search over 34 rules and 300 versions.

Run by ``make bench``. On a throw-away database (PostgreSQL ``unionhub_bench_rules`` when
``DATABASE_URL`` is set, else ``var/bench_rules.sqlite3``):

1. seeds the demo's 34 rules (制度汇编) with 300 versions in all (9 or 10 a rule; two rules superseded by
   others), texts of 600 to 1,000 characters built from the demo's phrase templates;
2. times ``search_rules`` over a mix of 21 queries (Chinese words, two-word queries, rule numbers, a
   full-width query, a query that only superseded versions answer, with and without the option, a
   category filter and a query that finds nothing), 25 rounds after 3 warm-up rounds, each search
   reading the first page of results with its snippets, as the page does; prints p50 and p95 overall
   and the slowest queries' p95;
3. times the search page itself (``/rules/?q=…``, 100 requests after 10 warm-up requests, through
   Django's test client as a union chair), cycling through the queries; prints p50 and p95.

Goal: a search p95 under 100 ms. Timings live here, never in tests; a missed goal prints NOT met and the
exit code stays 0.
"""

import os
import random
import statistics
import sys
import time
import warnings
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ["DJANGO_SETTINGS_MODULE"] = "unionhub.settings.test"

import django  # noqa: E402
from django.conf import settings  # noqa: E402

GOAL_MS = 100
VERSIONS = 300
ROUNDS, WARM_UP = 25, 3
PAGE_REQUESTS, PAGE_WARM_UP = 100, 10
# (query, include superseded versions, category)
QUERIES = [
    ("会费", False, None),
    ("上挂", False, None),
    ("困难职工", False, None),
    ("职工之家", False, None),
    ("片组", False, None),
    ("报销", False, None),
    ("廉政", False, None),
    ("调解", False, None),
    ("个人信息", False, None),
    ("工会", False, None),
    ("会费 收缴", False, None),
    ("上挂 值班", False, None),
    ("困难 救助", False, None),
    ("经费 预算 审议", False, None),
    ("HNZGH-CW-01", False, None),
    ("hnzgh-gz", False, None),
    ("ｕｎｉｏｎｈｕｂ 平台", False, None),
    ("试行期间", False, None),
    ("试行期间", True, None),
    ("会费", False, "finance"),
    ("量子计算", False, None),
]


def configure_database() -> None:
    default = settings.DATABASES["default"]
    sqlite = default["ENGINE"] == "django.db.backends.sqlite3"
    default["TEST"] = {
        "NAME": str(ROOT / "var" / "bench_rules.sqlite3") if sqlite else "unionhub_bench_rules"
    }
    settings.ALLOWED_HOSTS = ["testserver"]


configure_database()
warnings.filterwarnings("ignore", message="No directory at")
django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.utils import timezone  # noqa: E402

from members.models import GrassrootsUnion  # noqa: E402
from unionhub.demo_rules import seed_rules  # noqa: E402
from unionhub.models import Rule, RuleVersion  # noqa: E402
from unionhub.rules_library import search_rules  # noqa: E402

TODAY = timezone.localdate()


def p95(samples: list[float]) -> float:
    ordered = sorted(samples)
    return ordered[max(0, int(len(ordered) * 0.95) - 1)]


def one_search(query: str, superseded: bool, category: str | None) -> tuple[float, int]:
    started = time.perf_counter()
    results = search_rules(query, include_superseded=superseded, category=category)
    page = results[: settings.UNIONHUB_PAGE_SIZE]
    return (time.perf_counter() - started) * 1000, len(page)


def page_url(query: str, superseded: bool, category: str | None) -> str:
    params = {
        "q": query,
        **({"superseded": "on"} if superseded else {}),
        **({"category": category} if category else {}),
    }
    return "/rules/?" + urlencode(params)


def main() -> int:
    own_name = connection.settings_dict["NAME"]
    name = connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    print(f"UnionHub rules search benchmark — database: {connection.vendor} ({Path(name).name})", flush=True)
    try:
        staff = get_user_model().objects.create_user(username="rulesbench", is_staff=True)
        chair = get_user_model().objects.create_user(username="rulesbenchchair")
        GrassrootsUnion.objects.create(
            code="HN900", name="基准工会", chair=chair, founded_on=TODAY.replace(year=2010)
        )
        started = time.perf_counter()
        seed_rules(rng=random.Random(2026), unions=[], staff=staff, today=TODAY, total_versions=VERSIONS)
        characters = sum(len(text) for text in RuleVersion.objects.values_list("text", flat=True))
        print(
            f"{Rule.objects.count()} rules, {RuleVersion.objects.count()} versions ({characters:,} characters) "
            f"written in {time.perf_counter() - started:.1f} s",
            flush=True,
        )
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")

        found = {}
        for _ in range(WARM_UP):
            for spec in QUERIES:
                found[spec] = one_search(*spec)[1]
        samples: dict[tuple, list[float]] = {spec: [] for spec in QUERIES}
        for _ in range(ROUNDS):
            for spec in QUERIES:
                samples[spec].append(one_search(*spec)[0])
        everything = [ms for values in samples.values() for ms in values]
        overall = p95(everything)
        print(
            f"search_rules over {len(everything)} searches ({len(QUERIES)} queries × {ROUNDS}): "
            f"p50 {statistics.median(everything):.1f} ms, p95 {overall:.1f} ms"
        )
        for spec in sorted(QUERIES, key=lambda s: -p95(samples[s]))[:5]:
            query, superseded, category = spec
            label = (
                query + (" [superseded too]" if superseded else "") + (f" [{category}]" if category else "")
            )
            print(f"  {label}: {found[spec]} found, p95 {p95(samples[spec]):.1f} ms")

        client = Client()
        client.force_login(chair)
        urls = [page_url(*spec) for spec in QUERIES]
        for n in range(PAGE_WARM_UP):
            assert client.get(urls[n % len(urls)]).status_code == 200
        pages = []
        for n in range(PAGE_REQUESTS):
            started = time.perf_counter()
            response = client.get(urls[n % len(urls)])
            pages.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200
        print(
            f"search page over {PAGE_REQUESTS} requests: p50 {statistics.median(pages):.1f} ms, "
            f"p95 {p95(pages):.1f} ms"
        )
        print(
            f"goal p95 < {GOAL_MS} ms (search_rules): {'met' if overall < GOAL_MS else 'NOT met'} ({overall:.1f} ms)"
        )
        print(
            f"goal p95 < {GOAL_MS} ms (search page): {'met' if p95(pages) < GOAL_MS else 'NOT met'} "
            f"({p95(pages):.1f} ms)"
        )
    finally:
        connection.creation.destroy_test_db(own_name, verbosity=0)
    return 0


if __name__ == "__main__":
    sys.exit(main())
