"""Honours (评先评优): award types with criteria, the nomination window and quota, the per-union limit,
who may nominate whom, scoring against the criteria, the committee's decision, the public notice
over working days, the honours and their certificates (PDF text, verification), the honours on the
union and member pages, the honours list and export, the public notice's content, and who may see
and do what."""

import datetime
import io
import re
import subprocess
import threading
from decimal import Decimal
from pathlib import Path

import pytest
from auditlog.models import LogEntry
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from honours import services
from honours.models import (
    AwardLevel,
    AwardRound,
    Honour,
    HonourNomination,
    NominationEvidence,
    NominationScore,
    NomineeKind,
)
from honours.tasks import honours_daily
from members.models import Area, GrassrootsUnion
from tests.factories import DAY, PDF, TODAY, make_award, make_credit_code, make_round, make_union, pdf_upload
from unionhub.certificates import save_pdf
from unionhub.models import CalendarDay, Notice

Status = HonourNomination.Status


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def union_award(staff):
    return make_award(staff)


@pytest.fixture
def person_award(staff):
    return make_award(
        staff,
        name="劳动模范",
        kind=NomineeKind.MEMBER,
        items=(("岗位贡献", 40), ("技术创新", 25), ("职业道德", 20), ("群众公认", 15)),
    )


@pytest.fixture
def enterprise_award(staff):
    return make_award(
        staff,
        name="和谐劳动关系企业",
        level=AwardLevel.CITY,
        kind=NomineeKind.ENTERPRISE,
        items=(("劳动合同", 50), ("安全生产", 50)),
    )


@pytest.fixture
def open_round(staff, union_award):
    return make_round(staff, union_award)


def finished(staff, award_type, entries, *, winners=None, year=2025, start=datetime.date(2025, 4, 14)):
    """A round of ``year`` taken through nominations (``entries``: (union, nominee, by)), scoring,
    the decision (the first ``winners`` entries win, all by default), the notice and the honours."""
    award_round = make_round(
        staff,
        award_type,
        year=year,
        opens_on=datetime.date(year, 3, 1),
        closes_on=datetime.date(year, 3, 31),
        quota=max(3, len(entries)),
    )
    nominations = [
        services.nominate(
            round=award_round,
            union=union,
            nominee=nominee,
            statement="事迹突出",
            by=by,
            on=datetime.date(year, 3, 10),
        )
        for union, nominee, by in entries
    ]
    criteria = list(award_type.criteria_items.all())
    nominations = [
        services.score_nomination(
            nomination=n,
            by=staff,
            on=datetime.date(year, 4, 5),
            points={c: c.max_points - i for c in criteria},
        )
        for i, n in enumerate(nominations)
    ]
    chosen = nominations[: len(entries) if winners is None else winners]
    services.record_decision(
        round=award_round, by=staff, winners=chosen, on=datetime.date(year, 4, 10), note="评审委员会审议通过"
    )
    award_round = services.publish_notice(round=award_round, by=staff, start=start)
    services.issue_honours(round=award_round, by=staff, on=award_round.notice_ends_on + DAY)
    award_round.refresh_from_db()
    return award_round


# --- award types ------------------------------------------------------------------------------------


class TestAwardTypes:
    def test_an_award_type_has_its_criteria_in_order(self, union_award):
        assert [(c.title, c.max_points, c.order) for c in union_award.criteria_items.all()] == [
            ("组织建设", 40, 1),
            ("维权服务", 30, 2),
            ("职工之家", 30, 3),
        ]
        assert LogEntry.objects.get_for_object(union_award).get().action == LogEntry.Action.CREATE

    @pytest.mark.usefixtures("english")
    def test_a_scored_criterion_cannot_be_removed_or_lowered_below_its_points(
        self, staff, union_award, union_a
    ):
        award_round = make_round(
            staff,
            union_award,
            year=2025,
            opens_on=datetime.date(2025, 3, 1),
            closes_on=datetime.date(2025, 3, 31),
        )
        nomination = services.nominate(
            round=award_round,
            union=union_a,
            nominee=union_a,
            statement="好",
            by=union_a.chair,
            on=datetime.date(2025, 3, 2),
        )
        criteria = list(union_award.criteria_items.all())
        services.score_nomination(
            nomination=nomination,
            by=staff,
            on=datetime.date(2025, 4, 1),
            points={criteria[0]: 35, criteria[1]: 20, criteria[2]: 20},
        )
        kept = [{"pk": c.pk, "title": c.title, "max_points": c.max_points} for c in criteria]
        with pytest.raises(ValidationError, match="cannot be removed"):
            services.save_award_type(
                by=staff,
                award_type=union_award,
                name=union_award.name,
                level=union_award.level,
                nominee_kind=union_award.nominee_kind,
                items=kept[1:],
            )
        kept[0]["max_points"] = 30
        with pytest.raises(ValidationError, match="cannot be lower"):
            services.save_award_type(
                by=staff,
                award_type=union_award,
                name=union_award.name,
                level=union_award.level,
                nominee_kind=union_award.nominee_kind,
                items=kept,
            )
        assert union_award.criteria_items.count() == 3 and criteria[0].max_points == 40

    def test_staff_create_and_edit_an_award_type_with_its_criteria_through_the_form(self, login, staff):
        client = login(staff)
        data = {
            "name": "职工书屋",
            "level": AwardLevel.NATIONAL,
            "nominee_kind": NomineeKind.UNION,
            "criteria": "藏书",
            "active": "on",
            "criteria-TOTAL_FORMS": "3",
            "criteria-INITIAL_FORMS": "0",
            "criteria-MIN_NUM_FORMS": "0",
            "criteria-MAX_NUM_FORMS": "20",
            "criteria-0-title": "场所与设施",
            "criteria-0-max_points": "60",
            "criteria-1-title": "读书活动",
            "criteria-1-max_points": "40",
            "criteria-2-title": "",
            "criteria-2-max_points": "",
        }
        response = client.post(reverse("honours:award_type_create"), data)
        assert response.status_code == 302
        award_type = services.AwardType.objects.get(name="职工书屋")
        first, second = award_type.criteria_items.all()
        edit = {
            **data,
            "criteria-TOTAL_FORMS": "2",
            "criteria-INITIAL_FORMS": "2",
            "criteria-0-id": first.pk,
            "criteria-0-award_type": award_type.pk,
            "criteria-0-max_points": "70",
            "criteria-1-id": second.pk,
            "criteria-1-award_type": award_type.pk,
            "criteria-1-max_points": "30",
            "criteria-1-DELETE": "on",
        }
        del edit["criteria-2-title"], edit["criteria-2-max_points"]
        response = client.post(reverse("honours:award_type_edit", args=[award_type.pk]), edit)
        assert response.status_code == 302
        assert [(c.title, c.max_points) for c in award_type.criteria_items.all()] == [("场所与设施", 70)]

    @pytest.mark.parametrize("who", ["chair_a", "outsider"])
    def test_only_staff_manage_award_types(self, login, request, db, who):
        client = login(request.getfixturevalue(who))
        assert client.get(reverse("honours:award_type_list")).status_code == 403
        assert client.post(reverse("honours:award_type_create"), {"name": "x"}).status_code == 403


