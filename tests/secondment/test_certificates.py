"""Completion certificates: eligibility, numbering, idempotent issue, the PDF's content and fonts,
the monthly command and task, the pages and who may see them, and the public verification page."""

import datetime
import io
import re
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from auditlog.models import LogEntry
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.db import connection
from django.urls import reverse
from django.utils import translation
from fontTools.ttLib import TTFont

from secondment import services
from secondment.models import Certificate, DutyDay, DutyLog
from secondment.rules import cycle_start
from secondment.services import certificates
from secondment.services.certificates import issue_certificate, render_certificate
from secondment.tasks import issue_certificates_for_month
from unionhub.certificates import federation_name
from unionhub.masking import mask_name

TERM_START = datetime.date(2025, 3, 1)  # the term's last day is 2026-02-28
ISSUED_ON = datetime.date(2026, 3, 2)

RANDOM_PDF = r"[A-Za-z0-9_-]{22}\.pdf"


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def graduate(make_user, union_a, staff):
    """A cadre of union A whose term ran from 2025-03-01 to 2026-02-28, who attended ``attended`` of
    their four duty days and was assessed at the end with these scores (``None``: not assessed)."""

    def _graduate(username, name, *, scores=(90, 90), attended=4, start=TERM_START):
        user = make_user(username, name=name)
        term = services.start_term(cadre=user, union=union_a, start_date=start)
        for n in range(4):
            day = start + datetime.timedelta(days=14 * n + 1)
            duty = DutyDay.objects.create(term=term, date=day, cycle_start=cycle_start(day))
            if n < attended:
                DutyLog.objects.create(
                    duty_day=duty,
                    arrived_at=datetime.time(9),
                    left_at=datetime.time(17),
                    activities=["office_duty"],
                    status=DutyLog.Status.CONFIRMED,
                )
        if scores:
            services.assess(
                by=staff,
                term=term,
                kind="end",
                tasks_score=scores[0],
                evaluation_score=scores[1],
                on=term.end_date,
            )
        return term

    return _graduate


@pytest.fixture
def term_excellent(graduate):
    return graduate("grad1", "王小明")  # 40 + 27 + 27 = 94: excellent


@pytest.fixture
def term_pass(graduate):
    return graduate("grad2", "欧阳春晓", scores=(70, 70))  # 40 + 21 + 21 = 82: pass


def pdf_text(path) -> str:
    return subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


def pdf_fonts(path) -> list[str]:
    listing = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    return [line.split()[0] for line in listing.splitlines()[2:]]


def font_cmap(family: str) -> set[int]:
    located = subprocess.run(
        ["fc-match", "-f", "%{file}:%{index}", family], capture_output=True, text=True, check=True
    ).stdout
    file, index = located.rsplit(":", 1)
    return set(TTFont(file, fontNumber=int(index), lazy=True).getBestCmap())


def squeezed(text: str) -> str:
    return "".join(text.split())


