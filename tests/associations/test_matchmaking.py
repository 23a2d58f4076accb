"""The matchmaking association: a member's private profile, seen by that association's chair alone
(404 for everybody else, staff included), withdrawn at will; couples recorded as counts; a summary of
counts for staff and the chair; profiles only in matchmaking associations."""

import datetime

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from associations.models import Association, MatchProfile, MatchRecord
from associations.services import matchmaking
from tests.factories import TODAY

pytestmark = pytest.mark.usefixtures("english")

ABOUT = "喜欢徒步和摄影，性格开朗"
LOOKING_FOR = "希望对方善良、有责任心"


@pytest.fixture(autouse=True)
def english_pages(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


@pytest.fixture
def matchmaker(make_user):
    return make_user("matchmaker", name="赵红娘")


@pytest.fixture
def red_thread(matchmaker):
    return Association.objects.create(
        name="职工红娘协会",
        kind="social",
        chair=matchmaker,
        is_matchmaking=True,
        founded_on=datetime.date(2019, 2, 14),
    )


@pytest.fixture
def other_matchmaker(make_user):
    user = make_user("other_matchmaker")
    Association.objects.create(
        name="青年联谊会",
        kind="social",
        chair=user,
        is_matchmaking=True,
        founded_on=datetime.date(2020, 5, 20),
    )
    return user


def give_login(member, user):
    member.user = user
    member.save(update_fields=["user"])
    return user


@pytest.fixture
def single(make_user, member_b):
    """李小红, born 1988, union B, with an account of her own."""
    return give_login(member_b, make_user("xiaohong"))


@pytest.fixture
def other_single(make_user, member_a):
    return give_login(member_a, make_user("xiaoming"))


@pytest.fixture
def profile(red_thread, member_b):
    return matchmaking.save_profile(
        member=member_b, association=red_thread, about=ABOUT, looking_for=LOOKING_FOR
    )


def profile_url(association):
    return reverse("associations:matchmaking_profile", kwargs={"pk": association.pk})


def profiles_url(association):
    return reverse("associations:matchmaking", kwargs={"pk": association.pk})


# --- the member's own profile ------------------------------------------------------------------


def test_a_member_opts_in_and_the_chair_sees_the_profile(client, single, matchmaker, red_thread, member_b):
    client.force_login(single)
    assert client.get(profile_url(red_thread)).status_code == 200
    response = client.post(
        profile_url(red_thread), {"about": ABOUT, "looking_for": LOOKING_FOR, "consent": "on"}
    )
    assert response.status_code == 302
    profile = MatchProfile.objects.get()
    assert (profile.member, profile.active, profile.opted_in_on) == (member_b, True, TODAY)

    client.force_login(matchmaker)
    response = client.get(profiles_url(red_thread))
    assert response.status_code == 200
    body = response.content.decode()
    assert member_b.name in body and ABOUT in body and LOOKING_FOR in body and member_b.union.name in body
    [shown] = response.context["profiles"]
    assert shown.age == member_b.age_on(TODAY)


def test_opting_in_needs_consent(client, single, red_thread):
    client.force_login(single)
    response = client.post(profile_url(red_thread), {"about": ABOUT, "looking_for": LOOKING_FOR})
    assert response.status_code == 200 and response.context["form"].errors["consent"]
    assert not MatchProfile.objects.exists()


def test_the_member_edits_only_their_own_profile(client, single, other_single, red_thread, profile, member_a):
    client.force_login(single)
    response = client.get(profile_url(red_thread))
    assert response.context["profile"] == profile and ABOUT in response.content.decode()
    client.post(profile_url(red_thread), {"about": "爱好羽毛球", "looking_for": LOOKING_FOR, "consent": "on"})
    profile.refresh_from_db()
    assert profile.about == "爱好羽毛球" and MatchProfile.objects.count() == 1

    # Another member on the same page sees an empty form of their own, never her profile.
    client.force_login(other_single)
    response = client.get(profile_url(red_thread))
    assert response.context["profile"] is None and "爱好羽毛球" not in response.content.decode()
    client.post(profile_url(red_thread), {"about": "", "looking_for": "", "consent": "on"})
    profile.refresh_from_db()
    assert profile.about == "爱好羽毛球"
    assert MatchProfile.objects.get(member=member_a).about == ""


def test_withdrawing_hides_the_profile_and_erases_it(client, single, matchmaker, red_thread, profile):
    client.force_login(single)
    assert client.post(profile_url(red_thread), {"withdraw": "1"}).status_code == 302
    profile.refresh_from_db()
    assert (profile.active, profile.about, profile.looking_for) == (False, "", "")
    assert ABOUT not in client.get(profile_url(red_thread)).content.decode()

    client.force_login(matchmaker)
    response = client.get(profiles_url(red_thread))
    assert response.context["profiles"] == [] and "李小红" not in response.content.decode()
    assert matchmaking.match_summary(red_thread).active_profiles == 0

    # Opting in again starts afresh.
    matchmaking.save_profile(
        member=profile.member,
        association=red_thread,
        about="新的介绍",
        looking_for="",
        today=TODAY + datetime.timedelta(days=3),
    )
    profile.refresh_from_db()
    assert profile.active and profile.opted_in_on == TODAY + datetime.timedelta(days=3)


def test_profiles_only_in_a_matchmaking_association(client, single, assoc_chair, member_b):
    photography = Association.objects.get(chair=assoc_chair)
    client.force_login(single)
    assert client.get(profile_url(photography)).status_code == 404
    assert client.post(profile_url(photography), {"about": ABOUT, "consent": "on"}).status_code == 404
    with pytest.raises(ValidationError):
        matchmaking.save_profile(member=member_b, association=photography, about=ABOUT, looking_for="")
    assert not MatchProfile.objects.exists()


def test_a_user_without_a_member_record_cannot_opt_in(client, outsider, red_thread):
    client.force_login(outsider)
    assert client.get(profile_url(red_thread)).status_code == 403
    assert client.post(profile_url(red_thread), {"about": ABOUT, "consent": "on"}).status_code == 403


# --- privacy -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "who", ["other_single", "staff", "other_matchmaker", "assoc_chair", "outsider", "chair_b"]
)
def test_nobody_but_the_chair_sees_profiles(client, request, db, who, red_thread, profile):
    client.force_login(request.getfixturevalue(who))
    response = client.get(profiles_url(red_thread))
    assert response.status_code == 404
    assert ABOUT not in response.content.decode()


