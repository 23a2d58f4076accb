"""Tutoring classes (周末、暑期托教辅导班): enrolment rules (ages on the first day, consent, eligibility, places and
the waiting list, a double submit, withdrawal), attendance (a future session refused, corrections), the
children's privacy role by role, bad input, the year's figures, the timetable from the working calendar, the
dashboard's to-dos and the pinned queries of the roster page."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from members.services import member_signin
from tutoring import services
from tutoring.dashboard import my_tutoring_classes, tutoring_figures, tutoring_todo
from tutoring.models import Attendance, Enrolment, Session, TutoringClass
from unionhub.contributions import Scope
from unionhub.models import CalendarDay, Notice

from ..conftest import TODAY
from ..factories import make_id
from .builders import DAY, child_born, enrol, make_class, years_before

CHILD = "王小宝"
# The roster page: the session and the user, the user's roles, the class, the enrolments (with their guardians and
# unions), the attendance per child, and the page's frame (notices…) — the same for one child or thirteen.
ROSTER_QUERIES = 9


@pytest.fixture
def guardian_a(member_a):
    """Member A's login (the guardian), with member A refreshed to know it."""
    user = member_signin.login_for(member_a)
    member_signin.accept_privacy(user=user)
    member_a.refresh_from_db()
    return user


@pytest.fixture
def guardian_b(member_b):
    user = member_signin.login_for(member_b)
    member_signin.accept_privacy(user=user)
    member_b.refresh_from_db()
    return user


@pytest.fixture
def open_class(chair_a, union_a, aid_staff):
    """Union A's summer class, open for enrolment, beginning in ten days, for children aged 6 to 12."""
    return make_class(by=chair_a, union=union_a, approve_by=aid_staff)


@pytest.fixture
def running_class(chair_a, union_a, aid_staff):
    """Union A's class that began two weeks ago: sessions two weeks ago, a week ago, today and in a week."""
    return make_class(
        by=chair_a,
        union=union_a,
        approve_by=aid_staff,
        starts_on=TODAY - 14 * DAY,
        ends_on=TODAY + 14 * DAY,
        sessions=[TODAY - 14 * DAY, TODAY - 7 * DAY, TODAY, TODAY + 7 * DAY],
    )


def _session(tutoring_class, day) -> Session:
    return tutoring_class.sessions.get(date=day)


# --- enrolment ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "shift, allowed",
    [
        (0, True),  # six today (the first day): the youngest allowed
        (1, False),  # born a day later: still five on the first day
    ],
)
def test_youngest_age_is_checked_on_the_first_day(open_class, member_a, guardian_a, shift, allowed):
    born = child_born(open_class, 6) + shift * DAY
    call = lambda: services.enrol(  # noqa: E731
        by=guardian_a,
        tutoring_class=open_class,
        member=member_a,
        child_name=CHILD,
        child_birth_date=born,
        consent=True,
    )
    if allowed:
        assert call().status == Enrolment.Status.CONFIRMED
    else:
        with pytest.raises(ValidationError, match="5"):
            call()
        assert not Enrolment.objects.exists()


@pytest.mark.parametrize("shift, allowed", [(1, True), (0, False)])
def test_oldest_age_is_checked_on_the_first_day(open_class, member_a, guardian_a, shift, allowed):
    """Twelve until the day before the thirteenth birthday; thirteen on the first day is too old."""
    born = child_born(open_class, 13) + shift * DAY
    if allowed:
        services.enrol(
            by=guardian_a,
            tutoring_class=open_class,
            member=member_a,
            child_name=CHILD,
            child_birth_date=born,
            consent=True,
        )
    else:
        with pytest.raises(ValidationError):
            services.enrol(
                by=guardian_a,
                tutoring_class=open_class,
                member=member_a,
                child_name=CHILD,
                child_birth_date=born,
                consent=True,
            )
    assert Enrolment.objects.count() == (1 if allowed else 0)


