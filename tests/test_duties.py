"""Duties (issue 17): being federation staff lets one see; what one may change is decided by one's duty
(unionhub.duties). Every service that changes state checks the duty it needs, whoever calls it, so a
staff member with only the finance, aid or casework duty is refused (PermissionDenied, nothing written)
where the organisation duty is needed, and the other way round for money. The pages are covered row by
row in the access matrix (tests/access/matrix.py: the finance, aid and casework columns); this file
calls the services directly, and checks the masked phones of the nomination and merchant pages and
their audited reveal."""

import datetime
from decimal import Decimal

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from aid.models import LivingStandard, TicketCampaign
from aid.services import files as aid_files
from aid.services import tickets
from associations import services as association_services
from associations.models import Association
from associations.services import showcase as showcase_services
from members import services as member_services
from members.models import DuesUpload, GrassrootsUnion, Member, MembershipEvent, Remittance
from members.periods import Period
from members.services import areas as area_services
from members.services import dues as dues_services
from perks.models import Branch, Card, Merchant
from perks.services import cards, counter
from secondment import services as secondment_services
from secondment.models import Course, DutyDay, DutyLog, Nomination
from secondment.rules import cycle_start
from secondment.services import certificates as certificate_services
from secondment.services import rota, training
from tests.factories import TODAY, make_id
from unionhub import rules_library
from unionhub import services as calendar_services
from unionhub.models import CalendarDay

WRONG_DUTIES = ("finance_staff", "aid_staff", "casework_staff")
DAY = datetime.timedelta(days=1)


@pytest.fixture
def merchant_record(db):
    merchant = Merchant.objects.create(
        name="苏宁电器", category="supermarket", contact_name="王经理", contact_phone="13812341234"
    )
    Branch.objects.create(merchant=merchant, name="海州店", address="海州路1号", phone="13956785678")
    return merchant


@pytest.fixture
def nomination(union_a, chair_a, young_member):
    return Nomination.objects.create(
        union=union_a,
        member=young_member,
        union_post="vice_chair",
        education="bachelor",
        recommendation="推荐",
        phone="13900002222",
        start_date=TODAY + 30 * DAY,
        nominated_on=TODAY,
        nominated_by=chair_a,
    )


@pytest.fixture
def course(db):
    return Course.objects.create(
        title="劳动法律法规专题培训",
        track=Course.Track.SPECIALIST,
        provider="区总工会",
        starts_on=TODAY - 10 * DAY,
        ends_on=TODAY - 9 * DAY,
        hours=Decimal("16"),
    )


@pytest.fixture
def association(chair_a):
    return Association.objects.create(
        name="职工摄影协会", kind="sports", chair=chair_a, founded_on=datetime.date(2015, 1, 1)
    )


# --- the organisation duty: registry, cards, merchants, secondment, associations -----------------------

ORGANISATION_ACTIONS = {
    "register a member": lambda by, o: member_services.register_member(
        by=by,
        union=o["union_a"],
        enterprise=o["enterprise_a"],
        name="李新",
        id_number=make_id("19900303"),
        joined_on=TODAY,
        education="bachelor",
    ),
    "edit a member": lambda by, o: member_services.update_member(by=by, member=o["member_a"], name="王晓明"),
    "change a membership's status": lambda by, o: member_services.change_membership_status(
        by=by, member=o["member_a"], kind=MembershipEvent.Kind.RETAINED, on=TODAY
    ),
    "correct an ID number": lambda by, o: member_services.correct_id_number(
        by=by, member=o["member_a"], id_number=make_id("19700101", seq=123)
    ),
    "create an area": lambda by, o: area_services.create_area(by=by, name="新潮路片组"),
    "issue a district's cards": lambda by, o: cards.issue_cards(by=by),
    "issue one card": lambda by, o: cards.issue_card(by=by, member=o["member_a"]),
    "add a merchant branch": lambda by, o: counter.add_branch(
        by=by, merchant=o["merchant_record"], name="新店", address="新路2号"
    ),
    "remove a merchant branch": lambda by, o: counter.remove_branch(
        by=by, branch=o["merchant_record"].branches.get()
    ),
    "approve a nomination": lambda by, o: secondment_services.approve_nomination(
        by=by, nomination=o["nomination"]
    ),
    "return a nomination": lambda by, o: secondment_services.return_nomination(
        by=by, nomination=o["nomination"], reason="材料不全"
    ),
    "assess a term": lambda by, o: secondment_services.assess(
        by=by, term=o["term_a"], kind="mid", tasks_score=80, evaluation_score=80
    ),
    "end a term early": lambda by, o: secondment_services.end_early(
        by=by, term=o["term_a"], last_day=TODAY, reason="调回原单位"
    ),
    "generate the rota": lambda by, o: rota.generate(TODAY + DAY, TODAY + 30 * DAY, by=by),
    "enrol cadres on a course": lambda by, o: training.enrol(by=by, course=o["course"], terms=[o["term_a"]]),
    "revoke a certificate": lambda by, o: certificate_services.revoke_certificate(
        by=by, certificate=None, reason="错发"
    ),
    "create an association": lambda by, o: association_services.save_association(
        by=by,
        association=Association(kind="sports", founded_on=datetime.date(2020, 1, 1)),
        fields={"name": "职工书法协会"},
    ),
    "change an association": lambda by, o: association_services.save_association(
        by=by, association=o["association"], fields={"name": "职工摄影家协会"}
    ),
    "delete a showcase programme": lambda by, o: showcase_services.delete_programme(by=by, programme=None),
}


