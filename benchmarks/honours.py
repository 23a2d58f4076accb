"""UnionHub benchmark: teams, the 十百千 programme and the federation's own awards (issue 24) on the demo district.

Run by ``make bench``. On a throw-away database (PostgreSQL ``unionhub_bench_honours`` when ``DATABASE_URL`` is
set, else ``var/bench_honours.sqlite3``):

1. seeds the demo district (186 unions, 40,000 members; the honours' four years of rounds, ~440 teams, three
   finished 十百千 years of ~500 honours each and this year's open rounds; not timed);
2. for the issue's pages — the 十百千 programme page of the last finished year (~500 awarded listed) and of
   this year, the public honours page, the teams list (staff and chair1), the national 工人先锋号 team's page,
   the federation's awards and one of them, and the round list — 5 warm-up requests, then 50 timed ones, p50
   and p95 of the server time (Django's test client: the whole request and response cycle); the staff
   dashboard, which carries the programme's tile and to-do source, is printed for information (its goal is
   benchmarks/reports.py's).

Goal (set here; the issue names none): every page p95 < 500 ms. Timings live here, never in tests.
"""

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

PAGE_GOAL_MS = 500
WARM, RUNS = 5, 50


def configure_database() -> None:
    default = settings.DATABASES["default"]
    sqlite = default["ENGINE"] == "django.db.backends.sqlite3"
    default["TEST"] = {
        "NAME": str(ROOT / "var" / "bench_honours.sqlite3") if sqlite else "unionhub_bench_honours"
    }
    settings.ALLOWED_HOSTS = ["testserver"]
    settings.MEDIA_ROOT = ROOT / "var" / "bench-media"


configure_database()
warnings.filterwarnings("ignore", message="No directory at")
django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402

from honours.models import FederationAward, Team  # noqa: E402
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


def pages() -> list[tuple[str, str | None, str]]:
    year = timezone.localdate().year
    pioneer = Team.objects.get(name="装配车间一班")
    award = FederationAward.objects.order_by("-year", "pk").first()
    programme = reverse("honours:programme")
    return [
        (f"十百千 page, {year - 1} (staff)", "staff", f"{programme}?year={year - 1}"),
        (f"十百千 page, {year} (chair1)", "chair1", f"{programme}?year={year}"),
        ("public honours page (anonymous)", None, reverse("honours:public_honours")),
        ("teams list (staff)", "staff", reverse("honours:team_list")),
        ("teams list (chair1)", "chair1", reverse("honours:team_list")),
        ("the 工人先锋号 team (staff)", "staff", reverse("honours:team_detail", args=[pioneer.pk])),
        ("federation's awards (staff)", "staff", reverse("honours:federation_award_list")),
        ("a federation award (staff)", "staff", reverse("honours:federation_award_detail", args=[award.pk])),
        ("award rounds (chair1)", "chair1", reverse("honours:round_list")),
    ]


def main() -> int:
    own_name = connection.settings_dict["NAME"]
    name = connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    print(f"UnionHub honours benchmark — database: {connection.vendor} ({Path(name).name})", flush=True)
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
        worst = 0.0
        for label, who, url in pages():
            p50, p95 = timed(client_for(who), url)
            worst = max(worst, p95)
            print(f"{label:<34} {url:<34} p50 {p50:5.0f} ms  p95 {p95:5.0f} ms")
        p50, p95 = timed(client_for("staff"), reverse("dashboard"))
        print(f"{'dashboard (staff; for information)':<34} {'/':<34} p50 {p50:5.0f} ms  p95 {p95:5.0f} ms")
        print(
            f"GOAL every honours page p95 < {PAGE_GOAL_MS} ms: "
            f"{'PASS' if worst < PAGE_GOAL_MS else 'FAIL'} (slowest {worst:.0f} ms)"
        )
    finally:
        connection.creation.destroy_test_db(own_name, verbosity=0)
    return 0


if __name__ == "__main__":
    sys.exit(main())
