"""Return-home tickets: the application window and the rules a chair's application must meet, the
hardship priority needing a file, allocation within the seats and the budget in priority order,
issued tickets, declines, withdrawals, the totals over the years, the export, and who may do what."""

import datetime
import io
import threading
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.urls import reverse
from openpyxl import load_workbook

from aid.models import HardshipFile, TicketApplication, TicketCampaign, TicketType
from aid.services import tickets
from tests.factories import DAY, TODAY, make_id
from unionhub.models import Notice

pytestmark = pytest.mark.usefixtures("english")


@pytest.fixture
def campaign(aid_staff):
    """Open for applications now; 3 train seats at ¥300 and 1 air seat at ¥1,200; a budget of ¥2,000."""
    return tickets.create_campaign(
        by=aid_staff,
        year=TODAY.year + 1,
        name="春风行动·温暖回家",
        budget=Decimal("2000"),
        opens_on=TODAY - 5 * DAY,
        closes_on=TODAY + 20 * DAY,
        travel_from=TODAY + 30 * DAY,
        travel_until=TODAY + 60 * DAY,
        ticket_types=[("train", 3, Decimal("300")), ("air", 1, Decimal("1200"))],
    )


@pytest.fixture
def train(campaign):
    return campaign.ticket_types.get(mode="train")


@pytest.fixture
def air(campaign):
    return campaign.ticket_types.get(mode="air")


@pytest.fixture
def migrants(register, enterprise_a):
    return [
        register(enterprise_a, name=name, id_number=make_id(f"1990010{n + 1}"), is_migrant_worker=True)
        for n, name in enumerate(["赵大勇", "钱小芳", "孙建国", "李秀英", "周海涛"])
    ]


@pytest.fixture
def migrant_b(register, enterprise_b):
    return register(enterprise_b, name="吴志强", id_number=make_id("19850505"), is_migrant_worker=True)


def on_file(member):
    return HardshipFile.objects.create(
        number=f"KN{member.pk:05d}",
        member=member,
        union=member.union,
        submitted_on=TODAY - 90 * DAY,
        status=HardshipFile.Status.ACTIVE,
        household_income=Decimal("1500"),
        household_size=3,
        living_standard=Decimal("1100"),
        category=HardshipFile.Category.RELATIVE,
    )


def apply(chair, campaign, member, ticket_type, **extra):
    fields = {
        "priority": "other",
        "destination": "安徽省阜阳市",
        "travel_on": campaign.travel_from + 3 * DAY,
        "today": TODAY,
    }
    fields.update(extra)
    return tickets.apply_for_ticket(
        by=chair, campaign=campaign, ticket_type=ticket_type, member=member, **fields
    )


class TestCampaign:
    def test_created_with_its_ticket_types(self, campaign):
        assert [(t.mode, t.seats, t.average_price) for t in campaign.ticket_types.order_by("mode")] == [
            ("air", 1, Decimal("1200.00")),
            ("train", 3, Decimal("300.00")),
        ]

    def test_windows_in_order_and_a_ticket_offered(self, aid_staff):
        with pytest.raises(ValidationError) as refused:
            tickets.create_campaign(
                by=aid_staff,
                year=2030,
                name="x",
                budget=Decimal("100"),
                opens_on=TODAY,
                closes_on=TODAY - DAY,
                travel_from=TODAY,
                travel_until=TODAY - DAY,
                ticket_types=[],
            )
        assert len(refused.value.messages) == 3

    def test_a_double_submitted_form_creates_one_campaign(self, login, aid_staff):
        form = {
            "year": 2031,
            "name": "2031年春节返乡",
            "budget": "500000",
            "opens_on": "2030-11-15",
            "closes_on": "2031-01-05",
            "travel_from": "2031-01-10",
            "travel_until": "2031-02-05",
            "train_seats": "800",
            "train_price": "320",
            "air_seats": "60",
            "air_price": "1100",
        }
        client = login(aid_staff)
        assert client.post(reverse("aid:campaign_create"), form).status_code == 302
        assert client.post(reverse("aid:campaign_create"), form).status_code == 200
        created = TicketCampaign.objects.get()
        assert sorted(created.ticket_types.values_list("mode", "seats")) == [("air", 60), ("train", 800)]

    def test_seats_without_a_price_are_refused(self, login, aid_staff):
        response = login(aid_staff).post(
            reverse("aid:campaign_create"),
            {
                "year": 2031,
                "name": "x",
                "budget": "1000",
                "opens_on": "2030-11-15",
                "closes_on": "2031-01-05",
                "travel_from": "2031-01-10",
                "travel_until": "2031-02-05",
                "coach_seats": "40",
            },
        )
        assert response.status_code == 200 and not TicketCampaign.objects.exists()


