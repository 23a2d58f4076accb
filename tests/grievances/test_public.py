"""The worker's public pages: the complaint form takes in a case (number, hashed tracking code shown
once), refuses what is incomplete or unsafe without writing anything, keeps anonymous complainants
anonymous, holds to CSRF, the hourly limits and one case per form; the tracking page shows the
stage and the public replies only, and cannot tell a wrong number from a wrong code."""

import datetime
import re
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from grievances.models import Case, CaseEvent, Evidence
from grievances.services import public
from tests.factories import PDF, PNG, TODAY

pytestmark = pytest.mark.usefixtures("english")

EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\0" * 32
DESCRIPTION = "公司拖欠我们车间十二名工人三个月工资，共计约三万六千元，多次找老板都说再等等。"
CODE_FORMAT = re.compile(r"^[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{4}$")
CSRF_INPUT = re.compile(rb'<input type="hidden" name="csrfmiddlewaretoken" value="[^"]*">')
FORM_URL = "/complaint/"
TRACK_URL = "/complaint/track/"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture(autouse=True)
def empty_cache():
    """Limits and form tokens live in the cache: every test starts with none."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def one_window(monkeypatch):
    """The hourly window held still, so that a test running across the hour counts in one window."""
    window = public._window()
    monkeypatch.setattr(public, "_window", lambda: window)


def data(**changes):
    values = {
        "type": "complaint",
        "category": "wage_arrears",
        "description": DESCRIPTION,
        "employer_name": "甲精密机械有限公司",
        "workers_affected": 12,
        "amount_claimed": Decimal("36000.00"),
        "harm_known_on": TODAY - datetime.timedelta(days=30),
        "employment_ended_on": None,
        "anonymous": False,
        "complainant_name": "王小明",
        "complainant_phone": "13812345678",
        "is_member": True,
        "is_migrant_worker": True,
    }
    values.update(changes)
    return values


def form_post(**changes):
    """The same complaint as the browser sends it."""
    posted = {"form_token": "token-1"}
    for key, value in data(**changes).items():
        if value is None or value is False:
            continue
        posted[key] = "on" if value is True else str(value)
    return posted


def pdf(name="工资条.pdf", content=PDF):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def nothing_written(media_root):
    return (
        Case.objects.count(),
        CaseEvent.objects.count(),
        Evidence.objects.count(),
        [p for p in media_root.rglob("*") if p.is_file()],
    ) == (0, 0, 0, [])


# --- the service --------------------------------------------------------------------------------


class TestSubmit:
    def test_a_complaint_becomes_a_web_case_with_a_hashed_code(self, db, enterprise_a):
        case, code = public.submit_public(data=data(), files=[pdf()])
        case.refresh_from_db()
        assert case.number == f"WQ{TODAY.year}-0001"
        assert case.channel == Case.Channel.WEB and case.stage == Case.Stage.RECEIVED
        assert case.received_on == TODAY and case.enterprise == enterprise_a
        assert (case.category, case.workers_affected, case.amount_claimed) == (
            "wage_arrears",
            12,
            Decimal("36000.00"),
        )
        assert (case.complainant_name, case.complainant_phone) == ("王小明", "13812345678")
        assert case.is_member and case.is_migrant_worker and not case.anonymous
        assert CODE_FORMAT.match(code)
        assert code not in case.tracking_code_hash
        assert case.tracking_code_hash == public.tracking_code_hash(case.number, code)
        [event] = case.events.all()
        assert event.kind == CaseEvent.Kind.NOTE and not event.public
        with translation.override("zh-hans"):
            assert event.text == gettext("Received through the web form.")

    def test_evidence_is_kept_under_a_random_name_with_the_type_its_content_shows(self, db):
        case, _code = public.submit_public(
            data=data(), files=[pdf("王小明工资条.pdf"), pdf("聊天截图.jpg", PNG)]
        )
        first, second = case.evidence.all()
        assert (first.original_name, second.original_name) == ("王小明工资条.pdf", "聊天截图.jpg")
        assert first.from_worker and first.upload.name.endswith(".pdf") and "王小明" not in first.upload.name
        assert second.upload.name.endswith(".png")
        assert first.upload.read() == PDF

    def test_an_employer_not_in_the_registry_is_kept_as_written(self, db, enterprise_a):
        case, _code = public.submit_public(data=data(employer_name="甲精密机械"))
        assert case.enterprise is None and case.employer_name == "甲精密机械"

    def test_numbers_run_per_year(self, db):
        first, _ = public.submit_public(data=data())
        second, _ = public.submit_public(data=data())
        next_year, _ = public.submit_public(
            data=data(harm_known_on=None), on=datetime.date(TODAY.year + 1, 1, 2)
        )
        assert (first.number, second.number) == (f"WQ{TODAY.year}-0001", f"WQ{TODAY.year}-0002")
        assert next_year.number == f"WQ{TODAY.year + 1}-0001"

    def test_the_sequence_continues_from_the_highest_number(self, db):
        public.submit_public(data=data())
        Case.objects.update(number=f"WQ{TODAY.year}-0041")
        assert public.new_case_number(TODAY) == f"WQ{TODAY.year}-0042"

    def test_a_number_taken_meanwhile_is_retried(self, db, monkeypatch):
        taken, _ = public.submit_public(data=data())
        numbers = iter([taken.number, f"WQ{TODAY.year}-0002"])
        monkeypatch.setattr(public, "new_case_number", lambda on: next(numbers))
        case, code = public.submit_public(data=data())
        assert case.number == f"WQ{TODAY.year}-0002"
        assert case.tracking_code_hash == public.tracking_code_hash(case.number, code)

    def test_missing_essentials_are_refused_by_name_and_nothing_is_written(self, db, media):
        incomplete = data(
            category="", description="工资没发", employer_name=" ", complainant_name="", complainant_phone=""
        )
        with pytest.raises(ValidationError) as refused:
            public.submit_public(data=incomplete, files=[pdf()])
        assert refused.value.message_dict == {
            "category": ["Choose what the problem is about."],
            "description": ["Describe what happened in at least 20 characters."],
            "employer_name": ["Name the employer."],
            "complainant_name": ["Give your name, or choose to complain anonymously."],
            "complainant_phone": ["Give a phone number so that the service station can call you back."],
        }
        assert nothing_written(media)

    def test_future_dates_a_negative_amount_and_a_bad_phone_are_refused(self, db, media):
        tomorrow = TODAY + datetime.timedelta(days=1)
        with pytest.raises(ValidationError) as refused:
            public.submit_public(
                data=data(
                    harm_known_on=tomorrow,
                    employment_ended_on=tomorrow,
                    amount_claimed=Decimal("-1"),
                    workers_affected=0,
                    complainant_phone="12345",
                )
            )
        problems = refused.value.message_dict
        assert (
            problems["harm_known_on"]
            == problems["employment_ended_on"]
            == ["The date cannot be in the future."]
        )
        assert problems["amount_claimed"] == ["The amount cannot be negative."]
        assert problems["workers_affected"] == ["At least one worker is affected."]
        assert "landline" in problems["complainant_phone"][0]
        assert nothing_written(media)

    def test_an_anonymous_complaint_needs_no_name_and_keeps_none(self, db):
        case, _code = public.submit_public(
            data=data(anonymous=True, complainant_name="王小明", complainant_phone="")
        )
        assert case.anonymous and case.complainant_name == "" and case.complainant_phone == ""

    def test_an_anonymous_complainant_may_leave_a_phone_for_the_call_back(self, db):
        case, _code = public.submit_public(
            data=data(anonymous=True, complainant_name="", complainant_phone="138 1234 5678")
        )
        assert case.complainant_name == "" and case.complainant_phone == "13812345678"

    def test_an_oversized_file_is_refused_by_name(self, db, media):
        big = pdf("劳动合同.pdf", PDF + b"\0" * (10 * 1024 * 1024))
        with pytest.raises(ValidationError) as refused:
            public.submit_public(data=data(), files=[pdf(), big])
        assert refused.value.message_dict == {"evidence": ["劳动合同.pdf is larger than 10 MB."]}
        assert nothing_written(media)

    def test_a_program_renamed_pdf_is_refused_by_name(self, db, media):
        with pytest.raises(ValidationError) as refused:
            public.submit_public(data=data(), files=[pdf("证据.pdf", EXE)])
        assert refused.value.message_dict == {"evidence": ["证据.pdf is not a PDF, JPEG or PNG file."]}
        assert nothing_written(media)

    def test_too_many_files_are_refused(self, db, media, settings):
        settings.GRIEVANCE_RULES = {"public_max_files": 2}
        with pytest.raises(ValidationError) as refused:
            public.submit_public(data=data(), files=[pdf("1.pdf"), pdf("2.pdf"), pdf("3.pdf")])
        assert refused.value.message_dict == {"evidence": ["At most 2 files can be attached."]}
        assert nothing_written(media)

    def test_a_failure_after_files_were_stored_removes_them(self, db, media, monkeypatch):
        def broken(*args, **kwargs):
            raise RuntimeError("database gone")

        monkeypatch.setattr(Evidence, "save", broken)
        with pytest.raises(RuntimeError):
            public.submit_public(data=data(), files=[pdf()])
        assert nothing_written(media)


class TestTrack:
    def test_the_right_code_finds_the_case_however_it_is_typed(self, db):
        case, code = public.submit_public(data=data())
        assert public.track(case.number, code) == case
        assert public.track(case.number.lower().replace("-", " "), code.lower().replace("-", "")) == case
        full_width = "".join(chr(ord(c) + 0xFEE0) if c != "-" else "－" for c in code)
        assert public.track(case.number, full_width) == case

    def test_a_wrong_code_a_wrong_number_and_a_case_without_a_code_find_nothing(self, db):
        case, code = public.submit_public(data=data())
        other = Case.objects.create(
            number=f"WQ{TODAY.year}-0099",
            channel="hotline",
            category="dismissal",
            employer_name="乙软件有限公司",
            description="被辞退",
            received_on=TODAY,
        )
        assert public.track(case.number, "AAAA-BBBB-CCCC") is None
        assert public.track(f"WQ{TODAY.year}-0500", code) is None
        assert public.track(other.number, "") is None
        assert public.track("", "") is None

    def test_the_public_view_holds_the_stage_and_public_replies_only(self, db, casework_staff):
        case, _code = public.submit_public(data=data())
        now = timezone.now()
        CaseEvent.objects.create(
            case=case, kind="reply", at=now, text="已联系企业，正在核实。", public=True, by=casework_staff
        )
        CaseEvent.objects.create(case=case, kind="note", at=now, text="老板态度强硬", public=True)
        CaseEvent.objects.create(case=case, kind="reply", at=now, text="草稿回复", public=False)
        Case.objects.filter(pk=case.pk).update(stage="closed", closed_on=TODAY, outcome="resolved")
        case.refresh_from_db()
        view = public.public_view(case)
        assert (view.number, view.received_on, view.stage, view.outcome) == (
            case.number,
            TODAY,
            "Closed",
            "Resolved",
        )
        assert view.replies == (
            public.PublicReply(on=timezone.localdate(now), text="已联系企业，正在核实。"),
        )


class TestLimits:
    def test_attempts_are_counted_per_client_up_to_the_rule(self, db, settings, one_window):
        settings.GRIEVANCE_RULES = {"tracking_attempts_per_hour": 2}
        for _ in range(2):
            assert public.retry_after("tracking", "10.0.0.1") is None
            public.count_attempt("tracking", "10.0.0.1")
        assert public.retry_after("tracking", "10.0.0.1") > timezone.now()
        assert public.retry_after("tracking", "10.0.0.2") is None
        assert public.retry_after("submission", "10.0.0.1") is None

    def test_an_ipv6_household_counts_as_one_client(self, db, settings, one_window):
        settings.GRIEVANCE_RULES = {"tracking_attempts_per_hour": 1}
        public.count_attempt("tracking", "2001:db8:1:2::10")
        assert public.retry_after("tracking", "2001:db8:1:2::99") is not None
        assert public.retry_after("tracking", "2001:db8:1:3::10") is None

    def test_a_form_token_is_claimed_once(self, db):
        assert public.claim_form_token("abc") and not public.claim_form_token("abc")
        public.release_form_token("abc")
        assert public.claim_form_token("abc")


# --- the pages ----------------------------------------------------------------------------------


def without_csrf(body: bytes) -> bytes:
    return CSRF_INPUT.sub(b"", body)


class TestComplaintPage:
    def test_the_form_is_public_and_kept_out_of_caches_and_search_engines(self, client, db):
        response = client.get(FORM_URL)
        assert response.status_code == 200
        assert "no-store" in response["Cache-Control"] and response["X-Robots-Tag"] == "noindex"
        page = response.content.decode()
        assert 'name="csrfmiddlewaretoken"' in page and 'name="form_token"' in page
        assert "12351" in page and 'name="anonymous"' in page and 'type="file"' in page and "multiple" in page
        assert reverse("complaint:complaint") == FORM_URL and reverse("complaint:track") == TRACK_URL

    def test_the_navigation_shows_nothing_private(self, client, db):
        page = client.get(FORM_URL).content.decode()
        assert "/cases/" not in page and "/admin/" not in page and "/aid/" not in page

    def test_a_complaint_is_received_and_its_code_shown_once(self, client, db):
        response = client.post(FORM_URL, {**form_post(), "evidence": [pdf(), pdf("截图.png", PNG)]})
        assert response.status_code == 302 and response["Location"] == reverse("complaint:received")
        case = Case.objects.get()
        assert case.channel == "web" and case.evidence.count() == 2
        receipt = client.get(response["Location"])
        assert "no-store" in receipt["Cache-Control"]
        code = re.search(r'id="tracking-code">([^<]+)<', receipt.content.decode())[1]
        assert case.number in receipt.content.decode()
        assert case.tracking_code_hash == public.tracking_code_hash(case.number, code)
        again = client.get(response["Location"]).content.decode()
        assert code not in again and 'id="tracking-code"' not in again and "12351" in again

    def test_missing_essentials_are_shown_and_nothing_is_written(self, client, db, media):
        response = client.post(
            FORM_URL, {**form_post(description="", employer_name="", complainant_phone=""), "evidence": pdf()}
        )
        assert response.status_code == 200
        page = response.content.decode()
        assert 'class="errorbox error-summary"' in page and page.count('class="field has-error"') == 3
        assert 'value="token-1"' in page
        assert nothing_written(media)

    def test_a_refused_file_is_named_on_the_page_and_nothing_is_written(self, client, db, media, settings):
        settings.GRIEVANCE_RULES = {"public_max_file_bytes": 1024}
        response = client.post(
            FORM_URL, {**form_post(), "evidence": [pdf("病历.pdf", PDF + b"\0" * 2048), pdf("合同.pdf", EXE)]}
        )
        assert response.status_code == 200
        page = response.content.decode()
        assert "病历.pdf" in page and "合同.pdf" in page
        assert nothing_written(media)

    def test_an_anonymous_complaint_without_name_or_phone(self, client, db):
        response = client.post(FORM_URL, form_post(anonymous=True, complainant_name="", complainant_phone=""))
        assert response.status_code == 302
        case = Case.objects.get()
        assert case.anonymous and case.complainant_name == "" and case.complainant_phone == ""

    def test_a_form_sent_twice_makes_one_case(self, client, db):
        first = client.post(FORM_URL, form_post())
        second = client.post(FORM_URL, form_post())
        assert first.status_code == second.status_code == 302
        assert second["Location"] == reverse("complaint:received")
        assert Case.objects.count() == 1
        assert 'id="tracking-code"' in client.get(second["Location"]).content.decode()

    def test_a_corrected_form_is_sent_with_the_same_token(self, client, db):
        client.post(FORM_URL, form_post(description=""))
        assert client.post(FORM_URL, form_post()).status_code == 302
        assert Case.objects.count() == 1

    def test_csrf_is_enforced(self, db):
        browser = Client(enforce_csrf_checks=True)
        assert browser.post(FORM_URL, form_post()).status_code == 403
        assert Case.objects.count() == 0
        browser.get(FORM_URL)
        token = browser.cookies["csrftoken"].value
        assert browser.post(FORM_URL, {**form_post(), "csrfmiddlewaretoken": token}).status_code == 302
        assert Case.objects.count() == 1

    def test_submissions_beyond_the_hourly_limit_get_a_polite_429(self, client, db, settings, one_window):
        settings.GRIEVANCE_RULES = {"public_submissions_per_hour": 2}
        for n in range(2):
            assert client.post(FORM_URL, form_post(form_token=f"token-{n}")).status_code == 302
        refused = client.post(FORM_URL, form_post(form_token="token-3"))
        assert refused.status_code == 429 and int(refused["Retry-After"]) > 0
        assert "12351" in refused.content.decode() and refused["X-Robots-Tag"] == "noindex"
        assert Case.objects.count() == 2
        assert client.get(FORM_URL).status_code == 200


class TestTrackPage:
    @pytest.fixture
    def tracked(self, db, casework_staff):
        case, code = public.submit_public(data=data())
        Case.objects.filter(pk=case.pk).update(handler=casework_staff, stage="investigating")
        now = timezone.now()
        CaseEvent.objects.create(
            case=case,
            kind="reply",
            at=now,
            text="已联系企业，正在核实工资发放记录。",
            public=True,
            by=casework_staff,
        )
        CaseEvent.objects.create(
            case=case, kind="note", at=now, text="内部：老板承认拖欠，但要求分期。", by=casework_staff
        )
        return case, code

    def test_the_right_code_shows_the_stage_and_public_replies_only(self, client, tracked, casework_staff):
        case, code = tracked
        response = client.post(TRACK_URL, {"number": case.number, "code": code})
        assert response.status_code == 200
        assert "no-store" in response["Cache-Control"] and response["X-Robots-Tag"] == "noindex"
        page = response.content.decode()
        assert case.number in page and 'id="case-stage"' in page
        assert "已联系企业，正在核实工资发放记录。" in page
        for secret in (
            "内部：老板承认拖欠",
            "Received through the web form",
            "已通过网上投诉表收到",
            casework_staff.name,
            "王小明",
            "13812345678",
            "138****5678",
            DESCRIPTION,
        ):
            assert secret not in page

    def test_a_wrong_code_and_an_unknown_number_get_the_same_page(self, client, tracked):
        case, _code = tracked
        wrong_code = client.post(TRACK_URL, {"number": case.number, "code": "AAAA-BBBB-CCCC"})
        no_case = client.post(TRACK_URL, {"number": f"WQ{TODAY.year}-0777", "code": "AAAA-BBBB-CCCC"})
        assert wrong_code.status_code == no_case.status_code == 200
        assert without_csrf(wrong_code.content) == without_csrf(no_case.content)
        page = wrong_code.content.decode()
        assert 'id="track-result"><div class="errorbox"' in page
        assert (
            f'value="{case.number}"' not in page and "AAAA-BBBB-CCCC" not in page
        )  # nothing typed is echoed

    def test_lookups_beyond_the_hourly_limit_get_a_polite_429(self, client, tracked, settings, one_window):
        settings.GRIEVANCE_RULES = {"tracking_attempts_per_hour": 3}
        case, code = tracked
        for _ in range(3):
            assert (
                client.post(TRACK_URL, {"number": case.number, "code": "AAAA-BBBB-CCCC"}).status_code == 200
            )
        refused = client.post(TRACK_URL, {"number": case.number, "code": code})
        assert refused.status_code == 429 and case.number not in refused.content.decode()

    def test_csrf_is_enforced(self, tracked):
        case, code = tracked
        assert (
            Client(enforce_csrf_checks=True)
            .post(TRACK_URL, {"number": case.number, "code": code})
            .status_code
            == 403
        )
