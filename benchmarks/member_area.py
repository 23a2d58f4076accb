"""UnionHub benchmark: the member area (/m/) on a phone, at 40,000 members.

Run by ``make bench``. On a throw-away database (PostgreSQL ``unionhub_bench_members`` when ``DATABASE_URL``
is set, else ``var/bench_members.sqlite3``):

1. seeds the demo district (40,000 members, every programme's demo data; not timed);
2. signs in as the first demo member the way a code sign-in leaves the session;
3. for the home page and every other page of the member area the demo member has (card, activities,
   applications, complaints, membership, notices, rules…): 10 warm-up requests, then 100 timed ones, p50
   and p95 of the server time (Django's test client: the whole request and response cycle, no network);
4. the bytes a phone transfers for each page on a first visit: the HTML plus every stylesheet, script and image
   it links (uncompressed, an upper bound: production serves them gzipped).

Goals (issue 22): home page p95 < 300 ms at 40,000 members; each page < 200 KB transferred.
Timings live here, never in tests.
"""

import os
import re
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

HOME_GOAL_MS, PAGE_GOAL_KB = 300, 200
WARM, RUNS = 10, 100


def configure_database() -> None:
    default = settings.DATABASES["default"]
    sqlite = default["ENGINE"] == "django.db.backends.sqlite3"
    default["TEST"] = {
        "NAME": str(ROOT / "var" / "bench_members.sqlite3") if sqlite else "unionhub_bench_members"
    }
    settings.ALLOWED_HOSTS = ["testserver"]
    settings.MEDIA_ROOT = ROOT / "var" / "bench-media"


configure_database()
warnings.filterwarnings("ignore", message="No directory at")
django.setup()

from django.contrib.staticfiles import finders  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import NoReverseMatch, reverse  # noqa: E402

from members import demo  # noqa: E402
from members.services import member_signin  # noqa: E402
from unionhub.contributions import member_tabs  # noqa: E402
from unionhub.middleware import CODE_SESSION_FLAG  # noqa: E402

ASSET = re.compile(r'(?:href|src)="(/static/[^"]+)"')


def pages() -> list[str]:
    names = ["member_area:home", "member_area:membership", "member_area:me", "member_area:notices"]
    names += [tab.url_name for tab in member_tabs()]
    names += ["member_area:rules"]
    urls = []
    for name in names:
        try:
            urls.append(reverse(name))
        except NoReverseMatch:
            continue
    return list(dict.fromkeys(urls))


def transferred(client: Client, url: str) -> int:
    body = client.get(url).content
    total = len(body)
    for asset in dict.fromkeys(ASSET.findall(body.decode("utf-8", "replace"))):
        path = finders.find(asset.removeprefix(settings.STATIC_URL))
        total += Path(path).stat().st_size if path else 0
    return total


def timed(client: Client, url: str) -> tuple[float, float]:
    for _ in range(WARM):
        client.get(url)
    samples = []
    for _ in range(RUNS):
        began = time.perf_counter()
        response = client.get(url)
        samples.append((time.perf_counter() - began) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    samples.sort()
    return statistics.median(samples), samples[int(len(samples) * 0.95) - 1]


def main() -> int:
    own_name = connection.settings_dict["NAME"]
    name = connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    print(f"UnionHub member area benchmark — database: {connection.vendor} ({Path(name).name})", flush=True)
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
        member = demo.demo_members()[0]
        user = member_signin.login_for(member)
        member_signin.accept_privacy(user=user)
        client = Client()
        client.force_login(user)
        session = client.session
        session[CODE_SESSION_FLAG] = True
        session.save()
        home_p95, heaviest = None, 0
        for url in pages():
            p50, p95 = timed(client, url)
            size = transferred(client, url)
            heaviest = max(heaviest, size)
            if url == reverse("member_area:home"):
                home_p95 = p95
            print(f"{url:<24} p50 {p50:5.0f} ms  p95 {p95:5.0f} ms  {size / 1024:6.1f} KB with its assets")
        print(
            f"GOAL member home p95 < {HOME_GOAL_MS} ms at 40,000 members: "
            f"{'PASS' if home_p95 < HOME_GOAL_MS else 'FAIL'} ({home_p95:.0f} ms)"
        )
        print(
            f"GOAL every member page < {PAGE_GOAL_KB} KB transferred: "
            f"{'PASS' if heaviest < PAGE_GOAL_KB * 1024 else 'FAIL'} (largest {heaviest / 1024:.1f} KB)"
        )
    finally:
        connection.creation.destroy_test_db(own_name, verbosity=0)
    return 0


if __name__ == "__main__":
    sys.exit(main())