def test_consent_is_required_and_recorded_with_its_text(open_class, member_a, guardian_a):
    with pytest.raises(ValidationError):
        enrol(open_class, member_a, consent=False)
    assert not Enrolment.objects.exists()
    enrolment = enrol(open_class, member_a)
    assert enrolment.guardian_consent_on is not None
    assert enrolment.consent_text == str(services.CONSENT_TEXT)


def test_only_the_hosting_unions_members_unless_open_to_the_district(
    chair_a, union_a, aid_staff, member_b, guardian_b
):
    closed = make_class(by=chair_a, union=union_a, approve_by=aid_staff)
    with pytest.raises(ValidationError):
        enrol(closed, member_b)
    district = make_class(
        by=chair_a, union=union_a, approve_by=aid_staff, open_to_district=True, title="区级班"
    )
    assert enrol(district, member_b).status == Enrolment.Status.CONFIRMED


def test_a_member_enrols_only_their_own_child(open_class, member_a, guardian_b):
    with pytest.raises(PermissionDenied):
        enrol(open_class, member_a, by=guardian_b)


def test_no_enrolment_in_a_draft_or_a_closed_class_by_the_member(
    chair_a, union_a, aid_staff, member_a, guardian_a
):
    draft = make_class(by=chair_a, union=union_a)
    with pytest.raises(ValidationError):
        enrol(draft, member_a)
    closed = make_class(by=chair_a, union=union_a, approve_by=aid_staff, title="已截止")
    services.close_enrolment(by=chair_a, tutoring_class=closed)
    with pytest.raises(ValidationError):
        enrol(closed, member_a)
    # The host may still enrol on a member's behalf once enrolment has closed.
    assert enrol(closed, member_a, by=chair_a).status == Enrolment.Status.CONFIRMED


def test_beyond_the_places_a_waiting_list_in_order(chair_a, union_a, aid_staff, member_a, guardian_a):
    small = make_class(by=chair_a, union=union_a, approve_by=aid_staff, capacity=2)
    first, second = enrol(small, member_a, name="甲"), enrol(small, member_a, name="乙")
    third, fourth = enrol(small, member_a, name="丙"), enrol(small, member_a, name="丁")
    assert [e.status for e in (first, second)] == ["confirmed", "confirmed"]
    assert [e.status for e in (third, fourth)] == ["waiting", "waiting"]
    assert services.waiting_rank(third) == 1 and services.waiting_rank(fourth) == 2


def test_a_double_submit_makes_one_enrolment(open_class, member_a, guardian_a, member_client):
    client = member_client(member_a)
    member_a.refresh_from_db()
    url = reverse("member_tutoring:enrol", args=[open_class.pk])
    data = {
        "child_name": CHILD,
        "child_birth_date": child_born(open_class, 8).isoformat(),
        "consent": "on",
    }
    assert client.post(url, data).status_code == 302
    assert client.post(url, data).status_code == 302
    assert Enrolment.objects.filter(tutoring_class=open_class).count() == 1
    with pytest.raises(ValidationError, match=CHILD):
        enrol(open_class, member_a, name=f" {CHILD} ")


def test_withdrawing_promotes_the_waiting_list_in_order(
    chair_a, union_a, aid_staff, member_a, guardian_a, member_b
):
    small = make_class(by=chair_a, union=union_a, approve_by=aid_staff, capacity=1)
    placed = enrol(small, member_a, name="甲")
    waiting_1, waiting_2 = enrol(small, member_a, name="乙"), enrol(small, member_a, name="丙")
    promoted = services.withdraw(by=guardian_a, enrolment=placed)
    assert [e.pk for e in promoted] == [waiting_1.pk]
    waiting_1.refresh_from_db(), waiting_2.refresh_from_db()
    assert waiting_1.status == "confirmed" and waiting_2.status == "waiting"
    assert services.waiting_rank(waiting_2) == 1
    assert Notice.objects.filter(user=guardian_a, key=f"tutoring-promoted-{waiting_1.pk}").exists()
    with pytest.raises(ValidationError):
        services.withdraw(by=guardian_a, enrolment=placed)  # twice: refused, nobody else promoted
    # A child withdrawn may be enrolled again (the live-enrolment constraint ignores withdrawn rows).
    assert enrol(small, member_a, name="甲").status == "waiting"


