"""Workers' homes (职工之家): the checklist and its scoring, the chair's self-assessment, inspections
and the re-inspection due date they set (month ends included), levels from paper records, the
``workers_home_due`` command, reminders, the district view (建家率, filters) and access per role."""

import datetime
import io
from decimal import Decimal

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from homes import services as homes
from homes.models import (
    ChecklistItem,
    HomeInspection,
    HomeLevel,
    InspectionPhoto,
    InspectionScore,
    SelfAssessment,
    SelfAssessmentScore,
    WorkersHome,
)
from homes.tasks import remind_workers_home_due
from members.models import Area, Enterprise, GrassrootsUnion
from tests.factories import DAY, JPEG, PNG, TODAY, make_credit_code, make_union
from unionhub.models import Notice

PDF = b"%PDF-1.4\n" + b"\0" * 32


@pytest.fixture
def items(staff):
    """A small checklist: 10 + 5 + 5 = 20 points."""
    make = homes.create_checklist_item
    return [
        make(by=staff, category="organisation", title="职代会", max_points=10, order=1),
        make(by=staff, category="facilities", title="职工书屋", max_points=5, order=2),
        make(by=staff, category="activities", title="文体活动", max_points=5, order=3),
    ]


def full(items, *values):
    return {item.pk: Decimal(str(value)) for item, value in zip(items, values or (8, 4, 3), strict=True)}


def inspect(
    staff,
    union,
    items,
    *,
    on=datetime.date(2024, 3, 15),
    level=HomeLevel.QUALIFIED,
    kind="reinspection",
    photos=(),
    points=None,
):
    return homes.record_inspection(
        by=staff,
        union=union,
        kind=kind,
        visited_on=on,
        inspectors="周晓红、王海峰",
        findings="书屋藏书充足。",
        points=points or full(items),
        level_after=level,
        photos=photos,
    )


def home_due_in(union, days, level=HomeLevel.QUALIFIED):
    return WorkersHome.objects.create(
        union=union,
        level=level,
        level_reached_on=datetime.date(2020, 1, 1),
        last_inspected_on=datetime.date(2023, 1, 1),
        reinspection_due_on=TODAY + days * DAY,
    )


# --- the checklist -------------------------------------------------------------------------------


class TestChecklist:
    def test_staff_adds_changes_and_takes_an_item_out_of_use(self, staff, items):
        item = homes.update_checklist_item(
            by=staff,
            item=items[1],
            category="facilities",
            title="职工书屋（阅览室）",
            max_points=6,
            guidance="藏书不少于1000册",
        )
        assert (item.title, item.max_points) == ("职工书屋（阅览室）", 6)
        homes.set_checklist_item_active(by=staff, item=item, active=False)
        assert [i.pk for i in homes.active_items()] == [items[0].pk, items[2].pk]

    @pytest.mark.parametrize("points", [0, -1])
    def test_an_item_is_worth_at_least_one_point(self, staff, english, points):
        with pytest.raises(ValidationError, match="at least 1 point"):
            homes.create_checklist_item(by=staff, category="facilities", title="健身室", max_points=points)
        assert not ChecklistItem.objects.exists()

    def test_the_same_title_twice_in_a_category_is_refused(self, staff, items, english):
        with pytest.raises(ValidationError, match="already has an item"):
            homes.create_checklist_item(by=staff, category="organisation", title="职代会", max_points=3)
        assert ChecklistItem.objects.count() == 3

    def test_a_chair_cannot_change_the_checklist(self, chair_a, items):
        with pytest.raises(PermissionDenied):
            homes.create_checklist_item(by=chair_a, category="facilities", title="健身室", max_points=3)
        with pytest.raises(PermissionDenied):
            homes.set_checklist_item_active(by=chair_a, item=items[0], active=False)


# --- the self-assessment -------------------------------------------------------------------------


