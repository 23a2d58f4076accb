"""UnionHub benchmark: the counter check (/perks/check/) against 10,000 issued cards.

Run by ``make bench``. On a throw-away database (PostgreSQL ``unionhub_bench_counter`` when
``DATABASE_URL`` is set, else ``var/bench_counter.sqlite3``):

1. creates a merchant with a current agreement, its counter-staff account and 1,000 members with
   a card each (members in bulk, cards by ``perks.services.cards.issue_cards``), counts the SQL queries of
   one check POST, grows to 10,000 cards and counts again: the count must not change;
2. after 10 warm-up checks, times 200 check POSTs through Django's test client as the counter
   account, a mix of valid numbers, unissued numbers and numbers with a wrong check digit,
   printing p50 and p95.

The rate limit is raised for the run (``PERKS_RULES``) so that it does not refuse the checks.
Goals: a check under 50 ms (p95) with 10,000 cards; queries independent of the number of cards.
Timings live here, never in tests.
"""

import datetime
import os
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

GOAL_MS = 50
URL = "/perks/check/"


def configure_database() -> None:
    default = settings.DATABASES["default"]
    sqlite = default["ENGINE"] == "django.db.backends.sqlite3"
    default["TEST"] = {
        "NAME": str(ROOT / "var" / "bench_counter.sqlite3") if sqlite else "unionhub_bench_counter"
    }
    settings.ALLOWED_HOSTS = ["testserver"]
    settings.PERKS_RULES = {"checks_per_minute": 1_000_000}


configure_database()
warnings.filterwarnings("ignore", message="No directory at")
django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from members.models import Enterprise, GrassrootsUnion, Member  # noqa: E402
from perks.models import Card, CardCheck, Merchant  # noqa: E402
from perks.services import cards  # noqa: E402

TODAY = timezone.localdate()
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"


def district():
    union = GrassrootsUnion.objects.create(
        code="BENCH01", name="基准工会", founded_on=datetime.date(2010, 1, 1)
    )
    enterprise = Enterprise.objects.create(
        name="基准企业有限公司",
        union=union,
        credit_code="",
        size_band="large",
        industry="manufacturing",
        headcount=10_000,
    )
    return union, enterprise


def grow_members(count: int, start: int, union, enterprise, rng: random.Random) -> None:
    """``count`` members written in bulk (fixture data, not staff work); ID numbers need only be unique."""
    rows = []
    for n in range(start, start + count):
        birth = datetime.date(1970, 1, 1) + datetime.timedelta(days=rng.randrange(12_000))
        rows.append(
            Member(
                name=rng.choice(SURNAMES) + "小" + rng.choice(SURNAMES),
                id_number=f"330481{birth:%Y%m%d}{n:04d}",
                birth_date=birth,
                sex=rng.choice("MF"),
                union=union,
                enterprise=enterprise,
                joined_on=datetime.date(2020, 1, 1),
                status_changed_on=datetime.date(2020, 1, 1),
            )
        )
    Member.objects.bulk_create(rows, batch_size=2000)


def queries(client: Client, number: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.post(URL, {"number": number}).status_code == 200
    return len(ctx)


def main() -> int:
    own_name = connection.settings_dict["NAME"]
    name = connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    print(f"UnionHub counter check benchmark — database: {connection.vendor} ({Path(name).name})", flush=True)
    try:
        rng = random.Random(5)
        union, enterprise = district()
        staff = get_user_model().objects.create_user(username="perkstaff", is_staff=True, is_superuser=True)
        clerk = get_user_model().objects.create_user(username="clerk")
        shop = Merchant.objects.create(
            name="联华超市",
            category="supermarket",
            discount="会员九折",
            discount_kind="percent",
            discount_percent=10,
            agreement_start=TODAY - datetime.timedelta(days=100),
            agreement_end=TODAY + datetime.timedelta(days=265),
        )
        shop.staff.add(clerk)
        client = Client()
        client.force_login(clerk)

        grow_members(1_000, 0, union, enterprise, rng)
        cards.issue_cards(by=staff)
        number = Card.objects.order_by("?").values_list("number", flat=True).first()
        queries(client, number)  # the first request of a session warms caches
        small = (queries(client, number), queries(client, cards.card_number(9_999_999)))
        grow_members(9_000, 1_000, union, enterprise, rng)
        cards.issue_cards(by=staff)
        issued = Card.objects.count()
        large = (queries(client, number), queries(client, cards.card_number(9_999_999)))
        print(
            f"cards: {issued:,}; queries of a check (valid, unknown) at 1,000 cards: {small}, "
            f"at {issued:,}: {large}",
            flush=True,
        )
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")

        valid = list(Card.objects.values_list("number", flat=True))
        unknown = [cards.card_number(s) for s in range(issued + 1_000, issued + 1_200)]
        mix = []
        for _ in range(210):
            roll = rng.random()
            if roll < 0.7:
                mix.append(rng.choice(valid))
            elif roll < 0.85:
                mix.append(rng.choice(unknown))
            else:
                good = rng.choice(valid)
                mix.append(good[:-1] + str((int(good[-1]) + 1) % 10))
        for entered in mix[:10]:
            client.post(URL, {"number": entered})
        samples = []
        for entered in mix[10:]:
            started = time.perf_counter()
            response = client.post(URL, {"number": entered})
            samples.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200
        samples.sort()
        p50, p95 = statistics.median(samples), samples[int(len(samples) * 0.95) - 1]
        results = dict.fromkeys(CardCheck.Result.values, 0)
        for result in CardCheck.objects.values_list("result", flat=True):
            results[result] += 1
        print(
            f"200 checks (70% valid, 15% unknown, 15% bad check digit): p50 {p50:.1f} ms, p95 {p95:.1f} ms; "
            f"logged: {', '.join(f'{k} {v}' for k, v in results.items() if v)}"
        )
        print(f"GOAL counter check p95 < {GOAL_MS} ms: {'PASS' if p95 < GOAL_MS else 'FAIL'} ({p95:.1f} ms)")
        print(f"GOAL constant queries: {'PASS' if small == large else 'FAIL'} ({small} → {large})")
    finally:
        connection.creation.destroy_test_db(own_name, verbosity=0)
    return 0


if __name__ == "__main__":
    sys.exit(main())