def test_another_member_cannot_withdraw_a_child(open_class, member_a, guardian_a, guardian_b):
    enrolment = enrol(open_class, member_a)
    with pytest.raises(PermissionDenied):
        services.withdraw(by=guardian_b, enrolment=enrolment)


def test_the_member_area_withdraws_only_the_members_own(
    open_class, member_a, member_b, member_client, client
):
    mine = enrol(open_class, member_a, by=open_class.union.chair)
    member_client(member_b)
    assert client.post(reverse("member_tutoring:withdraw", args=[mine.pk])).status_code == 404
    mine.refresh_from_db()
    assert mine.status == "confirmed"
    member_client(member_a)
    assert client.post(reverse("member_tutoring:withdraw", args=[mine.pk])).status_code == 302
    mine.refresh_from_db()
    assert mine.status == "withdrawn"


# --- attendance --------------------------------------------------------------------------------------------


def test_a_future_session_cannot_be_marked(running_class, member_a, chair_a, client):
    enrolment = enrol(running_class, member_a, by=chair_a)
    future = _session(running_class, TODAY + 7 * DAY)
    with pytest.raises(ValidationError):
        services.take_attendance(by=chair_a, session=future, present=[enrolment.pk])
    client.force_login(chair_a)
    page = client.get(reverse("tutoring:attendance", args=[future.pk])).content.decode()
    assert 'name="present"' not in page
    client.post(reverse("tutoring:attendance", args=[future.pk]), {"present": [enrolment.pk]})
    assert not Attendance.objects.exists()
    # Today's session may be marked.
    services.take_attendance(by=chair_a, session=_session(running_class, TODAY), present=[enrolment.pk])
    assert Attendance.objects.get().present


def test_marking_again_corrects_and_the_rate_follows(running_class, member_a, chair_a, client):
    one = enrol(running_class, member_a, by=chair_a, name="甲")
    two = enrol(running_class, member_a, by=chair_a, name="乙")
    first, second = _session(running_class, TODAY - 14 * DAY), _session(running_class, TODAY - 7 * DAY)
    client.force_login(chair_a)
    client.post(reverse("tutoring:attendance", args=[first.pk]), {"present": [one.pk, two.pk]})
    client.post(reverse("tutoring:attendance", args=[second.pk]), {"present": [one.pk]})
    assert Attendance.objects.count() == 4
    # A correction: the second child was there after all at the second session, the first was not.
    client.post(reverse("tutoring:attendance", args=[second.pk]), {"present": [two.pk]})
    assert Attendance.objects.count() == 4
    rates = services.child_rates(running_class)
    assert rates[one.pk] == (1, 2) and rates[two.pk] == (2, 2)
    assert services.rate(*rates[one.pk]) == services.rate(1, 2) == pytest.approx(50)
    roster = client.get(reverse("tutoring:roster", args=[running_class.pk])).content.decode()
    assert "50.0%" in roster and "100.0%" in roster


def test_attendance_refuses_children_without_a_place(running_class, member_a, chair_a, client):
    placed = enrol(running_class, member_a, by=chair_a)
    session = _session(running_class, TODAY - 7 * DAY)
    client.force_login(chair_a)
    for forged in ["abc", "-1", "²", "١", "99999999999999999999", str(placed.pk + 1000)]:
        response = client.post(reverse("tutoring:attendance", args=[session.pk]), {"present": [forged]})
        assert response.status_code == 302
    assert not Attendance.objects.exists()
    with pytest.raises(ValidationError):
        services.take_attendance(by=chair_a, session=session, present=[placed.pk + 1000])


# --- privacy: who sees the children ------------------------------------------------------------------------