class TestSelfAssessment:
    def test_draft_then_submit_with_the_total(self, chair_a, union_a, items):
        draft = homes.save_self_assessment(
            by=chair_a,
            union=union_a,
            year=TODAY.year,
            points={items[0].pk: Decimal("7.5"), items[1].pk: None},
        )
        assert draft.status == SelfAssessment.Status.DRAFT and draft.total == Decimal("7.5")
        assert draft.scores.count() == 1
        done = homes.save_self_assessment(
            by=chair_a,
            union=union_a,
            year=TODAY.year,
            points=full(items, 9, 5, 2.5),
            notes={items[1].pk: "新增藏书300册"},
            submit=True,
        )
        assert done.pk == draft.pk and done.status == SelfAssessment.Status.SUBMITTED
        assert done.total == Decimal("16.5") and done.submitted_by == chair_a and done.submitted_at
        assert SelfAssessmentScore.objects.get(assessment=done, item=items[1]).note == "新增藏书300册"

    def test_above_the_maximum_is_refused_naming_the_item_and_nothing_is_written(
        self, chair_a, union_a, items, english
    ):
        homes.save_self_assessment(by=chair_a, union=union_a, year=TODAY.year, points={items[0].pk: 5})
        with pytest.raises(ValidationError) as refused:
            homes.save_self_assessment(
                by=chair_a, union=union_a, year=TODAY.year, points=full(items, 10, 6, 1), submit=True
            )
        assert refused.value.messages == ["职工书屋: at most 5 points, 6 given."]
        assessment = SelfAssessment.objects.get()
        assert assessment.status == SelfAssessment.Status.DRAFT and assessment.total == 5
        assert list(assessment.scores.values_list("item_id", "points")) == [(items[0].pk, Decimal(5))]

    def test_the_maximum_itself_is_accepted(self, chair_a, union_a, items):
        assessment = homes.save_self_assessment(
            by=chair_a, union=union_a, year=TODAY.year, points=full(items, 10, 5, 5), submit=True
        )
        assert assessment.total == 20

    @pytest.mark.parametrize(
        "value, message", [(-1, "cannot be negative"), ("2.25", "steps of 0.1"), ("many", "must be a number")]
    )
    def test_bad_points_are_refused(self, chair_a, union_a, items, english, value, message):
        with pytest.raises(ValidationError, match=message):
            homes.save_self_assessment(
                by=chair_a, union=union_a, year=TODAY.year, points={items[0].pk: value}
            )
        assert not SelfAssessment.objects.exists()

    def test_submitting_needs_every_item_scored(self, chair_a, union_a, items, english):
        with pytest.raises(ValidationError, match="not scored: 文体活动"):
            homes.save_self_assessment(
                by=chair_a,
                union=union_a,
                year=TODAY.year,
                points={items[0].pk: 1, items[1].pk: 1},
                submit=True,
            )
        assert not SelfAssessment.objects.exists()

    def test_an_item_out_of_use_is_not_scored(self, staff, chair_a, union_a, items, english):
        homes.set_checklist_item_active(by=staff, item=items[2], active=False)
        with pytest.raises(ValidationError, match="no longer on the checklist"):
            homes.save_self_assessment(by=chair_a, union=union_a, year=TODAY.year, points=full(items))
        done = homes.save_self_assessment(
            by=chair_a, union=union_a, year=TODAY.year, points={items[0].pk: 8, items[1].pk: 4}, submit=True
        )
        assert done.total == 12

    def test_a_submitted_self_assessment_cannot_be_changed(self, chair_a, union_a, items, english):
        homes.save_self_assessment(
            by=chair_a, union=union_a, year=TODAY.year, points=full(items), submit=True
        )
        with pytest.raises(ValidationError, match="can no longer be changed"):
            homes.save_self_assessment(
                by=chair_a, union=union_a, year=TODAY.year, points=full(items, 1, 1, 1)
            )
        assert SelfAssessment.objects.get().total == 15
        assert sorted(SelfAssessmentScore.objects.values_list("points", flat=True)) == [3, 4, 8]

    def test_only_the_unions_chair_fills_it_in(self, chair_b, staff, union_a, items):
        for user in (chair_b, staff):
            with pytest.raises(PermissionDenied):
                homes.save_self_assessment(by=user, union=union_a, year=TODAY.year, points=full(items))
        assert not SelfAssessment.objects.exists()

    def test_not_for_a_future_year(self, chair_a, union_a, items, english):
        with pytest.raises(ValidationError, match="this year or an earlier one"):
            homes.save_self_assessment(by=chair_a, union=union_a, year=TODAY.year + 1, points=full(items))


# --- inspections, levels and due dates -----------------------------------------------------------