# --- rounds -----------------------------------------------------------------------------------------


class TestRounds:
    @pytest.mark.usefixtures("english")
    def test_a_round_per_award_and_year(self, staff, union_award, open_round):
        with pytest.raises(ValidationError, match="already has a round"):
            make_round(staff, union_award)
        with pytest.raises(ValidationError, match="close on or after"):
            make_round(
                staff,
                union_award,
                year=2031,
                opens_on=datetime.date(2031, 5, 1),
                closes_on=datetime.date(2031, 4, 1),
            )
        assert AwardRound.objects.count() == 1

    def test_staff_open_a_round_through_the_form_and_a_double_submit_is_refused(
        self, login, staff, union_award
    ):
        client = login(staff)
        data = {
            "award_type": union_award.pk,
            "year": 2030,
            "opens_on": "2030-03-01",
            "closes_on": "2030-03-31",
            "quota": 10,
            "per_union_limit": 1,
            "notice_working_days": 5,
        }
        assert client.post(reverse("honours:round_create"), data).status_code == 302
        assert client.post(reverse("honours:round_create"), data).status_code == 200
        assert AwardRound.objects.get().quota == 10

    @pytest.mark.usefixtures("english")
    def test_the_quota_cannot_go_below_the_nominations_made(self, staff, open_round, union_a, union_b):
        for union in (union_a, union_b):
            services.nominate(round=open_round, union=union, nominee=union, statement="好", by=union.chair)
        with pytest.raises(ValidationError, match="cannot be lower"):
            services.update_round(
                by=staff,
                award_round=open_round,
                opens_on=open_round.opens_on,
                closes_on=open_round.closes_on,
                quota=1,
            )

    @pytest.mark.parametrize(
        "opens, closes, phase", [(1, 5, "upcoming"), (0, 5, "open"), (-5, 0, "open"), (-5, -1, "review")]
    )
    def test_phases(self, staff, union_award, opens, closes, phase):
        award_round = make_round(
            staff, union_award, opens_on=TODAY + opens * DAY, closes_on=TODAY + closes * DAY
        )
        assert services.round_phase(award_round, TODAY) == phase

    def test_the_list_puts_open_rounds_first_with_their_phase(
        self, login, staff, union_award, person_award, chair_a, union_a
    ):
        old = make_round(
            staff,
            union_award,
            year=2031,
            opens_on=datetime.date(2031, 3, 1),
            closes_on=datetime.date(2031, 3, 31),
        )
        current = make_round(staff, person_award)
        response = login(chair_a).get(reverse("honours:round_list"))
        rounds = list(response.context["page"])
        assert rounds == [current, old]
        assert [r.phase for r in rounds] == ["open", "upcoming"]


# --- nominations ------------------------------------------------------------------------------------


class TestWindow:
    @pytest.mark.parametrize(
        "opens, closes, accepted",
        [
            (1, 10, False),  # the day before nominations open
            (0, 10, True),  # the opening day
            (-10, 0, True),  # the closing day
            (-10, -1, False),  # the day after they close
        ],
        ids=["day-before", "opening-day", "closing-day", "day-after"],
    )
    def test_nominations_are_taken_within_the_window_inclusive(
        self, staff, union_award, union_a, opens, closes, accepted, english
    ):
        award_round = make_round(
            staff, union_award, opens_on=TODAY + opens * DAY, closes_on=TODAY + closes * DAY
        )
        if accepted:
            services.nominate(
                round=award_round, union=union_a, nominee=union_a, statement="好", by=union_a.chair
            )
            assert HonourNomination.objects.filter(round=award_round).count() == 1
        else:
            with pytest.raises(ValidationError, match="are taken from"):
                services.nominate(
                    round=award_round,
                    union=union_a,
                    nominee=union_a,
                    statement="好",
                    by=union_a.chair,
                    evidence=[pdf_upload()],
                )
            assert not HonourNomination.objects.exists() and not NominationEvidence.objects.exists()

    @pytest.mark.usefixtures("english")
    def test_a_decided_round_takes_no_more_nominations(self, staff, open_round, union_a):
        AwardRound.objects.filter(pk=open_round.pk).update(decided_on=TODAY)
        with pytest.raises(ValidationError, match="already decided"):
            services.nominate(
                round=open_round, union=union_a, nominee=union_a, statement="好", by=union_a.chair
            )


