"""School places for members' children: the grade that fits a birth date, submission and each of its
refusals (nothing written), the staff workflow and its wrong turns, the chair's notices, the year's
figures, the deadline reminders, the masked export, who sees a request (a minor's data: aid staff
and the submitting chair only) and the demo."""

import datetime
import io
import random

import pytest
from auditlog.models import LogEntry
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from aid.demo_school_places import seed_school_places
from aid.models import EnrolmentDeadline, SchoolPlaceDocument, SchoolPlaceRequest
from aid.services import school_places as services
from aid.tasks import remind_enrolment_deadlines
from members.models import Area, GrassrootsUnion, Member
from tests.factories import PDF, PNG, TODAY, documents, make_id
from unionhub.models import Notice

pytestmark = pytest.mark.usefixtures("english")

YEAR = services.coming_school_year(TODAY)
REQUIRED = [str(kind) for kind in SchoolPlaceDocument.REQUIRED]
Status = SchoolPlaceRequest.Status


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def parent_a(register, enterprise_a):
    """A migrant worker in union A, the parent of the children in these tests."""
    return register(
        enterprise_a,
        name="赵建国",
        id_number=make_id("19880303"),
        phone="13955556666",
        is_migrant_worker=True,
    )


@pytest.fixture
def parent_b(register, enterprise_b):
    return register(
        enterprise_b, name="钱秀英", id_number=make_id("19900404", sex="F"), is_migrant_worker=True
    )


def submit(by, member, **changes):
    fields = {
        "union": member.union,
        "child_name": "赵小宝",
        "child_birth_date": datetime.date(YEAR - 6, 3, 15),
        "child_sex": "M",
        "grade": "p1",
        "school_year": YEAR,
        "preferred_district": "海洲街道",
        "has_residence_permit": True,
        "residence_permit_since": datetime.date(YEAR - 4, 5, 1),
        "social_insurance_months": 36,
        "documents": documents(*REQUIRED),
    }
    fields.update(changes)
    return services.submit_request(by=by, member=member, **fields)


@pytest.fixture
def request_a(chair_a, parent_a):
    return submit(chair_a, parent_a)


def nothing_written():
    return not SchoolPlaceRequest.objects.exists() and not SchoolPlaceDocument.objects.exists()


def through(request, aid_staff, status):
    """Take a request along the workflow as far as ``status``."""
    if status in (Status.CHECKED, Status.SENT, Status.PLACED, Status.NOT_PLACED):
        request = services.check_request(by=aid_staff, request=request)
    if status in (Status.SENT, Status.PLACED, Status.NOT_PLACED):
        request = services.send_to_bureau(by=aid_staff, request=request)
    if status == Status.PLACED:
        request = services.record_outcome(by=aid_staff, request=request, placed=True, school="海宁市实验小学")
    if status == Status.NOT_PLACED:
        request = services.record_outcome(by=aid_staff, request=request, placed=False, reason="学位已满")
    if status == Status.WITHDRAWN:
        request = services.withdraw_request(by=request.submitted_by, request=request)
    return request


# --- grade and age -----------------------------------------------------------------------------


class TestGradeFit:
    def test_entry_ages(self):
        assert [services.ENTRY_AGE[g] for g in ("k1", "k2", "k3", "p1", "p2", "p6", "j1", "j3")] == [
            3,
            4,
            5,
            6,
            7,
            11,
            12,
            14,
        ]

    @pytest.mark.parametrize(
        "born, fits",
        [
            (datetime.date(2020, 8, 31), True),  # six on 31 August 2026
            (datetime.date(2020, 9, 1), False),  # five on 31 August: a year too young
            (datetime.date(2017, 9, 1), True),  # eight: two years older than the entry age
            (datetime.date(2017, 8, 31), False),  # nine: more than two years older
        ],
    )
    def test_primary_one_in_2026(self, born, fits):
        assert (services.grade_problem(born, "p1", 2026) is None) == fits

    def test_the_refusal_names_the_age_and_the_range(self):
        problem = services.grade_problem(datetime.date(2020, 9, 1), "p1", 2026)
        assert problem == (
            "A child aged 5 on 31 August 2026 does not fit the grade Primary grade 1, which takes "
            "children aged 6 to 8 on that day."
        )

    def test_kindergarten_and_junior_high(self):
        assert services.grade_problem(datetime.date(2023, 8, 31), "k1", 2026) is None
        assert "does not fit the grade" in services.grade_problem(datetime.date(2023, 9, 1), "k1", 2026)
        assert services.grade_problem(datetime.date(2012, 1, 1), "j3", 2026) is None
        assert "does not fit the grade" in services.grade_problem(datetime.date(2014, 1, 1), "j3", 2026)

    def test_a_child_born_on_29_february(self):
        assert services.age_on_cutoff(datetime.date(2020, 2, 29), 2026) == 6

    def test_the_coming_school_year(self):
        assert services.coming_school_year(datetime.date(2026, 8, 31)) == 2026
        assert services.coming_school_year(datetime.date(2026, 9, 1)) == 2027


