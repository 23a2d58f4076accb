"""A member's activities on the phone (/m/activities/): what is open to them, sign-up with the waiting list,
cancelling before the deadline (and not after), their attendance, joining an association; and that nobody
reaches another member's sign-ups or an activity not open to them."""

import datetime

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from associations.member_area import next_activity
from associations.models import Activity, Association, AssociationMember, SignUp
from associations.services import activities as svc
from tests.factories import make_id
from unionhub.contributions import MemberScope
from unionhub.models import Notice

pytestmark = pytest.mark.usefixtures("english")

DAY = datetime.timedelta(days=1)


@pytest.fixture
def association(assoc_chair):
    return Association.objects.get(chair=assoc_chair)


@pytest.fixture
def belongs(association):
    def _belongs(member, to=None):
        AssociationMember.objects.create(
            association=to or association,
            member=member,
            status=AssociationMember.Status.ACTIVE,
            joined_on=datetime.date(2024, 1, 1),
        )
        return member

    return _belongs


@pytest.fixture
def make_activity(assoc_chair, association):
    """An activity ten days ahead whose sign-up closes in eight days (or as ``deadline`` says)."""

    def _make(*, deadline=8 * DAY, **extra):
        start = timezone.now() + 10 * DAY
        fields = {
            "title": "西湖摄影采风",
            "kind": "outing",
            "starts_at": start,
            "ends_at": start + datetime.timedelta(hours=4),
            "venue": "西湖",
            "capacity": 2,
            "signup_deadline": timezone.now() + deadline,
        }
        fields.update(extra)
        return svc.create_activity(by=assoc_chair, association=association, **fields)

    return _make


@pytest.fixture
def phone(member_client):
    """``phone(member)``: a client signed in as that member with a code session, reading English pages."""

    def _phone(member, **kwargs):
        client = member_client(member, **kwargs)
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        return client

    return _phone


def _page(client, name, *args) -> str:
    response = client.get(reverse(f"member_activities:{name}", args=args))
    assert response.status_code == 200
    return response.content.decode()


def _post(client, name, *args, data=None):
    return client.post(reverse(f"member_activities:{name}", args=args), data or {}, follow=True)


# --- the happy path ------------------------------------------------------------------------------------


def test_a_member_signs_up_from_the_phone(phone, member_a, belongs, make_activity):
    activity = make_activity()
    client = phone(belongs(member_a))
    page = _page(client, "index")
    assert activity.title in page and "2 places left" in page
    detail = _page(client, "detail", activity.pk)
    assert f'action="{reverse("member_activities:signup", args=[activity.pk])}"' in detail
    assert ">Sign up</button>" in detail
    page = _post(client, "signup", activity.pk).content.decode()
    assert "has a place" in page and "Cancel my sign-up" in page
    signup = SignUp.objects.get(activity=activity, member=member_a)
    assert signup.status == SignUp.Status.CONFIRMED and signup.signed_up_by == client.member_user
    assert "Place confirmed" in _page(client, "index")


def test_the_sign_up_button_reads_baoming_in_chinese(phone, member_a, belongs, make_activity):
    activity = make_activity()
    client = phone(belongs(member_a))
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hans"
    assert ">报名</button>" in _page(client, "detail", activity.pk)


def test_full_puts_the_member_on_the_waiting_list_with_their_place(
    phone, member_a, register, enterprise_a, belongs, make_activity, assoc_chair
):
    activity = make_activity(capacity=1)
    other = belongs(register(enterprise_a, name="先来者", id_number=make_id("19900101")))
    svc.sign_up(by=assoc_chair, activity=activity, member=other)
    client = phone(belongs(member_a))
    assert "Full: waiting list" in _page(client, "index")
    assert "signing up puts you on the waiting list" in _page(client, "detail", activity.pk)
    page = _post(client, "signup", activity.pk).content.decode()
    assert "number 1 on the waiting list" in page
    assert SignUp.objects.get(member=member_a).status == SignUp.Status.WAITING
    assert "number 1" in _page(client, "index")
    assert other.name not in page  # other members' names are not shown


