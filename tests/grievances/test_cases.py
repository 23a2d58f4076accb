"""Casework: intake, routing, the stage table (every forbidden move refused and nothing written),
closing, the legal-aid test at its boundaries, and confidentiality per role — casework staff, the
handler, the chair of the union asked to help, cadres, staff without the casework duty, outsiders."""

import datetime
import itertools
import re
from decimal import Decimal

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from grievances import services
from grievances.models import Case, CaseEvent, Evidence
from tests.factories import TODAY, make_id
from unionhub.models import Notice

pytestmark = pytest.mark.usefixtures("english")

Stage = Case.Stage
NAME, PHONE, ID_NUMBER = "王小明", "13812345678", "330481197001011237"


@pytest.fixture
def intake(db):
    def _intake(by, **fields):
        values = {
            "channel": "hotline",
            "type": "complaint",
            "category": "wage_arrears",
            "description": f"{NAME}说公司拖欠三个月工资，电话{PHONE}。",
            "employer_name": "甲精密机械有限公司",
            "complainant_name": NAME,
            "complainant_phone": PHONE,
            "complainant_id_number": ID_NUMBER,
            "amount_claimed": Decimal("12000.00"),
        }
        values.update(fields)
        return services.open_case(by=by, **values)

    return _intake


@pytest.fixture
def case(intake, casework_staff, enterprise_a):
    return intake(casework_staff, enterprise=enterprise_a)


def at_stage(case: Case, stage: str, by) -> Case:
    """The case walked to ``stage`` along allowed moves, all today."""
    if stage == Stage.CLOSED:
        return services.close(
            by=by, case=case, outcome="withdrawn", amount_recovered=None, other_outcome="", satisfaction=None
        )
    path = {
        Stage.RECEIVED: [],
        Stage.ACCEPTED: [Stage.ACCEPTED],
        Stage.INVESTIGATING: [Stage.ACCEPTED, Stage.INVESTIGATING],
        Stage.MEDIATION: [Stage.ACCEPTED, Stage.MEDIATION],
        Stage.ARBITRATION: [Stage.ACCEPTED, Stage.ARBITRATION],
        Stage.LITIGATION: [Stage.ACCEPTED, Stage.ARBITRATION, Stage.LITIGATION],
    }[stage]
    for step in path:
        case = services.change_stage(by=by, case=case, to=step)
    return case


def snapshot(case: Case) -> tuple:
    case.refresh_from_db()
    fields = [f.attname for f in Case._meta.concrete_fields if f.attname != "updated_at"]
    return (
        tuple(getattr(case, f) for f in fields),
        CaseEvent.objects.filter(case=case).count(),
        LogEntry.objects.count(),
    )


# --- intake --------------------------------------------------------------------------------------


class TestOpenCase:
    def test_casework_staff_open_a_case_with_a_number_and_a_timeline_entry(
        self, case, casework_staff, member_a
    ):
        assert case.number.startswith(f"WQ{TODAY.year}-")
        assert case.received_by == casework_staff and case.received_on == TODAY
        assert case.handling_due is not None
        assert case.events.get().kind == CaseEvent.Kind.STAGE

    def test_a_matching_member_record_is_linked(self, intake, casework_staff, member_a):
        case = intake(casework_staff)
        assert case.member == member_a and case.is_member

    def test_a_cadre_on_duty_opens_a_case_and_then_sees_it(self, intake, cadre):
        case = intake(cadre, channel="walk_in")
        assert Case.objects.visible_to(cadre).filter(pk=case.pk).exists()

    @pytest.mark.parametrize("who", ["staff", "chair_a", "outsider"])
    def test_others_cannot_open_cases(self, intake, request, db, who):
        with pytest.raises(PermissionDenied):
            intake(request.getfixturevalue(who))
        assert not Case.objects.exists()

    def test_a_wrong_id_number_is_refused_with_its_fault(self, intake, casework_staff):
        with pytest.raises(ValidationError) as error:
            intake(casework_staff, complainant_id_number=ID_NUMBER[:-1] + "0")
        # It says the number fails its check, and never which last character would pass (issue 18).
        assert "fails its check" in " ".join(error.value.messages)
        assert not Case.objects.exists()

    def test_future_dates_and_negative_amounts_are_refused(self, intake, casework_staff):
        tomorrow = TODAY + datetime.timedelta(days=1)
        with pytest.raises(ValidationError) as error:
            intake(casework_staff, harm_known_on=tomorrow, received_on=tomorrow, amount_claimed=Decimal("-1"))
        assert set(error.value.message_dict) == {"harm_known_on", "received_on", "amount_claimed"}
        assert not Case.objects.exists()

    def test_a_name_is_needed_unless_the_case_is_anonymous(self, intake, casework_staff):
        with pytest.raises(ValidationError):
            intake(casework_staff, complainant_name="")
        assert intake(casework_staff, complainant_name="", anonymous=True).anonymous