class TestInspection:
    def test_an_inspection_sets_the_level_and_the_due_date(self, staff, union_a, items):
        inspection = inspect(staff, union_a, items, on=datetime.date(2024, 3, 15), level=HomeLevel.CITY)
        assert inspection.total == 15 and inspection.scores.count() == 3 and inspection.recorded_by == staff
        home = union_a.workers_home
        assert (home.level, home.level_reached_on) == (HomeLevel.CITY, datetime.date(2024, 3, 15))
        assert home.last_inspected_on == datetime.date(2024, 3, 15)
        assert home.reinspection_due_on == datetime.date(2027, 3, 15)

    @pytest.mark.parametrize(
        "months, visited, due",
        [
            (1, datetime.date(2025, 1, 31), datetime.date(2025, 2, 28)),
            (1, datetime.date(2024, 1, 31), datetime.date(2024, 2, 29)),
            (12, datetime.date(2024, 2, 29), datetime.date(2025, 2, 28)),
            (48, datetime.date(2024, 2, 29), datetime.date(2028, 2, 29)),
            (36, datetime.date(2023, 8, 31), datetime.date(2026, 8, 31)),
            (6, datetime.date(2023, 8, 31), datetime.date(2024, 2, 29)),
            (3, datetime.date(2024, 11, 30), datetime.date(2025, 2, 28)),
        ],
    )
    def test_the_due_date_is_the_set_number_of_months_later(
        self, settings, staff, union_a, items, months, visited, due
    ):
        settings.WORKERS_HOME_REINSPECTION_MONTHS = months
        inspect(staff, union_a, items, on=visited)
        assert WorkersHome.objects.get(union=union_a).reinspection_due_on == due

    def test_the_level_date_moves_only_when_the_level_changes(self, staff, union_a, items):
        inspect(staff, union_a, items, on=datetime.date(2021, 5, 10), kind="acceptance")
        inspect(staff, union_a, items, on=datetime.date(2024, 5, 10))
        home = WorkersHome.objects.get(union=union_a)
        assert home.level_reached_on == datetime.date(2021, 5, 10)
        assert (home.last_inspected_on, home.reinspection_due_on) == (
            datetime.date(2024, 5, 10),
            datetime.date(2027, 5, 10),
        )
        inspect(staff, union_a, items, on=datetime.date(2024, 9, 1), kind="spot_check", level=HomeLevel.CITY)
        home.refresh_from_db()
        assert (home.level, home.level_reached_on) == (HomeLevel.CITY, datetime.date(2024, 9, 1))

    def test_a_home_not_rated_after_the_visit_has_no_due_date(self, staff, union_a, items):
        inspect(staff, union_a, items, on=datetime.date(2023, 1, 10))
        inspect(staff, union_a, items, on=datetime.date(2024, 1, 10), level=HomeLevel.NONE)
        home = WorkersHome.objects.get(union=union_a)
        assert home.level == HomeLevel.NONE and home.reinspection_due_on is None
        assert not homes.homes_due(within_days=365 * 5).exists()

    def test_an_older_visit_joins_the_history_without_changing_the_home(self, staff, union_a, items):
        inspect(staff, union_a, items, on=datetime.date(2024, 6, 1), level=HomeLevel.CITY)
        inspect(staff, union_a, items, on=datetime.date(2022, 6, 1), kind="acceptance")
        home = WorkersHome.objects.get(union=union_a)
        assert (home.level, home.last_inspected_on) == (HomeLevel.CITY, datetime.date(2024, 6, 1))
        assert HomeInspection.objects.filter(union=union_a).count() == 2

    def test_a_double_posted_inspection_is_recorded_once(self, staff, union_a, items, english):
        inspect(staff, union_a, items)
        with pytest.raises(ValidationError, match="already recorded"):
            inspect(staff, union_a, items)
        assert HomeInspection.objects.count() == 1

    def test_scores_above_the_maximum_are_refused_and_nothing_is_written(
        self, staff, union_a, items, english
    ):
        with pytest.raises(ValidationError, match="职代会: at most 10 points, 11 given"):
            inspect(staff, union_a, items, points=full(items, 11, 5, 5))
        assert not HomeInspection.objects.exists() and not InspectionScore.objects.exists()
        assert not WorkersHome.objects.exists()

    def test_every_item_is_scored_and_the_visit_is_not_in_the_future(self, staff, union_a, items, english):
        with pytest.raises(ValidationError) as refused:
            inspect(staff, union_a, items, on=TODAY + DAY, points={items[0].pk: 5})
        assert any("future" in m for m in refused.value.messages)
        assert any("not scored: 职工书屋、文体活动" in m for m in refused.value.messages)
        assert not HomeInspection.objects.exists()

    def test_photos_are_kept(self, staff, union_a, items):
        inspection = inspect(
            staff,
            union_a,
            items,
            photos=[
                SimpleUploadedFile("书屋.jpg", JPEG),
                (SimpleUploadedFile("mum.png", PNG), "爱心妈咪小屋"),
            ],
        )
        assert [p.caption for p in inspection.photos.all()] == ["", "爱心妈咪小屋"]
        assert inspection.photos.first().image.read() == JPEG

    @pytest.mark.parametrize(
        "upload",
        [
            SimpleUploadedFile("report.pdf", PDF),
            SimpleUploadedFile("photo.jpg", PDF),
            SimpleUploadedFile("notes.txt", b"hello"),
            SimpleUploadedFile("photo.jpg", b"MZ\x90\x00"),
        ],
    )
    def test_a_photo_that_is_not_an_image_is_refused(self, staff, union_a, items, english, upload):
        with pytest.raises(ValidationError, match="only JPEG and PNG photos"):
            inspect(staff, union_a, items, photos=[upload])
        assert not HomeInspection.objects.exists() and not InspectionPhoto.objects.exists()

    def test_a_photo_over_10_mb_is_refused(self, staff, union_a, items, english):
        big = SimpleUploadedFile("big.jpg", JPEG + b"\0" * (10 * 1024 * 1024))
        with pytest.raises(ValidationError, match="larger than 10 MB"):
            inspect(staff, union_a, items, photos=[big])
        assert not HomeInspection.objects.exists()

    def test_a_chair_cannot_record_an_inspection(self, chair_a, union_a, items):
        with pytest.raises(PermissionDenied):
            inspect(chair_a, union_a, items)

    def test_a_level_from_paper_records(self, staff, union_a, items):
        home = homes.set_level(
            by=staff, union=union_a, level=HomeLevel.PREFECTURE, on=datetime.date(2019, 1, 31)
        )
        assert (home.level, home.level_reached_on) == (HomeLevel.PREFECTURE, datetime.date(2019, 1, 31))
        assert home.reinspection_due_on == datetime.date(2022, 1, 31)
        inspect(staff, union_a, items, on=datetime.date(2023, 4, 1), level=HomeLevel.PREFECTURE)
        home = homes.set_level(
            by=staff, union=union_a, level=HomeLevel.PROVINCE, on=datetime.date(2021, 12, 1)
        )
        assert home.reinspection_due_on == datetime.date(2026, 4, 1)  # the later inspection counts
        home = homes.set_level(by=staff, union=union_a, level=HomeLevel.NONE, on=datetime.date(2024, 1, 1))
        assert home.reinspection_due_on is None

    def test_a_level_cannot_be_set_by_a_chair_nor_for_the_future(self, staff, chair_a, union_a, english):
        with pytest.raises(PermissionDenied):
            homes.set_level(by=chair_a, union=union_a, level=HomeLevel.CITY, on=TODAY)
        with pytest.raises(ValidationError, match="future"):
            homes.set_level(by=staff, union=union_a, level=HomeLevel.CITY, on=TODAY + DAY)
        assert not WorkersHome.objects.exists()