def test_a_chair_sees_no_profiles_of_a_non_matchmaking_association(client, assoc_chair):
    photography = Association.objects.get(chair=assoc_chair)
    client.force_login(assoc_chair)
    assert client.get(profiles_url(photography)).status_code == 404
    assert (
        client.get(reverse("associations:matchmaking_summary", kwargs={"pk": photography.pk})).status_code
        == 404
    )


def test_other_chair_sees_only_their_own_associations_profiles(client, other_matchmaker, red_thread, profile):
    theirs = Association.objects.get(chair=other_matchmaker)
    client.force_login(other_matchmaker)
    response = client.get(profiles_url(theirs))
    assert response.status_code == 200 and response.context["profiles"] == []


def test_profiles_for_chair_refuses_anybody_else(staff, red_thread, profile):
    from django.http import Http404

    with pytest.raises(Http404):
        matchmaking.profiles_for_chair(staff, red_thread)


def test_staff_see_counts_only(client, staff, red_thread, profile):
    MatchRecord.objects.create(association=red_thread, on=TODAY, couples=2)
    client.force_login(staff)
    response = client.get(reverse("associations:matchmaking_summary", kwargs={"pk": red_thread.pk}))
    assert response.status_code == 200
    body = response.content.decode()
    assert response.context["summary"].active_profiles == 1 and response.context["summary"].couples == 2
    assert ABOUT not in body and "李小红" not in body
    assert f'href="{profiles_url(red_thread)}"' not in body


@pytest.mark.parametrize("who", ["single", "outsider", "assoc_chair", "other_matchmaker"])
def test_others_do_not_see_the_summary(client, request, db, who, red_thread):
    client.force_login(request.getfixturevalue(who))
    assert (
        client.get(reverse("associations:matchmaking_summary", kwargs={"pk": red_thread.pk})).status_code
        == 404
    )


# --- matches recorded ----------------------------------------------------------------------------


def test_the_chair_records_couples_and_the_summary_counts_them_per_year(client, matchmaker, red_thread):
    client.force_login(matchmaker)
    url = reverse("associations:match_record", kwargs={"pk": red_thread.pk})
    assert client.get(url).status_code == 200
    response = client.post(url, {"on": TODAY.isoformat(), "couples": "3", "note": "七夕联谊会"})
    assert response.status_code == 302
    last_year = datetime.date(TODAY.year - 1, 5, 20)
    matchmaking.record_match(by=matchmaker, association=red_thread, on=last_year, couples=2)
    matchmaking.record_match(by=matchmaker, association=red_thread, on=last_year.replace(month=10), couples=1)

    summary = matchmaking.match_summary(red_thread)
    assert [(y.year, y.events, y.couples) for y in summary.years] == [
        (TODAY.year, 1, 3),
        (TODAY.year - 1, 2, 3),
    ]
    assert summary.couples == 6
    response = client.get(profiles_url(red_thread))
    assert "七夕联谊会" in response.content.decode()


@pytest.mark.parametrize(
    "data", [{"couples": "0"}, {"couples": "-1"}, {"on": (TODAY + datetime.timedelta(days=1)).isoformat()}]
)
def test_a_record_needs_couples_and_a_past_date(client, matchmaker, red_thread, data):
    client.force_login(matchmaker)
    fields = {"on": TODAY.isoformat(), "couples": "2", "note": ""}
    fields.update(data)
    response = client.post(reverse("associations:match_record", kwargs={"pk": red_thread.pk}), fields)
    assert response.status_code == 200
    assert not MatchRecord.objects.exists()


def test_only_the_chair_records_matches(client, staff, single, other_matchmaker, red_thread):
    url = reverse("associations:match_record", kwargs={"pk": red_thread.pk})
    client.force_login(staff)
    assert client.post(url, {"on": TODAY.isoformat(), "couples": "2"}).status_code == 403
    for user in (single, other_matchmaker):
        client.force_login(user)
        assert client.post(url, {"on": TODAY.isoformat(), "couples": "2"}).status_code == 404
    with pytest.raises(PermissionDenied):
        matchmaking.record_match(by=staff, association=red_thread, on=TODAY, couples=1)
    assert not MatchRecord.objects.exists()


def test_pages_render_in_chinese_by_default(client, matchmaker, single, red_thread, profile):
    del client.cookies[settings.LANGUAGE_COOKIE_NAME]
    client.force_login(matchmaker)
    for name in ("matchmaking", "match_record", "matchmaking_summary"):
        assert client.get(reverse(f"associations:{name}", kwargs={"pk": red_thread.pk})).status_code == 200
    client.force_login(single)
    assert client.get(profile_url(red_thread)).status_code == 200
