"""A member's own aid applications on the phone: the window, the photos, the chair's review, the steps the
member sees, and nobody else reaching them."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import translation

from aid.models import Application, MemberApplication, Programme
from aid.services import applications, fund, member_applications
from members.services import member_signin
from tests.factories import PNG, TODAY, make_id

pytestmark = pytest.mark.django_db
DAY = datetime.timedelta(days=1)
JULY_15 = datetime.date(2026, 7, 15)


def png(name="letter.jpg"):
    return SimpleUploadedFile(name, PNG, content_type="image/jpeg")


def _programme(kind=Programme.Kind.TEMPORARY, *, opens=None, closes=None, name="临时救助", year=None):
    opens = opens or TODAY - 10 * DAY
    return Programme.objects.create(
        year=year or opens.year,
        kind=kind,
        name=name,
        min_amount=Decimal("500"),
        max_amount=Decimal("5000"),
        opens_on=opens,
        closes_on=closes or TODAY + 10 * DAY,
        on_file_only=False,
    )


@pytest.fixture
def relief():
    return _programme()


@pytest.fixture
def education():
    return _programme(
        Programme.Kind.EDUCATION,
        opens=datetime.date(2026, 7, 1),
        closes=datetime.date(2026, 8, 31),
        name="2026年金秋助学",
    )


def _submit(member, programme, *, on=TODAY, amount="2000", photos=None, **extra):
    user = member_signin.login_for(member)
    return member_applications.submit(
        by=user,
        member=member,
        programme=programme,
        amount_requested=Decimal(amount),
        reason="家中遭遇火灾",
        photos=[png()] if photos is None else photos,
        on=on,
        **extra,
    )


def _post(client, programme, **fields):
    data = {"amount_requested": "2000", "reason": "家中遭遇火灾", "photos": [png()], **fields}
    return client.post(reverse("member_applications:apply", args=[programme.pk]), data)


# --- the window ---------------------------------------------------------------------------------------


def test_education_grant_open_in_july_and_closed_in_september(member_a, education):
    child = {"child_name": "王小华", "child_id_number": make_id("20080301"), "school": "浙江大学"}
    with translation.override("en"), pytest.raises(ValidationError, match="closed on 2026-09-01"):
        _submit(member_a, education, on=datetime.date(2026, 9, 1), **child)
    assert not MemberApplication.objects.exists()
    request = _submit(member_a, education, on=JULY_15, **child)
    assert request.status == MemberApplication.Status.AT_CHAIR
    assert request.union == member_a.union and request.photos.count() == 1


def test_closed_programme_shows_its_dates_and_refuses_in_words(member_client, member_a):
    closed = _programme(opens=TODAY + 5 * DAY, closes=TODAY + 60 * DAY)
    client = member_client(member_a)
    page = client.get(reverse("member_applications:apply", args=[closed.pk]))
    assert page.status_code == 200
    assert f"{closed.opens_on:%Y-%m-%d}" in page.text and '<form method="post" enctype' not in page.text
    refused = _post(client, closed)
    assert (
        refused.status_code == 400
        and f"{closed.closes_on:%Y-%m-%d}" in refused.text
        and "m-error" in refused.text
    )
    assert not MemberApplication.objects.exists()
    listing = client.get(reverse("member_applications:home"))
    assert closed.name in listing.text


# --- photos -------------------------------------------------------------------------------------------


def test_photo_upload_and_a_text_file_named_jpg_is_refused(member_client, member_a, relief):
    client = member_client(member_a)
    fake = SimpleUploadedFile("photo.jpg", b"just some text, not a picture", content_type="image/jpeg")
    refused = _post(client, relief, photos=[fake])
    assert refused.status_code == 400 and "photo.jpg" in refused.text
    assert not MemberApplication.objects.exists()
    response = _post(client, relief)
    request = MemberApplication.objects.get()
    assert response.url == reverse("member_applications:detail", args=[request.pk])
    photo = request.photos.get()
    assert photo.upload.name.endswith(".png")
    served = client.get(reverse("files:file", args=["aid.member_application_photo", photo.pk]))
    assert served.status_code == 200 and served["Content-Type"] == "image/png"


def test_the_form_opens_the_phone_camera(member_client, member_a, relief):
    page = member_client(member_a).get(reverse("member_applications:apply", args=[relief.pk]))
    assert (
        'accept="image/*"' in page.text and 'capture="environment"' in page.text and "multiple" in page.text
    )


def test_no_photo_is_refused(member_a, relief):
    with translation.override("en"), pytest.raises(ValidationError, match="at least one photo"):
        _submit(member_a, relief, photos=[])


# --- amounts and double submit ------------------------------------------------------------------------


@pytest.mark.parametrize("amount", ["0", "-5", "499.99", "5000.01", "99999999999"])
def test_amounts_out_of_range_are_refused(member_client, member_a, relief, amount):
    response = _post(member_client(member_a), relief, amount_requested=amount)
    assert response.status_code == 400
    assert not MemberApplication.objects.exists()


@pytest.mark.parametrize("amount", ["abc", "1e999", "NaN", ""])
def test_garbage_amounts_are_refused(member_client, member_a, relief, amount):
    response = _post(member_client(member_a), relief, amount_requested=amount)
    assert response.status_code == 400


def test_double_submit_makes_one(member_client, member_a, relief):
    client = member_client(member_a)
    assert _post(client, relief).status_code == 302
    again = _post(client, relief)
    assert again.status_code == 400 and "m-error" in again.text
    assert MemberApplication.objects.count() == 1


def test_a_programme_members_do_not_apply_for_is_404(member_client, member_a):
    living = _programme(Programme.Kind.LIVING, name="生活救助")
    assert (
        member_client(member_a).get(reverse("member_applications:apply", args=[living.pk])).status_code == 404
    )


# --- the chair's review and the member's steps --------------------------------------------------------


def test_chair_forwards_and_the_member_sees_every_step(
    client, member_client, member_a, chair_a, aid_staff, relief
):
    request = _submit(member_a, relief)
    client.force_login(chair_a)
    url = reverse("aid:member_application_review", args=[request.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"action": "forward", "text": "内部：已核实，情况属实"})
    assert response.status_code == 302
    request.refresh_from_db()
    application = request.application
    assert request.status == MemberApplication.Status.FORWARDED and request.reviewed_on == TODAY
    assert application.status == Application.Status.SUBMITTED and application.submitted_by == chair_a
    assert "已核实" in application.reason
    # the federation decides with four eyes: the chair proposed, aid staff approve and pay
    fund.post_income(kind="donation", amount=Decimal("50000"), on=TODAY, description="测试捐赠")
    applications.approve(by=aid_staff, application=application, amount=Decimal("1500"), note="内部备注XYZ")
    applications.record_payment(by=aid_staff, application=application, paid_on=TODAY, reference="BANK-1")

    member = member_client(member_a)
    page = member.get(reverse("member_applications:detail", args=[request.pk]))
    assert page.status_code == 200
    text = page.text
    assert text.count('class="done"') == 4 and 'class="now"' not in text
    assert "1,500.00" in text and f"{TODAY:%Y-%m-%d}" in text
    assert "已核实" not in text and "内部备注XYZ" not in text and "BANK-1" not in text
    home = member.get(reverse("member_area:home"))
    assert home.status_code == 200


def test_chair_returns_with_a_reason_the_member_reads(client, member_client, member_a, chair_a, relief):
    request = _submit(member_a, relief)
    client.force_login(chair_a)
    url = reverse("aid:member_application_review", args=[request.pk])
    assert client.post(url, {"action": "return", "text": ""}).status_code == 400
    assert client.post(url, {"action": "return", "text": "请补充医院证明"}).status_code == 302
    request.refresh_from_db()
    assert request.status == MemberApplication.Status.RETURNED and request.application is None
    page = member_client(member_a, into=Client()).get(
        reverse("member_applications:detail", args=[request.pk])
    )
    assert "请补充医院证明" in page.text
    # returned: the member may apply again
    assert _submit(member_a, relief).status == MemberApplication.Status.AT_CHAIR
    # reviewed once: a second forward is refused
    assert client.post(url, {"action": "forward", "text": ""}).status_code == 400


def test_chair_todo_lists_waiting_applications(client, member_a, chair_a, relief):
    from unionhub.contributions import Scope, collect_todo

    request = _submit(member_a, relief)
    todo = collect_todo(Scope(user=chair_a, day=TODAY))
    items = [item for item in todo.items if item.kind == "aid.member_application"]
    assert [item.url for item in items] == [reverse("aid:member_application_review", args=[request.pk])]


def test_home_tile_shows_the_step_in_two_queries(
    member_client, member_a, relief, django_assert_max_num_queries
):
    from aid.member_area import application_tile
    from unionhub.contributions import MemberScope

    scope = MemberScope(user=None, member=member_a, day=TODAY)
    with django_assert_max_num_queries(2):
        tile = application_tile(scope)
    assert tile["programme"] == relief
    _submit(member_a, relief)
    with django_assert_max_num_queries(2):
        tile = application_tile(scope)
    assert tile["stage"][1] == "warn"


# --- outsiders ----------------------------------------------------------------------------------------


def test_member_b_gets_404_on_member_a_application_and_photo(member_client, member_a, member_b, relief):
    request = _submit(member_a, relief)
    photo = request.photos.get()
    client = member_client(member_b)
    assert client.get(reverse("member_applications:detail", args=[request.pk])).status_code == 404
    assert (
        client.get(reverse("files:file", args=["aid.member_application_photo", photo.pk])).status_code == 404
    )
    detail = reverse("member_applications:detail", args=[request.pk])
    assert detail not in client.get(reverse("member_applications:home")).text


def test_chair_b_gets_404_and_cannot_forward(client, member_a, union_b, chair_b, relief):
    request = _submit(member_a, relief)
    photo = request.photos.get()
    client.force_login(chair_b)
    url = reverse("aid:member_application_review", args=[request.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"action": "forward", "text": ""}).status_code == 404
    assert (
        client.get(reverse("files:file", args=["aid.member_application_photo", photo.pk])).status_code == 404
    )
    request.refresh_from_db()
    assert request.status == MemberApplication.Status.AT_CHAIR


def test_chair_a_and_aid_staff_read_the_photo(client, member_a, chair_a, aid_staff, relief):
    photo = _submit(member_a, relief).photos.get()
    url = reverse("files:file", args=["aid.member_application_photo", photo.pk])
    for user in (chair_a, aid_staff):
        client.force_login(user)
        assert client.get(url).status_code == 200


def test_aid_staff_cannot_review_in_the_chairs_place(client, member_a, aid_staff, relief):
    request = _submit(member_a, relief)
    client.force_login(aid_staff)
    url = reverse("aid:member_application_review", args=[request.pk])
    assert client.get(url).status_code == 200
    assert client.post(url, {"action": "forward", "text": ""}).status_code == 403


def test_member_a_gets_404_on_member_b_objects_of_the_access_matrix(client, tmp_path):
    """The district of the access matrix holds member B's application beside member A's (the ``mem`` column)."""
    from django.test.utils import override_settings

    from tests.access.district import build_district
    from unionhub.middleware import CODE_SESSION_FLAG

    with override_settings(MEDIA_ROOT=tmp_path):
        district = build_district()
        client.force_login(district["member"])
        session = client.session
        session[CODE_SESSION_FLAG] = True
        session.save()
        own_b = district["member_application_b"]
        assert client.get(reverse("member_applications:detail", args=[own_b.pk])).status_code == 404
        photo = own_b.photos.get()
        assert (
            client.get(reverse("files:file", args=["aid.member_application_photo", photo.pk])).status_code
            == 404
        )
        own_a = district["member_application"]
        assert client.get(reverse("member_applications:detail", args=[own_a.pk])).status_code == 200