class TestApplying:
    def test_a_chair_applies_for_a_migrant_worker(self, campaign, chair_a, migrants, train):
        application = apply(chair_a, campaign, migrants[0], train)
        assert (application.status, application.union, application.submitted_by) == (
            "submitted",
            migrants[0].union,
            chair_a,
        )

    @pytest.mark.parametrize("today", [-6, 21])
    def test_only_within_the_application_window(self, campaign, chair_a, migrants, train, today):
        with pytest.raises(ValidationError) as refused:
            apply(chair_a, campaign, migrants[0], train, today=TODAY + today * DAY)
        opens, closes = (TODAY - 5 * DAY).isoformat(), (TODAY + 20 * DAY).isoformat()
        assert refused.value.messages == [
            f"Applications for 春风行动·温暖回家 are accepted from {opens} to {closes}."
        ]

    @pytest.mark.parametrize("offset", [-1, 31])
    def test_the_travel_date_within_the_travel_window(self, campaign, chair_a, migrants, train, offset):
        with pytest.raises(ValidationError, match="travel date must fall between"):
            apply(chair_a, campaign, migrants[0], train, travel_on=campaign.travel_from + offset * DAY)

    def test_not_for_another_union_s_worker(self, campaign, chair_a, union_a, migrant_b, train):
        with pytest.raises(ValidationError, match="not a member of your union"):
            apply(chair_a, campaign, migrant_b, train)

    def test_only_migrant_workers(self, campaign, chair_a, member_a, train):
        with pytest.raises(ValidationError, match="not registered as a migrant worker"):
            apply(chair_a, campaign, member_a, train)

    def test_one_application_per_worker_until_withdrawn(self, campaign, chair_a, migrants, train, air):
        first = apply(chair_a, campaign, migrants[0], train)
        with pytest.raises(
            ValidationError, match=r"already has an application in this campaign \(Submitted\)"
        ):
            apply(chair_a, campaign, migrants[0], air)
        tickets.withdraw_application(by=chair_a, application=first)
        assert apply(chair_a, campaign, migrants[0], air).ticket_type == air

    def test_hardship_priority_needs_a_file_on_record(self, campaign, chair_a, migrants, train):
        with pytest.raises(ValidationError, match="no hardship file on record"):
            apply(chair_a, campaign, migrants[0], train, priority="hardship")
        on_file(migrants[0])
        assert apply(chair_a, campaign, migrants[0], train, priority="hardship").priority == "hardship"

    def test_a_file_that_is_not_active_does_not_count(self, campaign, chair_a, migrants, train):
        hardship_file = on_file(migrants[0])
        hardship_file.status = HardshipFile.Status.LEFT
        hardship_file.save(update_fields=["status"])
        with pytest.raises(ValidationError, match="no hardship file on record"):
            apply(chair_a, campaign, migrants[0], train, priority="hardship")

    def test_every_broken_rule_is_named(self, campaign, chair_a, member_a, train):
        with pytest.raises(ValidationError) as refused:
            apply(
                chair_a,
                campaign,
                member_a,
                train,
                priority="hardship",
                today=TODAY + 30 * DAY,
                travel_on=TODAY,
            )
        assert len(refused.value.messages) == 4


class TestApplyPage:
    def form(self, member, ticket_type, **extra):
        fields = {
            "member": member.pk,
            "ticket_type": ticket_type.pk,
            "destination": "河南省周口市",
            "travel_on": (TODAY + 35 * DAY).isoformat(),
            "priority": "outstanding",
        }
        fields.update(extra)
        return fields

    def test_a_double_submitted_form_makes_one_application(self, login, chair_a, campaign, migrants, train):
        client = login(chair_a)
        url = reverse("aid:ticket_apply", args=[campaign.pk])
        assert client.post(url, self.form(migrants[0], train)).status_code == 302
        assert client.post(url, self.form(migrants[0], train)).status_code == 200
        assert TicketApplication.objects.count() == 1

    def test_a_forged_id_of_another_union_s_member_is_404(
        self, login, chair_a, union_a, campaign, migrant_b, train
    ):
        response = login(chair_a).post(
            reverse("aid:ticket_apply", args=[campaign.pk]), self.form(migrant_b, train)
        )
        assert response.status_code == 404 and not TicketApplication.objects.exists()

    def test_the_form_offers_only_the_union_s_migrant_workers(
        self, login, chair_a, campaign, migrants, member_a
    ):
        html = login(chair_a).get(reverse("aid:ticket_apply", args=[campaign.pk])).content.decode()
        assert migrants[0].name in html and member_a.name not in html

    def test_staff_do_not_apply(self, login, aid_staff, campaign):
        assert login(aid_staff).get(reverse("aid:ticket_apply", args=[campaign.pk])).status_code == 403


