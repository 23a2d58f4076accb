"""Hardship files: the category at its boundaries, submission with its documents and one open
file per household, the public notice over holidays, objections and approval, the yearly review
draw, the masked public notice, and who may see a file (every look logged)."""

import datetime
import io
import random
import time
from decimal import Decimal

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import Count
from django.urls import reverse
from openpyxl import load_workbook

from aid.demo_files import seed_files
from aid.models import FileReview, HardshipDocument, HardshipFile, HouseholdMember, LivingStandard
from aid.services import files as services
from members.models import Member
from tests.factories import PDF, PNG, TODAY, documents, make_id
from unionhub import workdays
from unionhub.models import CalendarDay, Notice

pytestmark = pytest.mark.usefixtures("english")

STANDARD = Decimal("1000.00")
SITUATION = "妻子患尿毒症，每周透析三次，医疗费用负担重，孩子在读高中。"
SPOUSE = {
    "name": "刘芳",
    "relation": "妻子",
    "age": 45,
    "occupation": "无业",
    "monthly_income": Decimal("0"),
    "health": "尿毒症",
}


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def standard(db):
    return LivingStandard.objects.create(year=TODAY.year, monthly_amount=STANDARD)


def submit(
    by,
    member,
    *,
    causes=("illness",),
    income="3000",
    expenses="1000",
    household=(SPOUSE,),
    docs=None,
    **extra,
):
    if docs is None:
        docs = documents(*services.required_documents(causes))
    return services.submit_file(
        by=by,
        member=member,
        causes=list(causes),
        situation=SITUATION,
        household_income=Decimal(income),
        hardship_expenses=Decimal(expenses),
        household=list(household),
        documents=docs,
        **extra,
    )


def monday(year=2030, month=9, day=2):
    day = datetime.date(year, month, day)
    assert day.weekday() == 0
    return day


def holiday(day, name="中秋节"):
    CalendarDay.objects.create(date=day, kind=CalendarDay.Kind.HOLIDAY, name=name)


@pytest.fixture
def file_a(standard, chair_a, member_a):
    """Submitted by the chair of union A: 3000 − 1000 shared by two is 1000, deep hardship."""
    return submit(chair_a, member_a)


@pytest.fixture
def visited(file_a, aid_staff):
    return services.record_visit(
        by=aid_staff, file=file_a, visited_on=TODAY, visitors="沈慧、张主席", findings="住房简陋，情况属实。"
    )


@pytest.fixture
def noticed(visited, aid_staff):
    """Under notice: five working days from a Monday in 2030, no holidays in the way."""
    return services.start_notice(by=aid_staff, file=visited, start=monday())


class TestCategory:
    @pytest.mark.parametrize(
        "income, expenses, size, category, per_capita",
        [
            ("2000.00", "0", 2, "deep", "1000.00"),  # exactly at the standard
            ("1000.01", "0", 1, "relative", "1000.01"),  # one cent above
            ("4000.00", "0", 2, "relative", "2000.00"),  # exactly twice the standard
            ("2000.01", "0", 1, "none", "2000.01"),  # one cent above twice
            ("5000.00", "3000", 2, "deep", "1000.00"),  # hardship expenses come off the income
            ("800.00", "1500", 3, "deep", "0.00"),  # never below zero
        ],
    )
    def test_boundaries(self, income, expenses, size, category, per_capita):
        assert services.categorise(
            household_income=Decimal(income),
            hardship_expenses=Decimal(expenses),
            household_size=size,
            standard=STANDARD,
        ) == (category, Decimal(per_capita))

    def test_the_multiple_is_a_rule(self, settings):
        settings.AID_RULES = {"relative_multiple": Decimal("1.5")}
        assert (
            services.categorise(
                household_income=Decimal("1600"),
                hardship_expenses=Decimal(0),
                household_size=1,
                standard=STANDARD,
            )[0]
            == "none"
        )

    def test_a_year_without_a_standard_is_named(self, db):
        with pytest.raises(ValidationError, match=f"standard for {TODAY.year} has not been entered"):
            services.standard_for(TODAY.year)

    def test_the_file_uses_the_standard_of_its_year_and_counts_the_worker(self, file_a):
        assert file_a.household_size == 2
        assert file_a.living_standard == STANDARD
        assert file_a.category == HardshipFile.Category.DEEP

    def test_accident_is_a_staff_decision_with_a_reason(self, standard, chair_a, member_a, aid_staff):
        file = submit(chair_a, member_a, income="9000", expenses="0")
        assert file.category == HardshipFile.Category.NONE
        with pytest.raises(ValidationError, match="accident-caused"):
            services.set_accident_category(by=aid_staff, file=file, reason=" ")
        file = services.set_accident_category(by=aid_staff, file=file, reason="工伤致残，医疗费用巨大")
        assert (file.category, file.category_reason) == ("accident", "工伤致残，医疗费用巨大")