# --- stages --------------------------------------------------------------------------------------


class TestTransitions:
    @pytest.mark.parametrize(("start", "to"), list(itertools.product(Stage.values, Stage.values)))
    def test_the_table_is_enforced(self, case, casework_staff, start, to):
        case = at_stage(case, start, casework_staff)
        allowed = to in services.TRANSITIONS[start]
        before = snapshot(case)

        def move():
            if to == Stage.CLOSED:
                return services.close(
                    by=casework_staff,
                    case=case,
                    outcome="withdrawn",
                    amount_recovered=None,
                    other_outcome="",
                    satisfaction=None,
                )
            return services.change_stage(by=casework_staff, case=case, to=to)

        if allowed:
            assert move().stage == to
        else:
            with pytest.raises(ValidationError):
                move()
            assert snapshot(case) == before

    def test_each_stage_records_its_date(self, intake, casework_staff):
        case = intake(casework_staff, received_on=TODAY - datetime.timedelta(days=5))
        day = TODAY - datetime.timedelta(days=3)
        case = services.change_stage(by=casework_staff, case=case, to=Stage.ACCEPTED, on=day)
        case = services.change_stage(by=casework_staff, case=case, to=Stage.ARBITRATION)
        assert (case.accepted_on, case.arbitration_applied_on) == (day, TODAY)

    def test_a_date_before_the_current_stage_or_in_the_future_is_refused(self, case, casework_staff):
        case = services.change_stage(by=casework_staff, case=case, to=Stage.ACCEPTED)
        for day in (TODAY - datetime.timedelta(days=1), TODAY + datetime.timedelta(days=1)):
            with pytest.raises(ValidationError):
                services.change_stage(by=casework_staff, case=case, to=Stage.INVESTIGATING, on=day)
        case.refresh_from_db()
        assert case.stage == Stage.ACCEPTED

    def test_mediation_without_agreement_opens_arbitration(self, case, casework_staff):
        case = services.change_stage(
            by=casework_staff, case=at_stage(case, Stage.MEDIATION, casework_staff), to=Stage.ARBITRATION
        )
        assert case.mediation_agreed is False

    def test_an_agreement_in_mediation_closes_the_case_resolved(self, case, casework_staff):
        case = services.close(
            by=casework_staff,
            case=at_stage(case, Stage.MEDIATION, casework_staff),
            outcome="resolved",
            amount_recovered=Decimal("12000.00"),
            other_outcome="",
            satisfaction=5,
        )
        assert (case.stage, case.mediation_agreed, case.closed_on) == (Stage.CLOSED, True, TODAY)

    def test_a_case_not_accepted_cannot_be_closed_as_resolved(self, case, casework_staff):
        with pytest.raises(ValidationError):
            services.close(
                by=casework_staff,
                case=case,
                outcome="resolved",
                amount_recovered=None,
                other_outcome="",
                satisfaction=None,
            )
        assert (
            services.close(
                by=casework_staff,
                case=case,
                outcome="not_upheld",
                amount_recovered=None,
                other_outcome="",
                satisfaction=None,
            ).outcome
            == "not_upheld"
        )

    def test_a_cadre_who_only_took_the_case_in_cannot_move_it(self, intake, cadre):
        case = intake(cadre)
        with pytest.raises(PermissionDenied):
            services.change_stage(by=cadre, case=case, to=Stage.ACCEPTED)