CHILDREN_PAGES = ["tutoring:roster", "tutoring:roster_export", "tutoring:enrol"]


@pytest.fixture
def with_child(running_class, member_a, chair_a):
    enrolment = enrol(running_class, member_a, by=chair_a, name=CHILD)
    services.take_attendance(
        by=chair_a, session=_session(running_class, TODAY - 7 * DAY), present=[enrolment.pk]
    )
    return enrolment


@pytest.fixture
def password_member(make_user, member_b):
    """Member B's login used with a password (not a code session), so that it reaches the staff pages."""
    user = member_signin.login_for(member_b)
    return user


@pytest.mark.parametrize(
    "role",
    [
        "staff",
        "finance_staff",
        "casework_staff",
        "audit_staff",
        "chair_b",
        "cadre",
        "assoc_chair",
        "merchant",
        "outsider",
        "password_member",
    ],
)
def test_every_other_role_gets_404_on_the_children(request, role, running_class, with_child, client):
    client.force_login(request.getfixturevalue(role))
    pk = running_class.pk
    for name in CHILDREN_PAGES:
        assert client.get(reverse(name, args=[pk])).status_code == 404, name
    session = _session(running_class, TODAY - 7 * DAY)
    assert client.get(reverse("tutoring:attendance", args=[session.pk])).status_code == 404
    assert client.post(reverse("tutoring:attendance", args=[session.pk]), {"present": []}).status_code == 404
    assert client.post(reverse("tutoring:enrolment_withdraw", args=[with_child.pk])).status_code == 404
    with_child.refresh_from_db()
    assert with_child.status == "confirmed" and Attendance.objects.get().present
    for page in ["tutoring:class_detail", "tutoring:figures", "tutoring:class_list"]:
        args = [pk] if page == "tutoring:class_detail" else []
        response = client.get(reverse(page, args=args))
        assert CHILD not in response.content.decode(), page
    assert CHILD not in client.get("/").content.decode()


@pytest.mark.parametrize("role", ["chair_a", "aid_staff"])
def test_the_host_chair_and_aid_staff_see_the_children(request, role, running_class, with_child, client):
    client.force_login(request.getfixturevalue(role))
    roster = client.get(reverse("tutoring:roster", args=[running_class.pk]))
    assert roster.status_code == 200 and CHILD in roster.content.decode()
    session = _session(running_class, TODAY - 7 * DAY)
    assert CHILD in client.get(reverse("tutoring:attendance", args=[session.pk])).content.decode()
    export = client.get(reverse("tutoring:roster_export", args=[running_class.pk]))
    assert export.status_code == 200
    assert export["Content-Type"].startswith("application/vnd.openxmlformats")


def test_staff_without_aid_see_the_class_and_counts_but_no_child(staff, running_class, with_child, client):
    client.force_login(staff)
    page = client.get(reverse("tutoring:class_detail", args=[running_class.pk])).content.decode()
    assert running_class.title in page and CHILD not in page
    assert reverse("tutoring:roster", args=[running_class.pk]) not in page


def test_the_guardian_sees_only_their_own_children(
    running_class, member_a, register, enterprise_a, member_client, client
):
    neighbour = register(enterprise_a, name="赵小芳", id_number=make_id("19850303", sex="F"))
    enrol(running_class, member_a, by=running_class.union.chair, name=CHILD)
    enrol(running_class, neighbour, by=running_class.union.chair, name="赵小东")
    member_client(member_a)
    for url in [reverse("member_tutoring:index"), reverse("member_tutoring:detail", args=[running_class.pk])]:
        page = client.get(url).content.decode()
        assert CHILD in page and "赵小东" not in page, url


