"""Job changers (会员组织关系转接): a sheet row that is another union's active member is a transfer in;
commit ends the old membership and starts the new one (both histories, the one-active rule), the old
chair is told and may contest in time, staff uphold or reverse; transfers by hand; the CLI's
``transfers: N``; the to-do list's queries; outsiders; and two transfers of one person at once."""

import datetime
import threading

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection
from django.urls import reverse

from members import transfers_todo
from members.models import DuesUpload, Member, MembershipEvent, MemberTransfer
from members.periods import parse_period
from members.services import dues, transfers
from tests.factories import TODAY, make_id, make_union, register_member
from tests.members.test_dues import run_import_dues, sheet_csv
from unionhub.contributions import Scope
from unionhub.models import Notice

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)


@pytest.fixture
def changer(register, enterprise_b):
    """An active member of union B (a CPC member, a migrant worker, with a phone), now on A's payroll."""
    return register(
        enterprise_b,
        name="刘转会",
        id_number=make_id("19910303"),
        phone="13655556666",
        education="senior_high",
        political_status="cpc",
        is_migrant_worker=True,
    )


@pytest.fixture
def sheet(member_a, changer):
    """Union A's sheet: its own member, and the job changer from union B (no phone given)."""
    return sheet_csv(
        [["王小明", member_a.id_number, "", "6000", ""], ["刘转会", changer.id_number, "", "5000", ""]]
    )


@pytest.fixture
def committed(chair_a, union_a, sheet, upload_sheet, commit):
    upload = upload_sheet(chair_a, union_a, sheet)
    return commit(chair_a, upload)


@pytest.fixture
def transfer(committed):
    return MemberTransfer.objects.get(upload=committed)