@pytest.fixture
def waiting(campaign, chair_a, migrants, train):
    """Five train applications: two 'other' submitted first, then two outstanding, then one in hardship."""
    on_file(migrants[4])
    plan = [("other", 5), ("other", 4), ("outstanding", 3), ("outstanding", 2), ("hardship", 0)]
    return [
        apply(chair_a, campaign, member, train, priority=priority, today=TODAY - days_ago * DAY)
        for member, (priority, days_ago) in zip(migrants, plan, strict=True)
    ]


class TestAllocation:
    def test_in_priority_order_hardship_then_outstanding_then_first_submitted(
        self, aid_staff, campaign, train, waiting
    ):
        assert tickets.allocate_by_priority(by=aid_staff, campaign=campaign, ticket_type=train, count=3) == 3
        allocated = set(TicketApplication.objects.filter(status="allocated").values_list("pk", flat=True))
        assert allocated == {waiting[4].pk, waiting[2].pk, waiting[3].pk}
        assert TicketApplication.objects.get(pk=waiting[4].pk).price == Decimal("300.00")
        ordered = tickets.in_priority_order(TicketApplication.objects.all())
        assert [a.pk for a in ordered] == [waiting[n].pk for n in (4, 2, 3, 0, 1)]

    def test_beyond_the_seats_is_refused_with_the_figures_and_nothing_written(
        self, aid_staff, campaign, waiting
    ):
        with pytest.raises(ValidationError) as refused:
            tickets.allocate_seats(by=aid_staff, campaign=campaign, application_ids=[a.pk for a in waiting])
        assert refused.value.messages == [
            "Train: not enough seats — 3 in all, 0 already allocated, 5 more asked for."
        ]
        assert not TicketApplication.objects.filter(status="allocated").exists()

    def test_beyond_the_budget_is_refused_with_the_figures(
        self, aid_staff, campaign, chair_a, air, waiting, register, enterprise_a
    ):
        flyer = register(enterprise_a, name="郑飞", id_number=make_id("19930303"), is_migrant_worker=True)
        by_air = apply(chair_a, campaign, flyer, air)
        tickets.allocate_seats(by=aid_staff, campaign=campaign, application_ids=[by_air.pk])
        tickets.allocate_seats(by=aid_staff, campaign=campaign, application_ids=[waiting[0].pk])
        with pytest.raises(ValidationError) as refused:
            tickets.allocate_seats(
                by=aid_staff, campaign=campaign, application_ids=[waiting[1].pk, waiting[2].pk]
            )
        assert refused.value.messages == [
            "Over the budget: ¥2,000.00 in all, ¥1,500.00 committed, ¥600.00 more for 2 tickets."
        ]
        assert TicketApplication.objects.filter(status="allocated").count() == 2

    def test_a_given_price_is_used_instead_of_the_average(self, aid_staff, campaign, waiting):
        tickets.allocate_seats(
            by=aid_staff, campaign=campaign, application_ids=[waiting[0].pk], price=Decimal("275.50")
        )
        assert TicketApplication.objects.get(pk=waiting[0].pk).price == Decimal("275.50")
        assert tickets.usage(campaign).committed == Decimal("275.50")

    def test_allocating_twice_allocates_once(self, aid_staff, campaign, train, waiting):
        chosen = [waiting[0].pk, waiting[1].pk]
        assert tickets.allocate_seats(by=aid_staff, campaign=campaign, application_ids=chosen) == 2
        assert tickets.allocate_seats(by=aid_staff, campaign=campaign, application_ids=chosen) == 0
        usage = tickets.usage(campaign)
        assert (usage.of(train.pk).used, usage.committed) == (2, Decimal("600.00"))

    def test_the_page_allocates_and_refuses_with_the_figures(
        self, login, aid_staff, campaign, train, waiting
    ):
        client = login(aid_staff)
        url = reverse("aid:ticket_allocate", args=[campaign.pk])
        response = client.post(url, {"application": [a.pk for a in waiting]}, follow=True)
        assert "票额不足——共3张，已分配0张，本次还需5张" in response.content.decode()  # pages speak Chinese
        client.post(url, {"ticket_type": train.pk, "count": 2})
        assert TicketApplication.objects.filter(status="allocated").count() == 2

    def test_a_declined_or_withdrawn_seat_is_free_again(self, aid_staff, chair_a, campaign, train, waiting):
        tickets.allocate_by_priority(by=aid_staff, campaign=campaign, ticket_type=train, count=3)
        tickets.decline_application(by=aid_staff, application=waiting[2], reason="已自行购票")
        tickets.withdraw_application(by=chair_a, application=waiting[3])
        assert tickets.usage(campaign).of(train.pk).remaining == 2
        assert tickets.allocate_by_priority(by=aid_staff, campaign=campaign, ticket_type=train, count=2) == 2