class TestQuota:
    @pytest.mark.usefixtures("english")
    def test_the_quota_is_the_most_nominations_and_a_withdrawn_one_gives_its_place_back(
        self, staff, union_award, make_user
    ):
        award_round = make_round(staff, union_award, quota=2)
        unions = [make_union(f"HX{n:03d}", chair=make_user(f"c{n}")) for n in range(3)]
        first, _second = [
            services.nominate(round=award_round, union=u, nominee=u, statement="好", by=u.chair)
            for u in unions[:2]
        ]
        with pytest.raises(ValidationError, match="quota of 2 nominations is reached"):
            services.nominate(
                round=award_round, union=unions[2], nominee=unions[2], statement="好", by=unions[2].chair
            )
        services.withdraw(nomination=first, by=unions[0].chair)
        third = services.nominate(
            round=award_round, union=unions[2], nominee=unions[2], statement="好", by=unions[2].chair
        )
        assert award_round.nominations.counting().count() == 2 and third.status == Status.SUBMITTED

    @pytest.mark.usefixtures("english")
    def test_the_per_union_limit(self, staff, enterprise_award, union_a, enterprise_a):
        from members.models import Enterprise

        second = Enterprise.objects.create(
            name="甲二厂",
            credit_code=make_credit_code(77),
            union=union_a,
            size_band="medium",
            industry="manufacturing",
        )
        award_round = make_round(staff, enterprise_award, quota=5, per_union_limit=1)
        first = services.nominate(
            round=award_round, union=union_a, nominee=enterprise_a, statement="好", by=union_a.chair
        )
        with pytest.raises(ValidationError, match="the most one union may make"):
            services.nominate(
                round=award_round, union=union_a, nominee=second, statement="好", by=union_a.chair
            )
        services.withdraw(nomination=first, by=union_a.chair)
        services.nominate(round=award_round, union=union_a, nominee=second, statement="好", by=union_a.chair)
        assert list(award_round.nominations.counting().values_list("nominee_enterprise", flat=True)) == [
            second.pk
        ]

    @pytest.mark.usefixtures("english")
    def test_the_same_nominee_twice_is_refused(self, open_round, union_a):
        services.nominate(round=open_round, union=union_a, nominee=union_a, statement="好", by=union_a.chair)
        with pytest.raises(ValidationError, match="already nominated"):
            services.nominate(
                round=open_round, union=union_a, nominee=union_a, statement="好", by=union_a.chair
            )
        assert HonourNomination.objects.count() == 1

    # serialized_rollback: start from the migrated data (calendar, groups), as a transactional test
    # after the browser tests would otherwise find the database flushed.
    @pytest.mark.django_db(transaction=True, serialized_rollback=True)
    def test_concurrent_nominations_never_exceed_the_quota(self, staff, union_award, make_user):
        award_round = make_round(staff, union_award, quota=2)
        unions = [make_union(f"HX{n:03d}", chair=make_user(f"p{n}")) for n in range(5)]
        barrier = threading.Barrier(len(unions))
        outcomes, errors = [], []

        def nominate(union):
            try:
                barrier.wait(timeout=10)
                services.nominate(
                    round=award_round, union=union, nominee=union, statement="好", by=union.chair
                )
                outcomes.append("made")
            except ValidationError:
                outcomes.append("refused")
            except Exception as error:  # reported by the assertion below
                errors.append(error)
            finally:
                connection.close()

        threads = [threading.Thread(target=nominate, args=(union,)) for union in unions]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert errors == []
        assert sorted(outcomes) == ["made", "made", "refused", "refused", "refused"]
        assert HonourNomination.objects.filter(round=award_round).count() == 2


@pytest.mark.usefixtures("english")
class TestWhoMayBeNominated:
    def test_a_chair_nominates_only_from_their_own_union(
        self, open_round, union_a, union_b, chair_a, chair_b
    ):
        with pytest.raises(ValidationError, match="can only nominate itself"):
            services.nominate(round=open_round, union=union_a, nominee=union_b, statement="好", by=chair_a)
        with pytest.raises(ValidationError, match="Only the chair of"):
            services.nominate(round=open_round, union=union_a, nominee=union_a, statement="好", by=chair_b)
        assert not HonourNomination.objects.exists()

    def test_an_enterprise_must_be_covered_by_the_union(self, staff, enterprise_award, union_a, enterprise_b):
        award_round = make_round(staff, enterprise_award)
        with pytest.raises(ValidationError, match="is not covered by"):
            services.nominate(
                round=award_round, union=union_a, nominee=enterprise_b, statement="好", by=union_a.chair
            )

    def test_a_person_must_be_an_active_member_of_the_union(
        self, staff, person_award, union_a, member_a, member_b
    ):
        award_round = make_round(staff, person_award)
        with pytest.raises(ValidationError, match="is not an active member of"):
            services.nominate(
                round=award_round, union=union_a, nominee=member_b, statement="好", by=union_a.chair
            )
        member_a.status = "withdrawn"
        member_a.save(update_fields=["status"])
        with pytest.raises(ValidationError, match="not an active union member"):
            services.nominate(
                round=award_round, union=union_a, nominee=member_a, statement="好", by=union_a.chair
            )
        assert not HonourNomination.objects.exists()

    def test_the_nominee_must_be_of_the_awards_kind(self, open_round, union_a, enterprise_a):
        with pytest.raises(ValidationError, match="is for a union"):
            services.nominate(
                round=open_round, union=union_a, nominee=enterprise_a, statement="好", by=union_a.chair
            )

    def test_a_statement_is_required_and_evidence_must_be_a_real_pdf_jpeg_or_png(self, open_round, union_a):
        with pytest.raises(ValidationError) as refused:
            services.nominate(
                round=open_round,
                union=union_a,
                nominee=union_a,
                statement="  ",
                by=union_a.chair,
                evidence=[pdf_upload("假.pdf", b"not a pdf"), pdf_upload("a.exe", b"MZ")],
            )
        text = " ".join(refused.value.messages)
        assert "Write the statement" in text and "not the file its name says" in text
        assert "only PDF, JPEG and PNG" in text
        assert not HonourNomination.objects.exists() and not NominationEvidence.objects.exists()

    def test_the_staff_nominate_an_association_directly(self, staff, union_a, assoc_chair):
        from associations.models import Association

        award_type = make_award(staff, name="优秀协会", kind=NomineeKind.ASSOCIATION)
        award_round = make_round(staff, award_type)
        association = Association.objects.get()
        with pytest.raises(ValidationError, match="nominated by the federation directly"):
            services.nominate(round=award_round, union=union_a, nominee=association, statement="好", by=staff)
        nomination = services.nominate(
            round=award_round,
            union=None,
            nominee=association,
            statement="活动丰富",
            by=staff,
            evidence=[pdf_upload()],
        )
        assert nomination.nominee_association == association and nomination.evidence.count() == 1

    def test_a_chair_cannot_nominate_for_the_federation(self, open_round, union_a, chair_a):
        with pytest.raises(ValidationError, match="Choose the union"):
            services.nominate(round=open_round, union=None, nominee=union_a, statement="好", by=chair_a)


@pytest.mark.usefixtures("english")
class TestWithdraw:
    def test_only_while_open_and_only_by_the_nominating_chair(self, staff, open_round, union_a, chair_b):
        nomination = services.nominate(
            round=open_round, union=union_a, nominee=union_a, statement="好", by=union_a.chair
        )
        with pytest.raises(PermissionDenied, match="Only the nominating union's chair"):
            services.withdraw(nomination=nomination, by=chair_b)
        with pytest.raises(ValidationError, match="while the round is open"):
            services.withdraw(nomination=nomination, by=union_a.chair, on=open_round.closes_on + DAY)
        services.withdraw(nomination=nomination, by=union_a.chair)
        nomination.refresh_from_db()
        assert nomination.status == Status.WITHDRAWN