class TestSubmission:
    def test_numbers_run_per_year(self, standard, chair_a, member_a, register, enterprise_a):
        first = submit(chair_a, member_a)
        second = submit(chair_a, register(enterprise_a, name="赵强", id_number=make_id("19780505")))
        assert (first.number, second.number) == (f"KN{TODAY.year}-0001", f"KN{TODAY.year}-0002")
        assert first.household.get().name == "刘芳"
        assert sorted(first.documents.values_list("kind", flat=True)) == [
            "household_register",
            "income_proof",
            "medical_records",
        ]

    def test_missing_documents_are_named_and_nothing_is_written(self, standard, chair_a, member_a):
        with pytest.raises(ValidationError) as refused:
            submit(chair_a, member_a, causes=("illness", "disability"), docs=documents("household_register"))
        assert refused.value.messages == [
            "Documents missing: Proof of income、Medical records and bills、Disability certificate."
        ]
        assert not HardshipFile.objects.exists()
        assert not HouseholdMember.objects.exists()
        assert not HardshipDocument.objects.exists()

    def test_every_problem_is_named_at_once(self, standard, chair_a, member_a):
        with pytest.raises(ValidationError) as refused:
            submit(
                chair_a, member_a, causes=(), income="-1", household=[{"name": "", "relation": "", "age": 3}]
            )
        assert refused.value.messages == [
            "Choose at least one cause of hardship.",
            "Income and expenses cannot be negative.",
            "Household member 1: name and relation are required.",
        ]

    def test_one_open_file_per_member(self, file_a, chair_a, member_a):
        with pytest.raises(ValidationError, match="already has an open hardship file"):
            submit(chair_a, member_a)
        services.withdraw(by=chair_a, file=file_a)
        assert submit(chair_a, member_a).number == f"KN{TODAY.year}-0002"

    def test_a_chair_submits_only_for_their_own_members(self, standard, chair_b, member_a):
        with pytest.raises(ValidationError, match="not a member of your union"):
            submit(chair_b, member_a)

    def test_aid_staff_may_submit_for_any_union(self, standard, aid_staff, member_b):
        assert submit(aid_staff, member_b).union == member_b.union

    def test_a_former_member_is_refused(self, standard, chair_a, member_a):
        Member.objects.filter(pk=member_a.pk).update(status=Member.Status.WITHDRAWN)
        member_a.refresh_from_db()
        with pytest.raises(ValidationError, match="membership is not active"):
            submit(chair_a, member_a)

    def test_a_document_that_is_not_what_its_name_says_is_refused(self, standard, chair_a, member_a):
        fake = SimpleUploadedFile("income_proof.pdf", b"MZ\x90\x00 not a pdf")
        with pytest.raises(ValidationError, match="income_proof.pdf is not the file its name says"):
            submit(
                chair_a,
                member_a,
                docs=[*documents("household_register", "medical_records"), ("income_proof", fake)],
            )

    def test_a_standard_is_needed_first(self, chair_a, member_a):
        with pytest.raises(ValidationError, match="has not been entered"):
            submit(chair_a, member_a)
        assert not HardshipFile.objects.exists()