def test_a_class_not_open_to_the_member_is_404_in_the_member_area(
    chair_b, union_b, aid_staff, member_a, member_client, client
):
    other = make_class(by=chair_b, union=union_b, approve_by=aid_staff, title="乙班")
    member_client(member_a)
    assert client.get(reverse("member_tutoring:detail", args=[other.pk])).status_code == 404
    response = client.post(
        reverse("member_tutoring:enrol", args=[other.pk]),
        {"child_name": CHILD, "child_birth_date": child_born(other, 8).isoformat(), "consent": "on"},
    )
    assert response.status_code == 404 and not Enrolment.objects.exists()


def test_the_member_areas_tile_and_pages(open_class, member_a, member_client, client):
    member_client(member_a)
    home = client.get(reverse("member_area:home")).content.decode()
    assert "托教辅导班" in home
    page = client.get(reverse("member_tutoring:detail", args=[open_class.pk])).content.decode()
    assert str(services.CONSENT_TEXT) in page or "监护人" in page


# --- the class: states, permissions, bad input -------------------------------------------------------------


def test_a_chair_submits_aid_staff_approve(chair_a, union_a, aid_staff, staff, chair_b):
    draft = make_class(by=chair_a, union=union_a)
    with pytest.raises(PermissionDenied):
        services.approve_class(by=chair_a, tutoring_class=draft)
    with pytest.raises(PermissionDenied):
        services.approve_class(by=staff, tutoring_class=draft)
    with pytest.raises(PermissionDenied):
        services.submit_class(by=chair_b, tutoring_class=draft)
    services.submit_class(by=chair_a, tutoring_class=draft)
    draft.refresh_from_db()
    assert draft.waiting_approval
    items = tutoring_todo(Scope(day=TODAY, user=aid_staff))
    assert [i.kind for i in items] == ["tutoring.approve"]
    assert services.approve_class(by=aid_staff, tutoring_class=draft).status == TutoringClass.Status.OPEN


def test_a_class_needs_its_timetable_before_approval(chair_a, union_a, aid_staff):
    tutoring_class = services.create_class(
        by=chair_a,
        union=union_a,
        kind="weekend",
        title="周末课堂",
        min_age=6,
        max_age=12,
        capacity=10,
        starts_on=TODAY + DAY,
        ends_on=TODAY + 60 * DAY,
        place="活动室",
    )
    with pytest.raises(ValidationError):
        services.approve_class(by=aid_staff, tutoring_class=tutoring_class)


def test_a_chair_hosts_only_for_their_own_union(chair_a, union_a, union_b):
    with pytest.raises(ValidationError):
        make_class(by=chair_a, union=union_b)


def test_only_chairs_and_aid_staff_create(staff, union_a, cadre):
    for user in (staff, cadre):
        with pytest.raises(PermissionDenied):
            make_class(by=user, union=union_a)


def test_finish_after_the_last_day_and_cancel_tells_the_guardians(
    running_class, member_a, guardian_a, chair_a
):
    with pytest.raises(ValidationError):
        services.finish_class(by=chair_a, tutoring_class=running_class)
    enrolment = enrol(running_class, member_a, by=chair_a)
    with pytest.raises(ValidationError):
        services.cancel_class(by=chair_a, tutoring_class=running_class, reason="  ")
    services.cancel_class(by=chair_a, tutoring_class=running_class, reason="场地维修")
    assert Notice.objects.filter(user=guardian_a, key=f"tutoring-cancelled-{enrolment.pk}").exists()
    with pytest.raises(ValidationError):
        services.take_attendance(by=chair_a, session=_session(running_class, TODAY), present=[])


def _class_post(**override):
    data = {
        "union": "",
        "kind": "summer",
        "title": "暑期班",
        "subjects": "",
        "description": "",
        "support": "",
        "subsidy": "",
        "min_age": "6",
        "max_age": "12",
        "capacity": "30",
        "starts_on": (TODAY + 20 * DAY).isoformat(),
        "ends_on": (TODAY + 50 * DAY).isoformat(),
        "place": "活动室",
    }
    data.update(override)
    return data