class TestSheet:
    def test_preview_lists_transfers_in_with_their_union_and_writes_nothing(
        self, chair_a, union_a, changer, sheet, upload_sheet, login
    ):
        upload = upload_sheet(chair_a, union_a, sheet)
        assert upload.status == DuesUpload.Status.VALID and upload.error_count == 0
        assert upload.summary["transfers"] == 1 and upload.summary["new"] == 0
        assert upload.summary["transfers_from"] == [{"code": "HN002", "name": "乙片区联合工会", "count": 1}]
        assert upload.summary["transfer_rows"] == [[3, "刘转会", "HN002"]]
        assert Member.objects.get(pk=changer.pk).status == Member.Status.ACTIVE
        assert not MemberTransfer.objects.exists()
        page = login(chair_a).get(upload.get_absolute_url()).content.decode()
        assert "转入 1 人" in page and "HN002 乙片区联合工会（1）" in page and "刘转会" in page

    def test_a_transfer_still_needs_an_enterprise_of_the_receiving_union(
        self, chair_b, union_b, enterprise_b, member_a, upload_sheet
    ):
        from members.models import Enterprise
        from tests.factories import make_credit_code

        Enterprise.objects.create(
            name="丙物流有限公司",
            credit_code=make_credit_code(7),
            union=union_b,
            size_band="small",
            industry="logistics",
        )
        header = ("姓名", "身份证号", "手机", "工资", "会费", "所在企业")
        upload = upload_sheet(
            chair_b,
            union_b,
            sheet_csv([["王小明", member_a.id_number, "", "5000", "", "无此公司"]], header=header),
        )
        assert upload.status == DuesUpload.Status.INVALID and upload.summary["transfers"] == 0

    def test_commit_ends_the_old_membership_and_starts_the_new_one(
        self, committed, changer, union_a, union_b, chair_a
    ):
        old = Member.objects.get(pk=changer.pk)
        new = Member.objects.get(id_number=changer.id_number, status=Member.Status.ACTIVE)
        assert old.status == Member.Status.TRANSFERRED_OUT and old.status_changed_on == datetime.date(
            2026, 10, 1
        )
        assert (
            new.union == union_a
            and new.added_by_upload == committed
            and new.joined_on == datetime.date(2026, 10, 1)
        )
        # Carried over: education, political status, migrant flag, and the phone the sheet lacks.
        assert (new.education, new.political_status, new.is_migrant_worker, new.phone) == (
            "senior_high",
            "cpc",
            True,
            "13655556666",
        )
        assert Member.objects.active().filter(id_number=changer.id_number).count() == 1
        out = old.events.get(kind=MembershipEvent.Kind.TRANSFERRED_OUT)
        assert out.union == union_b and "HN001" in out.note and out.recorded_by == chair_a
        came = new.events.get()
        assert came.kind == MembershipEvent.Kind.TRANSFERRED_IN and "HN002" in came.note
        transfer = MemberTransfer.objects.get()
        assert (transfer.from_member, transfer.to_member, transfer.from_union, transfer.to_union) == (
            old,
            new,
            union_b,
            union_a,
        )
        assert transfer.source == "sheet" and transfer.status == "done" and transfer.upload == committed
        assert transfer.contest_deadline == TODAY + 15 * DAY
        assert committed.summary["transfers"] == 1
        assert new.dues_lines.get().wage == 5000

    def test_a_membership_begun_within_the_period_moves_on_its_own_start(
        self, chair_a, union_a, enterprise_a, register, enterprise_b, upload_sheet, commit
    ):
        late = register(
            enterprise_b, name="周晚到", id_number=make_id("19940404"), joined_on=datetime.date(2026, 10, 20)
        )
        upload = upload_sheet(chair_a, union_a, sheet_csv([["周晚到", late.id_number, "", "5000", ""]]))
        commit(chair_a, upload)
        transfer = MemberTransfer.objects.get()
        assert transfer.on == datetime.date(2026, 10, 20)
        assert Member.objects.get(pk=late.pk).status_changed_on == datetime.date(2026, 10, 20)
        assert transfer.to_member.joined_on == datetime.date(2026, 10, 20)

    def test_old_chair_is_told_once_with_a_link_to_the_transfers_out(self, committed, chair_b, union_b):
        notice = Notice.objects.get(user=chair_b)
        assert "1" in notice.title
        assert notice.url == reverse("members:union_transfers", args=[union_b.pk]) + "?direction=out"

    def test_both_histories_link_to_each_other_for_who_may_see_them(self, transfer, login, staff, chair_a):
        page = login(staff).get(transfer.from_member.get_absolute_url()).content.decode()
        assert transfer.get_absolute_url() in page and transfer.to_member.get_absolute_url() in page
        page = login(chair_a).get(transfer.to_member.get_absolute_url()).content.decode()
        assert transfer.get_absolute_url() in page
        assert transfer.from_member.get_absolute_url() not in page  # union B's record: not chair A's

    def test_roster_changed_between_check_and_commit_writes_nothing(self, union_a, changer, sheet, staff):
        period = parse_period("2026-10")
        plan = dues.read_and_plan(union=union_a, period=period, data=sheet, filename="dues.csv")
        assert len(plan.transfers) == 1
        from members.services import change_membership_status

        change_membership_status(by=staff, member=changer, kind="withdrew", on=TODAY)
        with pytest.raises(IntegrityError):
            dues.import_from_command(union=union_a, period=period, filename="dues.csv", data=sheet, plan=plan)
        assert not DuesUpload.objects.exists() and not MemberTransfer.objects.exists()
        assert Member.objects.filter(id_number=changer.id_number).count() == 1