# --- submission --------------------------------------------------------------------------------


class TestSubmission:
    def test_a_chair_submits_for_a_member_of_their_union(self, request_a, chair_a, parent_a):
        assert (request_a.status, request_a.submitted_by, request_a.union, request_a.member) == (
            Status.SUBMITTED,
            chair_a,
            parent_a.union,
            parent_a,
        )
        assert (request_a.child_name, request_a.grade, request_a.school_year) == ("赵小宝", "p1", YEAR)
        assert sorted(request_a.documents.values_list("kind", flat=True)) == sorted(REQUIRED)
        assert all(d.upload.storage.exists(d.upload.name) for d in request_a.documents.all())
        entry = LogEntry.objects.get_for_object(request_a).get(action=LogEntry.Action.CREATE)
        assert entry.actor == chair_a
        assert "child_name" not in entry.changes_dict and "child_birth_date" not in entry.changes_dict

    def test_aid_staff_submit_on_the_chairs_behalf(self, aid_staff, chair_a, parent_a):
        request = submit(aid_staff, parent_a)
        assert request.submitted_by == chair_a
        assert LogEntry.objects.get_for_object(request).get(action=LogEntry.Action.CREATE).actor == aid_staff
        assert SchoolPlaceRequest.objects.visible_to(chair_a).filter(pk=request.pk).exists()

    def test_documents_may_be_given_by_kind(self, chair_a, parent_a):
        upload = {kind: SimpleUploadedFile(f"{kind}.png", PNG) for kind in REQUIRED}
        assert submit(chair_a, parent_a, documents=upload).documents.count() == 4

    @pytest.mark.parametrize(
        "changes, message",
        [
            ({"child_birth_date": datetime.date(YEAR - 6, 9, 1)}, "does not fit the grade"),
            ({"grade": "j1"}, "does not fit the grade"),
            ({"child_birth_date": TODAY + datetime.timedelta(days=1)}, "birth date cannot be in the future"),
            (
                {"residence_permit_since": TODAY + datetime.timedelta(days=1)},
                "permit date cannot be in the future",
            ),
            ({"has_residence_permit": False}, "the member holds no residence permit"),
            ({"social_insurance_months": 601}, "between 0 and 600"),
            ({"child_name": "  "}, "Give the child's name"),
            ({"child_name": "赵" * 51}, "at most 50 characters"),
            (
                {"documents": documents("household_register", "residence_permit")},
                "Documents missing: Birth certificate、Social-insurance payment record.",
            ),
            (
                {
                    "documents": documents(*REQUIRED[:3])
                    + [(REQUIRED[3], SimpleUploadedFile("si.pdf", b"MZ\x90 no pdf"))]
                },
                "si.pdf is not the file its name says it is",
            ),
            (
                {"documents": documents(*REQUIRED[:3]) + [(REQUIRED[3], SimpleUploadedFile("si.exe", PDF))]},
                "only PDF, JPEG and PNG",
            ),
            (
                {
                    "documents": documents(*REQUIRED[:3])
                    + [(REQUIRED[3], SimpleUploadedFile("big.pdf", PDF + b"\0" * (10 * 1024 * 1024)))]
                },
                "larger than 10 MB",
            ),
        ],
    )
    def test_refused_with_the_reason_and_nothing_written(self, chair_a, parent_a, changes, message):
        with pytest.raises(ValidationError) as refused:
            submit(chair_a, parent_a, **changes)
        assert any(message in m for m in refused.value.messages), refused.value.messages
        assert nothing_written()

    def test_every_problem_is_named_at_once(self, chair_a, parent_a):
        with pytest.raises(ValidationError) as refused:
            submit(chair_a, parent_a, grade="k1", social_insurance_months=700, documents=[])
        assert len(refused.value.messages) == 3

    def test_the_member_must_be_in_the_chairs_union(self, chair_b, union_b, parent_a):
        with pytest.raises(ValidationError, match="赵建国 is not an active member of 乙片区联合工会"):
            submit(chair_b, parent_a, union=union_b)
        with pytest.raises(ValidationError, match="Only the chair of 甲公司工会委员会"):
            submit(chair_b, parent_a)
        assert nothing_written()

    def test_a_former_member_is_refused(self, chair_a, parent_a):
        Member.objects.filter(pk=parent_a.pk).update(status=Member.Status.WITHDRAWN)
        parent_a.refresh_from_db()
        with pytest.raises(ValidationError, match="not an active member"):
            submit(chair_a, parent_a)
        assert nothing_written()

    def test_nobody_else_submits(self, staff, outsider, parent_a, union_a):
        for user in (staff, outsider):
            with pytest.raises(ValidationError, match="Only the chair"):
                submit(user, parent_a)
        assert nothing_written()

    def test_a_double_submission_is_refused(self, request_a, chair_a, parent_a):
        with pytest.raises(ValidationError, match="already a request for 赵小宝 for the"):
            submit(chair_a, parent_a, child_name=" 赵小宝 ")
        assert SchoolPlaceRequest.objects.count() == 1 and SchoolPlaceDocument.objects.count() == 4
        # A brother, and the same child in another school year, are other requests.
        submit(chair_a, parent_a, child_name="赵小贝")
        submit(chair_a, parent_a, school_year=YEAR + 1, child_birth_date=datetime.date(YEAR - 6, 3, 15))
        assert SchoolPlaceRequest.objects.count() == 3

    def test_after_a_withdrawal_the_child_may_be_submitted_again(self, request_a, chair_a, parent_a):
        services.withdraw_request(by=chair_a, request=request_a)
        assert submit(chair_a, parent_a).pk != request_a.pk

    def test_a_member_not_marked_as_migrant_worker_is_a_warning_not_a_refusal(
        self, chair_a, member_a, parent_a
    ):
        request = submit(chair_a, member_a, child_name="王小宝")
        assert services.warnings_for(request) == [
            "王小明 is not marked as a migrant worker in the roster; check that the family is eligible for this help."
        ]
        assert services.warnings_for(submit(chair_a, parent_a)) == []