@pytest.mark.parametrize(
    "override",
    [
        {"min_age": "12", "max_age": "6"},
        {"min_age": "-1"},
        {"max_age": "40"},
        {"max_age": "99999999999999"},
        {"capacity": "0"},
        {"capacity": "-5"},
        {"capacity": "abc"},
        {"capacity": "100000"},
        {"starts_on": "2026-02-30"},
        {"starts_on": "0001-01-01"},
        {"ends_on": (TODAY + 10 * DAY).isoformat()},  # before the first day
        {"ends_on": (TODAY + 900 * DAY).isoformat()},  # longer than a year
        {"subsidy": "-1"},
        {"subsidy": "NaN"},
        {"subsidy": "1e99"},
        {"kind": "holiday"},
        {"title": ""},
        {"union": "999999999999999999999"},
        {"enterprise": "abc"},
    ],
)
def test_bad_class_input_is_a_form_error(chair_a, union_a, client, override):
    client.force_login(chair_a)
    response = client.post(reverse("tutoring:class_create"), _class_post(**{"union": union_a.pk, **override}))
    assert response.status_code == 200, override
    assert not TutoringClass.objects.exists()


def test_a_good_class_post_makes_a_draft(chair_a, union_a, client):
    client.force_login(chair_a)
    response = client.post(reverse("tutoring:class_create"), _class_post(union=union_a.pk, subsidy="5000.50"))
    assert response.status_code == 302
    tutoring_class = TutoringClass.objects.get()
    assert tutoring_class.status == "draft" and str(tutoring_class.subsidy) == "5000.50"


@pytest.mark.parametrize(
    "override",
    [
        {"child_birth_date": (TODAY + DAY).isoformat()},
        {"child_birth_date": "1800-01-01"},
        {"child_birth_date": "yesterday"},
        {"child_name": ""},
        {"child_name": "x" * 200},
        {"consent": ""},
    ],
)
def test_bad_enrolment_input_enrols_nobody(open_class, member_a, member_client, client, override):
    member_client(member_a)
    data = {"child_name": CHILD, "child_birth_date": child_born(open_class, 8).isoformat(), "consent": "on"}
    data.update(override)
    response = client.post(reverse("member_tutoring:enrol", args=[open_class.pk]), data)
    assert response.status_code == 302
    assert not Enrolment.objects.exists()


@pytest.mark.parametrize(
    "query",
    [
        "year=abc",
        "year=99999999",
        "kind=<script>",
        "status=waiting",
        "status=%00",
        "page=-1",
        "page=99999999999999999999",
        "year=2026&kind=summer&status=open",
    ],
)
def test_hostile_query_params_never_fail(aid_staff, running_class, client, query):
    client.force_login(aid_staff)
    for name in ["tutoring:class_list", "tutoring:figures"]:
        assert client.get(f"{reverse(name)}?{query}").status_code == 200


@pytest.mark.parametrize(
    "override",
    [
        {"weekdays": ["9"]},
        {"weekdays": ["x"]},
        {"weekdays": []},
        {"pattern": "monthly"},
        {"end": "2026-13-01"},
        {"ends_at": "08:00"},
        {"tutor": "99999999999999999999"},
    ],
)
def test_bad_pattern_input_adds_no_session(chair_a, union_a, client, override):
    tutoring_class = make_class(by=chair_a, union=union_a, kind="weekend")
    before = tutoring_class.sessions.count()
    client.force_login(chair_a)
    data = {
        "pattern": "weekly",
        "weekdays": ["5"],
        "date": tutoring_class.starts_on.isoformat(),
        "end": tutoring_class.ends_on.isoformat(),
        "starts_at": "09:00",
        "ends_at": "11:00",
        "topic": "",
        "tutor": "",
    }
    data.update(override)
    response = client.post(reverse("tutoring:session_generate", args=[tutoring_class.pk]), data)
    assert response.status_code == 200
    assert tutoring_class.sessions.count() == before


# --- the timetable from the working calendar ---------------------------------------------------------------