class TestClose:
    @pytest.mark.parametrize(
        ("outcome", "amount", "satisfaction"),
        [
            ("", None, None),
            ("resolved", Decimal("-0.01"), None),
            ("resolved", None, 0),
            ("resolved", None, 6),
        ],
    )
    def test_refused_and_nothing_written(self, case, casework_staff, outcome, amount, satisfaction):
        case = at_stage(case, Stage.ACCEPTED, casework_staff)
        before = snapshot(case)
        with pytest.raises(ValidationError):
            services.close(
                by=casework_staff,
                case=case,
                outcome=outcome,
                amount_recovered=amount,
                other_outcome="",
                satisfaction=satisfaction,
            )
        assert snapshot(case) == before

    @pytest.mark.parametrize("satisfaction", [1, 5])
    def test_satisfaction_from_one_to_five(self, case, casework_staff, satisfaction):
        case = services.close(
            by=casework_staff,
            case=at_stage(case, Stage.ACCEPTED, casework_staff),
            outcome="resolved",
            amount_recovered=Decimal("0.00"),
            other_outcome="补签合同",
            satisfaction=satisfaction,
        )
        assert (case.satisfaction, case.amount_recovered) == (satisfaction, Decimal("0.00"))


class TestArbitrationAndPetitions:
    def test_acceptance_extension_and_award(self, case, casework_staff):
        case = at_stage(case, Stage.ARBITRATION, casework_staff)
        case = services.record_arbitration(
            by=casework_staff, case=case, accepted_on=TODAY, extended=True, award_on=TODAY
        )
        assert (case.arbitration_accepted_on, case.arbitration_extended, case.award_on) == (
            TODAY,
            True,
            TODAY,
        )

    def test_an_award_without_acceptance_or_outside_arbitration_is_refused(self, case, casework_staff):
        with pytest.raises(ValidationError):
            services.record_arbitration(
                by=casework_staff, case=case, accepted_on=TODAY, extended=False, award_on=None
            )
        case = at_stage(case, Stage.ARBITRATION, casework_staff)
        with pytest.raises(ValidationError):
            services.record_arbitration(
                by=casework_staff, case=case, accepted_on=None, extended=False, award_on=TODAY
            )

    def test_a_petition_is_extended_once(self, intake, casework_staff):
        petition = at_stage(intake(casework_staff, channel="petition"), Stage.ACCEPTED, casework_staff)
        assert services.extend_petition(by=casework_staff, case=petition).petition_extended
        with pytest.raises(ValidationError, match="only once"):
            services.extend_petition(by=casework_staff, case=petition)

    def test_only_an_accepted_petition_is_extended(self, case, intake, casework_staff):
        with pytest.raises(ValidationError):
            services.extend_petition(by=casework_staff, case=intake(casework_staff, channel="petition"))
        with pytest.raises(ValidationError):
            services.extend_petition(by=casework_staff, case=at_stage(case, Stage.ACCEPTED, casework_staff))


# --- routing -------------------------------------------------------------------------------------


class TestAssign:
    @pytest.mark.parametrize("who", ["staff", "chair_a", "outsider"])
    def test_someone_without_the_casework_role_is_refused(self, case, casework_staff, request, db, who):
        with pytest.raises(ValidationError, match="does not have the casework role"):
            services.assign(
                by=casework_staff, case=case, handler=request.getfixturevalue(who), difficulty="ordinary"
            )
        case.refresh_from_db()
        assert case.handler is None

    def test_a_cadre_is_assigned_and_notified_without_the_identity(self, case, casework_staff, cadre):
        case = services.assign(by=casework_staff, case=case, handler=cadre, difficulty="difficult")
        assert case.handler == cadre and case.handling_due is not None
        notice = Notice.objects.get(user=cadre)
        assert notice.url == case.get_absolute_url() and case.number in notice.title
        assert NAME not in notice.title + notice.body and PHONE not in notice.body

    def test_only_casework_staff_assign(self, case, cadre):
        with pytest.raises(PermissionDenied):
            services.assign(by=cadre, case=case, handler=cadre, difficulty="ordinary")