class TestNotice:
    def test_five_working_days_from_a_monday_end_on_friday(self, noticed):
        assert (noticed.notice_start, noticed.notice_end) == (monday(), monday() + datetime.timedelta(days=4))
        assert noticed.status == HardshipFile.Status.NOTICE

    def test_holidays_are_skipped(self, visited, aid_staff):
        start = monday()
        holiday(start + datetime.timedelta(days=1))
        holiday(start + datetime.timedelta(days=2))
        file = services.start_notice(by=aid_staff, file=visited, start=start)
        # Monday, Thursday, Friday, Monday, Tuesday.
        assert file.notice_end == start + datetime.timedelta(days=8)

    def test_an_adjusted_working_saturday_counts(self, visited, aid_staff):
        start = monday()
        holiday(start + datetime.timedelta(days=1))
        CalendarDay.objects.create(
            date=start + datetime.timedelta(days=5), kind=CalendarDay.Kind.WORKDAY, name="国庆节调休"
        )
        file = services.start_notice(by=aid_staff, file=visited, start=start)
        # Monday, Wednesday, Thursday, Friday, Saturday.
        assert file.notice_end == start + datetime.timedelta(days=5)

    def test_a_notice_set_to_start_on_a_holiday_starts_on_the_next_working_day(self, visited, aid_staff):
        start = monday()
        holiday(start)
        file = services.start_notice(by=aid_staff, file=visited, start=start)
        assert file.notice_start == start + datetime.timedelta(days=1)
        assert file.notice_end == start + datetime.timedelta(days=7)

    def test_the_visit_comes_first(self, file_a, aid_staff):
        with pytest.raises(ValidationError, match="Record the home visit"):
            services.start_notice(by=aid_staff, file=file_a)

    def test_a_household_not_in_hardship_is_not_posted(self, standard, chair_a, member_a, aid_staff):
        file = submit(chair_a, member_a, income="9000", expenses="0")
        services.record_visit(by=aid_staff, file=file, visited_on=TODAY, visitors="沈慧", findings="收入稳定")
        with pytest.raises(ValidationError, match="not in hardship"):
            services.start_notice(by=aid_staff, file=file)
        services.set_accident_category(by=aid_staff, file=file, reason="突发车祸，家庭主要劳动力丧失劳动能力")
        assert services.start_notice(by=aid_staff, file=file).status == HardshipFile.Status.NOTICE


class TestApproval:
    def test_not_before_the_notice_ends(self, noticed, aid_staff):
        with pytest.raises(ValidationError, match="runs until"):
            services.approve(by=aid_staff, file=noticed, on=noticed.notice_end)

    def test_the_day_after_the_notice_puts_it_on_file_and_tells_the_chair(self, noticed, aid_staff, chair_a):
        day = noticed.notice_end + datetime.timedelta(days=1)
        file = services.approve(by=aid_staff, file=noticed, on=day)
        assert (file.status, file.approved_on, file.approved_by) == ("active", day, aid_staff)
        assert file.next_review_on == day.replace(year=day.year + 1)
        assert Notice.objects.filter(user=chair_a, key=f"hardship-file-approved:{file.pk}").exists()

    def test_an_unresolved_objection_blocks(self, noticed, aid_staff):
        services.record_objection(
            by=aid_staff, file=noticed, received_on=noticed.notice_start, content="该职工家中另有商铺出租收入"
        )
        with pytest.raises(ValidationError, match="not been resolved"):
            services.approve(by=aid_staff, file=noticed, on=noticed.notice_end + datetime.timedelta(days=1))

    def test_an_upheld_objection_blocks(self, noticed, aid_staff):
        objection = services.record_objection(
            by=aid_staff, file=noticed, received_on=noticed.notice_start, content="该职工家中另有商铺出租收入"
        )
        services.resolve_objection(by=aid_staff, objection=objection, resolution="经核实属实", upheld=True)
        with pytest.raises(ValidationError, match="objection was upheld"):
            services.approve(by=aid_staff, file=noticed, on=noticed.notice_end + datetime.timedelta(days=1))
        assert services.cancel(by=aid_staff, file=noticed, reason="公示异议属实").status == "cancelled"

    def test_an_objection_not_upheld_lets_it_through(self, noticed, aid_staff):
        objection = services.record_objection(
            by=aid_staff, file=noticed, received_on=noticed.notice_end, content="怀疑有隐性收入"
        )
        services.resolve_objection(
            by=aid_staff, objection=objection, resolution="经入户核实，商铺已于去年转让", upheld=False
        )
        file = services.approve(
            by=aid_staff, file=noticed, on=noticed.notice_end + datetime.timedelta(days=3)
        )
        assert file.status == HardshipFile.Status.ACTIVE

    def test_objections_come_during_the_notice(self, noticed, aid_staff):
        with pytest.raises(ValidationError, match="during the notice"):
            services.record_objection(
                by=aid_staff,
                file=noticed,
                received_on=noticed.notice_end + datetime.timedelta(days=1),
                content="迟到的异议",
            )

    def test_leaving_hardship_closes_the_file(self, noticed, aid_staff):
        file = services.approve(
            by=aid_staff, file=noticed, on=noticed.notice_end + datetime.timedelta(days=1)
        )
        file = services.mark_left(by=aid_staff, file=file, on=TODAY, reason="妻子康复，重新就业")
        assert (file.status, file.closed_on) == ("left", TODAY)