def test_weekly_pattern_leaves_out_statutory_holidays(chair_a, union_a):
    start = TODAY + 10 * DAY
    saturdays = [start + i * DAY for i in range(28) if (start + i * DAY).weekday() == 5]
    CalendarDay.objects.update_or_create(date=saturdays[1], defaults={"kind": "holiday", "name": "测试假日"})
    tutoring_class = make_class(
        by=chair_a, union=union_a, kind="weekend", starts_on=start, ends_on=start + 27 * DAY
    )
    made = services.generate_sessions(
        by=chair_a,
        tutoring_class=tutoring_class,
        pattern=services.WEEKLY,
        start=start,
        end=start + 27 * DAY,
        starts_at=datetime.time(8, 30),
        ends_at=datetime.time(11, 30),
        weekdays=[5],
    )
    assert [s.date for s in made] == [d for d in saturdays if d != saturdays[1]]
    again = services.generate_sessions(
        by=chair_a,
        tutoring_class=tutoring_class,
        pattern=services.WEEKLY,
        start=start,
        end=start + 27 * DAY,
        starts_at=datetime.time(8, 30),
        ends_at=datetime.time(11, 30),
        weekdays=[5],
    )
    assert again == []  # a slot already on the timetable is left as it is


def test_summer_pattern_is_every_working_day(chair_a, union_a):
    start = TODAY + 10 * DAY
    end = start + 20 * DAY
    weekday = next(start + i * DAY for i in range(7) if (start + i * DAY).weekday() < 5)
    sunday = next(start + i * DAY for i in range(7) if (start + i * DAY).weekday() == 6)
    CalendarDay.objects.update_or_create(date=weekday, defaults={"kind": "holiday", "name": "假日"})
    CalendarDay.objects.update_or_create(date=sunday, defaults={"kind": "workday", "name": "调休"})
    tutoring_class = make_class(by=chair_a, union=union_a, starts_on=start, ends_on=end, sessions=[end])
    made = services.generate_sessions(
        by=chair_a,
        tutoring_class=tutoring_class,
        pattern=services.WORKING_DAYS,
        start=start,
        end=end,
        starts_at=datetime.time(14),
        ends_at=datetime.time(16),
    )
    days = {s.date for s in made}
    assert weekday not in days and sunday in days
    assert all(d.weekday() < 5 or d == sunday for d in days)


def test_sessions_stay_within_the_class(chair_a, union_a):
    tutoring_class = make_class(by=chair_a, union=union_a)
    with pytest.raises(ValidationError):
        services.add_session(
            by=chair_a,
            tutoring_class=tutoring_class,
            date=tutoring_class.ends_on + DAY,
            starts_at=datetime.time(9),
            ends_at=datetime.time(10),
        )
    with pytest.raises(ValidationError):
        services.add_session(
            by=chair_a,
            tutoring_class=tutoring_class,
            date=tutoring_class.starts_on,
            starts_at=datetime.time(10),
            ends_at=datetime.time(9),
        )


# --- figures -----------------------------------------------------------------------------------------------