# --- legal aid -----------------------------------------------------------------------------------


class TestLegalAid:
    @pytest.mark.parametrize(
        ("claim", "income", "migrant", "category", "qualifies"),
        [
            ("999.99", "0.00", False, "dismissal", False),
            ("1000.00", "0.00", False, "dismissal", True),
            ("1000.00", "2490.00", False, "dismissal", False),  # at the minimum wage: not below it
            ("1000.00", "2489.99", False, "dismissal", True),
            ("1000.00", "9000.00", True, "wage_arrears", True),  # migrants' wage arrears skip the income test
            ("1000.00", "9000.00", True, "work_injury", True),
            ("1000.00", "9000.00", True, "dismissal", False),
            ("1000.00", "9000.00", False, "wage_arrears", False),
            ("999.99", "0.00", True, "wage_arrears", False),  # ...but not the claim test
        ],
    )
    def test_the_test_at_its_boundaries(self, claim, income, migrant, category, qualifies):
        case = Case(
            amount_claimed=Decimal(claim),
            household_income=Decimal(income),
            is_migrant_worker=migrant,
            category=category,
        )
        assert services.legal_aid_qualifies(case) is qualifies

    def test_unknown_income_is_undecided(self):
        assert (
            services.legal_aid_qualifies(Case(amount_claimed=Decimal("5000"), category="dismissal")) is None
        )

    def test_recorded_with_the_result(self, case, casework_staff):
        case = services.record_legal_aid(
            by=casework_staff,
            case=case,
            household_income=Decimal("1200.00"),
            legal_aid="court",
            lawyer="陈律师",
        )
        assert (case.legal_aid_qualifies, case.legal_aid, case.lawyer) == (True, "court", "陈律师")

    def test_representation_needs_the_test_met_advice_does_not(self, intake, casework_staff):
        case = intake(casework_staff, amount_claimed=Decimal("500.00"))
        with pytest.raises(ValidationError, match="Only legal advice"):
            services.record_legal_aid(
                by=casework_staff,
                case=case,
                household_income=Decimal("100.00"),
                legal_aid="arbitration",
                lawyer="陈律师",
            )
        case.refresh_from_db()
        assert case.legal_aid == "" and case.household_income is None
        case = services.record_legal_aid(
            by=casework_staff, case=case, household_income=Decimal("100.00"), legal_aid="advice", lawyer=""
        )
        assert (case.legal_aid_qualifies, case.legal_aid) == (False, "advice")


# --- confidentiality and scope -----------------------------------------------------------------


def page(client, user, url):
    client.force_login(user)
    return client.get(url)


def assert_no_identity(html: str):
    for secret in (NAME, PHONE, ID_NUMBER, "王*明", "138****5678"):
        assert secret not in html