def on_file(chair, member, approved_on):
    """A file on record since ``approved_on`` (the workflow itself is tested above)."""
    file = submit(chair, member)
    HardshipFile.objects.filter(pk=file.pk).update(
        status=HardshipFile.Status.ACTIVE,
        approved_on=approved_on,
        next_review_on=approved_on.replace(year=approved_on.year + 1),
    )
    return file


@pytest.fixture
def ten_on_file(standard, chair_a, register, enterprise_a):
    return [
        on_file(
            chair_a,
            register(enterprise_a, name=f"职工{n}", id_number=make_id("19800101", seq=2 * n + 1)),
            datetime.date(2025, 3, 1),
        )
        for n in range(10)
    ]


class TestReview:
    def test_every_due_file_is_listed_and_thirty_percent_rounded_up_drawn(
        self, ten_on_file, chair_a, register, enterprise_a
    ):
        not_due = on_file(
            chair_a,
            register(enterprise_a, name="新档", id_number=make_id("19850101")),
            datetime.date(2026, 1, 5),
        )
        reviews = services.review_list(2026)
        assert {r.file_id for r in reviews} == {f.pk for f in ten_on_file}
        assert not_due.pk not in {r.file_id for r in reviews}
        assert sum(r.spot_check for r in reviews) == 3

    def test_running_it_again_changes_nothing(self, ten_on_file):
        first = {(r.file_id, r.spot_check) for r in services.review_list(2026)}
        assert {(r.file_id, r.spot_check) for r in services.review_list(2026)} == first
        assert FileReview.objects.count() == 10

    def test_the_draw_is_reproducible(self, ten_on_file):
        drawn = {r.file_id for r in services.review_list(2026, seed=7) if r.spot_check}
        FileReview.objects.all().delete()
        assert {r.file_id for r in services.review_list(2026, seed=7) if r.spot_check} == drawn

    def test_files_that_fall_due_later_top_up_the_draw(self, ten_on_file, chair_a, register, enterprise_a):
        services.review_list(2026)
        on_file(
            chair_a,
            register(enterprise_a, name="迟到", id_number=make_id("19850101")),
            datetime.date(2025, 6, 1),
        )
        reviews = services.review_list(2026)
        assert len(reviews) == 11
        assert sum(r.spot_check for r in reviews) == 4  # ceil(3.3)

    def test_outcomes(self, ten_on_file, aid_staff):
        stays, leaves = services.review_list(2026)[:2]
        services.record_review(by=aid_staff, review=stays, outcome="continue", notes="")
        services.record_review(
            by=aid_staff,
            review=leaves,
            outcome="left",
            notes="子女已工作，家庭收入提高",
            on=datetime.date(2026, 3, 20),
        )
        stays.file.refresh_from_db()
        leaves.file.refresh_from_db()
        assert stays.file.next_review_on == datetime.date(2027, 3, 1)
        assert (leaves.file.status, leaves.file.closed_on) == ("left", datetime.date(2026, 3, 20))
        with pytest.raises(ValidationError, match="already been recorded"):
            services.record_review(by=aid_staff, review=stays, outcome="continue", notes="")


