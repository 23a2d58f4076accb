"""UnionHub benchmark: the tutoring classes (周末、暑期托教辅导班, issue 24) on the demo district.

Run by ``make bench``. On a throw-away database (PostgreSQL ``unionhub_bench_tutoring`` when ``DATABASE_URL``
is set, else ``var/bench_tutoring.sqlite3``):

1. seeds the demo district (186 unions, 40,000 members, three summers of classes with attendance, this year's
   weekend terms, a class open for enrolment; not timed);
2. for the pages people open — the list of classes and the year's figures (staff), a summer class, its roster
   of children and a session's attendance register (the hosting chair, chair1), the dashboard of chair1 (with
   the tutoring to-dos and panel), and the member area's classes and an open class (the demo member of HN001)
   — 5 warm-up requests, then 50 timed ones, p50 and p95 of the server time (Django's test client: the whole
   request and response cycle).

Goals (set here; the issue names none): the member area's pages p95 < 300 ms (its budget, see
unionhub.contributions.member_tile), the staff and chair pages p95 < 500 ms (as benchmarks/oversight.py); chair1's
dashboard, which carries the tutoring to-dos and panel among every other programme's, is printed for information
(its goal is benchmarks/reports.py's). Timings live here, never in tests.
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

MEMBER_GOAL_MS, PAGE_GOAL_MS = 300, 500
WARM, RUNS = 5, 50


def configure_database() -> None:
    default = settings.DATABASES["default"]
    sqlite = default["ENGINE"] == "django.db.backends.sqlite3"
    default["TEST"] = {
        "NAME": str(ROOT / "var" / "bench_tutoring.sqlite3") if sqlite else "unionhub_bench_tutoring"
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

from members import demo  # noqa: E402
from members.demo import demo_members  # noqa: E402
from members.services import member_signin  # noqa: E402
from tutoring.models import Session, TutoringClass  # noqa: E402
from unionhub.middleware import CODE_SESSION_FLAG  # noqa: E402


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


def member_client() -> Client:
    """The demo member of HN001 signed in as a member is: a code session, the privacy notice accepted."""
    user = member_signin.login_for(demo_members()[0])
    member_signin.accept_privacy(user=user)
    client = Client()
    client.force_login(user)
    session = client.session
    session[CODE_SESSION_FLAG] = True
    session.save()
    return client


def pages() -> list[tuple[str, object, str]]:
    """(label, client, url) on the demo's own rows: HN001's latest summer class, its last session, the open class."""
    summer = TutoringClass.objects.filter(union__code="HN001", kind="summer").order_by("-starts_on").first()
    session = Session.objects.filter(tutoring_class=summer).order_by("-date").first()
    open_class = TutoringClass.objects.filter(status="open").order_by("pk").first()
    staff, chair, member = client_for("staff"), client_for("chair1"), member_client()
    return [
        ("tutoring: the classes (staff)", staff, reverse("tutoring:class_list")),
        ("tutoring: figures (staff)", staff, reverse("tutoring:figures")),
        ("tutoring: a summer class (chair1)", chair, reverse("tutoring:class_detail", args=[summer.pk])),
        ("tutoring: its children (chair1)", chair, reverse("tutoring:roster", args=[summer.pk])),
        ("tutoring: a register (chair1)", chair, reverse("tutoring:attendance", args=[session.pk])),
        ("member: classes (/m/tutoring/)", member, reverse("member_tutoring:index")),
        ("member: an open class", member, reverse("member_tutoring:detail", args=[open_class.pk])),
        ("member: home with the tile (/m/)", member, reverse("member_area:home")),
    ]


def main() -> int:
    own_name = connection.settings_dict["NAME"]
    name = connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    print(f"UnionHub tutoring benchmark — database: {connection.vendor} ({Path(name).name})", flush=True)
    try:
        started = time.perf_counter()
        demo.seed()
        print(
            f"demo district seeded in {time.perf_counter() - started:.1f} s (not part of the goal)",
            flush=True,
        )
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        worst = {"member": 0.0, "staff": 0.0}
        for label, client, url in pages():
            p50, p95 = timed(client, url)
            side = "member" if label.startswith("member") else "staff"
            worst[side] = max(worst[side], p95)
            print(f"{label:<36} {url:<34} p50 {p50:5.0f} ms  p95 {p95:5.0f} ms")
        p50, p95 = timed(client_for("chair1"), reverse("dashboard"))
        print(f"{'dashboard (chair1; for information)':<36} {'/':<34} p50 {p50:5.0f} ms  p95 {p95:5.0f} ms")
        for side, goal in (("member", MEMBER_GOAL_MS), ("staff", PAGE_GOAL_MS)):
            print(
                f"GOAL every {side} tutoring page p95 < {goal} ms: "
                f"{'PASS' if worst[side] < goal else 'FAIL'} (slowest {worst[side]:.0f} ms)"
            )
    finally:
        connection.creation.destroy_test_db(own_name, verbosity=0)
    return 0


if __name__ == "__main__":
    sys.exit(main())
