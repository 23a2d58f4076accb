import datetime

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from members import services
from members.models import Member, MembershipEvent
from tests.factories import make_id


def test_register_derives_birth_date_and_sex_and_records_joining(member_a, staff):
    assert member_a.birth_date == datetime.date(1970, 1, 1)
    assert member_a.sex == "M"
    event = member_a.events.get()
    assert (event.kind, event.on, event.recorded_by) == ("joined", datetime.date(2020, 1, 1), staff)


def test_register_is_audited_with_the_actor_and_masked_personal_data(member_a, staff):
    entry = LogEntry.objects.get_for_object(member_a).get(action=LogEntry.Action.CREATE)
    assert entry.actor == staff
    assert "330481197001011237" not in str(entry.changes)
    assert "13812345678" not in str(entry.changes)


def test_duplicate_active_membership_names_the_existing_one(member_a, register, enterprise_b):
    with pytest.raises(services.DuplicateMembership) as info:
        register(enterprise_b, name="王小明", id_number="330481197001011237")
    message = info.value.messages[0]
    assert "HN001" in message and "王小明" in message and "2020-01-01" in message
    assert Member.objects.filter(id_number="330481197001011237").count() == 1


def test_database_enforces_one_active_membership_per_id_number(member_a, enterprise_b):
    clone = Member(
        name="x",
        id_number=member_a.id_number,
        birth_date=member_a.birth_date,
        sex="M",
        education="bachelor",
        enterprise=enterprise_b,
        union=enterprise_b.union,
        joined_on=datetime.date(2021, 1, 1),
        status_changed_on=datetime.date(2021, 1, 1),
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        clone.save()


def test_rejoining_after_transfer_out_is_allowed(member_a, register, enterprise_b, staff):
    services.change_membership_status(
        by=staff, member=member_a, kind="transferred_out", on=datetime.date(2024, 3, 1)
    )
    again = register(
        enterprise_b,
        name="王小明",
        id_number=member_a.id_number,
        joined_on=datetime.date(2024, 3, 2),
        how=MembershipEvent.Kind.TRANSFERRED_IN,
    )
    assert again.status == "active"
    assert Member.objects.filter(id_number=member_a.id_number).count() == 2


def test_register_refuses_an_enterprise_outside_the_union(register, enterprise_a, union_b, staff):
    with pytest.raises(ValidationError):
        services.register_member(
            by=staff,
            union=union_b,
            enterprise=enterprise_a,
            name="x",
            id_number=make_id(),
            joined_on=datetime.date(2020, 1, 1),
            education="bachelor",
        )


def test_register_refuses_an_invalid_id_number(register, enterprise_a):
    with pytest.raises(ValidationError):
        register(enterprise_a, id_number="330481197001011238")
    assert not Member.objects.exists()


class TestStatusChanges:
    def test_retain_then_restore_keeps_a_dated_history(self, member_a, staff):
        services.change_membership_status(
            by=staff, member=member_a, kind="retained", on=datetime.date(2024, 1, 1), note="失业保留会籍"
        )
        member = services.change_membership_status(
            by=staff, member=member_a, kind="restored", on=datetime.date(2024, 6, 1)
        )
        assert member.status == "active"
        assert [e.kind for e in member.events.all()] == ["joined", "retained", "restored"]

    def test_withdrawn_member_cannot_be_struck_off(self, member_a, staff):
        services.change_membership_status(
            by=staff, member=member_a, kind="withdrew", on=datetime.date(2024, 1, 1)
        )
        with pytest.raises(ValidationError):
            services.change_membership_status(
                by=staff, member=member_a, kind="struck_off", on=datetime.date(2024, 2, 1)
            )

    def test_date_before_current_status_is_refused(self, member_a, staff):
        with pytest.raises(ValidationError):
            services.change_membership_status(
                by=staff, member=member_a, kind="withdrew", on=datetime.date(2019, 1, 1)
            )
        member_a.refresh_from_db()
        assert member_a.status == "active"

    def test_unknown_change_is_refused(self, member_a, staff):
        with pytest.raises(ValidationError):
            services.change_membership_status(
                by=staff, member=member_a, kind="joined", on=datetime.date(2024, 1, 1)
            )


def test_update_member_records_before_and_after(member_a, staff):
    services.update_member(by=staff, member=member_a, name="王晓明")
    entry = LogEntry.objects.get_for_object(member_a).filter(action=LogEntry.Action.UPDATE).get()
    assert entry.changes_dict["name"] == ["王小明", "王晓明"]
    assert entry.actor == staff


def test_update_member_cannot_move_to_an_enterprise_of_another_union(member_a, enterprise_b, staff):
    with pytest.raises(ValidationError):
        services.update_member(by=staff, member=member_a, enterprise=enterprise_b)


def test_correct_id_number_rederives_birth_date(member_a, staff):
    number = make_id("19851212", sex="F")
    member = services.correct_id_number(by=staff, member=member_a, id_number=number)
    assert (member.birth_date, member.sex) == (datetime.date(1985, 12, 12), "F")


def test_reveal_is_logged_as_an_access(member_a, staff):
    assert services.reveal_id_number(by=staff, member=member_a, remote_addr="127.0.0.1") == member_a.id_number
    entry = LogEntry.objects.get_for_object(member_a).get(action=LogEntry.Action.ACCESS)
    assert entry.actor == staff
    assert entry.additional_data == {"revealed": "id_number"}


def test_age_on_is_exact_to_the_day(member_a):
    assert member_a.age_on(datetime.date(2010, 12, 31)) == 40
    assert member_a.age_on(datetime.date(2011, 1, 1)) == 41
