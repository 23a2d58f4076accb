"""Enrolling a member on their behalf is no oracle (issue 17): an association's managers enrol only
members of the unions the association draws from (``Association.unions``, or every union when it is
district-wide), named by their name AND their ID number; every mismatch gets one message that names
nobody."""

import datetime

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from associations import services
from associations.models import Association, AssociationMember
from tests.factories import make_id

GENERIC = "本协会所联系的工会中没有姓名和身份证号均相符的会员"


@pytest.fixture
def photo(assoc_chair, union_a):
    """The association chaired by ``assoc_chair``, drawing from union A only."""
    association = Association.objects.get(chair=assoc_chair)
    association.unions.add(union_a)
    return association


def members_of(association) -> set[int]:
    return set(
        association.memberships.filter(status=AssociationMember.Status.ACTIVE).values_list(
            "member_id", flat=True
        )
    )


def enrol(client, association, name, id_number):
    return client.post(
        reverse("associations:association_join", args=[association.pk]),
        {"name": name, "id_number": id_number},
        follow=True,
    )


class TestService:
    def test_a_member_of_a_union_it_draws_from_named_by_name_and_id(self, photo, assoc_chair, member_a):
        membership = services.enrol_on_behalf(
            by=assoc_chair, association=photo, name="王 小明", id_number=member_a.id_number.lower()
        )
        assert membership.member == member_a and membership.status == AssociationMember.Status.ACTIVE

    @pytest.mark.parametrize(
        "case",
        ["unknown number", "wrong name", "other union", "name of another member"],
    )
    def test_every_mismatch_gets_the_same_message_and_writes_nothing_but_the_audit(
        self, photo, assoc_chair, member_a, member_b, case
    ):
        name, number = {
            "unknown number": ("王小明", make_id("19770707")),
            "wrong name": ("王大明", member_a.id_number),
            "other union": (member_b.name, member_b.id_number),  # right pair, union B not drawn from
            "name of another member": (member_b.name, member_a.id_number),
        }[case]
        with pytest.raises(ValidationError) as refusal:
            services.enrol_on_behalf(by=assoc_chair, association=photo, name=name, id_number=number)
        (message,) = refusal.value.messages
        assert GENERIC in message
        assert member_a.name not in message and member_b.name not in message
        assert members_of(photo) == set()
        entry = LogEntry.objects.filter(action=LogEntry.Action.ACCESS, actor=assoc_chair).get()
        assert number not in str(entry.additional_data)  # masked in the trail

    def test_a_district_wide_association_draws_from_every_union(self, photo, assoc_chair, member_b):
        photo.unions.clear()
        photo.district_wide = True
        photo.save(update_fields=["district_wide"])
        services.enrol_on_behalf(
            by=assoc_chair, association=photo, name=member_b.name, id_number=member_b.id_number
        )
        assert members_of(photo) == {member_b.pk}

    def test_neither_unions_nor_district_wide_means_nobody(self, photo, assoc_chair, member_a):
        photo.unions.clear()
        with pytest.raises(ValidationError):
            services.enrol_on_behalf(
                by=assoc_chair, association=photo, name=member_a.name, id_number=member_a.id_number
            )

    def test_join_itself_refuses_a_manager_adding_a_member_of_another_union(
        self, photo, assoc_chair, member_b
    ):
        with pytest.raises(ValidationError):
            services.join(by=assoc_chair, association=photo, member=member_b)

    def test_a_member_of_any_union_may_still_ask_to_join_themself(self, photo, member_b, make_user):
        member_b.user = make_user("lixh")
        member_b.save(update_fields=["user"])
        membership = services.join(by=member_b.user, association=photo, member=member_b)
        assert membership.status == AssociationMember.Status.PENDING

    def test_outsiders_and_chairs_of_other_things_are_refused(self, photo, outsider, chair_a, member_a):
        for who in (outsider, chair_a):
            with pytest.raises(PermissionDenied):
                services.enrol_on_behalf(
                    by=who, association=photo, name=member_a.name, id_number=member_a.id_number
                )

    def test_staff_set_the_unions_and_the_change_is_audited(self, photo, staff, union_b):
        services.save_association(by=staff, association=photo, fields={}, unions=[union_b])
        assert list(photo.unions.all()) == [union_b]
        assert LogEntry.objects.filter(object_pk=str(photo.pk), changes__icontains="unions").exists()

    def test_the_chair_cannot_change_the_unions(self, photo, assoc_chair, union_b):
        with pytest.raises(PermissionDenied):
            services.save_association(by=assoc_chair, association=photo, fields={}, unions=[union_b])


class TestPage:
    def test_the_page_names_only_what_was_typed(self, client, photo, assoc_chair, member_a, member_b):
        client.force_login(assoc_chair)
        page = enrol(client, photo, "王小明", member_a.id_number).content.decode()
        assert "王小明" in page and members_of(photo) == {member_a.pk}
        # Any ID number in the district, with a guessed name, or the right pair from a union not drawn
        # from: the same message, and nobody named.
        attempts = [
            ("张三", member_b.id_number),
            (member_b.name, member_b.id_number),
            ("张三", make_id("19660606")),
        ]
        for name, number in attempts:
            page = enrol(client, photo, name, number).content.decode()
            assert GENERIC in page and member_b.name not in page
        assert members_of(photo) == {member_a.pk}

    @pytest.mark.parametrize(
        ("name", "number"),
        [
            ("", "330481197001011237"),
            ("王小明", ""),
            ("王小明", "²²²"),
            ("王小明", "x" * 10_000),
            ("王" * 500, "1"),
        ],
    )
    def test_bad_input_is_a_message(self, client, photo, assoc_chair, member_a, name, number):
        client.force_login(assoc_chair)
        response = enrol(client, photo, name, number)
        assert response.status_code == 200
        assert members_of(photo) == set()

    def test_the_outsider_gets_404_on_a_dormant_association_and_403_on_an_active_one(
        self, client, photo, outsider, member_a
    ):
        client.force_login(outsider)
        url = reverse("associations:association_join", args=[photo.pk])
        assert client.post(url, {"name": member_a.name, "id_number": member_a.id_number}).status_code == 403
        photo.status = Association.Status.DORMANT
        photo.save(update_fields=["status"])
        assert client.post(url, {"name": member_a.name, "id_number": member_a.id_number}).status_code == 404
        assert members_of(photo) == set()

    def test_staff_edit_the_unions_on_the_association_form(self, client, photo, staff, union_b):
        client.force_login(staff)
        url = reverse("associations:association_edit", args=[photo.pk])
        assert "unions" in client.get(url).content.decode()
        response = client.post(
            url,
            {
                "name": photo.name,
                "kind": photo.kind,
                "description": "",
                "chair": photo.chair_id,
                "founded_on": datetime.date(2015, 1, 1).isoformat(),
                "status": "active",
                "joining": "approval",
                "unions": [union_b.pk],
            },
        )
        assert response.status_code == 302
        assert (
            list(photo.unions.all()) == [union_b] and not Association.objects.get(pk=photo.pk).district_wide
        )
