"""UnionHub benchmark: generating the duty rota for 200 seconded cadres over one year.

Run by ``make bench``. On a throw-away database (PostgreSQL ``unionhub_bench_rota`` when
``DATABASE_URL`` is set, else ``var/bench_rota.sqlite3``), with the holiday calendar the migrations
load:

1. creates 200 cadres whose one-year terms start on staggered dates through the year before the
   rota year (so every cycle has terms starting and ending inside it) and about five unavailable
   dates each;
2. times ``secondment.services.rota.generate`` for the whole year on an empty rota (best of three, the
   rota deleted between runs), then a regeneration over the finished rota (which keeps every day).

Goal: the year's rota for 200 cadres in under 2 s. Timings live here, never in tests.
"""

import datetime
import os
import random
import sys
import time
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ["DJANGO_SETTINGS_MODULE"] = "unionhub.settings.test"

import django  # noqa: E402
from django.conf import settings  # noqa: E402

CADRES = 200
GOAL_S = 2.0
YEAR_START, YEAR_END = datetime.date(2026, 1, 1), datetime.date(2026, 12, 31)
TODAY = YEAR_START - datetime.timedelta(days=1)


def configure_database() -> None:
    default = settings.DATABASES["default"]
    sqlite = default["ENGINE"] == "django.db.backends.sqlite3"
    default["TEST"] = {"NAME": str(ROOT / "var" / "bench_rota.sqlite3") if sqlite else "unionhub_bench_rota"}


configure_database()
warnings.filterwarnings("ignore", message="No directory at")
django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection  # noqa: E402

from members.models import GrassrootsUnion  # noqa: E402
from secondment.models import DutyDay, SecondmentTerm, Unavailability  # noqa: E402
from secondment.rules import term_end  # noqa: E402
from secondment.services import rota  # noqa: E402


def build_district() -> None:
    rng = random.Random(5)
    union = GrassrootsUnion.objects.create(code="HNBENCH", name="基准测试工会", founded_on="2010-01-01")
    users = get_user_model().objects.bulk_create(
        get_user_model()(username=f"bench{n:03d}", name=f"干部{n:03d}") for n in range(CADRES)
    )
    terms = []
    for n, user in enumerate(users):
        # Starts spread over the previous year and into this one: terms end and begin all year long.
        start = YEAR_START - datetime.timedelta(days=300) + datetime.timedelta(days=n * 400 // CADRES)
        terms.append(SecondmentTerm(cadre=user, union=union, start_date=start, end_date=term_end(start)))
    terms = SecondmentTerm.objects.bulk_create(terms)
    unavailable = []
    for term in terms:
        for offset in rng.sample(range(365), 5):
            unavailable.append(Unavailability(term=term, date=YEAR_START + datetime.timedelta(days=offset)))
    Unavailability.objects.bulk_create(unavailable)


def timed_generate() -> tuple[float, rota.RotaResult]:
    started = time.perf_counter()
    # The last cycle reaches into 2027: plan it whole, as before issue 19, whether or not 2027 is entered.
    result = rota.generate(YEAR_START, YEAR_END, today=TODAY, beyond_calendar=True)
    return time.perf_counter() - started, result


def main() -> int:
    own_name = connection.settings_dict["NAME"]
    name = connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    print(f"UnionHub rota benchmark — database: {connection.vendor} ({Path(name).name})", flush=True)
    try:
        build_district()
        best, result = float("inf"), None
        for _ in range(3):
            DutyDay.objects.all().delete()
            seconds, result = timed_generate()
            best = min(best, seconds)
        print(
            f"{CADRES} cadres, {result.cycles} cycles ({result.start} to {result.end}): {result.created:,} duty "
            f"days created, largest spread within a cycle {max(result.spread.values())}, "
            f"{len(result.problems)} problems",
            flush=True,
        )
        for problem in result.problems[:5]:
            print(f"  {problem}")
        print(f"generate, empty rota (best of 3): {best:.2f} s", flush=True)
        again, repeat = timed_generate()
        print(
            f"regenerate, finished rota ({repeat.kept:,} kept, {repeat.created} created): {again:.2f} s",
            flush=True,
        )
        print(
            f"GOAL rota for {CADRES} cadres over a year < {GOAL_S:.0f} s: {'PASS' if best < GOAL_S else 'FAIL'} "
            f"({best:.2f} s)"
        )
    finally:
        connection.creation.destroy_test_db(own_name, verbosity=0)
    return 0


if __name__ == "__main__":
    sys.exit(main())