# --- pages -------------------------------------------------------------------------------------


def _text(response) -> str:
    return b"".join(response.streaming_content).decode() if response.streaming else response.content.decode()


class TestPublicNotice:
    @pytest.fixture
    def posted(self, visited, aid_staff):
        # Started on the last working day before today (a weekend or a holiday may lie between), so that
        # the notice is running today whatever day the suite runs on.
        return services.start_notice(
            by=aid_staff, file=visited, start=workdays.previous_working_day(TODAY, include_today=False)
        )

    def test_rows_are_masked(self, posted):
        (row,) = services.notice_rows(services.under_notice())
        assert (row.name, row.enterprise, row.category) == ("王*明", "甲精密机械有限公司", "Deep hardship")

    @pytest.mark.parametrize("viewer", ["aid_staff", "chair_b"])
    def test_the_board_shows_no_id_number_cause_or_income(
        self, posted, member_a, union_b, login, viewer, request, db
    ):
        page = _text(login(request.getfixturevalue(viewer)).get(reverse("aid:notice_board")))
        assert "王*明" in page and "王小明" not in page
        for secret in (
            member_a.id_number,
            member_a.masked_id_number,
            "3000",
            "1000",
            "尿毒症",
            SITUATION,
            "Illness",
            "疾病",
        ):
            assert secret not in page

    def test_the_export_shows_no_id_number_cause_or_income(self, posted, member_a, login, aid_staff):
        response = login(aid_staff).get(reverse("aid:notice_export"))
        sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
        cells = [str(c) for row in sheet.iter_rows(values_only=True) for c in row if c is not None]
        assert "王*明" in cells and "甲精密机械有限公司" in cells
        text = " ".join(cells)
        for secret in (
            member_a.id_number,
            member_a.masked_id_number,
            "王小明",
            "3000",
            "尿毒症",
            "Illness",
            "疾病",
        ):
            assert secret not in text

    def test_a_file_after_its_notice_is_off_the_board(self, noticed):
        assert (
            services.notice_rows(services.under_notice(noticed.notice_end + datetime.timedelta(days=1))) == []
        )