def test_cancel_before_the_deadline_moves_the_waiting_list_up(
    phone, member_a, register, enterprise_a, belongs, make_activity, assoc_chair
):
    activity = make_activity(capacity=1)
    mine = svc.sign_up(by=assoc_chair, activity=activity, member=belongs(member_a))
    waiting = svc.sign_up(
        by=assoc_chair,
        activity=activity,
        member=belongs(register(enterprise_a, name="候补者", id_number=make_id("19900101"))),
    )
    client = phone(member_a)
    page = _post(client, "cancel", mine.pk).content.decode()
    assert "Your sign-up is cancelled." in page
    mine.refresh_from_db()
    waiting.refresh_from_db()
    assert mine.status == SignUp.Status.CANCELLED and waiting.status == SignUp.Status.CONFIRMED
    # Pressed twice: refused in words, nothing else moves.
    page = _post(client, "cancel", mine.pk).content.decode()
    assert "already cancelled" in page
    assert SignUp.objects.filter(activity=activity, status=SignUp.Status.CONFIRMED).count() == 1


def test_cancel_after_the_deadline_is_refused_with_a_clear_message(
    phone, member_a, belongs, make_activity, assoc_chair
):
    activity = make_activity(deadline=8 * DAY)
    signup = svc.sign_up(by=assoc_chair, activity=activity, member=belongs(member_a))
    Activity.objects.filter(pk=activity.pk).update(signup_deadline=timezone.now() - DAY)
    client = phone(member_a)
    detail = _page(client, "detail", activity.pk)
    assert "to cancel now, tell the organiser" in detail
    assert reverse("member_activities:cancel", args=[signup.pk]) not in detail
    page = _post(client, "cancel", signup.pk).content.decode()
    assert "Sign-up closed on" in page and "tell the organiser" in page
    signup.refresh_from_db()
    assert signup.status == SignUp.Status.CONFIRMED
    # The organiser may still take a name off the list.
    svc.cancel(by=assoc_chair, signup=signup)
    signup.refresh_from_db()
    assert signup.status == SignUp.Status.CANCELLED


def test_sign_up_after_the_deadline_is_refused(phone, member_a, belongs, make_activity):
    activity = make_activity()
    Activity.objects.filter(pk=activity.pk).update(signup_deadline=timezone.now() - DAY)
    client = phone(belongs(member_a))
    assert "Sign-up is closed." in _page(client, "detail", activity.pk)
    assert activity.title not in _page(client, "index")
    assert "Sign-up closed on" in _post(client, "signup", activity.pk).content.decode()
    assert not SignUp.objects.filter(member=member_a).exists()


def test_double_submit_makes_one_sign_up(phone, member_a, belongs, make_activity):
    activity = make_activity()
    client = phone(belongs(member_a))
    _post(client, "signup", activity.pk)
    page = _post(client, "signup", activity.pk).content.decode()
    assert "already signed up" in page
    assert SignUp.objects.filter(activity=activity, member=member_a).count() == 1


def test_attendance_history(phone, member_a, belongs, make_activity, assoc_chair):
    came, missed = make_activity(title="春季健步走"), make_activity(title="秋季采风")
    for activity in (came, missed):
        svc.sign_up(
            by=assoc_chair, activity=activity, member=belongs(member_a) if activity is came else member_a
        )
    past = timezone.now() - 30 * DAY
    Activity.objects.filter(pk__in=[came.pk, missed.pk]).update(
        starts_at=past, ends_at=past + DAY, signup_deadline=past - DAY, status=Activity.Status.HELD
    )
    SignUp.objects.filter(activity=came).update(attended=True)
    SignUp.objects.filter(activity=missed).update(attended=False)
    client = phone(member_a)
    page = _page(client, "history")
    assert "春季健步走" in page and "秋季采风" in page
    assert "Attended 1 of the 2 activities" in page and "Absent" in page
    assert "I attended" in _page(client, "detail", came.pk)


