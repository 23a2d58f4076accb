"""The handover of a union to a new chair (换届): staff with the organisation duty or the union's current
chair switch ``union.chair`` in one audited transaction; the new chair then reaches everything the union
owns, in every programme, and the outgoing chair nothing of it; the new chair's one-time letter is shown
once; a double submit changes nothing more."""

import datetime
import re

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import PermissionDenied, ValidationError
from django.test.utils import override_settings
from django.urls import reverse

from members.models import ChairChange
from members.services.handover import hand_over_union
from tests.access.district import build_district
from tests.access.matrix import GET, URLS
from tests.factories import TODAY, make_staff, make_union
from tests.test_access_matrix import _url
from unionhub.duties import FINANCE
from unionhub.models import Notice, SignInLink

NEW_PASSWORD = "Xh7#union-chair-2026"


def _form(**data):
    return {"account": "", "new_name": "", "new_phone": "", "on": TODAY.isoformat(), "note": "", **data}


def _handover_url(union):
    return reverse("members:union_handover", args=[union.pk])


def test_staff_hand_over_to_a_new_account_whose_letter_works(client, staff, chair_a, union_a):
    client.force_login(staff)
    assert client.get(_handover_url(union_a)).status_code == 200
    response = client.post(
        _handover_url(union_a), _form(new_name="陈新", new_phone="139 0000 1111", note="换届选举")
    )
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"] and response["Referrer-Policy"] == "no-referrer"
    html = response.content.decode()
    assert "陈新" in html and "13900001111" in html and "<svg" in html and union_a.name in html

    union_a.refresh_from_db()
    new = union_a.chair
    assert new.username == "13900001111" and new.name == "陈新" and not new.has_usable_password()
    change = ChairChange.objects.get()
    assert (change.union, change.outgoing, change.incoming, change.by) == (union_a, chair_a, new, staff)
    assert change.on == TODAY and change.note == "换届选举"
    assert SignInLink.objects.get(user=new).purpose == SignInLink.Purpose.HANDOVER
    entries = [
        e
        for e in LogEntry.objects.get_for_object(union_a).filter(action=LogEntry.Action.UPDATE)
        if "chair" in e.changes_dict
    ]
    assert len(entries) == 1 and entries[0].actor == staff
    assert LogEntry.objects.get_for_object(change).get().actor == staff
    assert not Notice.objects.exists(), "staff who hand over need no notice"

    page = client.get(reverse("members:union_detail", args=[union_a.pk])).content.decode()
    assert "历任主席" in page and "陈新" in page and "张主席" in page

    path = re.search(r"http://testserver(/accounts/welcome/[^/<\s]+/)", html).group(1)
    client.logout()
    client.post(path, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert client.get(reverse("members:union_detail", args=[union_a.pk])).status_code == 200
    client.force_login(chair_a)
    assert (
        client.get(reverse("members:union_detail", args=[union_a.pk])).status_code == 403
    )  # chairs nothing now


def test_a_double_submit_changes_nothing_more(client, staff, chair_a, union_a):
    client.force_login(staff)
    data = _form(new_name="陈新", new_phone="13900001111")
    assert client.post(_handover_url(union_a), data).status_code == 200
    again = client.post(_handover_url(union_a), data)
    assert again.status_code == 200
    assert "已是本工会主席" in again.content.decode()
    assert ChairChange.objects.count() == 1 and SignInLink.objects.count() == 1


def test_a_chair_hands_over_their_own_union_once_and_staff_are_told(client, staff, chair_a, chair_b, union_a):
    client.force_login(chair_a)
    assert (
        client.get(reverse("members:union_detail", args=[union_a.pk]))
        .content.decode()
        .count("交接给新任主席")
    )
    data = _form(new_name="陈新", new_phone="13900001111")
    response = client.post(_handover_url(union_a), data)
    assert response.status_code == 200 and "/accounts/welcome/" in response.content.decode()
    notice = Notice.objects.get()
    assert notice.user == staff and "陈新" in notice.body and "张主席" in notice.body
    again = client.post(_handover_url(union_a), data)
    assert again.status_code == 302 and again.url == reverse("dashboard")
    assert ChairChange.objects.count() == 1 and Notice.objects.count() == 1


def test_a_chair_may_not_hand_over_another_union(client, chair_a, chair_b, union_a, union_b):
    client.force_login(chair_a)
    assert client.get(_handover_url(union_b)).status_code == 404
    assert client.post(_handover_url(union_b), _form(account="chair_a")).status_code == 404
    with pytest.raises(PermissionDenied):
        hand_over_union(union=union_b, by=chair_a, new_chair=chair_a)
    union_b.refresh_from_db()
    assert union_b.chair == chair_b and not ChairChange.objects.exists()


def test_a_person_may_chair_several_unions(staff, chair_a, chair_b, union_a, union_b):
    done = hand_over_union(union=union_b, by=chair_b, new_chair=chair_a)
    union_b.refresh_from_db()
    assert union_b.chair == chair_a and done.issued is None, "an account with a password gets no link"
    assert set(chair_a.chaired_unions.all()) == {union_a, union_b}


def test_a_chair_gets_no_link_for_an_existing_account(chair_a, union_a, make_user):
    """Else a chair could set the password of anybody not yet signed in."""
    imported = make_user("13900003333", name="林导入")
    imported.set_unusable_password()
    imported.save()
    done = hand_over_union(union=union_a, by=chair_a, new_chair=imported)
    assert done.issued is None and not SignInLink.objects.exists()


@pytest.mark.usefixtures("english")
def test_refusals(client, staff, chair_a, union_a, make_user):
    colleague = make_staff("colleague", FINANCE)
    closed = make_user("closed", is_active=False)
    for account, message in (
        (chair_a, "already the chair"),
        (colleague, "staff account"),
        (closed, "closed"),
    ):
        with pytest.raises(ValidationError, match=message):
            hand_over_union(union=union_a, by=staff, new_chair=account)
    with pytest.raises(ValidationError):
        hand_over_union(union=union_a, by=staff, new_name="陈新", new_phone="12345")
    with pytest.raises(ValidationError):
        hand_over_union(union=union_a, by=staff)
    union_a.status = union_a.Status.DISSOLVED
    union_a.save()
    with pytest.raises(ValidationError, match="dissolved"):
        hand_over_union(union=union_a, by=staff, new_name="陈新", new_phone="13900001111")
    union_a.status = union_a.Status.ACTIVE
    union_a.save()
    make_user("13900004444", name="已有")
    with pytest.raises(ValidationError, match="exists already"):
        hand_over_union(union=union_a, by=staff, new_name="陈新", new_phone="13900004444")
    client.force_login(staff)
    for data in (
        _form(account="colleague"),
        _form(account="nobody"),
        _form(account="chair_a", new_name="陈新"),
        _form(),
        _form(new_name="陈新", new_phone="\x00"),
        _form(on="2025-13-45", new_name="陈新", new_phone="13900001111"),
    ):
        assert client.post(_handover_url(union_a), data).status_code == 200
    union_a.refresh_from_db()
    assert union_a.chair == chair_a and not ChairChange.objects.exists()


@pytest.mark.parametrize("who", ["finance", "cadre", "outsider", "assoc_chair"])
def test_others_are_refused(request, client, who, union_a, chair_a):
    user = make_staff("finance", FINANCE) if who == "finance" else request.getfixturevalue(who)
    client.force_login(user)
    assert client.get(_handover_url(union_a)).status_code in (403, 404)
    assert client.post(
        _handover_url(union_a), _form(new_name="陈新", new_phone="13900001111")
    ).status_code in (
        403,
        404,
    )
    with pytest.raises(PermissionDenied):
        hand_over_union(union=union_a, by=user, new_name="陈新", new_phone="13900001111")
    union_a.refresh_from_db()
    assert union_a.chair == chair_a and not ChairChange.objects.exists()


# --- everything the union owns follows the chair, in every programme ---------------------------------------


@pytest.fixture
def district(db, tmp_path):
    with override_settings(MEDIA_ROOT=tmp_path):
        yield build_district()


def test_the_new_chair_reaches_what_the_union_owns_and_the_outgoing_chair_nothing(client, district):
    """Every page of the access matrix that union A's chair may open and union B's chair may not (dues,
    uploads, nominations, aid requests, files, homes, honours...): after the handover the new chair opens it,
    and the outgoing chair — still chair of another union — gets what union B's chair gets."""
    outgoing = district["chair_a"]
    make_union("HN777", chair=outgoing, founded_on=datetime.date(2012, 1, 1))
    done = hand_over_union(
        union=district["union_a"], by=district["staff"], new_name="陈新", new_phone="13900001111"
    )
    incoming = done.change.incoming
    rows = [
        url
        for url in URLS
        if url.method == GET
        and url.expected()["chair_a"] < 400
        and url.expected()["chair_b"] == 404
        and "chair_a" not in url.args
    ]
    assert {
        "members:union_dues",
        "members:dues_upload",
        "members:union_handover",
        "secondment:nomination_detail",
        "aid:application_detail",
        "files:file",
    } <= {url.name for url in rows}
    for url in rows:
        address = _url(district, url.name, url.args)
        client.force_login(incoming)
        assert client.get(address).status_code == url.expected()["chair_a"], f"new chair: {address}"
        client.force_login(outgoing)
        response = client.get(address)
        if url.name == "members:union_handover":  # told they handed it over, not a bare 404
            assert response.status_code == 302 and response.url == reverse("dashboard")
        else:
            assert response.status_code == 404, f"outgoing chair: {address}"


def test_the_union_page_history_names_the_chairs_in_chinese(client, staff, chair_a, chair_b, union_a):
    """The change history shows the chair by name and the action in Chinese, not '主席: 12 → 13' / 'update'."""
    hand_over_union(union=union_a, by=staff, new_chair=chair_b)
    client.force_login(staff)
    html = client.get(reverse("members:union_detail", args=[union_a.pk])).content.decode()
    history = html[html.index("修改记录") :]
    assert "张主席 → 李主席" in history
    assert f"{chair_a.pk} → {chair_b.pk}" not in history
    assert "修改" in history and ">update<" not in history