class TestAccess:
    @pytest.mark.parametrize(
        "role, list_status, detail_status",
        [
            ("aid_staff", 200, 200),
            ("chair_a", 200, 200),  # the submitting chair
            ("chair_b", 200, 404),  # another union's chair
            ("staff", 403, 404),  # staff without the aid duty see no hardship file
            ("outsider", 403, 404),
        ],
    )
    def test_who_sees_a_file(self, file_a, union_b, login, request, db, role, list_status, detail_status):
        client = login(request.getfixturevalue(role))
        listing = client.get(reverse("aid:file_list"))
        assert listing.status_code == list_status
        if list_status == 200:
            assert (file_a.number in listing.content.decode()) == (detail_status == 200)
        assert client.get(file_a.get_absolute_url()).status_code == detail_status
        document = file_a.documents.first()
        assert (
            client.get(reverse("aid:file_document", args=[file_a.pk, document.pk])).status_code
            == detail_status
        )

    def test_anonymous_users_log_in(self, client, file_a):
        for url in (reverse("aid:file_list"), file_a.get_absolute_url(), reverse("aid:notice_board")):
            response = client.get(url)
            assert response.status_code == 302 and "/login/" in response.url

    @pytest.mark.parametrize("role, status", [("chair_a", 403), ("chair_b", 404), ("staff", 404)])
    def test_only_reviewers_take_the_workflow_on(self, visited, union_b, login, request, db, role, status):
        client = login(request.getfixturevalue(role))
        assert client.post(reverse("aid:file_notice", args=[visited.pk])).status_code == status
        visited.refresh_from_db()
        assert visited.status == HardshipFile.Status.APPLYING

    @pytest.mark.parametrize("name, args", [("aid:review_list", [2026]), ("aid:living_standards", [])])
    @pytest.mark.parametrize("role", ["chair_a", "staff", "outsider"])
    def test_staff_pages(self, login, request, db, role, name, args):
        assert login(request.getfixturevalue(role)).get(reverse(name, args=args)).status_code == 403

    def test_the_notice_board_is_for_aid_staff_and_chairs(self, login, staff, outsider, union_a, chair_a):
        assert login(staff).get(reverse("aid:notice_board")).status_code == 403
        assert login(outsider).get(reverse("aid:notice_board")).status_code == 403
        assert login(chair_a).get(reverse("aid:notice_board")).status_code == 200

    def test_every_view_of_a_file_is_logged(self, file_a, login, aid_staff, chair_a):
        login(aid_staff).get(file_a.get_absolute_url())
        login(aid_staff).get(file_a.get_absolute_url())
        login(chair_a).get(reverse("aid:file_document", args=[file_a.pk, file_a.documents.first().pk]))
        views = LogEntry.objects.get_for_object(file_a).filter(action=LogEntry.Action.ACCESS)
        assert [e.actor for e in views.order_by("pk")] == [aid_staff, aid_staff, chair_a]

    def test_a_refused_look_is_not_logged(self, file_a, login, chair_b):
        login(chair_b).get(file_a.get_absolute_url())
        assert not LogEntry.objects.filter(action=LogEntry.Action.ACCESS).exists()

    def test_the_list_does_not_grow_in_queries(
        self, standard, login, aid_staff, chair_a, register, enterprise_a, django_assert_max_num_queries
    ):
        for n in range(5):
            submit(
                chair_a, register(enterprise_a, name=f"职工{n}", id_number=make_id("19800101", seq=2 * n + 1))
            )
        client = login(aid_staff)
        with django_assert_max_num_queries(12):
            assert client.get(reverse("aid:file_list")).status_code == 200