# --- the staff workflow ------------------------------------------------------------------------


class TestWorkflow:
    def test_checked_sent_placed_and_the_chair_is_told(self, request_a, aid_staff, chair_a):
        request = services.check_request(by=aid_staff, request=request_a, note="材料齐全")
        assert (request.status, request.checked_on) == (Status.CHECKED, TODAY)
        assert request.note.endswith("沈慧: 材料齐全")
        request = services.send_to_bureau(by=aid_staff, request=request)
        assert (request.status, request.sent_on) == (Status.SENT, TODAY)
        assert not Notice.objects.filter(user=chair_a).exists()
        request = services.record_outcome(by=aid_staff, request=request, placed=True, school="海宁市实验小学")
        assert (request.status, request.school, request.decided_on) == (
            Status.PLACED,
            "海宁市实验小学",
            TODAY,
        )
        notice = Notice.objects.get(user=chair_a)
        assert notice.key == f"school-place-outcome:{request.pk}" and "海宁市实验小学" in notice.title
        assert notice.url == request.get_absolute_url()
        actors = {
            e.actor for e in LogEntry.objects.get_for_object(request).filter(action=LogEntry.Action.UPDATE)
        }
        assert actors == {aid_staff}

    def test_not_placed_with_the_reason(self, request_a, aid_staff, chair_a):
        request = through(request_a, aid_staff, Status.SENT)
        with pytest.raises(ValidationError, match="Say why"):
            services.record_outcome(by=aid_staff, request=request, placed=False, reason=" ")
        with pytest.raises(ValidationError, match="Name the school"):
            services.record_outcome(by=aid_staff, request=request, placed=True, school="")
        request = services.record_outcome(
            by=aid_staff, request=request, placed=False, reason="所选学区学位已满"
        )
        assert (request.status, request.outcome_reason, request.school) == (
            Status.NOT_PLACED,
            "所选学区学位已满",
            "",
        )
        assert "所选学区学位已满" in Notice.objects.get(user=chair_a).body

    @pytest.mark.parametrize(
        "status, step",
        [
            (Status.SUBMITTED, "send"),
            (Status.SUBMITTED, "outcome"),
            (Status.CHECKED, "check"),
            (Status.CHECKED, "outcome"),
            (Status.SENT, "check"),
            (Status.SENT, "withdraw"),
            (Status.PLACED, "outcome"),
            (Status.PLACED, "withdraw"),
            (Status.NOT_PLACED, "send"),
            (Status.WITHDRAWN, "check"),
        ],
    )
    def test_wrong_transitions_are_refused(self, request_a, aid_staff, chair_a, status, step):
        request = through(request_a, aid_staff, status)
        action = {
            "check": lambda: services.check_request(by=aid_staff, request=request),
            "send": lambda: services.send_to_bureau(by=aid_staff, request=request),
            "outcome": lambda: services.record_outcome(
                by=aid_staff, request=request, placed=True, school="某小学"
            ),
            "withdraw": lambda: services.withdraw_request(by=chair_a, request=request),
        }[step]
        with pytest.raises(ValidationError, match="cannot be done to a request that is"):
            action()
        request.refresh_from_db()
        assert request.status == status

    def test_dates_follow_the_steps(self, request_a, aid_staff):
        with pytest.raises(ValidationError, match="future"):
            services.check_request(by=aid_staff, request=request_a, on=TODAY + datetime.timedelta(days=1))
        with pytest.raises(ValidationError, match="before the previous step"):
            services.check_request(by=aid_staff, request=request_a, on=TODAY - datetime.timedelta(days=1))

    def test_a_chair_cannot_take_a_staff_step(self, request_a, chair_a, staff):
        for user in (chair_a, staff):
            with pytest.raises(PermissionDenied, match="aid duty"):
                services.check_request(by=user, request=request_a)
        request_a.refresh_from_db()
        assert request_a.status == Status.SUBMITTED

    def test_the_chair_withdraws_while_submitted_or_checked(self, request_a, aid_staff, chair_a):
        request = services.withdraw_request(by=chair_a, request=through(request_a, aid_staff, Status.CHECKED))
        assert (request.status, request.decided_on) == (Status.WITHDRAWN, TODAY)
        assert not Notice.objects.filter(user=chair_a).exists()

    def test_staff_return_a_request_with_the_reason_and_the_chair_is_told(
        self, request_a, aid_staff, chair_a
    ):
        with pytest.raises(ValidationError, match="Say why the request is returned"):
            services.withdraw_request(by=aid_staff, request=request_a)
        request = services.withdraw_request(
            by=aid_staff, request=request_a, reason="出生证明不清晰，请重新上传"
        )
        assert (request.status, request.outcome_reason) == (Status.WITHDRAWN, "出生证明不清晰，请重新上传")
        assert Notice.objects.get(user=chair_a).key == f"school-place-returned:{request.pk}"

    def test_another_chair_cannot_withdraw(self, request_a, chair_b):
        with pytest.raises(PermissionDenied):
            services.withdraw_request(by=chair_b, request=request_a)

    def test_documents_are_added_while_the_request_is_open(self, request_a, chair_a, chair_b, aid_staff):
        added = services.add_documents(by=chair_a, request=request_a, documents=documents("employment"))
        assert [d.kind for d in added] == ["employment"]
        with pytest.raises(ValidationError, match="not the file its name says"):
            services.add_documents(
                by=chair_a, request=request_a, documents=[("other", SimpleUploadedFile("x.png", PDF))]
            )
        with pytest.raises(PermissionDenied, match="Only the chair of the union that submitted"):
            services.add_documents(by=chair_b, request=request_a, documents=documents("other"))
        through(request_a, aid_staff, Status.PLACED)
        with pytest.raises(ValidationError, match="cannot be done"):
            services.add_documents(by=chair_a, request=request_a, documents=documents("other"))
        assert request_a.documents.count() == 5


