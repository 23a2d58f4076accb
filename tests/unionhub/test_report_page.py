# ruff: noqa: F811 - the report-run fixtures (built, media) are imported and then asked for by name
"""The monthly reports page as staff and chairs use it: the site's buttons, "全区" for the district, a busy
indicator and a row that polls its progress until the report is ready (eagerly or with a worker), and a
notice when last month's district report is missing from the 2nd of the month on, with a button that
produces it once however often it is pressed. Hostile input and other people's reports: 400/404, never 5xx."""

import datetime
import re
import zoneinfo

import pytest
import time_machine
from django.urls import reverse

from tests.unionhub.test_report_runs import APRIL, built, media  # noqa: F401 - fixtures
from unionhub import tasks
from unionhub.models import MonthlyReport
from unionhub.reports import runs

ZONE = zoneinfo.ZoneInfo("Asia/Shanghai")
LIST = reverse("reports:report_list")


def on(day: datetime.date):
    """The project clock on ``day``, mid-morning."""
    return time_machine.travel(datetime.datetime.combine(day, datetime.time(10), tzinfo=ZONE), tick=False)


def page_of(client, user) -> str:
    client.force_login(user)
    response = client.get(LIST)
    assert response.status_code == 200
    return response.content.decode()


def notice(page: str) -> str | None:
    match = re.search(r'<section class="card report-missing".*?</section>', page, re.S)
    return match.group(0) if match else None


class TestLooks:
    def test_the_produce_button_is_the_sites_and_the_district_reads_quanqu(self, client, staff, built):
        runs.produce(month=APRIL)
        page = page_of(client, staff)
        assert re.search(r'<button type="submit" class="button primary">\s*生成报告', page)
        assert '<option value="" selected>全区</option>' in page
        row = page[page.index('id="report-') :]
        assert "全区" in row[: row.index("</tr>")] and "区域概况" not in row[: row.index("</tr>")]
        # The busy indicator and the script that shows it: a file of the site's (no inline script).
        assert 'class="report-busy muted" role="status" hidden' in page
        assert '<script src="/static/js/reports.js" defer></script>' in page

    def test_the_english_label(self, client, staff, settings):
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        assert '<option value="" selected>The whole district</option>' in page_of(client, staff)


class TestProgress:
    def test_eager_the_report_is_ready_when_the_page_comes_back(
        self, client, staff, built, django_capture_on_commit_callbacks
    ):
        client.force_login(staff)
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(LIST, {"month": "2025-04", "union": ""})
        assert response.status_code == 302
        report = MonthlyReport.objects.get()
        assert report.status == MonthlyReport.Status.READY
        page = client.get(LIST).content.decode()
        assert reverse("reports:report_download", args=[report.pk, "pdf"]) in page
        assert "hx-trigger" not in page[page.index(f'id="report-{report.pk}"') :].split("</tr>")[0]

    def test_with_a_worker_the_row_polls_until_the_worker_is_done(
        self, client, staff, built, monkeypatch, django_capture_on_commit_callbacks
    ):
        queued = []
        monkeypatch.setattr(tasks.produce_monthly_report, "delay", lambda pk, **kw: queued.append((pk, kw)))
        client.force_login(staff)
        with django_capture_on_commit_callbacks(execute=True):
            assert client.post(LIST, {"month": "2025-04", "union": ""}).status_code == 302
        report = MonthlyReport.objects.get()
        assert queued == [(report.pk, {"replace": False})]
        progress = reverse("reports:report_progress", args=[report.pk])
        page = client.get(LIST).content.decode()
        assert f'hx-get="{progress}" hx-trigger="every 2s" hx-swap="outerHTML"' in page
        row = client.get(progress).content.decode()
        assert "hx-trigger" in row and '<progress max="100">' in row  # queued: indeterminate

        MonthlyReport.objects.filter(pk=report.pk).update(status=MonthlyReport.Status.RUNNING, progress=50)
        row = client.get(progress).content.decode()
        assert 'value="50"' in row and "50%" in row and "hx-trigger" in row

        assert tasks.produce_monthly_report(report.pk) == MonthlyReport.Status.READY  # the worker
        row = client.get(progress).content.decode()
        assert "hx-trigger" not in row and "<progress" not in row
        assert reverse("reports:report_download", args=[report.pk, "pdf"]) in row

    def test_a_failed_run_shows_its_message_in_the_row(self, client, staff, built):
        report = MonthlyReport.objects.create(
            month=APRIL, status=MonthlyReport.Status.FAILED, message="字体缺失"
        )
        client.force_login(staff)
        row = client.get(reverse("reports:report_progress", args=[report.pk])).content.decode()
        assert "字体缺失" in row and "hx-trigger" not in row