# --- review, scores, decision -----------------------------------------------------------------------


@pytest.fixture
def closed_round(staff, union_award, union_a, union_b):
    """Nominations from unions A and B, taken 2025-03-10; the round closed on 2025-03-31 (quota 2)."""
    award_round = make_round(
        staff,
        union_award,
        year=2025,
        opens_on=datetime.date(2025, 3, 1),
        closes_on=datetime.date(2025, 3, 31),
        quota=2,
    )
    for union in (union_a, union_b):
        services.nominate(
            round=award_round,
            union=union,
            nominee=union,
            statement="事迹",
            by=union.chair,
            on=datetime.date(2025, 3, 10),
        )
    return award_round


@pytest.mark.usefixtures("english")
class TestScoring:
    def points(self, award_round, *values):
        return dict(zip(award_round.award_type.criteria_items.all(), values, strict=True))

    def test_scores_are_stored_with_their_total(self, staff, closed_round):
        nomination = closed_round.nominations.first()
        scored = services.score_nomination(
            nomination=nomination,
            by=staff,
            points=self.points(closed_round, Decimal("38.5"), 25, 30),
            on=datetime.date(2025, 4, 2),
        )
        assert scored.score == Decimal("93.5") and scored.status == Status.SCORED
        scored = services.score_nomination(
            nomination=nomination,
            by=staff,
            points=self.points(closed_round, 30, 20, 20),
            on=datetime.date(2025, 4, 3),
        )
        assert scored.score == 70 and NominationScore.objects.filter(nomination=nomination).count() == 3

    @pytest.mark.parametrize(
        "values, message",
        [
            ((41, 20, 20), "between 0 and 40"),
            ((-1, 20, 20), "between 0 and 40"),
            ((30, None, 20), "give the points"),
            ((30.25, 20, 20), "in tenths"),
        ],
    )
    def test_points_outside_a_criterions_range_are_refused(self, staff, closed_round, values, message):
        nomination = closed_round.nominations.first()
        with pytest.raises(ValidationError, match=message):
            services.score_nomination(
                nomination=nomination,
                by=staff,
                points=self.points(closed_round, *values),
                on=datetime.date(2025, 4, 2),
            )
        nomination.refresh_from_db()
        assert nomination.score is None and not NominationScore.objects.exists()

    def test_scoring_starts_after_nominations_close(self, staff, closed_round):
        with pytest.raises(ValidationError, match="scoring starts after"):
            services.score_nomination(
                nomination=closed_round.nominations.first(),
                by=staff,
                points=self.points(closed_round, 1, 1, 1),
                on=datetime.date(2025, 3, 31),
            )

    def test_a_chair_cannot_score(self, closed_round, chair_a):
        with pytest.raises(PermissionDenied):
            services.score_nomination(
                nomination=closed_round.nominations.first(),
                by=chair_a,
                points=self.points(closed_round, 1, 1, 1),
                on=datetime.date(2025, 4, 2),
            )

    def test_the_score_form_refuses_points_above_the_maximum(self, login, staff, closed_round):
        nomination = closed_round.nominations.first()
        first, second, third = closed_round.award_type.criteria_items.all()
        client = login(staff)
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        url = reverse("honours:nomination_score", args=[nomination.pk])
        response = client.post(url, {f"c{first.pk}": "45", f"c{second.pk}": "20", f"c{third.pk}": "20"})
        assert response.status_code == 200 and b"less than or equal to 40" in response.content
        assert (
            client.post(url, {f"c{first.pk}": "40", f"c{second.pk}": "20", f"c{third.pk}": "20"}).status_code
            == 302
        )
        nomination.refresh_from_db()
        assert nomination.score == 80

    def test_an_ineligible_nomination_needs_a_reason(self, staff, closed_round):
        nomination = closed_round.nominations.first()
        with pytest.raises(ValidationError, match="Say why"):
            services.mark_ineligible(nomination=nomination, by=staff, reason=" ")
        services.mark_ineligible(nomination=nomination, by=staff, reason="近三年发生重大劳动争议")
        nomination.refresh_from_db()
        assert nomination.status == Status.INELIGIBLE and nomination.review_note == "近三年发生重大劳动争议"


@pytest.mark.usefixtures("english")
class TestDecision:
    def test_winners_and_the_others(self, staff, closed_round, union_a):
        a, b = closed_round.nominations.order_by("pk")
        services.record_decision(
            round=closed_round, by=staff, winners=[a], note="会议决定", on=datetime.date(2025, 4, 10)
        )
        closed_round.refresh_from_db()
        assert (
            closed_round.decided_on == datetime.date(2025, 4, 10)
            and closed_round.committee_note == "会议决定"
        )
        assert dict(closed_round.nominations.values_list("pk", "status")) == {
            a.pk: Status.AWARDED,
            b.pk: Status.NOT_AWARDED,
        }
        with pytest.raises(ValidationError, match="was recorded on"):
            services.record_decision(round=closed_round, by=staff, winners=[b], on=datetime.date(2025, 4, 11))

    def test_more_winners_than_the_quota_are_refused(self, staff, closed_round, make_user):
        third = make_union("HX009", chair=make_user("c9"))
        AwardRound.objects.filter(pk=closed_round.pk).update(quota=3)
        services.nominate(
            round=closed_round,
            union=third,
            nominee=third,
            statement="好",
            by=third.chair,
            on=datetime.date(2025, 3, 11),
        )
        AwardRound.objects.filter(pk=closed_round.pk).update(quota=2)
        with pytest.raises(ValidationError, match="at most 2 places; 3 were chosen"):
            services.record_decision(
                round=closed_round,
                by=staff,
                winners=list(closed_round.nominations.all()),
                on=datetime.date(2025, 4, 10),
            )
        closed_round.refresh_from_db()
        assert closed_round.decided_on is None
        assert not closed_round.nominations.exclude(status=Status.SUBMITTED).exists()

    def test_withdrawn_and_ineligible_nominations_cannot_win(self, staff, closed_round):
        a, b = closed_round.nominations.order_by("pk")
        services.mark_ineligible(nomination=b, by=staff, reason="不符合条件")
        with pytest.raises(ValidationError, match="neither withdrawn nor ineligible"):
            services.record_decision(
                round=closed_round, by=staff, winners=[a, b], on=datetime.date(2025, 4, 10)
            )

    def test_the_committee_decides_after_nominations_close(self, staff, open_round):
        with pytest.raises(ValidationError, match="decides after they close"):
            services.record_decision(round=open_round, by=staff, winners=[])

    def test_a_chair_cannot_decide(self, login, chair_a, closed_round):
        client = login(chair_a)
        assert client.get(reverse("honours:round_decide", args=[closed_round.pk])).status_code == 403
        assert client.post(reverse("honours:round_decide", args=[closed_round.pk]), {}).status_code == 403
        closed_round.refresh_from_db()
        assert closed_round.decided_on is None

    def test_staff_decide_through_the_form(self, login, staff, closed_round):
        a, _b = closed_round.nominations.order_by("pk")
        client = login(staff)
        response = client.post(
            reverse("honours:round_decide", args=[closed_round.pk]), {"winners": [a.pk], "note": "会议决定"}
        )
        assert response.status_code == 302
        assert closed_round.nominations.filter(status=Status.AWARDED).get() == a