def test_inspections_levels_and_submissions_are_audited(staff, chair_a, union_a, items):
    from auditlog.models import LogEntry

    inspect(staff, union_a, items, level=HomeLevel.CITY)
    homes.set_level(by=staff, union=union_a, level=HomeLevel.PROVINCE, on=datetime.date(2024, 6, 1))
    homes.save_self_assessment(by=chair_a, union=union_a, year=TODAY.year, points=full(items), submit=True)
    home = WorkersHome.objects.get(union=union_a)
    assert {entry.actor for entry in LogEntry.objects.get_for_object(home)} == {staff}
    updates = LogEntry.objects.get_for_object(home).filter(action=LogEntry.Action.UPDATE).order_by("pk")
    assert [e.changes_dict["level"] for e in updates] == [
        [str(HomeLevel.CITY.value), str(HomeLevel.PROVINCE.value)]
    ]
    assert LogEntry.objects.get_for_object(HomeInspection.objects.get()).get().actor == staff
    assert LogEntry.objects.get_for_object(SelfAssessment.objects.get()).get().actor == chair_a


# --- the command and the reminders ---------------------------------------------------------------


def due_lines(**options) -> list[str]:
    out = io.StringIO()
    call_command("workers_home_due", stdout=out, **options)
    return out.getvalue().splitlines()