class TestConfidentiality:
    def test_casework_staff_see_it_masked_until_they_reveal_it_and_each_reveal_is_logged(
        self, client, case, casework_staff
    ):
        html = page(client, casework_staff, case.get_absolute_url()).content.decode()
        assert "王*明" in html and "138****5678" in html
        for secret in (NAME, PHONE, ID_NUMBER):
            assert secret not in html
        url = reverse("grievances:case_identity", args=[case.pk])
        for n in (1, 2):
            response = client.post(url, HTTP_HX_REQUEST="true")
            assert response.status_code == 200 and response["Cache-Control"] == "no-store"
            assert NAME in response.content.decode() and ID_NUMBER in response.content.decode()
            assert (
                LogEntry.objects.filter(
                    action=LogEntry.Action.ACCESS, object_pk=str(case.pk), actor=casework_staff
                ).count()
                == n
            )

    def test_without_htmx_the_reveal_shows_the_whole_page(self, client, case, casework_staff):
        client.force_login(casework_staff)
        response = client.post(reverse("grievances:case_identity", args=[case.pk]))
        assert response.status_code == 200 and PHONE in response.content.decode()

    def test_the_handler_sees_the_identity_unless_the_case_is_anonymous(
        self, client, intake, case, casework_staff, cadre
    ):
        services.assign(by=casework_staff, case=case, handler=cadre, difficulty="ordinary")
        client.force_login(cadre)
        assert NAME in client.post(reverse("grievances:case_identity", args=[case.pk])).content.decode()
        hidden = intake(casework_staff, anonymous=True)
        services.assign(by=casework_staff, case=hidden, handler=cadre, difficulty="ordinary")
        response = client.get(hidden.get_absolute_url())
        assert response.status_code == 200
        assert_no_identity(response.content.decode())
        assert client.post(reverse("grievances:case_identity", args=[hidden.pk])).status_code == 403

    def test_the_helping_chair_sees_the_case_never_the_identity(
        self, client, case, casework_staff, chair_a, union_a
    ):
        services.add_event(by=casework_staff, case=case, kind="call", text=f"致电{NAME}（{PHONE}）核实")
        services.ask_union_to_help(by=casework_staff, case=case, union=union_a)
        notice = Notice.objects.get(user=chair_a)
        assert_no_identity(notice.title + notice.body)
        response = page(client, chair_a, case.get_absolute_url())
        html = response.content.decode()
        assert response.status_code == 200 and case.number in html and "拖欠三个月工资" in html
        assert_no_identity(html)
        assert "致电" not in html  # the caseworkers' notes about the worker are not theirs to read
        listing = client.get(reverse("grievances:case_list")).content.decode()
        assert case.number in listing
        assert_no_identity(listing)
        assert client.post(reverse("grievances:case_identity", args=[case.pk])).status_code == 403
        assert (
            client.post(reverse("grievances:case_stage", args=[case.pk]), {"to": "accepted"}).status_code
            == 403
        )

    def test_the_helping_chair_adds_internal_notes_only(self, case, casework_staff, chair_a, union_a):
        services.ask_union_to_help(by=casework_staff, case=case, union=union_a)
        case.refresh_from_db()
        assert services.add_event(by=chair_a, case=case, kind="visit", text="已约企业人事面谈").by == chair_a
        with pytest.raises(PermissionDenied):
            services.add_event(by=chair_a, case=case, kind="reply", text="您好", public=True)

    def test_a_cadre_sees_only_cases_assigned_to_them_or_taken_in_by_them(
        self, client, intake, case, casework_staff, cadre, cadre_a
    ):
        own = intake(cadre_a)
        services.assign(by=casework_staff, case=case, handler=cadre, difficulty="ordinary")
        assert page(client, cadre, case.get_absolute_url()).status_code == 200
        assert client.get(own.get_absolute_url()).status_code == 404
        assert page(client, cadre_a, own.get_absolute_url()).status_code == 200
        assert client.get(case.get_absolute_url()).status_code == 404
        listing = client.get(reverse("grievances:case_list")).content.decode()
        assert own.number in listing and case.number not in listing

    def test_staff_without_the_casework_duty_get_404_on_a_case_and_403_on_the_list(self, client, case, staff):
        assert page(client, staff, case.get_absolute_url()).status_code == 404
        assert client.get(reverse("grievances:case_list")).status_code == 403

    def test_the_outsider(self, client, case, outsider):
        assert page(client, outsider, case.get_absolute_url()).status_code == 404
        assert client.get(reverse("grievances:case_list")).status_code == 403
        assert client.get(reverse("grievances:case_create")).status_code == 403
        for name in ("case_identity", "case_stage", "case_close", "case_event", "case_assign"):
            assert client.post(reverse(f"grievances:{name}", args=[case.pk])).status_code == 404

    def test_anonymous_visitors_are_sent_to_log_in(self, client, case):
        for url in (reverse("grievances:case_list"), case.get_absolute_url()):
            response = client.get(url)
            assert response.status_code == 302 and "/login" in response["Location"]

    def test_evidence_only_for_those_who_work_the_case(
        self, client, case, casework_staff, chair_a, union_a, outsider
    ):
        evidence = Evidence.objects.create(
            case=case,
            original_name="工资条.pdf",
            from_worker=True,
            upload=SimpleUploadedFile("a.pdf", b"%PDF-1.4 test"),
        )
        url = reverse("grievances:case_evidence", args=[case.pk, evidence.pk])
        assert page(client, outsider, url).status_code == 404
        services.ask_union_to_help(by=casework_staff, case=case, union=union_a)
        assert page(client, chair_a, url).status_code == 403
        response = page(client, casework_staff, url)
        assert response.status_code == 200 and b"".join(response.streaming_content) == b"%PDF-1.4 test"
        assert LogEntry.objects.filter(
            action=LogEntry.Action.ACCESS, additional_data__file="工资条.pdf"
        ).exists()


