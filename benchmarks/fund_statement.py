"""UnionHub benchmark: the hardship fund's statement page for a year of 10,000 ledger entries.

Run by ``make bench``. On a throw-away database (PostgreSQL ``unionhub_bench_fund`` when
``DATABASE_URL`` is set, else ``var/bench_fund.sqlite3``):

1. posts 1,000 ledger entries over a year (an allocation, donations, charity transfers,
   disbursements across the five programme kinds, a few reversals), counts the SQL queries of the
   year's statement page (/aid/fund/statement/?year=…), then grows the year to 10,000 entries and
   counts again: the count must not change;
2. times the year's statement page and a month's page (200 requests each, after 10 warm-up
   requests, through Django's test client as an aid-duty staff member), printing p50 and p95.

Goals: the statement page under 200 ms (p95) at 10,000 entries; queries independent of the
number of entries. Timings live here, never in tests.
"""

import datetime
import os
import random
import statistics
import sys
import time
import warnings
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ["DJANGO_SETTINGS_MODULE"] = "unionhub.settings.test"

import django  # noqa: E402
from django.conf import settings  # noqa: E402

YEAR = 2025
GOAL_MS = 200


def configure_database() -> None:
    default = settings.DATABASES["default"]
    sqlite = default["ENGINE"] == "django.db.backends.sqlite3"
    default["TEST"] = {"NAME": str(ROOT / "var" / "bench_fund.sqlite3") if sqlite else "unionhub_bench_fund"}
    settings.ALLOWED_HOSTS = ["testserver"]


configure_database()
warnings.filterwarnings("ignore", message="No directory at")
django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from aid.models import FundEntry, Programme  # noqa: E402
from aid.services import fund  # noqa: E402
from unionhub.duties import AID, ensure_duty_groups  # noqa: E402


def programmes() -> list[Programme]:
    return [
        Programme.objects.create(
            year=YEAR,
            kind=kind,
            name=f"{YEAR} {kind}",
            min_amount=100,
            max_amount=50000,
            opens_on=datetime.date(YEAR, 1, 1),
            closes_on=datetime.date(YEAR, 12, 31),
        )
        for kind in Programme.Kind.values
    ]


def grow(count: int, rng: random.Random, kinds: list[Programme]) -> None:
    """``count`` more entries spread over the year, written in bulk (as fixture data, not as staff
    work: the services' locks would only slow the set-up). Income comes first each day so the
    balance stays positive, as the services would require."""
    fund.the_fund()
    rows = []
    for _ in range(count):
        day = datetime.date(YEAR, 1, 1) + datetime.timedelta(days=rng.randrange(365))
        roll = rng.random()
        if roll < 0.25:
            rows.append(
                FundEntry(
                    fund_id=1,
                    kind=rng.choice(["donation", "charity_transfer"]),
                    posted_on=day,
                    amount=Decimal(rng.randrange(2000, 20000)),
                    description="收入",
                )
            )
        else:
            rows.append(
                FundEntry(
                    fund_id=1,
                    kind="disbursement",
                    posted_on=day,
                    programme=rng.choice(kinds),
                    amount=-Decimal(rng.randrange(500, 3000)),
                    description="救助金",
                )
            )
    FundEntry.objects.bulk_create(rows, batch_size=2000)
    paid = list(
        FundEntry.objects.filter(kind="disbursement", reversed_by__isnull=True).order_by("?")[: count // 100]
    )
    FundEntry.objects.bulk_create(
        [
            FundEntry(
                fund_id=1,
                kind="reversal",
                amount=-entry.amount,
                reverses=entry,
                programme=entry.programme,
                posted_on=min(entry.posted_on + datetime.timedelta(days=3), datetime.date(YEAR, 12, 31)),
                description="冲正",
            )
            for entry in paid
        ],
        batch_size=2000,
    )


def queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx)


def timed(client: Client, url: str, runs: int = 200) -> tuple[float, float]:
    for _ in range(10):
        client.get(url)
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        response = client.get(url)
        samples.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200
    samples.sort()
    return statistics.median(samples), samples[int(len(samples) * 0.95) - 1]


def main() -> int:
    own_name = connection.settings_dict["NAME"]
    name = connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    print(
        f"UnionHub fund statement benchmark — database: {connection.vendor} ({Path(name).name})", flush=True
    )
    try:
        rng = random.Random(3)
        kinds = programmes()
        user = get_user_model().objects.create_user(username="aidbench", is_staff=True)
        user.groups.add(ensure_duty_groups()[AID])
        client = Client()
        client.force_login(user)
        year_url, month_url = f"/aid/fund/statement/?year={YEAR}", f"/aid/fund/statement/?year={YEAR}&month=6"
        grow(1_000, rng, kinds)
        small = (queries(client, year_url), queries(client, month_url), queries(client, "/aid/fund/"))
        grow(9_000, rng, kinds)
        entries = FundEntry.objects.count()
        large = (queries(client, year_url), queries(client, month_url), queries(client, "/aid/fund/"))
        print(
            f"ledger entries: {entries:,}; queries (year page, month page, fund page) at ~1,000: {small}, "
            f"at {entries:,}: {large}",
            flush=True,
        )
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        year_p50, year_p95 = timed(client, year_url)
        month_p50, month_p95 = timed(client, month_url)
        fund_p50, fund_p95 = timed(client, "/aid/fund/")
        print(f"statement page, the year (12 months beside it): p50 {year_p50:.0f} ms, p95 {year_p95:.0f} ms")
        print(f"statement page, one month: p50 {month_p50:.0f} ms, p95 {month_p95:.0f} ms")
        print(f"fund page (balance, allocations, ledger page): p50 {fund_p50:.0f} ms, p95 {fund_p95:.0f} ms")
        statement = fund.statement(year=YEAR)
        assert statement.closing == fund.balance()
        worst = max(year_p95, month_p95)
        print(
            f"GOAL statement page p95 < {GOAL_MS} ms at 10,000 entries: "
            f"{'PASS' if worst < GOAL_MS else 'FAIL'} ({worst:.0f} ms)"
        )
        print(
            f"GOAL queries independent of the entries: {'PASS' if small == large else 'FAIL'} ({small} → {large})"
        )
    finally:
        connection.creation.destroy_test_db(own_name, verbosity=0)
    return 0


if __name__ == "__main__":
    sys.exit(main())