def _objects(request, names):
    return {name: request.getfixturevalue(name) for name in names}


ORGANISATION_OBJECTS = (
    "union_a",
    "enterprise_a",
    "member_a",
    "merchant_record",
    "nomination",
    "term_a",
    "course",
    "association",
)


def _changes():
    """What a refused call must leave as it was: rows of the models these services write."""
    return (
        Member.objects.count(),
        list(Member.objects.values_list("name", "status", "id_number").order_by("pk")),
        GrassrootsUnion.objects.filter(area__isnull=False).count(),
        Card.objects.count(),
        Branch.objects.count(),
        list(Nomination.objects.values_list("status", flat=True)),
        Association.objects.count(),
        list(Association.objects.values_list("name", flat=True)),
    )


@pytest.mark.parametrize("duty", WRONG_DUTIES)
@pytest.mark.parametrize("action", ORGANISATION_ACTIONS)
def test_staff_without_the_organisation_duty_are_refused_by_the_service(request, duty, action):
    objects = _objects(request, ORGANISATION_OBJECTS)
    user = request.getfixturevalue(duty)
    before = _changes()
    with pytest.raises(PermissionDenied):
        ORGANISATION_ACTIONS[action](user, objects)
    assert _changes() == before


@pytest.mark.parametrize(
    "action",
    [
        "register a member",
        "edit a member",
        "change a membership's status",
        "issue one card",
        "add a merchant branch",
        "return a nomination",
        "assess a term",
        "enrol cadres on a course",
        "change an association",
    ],
)
def test_the_organisation_duty_may(request, staff, action):
    objects = _objects(request, ORGANISATION_OBJECTS)
    ORGANISATION_ACTIONS[action](staff, objects)


def test_a_chair_still_keeps_their_own_unions_roster(chair_a, chair_b, member_a, enterprise_a, union_a):
    member_services.update_member(by=chair_a, member=member_a, phone="13911112222")
    with pytest.raises(PermissionDenied):
        member_services.update_member(by=chair_b, member=member_a, phone="13933334444")
    assert Member.objects.get(pk=member_a.pk).phone == "13911112222"


def test_an_outsider_is_refused_by_the_service(outsider, member_a):
    with pytest.raises(PermissionDenied):
        member_services.change_membership_status(
            by=outsider, member=member_a, kind=MembershipEvent.Kind.RETAINED, on=TODAY
        )


# --- the finance duty: dues and remittances ---------------------------------------------------------


@pytest.fixture
def period(union_a):
    return dues_services.get_period(union=union_a, period=Period("monthly", TODAY.year - 1, 1))


@pytest.mark.parametrize("duty", ("staff", "aid_staff", "casework_staff"))
def test_only_finance_records_remittances(request, duty, period):
    with pytest.raises(PermissionDenied):
        dues_services.record_remittance(
            by=request.getfixturevalue(duty),
            period=period,
            amount=Decimal("100"),
            received_on=TODAY,
            voucher_no="V-1",
            channel="tax",
        )
    assert not Remittance.objects.exists()


def test_finance_records_a_remittance(finance_staff, period):
    dues_services.record_remittance(
        by=finance_staff,
        period=period,
        amount=Decimal("100"),
        received_on=TODAY,
        voucher_no="V-1",
        channel="tax",
    )
    assert Remittance.objects.count() == 1