class TestContestAndResolve:
    def test_the_old_chair_contests_within_the_window(self, transfer, chair_b, chair_a):
        transfers.contest_transfer(
            by=chair_b, transfer=transfer, reason="此人仍在本单位工作", today=TODAY + 15 * DAY
        )
        transfer.refresh_from_db()
        assert transfer.status == "contested" and transfer.contested_by == chair_b
        assert Notice.objects.filter(user=chair_a, key=f"transfer-contested:{transfer.pk}").exists()
        # Submitted twice: no error, nothing changes.
        transfers.contest_transfer(by=chair_b, transfer=transfer, reason="再次", today=TODAY)
        transfer.refresh_from_db()
        assert transfer.contest_reason == "此人仍在本单位工作"

    @pytest.mark.usefixtures("english")
    def test_after_the_window_or_without_a_reason_it_is_refused(self, transfer, chair_b):
        with pytest.raises(ValidationError, match="ended on"):
            transfers.contest_transfer(by=chair_b, transfer=transfer, reason="不对", today=TODAY + 16 * DAY)
        with pytest.raises(ValidationError, match="Say why"):
            transfers.contest_transfer(by=chair_b, transfer=transfer, reason="   ")
        with pytest.raises(ValidationError):
            transfers.contest_transfer(by=chair_b, transfer=transfer, reason="长" * 1001)
        transfer.refresh_from_db()
        assert transfer.status == "done"

    def test_only_the_old_chair_may_contest(self, transfer, chair_a, staff, outsider):
        for user in (chair_a, staff, outsider):
            with pytest.raises(PermissionDenied):
                transfers.contest_transfer(by=user, transfer=transfer, reason="不对")

    def test_staff_uphold(self, transfer, chair_b, staff):
        transfers.contest_transfer(by=chair_b, transfer=transfer, reason="不对")
        transfers.resolve_transfer(by=staff, transfer=transfer, outcome="uphold", note="已核实")
        transfer.refresh_from_db()
        assert transfer.status == "upheld" and transfer.resolved_by == staff
        assert Member.objects.get(pk=transfer.to_member_id).status == "active"
        assert Member.objects.get(pk=transfer.from_member_id).status == "transferred_out"

    def test_staff_reverse_restores_the_old_membership_never_two_active(self, transfer, chair_b, staff):
        transfers.contest_transfer(by=chair_b, transfer=transfer, reason="不对")
        transfers.resolve_transfer(by=staff, transfer=transfer, outcome="reverse", note="核实未离职")
        transfer.refresh_from_db()
        new, old = (
            Member.objects.get(pk=transfer.to_member_id),
            Member.objects.get(pk=transfer.from_member_id),
        )
        assert transfer.status == "reversed"
        assert (new.status, old.status) == ("transferred_out", "active")
        assert Member.objects.active().filter(id_number=old.id_number).get() == old
        assert old.events.last().kind == "restored" and new.events.last().kind == "transferred_out"
        # Submitted twice: nothing more happens.
        transfers.resolve_transfer(by=staff, transfer=transfer, outcome="reverse")
        assert old.events.count() == 3

    def test_resolving_needs_the_organisation_duty_and_a_contested_transfer(
        self, transfer, chair_b, finance_staff, staff
    ):
        with pytest.raises(ValidationError):
            transfers.resolve_transfer(by=staff, transfer=transfer, outcome="uphold")
        transfers.contest_transfer(by=chair_b, transfer=transfer, reason="不对")
        for user in (finance_staff, chair_b):
            with pytest.raises(PermissionDenied):
                transfers.resolve_transfer(by=user, transfer=transfer, outcome="reverse")
        with pytest.raises(ValidationError):
            transfers.resolve_transfer(by=staff, transfer=transfer, outcome="maybe")

    def test_contest_and_resolve_through_the_pages(self, transfer, chair_b, staff, login):
        client = login(chair_b)
        page = client.get(transfer.get_absolute_url()).content.decode()
        assert reverse("members:transfer_contest", args=[transfer.pk]) in page
        response = client.post(reverse("members:transfer_contest", args=[transfer.pk]), {"reason": ""})
        assert response.status_code == 302
        transfer.refresh_from_db()
        assert transfer.status == "done"
        client.post(reverse("members:transfer_contest", args=[transfer.pk]), {"reason": "仍在职"})
        transfer.refresh_from_db()
        assert transfer.status == "contested"
        client = login(staff)
        client.post(
            reverse("members:transfer_resolve", args=[transfer.pk]), {"outcome": "uphold", "note": ""}
        )
        transfer.refresh_from_db()
        assert transfer.status == "upheld"