@pytest.mark.usefixtures("english")
class TestWorkersHomeDueCommand:
    def test_lists_due_today_in_30_days_and_overdue_but_not_in_31(self, union_a, union_b):
        home_due_in(union_a, 0)
        home_due_in(union_b, 30, level=HomeLevel.CITY)
        late = home_due_in(make_union("HN003", enterprise_size="small"), -5)
        home_due_in(make_union("HN004", n=1, enterprise_size="small"), 31)
        home_due_in(make_union("HN005", n=2, enterprise_size="small"), -3, level=HomeLevel.NONE)
        lines = due_lines()
        assert lines == [
            f"HN003 HN003工会 Qualified (合格职工之家) {late.reinspection_due_on.isoformat()} overdue by 5 days",
            f"HN001 甲公司工会委员会 Qualified (合格职工之家) {TODAY.isoformat()} 0 days left",
            f"HN002 乙片区联合工会 City-level model home {(TODAY + 30 * DAY).isoformat()} 30 days left",
            "3 unions due within 30 days.",
        ]
        assert any(line.startswith("HN004") for line in due_lines(days=31))

    def test_none_due_says_so(self, union_a):
        home_due_in(union_a, 40)
        assert due_lines() == ["No union's workers' home falls due for re-inspection within 30 days."]

    def test_one_union_and_one_day(self, union_a):
        home_due_in(union_a, 1)
        assert due_lines()[-2:] == [
            f"HN001 甲公司工会委员会 Qualified (合格职工之家) {(TODAY + DAY).isoformat()} 1 day left",
            "1 union due within 30 days.",
        ]

    def test_a_dissolved_union_is_not_listed(self, union_a):
        home_due_in(union_a, 3)
        GrassrootsUnion.objects.filter(pk=union_a.pk).update(status="dissolved")
        assert due_lines() == ["No union's workers' home falls due for re-inspection within 30 days."]

    @pytest.mark.parametrize("days", [0, -1, 366])
    def test_days_must_be_1_to_365(self, days):
        with pytest.raises(CommandError, match="between 1 and 365"):
            due_lines(days=days)

    def test_days_365_is_accepted(self, union_a):
        home_due_in(union_a, 365)
        assert due_lines(days=365)[-1] == "1 union due within 365 days."

    def test_remind_also_sends_the_reminders(self, union_a, chair_a, staff):
        home_due_in(union_a, 10)
        assert due_lines(remind=True)[-1] == "2 reminders sent."
        assert Notice.objects.filter(user=chair_a).count() == 1


class TestReminders:
    def test_chair_and_organisation_staff_once_per_due_date(self, union_a, chair_a, staff, finance_staff):
        home = home_due_in(union_a, 20)
        assert homes.send_due_reminders() == {"homes": 1, "notified": 2}
        key = f"workers-home-due:{union_a.pk}:{home.reinspection_due_on.isoformat()}"
        assert Notice.objects.get(user=chair_a).key == Notice.objects.get(user=staff).key == key
        assert not Notice.objects.filter(user=finance_staff).exists()
        home.refresh_from_db()
        assert home.reminded_for == home.reinspection_due_on
        assert homes.send_due_reminders() == {"homes": 0, "notified": 0}
        WorkersHome.objects.filter(pk=home.pk).update(reminded_for=None)  # even then: the key holds
        assert homes.send_due_reminders()["notified"] == 0
        assert Notice.objects.count() == 2

    def test_a_new_due_date_is_announced_again(self, staff, chair_a, union_a, items):
        inspect(staff, union_a, items, on=TODAY - 3 * 365 * DAY)
        assert homes.send_due_reminders()["notified"] == 2
        inspect(staff, union_a, items, on=TODAY - 3 * 365 * DAY + 10 * DAY)
        assert homes.send_due_reminders()["notified"] == 2
        assert Notice.objects.filter(user=chair_a).count() == 2

    def test_overdue_homes_are_reminded_and_later_ones_not(self, union_a, union_b, chair_a, chair_b):
        home_due_in(union_a, -40)
        home_due_in(union_b, settings.WORKERS_HOME_REMINDER_DAYS + 1)
        assert homes.send_due_reminders() == {"homes": 1, "notified": 1}
        assert not Notice.objects.filter(user=chair_b).exists()

    def test_the_daily_task(self, union_a, chair_a):
        home_due_in(union_a, 5)
        assert remind_workers_home_due.delay().get() == {"homes": 1, "notified": 1}
        assert remind_workers_home_due((TODAY - 60 * DAY).isoformat()) == {"homes": 0, "notified": 0}


# --- the district view ---------------------------------------------------------------------------