@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL")
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_staff_allocating_at_once_cannot_exceed_the_seats(aid_staff, campaign, train, waiting):
    """Two staff each allocate two of the three train seats at the same moment: one is refused."""
    barrier = threading.Barrier(2)
    outcomes = []

    def allocate(chosen):
        try:
            barrier.wait(timeout=10)
            tickets.allocate_seats(by=aid_staff, campaign=campaign, application_ids=chosen)
            outcomes.append("allocated")
        except ValidationError:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [
        threading.Thread(target=allocate, args=([waiting[0].pk, waiting[1].pk],)),
        threading.Thread(target=allocate, args=([waiting[2].pk, waiting[3].pk],)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["allocated", "refused"]
    assert TicketApplication.objects.filter(status="allocated").count() == 2


class TestAfterAllocation:
    @pytest.fixture
    def allocated(self, aid_staff, campaign, waiting):
        tickets.allocate_seats(
            by=aid_staff, campaign=campaign, application_ids=[waiting[0].pk, waiting[1].pk]
        )
        return [
            TicketApplication.objects.get(pk=waiting[0].pk),
            TicketApplication.objects.get(pk=waiting[1].pk),
        ]

    def test_an_issued_ticket_records_the_price_paid(self, aid_staff, campaign, allocated, chair_a):
        issued = tickets.issue_ticket(
            by=aid_staff,
            application=allocated[0],
            ticket_number="E123456789",
            price=Decimal("286.50"),
            issued_on=TODAY,
        )
        assert (issued.status, issued.price, issued.issued_on) == ("issued", Decimal("286.50"), TODAY)
        assert tickets.usage(campaign).committed == Decimal("586.50")
        assert Notice.objects.filter(user=chair_a, key=f"ticket-issued:{issued.pk}").exists()

    def test_recording_the_same_ticket_twice_changes_nothing(self, aid_staff, allocated):
        for _ in range(2):
            tickets.issue_ticket(
                by=aid_staff,
                application=allocated[0],
                ticket_number="E1",
                price=Decimal("300"),
                issued_on=TODAY,
            )
        assert TicketApplication.objects.get(pk=allocated[0].pk).ticket_number == "E1"

    def test_a_ticket_number_belongs_to_one_worker(self, aid_staff, allocated):
        tickets.issue_ticket(
            by=aid_staff, application=allocated[0], ticket_number="E1", price=Decimal("300"), issued_on=TODAY
        )
        with pytest.raises(ValidationError, match="already recorded for another worker"):
            tickets.issue_ticket(
                by=aid_staff,
                application=allocated[1],
                ticket_number="E1",
                price=Decimal("300"),
                issued_on=TODAY,
            )

    def test_only_an_allocated_seat_is_issued(self, aid_staff, waiting):
        with pytest.raises(ValidationError, match="Only an application with a seat allocated"):
            tickets.issue_ticket(
                by=aid_staff,
                application=waiting[4],
                ticket_number="E9",
                price=Decimal("300"),
                issued_on=TODAY,
            )

    def test_a_decline_keeps_its_reason_and_tells_the_chair(self, aid_staff, allocated, chair_a, login):
        tickets.decline_application(by=aid_staff, application=allocated[0], reason="本人已改为自驾返乡")
        declined = TicketApplication.objects.get(pk=allocated[0].pk)
        assert (declined.status, declined.price) == ("declined", None)
        assert tickets.decline_reason(declined) == "本人已改为自驾返乡"
        notice = Notice.objects.get(user=chair_a, key=f"ticket-declined:{declined.pk}")
        assert "本人已改为自驾返乡" in notice.body
        page = login(chair_a).get(reverse("aid:ticket_detail", args=[declined.pk]))
        assert "本人已改为自驾返乡" in page.content.decode()

    def test_a_decline_needs_a_reason(self, aid_staff, allocated):
        with pytest.raises(ValidationError, match="Say why"):
            tickets.decline_application(by=aid_staff, application=allocated[0], reason=" ")

    def test_an_issued_ticket_cannot_be_withdrawn(self, aid_staff, chair_a, allocated):
        tickets.issue_ticket(
            by=aid_staff, application=allocated[0], ticket_number="E1", price=Decimal("300"), issued_on=TODAY
        )
        with pytest.raises(ValidationError, match="can no longer be withdrawn"):
            tickets.withdraw_application(by=chair_a, application=allocated[0])

    def test_only_the_chair_of_the_workers_union_withdraws(self, aid_staff, chair_b, allocated):
        for user in (aid_staff, chair_b):
            with pytest.raises(PermissionDenied):
                tickets.withdraw_application(by=user, application=allocated[0])
        allocated[0].refresh_from_db()
        assert allocated[0].status == TicketApplication.Status.ALLOCATED

    def test_the_issue_page(self, login, aid_staff, staff, allocated):
        url = reverse("aid:ticket_issue", args=[allocated[0].pk])
        form = {"ticket_number": "G7521", "price": "312.00", "issued_on": TODAY.isoformat()}
        assert login(staff).post(url, form).status_code == 403
        assert login(aid_staff).post(url, form).status_code == 302
        assert TicketApplication.objects.get(pk=allocated[0].pk).ticket_number == "G7521"


class TestHistoryAndExport:
    def test_tickets_issued_over_the_years_by_means_of_travel(
        self, aid_staff, campaign, chair_a, waiting, air, register, enterprise_a
    ):
        older = tickets.create_campaign(
            by=aid_staff,
            year=2010,
            name="2010年春节返乡",
            budget=Decimal("5000"),
            opens_on=datetime.date(2009, 12, 1),
            closes_on=datetime.date(2010, 1, 10),
            travel_from=datetime.date(2010, 1, 20),
            travel_until=datetime.date(2010, 2, 20),
            ticket_types=[("train", 5, Decimal("200"))],
        )
        veteran = register(enterprise_a, name="冯老三", id_number=make_id("19700707"), is_migrant_worker=True)
        old = apply(
            chair_a,
            older,
            veteran,
            older.ticket_types.get(),
            today=datetime.date(2009, 12, 5),
            travel_on=datetime.date(2010, 2, 1),
        )
        tickets.allocate_seats(by=aid_staff, campaign=older, application_ids=[old.pk])
        tickets.issue_ticket(
            by=aid_staff,
            application=old,
            ticket_number="K1",
            price=Decimal("198"),
            issued_on=datetime.date(2010, 1, 15),
        )
        tickets.allocate_seats(by=aid_staff, campaign=campaign, application_ids=[waiting[0].pk])
        tickets.issue_ticket(
            by=aid_staff, application=waiting[0], ticket_number="K2", price=Decimal("300"), issued_on=TODAY
        )
        history = tickets.history()
        assert (history.by_mode, history.since, history.total) == (
            {"air": 0, "train": 2, "coach": 0},
            2010,
            2,
        )
        figures = {
            c.pk: (c.applied, c.allocated, c.issued, c.committed)
            for c in tickets.with_figures(TicketCampaign.objects.all())
        }
        assert figures == {older.pk: (1, 0, 1, Decimal("198.00")), campaign.pk: (5, 0, 1, Decimal("300.00"))}

    def test_the_export_has_names_and_masked_id_numbers_only(
        self, login, aid_staff, campaign, chair_a, migrants, train
    ):
        apply(chair_a, campaign, migrants[0], train, destination='=HYPERLINK("http://x")')
        response = login(aid_staff).get(reverse("aid:campaign_export", args=[campaign.pk]))
        sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
        rows = list(sheet.iter_rows(values_only=True))
        cells = [str(c) for c in rows[1]]
        assert migrants[0].name in cells and migrants[0].masked_id_number in cells
        assert migrants[0].id_number not in cells and migrants[0].phone not in cells
        assert '\'=HYPERLINK("http://x")' in cells

    def test_a_chair_exports_only_their_union_s_applications(
        self, login, chair_b, union_b, campaign, chair_a, migrants, train
    ):
        apply(chair_a, campaign, migrants[0], train)
        response = login(chair_b).get(reverse("aid:campaign_export", args=[campaign.pk]))
        assert (
            len(list(load_workbook(io.BytesIO(b"".join(response.streaming_content))).active.iter_rows())) == 1
        )


class TestAccess:
    def test_the_outsider_gets_403(self, login, outsider, campaign, chair_a, migrants, train):
        application = apply(chair_a, campaign, migrants[0], train)
        client = login(outsider)
        for url in (
            reverse("aid:campaign_list"),
            campaign.get_absolute_url(),
            reverse("aid:ticket_detail", args=[application.pk]),
            reverse("aid:campaign_export", args=[campaign.pk]),
        ):
            assert client.get(url).status_code == 403

    def test_another_union_s_chair_gets_404_for_the_application(
        self, login, chair_b, union_b, campaign, chair_a, migrants, train
    ):
        application = apply(chair_a, campaign, migrants[0], train)
        client = login(chair_b)
        assert client.get(reverse("aid:ticket_detail", args=[application.pk])).status_code == 404
        assert client.post(reverse("aid:ticket_withdraw", args=[application.pk])).status_code == 404
        page = client.get(campaign.get_absolute_url())
        assert page.status_code == 200 and migrants[0].name not in page.content.decode()

    def test_staff_without_the_aid_duty_view_but_do_not_change(self, login, staff, campaign, waiting):
        client = login(staff)
        assert client.get(reverse("aid:campaign_list")).status_code == 200
        assert client.get(campaign.get_absolute_url()).status_code == 200
        assert client.get(reverse("aid:ticket_detail", args=[waiting[0].pk])).status_code == 200
        assert client.get(reverse("aid:campaign_create")).status_code == 403
        assert (
            client.post(
                reverse("aid:ticket_allocate", args=[campaign.pk]), {"application": [waiting[0].pk]}
            ).status_code
            == 403
        )
        assert (
            client.post(reverse("aid:ticket_decline", args=[waiting[0].pk]), {"reason": "x"}).status_code
            == 403
        )
        assert not TicketApplication.objects.exclude(status="submitted").exists()

    def test_a_chair_does_not_allocate_or_decline(self, login, chair_a, campaign, waiting):
        client = login(chair_a)
        assert (
            client.post(
                reverse("aid:ticket_allocate", args=[campaign.pk]), {"application": [waiting[0].pk]}
            ).status_code
            == 403
        )
        assert (
            client.post(reverse("aid:ticket_decline", args=[waiting[0].pk]), {"reason": "x"}).status_code
            == 403
        )

    def test_the_chair_withdraws_on_the_page(self, login, chair_a, campaign, waiting):
        client = login(chair_a)
        assert client.post(reverse("aid:ticket_withdraw", args=[waiting[0].pk])).status_code == 302
        assert (
            client.post(reverse("aid:ticket_withdraw", args=[waiting[0].pk])).status_code == 302
        )  # harmless
        assert TicketApplication.objects.get(pk=waiting[0].pk).status == "withdrawn"

    def test_the_campaign_page_shows_the_figures(self, login, aid_staff, campaign, waiting, train):
        tickets.allocate_by_priority(by=aid_staff, campaign=campaign, ticket_type=train, count=2)
        html = login(aid_staff).get(campaign.get_absolute_url()).content.decode()
        assert "¥600.00" in html and "2 / 3" in html and "0 / 1" in html


def test_ticket_types_are_unique_per_campaign(aid_staff):
    with pytest.raises(ValidationError, match="once"):
        tickets.create_campaign(
            by=aid_staff,
            year=2030,
            name="x",
            budget=Decimal("100"),
            opens_on=TODAY,
            closes_on=TODAY,
            travel_from=TODAY,
            travel_until=TODAY,
            ticket_types=[("train", 1, Decimal("1")), ("train", 2, Decimal("1"))],
        )
    assert not TicketType.objects.exists()
