"""A union's hardship files and school-place requests follow the union, not the person who submitted them:
when the union changes chair, the new chair sees and acts on what the union submitted under the previous
one, the previous chair loses them, and the chair of another union never sees them (404)."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from aid.models import HardshipFile, LivingStandard, SchoolPlaceRequest
from aid.services import files as file_services
from aid.services import school_places as school_services
from members.models import GrassrootsUnion
from tests.aid.test_files import STANDARD
from tests.aid.test_files import submit as submit_file
from tests.aid.test_school_places import submit as submit_request
from tests.factories import TODAY, make_id
from unionhub.models import Notice

pytestmark = pytest.mark.usefixtures("english")


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def standard(db):
    return LivingStandard.objects.create(year=TODAY.year, monthly_amount=STANDARD)


@pytest.fixture
def parent_a(register, enterprise_a):
    return register(enterprise_a, name="赵建国", id_number=make_id("19880303"), phone="13955556666")


@pytest.fixture
def new_chair(make_user):
    return make_user("new_chair", name="陈新任")


@pytest.fixture
def handed_over(standard, chair_a, member_a, parent_a, union_a, new_chair):
    """A file and a request submitted by chair A, then union A's chair changes to ``new_chair``."""
    file = submit_file(chair_a, member_a)
    school_request = submit_request(chair_a, parent_a)
    GrassrootsUnion.objects.filter(pk=union_a.pk).update(chair=new_chair)
    # As a page loads them after the handover.
    return HardshipFile.objects.get(pk=file.pk), SchoolPlaceRequest.objects.get(pk=school_request.pk)


def _pages(file, school_request):
    return [
        reverse("aid:file_detail", args=[file.pk]),
        reverse("aid:school_request_detail", args=[school_request.pk]),
    ]


class TestNewChair:
    def test_sees_what_the_union_submitted_under_the_previous_chair(self, handed_over, new_chair):
        file, school_request = handed_over
        assert list(HardshipFile.objects.visible_to(new_chair)) == [file]
        assert list(SchoolPlaceRequest.objects.visible_to(new_chair)) == [school_request]

    def test_opens_them_and_finds_them_in_the_lists(self, handed_over, new_chair, login):
        file, school_request = handed_over
        client = login(new_chair)
        for url in _pages(file, school_request):
            assert client.get(url).status_code == 200, url
        assert file.number in client.get(reverse("aid:file_list")).content.decode()
        assert reverse("aid:school_request_detail", args=[school_request.pk]) in (
            client.get(reverse("aid:school_request_list")).content.decode()
        )

    def test_acts_on_them_as_the_union_chair(self, handed_over, new_chair, chair_a):
        file, school_request = handed_over
        assert file_services.withdraw(by=new_chair, file=file).status == HardshipFile.Status.WITHDRAWN
        withdrawn = school_services.withdraw_request(by=new_chair, request=school_request)
        assert withdrawn.status == SchoolPlaceRequest.Status.WITHDRAWN
        # Withdrawn by the chair (no reason asked) rather than returned by staff.
        assert withdrawn.outcome_reason == ""

    def test_is_the_chair_told_when_staff_return_a_request(self, handed_over, new_chair, chair_a, aid_staff):
        _file, school_request = handed_over
        school_services.withdraw_request(by=aid_staff, request=school_request, reason="材料不全")
        assert Notice.objects.filter(user=new_chair).count() == 1
        assert not Notice.objects.filter(user=chair_a).exists()


class TestPreviousChair:
    def test_loses_access(self, handed_over, chair_a, login):
        file, school_request = handed_over
        assert not HardshipFile.objects.visible_to(chair_a).exists()
        assert not SchoolPlaceRequest.objects.visible_to(chair_a).exists()
        client = login(chair_a)
        for url in _pages(file, school_request):
            assert client.get(url).status_code == 404, url

    def test_may_no_longer_act_on_them(self, handed_over, chair_a):
        file, school_request = handed_over
        with pytest.raises(PermissionDenied):
            file_services.withdraw(by=chair_a, file=file)
        with pytest.raises(PermissionDenied):
            school_services.add_documents(by=chair_a, request=school_request, documents=[])
        assert HardshipFile.objects.get(pk=file.pk).status == HardshipFile.Status.APPLYING


class TestOtherUnionsChair:
    def test_gets_404(self, handed_over, chair_b, login):
        file, school_request = handed_over
        client = login(chair_b)
        for url in _pages(file, school_request):
            assert client.get(url).status_code == 404, url
        withdraw = reverse("aid:file_withdraw", args=[file.pk])
        assert client.post(withdraw).status_code == 404
        assert HardshipFile.objects.get(pk=file.pk).status == HardshipFile.Status.APPLYING