def english_client(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


class TestDistrictView:
    def test_the_home_building_rate_over_unions_with_a_large_enterprise(
        self, staff, enterprise_a, enterprise_b, items
    ):
        union_c = make_union("HN003", enterprise_size="large")
        make_union("HN004", n=1, enterprise_size="small")
        inspect(staff, enterprise_a.union, items, level=HomeLevel.QUALIFIED)
        inspect(staff, enterprise_b.union, items, level=HomeLevel.NATIONAL)
        homes.set_level(by=staff, union=union_c, level=HomeLevel.NONE, on=datetime.date(2024, 1, 1))
        figures = homes.district_figures(GrassrootsUnion.objects.all())
        assert (figures["large"], figures["large_rated"], figures["large_rate"]) == (2, 1, Decimal("50.0"))
        assert (figures["total"], figures["rated"], figures["rated_rate"]) == (4, 2, Decimal("50.0"))
        assert dict(figures["levels"])[HomeLevel.NONE] == 2
        assert dict(figures["levels"])[HomeLevel.NATIONAL] == 1
        homes.set_level(by=staff, union=union_c, level=HomeLevel.CITY, on=datetime.date(2024, 1, 1))
        assert homes.district_figures(GrassrootsUnion.objects.all())["large_rate"] == 100

    def test_the_page_shows_the_rate_as_a_percentage(self, login, staff, enterprise_a, enterprise_b, items):
        make_union("HN003", enterprise_size="large")
        inspect(staff, enterprise_a.union, items)
        page = english_client(login(staff)).get(reverse("homes:home_list")).content.decode()
        assert (
            "50%" in page
            and "Home-building rate" in page
            and "1 of 2 unions covering a large enterprise" in page
        )
        assert "33.3%" in page  # 1 of 3 unions rated

    def test_filter_by_grid_area_level_and_due(self, login, staff, union_a, union_b):
        east = Area.objects.create(name="东片")
        GrassrootsUnion.objects.filter(pk=union_a.pk).update(area=east)
        home_due_in(union_a, -2)
        home_due_in(union_b, 20, level=HomeLevel.CITY)
        client = login(staff)

        def codes(**query):
            page = client.get(reverse("homes:home_list"), query).context["page"]
            return [u.code for u in page.object_list]

        assert codes() == ["HN001", "HN002"]
        assert codes(area=east.pk) == ["HN001"]
        assert codes(level=HomeLevel.CITY) == ["HN002"]
        assert codes(due="overdue") == ["HN001"]
        assert codes(due="soon") == ["HN001", "HN002"]
        assert client.get(reverse("homes:home_list"), {"area": east.pk}).context["figures"]["total"] == 1

    def test_overdue_is_highlighted(self, login, staff, union_a):
        home_due_in(union_a, -2)
        page = english_client(login(staff)).get(reverse("homes:home_list")).content.decode()
        assert 'class="overdue"' in page and "overdue" in page

    def test_a_chair_goes_to_their_unions_home(self, login, chair_a, union_a):
        response = login(chair_a).get(reverse("homes:home_list"))
        assert response.status_code == 302
        assert response["Location"] == reverse("homes:home_detail", kwargs={"union_pk": union_a.pk})

    def test_a_chair_of_several_unions_sees_their_own(self, login, chair_a, union_a, union_b):
        make_union("HN003", chair=chair_a, enterprise_size="small")
        response = login(chair_a).get(reverse("homes:home_list"))
        assert response.status_code == 200 and response.context["figures"] is None
        assert [u.code for u in response.context["page"].object_list] == ["HN001", "HN003"]

    def test_query_count_does_not_grow_with_the_unions(self, login, staff, union_a):
        client = login(staff)
        home_due_in(union_a, 3)

        def queries():
            with CaptureQueriesContext(connection) as ctx:
                assert client.get(reverse("homes:home_list")).status_code == 200
            return len(ctx)

        small = queries()
        for n in range(8):
            home_due_in(make_union(f"HX{n:03d}", n=10 + n, enterprise_size="small"), n * 10)
        Area.objects.create(name="西片")
        assert queries() == small


# --- pages and access ----------------------------------------------------------------------------


def home_url(union):
    return reverse("homes:home_detail", kwargs={"union_pk": union.pk})


def assessment_url(union, year=TODAY.year):
    return reverse("homes:self_assessment", kwargs={"union_pk": union.pk, "year": year})


class TestPages:
    def test_the_chair_saves_a_draft_then_submits(self, login, chair_a, union_a, items):
        client = login(chair_a)
        assert client.get(assessment_url(union_a)).status_code == 200
        posted = {
            f"item_{items[0].pk}": "8",
            f"item_{items[1].pk}": "",
            f"item_{items[2].pk}": "",
            "action": "draft",
        }
        assert client.post(assessment_url(union_a), posted).status_code == 302
        assert SelfAssessment.objects.get().status == "draft"
        posted.update({f"item_{items[1].pk}": "4.5", f"item_{items[2].pk}": "5", "action": "submit"})
        assert client.post(assessment_url(union_a), posted).status_code == 302
        assert SelfAssessment.objects.get().total == Decimal("17.5")
        assert client.post(assessment_url(union_a), posted).status_code == 403
        assert client.get(assessment_url(union_a)).status_code == 200

    def test_a_score_above_the_maximum_is_shown_on_the_form(self, login, chair_a, union_a, items):
        client = english_client(login(chair_a))
        response = client.post(assessment_url(union_a), {f"item_{items[1].pk}": "6", "action": "draft"})
        assert response.status_code == 200 and "less than or equal to 5" in response.content.decode()
        assert not SelfAssessment.objects.exists()

    def test_staff_record_an_inspection_with_a_photo(self, login, staff, union_a, items):
        posted = {
            "kind": "acceptance",
            "visited_on": "2024-03-15",
            "inspectors": "周晓红",
            "findings": "规范",
            "level_after": HomeLevel.QUALIFIED,
            "photos": SimpleUploadedFile("书屋.jpg", JPEG),
            **{f"item_{item.pk}": "5" for item in items},
        }
        response = login(staff).post(
            reverse("homes:inspection_create", kwargs={"union_pk": union_a.pk}), posted
        )
        assert response.status_code == 302 and response["Location"] == home_url(union_a)
        assert WorkersHome.objects.get(union=union_a).reinspection_due_on == datetime.date(2027, 3, 15)
        assert InspectionPhoto.objects.count() == 1

    def test_a_pdf_photo_is_refused_by_the_form(self, login, staff, union_a, items):
        posted = {
            "kind": "acceptance",
            "visited_on": "2024-03-15",
            "inspectors": "周晓红",
            "findings": "规范",
            "level_after": HomeLevel.QUALIFIED,
            "photos": SimpleUploadedFile("photo.pdf", PDF),
            **{f"item_{item.pk}": "5" for item in items},
        }
        response = english_client(login(staff)).post(
            reverse("homes:inspection_create", kwargs={"union_pk": union_a.pk}), posted
        )
        assert response.status_code == 200 and "only JPEG and PNG photos" in response.content.decode()
        assert not HomeInspection.objects.exists()

    def test_staff_set_a_level_and_manage_the_checklist(self, login, staff, union_a, items):
        client = login(staff)
        response = client.post(
            reverse("homes:home_set_level", kwargs={"union_pk": union_a.pk}),
            {"level": HomeLevel.CITY, "on": "2020-06-01"},
        )
        assert response.status_code == 302
        assert WorkersHome.objects.get(union=union_a).level == HomeLevel.CITY
        assert (
            client.post(
                reverse("homes:checklist_create"),
                {"category": "facilities", "title": "健身室", "max_points": 5, "order": 4},
            ).status_code
            == 302
        )
        assert client.post(reverse("homes:checklist_toggle", args=[items[0].pk])).status_code == 302
        assert not ChecklistItem.objects.get(pk=items[0].pk).active
        assert client.get(reverse("homes:checklist_list")).status_code == 200
        assert client.get(reverse("homes:checklist_edit", args=[items[1].pk])).status_code == 200

    def test_the_home_page_shows_inspections_and_self_assessments(
        self, login, staff, chair_a, union_a, items
    ):
        inspect(staff, union_a, items, photos=[SimpleUploadedFile("书屋.jpg", JPEG)], level=HomeLevel.CITY)
        homes.save_self_assessment(by=chair_a, union=union_a, year=TODAY.year, points=full(items))
        page = english_client(login(chair_a)).get(home_url(union_a)).content.decode()
        assert "City-level model home" in page and "书屋藏书充足。" in page and "2027-03-15" in page
        assert reverse("homes:home_photo", kwargs={"photo_pk": InspectionPhoto.objects.get().pk}) in page
        assert "Draft" in page

    def test_the_union_page_shows_the_home(self, login, staff, union_a, union_b, items):
        inspect(staff, union_a, items, level=HomeLevel.PROVINCE)
        client = english_client(login(staff))
        assert "Provincial model home" in client.get(union_a.get_absolute_url()).content.decode()
        assert "Not rated" in client.get(union_b.get_absolute_url()).content.decode()


@pytest.fixture
def photo(staff, union_a, items):
    inspection = inspect(staff, union_a, items, photos=[SimpleUploadedFile("书屋.jpg", JPEG)])
    return inspection.photos.get()


class TestAccess:
    def test_chair_a_sees_their_home_and_its_photo(self, login, chair_a, union_a, photo):
        client = login(chair_a)
        assert client.get(home_url(union_a)).status_code == 200
        response = client.get(reverse("homes:home_photo", kwargs={"photo_pk": photo.pk}))
        assert response.status_code == 200 and b"".join(response.streaming_content) == JPEG

    def test_chair_b_gets_404_for_union_a(self, login, chair_b, union_a, union_b, photo):
        client = login(chair_b)
        for url in (
            home_url(union_a),
            assessment_url(union_a),
            reverse("homes:home_photo", kwargs={"photo_pk": photo.pk}),
            reverse("homes:inspection_create", kwargs={"union_pk": union_a.pk}),
        ):
            assert client.get(url).status_code == 404, url
        assert client.post(assessment_url(union_a), {"action": "draft"}).status_code == 404
        assert client.get(home_url(union_b)).status_code == 200

    def test_an_outsider_is_turned_away(self, login, outsider, union_a, photo):
        client = login(outsider)
        assert client.get(reverse("homes:home_list")).status_code == 403
        for url in (
            home_url(union_a),
            assessment_url(union_a),
            reverse("homes:home_photo", kwargs={"photo_pk": photo.pk}),
        ):
            assert client.get(url).status_code in (403, 404), url

    def test_anonymous_users_log_in_first(self, client, union_a):
        assert client.get(reverse("homes:home_list")).status_code == 302
        assert client.get(home_url(union_a)).status_code == 302

    def test_a_chair_cannot_record_an_inspection_set_a_level_or_change_the_checklist(
        self, login, chair_a, union_a, items
    ):
        client = login(chair_a)
        inspection_url = reverse("homes:inspection_create", kwargs={"union_pk": union_a.pk})
        assert client.get(inspection_url).status_code == 403
        assert client.post(inspection_url, {"kind": "acceptance"}).status_code == 403
        assert client.get(reverse("homes:home_set_level", kwargs={"union_pk": union_a.pk})).status_code == 403
        assert client.get(reverse("homes:checklist_list")).status_code == 403
        assert client.post(reverse("homes:checklist_toggle", args=[items[0].pk])).status_code == 403
        assert not HomeInspection.objects.exists() and ChecklistItem.objects.get(pk=items[0].pk).active

    def test_staff_read_a_self_assessment_but_do_not_write_it(self, login, staff, chair_a, union_a, items):
        homes.save_self_assessment(by=chair_a, union=union_a, year=TODAY.year, points=full(items))
        client = login(staff)
        assert client.get(assessment_url(union_a)).status_code == 200
        assert client.get(assessment_url(union_a, TODAY.year - 1)).status_code == 200
        assert client.post(assessment_url(union_a), {"action": "submit"}).status_code == 403
        assert client.get(assessment_url(union_a, TODAY.year + 1)).status_code == 404

    def test_finance_staff_see_the_district_but_record_nothing(self, login, finance_staff, union_a, items):
        client = login(finance_staff)
        assert client.get(reverse("homes:home_list")).status_code == 200
        assert client.get(home_url(union_a)).status_code == 200
        assert (
            client.get(reverse("homes:inspection_create", kwargs={"union_pk": union_a.pk})).status_code == 403
        )
        assert client.get(reverse("homes:checklist_list")).status_code == 403


# --- the demo ------------------------------------------------------------------------------------


def test_the_demo_homes(db, staff, make_user):
    import random

    from homes.demo import seed_workers_homes

    chair1 = make_user("chair1")
    unions = GrassrootsUnion.objects.bulk_create(
        [
            GrassrootsUnion(
                code=f"HN{i + 1:03d}",
                name=f"工会{i + 1}",
                founded_on="2005-01-01",
                chair=chair1 if i == 0 else None,
            )
            for i in range(186)
        ]
    )
    Enterprise.objects.bulk_create(
        [
            Enterprise(
                name=f"企业{i}",
                credit_code=make_credit_code(1000 + i),
                union=unions[i],
                size_band="large",
                industry="other",
            )
            for i in range(100)
        ]
    )
    seed_workers_homes(rng=random.Random(7), unions=unions, staff=staff, today=TODAY)

    assert (
        ChecklistItem.objects.count() == 15 and sum(i.max_points for i in ChecklistItem.objects.all()) == 100
    )
    assert {c for (c,) in ChecklistItem.objects.values_list("category")} == set(ChecklistItem.Category.values)
    levels = {level: WorkersHome.objects.filter(level=level).count() for level in HomeLevel.values}
    assert levels == {0: 0, 1: 104, 2: 9, 3: 1, 4: 1, 5: 1}
    assert WorkersHome.objects.filter(union__code__lte="HN100").count() == 100
    assert homes.district_figures(GrassrootsUnion.objects.all())["large_rate"] == 100
    for home in WorkersHome.objects.all():
        assert datetime.date(2012, 1, 1) <= home.level_reached_on <= datetime.date(TODAY.year - 1, 12, 31)
        assert home.reinspection_due_on == homes.reinspection_due(home.last_inspected_on)
        assert home.last_inspected_on <= TODAY
        inspections = list(HomeInspection.objects.filter(union=home.union).order_by("visited_on"))
        assert inspections[0].kind == "acceptance" and inspections[-1].visited_on == home.last_inspected_on
        assert inspections[-1].level_after == home.level
    assert InspectionScore.objects.count() == HomeInspection.objects.count() * 15
    due = homes.homes_due(within_days=30, on=TODAY)
    overdue = due.filter(reinspection_due_on__lt=TODAY).count()
    assert 5 <= overdue <= 15 and 3 <= due.count() - overdue <= 8
    assert due.filter(union=unions[0]).exists()
    assessments = SelfAssessment.objects.filter(year=TODAY.year)
    assert assessments.count() == 40
    assert assessments.get(union=unions[0]).status == "draft"
    assert assessments.filter(status="submitted").count() == 39
