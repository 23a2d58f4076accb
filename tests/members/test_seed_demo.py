import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.db import transaction

from members.models import ChairChange, Enterprise, GrassrootsUnion, Member
from members.validators import clean_credit_code, clean_resident_id


@pytest.fixture
def seeded(db, settings):
    settings.DEBUG = True
    call_command("seed_demo", members=600, seed=7)


def test_builds_the_district_with_valid_identifiers(seeded):
    assert GrassrootsUnion.objects.count() == 186
    assert Enterprise.objects.count() == 485
    # 600 people and one who applied online and was approved (members/demo_join.py); a job changer has two
    # membership rows, the old one transferred out (members/demo.py).
    assert Member.objects.values("id_number").distinct().count() == 601
    assert Member.objects.filter(status="transferred_out", transfers_out__isnull=False).exists()
    for member in Member.objects.all()[:200]:
        assert clean_resident_id(member.id_number) == member.id_number
        assert member.union_id == member.enterprise.union_id
    for enterprise in Enterprise.objects.all()[:50]:
        assert clean_credit_code(enterprise.credit_code) == enterprise.credit_code


def test_demo_accounts_hold_their_roles(seeded):
    users = get_user_model().objects.in_bulk(
        ["staff", "chair1", "chair2", "cadre", "assoc", "merchant"], field_name="username"
    )
    assert users["staff"].is_federation_staff
    assert users["chair1"].is_union_chair and users["chair2"].is_union_chair
    assert users["cadre"].is_seconded_cadre and users["cadre"].is_union_chair
    assert users["assoc"].is_association_chair
    assert users["merchant"].is_merchant
    assert users["chair1"].check_password("unionhub-demo")
    assert Member.objects.visible_to(users["chair1"]).exists()


def test_second_run_changes_nothing(seeded, capsys):
    call_command("seed_demo", members=600)
    assert "already seeded" in capsys.readouterr().out
    assert Member.objects.values("id_number").distinct().count() == 601


def _seed_and_read(seed):
    with transaction.atomic():
        call_command("seed_demo", members=300, seed=seed)
        rows = list(Member.objects.order_by("pk").values_list("name", "id_number", "joined_on")[:100])
        transaction.set_rollback(True)
    return rows


def test_same_seed_same_district(db, settings):
    settings.DEBUG = True
    first = _seed_and_read(11)
    assert _seed_and_read(11) == first
    assert _seed_and_read(12) != first


def test_refuses_without_debug(db, settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG"):
        call_command("seed_demo", members=300)
    assert not GrassrootsUnion.objects.exists()


def test_demo_has_audited_staff_work(seeded):
    from auditlog.models import LogEntry

    assert LogEntry.objects.filter(action=LogEntry.Action.ACCESS).count() == 1
    assert Member.objects.filter(status="retained", events__note__contains="保留会籍").exists()


def test_the_demo_shows_a_past_handover_and_a_chair_without_password(seeded, client):
    users = get_user_model().objects.in_bulk(["staff", "chair3", "chair4"], field_name="username")
    change = ChairChange.objects.get(union__code="HN003")
    assert change.incoming == users["chair3"] and not change.outgoing.is_active
    assert users["chair3"].check_password("unionhub-demo")
    assert not users["chair4"].has_usable_password() and users["chair4"].is_union_chair
    client.force_login(users["staff"])
    page = client.get(change.union.get_absolute_url()).content.decode()
    assert "历任主席" in page and "吴前任" in page
    pending = client.get("/accounts/", {"show": "pending", "q": "chair4"}).content.decode()
    assert "chair4" in pending