# --- public notice ----------------------------------------------------------------------------------


@pytest.fixture
def national_day_2030(db):
    """2030: the National Day holiday from Tuesday 1 to Monday 7 October, worked for on Sunday
    29 September (调休)."""
    for n in range(7):
        CalendarDay.objects.update_or_create(
            date=datetime.date(2030, 10, 1) + n * DAY,
            defaults={"kind": CalendarDay.Kind.HOLIDAY, "name": "国庆节"},
        )
    CalendarDay.objects.update_or_create(
        date=datetime.date(2030, 9, 29), defaults={"kind": CalendarDay.Kind.WORKDAY, "name": "国庆节调休"}
    )


@pytest.fixture
def decided_2030(staff, union_award, union_a, union_b):
    award_round = make_round(
        staff,
        union_award,
        year=2030,
        opens_on=datetime.date(2030, 8, 1),
        closes_on=datetime.date(2030, 8, 31),
        quota=2,
    )
    nominations = [
        services.nominate(
            round=award_round, union=u, nominee=u, statement="好", by=u.chair, on=datetime.date(2030, 8, 5)
        )
        for u in (union_a, union_b)
    ]
    services.record_decision(
        round=award_round, by=staff, winners=nominations[:1], on=datetime.date(2030, 9, 20)
    )
    return award_round


class TestPublicNotice:
    @pytest.mark.parametrize(
        "days, ends",
        [(5, datetime.date(2030, 10, 10)), (2, datetime.date(2030, 9, 30)), (3, datetime.date(2030, 10, 8))],
    )
    def test_the_notice_counts_working_days_across_a_holiday_and_an_adjusted_working_day(
        self, staff, decided_2030, national_day_2030, days, ends
    ):
        AwardRound.objects.filter(pk=decided_2030.pk).update(notice_working_days=days)
        # Saturday 28 September: the notice starts on the adjusted working Sunday, skips the holiday.
        award_round = services.publish_notice(round=decided_2030, by=staff, start=datetime.date(2030, 9, 28))
        assert award_round.notice_starts_on == datetime.date(2030, 9, 29)
        assert award_round.notice_ends_on == ends

    def test_without_the_calendar_the_week_decides(self, staff, decided_2030):
        award_round = services.publish_notice(round=decided_2030, by=staff, start=datetime.date(2030, 9, 28))
        assert (award_round.notice_starts_on, award_round.notice_ends_on) == (
            datetime.date(2030, 9, 30),
            datetime.date(2030, 10, 4),
        )

    @pytest.mark.usefixtures("english")
    def test_publishing_needs_a_decision_and_happens_once(self, staff, closed_round, decided_2030):
        with pytest.raises(ValidationError, match="Record the committee's decision"):
            services.publish_notice(round=closed_round, by=staff)
        with pytest.raises(ValidationError, match="cannot start before the decision"):
            services.publish_notice(round=decided_2030, by=staff, start=datetime.date(2030, 9, 1))
        services.publish_notice(round=decided_2030, by=staff, start=datetime.date(2030, 9, 23))
        with pytest.raises(ValidationError, match="already on public notice"):
            services.publish_notice(round=decided_2030, by=staff, start=datetime.date(2030, 9, 24))

    def test_the_nominating_chairs_hear_the_outcome(self, staff, decided_2030, chair_a, chair_b):
        services.publish_notice(round=decided_2030, by=staff, start=datetime.date(2030, 9, 23))
        assert Notice.objects.filter(user=chair_a, key__startswith="honour-result:").count() == 1
        assert Notice.objects.filter(user=chair_b, key__startswith="honour-result:").count() == 1
        assert Notice.objects.filter(key__startswith="honour-result:").count() == 2

    def test_the_notice_page_is_public_and_shows_names_unions_and_award_only(
        self, client, staff, person_award, union_a, member_a
    ):
        award_round = finished(staff, person_award, [(union_a, member_a, union_a.chair)])
        AwardRound.objects.filter(pk=award_round.pk).update(
            notice_starts_on=TODAY - DAY, notice_ends_on=TODAY + DAY
        )
        response = client.get(reverse("honours:honour_notice", args=[award_round.pk]))
        assert response.status_code == 200
        content = response.content.decode()
        assert "王小明" in content and "甲公司工会委员会" in content and "劳动模范" in content
        for private in (
            member_a.id_number,
            member_a.masked_id_number,
            member_a.phone,
            member_a.masked_phone,
            "1970",
            "甲精密机械",
            "事迹突出",
        ):
            assert private not in content
        nomination = award_round.nominations.get()
        assert str(nomination.score) not in content

    def test_no_notice_before_it_is_published_or_before_its_first_day(
        self, client, login, staff, decided_2030
    ):
        url = reverse("honours:honour_notice", args=[decided_2030.pk])
        assert client.get(url).status_code == 404
        services.publish_notice(round=decided_2030, by=staff, start=datetime.date(2030, 9, 23))
        assert client.get(url).status_code == 404  # it begins in 2030
        assert login(staff).get(url).status_code == 200  # the staff check it beforehand


# --- honours and certificates -----------------------------------------------------------------------


@pytest.fixture
def model_worker(staff, person_award, union_a, member_a):
    """王小明 of union A, 2025's model worker: honour RY-2025-0001."""
    award_round = finished(staff, person_award, [(union_a, member_a, union_a.chair)])
    return Honour.objects.get(nomination__round=award_round)