class TestEligibilityAndNumbering:
    def test_numbers_follow_the_year_of_issue(self, term_excellent, term_pass, graduate):
        first = issue_certificate(term_excellent, on=ISSUED_ON)
        second = issue_certificate(term_pass, on=ISSUED_ON)
        next_year = issue_certificate(graduate("grad3", "赵敏"), on=datetime.date(2027, 1, 4))
        assert [first.number, second.number, next_year.number] == [
            "SG-2026-0001",
            "SG-2026-0002",
            "SG-2027-0001",
        ]
        assert (first.grade, second.grade) == ("excellent", "pass")
        assert first.issued_on == ISSUED_ON and first.token != second.token

    def test_sequence_continues_from_the_highest_number(self, term_excellent, term_pass):
        Certificate.objects.create(term=term_pass, number="SG-2026-0041", issued_on=ISSUED_ON, grade="pass")
        assert issue_certificate(term_excellent, on=ISSUED_ON).number == "SG-2026-0042"

    def test_issuing_again_returns_the_same_certificate(self, term_excellent):
        first = issue_certificate(term_excellent, on=ISSUED_ON)
        again = issue_certificate(term_excellent, on=datetime.date(2026, 4, 1))
        assert again.pk == first.pk and again.number == first.number
        assert Certificate.objects.count() == 1

    def test_a_number_taken_meanwhile_is_not_reused(self, term_excellent, term_pass, monkeypatch):
        """Another process took the number between our read and our write: the unique constraint
        refuses the duplicate and the number is allocated again."""
        issue_certificate(term_pass, on=ISSUED_ON)  # SG-2026-0001
        real = certificates._next_sequence
        answers = iter([1])  # a stale read first

        def stale_then_real(year):
            return next(answers, None) or real(year)

        monkeypatch.setattr(certificates, "_next_sequence", stale_then_real)
        assert issue_certificate(term_excellent, on=ISSUED_ON).number == "SG-2026-0002"

    # serialized_rollback: start from the migrated data (calendar, groups), as a transactional test
    # after the browser tests would otherwise find the database flushed.
    @pytest.mark.django_db(transaction=True, serialized_rollback=True)
    def test_concurrent_issues_never_share_a_number(self, graduate):
        """Six requests at once for four terms (two of them twice): four certificates, four numbers."""
        terms = [graduate(f"par{n}", f"并发{n}") for n in range(4)]
        requests = terms + terms[:2]
        barrier = threading.Barrier(len(requests))
        numbers, errors = {}, []

        def issue(n, term):
            try:
                barrier.wait(timeout=10)
                numbers[n] = (term.pk, issue_certificate(term, on=ISSUED_ON).number)
            except Exception as error:  # reported by the assertion below
                errors.append(error)
            finally:
                connection.close()

        threads = [threading.Thread(target=issue, args=(n, term)) for n, term in enumerate(requests)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert errors == []
        by_term = {}
        for term_pk, number in numbers.values():
            by_term.setdefault(term_pk, set()).add(number)
        assert all(len(issued) == 1 for issued in by_term.values()) and len(by_term) == 4
        assert sorted(Certificate.objects.values_list("number", flat=True)) == [
            "SG-2026-0001",
            "SG-2026-0002",
            "SG-2026-0003",
            "SG-2026-0004",
        ]

    def test_issuing_is_audited(self, term_excellent, staff):
        certificate = issue_certificate(term_excellent, on=ISSUED_ON, by=staff)
        entry = LogEntry.objects.get_for_object(certificate).get()
        assert entry.actor == staff and entry.action == LogEntry.Action.CREATE

    @pytest.mark.usefixtures("english")
    def test_ineligible_terms_are_refused_with_the_reason(self, graduate, staff):
        not_assessed = graduate("grad4", "孙丽", scores=None)
        failed = graduate("grad5", "周强", attended=1)  # 25% attendance: fail
        ended = graduate("grad6", "吴杰")
        services.end_early(by=staff, term=ended, last_day=datetime.date(2025, 9, 30), reason="调回原单位")
        for term, reason in (
            (not_assessed, "no end-of-term assessment"),
            (failed, "was failed"),
            (ended, "ended early"),
        ):
            with pytest.raises(ValidationError, match=reason):
                issue_certificate(term, on=ISSUED_ON)
        assert not Certificate.objects.exists()

    @pytest.mark.parametrize(
        "name, masked", [("王小明", "王*明"), ("欧阳春晓", "欧**晓"), ("王明", "王*"), ("王", "*")]
    )
    def test_names_are_masked_for_the_public(self, name, masked):
        assert mask_name(name) == masked


class TestPdf:
    def test_the_certificate_says_who_what_and_when_in_chinese_with_no_missing_glyph(self, term_excellent):
        certificate = issue_certificate(term_excellent, on=ISSUED_ON)
        path = Path(render_certificate(certificate))
        # Stored under a random name (unionhub.storage): a certificate's number is guessable.
        assert path.is_absolute() and path.is_file() and re.fullmatch(RANDOM_PDF, path.name)
        certificate.refresh_from_db()
        assert Path(certificate.pdf.path) == path

        text = squeezed(pdf_text(path))
        expected = [
            "结业证书",
            "王小明",
            "甲公司工会委员会",
            federation_name(),
            "2025年3月1日至2026年2月28日",
            "成绩优秀",
            "准予结业",
            "SG-2026-0001",
            "2026年3月2日",
            certificate.get_verify_url(),
        ]
        for phrase in expected:
            assert phrase in text, phrase

        # Only the Noto CJK fonts are embedded (no fallback font stood in for a missing glyph),
        # and every character printed is in the font's character map.
        fonts = pdf_fonts(path)
        assert fonts and all("Noto-Serif-CJK-SC" in font or "Noto-Sans-CJK-SC" in font for font in fonts)
        cmap = font_cmap("Noto Serif CJK SC")
        assert {char for char in text if ord(char) not in cmap} == set()

    def test_rendering_again_replaces_the_file(self, term_excellent):
        certificate = issue_certificate(term_excellent, on=ISSUED_ON)
        first = render_certificate(certificate)
        second = render_certificate(certificate)
        # A new random name each time; the earlier file is gone.
        assert first != second and not Path(first).exists()
        assert sorted(p.name for p in Path(first).parent.iterdir()) == [Path(second).name]


@pytest.fixture
def february(graduate, staff):
    """Terms ending in February 2026: two eligible, one not assessed, one failed, one ended early
    (on 2026-02-10), and one eligible term ending in March (not part of the batch)."""
    graduate("feb1", "王小明")
    graduate("feb2", "欧阳春晓", scores=(70, 70))
    graduate("feb3", "孙丽", scores=None)
    graduate("feb4", "周强", attended=1)
    ended = graduate("feb5", "吴杰", start=datetime.date(2025, 3, 15))
    services.end_early(by=staff, term=ended, last_day=datetime.date(2026, 2, 10), reason="调回原单位")
    graduate("mar1", "赵敏", start=datetime.date(2025, 4, 1))


class TestCommand:
    def run(self, month="2026-02"):
        out, err = io.StringIO(), io.StringIO()
        with translation.override("en"):
            call_command("issue_certificates", month=month, stdout=out, stderr=err)
        return out.getvalue().splitlines(), err.getvalue().splitlines()

    def test_issues_renders_and_prints_one_line_per_certificate(self, february, media_root):
        lines, problems = self.run()
        numbers = [line.split(" ", 1)[0] for line in lines]
        assert numbers == sorted(numbers) and len(numbers) == 2 and len(set(numbers)) == 2
        for line in lines:
            number, path = line.split(" ", 1)
            assert Path(path).is_absolute() and Path(path).is_file()
            assert Path(path).is_relative_to(media_root) and re.fullmatch(RANDOM_PDF, Path(path).name)
            assert number not in path
        assert Certificate.objects.count() == 2
        assert len(problems) == 3
        reasons = "\n".join(problems)
        assert "孙丽" in reasons and "no end-of-term assessment" in reasons
        assert "周强" in reasons and "was failed" in reasons
        assert "吴杰" in reasons and "ended early" in reasons

    def test_running_again_prints_the_same_lines_and_renders_only_missing_files(self, february, monkeypatch):
        lines, _problems = self.run()
        first_path = Path(lines[0].split(" ", 1)[1])
        first_path.unlink()
        rendered = []
        real_render = certificates.render_certificate
        monkeypatch.setattr(
            certificates, "render_certificate", lambda c: rendered.append(c.number) or real_render(c)
        )
        again, _problems = self.run()
        # The missing file is rendered again, under a new random name; the other line is unchanged.
        assert again[1:] == lines[1:] and again[0].split(" ", 1)[0] == lines[0].split(" ", 1)[0]
        assert rendered == [lines[0].split(" ", 1)[0]] and Path(again[0].split(" ", 1)[1]).is_file()
        assert Certificate.objects.count() == 2

    @pytest.mark.parametrize("bad", ["2026-13", "02-2026", "next month", "2026"])
    def test_a_bad_month_is_explained(self, db, bad):
        with pytest.raises(CommandError, match="YYYY-MM") as raised:
            self.run(bad)
        assert raised.value.returncode == 2

    def test_a_bad_month_exits_2_without_a_traceback(self):
        finished = subprocess.run(
            [sys.executable, "manage.py", "issue_certificates", "--month", "2026-13"],
            cwd=settings.BASE_DIR,
            capture_output=True,
            text=True,
            env={
                "DJANGO_SETTINGS_MODULE": "unionhub.settings.test",
                "PATH": "/usr/bin:/bin",
                "LANGUAGE": "en",
            },
        )
        assert finished.returncode == 2
        assert "YYYY-MM" in finished.stderr or "2026-03" in finished.stderr
        assert "Traceback" not in finished.stderr and finished.stdout == ""


class TestTasks:
    def test_monthly_task_counts_and_is_safe_to_run_twice(self, february, monkeypatch):
        monkeypatch.setattr(certificates, "render_certificate", lambda c: "/dev/null")
        assert issue_certificates_for_month.delay(2026, 2).get() == {"issued": 2, "existing": 0, "skipped": 3}
        assert issue_certificates_for_month.delay(2026, 2).get() == {"issued": 0, "existing": 2, "skipped": 3}
        assert Certificate.objects.count() == 2


@pytest.fixture
def issued(term_excellent, monkeypatch):
    """Union A's graduate (王小明, account grad1) with a certificate; PDFs are not rendered unless a
    test asks for one."""
    return issue_certificate(term_excellent, on=ISSUED_ON)


class TestPages:
    def test_staff_see_every_certificate_and_the_terms_awaiting_one(self, login, staff, issued, term_pass):
        response = login(staff).get(reverse("secondment:certificate_list"))
        assert response.status_code == 200
        assert issued.number.encode() in response.content
        assert [term.pk for term in response.context["awaiting"]] == [term_pass.pk]

    def test_staff_filter_by_year_and_month(self, login, staff, issued):
        url = reverse("secondment:certificate_list")
        assert list(login(staff).get(url, {"year": 2026, "month": 3}).context["page"]) == [issued]
        assert list(login(staff).get(url, {"year": 2026, "month": 4}).context["page"]) == []

    def test_a_cadre_sees_only_their_own(self, login, issued, term_pass, make_user):
        other = issue_certificate(term_pass, on=ISSUED_ON)
        response = login(issued.term.cadre).get(reverse("secondment:certificate_list"))
        assert list(response.context["page"]) == [issued]
        assert other.number.encode() not in response.content
        assert "awaiting" not in response.context

    @pytest.mark.parametrize("who", ["chair_a", "outsider"])
    def test_the_list_is_not_for_other_roles(self, login, request, db, who):
        assert (
            login(request.getfixturevalue(who)).get(reverse("secondment:certificate_list")).status_code == 403
        )

    def test_staff_issue_one_and_a_double_submit_is_harmless(
        self, login, staff, term_excellent, django_capture_on_commit_callbacks
    ):
        client = login(staff)
        url = reverse("secondment:certificate_issue", args=[term_excellent.pk])
        with django_capture_on_commit_callbacks(execute=True):  # the PDF is rendered after commit
            assert client.post(url).status_code == 302
            assert client.post(url).status_code == 302
        certificate = Certificate.objects.get()
        assert certificate.term == term_excellent and Path(certificate.pdf.path).is_file()

    @pytest.mark.parametrize("who", ["cadre_a", "chair_a", "outsider"])
    def test_only_staff_issue(self, login, request, db, who, term_excellent):
        client = login(request.getfixturevalue(who))
        response = client.post(reverse("secondment:certificate_issue", args=[term_excellent.pk]))
        assert response.status_code == 403 and not Certificate.objects.exists()

    @pytest.mark.usefixtures("english")
    def test_issuing_an_ineligible_term_says_why(self, login, staff, graduate):
        term = graduate("grad7", "钱多", scores=None)
        client = login(staff)
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        response = client.post(reverse("secondment:certificate_issue", args=[term.pk]), follow=True)
        assert b"no end-of-term assessment" in response.content and not Certificate.objects.exists()

    def test_the_batch_form_runs_the_task(self, login, staff, february, monkeypatch):
        monkeypatch.setattr(certificates, "render_certificate", lambda c: "/dev/null")
        client = login(staff)
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        response = client.post(reverse("secondment:certificate_batch"), {"month": "2026-02"}, follow=True)
        assert b"Certificates issued: 2; already issued: 0; not eligible: 3." in response.content
        assert Certificate.objects.count() == 2

    def test_a_bad_batch_month_is_a_form_error(self, login, staff):
        client = login(staff)
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        response = client.post(reverse("secondment:certificate_batch"), {"month": "2026-13"})
        assert response.status_code == 200 and b"YYYY-MM" in response.content

    def test_batch_progress_polls_until_the_task_is_done(self, login, staff, monkeypatch):
        from secondment.views import certificates as views

        class FakeResult:
            backend = object()

            def __init__(self, task_id):
                self.state, self.info = states[task_id]
                self.result = self.info

            def ready(self):
                return self.state in ("SUCCESS", "FAILURE")

            def failed(self):
                return self.state == "FAILURE"

            def successful(self):
                return self.state == "SUCCESS"

        running, finished = "5f0e8d8e-0000-4000-8000-000000000001", "5f0e8d8e-0000-4000-8000-000000000002"
        states = {
            running: ("PROGRESS", {"done": 3, "total": 12}),
            finished: ("SUCCESS", {"issued": 10, "existing": 0, "skipped": 2}),
        }
        monkeypatch.setattr(views, "AsyncResult", FakeResult)
        client = login(staff)
        response = client.get(reverse("secondment:certificate_batch_progress", args=[running]))
        assert response.context["batch"]["percent"] == 25 and "HX-Refresh" not in response
        assert b"hx-trigger" in response.content
        response = client.get(reverse("secondment:certificate_batch_progress", args=[finished]))
        assert response["HX-Refresh"] == "true" and b"hx-trigger" not in response.content

    def test_the_holder_and_staff_download_the_pdf_rendered_on_demand(self, login, issued, staff):
        assert not issued.pdf
        for user in (issued.term.cadre, staff):
            response = login(user).get(reverse("secondment:certificate_download", args=[issued.pk]))
            assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
            assert b"".join(response.streaming_content).startswith(b"%PDF")
        issued.refresh_from_db()
        assert re.fullmatch(r"certificates/2026/" + RANDOM_PDF, issued.pdf.name)

    @pytest.mark.parametrize("who", ["cadre_a", "chair_a", "outsider"])
    def test_nobody_else_can_download_it(self, login, request, db, who, issued):
        response = login(request.getfixturevalue(who)).get(
            reverse("secondment:certificate_download", args=[issued.pk])
        )
        assert response.status_code == 404

    def test_downloading_needs_a_login(self, client, issued):
        response = client.get(reverse("secondment:certificate_download", args=[issued.pk]))
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


class TestVerification:
    def test_a_genuine_certificate_shows_the_masked_name_only(self, client, issued):
        response = client.get(issued.get_verify_url())
        assert response.status_code == 200
        content = response.content.decode()
        for shown in ("SG-2026-0001", "王*明", "甲公司工会委员会", "2025-03-01", "2026-02-28"):
            assert shown in content
        assert "王小明" not in content and "grad1" not in content
        assert response.context["certificate"].revoked is False

    def test_a_revoked_certificate_says_so(self, client, issued):
        Certificate.objects.filter(pk=issued.pk).update(revoked=True)
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        response = client.get(issued.get_verify_url())
        assert response.status_code == 200 and b"has been revoked" in response.content

    def test_a_wrong_token_is_a_404_with_a_clear_message(self, client, issued):
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        response = client.get(reverse("secondment:certificate_verify", args=[issued.token[:-2] + "xx"]))
        assert response.status_code == 404
        assert b"No certificate matches this link" in response.content and b"SG-2026" not in response.content


class TestRevoke:
    def test_staff_revoke_with_a_reason_and_the_verify_page_says_so(self, client, staff, issued, cadre_a):
        url = reverse("secondment:certificate_revoke", args=[issued.pk])
        client.force_login(cadre_a)
        assert client.post(url, {"reason": "误发"}).status_code == 403
        client.force_login(staff)
        client.post(url, {"reason": "  "})
        issued.refresh_from_db()
        assert not issued.revoked
        client.post(url, {"reason": "考核结果更正，证书误发"})
        client.post(url, {"reason": "再次提交"})  # a double submit changes nothing more
        issued.refresh_from_db()
        assert issued.revoked
        entries = LogEntry.objects.get_for_object(issued).filter(action=LogEntry.Action.UPDATE)
        assert entries.count() == 1 and entries.get().additional_data["reason"] == "考核结果更正，证书误发"
        page = client.get(issued.get_verify_url()).content.decode()
        assert "撤销" in page
