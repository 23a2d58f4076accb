"""UnionHub benchmark: the staff case list (/cases/) at 20,000 grievance cases.

Run by ``make bench``. On a throw-away database (PostgreSQL ``unionhub_bench_cases`` when
``DATABASE_URL`` is set, else ``var/bench_cases.sqlite3``):

1. bulk-creates 2,000 cases across stages, categories, channels and handlers, counts the SQL
   queries of each page of the request mix, grows to 20,000 cases and counts again: the counts
   must not change;
2. times the list over 200 requests (after 10 warm-up requests) through Django's test client as
   a casework staff member, cycling through a mix: the first page, a deep page, a stage filter, a
   category filter, a search by employer and the "deadline within 30 days" filter; prints p50 and
   p95 overall and the p95 of each kind.

Cases are written with ``bulk_create`` as fixture data, which bypasses ``Case.save``: the handling
deadline and the limitation date are set here from plain calendar days (the working calendar's
moves do not matter to a list's speed). The database's own statistics are refreshed (``ANALYZE``)
on PostgreSQL after each growth, as autovacuum would.

Goals: case list p95 < 150 ms at 20,000 cases; the same query count at 2,000 and 20,000 cases.
Timings live here, never in tests; a failed goal prints FAIL and the exit code stays 0.
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

SIZES = (2_000, 20_000)
REQUESTS = 200
WARM_UP = 10
GOAL_MS = 150
HANDLERS = 12


def configure_database() -> None:
    default = settings.DATABASES["default"]
    sqlite = default["ENGINE"] == "django.db.backends.sqlite3"
    default["TEST"] = {
        "NAME": str(ROOT / "var" / "bench_cases.sqlite3") if sqlite else "unionhub_bench_cases"
    }
    settings.ALLOWED_HOSTS = ["testserver"]


configure_database()
warnings.filterwarnings("ignore", message="No directory at")
django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from grievances.models import Case  # noqa: E402
from grievances.rules import rules  # noqa: E402
from unionhub.duties import CASEWORK, ensure_duty_groups  # noqa: E402

TODAY = timezone.localdate()

EMPLOYERS = [
    f"{prefix}{kind}有限公司"
    for prefix in ("甲", "乙", "丙", "丁", "戊", "己", "庚", "辛", "壬", "癸")
    for kind in ("精密机械", "电子科技", "物流", "食品", "纺织")
]
SURNAMES, GIVEN = "王李张刘陈杨黄赵周吴", "伟芳娜敏静丽强磊军洋"
# Where a case of each stage has got to: the stage dates it carries, in order.
STAGE_PATHS = {
    "received": [],
    "accepted": ["accepted_on"],
    "investigating": ["accepted_on", "investigation_on"],
    "mediation": ["accepted_on", "mediation_on"],
    "arbitration": ["accepted_on", "arbitration_applied_on"],
    "litigation": ["accepted_on", "arbitration_applied_on", "award_on", "litigation_on"],
    "closed": ["accepted_on", "closed_on"],
}
STAGE_WEIGHTS = {
    "received": 8,
    "accepted": 10,
    "investigating": 8,
    "mediation": 6,
    "arbitration": 5,
    "litigation": 2,
    "closed": 61,
}


def handlers() -> list:
    group = ensure_duty_groups()[CASEWORK]
    users = []
    for n in range(HANDLERS):
        user = get_user_model().objects.create_user(
            username=f"handler{n}", is_staff=True, name=f"办案员{n:02d}"
        )
        user.groups.add(group)
        users.append(user)
    return users


def one_year_after(day: datetime.date) -> datetime.date:
    try:
        return day.replace(year=day.year + 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year + 1, day=28)


def case_row(seq: int, rng: random.Random, staff: list) -> Case:
    r = rules()
    received = TODAY - datetime.timedelta(days=rng.randrange(3 * 365))
    stage = rng.choices(list(STAGE_WEIGHTS), weights=list(STAGE_WEIGHTS.values()))[0]
    category = rng.choice(Case.Category.values)
    difficulty = rng.choices(Case.Difficulty.values, weights=[6, 3, 1])[0]
    harm = received - datetime.timedelta(days=rng.randrange(10, 200))
    ended = harm if category != "wage_arrears" or rng.random() < 0.6 else None
    case = Case(
        number=f"WQ{received.year}-{seq:05d}",
        channel=rng.choice(Case.Channel.values),
        category=category,
        complainant_name=rng.choice(SURNAMES) + rng.choice(GIVEN) + rng.choice(GIVEN),
        complainant_phone=f"13{rng.randrange(10**9):09d}",
        anonymous=rng.random() < 0.05,
        employer_name=rng.choice(EMPLOYERS),
        amount_claimed=Decimal(rng.randrange(500, 80000)),
        harm_known_on=harm,
        employment_ended_on=ended,
        description="拖欠工资，多次讨要未果。",
        received_on=received,
        received_by=staff[0],
        handler=rng.choice(staff) if stage != "received" else None,
        difficulty=difficulty,
        stage=stage,
    )
    day = received
    for field in STAGE_PATHS[stage]:
        day = min(day + datetime.timedelta(days=rng.randrange(1, 20)), TODAY)
        setattr(case, field, day)
    if stage == "closed":
        case.outcome = rng.choice(Case.Outcome.values)
        case.amount_recovered = Decimal(rng.randrange(0, 50000))
        case.satisfaction = rng.randrange(1, 6)
    days = {"ordinary": r.ordinary_days, "difficult": r.difficult_days, "complex": r.complex_days}[difficulty]
    case.handling_due = (case.accepted_on or received) + datetime.timedelta(days=days)
    limitation_start = ended if category == "wage_arrears" else harm
    case.limitation_on = one_year_after(limitation_start) if limitation_start else None
    return case


def grow(to: int, rng: random.Random, staff: list) -> None:
    start = Case.objects.count()
    Case.objects.bulk_create([case_row(seq, rng, staff) for seq in range(start + 1, to + 1)], batch_size=2000)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def request_mix(total: int) -> list[tuple[str, str]]:
    deep = max(1, total // 50 * 4 // 5)
    return [
        ("first page", "/cases/"),
        ("deep page", f"/cases/?page={deep}"),
        ("stage filter", "/cases/?stage=mediation"),
        ("category filter", "/cases/?category=work_injury"),
        ("search", "/cases/?q=精密机械"),
        ("deadline filter", "/cases/?due_soon=on"),
    ]


def queries(client: Client, mix: list[tuple[str, str]]) -> list[int]:
    counts = []
    for _kind, url in mix:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        counts.append(len(ctx))
    return counts


def timed(client: Client, mix: list[tuple[str, str]]) -> dict[str, list[float]]:
    for n in range(WARM_UP):
        client.get(mix[n % len(mix)][1])
    samples: dict[str, list[float]] = {kind: [] for kind, _url in mix}
    for n in range(REQUESTS):
        kind, url = mix[n % len(mix)]
        started = time.perf_counter()
        response = client.get(url)
        samples[kind].append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200
    return samples


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[max(0, int(len(ordered) * 0.95) - 1)]


def main() -> int:
    own_name = connection.settings_dict["NAME"]
    name = connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    print(f"UnionHub case list benchmark — database: {connection.vendor} ({Path(name).name})", flush=True)
    try:
        rng = random.Random(2026)
        staff = handlers()
        client = Client()
        client.force_login(staff[0])
        counts = {}
        for size in SIZES:
            started = time.perf_counter()
            grow(size, rng, staff)
            print(f"{size:,} cases written in {time.perf_counter() - started:.1f} s", flush=True)
            counts[size] = queries(client, request_mix(size))
        mix = request_mix(SIZES[-1])
        print(
            "queries per page ("
            + ", ".join(kind for kind, _url in mix)
            + "): "
            + "; ".join(f"at {size:,}: {counts[size]}" for size in SIZES)
        )
        samples = timed(client, mix)
        everything = [ms for values in samples.values() for ms in values]
        overall_p50, overall_p95 = statistics.median(everything), p95(everything)
        print(
            f"case list over {REQUESTS} requests at {SIZES[-1]:,} cases: p50 {overall_p50:.0f} ms, "
            f"p95 {overall_p95:.0f} ms"
        )
        for kind, values in samples.items():
            print(f"  {kind}: p50 {statistics.median(values):.0f} ms, p95 {p95(values):.0f} ms")
        print(
            f"GOAL case list p95 < {GOAL_MS} ms at {SIZES[-1]:,} cases: "
            f"{'PASS' if overall_p95 < GOAL_MS else 'FAIL'} ({overall_p95:.0f} ms)"
        )
        same = len(set(map(tuple, counts.values()))) == 1
        print(
            f"GOAL fixed query count: {'PASS' if same else 'FAIL'} ({counts[SIZES[0]]} → {counts[SIZES[-1]]})"
        )
    finally:
        connection.creation.destroy_test_db(own_name, verbosity=0)
    return 0


if __name__ == "__main__":
    sys.exit(main())