class TestPages:
    def _post(self, client, member, **changes):
        data = {
            "id_number": member.id_number,
            "causes": ["illness"],
            "situation": SITUATION,
            "household_income": "3000",
            "hardship_expenses": "1000",
            "household-TOTAL_FORMS": "6",
            "household-INITIAL_FORMS": "0",
            "household-0-name": "刘芳",
            "household-0-relation": "妻子",
            "household-0-age": "45",
            "documents_household_register": SimpleUploadedFile("hukou.pdf", PDF),
            "documents_income_proof": SimpleUploadedFile("income.png", PNG),
            "documents_medical_records": [SimpleUploadedFile("a.pdf", PDF), SimpleUploadedFile("b.pdf", PDF)],
        }
        data.update(changes)
        return client.post(reverse("aid:file_create"), data)

    def test_a_chair_submits_through_the_form(self, standard, login, chair_a, member_a):
        response = self._post(login(chair_a), member_a)
        file = HardshipFile.objects.get()
        assert response.status_code == 302 and response.url == file.get_absolute_url()
        assert (file.household_size, file.submitted_by, file.category) == (2, chair_a, "deep")
        assert file.documents.count() == 4
        assert login(chair_a).get(response.url).status_code == 200

    def test_the_form_refuses_a_file_of_the_wrong_type(self, standard, login, chair_a, member_a):
        response = self._post(
            login(chair_a), member_a, documents_income_proof=SimpleUploadedFile("income.exe", b"MZ")
        )
        assert response.status_code == 200
        assert "income.exe" in response.content.decode()
        assert not HardshipFile.objects.exists()

    def test_a_member_of_another_union_cannot_be_chosen(self, standard, login, union_b, chair_b, member_a):
        response = self._post(login(chair_b), member_a)
        assert response.status_code == 200 and not HardshipFile.objects.exists()

    def test_staff_walk_a_file_through_the_pages(self, file_a, login, aid_staff, chair_a):
        client = login(aid_staff)
        client.post(
            reverse("aid:file_visit", args=[file_a.pk]),
            {"visited_on": TODAY.isoformat(), "visitors": "沈慧", "findings": "情况属实"},
        )
        client.post(reverse("aid:file_notice", args=[file_a.pk]), {"start": "2020-03-02"})
        client.post(
            reverse("aid:file_objection", args=[file_a.pk]),
            {"received_on": "2020-03-04", "content": "有隐性收入"},
        )
        assert "有隐性收入" in client.get(file_a.get_absolute_url()).content.decode()
        objection = file_a.objections.get()
        client.post(
            reverse("aid:objection_resolve", args=[file_a.pk, objection.pk]), {"resolution": "经核实不属实"}
        )
        client.post(reverse("aid:file_approve", args=[file_a.pk]))
        file_a.refresh_from_db()
        assert file_a.status == HardshipFile.Status.ACTIVE
        page = client.get(file_a.get_absolute_url()).content.decode()
        assert file_a.number in page and "王小明" in page and file_a.member.masked_id_number in page

    def test_the_detail_page_never_shows_the_whole_id_number(self, file_a, login, aid_staff):
        assert file_a.member.id_number not in login(aid_staff).get(file_a.get_absolute_url()).content.decode()

    def test_a_failed_step_is_explained(self, file_a, login, aid_staff):
        response = login(aid_staff).post(reverse("aid:file_approve", args=[file_a.pk]), follow=True)
        assert [m.level_tag for m in response.context["messages"]] == ["error"]
        file_a.refresh_from_db()
        assert file_a.status == HardshipFile.Status.APPLYING

    def test_staff_enter_the_years_standard(self, login, aid_staff):
        response = login(aid_staff).post(
            reverse("aid:living_standards"),
            {"year": "2027", "monthly_amount": "1220.00", "note": "海政发〔2026〕12号"},
        )
        assert response.status_code == 302
        assert LivingStandard.objects.get(year=2027).monthly_amount == Decimal("1220.00")
        assert (
            'value="1220.00"'
            in login(aid_staff).get(reverse("aid:living_standards") + "?year=2027").content.decode()
        )

    def test_staff_draw_the_review_list(self, ten_on_file, login, aid_staff):
        client = login(aid_staff)
        assert client.post(reverse("aid:review_list", args=[2026])).status_code == 302
        page = client.get(reverse("aid:review_list", args=[2026])).content.decode()
        assert page.count('id="review-') == 10


class TestDemo:
    def test_the_demo_households(self, union_a, enterprise_a, aid_staff):
        members = []
        for n in range(100):
            born = datetime.date(1972, 1, 1) + datetime.timedelta(days=97 * n)
            member = Member(
                name=f"职工{n}",
                id_number=make_id(born.strftime("%Y%m%d"), seq=2 * n + 1),
                enterprise=enterprise_a,
                union=union_a,
                joined_on=datetime.date(2015, 1, 1),
                status_changed_on=datetime.date(2015, 1, 1),
            )
            member.derive_from_id_number()
            members.append(member)
        Member.objects.bulk_create(members)
        started = time.monotonic()
        seed_files(rng=random.Random(2026), today=TODAY, unions=[union_a], staff=aid_staff)
        assert time.monotonic() - started < 5
        assert LivingStandard.objects.count() == 4
        assert 85 <= HardshipFile.objects.count() <= 95
        assert len(services.notice_rows(services.under_notice())) == 3
        by_status = dict(
            HardshipFile.objects.values_list("status").annotate(n=Count("pk")).values_list("status", "n")
        )
        assert by_status["applying"] == 3 and by_status["active"] > 60 and by_status["left"] > 5
        assert not HardshipFile.objects.filter(status="active", category="none").exists()
        assert all(f.documents.exists() for f in HardshipFile.objects.all()[:10])
