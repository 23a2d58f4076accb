"""Finding people (issue 18): ``/members/?q=`` with a whole ID number finds its holder, as do its last
4 to 6 characters; the number stays masked on the page, and a search by the whole number is audited
like a reveal (the log keeps it masked)."""

import pytest
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from members.models import Member
from tests.factories import make_id

FULL_ID = "330481197001011237"  # member_a's


def _search(client, query, **extra):
    response = client.get(reverse("members:member_list"), {"q": query}, **extra)
    assert response.status_code == 200
    return response, [m.name for m in response.context["page"]]


def _searches():
    return list(
        LogEntry.objects.filter(
            action=LogEntry.Action.ACCESS, additional_data__searched="id_number"
        ).values_list("content_type", "object_pk", "actor__username", "additional_data")
    )


def _id_ending_in_x():
    for seq in range(1, 999, 2):
        number = make_id("19851231", seq=seq)
        if number.endswith("X"):
            return number
    raise AssertionError


@pytest.fixture
def member_x(register, enterprise_a):
    return register(enterprise_a, name="邓勇浩", id_number=_id_ending_in_x())


@pytest.mark.parametrize(
    "query",
    [FULL_ID, " 330481 19700101 1237 ", "３３０４８１１９７００１０１１２３７", "330481-19700101-1237"],
)
def test_the_whole_number_finds_the_member_and_is_audited(login, staff, member_a, member_b, query):
    response, names = _search(login(staff), query)
    assert names == ["王小明"]
    body = response.content.decode()
    assert FULL_ID not in body and "3304**********1237" in body
    member_type = ContentType.objects.get_for_model(Member)
    assert _searches() == [
        (
            member_type.pk,
            str(member_a.pk),
            staff.username,
            {"searched": "id_number", "query": "3304**********1237", "found": 1},
        )
    ]
    # The whole number is nowhere in the audit trail.
    assert not LogEntry.objects.filter(additional_data__icontains=FULL_ID).exists()


def test_a_whole_number_nobody_has_is_audited_against_the_searcher(login, chair_a, member_a):
    nobody = make_id("19790505", seq=123)
    _, names = _search(login(chair_a), nobody)
    assert names == []
    ((content_type, object_pk, actor, data),) = _searches()
    assert (object_pk, actor) == (str(chair_a.pk), chair_a.username)
    assert data == {"searched": "id_number", "query": nobody[:4] + "*" * 10 + nobody[-4:], "found": 0}


@pytest.mark.parametrize("query", ["1237", "11237", "011237"])
def test_the_last_four_to_six_digits_find_the_member(login, chair_a, member_a, member_b, query):
    _, names = _search(login(chair_a), query)
    assert names == ["王小明"]
    assert _searches() == []  # a tail is not a reveal


@pytest.mark.parametrize("case", [str.lower, str.upper])
@pytest.mark.parametrize("length", [4, 5, 6, 18])
def test_a_number_ending_in_x_is_found_with_either_case(login, staff, member_a, member_x, case, length):
    _, names = _search(login(staff), case(member_x.id_number[-length:]))
    assert names == ["邓勇浩"]


def test_names_still_match(login, staff, member_a, member_b):
    assert _search(login(staff), "小明")[1] == ["王小明"]


def test_a_chair_does_not_find_another_unions_member(login, chair_a, member_a, member_b):
    client = login(chair_a)
    assert _search(client, member_b.id_number)[1] == []
    assert _search(client, member_b.id_number[-6:])[1] == []
    assert _search(client, "李小红")[1] == []
    # The search by the whole number is still recorded, and names nobody it did not show.
    ((_, object_pk, actor, data),) = _searches()
    assert (object_pk, actor, data["found"]) == (str(chair_a.pk), chair_a.username, 0)


def test_the_outsider_is_refused(client, outsider, member_a):
    client.force_login(outsider)
    response = client.get(reverse("members:member_list"), {"q": FULL_ID})
    assert response.status_code in (403, 404)
    assert _searches() == []


def test_the_export_by_a_whole_number_is_audited_and_masked(login, staff, member_a, member_b):
    response = login(staff).get(reverse("members:member_export_csv"), {"q": FULL_ID})
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    assert "王小明" in text and "李小红" not in text and FULL_ID not in text
    assert [row[2] for row in _searches()] == [staff.username]


@pytest.mark.parametrize(
    "query",
    [
        "%",
        "_",
        "%%%%",
        "__37",
        "12%7",
        "1_37",
        "' OR 1=1 --",
        '"; DROP TABLE members_member; --',
        "王%",
        "x" * 5000,
        "1" * 5000,
        "３" * 200,
        "\x00",
        "王\x00小明",
        "1237\u3000",
        "𠀀𠀁",
    ],
)
def test_hostile_queries_are_harmless(login, staff, member_a, member_b, query):
    _, names = _search(login(staff), query)
    # % and _ are not wildcards: nothing matches them literally.
    assert names == ([] if query != "1237\u3000" else ["王小明"])
    assert Member.objects.count() == 2