def pdf_text(path) -> str:
    return subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


class TestHonours:
    def test_honours_are_issued_after_the_notice_and_numbered_by_the_award_year(
        self, staff, union_award, union_a, union_b
    ):
        award_round = finished(
            staff, union_award, [(union_a, union_a, union_a.chair), (union_b, union_b, union_b.chair)]
        )
        assert sorted(Honour.objects.values_list("number", flat=True)) == ["RY-2025-0001", "RY-2025-0002"]
        assert services.round_phase(award_round, TODAY) == "final"
        again = services.issue_honours(round=award_round, by=staff, on=TODAY)
        assert len(again) == 2 and Honour.objects.count() == 2

    @pytest.mark.usefixtures("english")
    def test_not_before_the_notice_has_ended(self, staff, decided_2030):
        award_round = services.publish_notice(round=decided_2030, by=staff, start=datetime.date(2030, 9, 23))
        with pytest.raises(ValidationError, match="honours are issued after it ends"):
            services.issue_honours(round=award_round, by=staff, on=award_round.notice_ends_on)
        assert not Honour.objects.exists()

    def test_the_daily_task_issues_them_once_the_notice_has_ended(self, staff, decided_2030):
        award_round = services.publish_notice(round=decided_2030, by=staff, start=datetime.date(2030, 9, 23))
        day_after = (award_round.notice_ends_on + DAY).isoformat()
        assert honours_daily.delay(award_round.notice_ends_on.isoformat()).get() == {"issued": 0}
        assert honours_daily.delay(day_after).get() == {"issued": 1}
        assert honours_daily.delay(day_after).get() == {"issued": 0}
        assert Honour.objects.get().number == "RY-2030-0001"

    def test_a_number_taken_meanwhile_is_not_reused(
        self, staff, union_award, person_award, union_a, member_a, monkeypatch
    ):
        """Another process took the number between our read and our write: the unique constraint
        refuses the duplicate and the number is allocated again."""
        first = finished(staff, union_award, [(union_a, union_a, union_a.chair)])
        real = services._next_sequence
        answers = iter([1])  # a stale read for the second honour

        def stale_then_real(year):
            return next(answers, None) or real(year)

        monkeypatch.setattr(services, "_next_sequence", stale_then_real)
        second = finished(staff, person_award, [(union_a, member_a, union_a.chair)])
        assert Honour.objects.get(nomination__round=first).number == "RY-2025-0001"
        assert Honour.objects.get(nomination__round=second).number == "RY-2025-0002"

    def test_the_certificate_says_who_what_and_when_in_chinese(self, model_worker):
        path = Path(services.render_honour(model_worker))
        # Stored under a random name (unionhub.storage): an honour's number is guessable.
        assert path.is_file() and re.fullmatch(r"[A-Za-z0-9_-]{22}\.pdf", path.name)
        text = "".join(pdf_text(path).split())
        issued = model_worker.issued_on
        for phrase in (
            "荣誉证书",
            "王小明",
            "同志",
            "甲公司工会委员会",
            "荣获2025年度劳动模范（区级）称号",
            services.federation_name(),
            "RY-2025-0001",
            f"{issued.year}年{issued.month}月{issued.day}日",
            model_worker.get_verify_url(),
        ):
            assert phrase in text, phrase
        again = Path(services.render_honour(model_worker))
        assert again != path and not path.exists()
        assert sorted(p.name for p in path.parent.iterdir()) == [again.name]

    def test_revoking_needs_a_reason_and_is_audited(self, staff, model_worker):
        with pytest.raises(ValidationError):
            services.revoke_honour(by=staff, honour=model_worker, reason="")
        services.revoke_honour(by=staff, honour=model_worker, reason="事迹失实")
        assert model_worker.revoked
        entry = LogEntry.objects.get_for_object(model_worker).filter(additional_data__reason="事迹失实").get()
        assert entry.actor == staff


class TestVerification:
    def test_a_genuine_certificate_shows_the_award_and_the_masked_name(self, client, model_worker):
        response = client.get(model_worker.get_verify_url())
        assert response.status_code == 200 and response["X-Robots-Tag"] == "noindex"
        content = response.content.decode()
        for shown in ("RY-2025-0001", "王*明", "劳动模范", "2025", "甲公司工会委员会"):
            assert shown in content
        assert "王小明" not in content and response.context["honour"].revoked is False

    def test_a_revoked_certificate_says_so(self, client, staff, model_worker):
        services.revoke_honour(by=staff, honour=model_worker, reason="事迹失实")
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        response = client.get(model_worker.get_verify_url())
        assert response.status_code == 200 and b"has been revoked" in response.content

    def test_an_unknown_token_is_a_404(self, client, model_worker):
        response = client.get(reverse("honours:honour_verify", args=[model_worker.token[:-2] + "xx"]))
        assert response.status_code == 404

    def test_an_organisation_is_named_in_full(self, client, staff, union_award, union_a):
        finished(staff, union_award, [(union_a, union_a, union_a.chair)])
        response = client.get(Honour.objects.get().get_verify_url())
        assert "甲公司工会委员会" in response.content.decode()


class TestDownload:
    def test_the_chair_staff_and_the_member_themselves_download_the_pdf_rendered_on_demand(
        self, login, staff, chair_a, make_user, model_worker, member_a
    ):
        member_a.user = make_user("wang")
        member_a.save(update_fields=["user"])
        for user in (chair_a, staff, member_a.user):
            response = login(user).get(reverse("honours:honour_certificate", args=[model_worker.pk]))
            assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
            assert b"".join(response.streaming_content).startswith(b"%PDF")
        model_worker.refresh_from_db()
        assert re.fullmatch(r"honours/certificates/\d{4}/[A-Za-z0-9_-]{22}\.pdf", model_worker.pdf.name)

    @pytest.mark.parametrize("who", ["chair_b", "outsider"])
    def test_nobody_else(self, login, request, db, who, model_worker):
        response = login(request.getfixturevalue(who)).get(
            reverse("honours:honour_certificate", args=[model_worker.pk])
        )
        assert response.status_code == 404

    def test_a_revoked_certificate_is_for_the_staff_only(self, login, staff, chair_a, model_worker):
        save_pdf(model_worker, PDF, f"{model_worker.number}.pdf")
        services.revoke_honour(by=staff, honour=model_worker, reason="事迹失实")
        url = reverse("honours:honour_certificate", args=[model_worker.pk])
        assert login(chair_a).get(url).status_code == 404
        assert login(staff).get(url).status_code == 200