class TestMissingLastMonth:
    @pytest.mark.parametrize(
        ("today", "month"),
        [
            (datetime.date(2026, 12, 2), "2026-11"),  # the 2nd
            (datetime.date(2026, 12, 6), "2026-11"),  # the day the issue was filed
            (datetime.date(2026, 11, 30), "2026-10"),  # a month end
            (datetime.date(2027, 1, 2), "2026-12"),  # January: last month is December of the year before
            (datetime.date(2028, 3, 2), "2028-02"),  # after a leap February
        ],
    )
    def test_says_why_and_offers_to_produce_it(self, client, staff, built, today, month):
        with on(today):
            section = notice(page_of(client, staff))
        assert section is not None, today
        assert f"{month}全区月度报告缺失" in section
        assert "未生成：定时任务未运行" in section
        assert f'<input type="hidden" name="month" value="{month}">' in section
        assert 'class="button primary"' in section

    def test_nothing_on_the_first(self, client, staff, built):
        with on(datetime.date(2026, 12, 1)):
            assert notice(page_of(client, staff)) is None
            assert runs.missing_district_report(datetime.date(2026, 12, 1)) is None

    def test_a_failed_run_is_the_reason(self, client, staff, built):
        MonthlyReport.objects.create(
            month=datetime.date(2026, 11, 1),
            status=MonthlyReport.Status.FAILED,
            scheduled=True,
            message="报告生成失败：缺少字体",
        )
        with on(datetime.date(2026, 12, 6)):
            section = notice(page_of(client, staff))
        assert "报告生成失败：缺少字体" in section and "定时任务未运行" not in section

    @pytest.mark.parametrize("status", ["ready", "queued", "running"])
    def test_nothing_when_it_is_there_or_on_its_way(self, client, staff, built, status):
        MonthlyReport.objects.create(month=datetime.date(2026, 11, 1), status=status)
        with on(datetime.date(2026, 12, 6)):
            assert notice(page_of(client, staff)) is None

    def test_a_unions_report_is_not_the_districts(self, client, staff, built, union_a):
        MonthlyReport.objects.create(month=datetime.date(2026, 11, 1), union=union_a, status="ready")
        with on(datetime.date(2026, 12, 6)):
            assert notice(page_of(client, staff)) is not None

    def test_a_chair_is_not_told(self, client, chair_a, union_a, built):
        with on(datetime.date(2026, 12, 6)):
            assert notice(page_of(client, chair_a)) is None

    def test_pressing_produce_twice_makes_one_run(
        self, client, staff, built, django_capture_on_commit_callbacks
    ):
        with on(datetime.date(2026, 12, 6)):
            client.force_login(staff)  # on that day: a session from the real today may have expired by then
            section = notice(client.get(LIST).content.decode())
            month = re.search(r'name="month" value="([^"]+)"', section).group(1)
            for _ in range(2):
                with django_capture_on_commit_callbacks(execute=True):
                    response = client.post(LIST, {"month": month, "union": ""})
                assert response.status_code == 302
            report = MonthlyReport.objects.get()
            assert (report.month, report.union, report.status) == (datetime.date(2026, 11, 1), None, "ready")
            assert len(built) == 1
            assert notice(client.get(LIST).content.decode()) is None

    def test_pressing_it_while_queued_queues_once(
        self, client, staff, built, monkeypatch, django_capture_on_commit_callbacks
    ):
        queued = []
        monkeypatch.setattr(tasks.produce_monthly_report, "delay", lambda pk, **kw: queued.append(pk))
        with on(datetime.date(2026, 12, 6)):
            client.force_login(staff)
            for _ in range(2):
                with django_capture_on_commit_callbacks(execute=True):
                    client.post(LIST, {"month": "2026-11", "union": ""})
        assert len(queued) == 1 and MonthlyReport.objects.count() == 1