# --- pages ---------------------------------------------------------------------------------------


class TestPages:
    def test_intake_through_the_form(self, client, cadre, enterprise_a):
        client.force_login(cadre)
        assert client.get(reverse("grievances:case_create")).status_code == 200
        response = client.post(
            reverse("grievances:case_create"),
            {
                "channel": "walk_in",
                "type": "complaint",
                "category": "dismissal",
                "received_on": TODAY.isoformat(),
                "complainant_name": "赵六",
                "complainant_phone": "13900001111",
                "complainant_id_number": make_id(),
                "enterprise": enterprise_a.pk,
                "employer_name": "",
                "workers_affected": 1,
                "description": "被无故辞退",
            },
        )
        case = Case.objects.get()
        assert response.status_code == 302 and response["Location"] == case.get_absolute_url()
        assert (case.employer_name, case.received_by) == (enterprise_a.name, cadre)

    def test_the_detail_page_highlights_deadlines_and_offers_the_actions(self, client, case, casework_staff):
        response = page(client, casework_staff, case.get_absolute_url())
        assert response.status_code == 200
        handling = next(row for row in response.context["deadlines"] if row["deadline"].key == "handling")
        # The handling deadline carries its urgency tier (grievances.deadlines.UrgencyScale).
        assert f'class="due {handling["urgency"].css}"' in response.content.decode()
        for name in ("assign_form", "stage_form", "help_form", "legal_aid_form", "close_form", "event_form"):
            assert response.context[name] is not None

    def test_actions_post_through_the_services(self, client, case, casework_staff, cadre):
        client.force_login(casework_staff)
        client.post(
            reverse("grievances:case_assign", args=[case.pk]), {"handler": cadre.pk, "difficulty": "ordinary"}
        )
        client.post(reverse("grievances:case_stage", args=[case.pk]), {"to": "accepted"})
        client.post(
            reverse("grievances:case_event", args=[case.pk]),
            {
                "kind": "reply",
                "text": "已受理",
                "public": "on",
                "attachment": SimpleUploadedFile(f"{NAME}.pdf", b"%PDF-1.4"),
            },
        )
        response = client.post(
            reverse("grievances:case_close", args=[case.pk]),
            {"outcome": "resolved", "amount_recovered": "8000", "satisfaction": "6"},
        )
        assert response.status_code == 302
        case.refresh_from_db()
        assert (case.handler, case.stage) == (cadre, Stage.ACCEPTED)  # satisfaction 6 refused
        reply = case.events.get(kind="reply")
        assert reply.public and NAME not in reply.attachment.name
        download = client.get(reverse("grievances:case_attachment", args=[case.pk, reply.pk]))
        assert download.status_code == 200

    def test_list_filters(self, client, intake, case, casework_staff):
        other = intake(casework_staff, category="dismissal", employer_name="丙物流有限公司")
        at_stage(other, Stage.ACCEPTED, casework_staff)
        client.force_login(casework_staff)

        def numbers(**query):
            return {
                c.number
                for c in client.get(reverse("grievances:case_list"), query).context["page"].object_list
            }

        assert numbers() == {case.number, other.number}
        assert numbers(stage="accepted") == {other.number}
        assert numbers(category="wage_arrears") == {case.number}
        assert numbers(q="丙物流") == {other.number}
        assert numbers(q=case.number) == {case.number}
        assert numbers(due_soon="on") == {case.number, other.number}

    def test_the_list_runs_the_same_queries_for_3_and_30_cases(self, client, intake, casework_staff, cadre):
        client.force_login(casework_staff)

        def grow(n):
            for i in range(n):
                made = intake(casework_staff, employer_name=f"企业{i}")
                services.assign(
                    by=casework_staff,
                    case=made,
                    handler=cadre if i % 2 else casework_staff,
                    difficulty="ordinary",
                )

        def count():
            with CaptureQueriesContext(connection) as ctx:
                assert client.get(reverse("grievances:case_list")).status_code == 200
            return len(ctx)

        grow(3)
        small = count()
        grow(27)
        # session, user, permissions (2), the handler filter's choices, the navigation's roles, the
        # count, the page's keys, the page's cases, the unread notices, the rules that govern casework,
        # the grid areas of the area filter, the working days of the urgency tiers, the entered calendar
        # years (the unconfirmed-date marks)
        assert count() == small == 14