@pytest.mark.parametrize("duty", ("staff", "aid_staff", "casework_staff"))
def test_a_dues_sheet_is_uploaded_by_the_chair_or_finance(request, duty, union_a):
    with pytest.raises(PermissionDenied):
        dues_services.start_upload(
            by=request.getfixturevalue(duty),
            union=union_a,
            period_label=f"{TODAY.year - 1}-01",
            filename="dues.csv",
            data=b"x",
        )
    assert not DuesUpload.objects.exists()


# --- the pages: the edit pages refuse staff without the duty, even to open them ------------------------


@pytest.mark.parametrize("duty", WRONG_DUTIES)
def test_edit_pages_refuse_staff_without_the_duty(client, request, duty, member_a, merchant_record, course):
    client.force_login(request.getfixturevalue(duty))
    for url in [
        reverse("members:member_create"),
        reverse("members:member_edit", args=[member_a.pk]),
        reverse("perks:merchant_create"),
        reverse("perks:merchant_edit", args=[merchant_record.pk]),
        reverse("secondment:course_create"),
        reverse("secondment:course_edit", args=[course.pk]),
        reverse("secondment:rota_generate"),
        reverse("associations:association_create"),
    ]:
        assert client.get(url).status_code in (403, 404), url
    response = client.post(reverse("members:member_edit", args=[member_a.pk]), {"name": "改名"})
    assert response.status_code == 403
    assert Member.objects.get(pk=member_a.pk).name == member_a.name


def test_edit_pages_open_for_the_organisation_duty(client, staff, member_a, merchant_record, course):
    client.force_login(staff)
    for url in [
        reverse("members:member_edit", args=[member_a.pk]),
        reverse("perks:merchant_edit", args=[merchant_record.pk]),
        reverse("secondment:course_edit", args=[course.pk]),
        reverse("secondment:rota_generate"),
    ]:
        assert client.get(url).status_code == 200, url


def test_a_log_review_needs_the_duty(finance_staff, term_a):
    day = DutyDay.objects.create(term=term_a, date=TODAY - 7 * DAY, cycle_start=cycle_start(TODAY - 7 * DAY))
    log = DutyLog.objects.create(duty_day=day, arrived_at=datetime.time(9), left_at=datetime.time(17))
    with pytest.raises(PermissionDenied):
        secondment_services.review_log(by=finance_staff, log=log, confirm=True)
    assert DutyLog.objects.get(pk=log.pk).status == DutyLog.Status.PENDING


# --- masked phones, revealed on request with an audit entry --------------------------------------------


def _reveals(obj):
    return LogEntry.objects.get_for_object(obj).filter(action=LogEntry.Action.ACCESS)


def test_the_nomination_page_masks_the_mobile(client, staff, nomination):
    client.force_login(staff)
    page = client.get(nomination.get_absolute_url()).content.decode()
    assert "139****2222" in page and "13900002222" not in page


@pytest.mark.parametrize("who", ("staff", "chair_a"))
def test_revealing_the_nominees_mobile_is_logged(client, request, who, nomination):
    user = request.getfixturevalue(who)
    client.force_login(user)
    response = client.post(reverse("secondment:nomination_reveal_phone", args=[nomination.pk]))
    assert response.status_code == 200 and "13900002222" in response.content.decode()
    assert response["Cache-Control"] == "no-store"
    entry = _reveals(nomination).get()
    assert entry.actor == user and entry.additional_data == {"revealed": "phone"}


@pytest.mark.parametrize(("who", "status"), [("chair_b", 404), ("outsider", 403), ("finance_staff", 403)])
def test_others_cannot_reveal_the_nominees_mobile(client, request, who, status, nomination, union_b):
    client.force_login(request.getfixturevalue(who))
    response = client.post(reverse("secondment:nomination_reveal_phone", args=[nomination.pk]))
    assert response.status_code == status
    assert "13900002222" not in response.content.decode()
    assert not _reveals(nomination).exists()


def test_the_merchant_page_masks_the_contact_and_branch_phones(client, finance_staff, merchant_record):
    client.force_login(finance_staff)
    page = client.get(merchant_record.get_absolute_url()).content.decode()
    assert "138****1234" in page and "13812341234" not in page
    assert "139****5678" in page and "13956785678" not in page
    assert reverse("perks:merchant_reveal_phone", args=[merchant_record.pk]) not in page  # no reveal button