# --- pages ------------------------------------------------------------------------------------------


class TestPages:
    def test_honours_on_the_union_and_member_pages(
        self,
        login,
        staff,
        chair_a,
        person_award,
        union_award,
        enterprise_award,
        union_a,
        member_a,
        enterprise_a,
    ):
        finished(staff, person_award, [(union_a, member_a, union_a.chair)])
        finished(
            staff,
            union_award,
            [(union_a, union_a, union_a.chair)],
            year=2024,
            start=datetime.date(2024, 4, 15),
        )
        finished(
            staff,
            enterprise_award,
            [(union_a, enterprise_a, union_a.chair)],
            year=2023,
            start=datetime.date(2023, 4, 17),
        )
        response = login(chair_a).get(reverse("members:union_detail", args=[union_a.pk]))
        honours = list(response.context["honours"])
        assert [h.nomination.round.year for h in honours] == [2025, 2024, 2023]
        content = response.content.decode()
        assert "RY-2025-0001" in content and "RY-2024-0001" in content and "甲精密机械有限公司" in content
        response = login(chair_a).get(reverse("members:member_detail", args=[member_a.pk]))
        assert [h.number for h in response.context["honours"]] == ["RY-2025-0001"]
        assert "劳动模范" in response.content.decode()

    def test_the_union_page_reads_the_honours_in_a_fixed_number_of_queries(
        self, login, staff, union_award, union_a
    ):
        finished(staff, union_award, [(union_a, union_a, union_a.chair)])
        client = login(staff)
        url = reverse("members:union_detail", args=[union_a.pk])
        with CaptureQueriesContext(connection) as one:
            client.get(url)
        for year in (2021, 2022, 2023):
            finished(
                staff,
                union_award,
                [(union_a, union_a, union_a.chair)],
                year=year,
                start=datetime.date(year, 4, 20),
            )
        with CaptureQueriesContext(connection) as four:
            client.get(url)
        assert len(one) == len(four)

    def test_a_chair_sees_their_unions_nominations_and_the_nominate_button(
        self, login, chair_a, chair_b, open_round, union_a, union_b
    ):
        mine = services.nominate(round=open_round, union=union_a, nominee=union_a, statement="好", by=chair_a)
        services.nominate(round=open_round, union=union_b, nominee=union_b, statement="好", by=chair_b)
        response = login(chair_a).get(reverse("honours:round_detail", args=[open_round.pk]))
        assert list(response.context["nominations"]) == [mine]
        assert response.context["can_nominate"] and response.context["used"] == 2
        assert b"Nominate" in response.content or "提名".encode() in response.content

    def test_a_chair_nominates_through_the_form_with_evidence(
        self, login, chair_a, person_award, staff, union_a, member_a
    ):
        award_round = make_round(staff, person_award)
        client = login(chair_a)
        response = client.post(
            reverse("honours:nomination_create", args=[award_round.pk]),
            {
                "union": union_a.pk,
                "id_number": member_a.id_number,
                "statement": "带领班组攻克难题",
                "evidence": [
                    pdf_upload("事迹材料.pdf"),
                    SimpleUploadedFile("照片.png", b"\x89PNG\r\n\x1a\n0000"),
                ],
            },
        )
        nomination = HonourNomination.objects.get()
        assert response.status_code == 302 and response["Location"] == nomination.get_absolute_url()
        assert nomination.nominee_member == member_a and nomination.submitted_by == chair_a
        evidence = nomination.evidence.order_by("pk").first()
        response = client.get(reverse("honours:nomination_evidence", args=[nomination.pk, evidence.pk]))
        assert response.status_code == 200 and b"".join(response.streaming_content) == PDF

    def test_a_bad_file_in_the_form_is_refused_and_nothing_is_written(
        self, login, chair_a, open_round, union_a
    ):
        client = login(chair_a)
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        response = client.post(
            reverse("honours:nomination_create", args=[open_round.pk]),
            {"union": union_a.pk, "statement": "好", "evidence": [pdf_upload("a.pdf", b"GIF89a")]},
        )
        assert response.status_code == 200 and b"not the file its name says" in response.content
        assert not HonourNomination.objects.exists()

    def test_a_chair_cannot_nominate_another_unions_member_through_the_form(
        self, login, chair_a, person_award, staff, union_a, member_b
    ):
        award_round = make_round(staff, person_award)
        response = login(chair_a).post(
            reverse("honours:nomination_create", args=[award_round.pk]),
            {"union": union_a.pk, "id_number": member_b.id_number, "statement": "好"},
        )
        assert response.status_code == 200 and not HonourNomination.objects.exists()

    def test_a_chair_withdraws_through_the_page(self, login, chair_a, open_round, union_a):
        nomination = services.nominate(
            round=open_round, union=union_a, nominee=union_a, statement="好", by=chair_a
        )
        response = login(chair_a).post(reverse("honours:nomination_withdraw", args=[nomination.pk]))
        assert response.status_code == 302
        nomination.refresh_from_db()
        assert nomination.status == Status.WITHDRAWN


class TestHonourList:
    @pytest.fixture
    def honours(self, staff, person_award, union_award, union_a, union_b, member_a):
        area = Area.objects.create(name="东片", lead_union=union_b)
        GrassrootsUnion.objects.filter(pk=union_b.pk).update(area=area)
        finished(staff, person_award, [(union_a, member_a, union_a.chair)])
        finished(
            staff,
            union_award,
            [(union_b, union_b, union_b.chair)],
            year=2024,
            start=datetime.date(2024, 4, 15),
        )
        return area

    @pytest.mark.parametrize(
        "query, expected",
        [
            ({}, ["RY-2025-0001", "RY-2024-0001"]),
            ({"year": 2024}, ["RY-2024-0001"]),
            ({"level": AwardLevel.DISTRICT}, ["RY-2025-0001", "RY-2024-0001"]),
            ({"level": AwardLevel.NATIONAL}, []),
            ({"award_type": "person"}, ["RY-2025-0001"]),
            ({"area": "area"}, ["RY-2024-0001"]),
        ],
    )
    def test_filters(self, login, staff, honours, person_award, query, expected):
        query = {k: {"person": person_award.pk, "area": honours.pk}.get(v, v) for k, v in query.items()}
        response = login(staff).get(reverse("honours:honour_list"), query)
        assert [h.number for h in response.context["page"]] == expected

    def test_a_chair_sees_their_own_unions_honours(self, login, chair_a, honours):
        response = login(chair_a).get(reverse("honours:honour_list"))
        assert [h.number for h in response.context["page"]] == ["RY-2025-0001"]

    def test_the_export_follows_the_filters(self, login, staff, honours):
        client = login(staff)
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        response = client.get(reverse("honours:honour_export"), {"year": 2025})
        assert response.status_code == 200
        sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
        rows = list(sheet.iter_rows(values_only=True))
        assert rows[0][:5] == ("Year", "Award", "Level", "Nominee kind", "Honoured")
        assert len(rows) == 2
        assert rows[1][:5] == ("2025", "劳动模范", "District", "A member", "王小明")
        assert rows[1][7] == "RY-2025-0001"
        assert not any("330481" in str(cell) for row in rows for cell in row)


