"""Activities: planning, sign-up with a waiting list, cancellation that moves the list up, check-in,
attendance, the closing report with photos, and who may see what."""

import datetime
import re
import threading
import zoneinfo

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from associations.models import Activity, Association, AssociationMember, PlannedActivity, SignUp
from associations.services import activities as svc
from tests.factories import PNG, make_id
from unionhub.models import Notice

pytestmark = pytest.mark.usefixtures("english")


@pytest.fixture(autouse=True)
def english_pages(client):
    """Pages in English, which the assertions read (the default is Chinese)."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
START = datetime.datetime(2031, 7, 15, 9, 0, tzinfo=SHANGHAI)
BEFORE = datetime.datetime(2031, 7, 1, 12, 0, tzinfo=SHANGHAI)  # sign-up is open
ON_THE_DAY = datetime.datetime(2031, 7, 15, 9, 30, tzinfo=SHANGHAI)
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\0" * 32


@pytest.fixture
def association(assoc_chair):
    return Association.objects.get(chair=assoc_chair)


@pytest.fixture
def join(association):
    def _join(member, to=None):
        AssociationMember.objects.create(
            association=to or association,
            member=member,
            status=AssociationMember.Status.ACTIVE,
            joined_on=datetime.date(2024, 1, 1),
        )
        return member

    return _join


@pytest.fixture
def people(register, enterprise_a, join):
    """Five members of the association, in order."""
    return [join(register(enterprise_a, name=f"会员{n}", id_number=make_id("19900101"))) for n in range(5)]


@pytest.fixture
def with_login(make_user):
    def _with_login(member, username):
        member.user = make_user(username, name=member.name)
        member.save(update_fields=["user"])
        return member.user

    return _with_login


@pytest.fixture
def make_activity(assoc_chair, association):
    def _make(start=START, **extra):
        fields = {
            "title": "西湖摄影采风",
            "kind": "outing",
            "starts_at": start,
            "ends_at": start + datetime.timedelta(hours=4),
            "venue": "西湖",
            "capacity": 2,
            "signup_deadline": start - datetime.timedelta(days=2),
        }
        fields.update(extra)
        return svc.create_activity(by=assoc_chair, association=association, **fields)

    return _make


def camp(make_activity, **extra):
    return make_activity(
        kind="summer_camp", eligibility="children", child_min_age=6, child_max_age=12, capacity=30, **extra
    )


# --- planning ------------------------------------------------------------------------------------


def test_plan_line_year_must_match(make_activity, association):
    line = PlannedActivity.objects.create(
        association=association, year=2030, month=7, title="采风", kind="outing"
    )
    with pytest.raises(ValidationError) as refused:
        make_activity(planned=line)
    assert "planned for 2030" in str(refused.value.message_dict["starts_at"])
    line.year = 2031
    line.save()
    assert make_activity(planned=line).planned == line


def test_plan_rules(make_activity, outsider, cadre, association):
    with pytest.raises(ValidationError) as refused:
        make_activity(
            ends_at=START - datetime.timedelta(hours=1), signup_deadline=START + datetime.timedelta(hours=1)
        )
    assert set(refused.value.message_dict) == {"ends_at", "signup_deadline"}
    with pytest.raises(ValidationError) as refused:
        make_activity(eligibility="children")
    assert "child_min_age" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        make_activity(organiser=outsider)
    assert "organiser" in refused.value.message_dict
    assert make_activity(organiser=cadre).organiser == cadre  # an active seconded cadre may organise
    with pytest.raises(PermissionDenied):
        svc.create_activity(
            by=outsider,
            association=association,
            title="x",
            kind="outing",
            starts_at=START,
            ends_at=START + datetime.timedelta(hours=1),
            venue="x",
            capacity=1,
            signup_deadline=START,
        )


def test_update_adds_places_and_moves_the_list_up(make_activity, people, assoc_chair):
    activity = make_activity(capacity=1)
    for member in people[:3]:
        svc.sign_up(by=assoc_chair, activity=activity, member=member, now=BEFORE)
    with pytest.raises(ValidationError):
        svc.update_activity(by=assoc_chair, activity=activity, capacity=0)
    svc.update_activity(by=assoc_chair, activity=activity, capacity=2)
    statuses = dict(activity.signups.values_list("member", "status"))
    assert [statuses[m.pk] for m in people[:3]] == ["confirmed", "confirmed", "waiting"]


# --- sign-up -------------------------------------------------------------------------------------


def test_capacity_then_waiting_list(make_activity, people, assoc_chair):
    activity = make_activity(capacity=2)
    signups = [svc.sign_up(by=assoc_chair, activity=activity, member=m, now=BEFORE) for m in people[:4]]
    assert [s.status for s in signups] == ["confirmed", "confirmed", "waiting", "waiting"]
    assert [s.position for s in signups] == [None, None, 1, 2]
    assert "number 2 on the waiting list" in svc.signup_message(signups[3])


def test_member_signs_up_themself_only(make_activity, people, with_login):
    activity = make_activity()
    user = with_login(people[0], "p0")
    assert svc.sign_up(by=user, activity=activity, member=people[0], now=BEFORE).signed_up_by == user
    with pytest.raises(PermissionDenied):
        svc.sign_up(by=user, activity=activity, member=people[1], now=BEFORE)


def test_signing_up_twice_refused(make_activity, people, assoc_chair):
    activity = make_activity()
    svc.sign_up(by=assoc_chair, activity=activity, member=people[0], now=BEFORE)
    with pytest.raises(ValidationError, match="already signed up"):
        svc.sign_up(by=assoc_chair, activity=activity, member=people[0], now=BEFORE)
    assert activity.signups.count() == 1


def test_after_the_deadline_refused(make_activity, people, assoc_chair):
    activity = make_activity()
    with pytest.raises(ValidationError, match="Sign-up closed"):
        svc.sign_up(
            by=assoc_chair,
            activity=activity,
            member=people[0],
            now=activity.signup_deadline + datetime.timedelta(seconds=1),
        )
    assert svc.sign_up(by=assoc_chair, activity=activity, member=people[0], now=activity.signup_deadline)


def test_not_a_member_of_the_association(make_activity, member_b, assoc_chair):
    association_only = make_activity()
    with pytest.raises(ValidationError, match="members of 职工摄影书法协会 only"):
        svc.sign_up(by=assoc_chair, activity=association_only, member=member_b, now=BEFORE)
    open_to_all = make_activity(eligibility="all_members")
    assert (
        svc.sign_up(by=assoc_chair, activity=open_to_all, member=member_b, now=BEFORE).status == "confirmed"
    )


def test_cancelled_or_held_activity_refused(make_activity, people, assoc_chair):
    activity = make_activity()
    svc.cancel_activity(by=assoc_chair, activity=activity, reason="台风")
    with pytest.raises(ValidationError, match="cancelled"):
        svc.sign_up(by=assoc_chair, activity=activity, member=people[0], now=BEFORE)


# The camp starts on 2031-07-15 and takes children aged 6 to 12 on that day.
@pytest.mark.parametrize(
    ("birth", "accepted"),
    [
        (datetime.date(2025, 7, 15), True),  # six on the first day
        (datetime.date(2025, 7, 16), False),  # one day too young
        (datetime.date(2018, 7, 16), True),  # twelve, turning thirteen the next day
        (datetime.date(2018, 7, 15), False),  # thirteen on the first day: one day too old
    ],
)
def test_child_age_on_the_first_day(make_activity, people, assoc_chair, birth, accepted):
    activity = camp(make_activity)
    if accepted:
        signup = svc.sign_up(
            by=assoc_chair,
            activity=activity,
            member=people[0],
            child_name="小明",
            child_birth_date=birth,
            consent=True,
            now=BEFORE,
        )
        assert signup.guardian_consent_on == BEFORE
    else:
        with pytest.raises(ValidationError, match="aged 6 to 12"):
            svc.sign_up(
                by=assoc_chair,
                activity=activity,
                member=people[0],
                child_name="小明",
                child_birth_date=birth,
                consent=True,
                now=BEFORE,
            )


def test_child_needs_consent_and_details(make_activity, people, assoc_chair):
    activity = camp(make_activity)
    with pytest.raises(ValidationError, match="consent"):
        svc.sign_up(
            by=assoc_chair,
            activity=activity,
            member=people[0],
            child_name="小明",
            child_birth_date=datetime.date(2022, 1, 1),
            consent=False,
            now=BEFORE,
        )
    with pytest.raises(ValidationError, match="name and birth date"):
        svc.sign_up(by=assoc_chair, activity=activity, member=people[0], consent=True, now=BEFORE)
    # Two children of one member are two participants; the same child twice is refused.
    svc.sign_up(
        by=assoc_chair,
        activity=activity,
        member=people[0],
        child_name="小明",
        child_birth_date=datetime.date(2022, 1, 1),
        consent=True,
        now=BEFORE,
    )
    svc.sign_up(
        by=assoc_chair,
        activity=activity,
        member=people[0],
        child_name="小红",
        child_birth_date=datetime.date(2020, 1, 1),
        consent=True,
        now=BEFORE,
    )
    with pytest.raises(ValidationError, match="小明 is already signed up"):
        svc.sign_up(
            by=assoc_chair,
            activity=activity,
            member=people[0],
            child_name=" 小明 ",
            child_birth_date=datetime.date(2022, 1, 1),
            consent=True,
            now=BEFORE,
        )


# --- cancellation and the waiting list ---------------------------------------------------------------


def test_cancellation_promotes_the_first_waiting(make_activity, people, assoc_chair, with_login):
    activity = make_activity(capacity=1)
    first = svc.sign_up(by=assoc_chair, activity=activity, member=people[0], now=BEFORE)
    second = svc.sign_up(by=assoc_chair, activity=activity, member=people[1], now=BEFORE)
    third = svc.sign_up(by=assoc_chair, activity=activity, member=people[2], now=BEFORE)
    user = with_login(people[1], "p1")
    promoted = svc.cancel(by=assoc_chair, signup=first, now=BEFORE)
    assert promoted.pk == second.pk
    second.refresh_from_db()
    third.refresh_from_db()
    assert (second.status, second.position) == ("confirmed", None)
    assert (third.status, third.position) == ("waiting", 2)
    assert svc.waiting_rank(third) == 1
    assert Notice.objects.filter(user=user, title__contains="西湖摄影采风").count() == 1
    with pytest.raises(ValidationError, match="already cancelled"):
        svc.cancel(by=assoc_chair, signup=first, now=BEFORE)
    # Cancelling a waiting place promotes nobody.
    assert svc.cancel(by=assoc_chair, signup=third, now=BEFORE) is None


def test_a_member_cancels_only_their_own(make_activity, people, assoc_chair, with_login):
    activity = make_activity()
    mine = svc.sign_up(by=assoc_chair, activity=activity, member=people[0], now=BEFORE)
    theirs = svc.sign_up(by=assoc_chair, activity=activity, member=people[1], now=BEFORE)
    user = with_login(people[0], "p0")
    with pytest.raises(PermissionDenied):
        svc.cancel(by=user, signup=theirs, now=BEFORE)
    svc.cancel(by=user, signup=mine, now=BEFORE)
    assert SignUp.objects.get(pk=mine.pk).status == "cancelled"


def test_two_cancellations_promote_two_people(make_activity, people, assoc_chair):
    activity = make_activity(capacity=2)
    signups = [svc.sign_up(by=assoc_chair, activity=activity, member=m, now=BEFORE) for m in people]
    one = svc.cancel(by=assoc_chair, signup=signups[0], now=BEFORE)
    two = svc.cancel(by=assoc_chair, signup=signups[1], now=BEFORE)
    assert {one.pk, two.pk} == {signups[2].pk, signups[3].pk}
    assert activity.signups.filter(status="confirmed").count() == 2
    assert list(activity.signups.filter(status="waiting").values_list("pk", flat=True)) == [signups[4].pk]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL")
def test_two_cancellations_at_once(make_activity, people, assoc_chair):
    activity = make_activity(capacity=2)
    signups = [svc.sign_up(by=assoc_chair, activity=activity, member=m, now=BEFORE) for m in people]
    barrier, promoted, errors = threading.Barrier(2), [], []

    def cancel(signup):
        try:
            barrier.wait()
            promoted.append(svc.cancel(by=assoc_chair, signup=signup, now=BEFORE).pk)
        except Exception as error:  # noqa: BLE001 - reported by the assertion below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=cancel, args=(s,)) for s in signups[:2]]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sorted(promoted) == sorted([signups[2].pk, signups[3].pk])
    assert activity.signups.filter(status="confirmed").count() == 2


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL")
def test_sign_ups_at_once_never_exceed_capacity(make_activity, people, assoc_chair):
    activity = make_activity(capacity=2)
    barrier = threading.Barrier(len(people))

    def sign_up(member):
        try:
            barrier.wait()
            svc.sign_up(by=assoc_chair, activity=activity, member=member, now=BEFORE)
        finally:
            connection.close()

    threads = [threading.Thread(target=sign_up, args=(m,)) for m in people]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert activity.signups.filter(status="confirmed").count() == 2
    assert sorted(activity.signups.filter(status="waiting").values_list("position", flat=True)) == [1, 2, 3]


# --- on the day and after ------------------------------------------------------------------------


def test_check_in_on_the_day(make_activity, people, assoc_chair, cadre, chair_a):
    activity = make_activity(capacity=1, organiser=cadre)
    present = svc.sign_up(by=assoc_chair, activity=activity, member=people[0], now=BEFORE)
    waiting = svc.sign_up(by=assoc_chair, activity=activity, member=people[1], now=BEFORE)
    with pytest.raises(ValidationError, match="on the day"):
        svc.check_in(by=cadre, signup=present, now=BEFORE)
    with pytest.raises(ValidationError, match="confirmed place"):
        svc.check_in(by=cadre, signup=waiting, now=ON_THE_DAY)
    with pytest.raises(PermissionDenied):
        svc.check_in(by=chair_a, signup=present, now=ON_THE_DAY)
    checked = svc.check_in(by=cadre, signup=present, now=ON_THE_DAY)  # the organiser
    assert (checked.checked_in_at, checked.attended) == (ON_THE_DAY, True)
    again = svc.check_in(by=assoc_chair, signup=present, now=ON_THE_DAY + datetime.timedelta(minutes=5))
    assert again.checked_in_at == ON_THE_DAY


def test_attendance(make_activity, people, assoc_chair):
    activity = make_activity(capacity=3)
    signups = [svc.sign_up(by=assoc_chair, activity=activity, member=m, now=BEFORE) for m in people[:4]]
    with pytest.raises(ValidationError, match="begun"):
        svc.record_attendance(by=assoc_chair, activity=activity, attended_ids=[signups[0].pk], now=BEFORE)
    with pytest.raises(ValidationError, match="confirmed place"):
        svc.record_attendance(by=assoc_chair, activity=activity, attended_ids=[signups[3].pk], now=ON_THE_DAY)
    assert (
        svc.record_attendance(
            by=assoc_chair, activity=activity, attended_ids=[signups[0].pk, signups[2].pk], now=ON_THE_DAY
        )
        == 2
    )
    assert dict(activity.signups.values_list("pk", "attended")) == {
        signups[0].pk: True,
        signups[1].pk: False,
        signups[2].pk: True,
        signups[3].pk: None,
    }


def test_closing_needs_a_report_and_checks_photos(make_activity, people, assoc_chair):
    activity = make_activity()
    present = svc.sign_up(by=assoc_chair, activity=activity, member=people[0], now=BEFORE)
    absent = svc.sign_up(by=assoc_chair, activity=activity, member=people[1], now=BEFORE)
    svc.check_in(by=assoc_chair, signup=present, now=ON_THE_DAY)
    after = ON_THE_DAY + datetime.timedelta(hours=5)
    with pytest.raises(ValidationError) as refused:
        svc.close_activity(by=assoc_chair, activity=activity, report="  ", now=after)
    assert "report" in refused.value.message_dict
    fake = SimpleUploadedFile("合影.jpg", b"<html>not a picture</html>")
    big = SimpleUploadedFile("大图.png", PNG + b"\0" * (10 * 1024 * 1024))
    with pytest.raises(ValidationError) as refused:
        svc.close_activity(
            by=assoc_chair, activity=activity, report="顺利举行", photos=[fake, big], now=after
        )
    assert refused.value.message_dict["photos"] == [
        "合影.jpg is not a JPEG or PNG picture.",
        "大图.png is larger than 10 MB.",
    ]
    with pytest.raises(ValidationError, match="not begun"):
        svc.close_activity(by=assoc_chair, activity=activity, report="顺利举行", now=BEFORE)
    # A PNG named .jpg is still a picture: the content decides.
    svc.close_activity(
        by=assoc_chair,
        activity=activity,
        report="顺利举行",
        now=after,
        photos=[SimpleUploadedFile("合影.jpg", PNG), SimpleUploadedFile("b.jpeg", JPEG)],
    )
    activity.refresh_from_db()
    assert (activity.status, activity.report, activity.photos.count()) == ("held", "顺利举行", 2)
    assert dict(activity.signups.values_list("pk", "attended")) == {present.pk: True, absent.pk: False}
    with pytest.raises(ValidationError, match="already been held"):
        svc.sign_up(by=assoc_chair, activity=activity, member=people[2], now=BEFORE)


def test_cancel_activity_notifies(make_activity, people, assoc_chair, with_login):
    activity = make_activity(capacity=1)
    svc.sign_up(by=assoc_chair, activity=activity, member=people[0], now=BEFORE)
    svc.sign_up(by=assoc_chair, activity=activity, member=people[1], now=BEFORE)
    users = [with_login(people[0], "p0"), with_login(people[1], "p1")]
    with pytest.raises(ValidationError):
        svc.cancel_activity(by=assoc_chair, activity=activity, reason="")
    svc.cancel_activity(by=assoc_chair, activity=activity, reason="台风")
    activity.refresh_from_db()
    assert activity.status == "cancelled"
    for user in users:
        assert Notice.objects.get(user=user).body.endswith("Reason: 台风")


# --- pages and access ----------------------------------------------------------------------------


@pytest.fixture
def today_activity(make_activity):
    """Under way now (on the day), with sign-up closed yesterday."""
    now = timezone.now()
    return make_activity(
        start=now - datetime.timedelta(hours=1),
        ends_at=now + datetime.timedelta(hours=1),
        signup_deadline=now - datetime.timedelta(days=1),
        capacity=3,
    )


@pytest.fixture
def other_chair(make_user):
    user = make_user("other_assoc")
    Association.objects.create(
        name="职工篮球协会", kind="sports", chair=user, founded_on=datetime.date(2016, 1, 1)
    )
    return user


def _later(make_activity, **extra):
    now = timezone.now()
    return make_activity(
        start=now + datetime.timedelta(days=10), signup_deadline=now + datetime.timedelta(days=8), **extra
    )


def test_anonymous_goes_to_login(client, make_activity):
    activity = _later(make_activity)
    for url in (
        reverse("associations:activity_list"),
        activity.get_absolute_url(),
        reverse("associations:checkin", args=[activity.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 302 and "login" in response.url


def test_member_signs_up_and_sees_only_counts(client, make_activity, people, assoc_chair, with_login):
    activity = _later(make_activity, capacity=1)
    svc.sign_up(by=assoc_chair, activity=activity, member=people[1])  # somebody else took the place
    client.force_login(with_login(people[0], "p0"))
    page = client.get(activity.get_absolute_url()).content.decode()
    assert "Join the waiting list" in page and people[1].name not in page
    assert activity.title in client.get(reverse("associations:activity_list")).content.decode()
    response = client.post(reverse("associations:signup_create", args=[activity.pk]), follow=True)
    page = response.content.decode()
    assert "number 1 on the waiting list" in page
    assert people[1].name not in page and "Participants" not in page
    signup = SignUp.objects.get(member=people[0])
    assert signup.status == "waiting"
    client.post(reverse("associations:signup_cancel", args=[signup.pk]))
    assert SignUp.objects.get(pk=signup.pk).status == "cancelled"
    # Someone else's sign-up is out of reach.
    theirs = SignUp.objects.get(member=people[1])
    assert client.post(reverse("associations:signup_cancel", args=[theirs.pk])).status_code == 404
    assert client.get(reverse("associations:checkin", args=[activity.pk])).status_code == 404


def test_children_form_on_the_page(client, make_activity, people, with_login):
    now = timezone.now()
    activity = camp(
        make_activity,
        start=now + datetime.timedelta(days=30),
        signup_deadline=now + datetime.timedelta(days=20),
    )
    client.force_login(with_login(people[0], "p0"))
    page = client.get(activity.get_absolute_url()).content.decode()
    assert 'name="child_birth_date"' in page and 'name="consent"' in page
    url = reverse("associations:signup_create", args=[activity.pk])
    birth = (now + datetime.timedelta(days=30)).date().replace(year=now.year - 8)
    page = client.post(url, {"child_name": "小明", "child_birth_date": birth.isoformat()}, follow=True)
    assert "consent is required" in page.content.decode()
    client.post(url, {"child_name": "小明", "child_birth_date": birth.isoformat(), "consent": "on"})
    signup = SignUp.objects.get(child_name="小明")
    assert signup.member == people[0] and signup.guardian_consent_on is not None


def test_manager_sees_participants_and_signs_up_others(client, make_activity, people, assoc_chair):
    activity = _later(make_activity)
    client.force_login(assoc_chair)
    client.post(
        reverse("associations:signup_create", args=[activity.pk]),
        {"behalf": "1", "behalf-member": people[2].pk},
    )
    page = client.get(activity.get_absolute_url()).content.decode()
    assert people[2].name in page and "Participants" in page


def test_outside_association_scope_is_404(
    client, make_activity, people, assoc_chair, other_chair, today_activity
):
    signup = svc.sign_up(
        by=assoc_chair, activity=today_activity, member=people[0], now=today_activity.signup_deadline
    )
    client.force_login(other_chair)
    pk = today_activity.pk
    for url in (
        today_activity.get_absolute_url(),
        reverse("associations:checkin", args=[pk]),
        reverse("associations:activity_close", args=[pk]),
        reverse("associations:activity_edit", args=[pk]),
        reverse("associations:activity_cancel", args=[pk]),
    ):
        assert client.get(url).status_code == 404, url
    assert client.post(reverse("associations:signup_checkin", args=[signup.pk])).status_code == 404
    assert client.post(reverse("associations:activity_attendance", args=[pk])).status_code == 404
    assert client.post(reverse("associations:signup_cancel", args=[signup.pk])).status_code == 404
    assert (
        client.get(
            reverse("associations:activity_create") + f"?association={today_activity.association_id}"
        ).status_code
        == 404
    )
    # An open-to-all activity: another chair who is a member sees it, but only counts.
    member = with_member_login(other_chair, people[4])
    open_to_all = _later(make_activity, eligibility="all_members")
    svc.sign_up(by=assoc_chair, activity=open_to_all, member=people[1])
    page = client.get(open_to_all.get_absolute_url()).content.decode()
    assert people[1].name not in page and "Participants" not in page
    assert f'action="{reverse("associations:signup_create", args=[open_to_all.pk])}"' in page
    assert member.user == other_chair
    assert client.get(reverse("associations:checkin", args=[open_to_all.pk])).status_code == 404


def with_member_login(user, member):
    member.user = user
    member.save(update_fields=["user"])
    return member


def test_plain_user_cannot_plan(client, outsider):
    client.force_login(outsider)
    assert client.get(reverse("associations:activity_create")).status_code == 403
    assert client.get(reverse("associations:activity_list")).status_code == 200


def test_organiser_runs_the_day_but_cannot_edit(client, make_activity, cadre):
    activity = _later(make_activity, organiser=cadre)
    client.force_login(cadre)
    assert client.get(reverse("associations:checkin", args=[activity.pk])).status_code == 200
    assert client.get(reverse("associations:activity_edit", args=[activity.pk])).status_code == 403


def test_checkin_page_and_htmx(client, today_activity, people, assoc_chair):
    signups = [
        svc.sign_up(by=assoc_chair, activity=today_activity, member=m, now=today_activity.signup_deadline)
        for m in people[:2]
    ]
    client.force_login(assoc_chair)
    page = client.get(reverse("associations:checkin", args=[today_activity.pk])).content.decode()
    assert page.count("button primary checkin-button") == 2 and 'name="viewport"' in page
    response = client.post(
        reverse("associations:signup_checkin", args=[signups[0].pk]), HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200 and "✓" in response.content.decode()
    assert "<html" not in response.content.decode()
    response = client.post(reverse("associations:signup_checkin", args=[signups[1].pk]))
    assert response.status_code == 302
    assert SignUp.objects.filter(checked_in_at__isnull=False).count() == 2
    # Attendance from the activity page, then the report.
    client.post(
        reverse("associations:activity_attendance", args=[today_activity.pk]), {"attended": [signups[0].pk]}
    )
    assert dict(SignUp.objects.values_list("pk", "attended")) == {signups[0].pk: True, signups[1].pk: False}
    url = reverse("associations:activity_close", args=[today_activity.pk])
    page = client.post(url, {"report": ""}).content.decode()
    assert "Write a short report" in page
    page = client.post(
        url, {"report": "顺利", "photos": [SimpleUploadedFile("x.png", b"GIF89a" + b"\0" * 20)]}
    )
    assert "x.png is not a JPEG or PNG picture." in page.content.decode()
    client.post(url, {"report": "顺利", "photos": [SimpleUploadedFile("x.png", PNG)]})
    today_activity.refresh_from_db()
    assert today_activity.status == "held" and today_activity.photos.count() == 1


def test_create_and_edit_through_the_pages(client, assoc_chair, association):
    client.force_login(assoc_chair)
    url = reverse("associations:activity_create")
    assert client.get(url).status_code == 302  # one association: straight to its form
    year = timezone.localdate().year + 1
    data = {
        "association": association.pk,
        "title": "书法交流",
        "kind": "meeting",
        "starts_at": f"{year}-03-10T14:00",
        "ends_at": f"{year}-03-10T13:00",
        "venue": "职工之家",
        "capacity": "20",
        "signup_deadline": f"{year}-03-08T18:00",
        "eligibility": "association",
        "cost": "0",
        "paid_by": "union",
    }
    page = client.post(f"{url}?association={association.pk}", data).content.decode()
    assert "The activity must end after it starts." in page
    data["ends_at"] = f"{year}-03-10T17:00"
    response = client.post(f"{url}?association={association.pk}", data)
    activity = Activity.objects.get(title="书法交流")
    assert response.url == activity.get_absolute_url() and activity.organiser == assoc_chair
    data["capacity"] = "25"
    client.post(reverse("associations:activity_edit", args=[activity.pk]), data)
    activity.refresh_from_db()
    assert activity.capacity == 25
    assert client.get(reverse("associations:activity_edit", args=[activity.pk])).status_code == 200


def test_cancel_through_the_page(client, make_activity, assoc_chair):
    activity = _later(make_activity)
    client.force_login(assoc_chair)
    url = reverse("associations:activity_cancel", args=[activity.pk])
    assert "Say why" in client.post(url, {"reason": ""}).content.decode()
    client.post(url, {"reason": "场地维修"})
    activity.refresh_from_db()
    assert (activity.status, activity.report) == ("cancelled", "场地维修")


def test_list_queries_do_not_grow(client, make_activity, staff):
    client.force_login(staff)
    _later(make_activity)
    url = reverse("associations:activity_list")
    client.get(url)
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    for _n in range(3):
        _later(make_activity)
    with CaptureQueriesContext(connection) as four:
        assert client.get(url).content.decode().count("西湖摄影采风") == 4
    assert len(four) == len(one)


# --- the upload policy (issue 17) ------------------------------------------------------------------

HTML_BEHIND_PNG = b"\x89PNG\r\n\x1a\n<html><script>alert(document.cookie)</script></html>"


def test_the_close_page_refuses_a_web_page_as_a_photo(
    client, today_activity, assoc_chair, settings, tmp_path
):
    """A PNG signature followed by <script>, named .html or .png, is refused; so is a real PNG named
    .html. Nothing is stored and the activity stays open."""
    settings.MEDIA_ROOT = tmp_path
    client.force_login(assoc_chair)
    url = reverse("associations:activity_close", args=[today_activity.pk])
    for name, content in [
        ("evil.html", HTML_BEHIND_PNG),
        ("photo.png", HTML_BEHIND_PNG),
        ("photo.html", PNG),
    ]:
        page = client.post(url, {"report": "顺利", "photos": [SimpleUploadedFile(name, content)]})
        assert page.status_code == 200
        assert f"{name} is not a JPEG or PNG picture." in page.content.decode()
    today_activity.refresh_from_db()
    assert today_activity.status == "planned" and not today_activity.photos.exists()
    assert not list(tmp_path.rglob("*"))


def test_photos_are_stored_under_random_names_with_the_extension_of_their_content(
    client, today_activity, assoc_chair, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(assoc_chair)
    url = reverse("associations:activity_close", args=[today_activity.pk])
    photos = [
        SimpleUploadedFile("合影.jpg", PNG),
        SimpleUploadedFile("合影.jpg", PNG),
        SimpleUploadedFile("b", JPEG),
    ]
    client.post(url, {"report": "顺利", "photos": photos})
    names = sorted(today_activity.photos.values_list("image", flat=True))
    assert len(set(names)) == 3
    folder = f"activities/{today_activity.pk}/"
    assert sorted(name.rsplit(".", 1)[1] for name in names) == ["jpg", "png", "png"]
    assert all(re.fullmatch(re.escape(folder) + r"[A-Za-z0-9_-]{22}\.(png|jpg)", name) for name in names)