class TestAttachments:
    """Timeline attachments follow the upload policy (issue 17): PDF, JPEG or PNG by content, the stored
    name random with the extension of the content, never the client's."""

    HTML_BEHIND_PNG = b"\x89PNG\r\n\x1a\n<html><script>alert(document.cookie)</script></html>"
    EXE = b"MZ\x90\x00\x03\x00\x00\x00" + b"\0" * 32

    @pytest.mark.parametrize(
        ("name", "content"),
        [
            ("evil.html", HTML_BEHIND_PNG),
            ("photo.png", HTML_BEHIND_PNG),
            ("合同.pdf", EXE),
            ("x.svg", b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'),
            ("notes.txt", b"plain text"),
            ("empty.pdf", b""),
        ],
    )
    def test_anything_but_a_pdf_jpeg_or_png_is_refused(
        self, client, case, casework_staff, english, name, content
    ):
        with pytest.raises(ValidationError):
            services.add_event(
                by=casework_staff,
                case=case,
                kind="note",
                text="材料",
                attachment=SimpleUploadedFile(name, content),
            )
        client.force_login(casework_staff)
        response = client.post(
            reverse("grievances:case_event", args=[case.pk]),
            {"kind": "note", "text": "材料", "attachment": SimpleUploadedFile(name, content)},
            follow=True,
        )
        assert response.status_code == 200
        assert not case.events.filter(kind="note").exists()

    def test_the_stored_name_is_random_with_the_extension_of_the_content(
        self, case, casework_staff, settings, tmp_path
    ):
        settings.MEDIA_ROOT = tmp_path
        png = b"\x89PNG\r\n\x1a\n" + b"\0" * 32
        events = [
            services.add_event(
                by=casework_staff,
                case=case,
                kind="document",
                text="材料",
                attachment=SimpleUploadedFile(name, content),
            )
            for name, content in [
                (f"{NAME}.jpg", png),
                (f"{NAME}.jpg", png),
                (f"{ID_NUMBER}.pdf", b"%PDF-1.4 x"),
            ]
        ]
        names = [event.attachment.name for event in events]
        assert len(set(names)) == 3
        assert [name.rsplit(".", 1)[1] for name in names] == ["png", "png", "pdf"]
        assert all(re.fullmatch(r"cases/\d{4}/[A-Za-z0-9_-]{22}\.(png|pdf)", name) for name in names)
        assert not any(NAME in name or ID_NUMBER in name for name in names)
