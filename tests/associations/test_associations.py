"""Associations: joining (open and with approval), the chair's decisions, leaving, the yearly plan,
the compliance report (its counts, flags and fixed query count), its command and monthly reminder,
and who may see what."""

import datetime

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from associations import services
from associations.models import Activity, Association, AssociationMember, PlannedActivity, SignUp
from associations.tasks import remind_associations_behind
from tests.factories import TODAY
from unionhub.models import Notice

pytestmark = pytest.mark.usefixtures("english")


@pytest.fixture(autouse=True)
def english_pages(client):
    """Pages in English, which the assertions read (the default is Chinese)."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


PAST_YEAR = TODAY.year - 2
ZONE = timezone.get_current_timezone()


def at(day: datetime.date, hour: int = 9) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour), tzinfo=ZONE)


def make_association(name, chair=None, **extra) -> Association:
    return Association.objects.create(
        name=name, kind="sports", chair=chair, founded_on=datetime.date(2015, 1, 1), **extra
    )


def plan(association, year, lines: int, months=None) -> list[PlannedActivity]:
    months = months or [1 + n % 12 for n in range(lines)]
    return PlannedActivity.objects.bulk_create(
        [
            PlannedActivity(association=association, year=year, month=m, title=f"活动{n}", kind="meeting")
            for n, m in enumerate(months[:lines])
        ]
    )


def activity(association, day, status=Activity.Status.HELD, planned=None) -> Activity:
    return Activity.objects.create(
        association=association,
        planned=planned,
        title="健步走",
        kind="outing",
        starts_at=at(day),
        ends_at=at(day, 11),
        venue="鹃湖",
        capacity=30,
        signup_deadline=at(day - datetime.timedelta(days=2)),
        status=status,
    )


def attended(activity_, *members, present=True):
    for member in members:
        SignUp.objects.create(
            activity=activity_, member=member, status=SignUp.Status.CONFIRMED, attended=present
        )


@pytest.fixture
def photo(assoc_chair):
    return Association.objects.get(name="职工摄影书法协会")


@pytest.fixture
def fitness(chair_a):
    return make_association("职工健身协会", chair=chair_a, joining=Association.Joining.OPEN)


@pytest.fixture
def linked_member(member_a, make_user):
    """member_a with a login of their own."""
    member_a.user = make_user("wangxm", name="王小明")
    member_a.save(update_fields=["user"])
    return member_a


# --- membership -------------------------------------------------------------------------------------


def test_open_joining_is_active_at_once(fitness, linked_member):
    membership = services.join(by=linked_member.user, association=fitness, member=linked_member)
    assert membership.status == AssociationMember.Status.ACTIVE
    assert membership.joined_on == timezone.localdate()
    with pytest.raises(ValidationError, match="already a member"):
        services.join(by=linked_member.user, association=fitness, member=linked_member)


def test_approval_joining_waits_and_notifies_the_chair(photo, assoc_chair, linked_member):
    membership = services.join(by=linked_member.user, association=photo, member=linked_member)
    assert membership.status == AssociationMember.Status.PENDING
    assert Notice.objects.filter(user=assoc_chair, key__startswith="association-join-").count() == 1

    services.decide_membership(by=assoc_chair, membership=membership, admit=True)
    membership.refresh_from_db()
    assert membership.status == AssociationMember.Status.ACTIVE and membership.joined_on
    assert Notice.objects.filter(user=linked_member.user, key__startswith="association-decision-").exists()
    with pytest.raises(ValidationError, match="already been decided"):
        services.decide_membership(by=assoc_chair, membership=membership, admit=False)


def test_refusal_and_leaving(photo, assoc_chair, linked_member):
    membership = services.join(by=linked_member.user, association=photo, member=linked_member)
    services.decide_membership(by=assoc_chair, membership=membership, admit=False)
    membership.refresh_from_db()
    assert membership.status == AssociationMember.Status.REFUSED
    # Asking again is allowed, and waits again.
    again = services.join(by=linked_member.user, association=photo, member=linked_member)
    assert again.pk == membership.pk and again.status == AssociationMember.Status.PENDING
    services.leave(by=linked_member.user, membership=again)
    again.refresh_from_db()
    assert again.status == AssociationMember.Status.LEFT


def test_chair_adds_a_member_who_has_no_login(photo, assoc_chair, member_b):
    photo.unions.add(
        member_b.union
    )  # a union the association draws from (tests/associations/test_enrolment.py)
    membership = services.join(by=assoc_chair, association=photo, member=member_b)
    assert membership.status == AssociationMember.Status.ACTIVE


def test_nobody_else_joins_or_decides_for_a_member(photo, fitness, chair_a, outsider, member_a, member_b):
    with pytest.raises(PermissionDenied):
        services.join(by=outsider, association=photo, member=member_a)
    # The chair of another association cannot add members to this one, nor decide its requests.
    with pytest.raises(PermissionDenied):
        services.join(by=chair_a, association=photo, member=member_b)
    pending = AssociationMember.objects.create(association=photo, member=member_b)
    with pytest.raises(PermissionDenied):
        services.decide_membership(by=chair_a, membership=pending, admit=True)


def test_vice_chair_decides(photo, make_user, member_b):
    vice = make_user("vice")
    photo.vice_chairs.add(vice)
    pending = AssociationMember.objects.create(association=photo, member=member_b)
    services.decide_membership(by=vice, membership=pending, admit=True)
    assert AssociationMember.objects.get(pk=pending.pk).status == "active"


def test_join_through_the_page(client, photo, linked_member):
    client.force_login(linked_member.user)
    response = client.post(f"/associations/{photo.pk}/join/", follow=True)
    assert "sent to the chair" in response.content.decode()
    assert AssociationMember.objects.get(association=photo, member=linked_member).status == "pending"


def test_chair_decides_through_the_page(client, photo, assoc_chair, member_b):
    pending = AssociationMember.objects.create(association=photo, member=member_b)
    client.force_login(assoc_chair)
    page = client.get(photo.get_absolute_url()).content.decode()
    assert member_b.name in page
    client.post(f"/associations/memberships/{pending.pk}/decide/", {"admit": "1"})
    assert AssociationMember.objects.get(pk=pending.pk).status == "active"


# --- the plan ---------------------------------------------------------------------------------------


def test_plan_below_the_minimum_is_saved_and_flagged(photo, assoc_chair):
    result = services.save_plan(
        by=assoc_chair,
        association=photo,
        year=TODAY.year,
        lines=[(m, f"采风{m}", "outing") for m in range(1, 8)],
    )
    assert result.below_minimum and result.missing == 3
    assert PlannedActivity.objects.filter(association=photo, year=TODAY.year).count() == 7
    full = services.save_plan(
        by=assoc_chair,
        association=photo,
        year=TODAY.year,
        lines=[(m, f"采风{m}", "outing") for m in range(1, 13)],
    )
    assert not full.below_minimum and full.missing == 0
    assert PlannedActivity.objects.filter(association=photo, year=TODAY.year).count() == 12


def test_plan_keeps_lines_linked_to_activities(photo, assoc_chair):
    services.save_plan(by=assoc_chair, association=photo, year=PAST_YEAR, lines=[(3, "春季采风", "outing")])
    line = PlannedActivity.objects.get(association=photo, year=PAST_YEAR)
    held = activity(photo, datetime.date(PAST_YEAR, 3, 10), planned=line)
    services.save_plan(
        by=assoc_chair,
        association=photo,
        year=PAST_YEAR,
        lines=[(3, "春季采风", "outing"), (5, "书法临帖", "meeting")],
    )
    held.refresh_from_db()
    assert held.planned_id == line.pk


def test_plan_rejects_bad_lines(photo, assoc_chair):
    with pytest.raises(ValidationError) as error:
        services.save_plan(
            by=assoc_chair,
            association=photo,
            year=TODAY.year,
            lines=[(13, "x", "outing"), (1, "", "outing"), (2, "y", "nonsense")],
        )
    assert len(error.value.messages) == 3


def test_plan_editor_page(client, photo, assoc_chair):
    client.force_login(assoc_chair)
    url = f"/associations/{photo.pk}/plan/{TODAY.year}/"
    assert client.get(url).status_code == 200
    data = {
        "form-TOTAL_FORMS": "3",
        "form-INITIAL_FORMS": "0",
        "form-0-month": "1",
        "form-0-title": "新春书法",
        "form-0-kind": "performance",
        "form-1-month": "4",
        "form-1-title": "春季采风",
        "form-1-kind": "outing",
        "form-2-month": "",
        "form-2-title": "",
        "form-2-kind": "",
    }
    response = client.post(url, data, follow=True)
    assert "at least 10 are needed, 8 more to plan" in response.content.decode()
    assert PlannedActivity.objects.filter(association=photo, year=TODAY.year).count() == 2


# --- compliance -------------------------------------------------------------------------------------


@pytest.fixture
def three(assoc_chair, chair_a, chair_b, member_a, member_b):
    """In PAST_YEAR: 摄影 planned 12, held 10 (one with two attending) — OK; 健身 planned 8, held 4 and
    one cancelled — below the minimum and missed; 球类 planned 10, held 9 — missed by one."""
    photo = Association.objects.get(name="职工摄影书法协会")
    fitness = make_association("职工健身协会", chair=chair_a)
    ball = make_association("职工球类协会", chair=chair_b)
    plan(photo, PAST_YEAR, 12)
    plan(fitness, PAST_YEAR, 8)
    plan(ball, PAST_YEAR, 10)
    for n in range(10):
        held = activity(photo, datetime.date(PAST_YEAR, 1 + n, 5))
    attended(held, member_a, member_b)
    for n in range(4):
        activity(fitness, datetime.date(PAST_YEAR, 2 + n, 8))
    activity(fitness, datetime.date(PAST_YEAR, 7, 8), status=Activity.Status.CANCELLED)
    for n in range(9):
        activity(ball, datetime.date(PAST_YEAR, 1 + n, 20))
    # Activities of other years do not count.
    activity(fitness, datetime.date(PAST_YEAR - 1, 12, 31))
    activity(fitness, datetime.date(PAST_YEAR + 1, 1, 1))
    return photo, fitness, ball


def test_compliance_for_a_past_year(three):
    photo, fitness, ball = three
    rows = {row.association.name: row for row in services.compliance(PAST_YEAR, today=TODAY)}
    p, f, b = rows[photo.name], rows[fitness.name], rows[ball.name]
    assert (p.planned, p.held, p.cancelled, p.attendance, p.expected) == (12, 10, 0, 2, 10)
    assert p.flags == ["OK"]
    assert (f.planned, f.held, f.cancelled, f.expected) == (8, 4, 1, 10)
    assert f.flags == ["BELOW-MINIMUM", "BEHIND", "WILL-MISS"]
    # 9 held of 10 expected is within the grace of one, but the year is over: the minimum was missed.
    assert (b.held, b.behind, b.will_miss, b.below_minimum) == (9, False, True, False)


def test_compliance_for_the_current_year(assoc_chair, chair_a):
    year = TODAY.year
    today = datetime.date(year, 7, 15)  # six months completed: 10 × 6 // 12 = 5 expected
    photo = Association.objects.get(name="职工摄影书法协会")
    fitness = make_association("职工健身协会", chair=chair_a)
    lines = plan(photo, year, 12, months=list(range(1, 13)))
    for n in range(5):
        activity(photo, datetime.date(year, 1 + n, 10), planned=lines[n])
    # Ahead: two scheduled activities (August, September) and plan lines of July–December with none yet.
    activity(photo, datetime.date(year, 8, 10), status=Activity.Status.PLANNED, planned=lines[7])
    activity(photo, datetime.date(year, 9, 10), status=Activity.Status.PLANNED, planned=lines[8])
    plan(fitness, year, 10, months=[1, 2, 3, 4, 5, 6, 7, 7, 7, 7])
    for n in range(3):
        activity(fitness, datetime.date(year, 1 + n, 12))
    rows = {row.association.name: row for row in services.compliance(year, today=today)}
    p, f = rows[photo.name], rows[fitness.name]
    assert p.expected == f.expected == 5
    assert (p.held, p.upcoming, p.unscheduled, p.ahead) == (5, 2, 4, 6)
    assert p.flags == ["OK"]
    # Fitness: 3 held < 5 − 1 → behind; 3 held + 4 July lines ahead = 7 < 10 → will miss.
    assert (f.held, f.ahead) == (3, 4)
    assert f.flags == ["BEHIND", "WILL-MISS"]
    # Earlier in the year the same association is not behind yet.
    early = {row.association.name: row for row in services.compliance(year, today=datetime.date(year, 3, 1))}
    assert early[fitness.name].expected == 1 and not early[fitness.name].behind


def _grow(count: int, year: int, members, first: int = 0) -> None:
    for n in range(first, first + count):
        association = make_association(f"协会{n}")
        lines = plan(association, year, 11)
        for k in range(3):
            held = activity(association, datetime.date(year, 1 + k, 3), planned=lines[k])
            attended(held, *members)
        activity(association, datetime.date(year, 5, 3), status=Activity.Status.CANCELLED)


def test_compliance_query_count_does_not_grow(db, member_a, member_b):
    _grow(2, PAST_YEAR, [member_a, member_b])
    with CaptureQueriesContext(connection) as small:
        assert len(services.compliance(PAST_YEAR, today=TODAY)) == 2
    _grow(4, PAST_YEAR, [member_a, member_b], first=2)
    with CaptureQueriesContext(connection) as large:
        assert len(services.compliance(PAST_YEAR, today=TODAY)) == 6
    assert len(small) == len(large)


def test_compliance_page_query_count_does_not_grow(client, staff, member_a):
    client.force_login(staff)
    _grow(2, TODAY.year, [member_a])
    client.get("/associations/compliance/")
    with CaptureQueriesContext(connection) as small:
        assert client.get("/associations/compliance/").status_code == 200
    _grow(4, TODAY.year, [member_a], first=2)
    with CaptureQueriesContext(connection) as large:
        assert client.get("/associations/compliance/").status_code == 200
    assert len(small) == len(large)


def test_compliance_page_and_export(client, staff, three):
    client.force_login(staff)
    page = client.get(f"/associations/compliance/?year={PAST_YEAR}").content.decode()
    assert "职工健身协会" in page and 'data-flag="BEHIND"' in page and 'data-flag="BELOW-MINIMUM"' in page
    response = client.get(f"/associations/compliance/?year={PAST_YEAR}&format=xlsx")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")


def test_command_prints_planned_held_and_flags(three, capsys):
    call_command("association_compliance", "--year", str(PAST_YEAR))
    lines = capsys.readouterr().out.strip().splitlines()
    assert len(lines) == 4
    fitness = next(line for line in lines if line.startswith("职工健身协会"))
    assert "planned 8" in fitness and "held 4" in fitness and "expected 10" in fitness
    assert "BEHIND" in fitness and "BELOW-MINIMUM" in fitness
    photo = next(line for line in lines if line.startswith("职工摄影书法协会"))
    assert "planned 12" in photo and "held 10" in photo and photo.endswith("OK")
    assert lines[-1].startswith(f"{PAST_YEAR}: 3 associations, 2 flagged")


def test_reminder_once_a_month(three, chair_a, assoc_chair):
    today = datetime.date(PAST_YEAR + 1, 2, 1)
    assert services.remind_behind(PAST_YEAR, today=today) == 1
    assert services.remind_behind(PAST_YEAR, today=today) == 0
    assert Notice.objects.filter(user=chair_a, key__startswith="association-behind-").count() == 1
    assert not Notice.objects.filter(user=assoc_chair, key__startswith="association-behind-").exists()
    # Next month, another reminder.
    assert services.remind_behind(PAST_YEAR, today=today.replace(month=3)) == 1


def test_reminder_task_runs(db):
    assert remind_associations_behind.delay().get() == 0


# --- access -----------------------------------------------------------------------------------------


def test_another_associations_chair_gets_404(client, photo, fitness, chair_a):
    client.force_login(chair_a)
    assert client.get(f"/associations/{photo.pk}/plan/{TODAY.year}/").status_code == 404
    assert client.get(f"/associations/{photo.pk}/members/").status_code == 404
    assert client.get(f"/associations/{photo.pk}/edit/").status_code == 404
    # Their own association works.
    assert client.get(f"/associations/{fitness.pk}/plan/{TODAY.year}/").status_code == 200
    assert client.get(f"/associations/{fitness.pk}/members/").status_code == 200
    # Everybody logged in may read an association's page, without its requests.
    page = client.get(photo.get_absolute_url())
    assert page.status_code == 200 and "Requests to join" not in page.content.decode()


def test_member_cannot_decide_or_remove_others(client, photo, member_b, linked_member):
    pending = AssociationMember.objects.create(association=photo, member=member_b)
    client.force_login(linked_member.user)
    assert client.post(f"/associations/memberships/{pending.pk}/decide/", {"admit": "1"}).status_code == 404
    assert client.post(f"/associations/memberships/{pending.pk}/leave/").status_code == 404


@pytest.mark.parametrize("who", ["chair_a", "assoc_chair", "outsider", "cadre"])
def test_compliance_is_for_staff(client, request, db, who):
    client.force_login(request.getfixturevalue(who))
    assert client.get("/associations/compliance/").status_code == 403


def test_staff_pages(client, staff, photo):
    client.force_login(staff)
    for url in [
        "/associations/",
        photo.get_absolute_url(),
        f"/associations/{photo.pk}/members/",
        f"/associations/{photo.pk}/plan/{TODAY.year}/",
        f"/associations/{photo.pk}/edit/",
        "/associations/new/",
        "/associations/compliance/",
        "/associations/mine/",
    ]:
        assert client.get(url).status_code == 200, url


def test_chair_edits_only_description_and_joining(client, photo, assoc_chair):
    client.force_login(assoc_chair)
    client.post(
        f"/associations/{photo.pk}/edit/", {"description": "摄影采风", "joining": "open", "name": "改名"}
    )
    photo.refresh_from_db()
    assert (photo.description, photo.joining, photo.name) == ("摄影采风", "open", "职工摄影书法协会")
    assert client.get("/associations/new/").status_code == 403


def test_vice_chair_may_not_edit_the_association(client, photo, make_user):
    vice = make_user("vice")
    photo.vice_chairs.add(vice)
    client.force_login(vice)
    assert client.get(f"/associations/{photo.pk}/edit/").status_code == 403
    assert client.get(f"/associations/{photo.pk}/plan/{TODAY.year}/").status_code == 200


def test_staff_creates_an_association(client, staff, chair_a):
    client.force_login(staff)
    response = client.post(
        "/associations/new/",
        {
            "name": "职工摄影协会",
            "kind": "arts",
            "description": "",
            "chair": chair_a.pk,
            "vice_chairs": [],
            "founded_on": "2020-01-01",
            "status": "active",
            "joining": "approval",
        },
    )
    assert response.status_code == 302
    assert Association.objects.get(name="职工摄影协会").chair == chair_a


@pytest.mark.parametrize("url", ["/associations/", "/associations/mine/", "/associations/compliance/"])
def test_anonymous_is_sent_to_login(client, url):
    response = client.get(url)
    assert response.status_code == 302 and "login" in response["Location"]


def test_my_associations_without_a_member_record(client, outsider):
    client.force_login(outsider)
    page = client.get("/associations/mine/").content.decode()
    assert "not linked to a union member record" in page


def test_my_associations_lists_memberships_and_signups(client, photo, linked_member):
    AssociationMember.objects.create(association=photo, member=linked_member, status="active")
    coming = activity(photo, TODAY + datetime.timedelta(days=10), status=Activity.Status.PLANNED)
    SignUp.objects.create(activity=coming, member=linked_member, status=SignUp.Status.WAITING, position=2)
    client.force_login(linked_member.user)
    page = client.get("/associations/mine/").content.decode()
    assert "职工摄影书法协会" in page and "健步走" in page and "#2" in page
