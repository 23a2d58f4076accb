"""UnionHub benchmark: issuing and rendering completion certificates, as one Celery worker does.

Run by ``make bench``. In one process, on a throw-away database (PostgreSQL
``unionhub_bench_certificates`` when ``DATABASE_URL`` is set, else ``var/bench_certificates.sqlite3``):

1. creates 100 secondment terms ending in February 2026, each with duty days attended and a
   passed end-of-term assessment (through the real services);
2. times ``issue_for_month`` — what the batch task runs — issuing and rendering all 100
   certificates with WeasyPrint (the first render includes loading the CJK fonts, as a fresh
   worker's would);
3. prints the rate and the process's peak memory (``ru_maxrss``), and removes the PDFs.

Goal: at least 5 certificates a second on one worker. Timings live here, never in tests: these
machines are noisy. A failed goal is printed as FAIL; the exit code stays 0 (this is a measurement).
"""

import datetime
import logging
import os
import resource
import shutil
import sys
import tempfile
import time
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ["DJANGO_SETTINGS_MODULE"] = "unionhub.settings.test"

import django  # noqa: E402
from django.conf import settings  # noqa: E402

TERMS = 100
RATE_GOAL = 5.0
TERM_START = datetime.date(2025, 3, 1)  # ends 2026-02-28
ISSUED_ON = datetime.date(2026, 3, 2)


def configure() -> Path:
    default = settings.DATABASES["default"]
    sqlite = default["ENGINE"] == "django.db.backends.sqlite3"
    default["TEST"] = {
        "NAME": str(ROOT / "var" / "bench_certificates.sqlite3") if sqlite else "unionhub_bench_certificates"
    }
    # The PDFs go to a directory of their own, removed at the end.
    media = Path(tempfile.mkdtemp(prefix="bench-certificates-", dir=ROOT / "var"))
    settings.MEDIA_ROOT = media
    return media


MEDIA = configure()
warnings.filterwarnings("ignore", message="No directory at")
django.setup()
# WeasyPrint logs each rendering step at INFO: 700 lines that would bury the figures.
logging.getLogger("weasyprint").setLevel(logging.WARNING)

from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection  # noqa: E402

from members.models import GrassrootsUnion  # noqa: E402
from secondment import services  # noqa: E402
from secondment.models import DutyDay, DutyLog  # noqa: E402
from secondment.rules import cycle_start  # noqa: E402
from secondment.services.certificates import issue_for_month  # noqa: E402

SURNAMES, GIVEN = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗", "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超霞平刚"


def create_terms(count: int) -> None:
    user_model = get_user_model()
    staff = user_model.objects.create_user(
        username="bench-staff", is_staff=True, is_superuser=True, name="基准测试员"
    )
    union = GrassrootsUnion.objects.create(
        code="HNBENCH", name="海宁基准精密有限公司工会委员会", founded_on=datetime.date(2010, 1, 1)
    )
    duty_dates = [TERM_START + datetime.timedelta(days=14 * n + 1) for n in range(4)]
    for n in range(count):
        name = SURNAMES[n % 20] + GIVEN[n // 20 % 20] + GIVEN[(n * 7) % 20]
        cadre = user_model.objects.create_user(username=f"bench-cadre-{n}", name=name)
        term = services.start_term(cadre=cadre, union=union, start_date=TERM_START)
        for day in duty_dates:
            duty = DutyDay.objects.create(term=term, date=day, cycle_start=cycle_start(day))
            DutyLog.objects.create(
                duty_day=duty,
                arrived_at=datetime.time(9),
                left_at=datetime.time(17),
                activities=["office_duty"],
                status=DutyLog.Status.CONFIRMED,
            )
        services.assess(
            by=staff, term=term, kind="end", tasks_score=80 + n % 20, evaluation_score=85, on=term.end_date
        )


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> int:
    own_name = connection.settings_dict["NAME"]
    name = connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    print(f"UnionHub certificate benchmark — database: {connection.vendor} ({Path(name).name})", flush=True)
    try:
        create_terms(TERMS)
        started = time.perf_counter()
        outcome = issue_for_month(2026, 2, on=ISSUED_ON)
        elapsed = time.perf_counter() - started
        issued = len(outcome.issued)
        if issued != TERMS or outcome.skipped:
            raise RuntimeError(
                f"expected {TERMS} certificates, issued {issued}, skipped {len(outcome.skipped)}"
            )
        size = sum(Path(c.pdf.path).stat().st_size for c in outcome.issued) / issued
        per_second = issued / elapsed
        print(
            f"issued and rendered {issued} certificates in {elapsed:.1f} s "
            f"({1000 * elapsed / issued:.0f} ms each, {size / 1024:.0f} KB a PDF)",
            flush=True,
        )
        print(f"peak memory of this process (ru_maxrss): {peak_mb():.0f} MB", flush=True)
        print(
            f"GOAL certificates ≥ {RATE_GOAL:.0f} per second on one worker: "
            f"{'PASS' if per_second >= RATE_GOAL else 'FAIL'} ({per_second:.1f} per second)"
        )
    finally:
        connection.creation.destroy_test_db(own_name, verbosity=0)
        shutil.rmtree(MEDIA, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