# --- associations ---------------------------------------------------------------------------------------


def test_joining_asks_the_chair_once(phone, member_a, association, assoc_chair):
    client = phone(member_a)
    assert association.name in _page(client, "associations")
    page = _post(client, "join", association.pk).content.decode()
    assert "sent to the chair" in page
    membership = AssociationMember.objects.get(association=association, member=member_a)
    assert membership.status == AssociationMember.Status.PENDING
    assert Notice.objects.filter(user=assoc_chair, title__contains=member_a.name).exists()
    page = _post(client, "join", association.pk).content.decode()  # pressed twice
    assert "waiting for approval" in page
    assert AssociationMember.objects.filter(association=association, member=member_a).count() == 1
    assert "Awaiting the chair" in _page(client, "associations")
    # Pending is not yet a member: the association's members-only activities stay closed.


def test_an_open_association_takes_the_member_at_once(phone, member_a, association):
    association.joining = Association.Joining.OPEN
    association.save()
    page = _post(phone(member_a), "join", association.pk).content.decode()
    assert "You are now a member" in page
    assert AssociationMember.objects.get(member=member_a).status == AssociationMember.Status.ACTIVE


def test_a_dormant_association_is_404(phone, member_a, association):
    association.status = Association.Status.DORMANT
    association.save()
    assert _post(phone(member_a), "join", association.pk).status_code == 404


# --- scope ----------------------------------------------------------------------------------------------


def test_member_b_gets_404_on_member_a_s_sign_up(
    phone, member_a, member_b, belongs, make_activity, assoc_chair, client
):
    activity = make_activity(eligibility=Activity.Eligibility.ALL_MEMBERS)
    signup_a = svc.sign_up(by=assoc_chair, activity=activity, member=belongs(member_a))
    client_b = phone(member_b)
    assert client_b.post(reverse("member_activities:cancel", args=[signup_a.pk])).status_code == 404
    signup_a.refresh_from_db()
    assert signup_a.status == SignUp.Status.CONFIRMED
    # Open to every member: B sees it, and counts only, never A's name.
    assert member_a.name not in _page(client_b, "detail", activity.pk)


def test_member_a_gets_404_on_member_b_s_sign_up(phone, member_a, member_b, make_activity, assoc_chair):
    activity = make_activity(eligibility=Activity.Eligibility.ALL_MEMBERS)
    signup_b = svc.sign_up(by=assoc_chair, activity=activity, member=member_b)
    client = phone(member_a)
    assert client.post(reverse("member_activities:cancel", args=[signup_b.pk])).status_code == 404


def test_a_members_only_activity_is_404_to_others(phone, member_a, member_b, belongs, make_activity):
    activity = make_activity()  # for the association's members
    belongs(member_a)
    client_b = phone(member_b)
    assert client_b.get(reverse("member_activities:detail", args=[activity.pk])).status_code == 404
    assert client_b.post(reverse("member_activities:signup", args=[activity.pk])).status_code == 404
    assert activity.title not in _page(client_b, "index")
    assert not SignUp.objects.filter(member=member_b).exists()
    AssociationMember.objects.create(association=activity.association, member=member_b)  # pending only
    assert client_b.get(reverse("member_activities:detail", args=[activity.pk])).status_code == 404


def test_the_pages_need_a_member(client, outsider, chair_a):
    for user in (None, outsider, chair_a):
        if user:
            client.force_login(user)
        response = client.get(reverse("member_activities:index"))
        assert response.status_code == (302 if user is None else 403)