# --- figures, reminders, export ----------------------------------------------------------------


@pytest.fixture
def year_of_requests(chair_a, chair_b, parent_a, parent_b, aid_staff):
    """Six requests of the coming school year: two placed, one not placed, one withdrawn, two open."""
    made = [
        (chair_a, parent_a, "赵一", "p1", "海洲街道", Status.PLACED),
        (chair_a, parent_a, "赵二", "k1", "海洲街道", Status.PLACED),
        (chair_a, parent_a, "赵三", "p1", "长安镇", Status.NOT_PLACED),
        (chair_b, parent_b, "钱一", "j1", "长安镇", Status.WITHDRAWN),
        (chair_b, parent_b, "钱二", "p1", "许村镇", Status.SENT),
        (chair_b, parent_b, "钱三", "p1", "许村镇", Status.SUBMITTED),
    ]
    requests = []
    for chair, parent, name, grade, district, status in made:
        born = datetime.date(YEAR - services.ENTRY_AGE[grade], 1, 10)
        request = submit(
            chair, parent, child_name=name, grade=grade, child_birth_date=born, preferred_district=district
        )
        requests.append(through(request, aid_staff, status))
    return requests


class TestFigures:
    def test_the_years_figures(self, year_of_requests):
        figures = services.year_figures(YEAR)
        assert figures["requests"] == 6
        assert figures["by_status"] == {
            "submitted": 1,
            "checked": 0,
            "sent": 1,
            "placed": 2,
            "not_placed": 1,
            "withdrawn": 1,
        }
        assert (figures["placed"], figures["open"], figures["withdrawn"]) == (2, 2, 1)
        assert str(figures["placement_rate"]) == "66.7"  # two placed of the three answered
        assert [(r["grade"], r["requests"], r["placed"]) for r in figures["by_grade"]] == [
            ("k1", 1, 1),
            ("p1", 4, 1),
            ("j1", 1, 0),
        ]
        assert [(r["district"], r["requests"], r["placed"]) for r in figures["by_district"]] == [
            ("海洲街道", 2, 2),
            ("许村镇", 2, 0),
            ("长安镇", 2, 0),
        ]

    def test_a_chairs_own_figures_and_an_empty_year(self, year_of_requests, chair_b):
        mine = services.year_figures(YEAR, SchoolPlaceRequest.objects.visible_to(chair_b))
        assert (mine["requests"], mine["placed"], mine["placement_rate"]) == (3, 0, None)
        assert services.year_figures(YEAR - 5)["requests"] == 0

    def test_figures_by_year(self, year_of_requests):
        (row,) = services.figures_by_year()
        assert (
            row["school_year"],
            row["requests"],
            row["placed"],
            row["not_placed"],
            row["withdrawn"],
            row["open"],
        ) == (YEAR, 6, 2, 1, 1, 2)


