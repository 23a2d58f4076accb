"""UnionHub benchmark: issuing discount cards to the whole district in one batch.

Run by ``make bench``. On a throw-away database (PostgreSQL ``unionhub_bench_cards`` when
``DATABASE_URL`` is set, else ``var/bench_cards.sqlite3``): 50 unions, one enterprise each and
10,000 active members written in bulk (fixture data, not the registration service); then times
``issue_cards(by=None)`` for the whole district, checks that every member got exactly one valid
card, and times a second run, which must issue none.

Goal: 10,000 cards in one batch in under 10 s. Timings live here, never in tests.
"""

import datetime
import os
import sys
import time
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ["DJANGO_SETTINGS_MODULE"] = "unionhub.settings.test"

import django  # noqa: E402
from django.conf import settings  # noqa: E402

MEMBERS = 10_000
UNIONS = 50
GOAL_S = 10.0


def configure_database() -> None:
    default = settings.DATABASES["default"]
    sqlite = default["ENGINE"] == "django.db.backends.sqlite3"
    default["TEST"] = {
        "NAME": str(ROOT / "var" / "bench_cards.sqlite3") if sqlite else "unionhub_bench_cards"
    }


configure_database()
warnings.filterwarnings("ignore", message="No directory at")
django.setup()

from django.db import connection, transaction  # noqa: E402
from django.utils import timezone  # noqa: E402
from stdnum import luhn  # noqa: E402

from members.models import Enterprise, GrassrootsUnion, Member  # noqa: E402
from members.validators import id_check_character  # noqa: E402
from perks.models import Card  # noqa: E402
from perks.services.cards import issue_cards  # noqa: E402
from unionhub.bulk import bulk_insert  # noqa: E402


def district() -> None:
    unions = GrassrootsUnion.objects.bulk_create(
        [
            GrassrootsUnion(code=f"BN{i:03d}", name=f"基准工会{i:03d}", founded_on=datetime.date(2010, 1, 1))
            for i in range(UNIONS)
        ]
    )
    enterprises = Enterprise.objects.bulk_create(
        [
            Enterprise(
                name=f"基准企业{i:03d}",
                credit_code=f"91330481MA2B{i:05d}X",
                union=union,
                size_band="small",
                industry="manufacturing",
                headcount=200,
            )
            for i, union in enumerate(unions)
        ]
    )
    joined, now = datetime.date(2020, 1, 1), timezone.now()
    rows = []
    for i in range(MEMBERS):
        birth = datetime.date(1970, 1, 1) + datetime.timedelta(days=i // 500)
        body = f"330481{birth:%Y%m%d}{i % 500 * 2 + 1:03d}"
        enterprise = enterprises[i % UNIONS]
        rows.append(
            (
                f"职工{i:05d}",
                body + id_check_character(body),
                birth,
                "M",
                "",
                "",
                "masses",
                enterprise.pk,
                enterprise.union_id,
                joined,
                False,
                Member.Status.ACTIVE,
                joined,
                now,
                now,
            )
        )
    with transaction.atomic():
        bulk_insert(
            Member,
            [
                "name",
                "id_number",
                "birth_date",
                "sex",
                "phone",
                "education",
                "political_status",
                "enterprise",
                "union",
                "joined_on",
                "is_migrant_worker",
                "status",
                "status_changed_on",
                "created_at",
                "updated_at",
            ],
            rows,
        )


def main() -> int:
    own_name = connection.settings_dict["NAME"]
    name = connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    print(f"UnionHub card issuing benchmark — database: {connection.vendor} ({Path(name).name})", flush=True)
    try:
        district()
        started = time.perf_counter()
        batch = issue_cards(by=None)
        elapsed = time.perf_counter() - started
        numbers = list(Card.objects.values_list("number", flat=True))
        members = Card.objects.values("member").distinct().count()
        assert batch.count == MEMBERS == len(numbers) == len(set(numbers)) == members
        assert all(len(n) == 16 and luhn.is_valid(n) for n in numbers)
        started = time.perf_counter()
        again = issue_cards(by=None)
        second = time.perf_counter() - started
        assert again.count == 0
        print(
            f"members: {Member.objects.count():,}; cards issued in one batch: {batch.count:,} "
            f"in {elapsed:.2f} s; a second run issued {again.count} in {second:.2f} s"
        )
        print(
            f"GOAL issuing 10,000 cards < {GOAL_S:.0f} s: {'PASS' if elapsed < GOAL_S else 'FAIL'} ({elapsed:.2f} s)"
        )
    finally:
        connection.creation.destroy_test_db(own_name, verbosity=0)
    return 0


if __name__ == "__main__":
    sys.exit(main())