class TestOutsiders:
    @pytest.fixture
    def chair_c(self, make_user):
        user = make_user("chair_c")
        make_union("HN003", chair=user, enterprise_size="small", n=3)
        return user

    def test_another_unions_chair_gets_404(self, transfer, chair_c, login, union_a):
        client = login(chair_c)
        assert client.get(transfer.get_absolute_url()).status_code == 404
        assert (
            client.post(reverse("members:transfer_contest", args=[transfer.pk]), {"reason": "x"}).status_code
            == 404
        )
        assert (
            client.post(
                reverse("members:transfer_resolve", args=[transfer.pk]), {"outcome": "reverse"}
            ).status_code
            == 404
        )
        assert client.get(reverse("members:union_transfers", args=[union_a.pk])).status_code == 404
        assert client.get(reverse("members:member_transfer", args=[transfer.to_member_id])).status_code == 404

    def test_the_receiving_chair_may_not_contest_nor_resolve(self, transfer, chair_a, login):
        client = login(chair_a)
        assert client.get(transfer.get_absolute_url()).status_code == 200
        assert (
            client.post(reverse("members:transfer_contest", args=[transfer.pk]), {"reason": "x"}).status_code
            == 403
        )
        assert (
            client.post(
                reverse("members:transfer_resolve", args=[transfer.pk]), {"outcome": "reverse"}
            ).status_code
            == 403
        )

    def test_union_transfers_page_for_both_chairs(self, transfer, chair_a, chair_b, union_a, union_b, login):
        page = login(chair_b).get(reverse("members:union_transfers", args=[union_b.pk]), {"direction": "out"})
        assert "刘转会" in page.content.decode()
        page = login(chair_a).get(
            reverse("members:union_transfers", args=[union_a.pk]), {"direction": "bogus"}
        )
        assert page.status_code == 200 and "刘转会" in page.content.decode()