def test_the_years_figures_count_right(
    chair_a, chair_b, union_a, union_b, enterprise_a, aid_staff, member_a, member_b
):
    year_start = datetime.date(TODAY.year, 1, 1)
    # Begun on 1 January and not yet over (enrolling needs a class not over), whatever today is.
    end = max(TODAY, year_start + 30 * DAY) + DAY
    summer = make_class(
        by=chair_a,
        union=union_a,
        enterprise=enterprise_a,
        approve_by=None,
        starts_on=year_start,
        ends_on=end,
        sessions=[year_start, year_start + DAY],
        open_to_district=True,
    )
    TutoringClass.objects.filter(pk=summer.pk).update(status="open")  # a past class, as the demo makes them
    weekend = make_class(
        by=chair_b,
        union=union_b,
        kind="weekend",
        starts_on=year_start + 2 * DAY,
        ends_on=end,
        sessions=[year_start + 2 * DAY],
        title="周末班",
    )
    TutoringClass.objects.filter(pk=weekend.pk).update(status="closed")
    cancelled = make_class(
        by=chair_a, union=union_a, starts_on=year_start, ends_on=year_start + DAY, title="取消"
    )
    services.cancel_class(by=chair_a, tutoring_class=cancelled, reason="无人报名")
    summer.refresh_from_db(), weekend.refresh_from_db()
    a1 = enrol(summer, member_a, by=aid_staff, name="甲")
    a2 = enrol(summer, member_a, by=aid_staff, name="乙")
    b1 = enrol(summer, member_b, by=aid_staff, name="丙")
    services.enrol(  # the same child in a second class: counted once
        by=aid_staff,
        tutoring_class=weekend,
        member=member_b,
        child_name="丙",
        child_birth_date=b1.child_birth_date,
        consent=True,
    )
    gone = enrol(summer, member_a, by=aid_staff, name="丁")
    services.withdraw(by=aid_staff, enrolment=gone)
    day1, day2 = summer.sessions.order_by("date")
    services.take_attendance(by=aid_staff, session=day1, present=[a1.pk, a2.pk, b1.pk], today=end)
    services.take_attendance(by=aid_staff, session=day2, present=[a1.pk], today=end)
    figures = services.year_figures(TODAY.year)
    assert figures["classes"] == 2 and figures["weekend"] == 1 and figures["summer"] == 1
    assert figures["children"] == 3
    assert figures["sessions"] == 2  # the weekend class's session has no attendance yet: not held
    assert (figures["present"], figures["marked"]) == (4, 6)
    assert str(figures["rate"]) == "66.7"
    assert figures["unions"] == 2 and figures["enterprises"] == 1
    assert services.year_figures(TODAY.year - 1)["classes"] == 0
    tile = tutoring_figures(Scope(day=TODAY, user=aid_staff))
    assert tile == {"tutoring_classes": 2, "tutoring_children": 3, "tutoring_rate": figures["rate"]}


# --- the dashboard -----------------------------------------------------------------------------------------


def test_the_host_chair_is_told_of_attendance_to_take_and_waiting_lists(
    running_class, member_a, chair_a, chair_b, aid_staff
):
    TutoringClass.objects.filter(pk=running_class.pk).update(capacity=1)
    running_class.refresh_from_db()
    enrol(running_class, member_a, by=chair_a, name="甲")
    enrol(running_class, member_a, by=chair_a, name="乙")
    items = tutoring_todo(Scope(day=TODAY, user=chair_a))
    kinds = sorted(i.kind for i in items)
    assert kinds == ["tutoring.attendance", "tutoring.waiting"]
    attendance = next(i for i in items if i.kind == "tutoring.attendance")
    assert attendance.due == TODAY - 14 * DAY and attendance.overdue
    assert attendance.url == reverse(
        "tutoring:attendance", args=[_session(running_class, TODAY - 14 * DAY).pk]
    )
    assert tutoring_todo(Scope(day=TODAY, user=chair_b)) is None
    assert my_tutoring_classes(Scope(day=TODAY, user=chair_a))["tutoring_panel"]["classes"][0].n_waiting == 1
    assert my_tutoring_classes(Scope(day=TODAY, user=chair_b)) is None


# --- queries -----------------------------------------------------------------------------------------------


def test_the_roster_pages_queries_do_not_grow_with_the_children(
    running_class, member_a, chair_a, client, django_assert_max_num_queries
):
    client.force_login(chair_a)
    url = reverse("tutoring:roster", args=[running_class.pk])
    enrol(running_class, member_a, by=chair_a, name="甲")
    client.get(url)  # warm the session and the content types

    def count():
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx)

    few = count()
    for n in range(12):
        enrol(running_class, member_a, by=chair_a, name=f"孩子{n}")
    assert count() == few
    assert few == ROSTER_QUERIES, few


def test_years_before_keeps_to_the_month():
    assert years_before(datetime.date(2028, 2, 29), 6) == datetime.date(2022, 2, 28)