@pytest.mark.parametrize(
    "data",
    [
        {"child_name": "x" * 500, "child_birth_date": "9999-99-99", "consent": "yes"},
        {"child_birth_date": "1900-01-01", "child_name": "<script>"},
        {"child_birth_date": "2099-01-01", "child_name": "小雨", "consent": "on"},
        {"child_birth_date": "\x00", "child_name": "\x00"},
    ],
)
def test_hostile_sign_up_params(phone, member_a, belongs, make_activity, data):
    camp = make_activity(
        kind="summer_camp", eligibility="children", child_min_age=6, child_max_age=12, capacity=30
    )
    plain = make_activity()
    client = phone(belongs(member_a))
    for activity in (camp, plain):
        response = client.post(reverse("member_activities:signup", args=[activity.pk]), data)
        assert response.status_code == 302
    assert not SignUp.objects.filter(activity=camp).exists()
    # An adult activity ignores child fields it does not have: the member themself signs up.
    assert SignUp.objects.get(activity=plain).child_name == ""


@pytest.mark.parametrize("pk", ["0", "99999999999", "2147483648"])
def test_hostile_ids_are_404(phone, member_a, pk):
    client = phone(member_a)
    for name, method in (("detail", "get"), ("signup", "post"), ("cancel", "post"), ("join", "post")):
        url = reverse(f"member_activities:{name}", args=[1]).replace("/1/", f"/{pk}/")
        assert getattr(client, method)(url).status_code == 404


def test_a_guardian_signs_up_a_child(phone, member_a, make_activity):
    camp = make_activity(
        kind="summer_camp", eligibility="children", child_min_age=6, child_max_age=12, capacity=30
    )
    client = phone(member_a)  # open to every member's children, no association needed
    birth = (timezone.localdate() - datetime.timedelta(days=8 * 365)).isoformat()
    page = _post(client, "signup", camp.pk, data={"child_name": "小雨", "child_birth_date": birth}).content
    assert "consent is required" in page.decode()
    _post(client, "signup", camp.pk, data={"child_name": "小雨", "child_birth_date": birth, "consent": "on"})
    assert SignUp.objects.get(activity=camp).child_name == "小雨"


# --- the home tile --------------------------------------------------------------------------------------


def test_the_home_tile_shows_my_next_activity_or_the_open_count(
    phone, member_a, belongs, make_activity, assoc_chair
):
    activity = make_activity()
    client = phone(belongs(member_a))
    scope = MemberScope(user=client.member_user, member=member_a, day=timezone.localdate())
    with CaptureQueriesContext(connection) as queries:
        tile = next_activity(scope)
    assert tile == {"open": 1} and len(queries) == 2
    assert "1 activities are open for sign-up" in client.get(reverse("member_area:home")).content.decode()
    svc.sign_up(by=assoc_chair, activity=activity, member=member_a)
    with CaptureQueriesContext(connection) as queries:
        tile = next_activity(scope)
    assert tile["signup"].activity == activity and len(queries) == 1
    page = client.get(reverse("member_area:home")).content.decode()
    assert activity.title in page and 'href="/m/activities/"' in page  # the tab


# --- the demo -------------------------------------------------------------------------------------------


def test_the_demo_members_have_activities_to_see(db, settings, member_client):
    from django.core.management import call_command

    from members.demo import demo_members

    settings.DEBUG = True
    call_command("seed_demo", members=600, seed=7)
    first, second = demo_members()
    for member in (first, second):
        assert AssociationMember.objects.filter(member=member, status="active").exists()
        assert SignUp.objects.filter(member=member, attended=True).exists()
        assert SignUp.objects.filter(member=member, attended=False).exists()
        assert svc.open_to_member(member).filter(pk__in=svc.open_for_signup().values("pk")).exists()
    assert SignUp.objects.filter(member=first, status=SignUp.Status.WAITING).exists()
    client = member_client(first)
    page = client.get(reverse("member_activities:index")).content.decode()
    assert "书法临帖体验课" in page and "社区志愿服务日" in page