class TestReminders:
    @pytest.fixture
    def deadline(self, db):
        return EnrolmentDeadline.objects.create(
            school_year=YEAR, title="入学登记截止", due_on=datetime.date(2030, 5, 8), remind_days_before=7
        )

    def test_the_window_and_who_is_told(self, deadline, year_of_requests, chair_a, chair_b, aid_staff, staff):
        assert services.send_deadline_reminders(datetime.date(2030, 4, 30)) == 0
        # Chair A's requests are all decided; chair B has two open ones; every aid staff member is told.
        assert services.send_deadline_reminders(datetime.date(2030, 5, 1)) == 2
        reminders = Notice.objects.filter(key__startswith="enrolment-deadline:")
        assert set(reminders.values_list("user__username", flat=True)) == {"chair_b", "aidstaff"}
        body = reminders.get(user=chair_b).body
        assert "in 7 days" in body and "2 open school-place requests" in body
        assert services.send_deadline_reminders(datetime.date(2030, 5, 8)) == 0  # once per deadline
        assert services.send_deadline_reminders(datetime.date(2030, 5, 9)) == 0

    def test_a_moved_deadline_is_announced_again(self, deadline, request_a, aid_staff):
        assert services.send_deadline_reminders(datetime.date(2030, 5, 8)) == 2
        EnrolmentDeadline.objects.filter(pk=deadline.pk).update(due_on=datetime.date(2030, 5, 12))
        assert services.send_deadline_reminders(datetime.date(2030, 5, 9)) == 2
        assert Notice.objects.count() == 4

    def test_other_school_years_are_not_reminded(self, deadline, request_a, aid_staff):
        EnrolmentDeadline.objects.filter(pk=deadline.pk).update(school_year=YEAR + 1)
        assert services.send_deadline_reminders(datetime.date(2030, 5, 8)) == 1  # the staff only

    def test_the_daily_task(self, request_a, aid_staff, chair_a):
        EnrolmentDeadline.objects.create(
            school_year=YEAR, title="材料审核截止", due_on=TODAY, remind_days_before=3
        )
        assert remind_enrolment_deadlines.delay().get() == 2
        assert remind_enrolment_deadlines.delay().get() == 0


def _cells(response) -> list[str]:
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    return [str(c) for row in sheet.iter_rows(values_only=True) for c in row if c is not None]


class TestExport:
    def test_the_export_is_masked(self, request_a, parent_a, login, aid_staff):
        response = login(aid_staff).get(reverse("aid:school_request_export"))
        assert response.status_code == 200
        cells = _cells(response)
        assert "赵*宝" in cells and "赵*国" in cells and f"{YEAR - 6}-03" in cells
        text = " ".join(cells)
        for secret in (
            "赵小宝",
            "赵建国",
            parent_a.id_number,
            parent_a.masked_id_number,
            parent_a.phone,
            parent_a.masked_phone,
            f"{YEAR - 6}-03-15",
        ):
            assert secret not in text

    def test_the_export_follows_the_filters(self, year_of_requests, login, aid_staff):
        cells = _cells(login(aid_staff).get(reverse("aid:school_request_export") + "?status=placed"))
        assert cells.count(SchoolPlaceRequest.Status.PLACED.label) == 2

    @pytest.mark.parametrize("role, status", [("chair_a", 403), ("staff", 404), ("outsider", 404)])
    def test_only_aid_staff_export(self, request_a, login, request, db, role, status):
        assert (
            login(request.getfixturevalue(role)).get(reverse("aid:school_request_export")).status_code
            == status
        )


# --- access ------------------------------------------------------------------------------------