class TestByHand:
    def test_the_members_chair_transfers_and_the_receiving_chair_is_told(
        self, chair_b, chair_a, changer, union_a, enterprise_a
    ):
        transfer = transfers.transfer_member(
            by=chair_b, member=changer, to_union=union_a, enterprise=enterprise_a, on=TODAY - DAY
        )
        assert transfer.source == "manual" and transfer.to_member.union == union_a
        assert Member.objects.get(pk=changer.pk).status == "transferred_out"
        assert Member.objects.active().filter(id_number=changer.id_number).get() == transfer.to_member
        assert Notice.objects.filter(user=chair_a, key=f"transfer-in:{transfer.pk}").exists()
        assert not Notice.objects.filter(user=chair_b).exists()  # they did it themselves
        # Submitted twice: the same transfer, nothing more.
        again = transfers.transfer_member(
            by=chair_b, member=changer, to_union=union_a, enterprise=enterprise_a, on=TODAY - DAY
        )
        assert again.pk == transfer.pk and MemberTransfer.objects.count() == 1
        assert transfer not in transfers.contestable_for(chair_b, TODAY)

    @pytest.mark.usefixtures("english")
    def test_bad_input_is_refused(
        self, chair_b, staff, changer, union_a, union_b, enterprise_a, enterprise_b
    ):
        with pytest.raises(ValidationError, match="future"):
            transfers.transfer_member(
                by=chair_b, member=changer, to_union=union_a, enterprise=enterprise_a, on=TODAY + DAY
            )
        with pytest.raises(ValidationError, match="not covered"):
            transfers.transfer_member(
                by=chair_b, member=changer, to_union=union_a, enterprise=enterprise_b, on=TODAY
            )
        with pytest.raises(ValidationError, match="already belongs"):
            transfers.transfer_member(
                by=staff, member=changer, to_union=union_b, enterprise=enterprise_b, on=TODAY
            )
        with pytest.raises(ValidationError, match="before"):
            transfers.transfer_member(
                by=chair_b,
                member=changer,
                to_union=union_a,
                enterprise=enterprise_a,
                on=datetime.date(2019, 1, 1),
            )
        assert Member.objects.get(pk=changer.pk).status == "active" and not MemberTransfer.objects.exists()

    def test_only_staff_with_the_duty_or_the_members_chair(
        self, chair_a, finance_staff, outsider, changer, union_a, enterprise_a
    ):
        for user in (chair_a, finance_staff, outsider):
            with pytest.raises(PermissionDenied):
                transfers.transfer_member(
                    by=user, member=changer, to_union=union_a, enterprise=enterprise_a, on=TODAY
                )

    def test_through_the_page(self, chair_b, chair_a, changer, union_a, enterprise_a, login, staff):
        client = login(chair_b)
        url = reverse("members:member_transfer", args=[changer.pk])
        assert url in client.get(changer.get_absolute_url()).content.decode()
        page = client.get(url, {"to_union": union_a.pk}).content.decode()
        assert enterprise_a.name in page
        assert client.get(url, {"to_union": "99999999999999999999"}).status_code == 200
        bad = client.post(url, {"to_union": union_a.pk, "enterprise": enterprise_a.pk, "on": "2999-01-01"})
        assert bad.status_code == 200 and not MemberTransfer.objects.exists()
        bad = client.post(url, {"to_union": "abc", "enterprise": enterprise_a.pk, "on": TODAY.isoformat()})
        assert bad.status_code == 200 and not MemberTransfer.objects.exists()
        done = client.post(
            url, {"to_union": union_a.pk, "enterprise": enterprise_a.pk, "on": TODAY.isoformat()}
        )
        transfer = MemberTransfer.objects.get()
        assert done.status_code == 302 and done.url == transfer.get_absolute_url()
        # Submitted twice: the transfer already made, nothing more.
        again = client.post(
            url, {"to_union": union_a.pk, "enterprise": enterprise_a.pk, "on": TODAY.isoformat()}
        )
        assert again.status_code == 302 and again.url == transfer.get_absolute_url()
        assert MemberTransfer.objects.count() == 1
        # The old membership is no longer active: no transfer form.
        assert client.get(url).status_code == 302
        assert login(chair_a).get(url).status_code == 404


class TestToDoQueries:
    def test_contestable_incoming_and_contested(
        self, transfer, chair_a, chair_b, staff, django_assert_num_queries
    ):
        with django_assert_num_queries(1):
            assert list(transfers.contestable_for(chair_b, TODAY)) == [transfer]
        assert list(transfers.contestable_for(chair_b, TODAY + 16 * DAY)) == []
        assert list(transfers.contestable_for(chair_a, TODAY)) == []
        with django_assert_num_queries(1):
            assert list(transfers.incoming_for(chair_a)) == [transfer]
        assert list(transfers.incoming_for(chair_b)) == []
        assert list(transfers.contested()) == []
        transfers.contest_transfer(by=chair_b, transfer=transfer, reason="不对")
        with django_assert_num_queries(1):
            assert list(transfers.contested(MemberTransfer.objects.visible_to(staff))) == [transfer]
        assert list(transfers.contestable_for(chair_b, TODAY)) == []