def test_the_seeded_demo_reproduces_the_districts_record(db, settings):
    from django.core.management import call_command

    from honours.models import AwardType

    settings.DEBUG = True
    call_command("seed_demo", members=300, seed=5)
    awarded = HonourNomination.objects.filter(status=Status.AWARDED, round__year__lt=TODAY.year)
    counts = {
        (name, level): awarded.filter(round__award_type__name=name, round__award_type__level=level).count()
        for name, level in (
            ("品牌工会", 2),
            ("品牌工会", 3),
            ("品牌工会", 4),
            ("和谐劳动关系企业", 2),
            ("和谐劳动关系企业", 3),
            ("职工书屋", 5),
            ("职工书屋", 3),
            ("安康杯竞赛优胜单位", 5),
            ("安康杯竞赛优胜单位", 3),
            ("安康杯竞赛优胜单位", 4),
        )
    }
    assert list(counts.values()) == [4, 1, 1, 7, 2, 3, 3, 5, 3, 5]
    assert Honour.objects.count() == awarded.count()
    assert not Honour.objects.exclude(number__regex=r"^RY-\d{4}-\d{4}$").exists()
    assert not Honour.objects.exclude(pdf="").exists()
    for award_type in AwardType.objects.all():
        criteria = list(award_type.criteria_items.all())
        assert 3 <= len(criteria) <= 5 and sum(c.max_points for c in criteria) == 100
    phases = {services.round_phase(r, TODAY) for r in AwardRound.objects.filter(year=TODAY.year)}
    assert {"open", "review"} <= phases and phases & {"notice", "decided"}
    chair1 = GrassrootsUnion.objects.get(code="HN001").chair
    open_round = next(r for r in AwardRound.objects.filter(year=TODAY.year) if r.is_open_on(TODAY))
    assert not open_round.nominations.filter(union__chair=chair1).exists()
    assert NominationScore.objects.filter(nomination__round__year=TODAY.year).exists()


class TestStaffPages:
    def test_publish_and_issue_through_the_round_page(
        self, login, staff, closed_round, monkeypatch, django_capture_on_commit_callbacks
    ):
        a, _b = closed_round.nominations.order_by("pk")
        services.record_decision(round=closed_round, by=staff, winners=[a], on=datetime.date(2025, 4, 10))
        client = login(staff)
        page = client.get(closed_round.get_absolute_url())
        assert page.context["phase"] == "decided" and page.context["can_publish"]
        response = client.post(
            reverse("honours:round_publish", args=[closed_round.pk]), {"start": "2025-04-14"}
        )
        assert response.status_code == 302
        closed_round.refresh_from_db()
        assert (closed_round.notice_starts_on, closed_round.notice_ends_on) == (
            datetime.date(2025, 4, 14),
            datetime.date(2025, 4, 18),
        )
        page = client.get(closed_round.get_absolute_url())
        assert page.context["phase"] == "final" and page.context["can_issue"]
        rendered = []
        monkeypatch.setattr(
            services, "render_honour", lambda honour: rendered.append(honour.number) or "/dev/null"
        )
        with django_capture_on_commit_callbacks(execute=True):  # the certificates are rendered after commit
            assert client.post(reverse("honours:round_issue", args=[closed_round.pk])).status_code == 302
        assert rendered == ["RY-2025-0001"] and Honour.objects.get().nomination == a
        page = client.get(closed_round.get_absolute_url())
        assert not page.context["can_issue"] and [h.number for h in page.context["honours"]] == [
            "RY-2025-0001"
        ]
        assert b"RY-2025-0001" in page.content

    def test_the_forms_render(self, login, staff, union_award, closed_round):
        client = login(staff)
        for url in (
            reverse("honours:award_type_create"),
            reverse("honours:award_type_edit", args=[union_award.pk]),
            reverse("honours:round_create"),
            reverse("honours:round_edit", args=[closed_round.pk]),
            reverse("honours:round_decide", args=[closed_round.pk]),
            reverse("honours:award_type_list"),
            reverse("honours:nomination_score", args=[closed_round.nominations.first().pk]),
        ):
            assert client.get(url).status_code == 200, url

    def test_staff_edit_a_round_until_it_is_decided(self, login, staff, closed_round):
        client = login(staff)
        url = reverse("honours:round_edit", args=[closed_round.pk])
        data = {"opens_on": "2025-03-01", "closes_on": "2025-04-05", "quota": 4, "notice_working_days": 7}
        assert client.post(url, data).status_code == 302
        closed_round.refresh_from_db()
        assert (closed_round.closes_on, closed_round.quota, closed_round.notice_working_days) == (
            datetime.date(2025, 4, 5),
            4,
            7,
        )
        assert LogEntry.objects.get_for_object(closed_round).filter(action=LogEntry.Action.UPDATE).exists()

    def test_the_nomination_page_shows_the_staff_the_scores_and_the_chair_not(
        self, login, staff, chair_a, closed_round
    ):
        nomination = closed_round.nominations.get(union__chair=chair_a)
        criteria = list(closed_round.award_type.criteria_items.all())
        services.score_nomination(
            nomination=nomination, by=staff, points=dict.fromkeys(criteria, 10), on=datetime.date(2025, 4, 2)
        )
        url = nomination.get_absolute_url()
        assert len(login(staff).get(url).context["scores"]) == 3
        response = login(chair_a).get(url)
        assert response.context["scores"] is None and "30.0" not in response.content.decode()