def test_revealing_a_merchants_phones_is_logged(client, staff, merchant_record):
    client.force_login(staff)
    page = client.get(merchant_record.get_absolute_url()).content.decode()
    assert reverse("perks:merchant_reveal_phone", args=[merchant_record.pk]) in page
    response = client.post(reverse("perks:merchant_reveal_phone", args=[merchant_record.pk]))
    assert response.status_code == 200 and "13812341234" in response.content.decode()
    branch = merchant_record.branches.get()
    response = client.post(reverse("perks:branch_reveal_phone", args=[merchant_record.pk, branch.pk]))
    assert response.status_code == 200 and "13956785678" in response.content.decode()
    assert sorted(e.additional_data["revealed"] for e in _reveals(merchant_record)) == [
        "branch_phone",
        "contact_phone",
    ]
    assert {e.actor for e in _reveals(merchant_record)} == {staff}


@pytest.mark.parametrize(
    ("who", "status"), [("finance_staff", 403), ("chair_a", 403), ("outsider", 403), ("merchant", 404)]
)
def test_others_cannot_reveal_a_merchants_phones(client, request, who, status, merchant_record):
    client.force_login(request.getfixturevalue(who))
    response = client.post(reverse("perks:merchant_reveal_phone", args=[merchant_record.pk]))
    assert response.status_code == status
    assert "13812341234" not in response.content.decode()
    assert not _reveals(merchant_record).exists()


def test_a_branch_of_another_merchant_is_not_found(client, staff, merchant_record):
    other = Merchant.objects.create(name="华联超市", category="supermarket")
    client.force_login(staff)
    branch = merchant_record.branches.get()
    assert client.post(reverse("perks:branch_reveal_phone", args=[other.pk, branch.pk])).status_code == 404
    assert not _reveals(merchant_record).exists() and not _reveals(other).exists()


def test_the_reveal_service_refuses_the_wrong_duty(finance_staff, nomination, merchant_record):
    with pytest.raises(PermissionDenied):
        secondment_services.reveal_nomination_phone(by=finance_staff, nomination=nomination)
    with pytest.raises(PermissionDenied):
        counter.reveal_phone(by=finance_staff, merchant=merchant_record)
    assert not LogEntry.objects.filter(action=LogEntry.Action.ACCESS).exists()


# --- the other programmes: aid, the calendar and the rules library check their duty in the service ----

OTHER_ACTIONS = {
    # (the duty that may, the call)
    "enter a living standard": (
        "aid_staff",
        lambda by: aid_files.save_living_standard(by=by, year=TODAY.year, monthly_amount=Decimal("1000")),
    ),
    "open a ticket campaign": (
        "aid_staff",
        lambda by: tickets.create_campaign(
            by=by,
            year=TODAY.year,
            name="春运返乡",
            budget=Decimal("1000"),
            opens_on=TODAY,
            closes_on=TODAY + 10 * DAY,
            travel_from=TODAY + 20 * DAY,
            travel_until=TODAY + 40 * DAY,
            ticket_types=[("train", 10, Decimal("100"))],
        ),
    ),
    "mark a calendar day": (
        "staff",
        lambda by: calendar_services.save_calendar_day(
            by=by, date=datetime.date(TODAY.year + 5, 3, 3), kind=CalendarDay.Kind.HOLIDAY, name="测试"
        ),
    ),
    "add a rule": (
        "staff",
        lambda by: rules_library.create_rule(
            by=by, number="ZD-99", title="测试制度", category="finance", text="正文", effective_on=TODAY
        ),
    ),
}


@pytest.mark.parametrize("action", OTHER_ACTIONS)
@pytest.mark.parametrize("duty", ("staff", "finance_staff", "aid_staff", "casework_staff"))
def test_other_programmes_check_the_duty_in_the_service(db, request, action, duty):
    allowed, call = OTHER_ACTIONS[action]
    if duty == allowed:
        return  # the programme's own tests cover the happy path
    before = (LivingStandard.objects.count(), TicketCampaign.objects.count(), CalendarDay.objects.count())
    with pytest.raises(PermissionDenied):
        call(request.getfixturevalue(duty))
    assert (
        LivingStandard.objects.count(),
        TicketCampaign.objects.count(),
        CalendarDay.objects.count(),
    ) == before