class TestToDoItems:
    """members/transfers_todo.py: the sources the dashboard's to-do card registers."""

    def test_the_old_chair_is_asked_to_confirm_or_contest(self, transfer, chair_b, chair_a, union_b):
        (item,) = transfers_todo.chair_items(Scope(day=TODAY, user=chair_b))
        assert item.kind == "transfers.contest" and item.due == transfer.contest_deadline
        assert item.url == reverse("members:union_transfers", args=[union_b.pk]) + "?direction=out"
        assert "刘转会" in item.detail
        assert transfers_todo.chair_items(Scope(day=TODAY + 16 * DAY, user=chair_b)) == []
        (incoming,) = transfers_todo.chair_items(Scope(day=TODAY, user=chair_a))
        assert incoming.kind == "transfers.incoming" and incoming.due is None

    def test_staff_see_contested_transfers_and_others_nothing(
        self, transfer, chair_b, staff, finance_staff, outsider, django_assert_max_num_queries
    ):
        assert transfers_todo.staff_items(Scope(day=TODAY, user=staff)) == []
        transfers.contest_transfer(by=chair_b, transfer=transfer, reason="不对")
        with django_assert_max_num_queries(2):
            (item,) = transfers_todo.staff_items(Scope(day=TODAY, user=staff))
        assert item.kind == "transfers.contested" and item.url == transfer.get_absolute_url()
        assert transfers_todo.staff_items(Scope(day=TODAY, user=finance_staff)) is None
        assert transfers_todo.chair_items(Scope(day=TODAY, user=outsider)) is None
        assert transfers_todo.chair_items(Scope(day=TODAY, user=chair_b)) == []  # contested: no longer to do


class TestCommand:
    def test_transfers_only_exit_0_and_commit_performs_them(self, tmp_path, union_a, sheet, changer):
        path = tmp_path / "dues.csv"
        path.write_bytes(sheet)
        code, out, _err = run_import_dues(str(path), "--union", "HN001", "--period", "2026-10")
        assert code == 0 and "transfers: 1" in out.splitlines() and "errors: 0" in out
        assert "transfers from HN002 乙片区联合工会: 1" in out
        assert not MemberTransfer.objects.exists()
        code, out, _err = run_import_dues(str(path), "--union", "HN001", "--period", "2026-10", "--commit")
        assert code == 0 and "committed" in out
        assert Member.objects.get(pk=changer.pk).status == "transferred_out"
        assert MemberTransfer.objects.get().to_union == union_a

    def test_no_transfers_prints_zero(self, tmp_path, union_a, member_a):
        path = tmp_path / "dues.csv"
        path.write_bytes(sheet_csv([["王小明", member_a.id_number, "", "6000", ""]]))
        code, out, _err = run_import_dues(str(path), "--union", "HN001", "--period", "2026-10")
        assert code == 0 and "transfers: 0" in out.splitlines()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_unions_transferring_one_person_at_once_exactly_one_succeeds(staff, make_user):
    """PostgreSQL row lock: both sheets plan the transfer; both commit at once; the second finds the
    old membership gone (``SELECT … FOR UPDATE`` waits, then re-reads it) and writes nothing."""
    if connection.vendor != "postgresql":
        pytest.skip("row locks are PostgreSQL's")
    home = make_union("HX000", enterprise_size="small", n=1)
    person = register_member(home.enterprises.get(), by=staff, name="赵双签", id_number=make_id("19930303"))
    unions = [
        make_union(f"HX{n:03d}", chair=make_user(f"c{n}"), enterprise_size="small", n=n + 1) for n in (1, 2)
    ]
    period = parse_period("2026-10")
    data = sheet_csv([["赵双签", person.id_number, "", "5000", ""]])
    plans = [dues.read_and_plan(union=u, period=period, data=data, filename="dues.csv") for u in unions]
    assert all(len(p.transfers) == 1 for p in plans)
    barrier = threading.Barrier(2)
    outcomes, errors = [], []

    def commit(union, plan):
        try:
            barrier.wait(timeout=10)
            dues.import_from_command(union=union, period=period, filename="dues.csv", data=data, plan=plan)
            outcomes.append("made")
        except IntegrityError:
            outcomes.append("refused")
        except Exception as error:  # reported by the assertion below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=commit, args=pair) for pair in zip(unions, plans, strict=True)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sorted(outcomes) == ["made", "refused"]
    assert Member.objects.active().filter(id_number=person.id_number).count() == 1
    assert MemberTransfer.objects.count() == 1
    assert Member.objects.get(pk=person.pk).status == "transferred_out"