class TestAccess:
    @pytest.mark.parametrize(
        "role, list_status, detail_status",
        [
            ("aid_staff", 200, 200),
            ("chair_a", 200, 200),  # the submitting chair
            ("chair_b", 200, 404),  # another union's chair
            ("staff", 404, 404),  # staff without the aid duty see no child's data
            ("casework_staff", 404, 404),
            ("outsider", 404, 404),
        ],
    )
    def test_who_sees_a_request(
        self, request_a, union_b, login, request, db, role, list_status, detail_status
    ):
        client = login(request.getfixturevalue(role))
        listing = client.get(reverse("aid:school_request_list"))
        assert listing.status_code == list_status
        if list_status == 200:
            assert ("赵小宝" in listing.content.decode()) == (detail_status == 200)
        assert client.get(request_a.get_absolute_url()).status_code == detail_status
        document = request_a.documents.first()
        assert (
            client.get(reverse("aid:school_document", args=[request_a.pk, document.pk])).status_code
            == detail_status
        )

    def test_anonymous_users_log_in(self, client, request_a):
        for url in (
            reverse("aid:school_request_list"),
            request_a.get_absolute_url(),
            reverse("aid:school_request_create"),
            reverse("aid:enrolment_deadline_list"),
        ):
            response = client.get(url)
            assert response.status_code == 302 and "/login/" in response.url

    @pytest.mark.parametrize(
        "role, status", [("chair_a", 403), ("chair_b", 404), ("staff", 404), ("outsider", 404)]
    )
    @pytest.mark.parametrize(
        "step, data", [("school_request_check", {}), ("school_request_send", {"sent_on": TODAY.isoformat()})]
    )
    def test_only_aid_staff_take_the_steps(
        self, request_a, union_b, login, request, db, role, status, step, data
    ):
        assert (
            login(request.getfixturevalue(role))
            .post(reverse(f"aid:{step}", args=[request_a.pk]), data)
            .status_code
            == status
        )
        request_a.refresh_from_db()
        assert request_a.status == Status.SUBMITTED

    @pytest.mark.parametrize(
        "name, args",
        [
            ("aid:enrolment_deadline_list", []),
            ("aid:enrolment_deadline_create", []),
            ("aid:school_figures", []),
        ],
    )
    @pytest.mark.parametrize(
        "role, status", [("aid_staff", 200), ("chair_a", 403), ("staff", 404), ("outsider", 404)]
    )
    def test_staff_pages(self, union_a, login, request, db, role, status, name, args):
        assert login(request.getfixturevalue(role)).get(reverse(name, args=args)).status_code == status

    def test_every_look_is_logged_without_the_childs_name(self, request_a, login, aid_staff, chair_a):
        login(aid_staff).get(request_a.get_absolute_url())
        login(chair_a).get(
            reverse("aid:school_document", args=[request_a.pk, request_a.documents.first().pk])
        )
        looks = (
            LogEntry.objects.get_for_object(request_a).filter(action=LogEntry.Action.ACCESS).order_by("pk")
        )
        assert [e.actor for e in looks] == [aid_staff, chair_a]
        assert all("赵小宝" not in e.object_repr for e in looks)

    def test_a_refused_look_is_not_logged(self, request_a, login, chair_b, staff):
        login(chair_b).get(request_a.get_absolute_url())
        login(staff).get(request_a.get_absolute_url())
        assert not LogEntry.objects.filter(action=LogEntry.Action.ACCESS).exists()

    def test_the_list_does_not_grow_in_queries(
        self, chair_a, parent_a, login, aid_staff, django_assert_max_num_queries
    ):
        for n in range(6):
            submit(chair_a, parent_a, child_name=f"赵{n}")
        client = login(aid_staff)
        with django_assert_max_num_queries(16):
            assert client.get(reverse("aid:school_request_list")).status_code == 200


# --- pages -------------------------------------------------------------------------------------


def _form(member, **changes):
    data = {
        "member": member.pk,
        "child_name": "赵小宝",
        "child_sex": "M",
        "child_birth_date": f"{YEAR - 6}-03-15",
        "school_year": str(YEAR),
        "grade": "p1",
        "has_residence_permit": "on",
        "residence_permit_since": f"{YEAR - 4}-05-01",
        "social_insurance_months": "36",
        "preferred_district": "海洲街道",
        "note": "",
        **{f"documents_{kind}": SimpleUploadedFile(f"{kind}.pdf", PDF) for kind in REQUIRED},
    }
    data.update(changes)
    return data


