"""UnionHub benchmark: the associations' compliance page over five years of plans and activities.

Run by ``make bench``. On a throw-away database (PostgreSQL ``unionhub_bench_associations`` when
``DATABASE_URL`` is set, else ``var/bench_associations.sqlite3``):

1. builds 2 associations, each with plans of 12 lines for five past years and this year, an activity
   per line (held in the past, open ahead) and about 20 sign-ups per held activity, and counts the
   SQL queries of the compliance page; then grows to 12 associations and counts again: the count must
   not change;
2. times the compliance page for the current year and for a past year (200 requests each, after 10
   warm-up requests, through Django's test client as federation staff), printing p50 and p95.

Goals: the compliance page under 150 ms (p95); queries independent of the number of associations.
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

GOAL_MS = 150
YEARS = 5
LINES = 12
SIGNUPS = 20
MEMBERS = 600


def configure_database() -> None:
    default = settings.DATABASES["default"]
    sqlite = default["ENGINE"] == "django.db.backends.sqlite3"
    default["TEST"] = {
        "NAME": str(ROOT / "var" / "bench_associations.sqlite3") if sqlite else "unionhub_bench_associations"
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

from associations.models import Activity, ActivityKind, Association, PlannedActivity, SignUp  # noqa: E402
from members.models import Enterprise, GrassrootsUnion, Member  # noqa: E402
from members.validators import id_check_character  # noqa: E402

TODAY = timezone.localdate()
ZONE = timezone.get_current_timezone()
NAMES = [
    "职工健身协会",
    "职工摄影书法协会",
    "职工球类协会",
    "职工棋牌协会",
    "职工歌舞协会",
    "职工垂钓协会",
    "职工刺绣手工协会",
    "职工红娘协会",
    "职工读书协会",
    "职工骑行协会",
    "职工太极拳协会",
    "职工志愿者协会",
]


def members() -> list[int]:
    union = GrassrootsUnion.objects.create(
        code="HN900", name="基准工会", founded_on=datetime.date(2010, 1, 1)
    )
    enterprise = Enterprise.objects.create(
        name="基准有限公司",
        credit_code="91330481MA2000900X",
        union=union,
        size_band="large",
        industry="manufacturing",
        headcount=MEMBERS,
    )
    rows = []
    for n in range(MEMBERS):
        body = f"330481{1970 + n % 30}{1 + n % 12:02d}{1 + n % 28:02d}{n % 1000:03d}"
        rows.append(
            Member(
                name=f"会员{n}",
                id_number=body + id_check_character(body),
                enterprise=enterprise,
                union=union,
                birth_date=datetime.date(1970 + n % 30, 1 + n % 12, 1 + n % 28),
                sex="M" if n % 2 else "F",
                joined_on=datetime.date(2015, 1, 1),
                status_changed_on=datetime.date(2015, 1, 1),
            )
        )
    Member.objects.bulk_create(rows, batch_size=2000)
    return list(Member.objects.values_list("pk", flat=True))


def grow(names: list[str], rng: random.Random, pool: list[int]) -> None:
    """Each association: six years of plans, an activity per line, ~20 sign-ups per held one (in bulk,
    as fixture data)."""
    for name in names:
        association = Association.objects.create(
            name=name, kind="sports", founded_on=datetime.date(2012, 1, 1)
        )
        lines = PlannedActivity.objects.bulk_create(
            [
                PlannedActivity(
                    association=association,
                    year=year,
                    month=month,
                    title=f"{name}活动{month}",
                    kind=ActivityKind.MEETING,
                )
                for year in range(TODAY.year - YEARS, TODAY.year + 1)
                for month in range(1, LINES + 1)
            ]
        )
        activities = []
        for line in lines:
            day = datetime.date(line.year, line.month, rng.randint(1, 28))
            start = datetime.datetime.combine(day, datetime.time(14), tzinfo=ZONE)
            past = day < TODAY
            status = (
                Activity.Status.CANCELLED
                if past and rng.random() < 0.05
                else Activity.Status.HELD
                if past
                else Activity.Status.PLANNED
            )
            activities.append(
                Activity(
                    association=association,
                    planned=line,
                    title=line.title,
                    kind=line.kind,
                    starts_at=start,
                    ends_at=start + datetime.timedelta(hours=2),
                    venue="职工之家",
                    capacity=30,
                    signup_deadline=start - datetime.timedelta(days=2),
                    status=status,
                )
            )
        Activity.objects.bulk_create(activities, batch_size=2000)
        signups = []
        for activity in activities:
            for pk in rng.sample(pool, SIGNUPS):
                held = activity.status == Activity.Status.HELD
                signups.append(
                    SignUp(
                        activity=activity,
                        member_id=pk,
                        status=SignUp.Status.CONFIRMED,
                        attended=(rng.random() < 0.9) if held else None,
                    )
                )
        SignUp.objects.bulk_create(signups, batch_size=5000)


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
        f"UnionHub associations compliance benchmark — database: {connection.vendor} ({Path(name).name})",
        flush=True,
    )
    try:
        rng = random.Random(7)
        pool = members()
        user = get_user_model().objects.create_user(username="assocbench", is_staff=True)
        client = Client()
        client.force_login(user)
        current, past = (
            f"/associations/compliance/?year={TODAY.year}",
            f"/associations/compliance/?year={TODAY.year - 2}",
        )
        grow(NAMES[:2], rng, pool)
        small = (queries(client, current), queries(client, past))
        grow(NAMES[2:], rng, pool)
        large = (queries(client, current), queries(client, past))
        print(
            f"associations: {Association.objects.count()}, plan lines: {PlannedActivity.objects.count():,}, "
            f"activities: {Activity.objects.count():,}, sign-ups: {SignUp.objects.count():,}; "
            f"queries (this year, a past year) with 2: {small}, with 12: {large}",
            flush=True,
        )
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        cur_p50, cur_p95 = timed(client, current)
        past_p50, past_p95 = timed(client, past)
        print(f"compliance page, {TODAY.year}: p50 {cur_p50:.0f} ms, p95 {cur_p95:.0f} ms")
        print(f"compliance page, {TODAY.year - 2}: p50 {past_p50:.0f} ms, p95 {past_p95:.0f} ms")
        worst = max(cur_p95, past_p95)
        print(f"GOAL compliance p95 < {GOAL_MS} ms: {'PASS' if worst < GOAL_MS else 'FAIL'} ({worst:.0f} ms)")
        print(f"GOAL fixed query count: {'PASS' if small == large else 'FAIL'} ({small} → {large})")
    finally:
        connection.creation.destroy_test_db(own_name, verbosity=0)
    return 0


if __name__ == "__main__":
    sys.exit(main())
