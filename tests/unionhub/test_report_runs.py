"""Monthly reports: producing them once, on request, on schedule (with catch-up) and from the command line,
and who may see and download them. The figures and renderers are stubbed so that these tests are about
the runs; one test uses the real ones when they exist."""

import datetime
import importlib
import io
import re
import sys
import types
import zipfile
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from kombu.exceptions import OperationalError

import unionhub.reports
from unionhub import tasks
from unionhub.models import MonthlyReport, Notice
from unionhub.reports import runs, services
from unionhub.reports.base import Report, Section

pytestmark = pytest.mark.usefixtures("english")

APRIL = datetime.date(2025, 4, 1)


def _workbook_stub() -> bytes:
    """The smallest zip the upload policy takes for a workbook: stored files get the extension of their
    content, so the stub must look like an .xlsx to be stored as one."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
    return buffer.getvalue()


XLSX_STUB = _workbook_stub()
# Stored names are random (unionhub.storage): the folder is the report's, the extension its content's.
STORED = r"reports/2025-04/{scope}/[A-Za-z0-9_-]{{22}}\.{ext}"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def built(db, monkeypatch):
    """Stub figures and renderers; returns the months built, in order."""
    calls = []

    def build_report(month, union=None):
        calls.append((month, union))
        return Report(
            month=month, union=union, title="test", sections=[Section(key="membership", title="Membership")]
        )

    figures = types.SimpleNamespace(build_report=build_report)
    render = types.SimpleNamespace(
        render_pdf=lambda report: b"%PDF-1.4 stub", render_xlsx=lambda report: XLSX_STUB
    )
    monkeypatch.setattr(unionhub.reports, "figures", figures, raising=False)
    monkeypatch.setattr(unionhub.reports, "render", render, raising=False)
    monkeypatch.setitem(sys.modules, "unionhub.reports.figures", figures)
    monkeypatch.setitem(sys.modules, "unionhub.reports.render", render)
    return calls


@pytest.fixture
def ready(built, union_a):
    """A ready district report and a ready report for union A, both for April 2025."""
    return runs.produce(month=APRIL), runs.produce(month=APRIL, union=union_a)


class TestProduce:
    def test_produces_both_files_and_reports_progress(self, built, staff):
        steps = []
        report = runs.produce(month=datetime.date(2025, 4, 17), by=staff, progress=steps.append)
        assert report.status == MonthlyReport.Status.READY
        assert report.month == APRIL and report.union is None and report.requested_by == staff
        assert steps == [10, 50, 90, 100]
        assert report.progress == 100 and report.finished_at
        assert Path(report.pdf.path).read_bytes() == b"%PDF-1.4 stub"
        assert Path(report.xlsx.path).read_bytes() == XLSX_STUB
        assert re.fullmatch(STORED.format(scope="district", ext="pdf"), report.pdf.name)
        assert re.fullmatch(STORED.format(scope="district", ext="xlsx"), report.xlsx.name)

    def test_a_ready_report_is_returned_unchanged_unless_replaced(self, built, union_a):
        first = runs.produce(month=APRIL, union=union_a)
        again = runs.produce(month=APRIL, union=union_a)
        assert again.pk == first.pk
        assert (again.pdf.name, again.xlsx.name, again.finished_at) == (
            first.pdf.name,
            first.xlsx.name,
            first.finished_at,
        )
        assert len(built) == 1

        replaced = runs.produce(month=APRIL, union=union_a, replace=True)
        assert replaced.pk == first.pk and len(built) == 2
        # A new file under a new random name: the replaced one was removed before the new one was stored.
        assert replaced.pdf.name != first.pdf.name and Path(replaced.pdf.path).exists()
        assert replaced.finished_at >= first.finished_at
        assert sorted(p.name for p in Path(replaced.pdf.path).parent.iterdir()) == sorted(
            [
                Path(replaced.pdf.name).name,
                Path(replaced.xlsx.name).name,
            ]
        )
        assert MonthlyReport.objects.count() == 1

    def test_a_failure_is_recorded_and_raised(self, built, monkeypatch):
        def broken(report):
            raise RuntimeError("no fonts")

        monkeypatch.setattr(unionhub.reports.render, "render_pdf", broken)
        with pytest.raises(RuntimeError):
            runs.produce(month=APRIL)
        report = MonthlyReport.objects.get()
        assert report.status == MonthlyReport.Status.FAILED
        assert "no fonts" in report.message and report.progress == 10

    def test_with_the_real_figures_and_renderers(self, union_a):
        try:
            importlib.import_module("unionhub.reports.figures")
            importlib.import_module("unionhub.reports.render")
        except ImportError as error:
            pytest.skip(f"figures or renderers not available yet: {error}")
        report = runs.produce(month=APRIL, union=union_a)
        assert report.status == MonthlyReport.Status.READY
        assert Path(report.pdf.path).read_bytes().startswith(b"%PDF")
        assert Path(report.xlsx.path).read_bytes().startswith(b"PK")


# The task is queued on commit, and views run outside a transaction (ATOMIC_REQUESTS is off): these tests
# commit too, so that the task runs (eagerly) or the broker fails while the request is being answered.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
class TestRequest:
    def test_runs_the_task_and_is_ready(self, built, staff, union_a):
        report = services.request_report(by=staff, month=APRIL, union=union_a)
        assert report.status == MonthlyReport.Status.READY and report.requested_by == staff
        again = services.request_report(by=staff, month=APRIL, union=union_a)
        assert again.pk == report.pk and len(built) == 1

    def test_a_chair_may_not_ask_for_another_unions_or_the_districts(self, built, chair_a, union_b):
        from django.core.exceptions import PermissionDenied

        with pytest.raises(PermissionDenied):
            services.request_report(by=chair_a, month=APRIL, union=union_b)
        with pytest.raises(PermissionDenied):
            services.request_report(by=chair_a, month=APRIL)

    def test_a_future_month_is_refused(self, built, staff):
        with pytest.raises(ValidationError, match="this month or an earlier one"):
            services.request_report(by=staff, month=datetime.date(2999, 1, 1))

    @pytest.mark.parametrize("error", [OperationalError("Connection refused"), ConnectionRefusedError(111)])
    def test_broker_down_leaves_nothing_queued(self, built, staff, monkeypatch, error):
        def delay(*args, **kwargs):
            raise error

        monkeypatch.setattr(tasks.produce_monthly_report, "delay", delay)
        with pytest.raises(ValidationError) as raised:
            services.request_report(by=staff, month=APRIL)
        assert (
            "the background worker cannot be reached; try again later or ask the administrator"
            in raised.value.messages[0].lower()
        )
        assert not MonthlyReport.objects.exists()

    def test_broker_down_on_replace_keeps_the_ready_report(self, ready, staff, monkeypatch):
        district, _ = ready

        def delay(*args, **kwargs):
            raise OperationalError("down")

        monkeypatch.setattr(tasks.produce_monthly_report, "delay", delay)
        with pytest.raises(ValidationError):
            services.request_report(by=staff, month=APRIL, replace=True)
        district.refresh_from_db()
        assert district.status == MonthlyReport.Status.READY and district.pdf
        assert not MonthlyReport.objects.filter(status=MonthlyReport.Status.QUEUED).exists()

    def test_a_failure_while_eager_leaves_a_failed_row_not_an_error(self, built, staff, monkeypatch):
        def broken(report):
            raise RuntimeError("no fonts")

        monkeypatch.setattr(unionhub.reports.render, "render_xlsx", broken)
        report = services.request_report(by=staff, month=APRIL)
        assert report.status == MonthlyReport.Status.FAILED and "no fonts" in report.message

    def test_the_task_run_twice_does_nothing_more(self, built, staff):
        report = services.request_report(by=staff, month=APRIL)
        assert tasks.produce_monthly_report(report.pk) is None
        assert len(built) == 1


class TestScheduledRun:
    def test_produces_the_previous_month_and_notifies_staff_once(
        self, built, staff, aid_staff, chair_a, make_user, mailoutbox
    ):
        make_user("former", is_staff=True, is_active=False)
        reports = runs.scheduled_run(today=datetime.date(2025, 5, 1))
        assert [(r.month, r.union_id, r.status, r.scheduled) for r in reports] == [
            (APRIL, None, MonthlyReport.Status.READY, True)
        ]
        notices = Notice.objects.order_by("user__username")
        assert [n.user for n in notices] == [aid_staff, staff]
        assert notices[0].url == reverse("reports:report_download", args=[reports[0].pk, "pdf"])
        assert "2025-04" in notices[0].title

        runs.scheduled_run(today=datetime.date(2025, 5, 1))
        assert Notice.objects.count() == 2 and len(built) == 1
        assert MonthlyReport.objects.count() == 1

    def test_catches_up_missed_months_oldest_first(self, built, staff):
        runs.produce(month=datetime.date(2025, 1, 1))
        built.clear()
        reports = runs.scheduled_run(today=datetime.date(2025, 4, 1))
        assert [r.month for r in reports] == [datetime.date(2025, 2, 1), datetime.date(2025, 3, 1)]
        assert [month for month, _ in built] == [datetime.date(2025, 2, 1), datetime.date(2025, 3, 1)]
        assert Notice.objects.filter(user=staff).count() == 2

    def test_catch_up_is_limited_to_twelve_months(self, built, staff):
        runs.produce(month=datetime.date(2020, 1, 1))
        built.clear()
        reports = runs.scheduled_run(today=datetime.date(2025, 5, 1))
        assert len(reports) == 12
        assert reports[0].month == datetime.date(2024, 5, 1) and reports[-1].month == APRIL

    def test_the_task_runs_it(self, built, staff, monkeypatch):
        monkeypatch.setattr(runs.timezone, "localdate", lambda: datetime.date(2025, 5, 3))
        assert tasks.monthly_reports() == ["2025-04: ready"]


class TestCommand:
    def test_prints_the_two_paths(self, built, union_a, capsys):
        call_command("monthly_report", "--month", "2025-04", "--union", "HN001")
        lines = capsys.readouterr().out.split()
        assert len(lines) == 2
        assert lines[0].endswith(".pdf") and lines[1].endswith(".xlsx")
        assert all(Path(line).is_absolute() and Path(line).exists() for line in lines)

    @pytest.mark.parametrize(
        "args", [["--month", "2025-13"], ["--month", "April"], ["--month", "2025-04", "--union", "NOPE"]]
    )
    def test_bad_input_exits_2_with_a_sentence(self, built, db, args):
        with pytest.raises(CommandError) as raised:
            call_command("monthly_report", *args)
        assert raised.value.returncode == 2
        assert "YYYY-MM" in str(raised.value) or "No union has the code NOPE" in str(raised.value)
        assert not MonthlyReport.objects.exists()


class TestAccess:
    @pytest.fixture
    def union_b_report(self, built, union_b):
        return runs.produce(month=APRIL, union=union_b)

    def test_anonymous_is_sent_to_log_in(self, client, ready):
        for url in (
            reverse("reports:report_list"),
            reverse("reports:report_download", args=[ready[0].pk, "pdf"]),
        ):
            response = client.get(url)
            assert response.status_code == 302 and reverse("login") in response["Location"]

    def test_outsider_is_refused(self, client, outsider, ready):
        client.force_login(outsider)
        assert client.get(reverse("reports:report_list")).status_code == 403
        assert client.get(reverse("reports:report_download", args=[ready[1].pk, "pdf"])).status_code == 403

    def test_staff_see_and_download_every_report(self, client, staff, ready, union_b_report):
        client.force_login(staff)
        page = client.get(reverse("reports:report_list"))
        assert page.status_code == 200
        assert len(page.context["reports"]) == 3
        for report in (*ready, union_b_report):
            for kind in ("pdf", "xlsx"):
                response = client.get(reverse("reports:report_download", args=[report.pk, kind]))
                assert response.status_code == 200
                assert b"".join(response.streaming_content) in (b"%PDF-1.4 stub", XLSX_STUB)
        assert client.get(reverse("reports:report_download", args=[ready[0].pk, "doc"])).status_code == 404

    def test_a_chair_sees_only_their_unions_reports(self, client, chair_a, ready, union_b_report):
        district, own = ready
        client.force_login(chair_a)
        page = client.get(reverse("reports:report_list"))
        assert page.status_code == 200
        assert [r.pk for r in page.context["reports"]] == [own.pk]
        assert client.get(reverse("reports:report_download", args=[own.pk, "pdf"])).status_code == 200
        for report in (district, union_b_report):
            assert client.get(reverse("reports:report_download", args=[report.pk, "pdf"])).status_code == 404
            assert client.get(reverse("reports:report_progress", args=[report.pk])).status_code == 404

    def test_a_chair_requests_their_unions_report(self, client, chair_a, union_a, union_b, built):
        client.force_login(chair_a)
        response = client.post(reverse("reports:report_list"), {"month": "2025-04", "union": union_a.pk})
        assert response.status_code == 302
        assert MonthlyReport.objects.get().union == union_a
        response = client.post(reverse("reports:report_list"), {"month": "2025-04", "union": union_b.pk})
        assert response.status_code == 400
        assert MonthlyReport.objects.count() == 1

    @pytest.mark.django_db(transaction=True, serialized_rollback=True)
    def test_broker_down_shows_the_message_on_the_page(self, client, staff, built, monkeypatch):
        def delay(*args, **kwargs):
            raise OperationalError("down")

        monkeypatch.setattr(tasks.produce_monthly_report, "delay", delay)
        client.force_login(staff)
        response = client.post(reverse("reports:report_list"), {"month": "2025-04", "union": ""})
        assert response.status_code == 400
        assert "background worker" in response.content.decode() or "后台" in response.content.decode()
        assert not MonthlyReport.objects.exists()

    def test_the_progress_row_polls_while_queued(self, client, staff, built):
        report = MonthlyReport.objects.create(month=APRIL, status=MonthlyReport.Status.RUNNING, progress=50)
        client.force_login(staff)
        response = client.get(reverse("reports:report_progress", args=[report.pk]))
        assert response.status_code == 200
        assert b"hx-trigger" in response.content and b'value="50"' in response.content
        report.status = MonthlyReport.Status.READY
        report.save()
        assert b"hx-trigger" not in client.get(reverse("reports:report_progress", args=[report.pk])).content

    def test_the_list_page_query_count_does_not_grow(
        self, client, staff, ready, union_b_report, django_assert_max_num_queries
    ):
        client.force_login(staff)
        with django_assert_max_num_queries(12):
            assert client.get(reverse("reports:report_list")).status_code == 200
