"""UnionHub benchmark: oversight and information work (issue 23) on the demo district.

Run by ``make bench``. On a throw-away database (PostgreSQL ``unionhub_bench_oversight`` when ``DATABASE_URL``
is set, else ``var/bench_oversight.sqlite3``):

1. seeds the demo district (186 unions, 40,000 members, three years of audits, a year of news, twelve
   office meetings; not timed);
2. times ``audit_plan``'s proposal for next year (the rotation and every risk signal over all unions), 5 runs;
3. for the pages people open most — the audit team's district view, the public news list, an article, the
   feeds, the information-work ranking, the meetings list and a meeting — 5 warm-up requests, then 50 timed
   ones, p50 and p95 of the server time (Django's test client: the whole request and response cycle); the staff
   dashboard, which now carries issue 23's to-do sources and panels, is printed for information (its goal is
   benchmarks/reports.py's).

Goals (set here; the issue names none): every page p95 < 500 ms; the year's plan proposed in < 5 s.
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

PAGE_GOAL_MS, PLAN_GOAL_S = 500, 5
WARM, RUNS = 5, 50


def configure_database() -> None:
    default = settings.DATABASES["default"]
    sqlite = default["ENGINE"] == "django.db.backends.sqlite3"
    default["TEST"] = {
        "NAME": str(ROOT / "var" / "bench_oversight.sqlite3") if sqlite else "unionhub_bench_oversight"
    }
    settings.ALLOWED_HOSTS = ["testserver"]
    settings.MEDIA_ROOT = ROOT / "var" / "bench-media"


configure_database()
warnings.filterwarnings("ignore", message="No directory at")
django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402

from audits.models import Audit  # noqa: E402
from meetings.models import Meeting  # noqa: E402
from members import demo  # noqa: E402
from news.models import NewsItem  # noqa: E402


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
    """(label, who, url) for the pages measured, on the demo's own rows: the newest published article, the
    latest audit of union HN001, the latest meeting."""
    article = NewsItem.objects.published().order_by("-published_at").first()
    audit = Audit.objects.filter(union__code="HN001").order_by("-plan__year").first()
    meeting = Meeting.objects.order_by("-date").first()
    return [
        ("audits: district view (auditor)", "auditor", reverse("audits:district")),
        ("audits: one audit (auditor)", "auditor", reverse("audits:detail", args=[audit.pk])),
        ("audits: the chair's audits (chair1)", "chair1", reverse("audits:mine")),
        ("news: public list (anonymous)", None, reverse("news:list")),
        ("news: an article (anonymous)", None, reverse("news:article", args=[article.pk])),
        ("news: RSS feed (anonymous)", None, reverse("news:feed_rss")),
        ("news: the ranking (staff)", "staff", reverse("news:ranking")),
        ("meetings: the list (staff)", "staff", reverse("meetings:meeting_list")),
        ("meetings: a meeting (staff)", "staff", reverse("meetings:meeting_detail", args=[meeting.pk])),
        ("meetings: my tasks (cadre)", "cadre", reverse("meetings:task_list") + "?mine=1"),
    ]


def main() -> int:
    own_name = connection.settings_dict["NAME"]
    name = connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    print(f"UnionHub oversight benchmark — database: {connection.vendor} ({Path(name).name})", flush=True)
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
        year = timezone.localdate().year + 1
        runs = []
        for _ in range(5):
            began = time.perf_counter()
            call_command("audit_plan", year=year, stdout=io.StringIO())
            runs.append(time.perf_counter() - began)
        plan_p50, plan_worst = statistics.median(runs), max(runs)
        print(f"audit_plan --year {year}: median {plan_p50:.2f} s, slowest {plan_worst:.2f} s")
        worst = 0.0
        for label, who, url in pages():
            p50, p95 = timed(client_for(who), url)
            worst = max(worst, p95)
            print(f"{label:<38} {url:<26} p50 {p50:5.0f} ms  p95 {p95:5.0f} ms")
        # The staff dashboard now carries issue 23's to-do sources and panels too; its goal is reports.py's.
        p50, p95 = timed(client_for("staff"), reverse("dashboard"))
        print(
            f"{'dashboard (staff, every duty; for information)':<38} {'/':<26} p50 {p50:5.0f} ms  p95 {p95:5.0f} ms"
        )
        print(
            f"GOAL every oversight page p95 < {PAGE_GOAL_MS} ms: "
            f"{'PASS' if worst < PAGE_GOAL_MS else 'FAIL'} (slowest {worst:.0f} ms)"
        )
        print(
            f"GOAL the year's audit plan proposed in < {PLAN_GOAL_S} s: "
            f"{'PASS' if plan_worst < PLAN_GOAL_S else 'FAIL'} (slowest {plan_worst:.2f} s)"
        )
    finally:
        connection.creation.destroy_test_db(own_name, verbosity=0)
    return 0


if __name__ == "__main__":
    sys.exit(main())