class TestPages:
    def test_a_chair_submits_through_the_form(self, login, chair_a, parent_a, member_a):
        client = login(chair_a)
        page = client.get(reverse("aid:school_request_create")).content.decode()
        assert parent_a.masked_id_number in page and member_a.masked_id_number in page
        assert parent_a.id_number not in page
        response = client.post(reverse("aid:school_request_create"), _form(parent_a))
        request = SchoolPlaceRequest.objects.get()
        assert response.status_code == 302 and response.url == request.get_absolute_url()
        assert (request.submitted_by, request.documents.count()) == (chair_a, 4)
        assert "赵小宝" in client.get(response.url).content.decode()

    def test_the_form_refuses_what_the_service_refuses(self, login, chair_a, parent_a):
        client = login(chair_a)
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        response = client.post(
            reverse("aid:school_request_create"),
            _form(parent_a, child_birth_date=f"{YEAR - 6}-09-01", documents_birth_certificate=""),
        )
        page = response.content.decode()
        assert (
            response.status_code == 200 and "does not fit the grade" in page and "Documents missing" in page
        )
        assert nothing_written()

    def test_a_member_of_another_union_cannot_be_chosen(self, login, chair_b, union_b, parent_a):
        response = login(chair_b).post(reverse("aid:school_request_create"), _form(parent_a))
        assert response.status_code == 200 and nothing_written()

    def test_a_chair_of_two_unions_picks_the_union(self, login, chair_a, union_a, parent_a, chair_b, union_b):
        second = GrassrootsUnion.objects.create(
            code="HN009", name="丙公司工会", chair=chair_a, founded_on=datetime.date(2018, 1, 1)
        )
        client = login(chair_a)
        page = client.get(reverse("aid:school_request_create")).content.decode()
        assert "HN009" in page and 'name="member"' not in page
        page = client.get(reverse("aid:school_request_create") + f"?union={union_a.pk}").content.decode()
        assert parent_a.masked_id_number in page
        assert client.get(reverse("aid:school_request_create") + f"?union={second.pk}").status_code == 200
        assert client.get(reverse("aid:school_request_create") + f"?union={union_b.pk}").status_code == 404
        response = client.post(reverse("aid:school_request_create"), {**_form(parent_a), "union": union_a.pk})
        assert response.status_code == 302 and SchoolPlaceRequest.objects.get().union == union_a

    def test_staff_walk_a_request_through_the_pages(self, request_a, login, aid_staff, chair_a):
        client = login(aid_staff)
        page = client.get(request_a.get_absolute_url()).content.decode()
        assert (
            "赵小宝" in page
            and request_a.member.masked_id_number in page
            and request_a.member.id_number not in page
        )
        client.post(reverse("aid:school_request_check", args=[request_a.pk]), {"note": "材料齐全"})
        client.post(reverse("aid:school_request_send", args=[request_a.pk]), {"sent_on": TODAY.isoformat()})
        client.post(
            reverse("aid:school_request_outcome", args=[request_a.pk]),
            {"outcome": "placed", "school": "海宁市南苑小学", "decided_on": TODAY.isoformat()},
        )
        request_a.refresh_from_db()
        assert (request_a.status, request_a.school) == (Status.PLACED, "海宁市南苑小学")
        assert "海宁市南苑小学" in login(chair_a).get(request_a.get_absolute_url()).content.decode()

    def test_a_failed_step_is_explained(self, request_a, login, aid_staff):
        response = login(aid_staff).post(
            reverse("aid:school_request_outcome", args=[request_a.pk]),
            {"outcome": "placed", "school": "某小学", "decided_on": TODAY.isoformat()},
            follow=True,
        )
        assert [m.level_tag for m in response.context["messages"]] == ["error"]

    def test_the_chair_withdraws_and_adds_documents_on_the_page(self, request_a, login, chair_a):
        client = login(chair_a)
        client.post(
            reverse("aid:school_document_upload", args=[request_a.pk]),
            {"documents_employment": SimpleUploadedFile("work.png", PNG)},
        )
        assert request_a.documents.count() == 5
        client.post(reverse("aid:school_request_withdraw", args=[request_a.pk]))
        request_a.refresh_from_db()
        assert request_a.status == Status.WITHDRAWN

    def test_staff_see_the_migrant_worker_warning(self, chair_a, member_a, login, aid_staff):
        request = submit(chair_a, member_a, child_name="王小宝")
        client = login(aid_staff)
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        assert "not marked as a migrant worker" in client.get(request.get_absolute_url()).content.decode()

    def test_the_list_filters(self, year_of_requests, login, aid_staff, union_a):
        area = Area.objects.create(name="芯中路片组")
        GrassrootsUnion.objects.filter(pk=union_a.pk).update(area=area)
        client = login(aid_staff)
        page = client.get(reverse("aid:school_request_list") + "?status=placed").content.decode()
        assert "赵一" in page and "赵二" in page and "钱二" not in page
        page = client.get(reverse("aid:school_request_list") + f"?area={area.pk}").content.decode()
        assert "赵三" in page and "钱二" not in page
        page = client.get(
            reverse("aid:school_request_list") + "?grade=j1&school_year=abc&area=x"
        ).content.decode()
        assert "钱一" in page and "赵一" not in page

    def test_the_list_shows_the_years_deadlines(self, request_a, login, chair_a):
        EnrolmentDeadline.objects.create(
            school_year=YEAR, title="入学登记截止", due_on=datetime.date(YEAR, 5, 8)
        )
        assert "入学登记截止" in login(chair_a).get(reverse("aid:school_request_list")).content.decode()

    def test_figures_page(self, year_of_requests, login, aid_staff):
        page = login(aid_staff).get(reverse("aid:school_figures")).content.decode()
        assert "66.7%" in page and "海洲街道" in page

    def test_staff_keep_the_enrolment_calendar(self, login, aid_staff):
        client = login(aid_staff)
        data = {
            "school_year": str(YEAR),
            "title": "入学登记截止",
            "due_on": f"{YEAR}-05-08",
            "remind_days_before": "10",
        }
        assert client.post(reverse("aid:enrolment_deadline_create"), data).status_code == 302
        deadline = EnrolmentDeadline.objects.get()
        assert client.post(reverse("aid:enrolment_deadline_create"), data).status_code == 200  # same title
        assert EnrolmentDeadline.objects.count() == 1
        client.post(
            reverse("aid:enrolment_deadline_edit", args=[deadline.pk]), {**data, "due_on": f"{YEAR}-05-10"}
        )
        deadline.refresh_from_db()
        assert deadline.due_on == datetime.date(YEAR, 5, 10)
        assert "入学登记截止" in client.get(reverse("aid:enrolment_deadline_list")).content.decode()
        assert client.get(reverse("aid:enrolment_deadline_delete", args=[deadline.pk])).status_code == 200
        client.post(reverse("aid:enrolment_deadline_delete", args=[deadline.pk]))
        assert not EnrolmentDeadline.objects.exists()

    def test_a_deadline_outside_its_school_year_is_refused(self, aid_staff):
        with pytest.raises(ValidationError, match=f"falls between {YEAR - 1} and {YEAR + 1}"):
            services.save_deadline(
                by=aid_staff, school_year=YEAR, title="录取名单公布", due_on=datetime.date(YEAR + 2, 7, 1)
            )
        assert not EnrolmentDeadline.objects.exists()