class TestBadInputAndOutsiders:
    @pytest.mark.parametrize(
        "query",
        [
            "?page=-1",
            "?page=abc",
            "?page=" + "9" * 40,
            "?page=1e999",
            "?page=%00",
            "?page=1&page=2",
            "?month=2025-13&union=../../etc",
            "?union=%27%20OR%201%3D1",
        ],
    )
    def test_hostile_query_params_still_show_the_page(self, client, staff, chair_a, union_a, built, query):
        for user in (staff, chair_a):
            client.force_login(user)
            assert client.get(LIST + query).status_code == 200, (user, query)

    @pytest.mark.parametrize(
        "data",
        [
            {"month": "2025-13", "union": ""},
            {"month": "1999-12", "union": ""},
            {"month": "<script>", "union": ""},
            {"month": "2025-04" * 100, "union": ""},
            {"month": "2999-01", "union": ""},
            {"month": "2025-04", "union": "abc"},
            {"month": "2025-04", "union": "99999999999999999999999"},
            {"month": "2025-04", "union": "-1"},
        ],
    )
    def test_bad_requests_are_400_and_queue_nothing(self, client, staff, built, data):
        client.force_login(staff)
        assert client.post(LIST, data).status_code == 400
        assert not MonthlyReport.objects.exists()

    def test_an_empty_post_shows_the_form_again(self, client, staff, built):
        client.force_login(staff)
        assert client.post(LIST, {}).status_code == 200
        assert not MonthlyReport.objects.exists()

    def test_a_forged_report_id_is_404(self, client, staff, built):
        report = runs.produce(month=APRIL)
        client.force_login(staff)
        for url in (
            f"/reports/{report.pk + 1000}/progress/",
            f"/reports/{report.pk + 1000}/pdf/",
            f"/reports/{report.pk}/exe/",
            f"/reports/{report.pk}/xlsx.pdf/",
        ):
            assert client.get(url).status_code == 404, url
        assert client.post(reverse("reports:report_progress", args=[report.pk])).status_code == 405

    def test_a_chair_may_not_ask_for_the_district(self, client, chair_a, union_a, built):
        district = runs.produce(month=APRIL)
        client.force_login(chair_a)
        assert client.get(reverse("reports:report_progress", args=[district.pk])).status_code == 404
        assert client.get(reverse("reports:report_download", args=[district.pk, "pdf"])).status_code == 404
        # A chair must name their union: the district (an empty scope) is refused, nothing is produced.
        assert client.post(LIST, {"month": "2025-05", "union": ""}).status_code == 400
        assert not MonthlyReport.objects.filter(month=datetime.date(2025, 5, 1)).exists()

    def test_another_unions_chair_gets_404_for_its_status(self, client, chair_b, union_a, union_b, built):
        report = runs.produce(month=APRIL, union=union_a)
        client.force_login(chair_b)
        assert client.get(reverse("reports:report_progress", args=[report.pk])).status_code == 404

    def test_an_outsider_is_refused(self, client, outsider, built):
        report = runs.produce(month=APRIL)
        client.force_login(outsider)
        assert client.get(LIST).status_code == 403
        assert client.get(reverse("reports:report_progress", args=[report.pk])).status_code == 403
        assert client.post(LIST, {"month": "2025-04", "union": ""}).status_code == 403