# --- demo --------------------------------------------------------------------------------------


class TestDemo:
    @pytest.fixture
    def roster(self, union_a, enterprise_a, union_b, enterprise_b):
        members = []
        for n in range(80):
            born = datetime.date(1978, 1, 1) + datetime.timedelta(days=113 * n)
            enterprise = enterprise_a if n % 2 else enterprise_b
            member = Member(
                name=f"孙职工{n}",
                id_number=make_id(born.strftime("%Y%m%d"), seq=2 * n + 1),
                enterprise=enterprise,
                union=enterprise.union,
                joined_on=datetime.date(2015, 1, 1),
                status_changed_on=datetime.date(2015, 1, 1),
                is_migrant_worker=n % 5 != 0,
            )
            member.derive_from_id_number()
            members.append(member)
        Member.objects.bulk_create(members)
        return [union_a, union_b]

    def test_the_demo_school_places(self, roster, aid_staff, media):
        seed_school_places(rng=random.Random(2026), unions=roster, staff=aid_staff, today=TODAY)
        assert set(EnrolmentDeadline.objects.values_list("school_year", flat=True)) == {YEAR, YEAR + 1}
        assert EnrolmentDeadline.objects.count() == 6
        last_year = services.year_figures(YEAR - 1)
        assert (last_year["requests"], last_year["placed"], last_year["open"]) == (175, 160, 0)
        this_year = services.year_figures(YEAR)
        assert all(this_year["by_status"][s] > 0 for s in Status.values)
        requests = list(SchoolPlaceRequest.objects.select_related("member", "union"))
        assert all(
            services.grade_problem(r.child_birth_date, r.grade, r.school_year) is None for r in requests
        )
        assert all(r.member.is_migrant_worker and r.member.union_id == r.union_id for r in requests)
        assert all(r.submitted_by_id == r.union.chair_id and r.submitted_on <= TODAY for r in requests)
        assert all(r.school for r in requests if r.status == Status.PLACED)
        chair1 = SchoolPlaceRequest.objects.filter(union=roster[0], school_year=YEAR)
        assert chair1.count() >= 3
        document = SchoolPlaceDocument.objects.filter(request__in=chair1).first()
        assert document.upload.storage.exists(document.upload.name)
        assert document.upload.open("rb").read().startswith(b"%PDF-")

    def test_the_demo_is_deterministic(self, roster, aid_staff):
        def run():
            seed_school_places(rng=random.Random(7), unions=roster, staff=aid_staff, today=TODAY)
            rows = list(
                SchoolPlaceRequest.objects.order_by("pk").values_list(
                    "child_name", "child_birth_date", "grade", "status", "school"
                )
            )
            SchoolPlaceRequest.objects.all().delete()
            EnrolmentDeadline.objects.all().delete()
            return rows

        assert run() == run()

    def test_an_empty_roster_gets_only_the_calendar(self, union_a, aid_staff):
        seed_school_places(rng=random.Random(1), unions=[union_a], staff=aid_staff, today=TODAY)
        assert EnrolmentDeadline.objects.count() == 6 and not SchoolPlaceRequest.objects.exists()
