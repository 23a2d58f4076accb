"""Finance and dues audits (经费审计): the plan's selection rules and the ``audit_plan`` command, fieldwork
(checklist, findings with amounts and evidence), the rectification's states and deadlines, the district view
with its export and the report PDF, and who sees what (the audited chair only; other chairs 404; staff
without the audit duty 403/404)."""

import datetime
import io
import subprocess
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from audits import services
from audits.models import (
    Audit,
    AuditPlan,
    AuditType,
    ChecklistItem,
    ChecklistResult,
    Finding,
    FindingEvidence,
    Reason,
    Rectification,
)
from members.models import ChairChange, DuesPeriod, Remittance
from tests.factories import DAY, PDF, TODAY, make_case, make_union, make_user
from unionhub.contributions import Scope, collect_todo
from unionhub.models import Notice

YEAR = TODAY.year


def pdf(name="取证.pdf"):
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


@pytest.fixture
def finding_a(audit_staff, union_a):
    audit = services.add_audit(year=YEAR, union=union_a, by=audit_staff)
    return services.add_finding(
        audit=audit,
        by=audit_staff,
        category="approvals",
        severity="serious",
        description="大额支出未经集体研究。",
        amount_involved=Decimal("12000.00"),
        amount_recovered=Decimal("2000.00"),
        files=[pdf()],
    )


@pytest.fixture
def rect_a(finding_a):
    return finding_a.rectification


def pay(period):
    Remittance.objects.create(
        period=period,
        amount=period.funds_due,
        received_on=period.due_date,
        voucher_no=f"V{period.pk}",
        channel="transfer",
        grassroots_share=period.funds_due * Decimal("0.6"),
        federation_share=period.funds_due * Decimal("0.4"),
    )


def _plan_with(year, unions, by):
    plan = AuditPlan.objects.create(year=year, created_by=by)
    for union in unions:
        Audit.objects.create(plan=plan, union=union, reasons=[Reason.ROTATION])
    return plan


# --- selection rules ------------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.usefixtures("english")
class TestSelection:
    def test_rotation_spreads_never_audited_unions_over_the_cycle_and_covers_all(self, audit_staff):
        unions = [make_union(f"HN{n:03d}") for n in range(1, 8)]
        seen = []
        for year in (2030, 2031, 2032):
            selected = services.propose_plan(year, on=datetime.date(year, 1, 1))
            assert all(s.reasons == [Reason.ROTATION] for s in selected)
            codes = [s.union.code for s in selected]
            assert codes == sorted(set(codes))  # once each, in code order
            seen += codes
            services.save_plan(year=year, by=audit_staff, on=datetime.date(year, 1, 1))
        assert sorted(seen) == [u.code for u in unions]  # every union exactly once over the cycle

    def test_rotation_due_again_after_the_cycle(self, audit_staff):
        union = make_union("HN001")
        _plan_with(2027, [union], audit_staff)
        assert [s.union for s in services.propose_plan(2029, on=datetime.date(2029, 1, 1))] == []
        (due,) = services.propose_plan(2030, on=datetime.date(2030, 1, 1))
        assert due.union == union and due.details == ["rotation: last audited 2027"]
        assert services.propose_plan(2029, on=datetime.date(2029, 1, 1), cycle_years=2)[0].union == union

    def test_a_never_audited_union_is_due_once_the_first_plan_is_a_cycle_old(self, audit_staff):
        other = make_union("HN001")
        _plan_with(2027, [other], audit_staff)
        late = make_union("HN002")  # joined after its turn was given to others
        assert late in [s.union for s in services.propose_plan(2030, on=datetime.date(2030, 1, 1))]

    def test_arrears(self, audit_staff, union_a):
        _plan_with(YEAR - 1, [union_a], audit_staff)
        on = TODAY
        DuesPeriod.objects.create(
            union=union_a,
            kind="monthly",
            label="old",
            start=on - 200 * DAY,
            end=on - 170 * DAY,
            due_date=on - 160 * DAY,
            funds_due=Decimal("1000.00"),
        )
        (s,) = services.propose_plan(YEAR, on=on)
        assert s.reasons == [Reason.ARREARS] and "arrears" in s.line()
        assert services.kind_for(s.reasons) == AuditType.DUES

    def test_recent_arrears_do_not_count(self, audit_staff, union_a):
        _plan_with(YEAR - 1, [union_a], audit_staff)
        DuesPeriod.objects.create(
            union=union_a,
            kind="monthly",
            label="new",
            start=TODAY - 40 * DAY,
            end=TODAY - 20 * DAY,
            due_date=TODAY - 10 * DAY,
            funds_due=Decimal("1000.00"),
        )
        assert services.propose_plan(YEAR, on=TODAY) == []

    def test_large_payroll_change(self, audit_staff, union_a):
        _plan_with(YEAR - 1, [union_a], audit_staff)
        for n, payroll in enumerate([Decimal("100000"), Decimal("150000")]):
            start = TODAY - (400 - n * 40) * DAY
            period = DuesPeriod.objects.create(
                union=union_a,
                kind="monthly",
                label=f"p{n}",
                start=start,
                end=start + 20 * DAY,
                due_date=start + 25 * DAY,
                funds_due=payroll * Decimal("0.02"),
                payroll_total=payroll,
                declared_members=100,
            )
            pay(period)
        (s,) = services.propose_plan(YEAR, on=TODAY)
        assert Reason.PAYROLL in s.reasons
        assert "100,000.00 → 150,000.00" in s.line()

    def test_complaint_about_fund_use(self, audit_staff, union_a, enterprise_a):
        _plan_with(YEAR - 1, [union_a], audit_staff)
        make_case(enterprise=enterprise_a, category="other", description="工会经费使用不公开，职工有意见。")
        make_case(enterprise=enterprise_a, description="公司辞退未支付补偿。")  # not about funds
        (s,) = services.propose_plan(YEAR, on=TODAY)
        assert s.reasons == [Reason.COMPLAINTS] and "complaints about fund use: 1" in s.line()

    def test_chair_change_makes_a_departure_audit(self, audit_staff, staff, union_a, chair_a):
        _plan_with(YEAR - 1, [union_a], audit_staff)
        ChairChange.objects.create(
            union=union_a,
            outgoing=make_user("old"),
            incoming=chair_a,
            on=TODAY - 30 * DAY,
            by=staff,
            at=timezone.now(),
        )
        (s,) = services.propose_plan(YEAR, on=TODAY)
        assert s.reasons == [Reason.CHAIR_CHANGE]
        plan, added = services.save_plan(year=YEAR, by=audit_staff, on=TODAY)
        assert [a.kind for a in added] == [AuditType.DEPARTURE]

    def test_several_reasons_one_line_and_no_duplicates(
        self, audit_staff, staff, union_a, chair_a, enterprise_a
    ):
        ChairChange.objects.create(
            union=union_a, outgoing=None, incoming=chair_a, on=TODAY - DAY, by=staff, at=timezone.now()
        )
        make_case(enterprise=enterprise_a, category="other", description="会费去向不明。")
        selected = services.propose_plan(2030 + (union_a.pk * 0), on=TODAY, cycle_years=1)
        (s,) = selected
        assert s.reasons == [Reason.ROTATION, Reason.COMPLAINTS, Reason.CHAIR_CHANGE]
        assert s.line().startswith("HN001 甲公司工会委员会 rotation: never audited; ")

    def test_save_plan_twice_adds_nothing_and_manual_add(self, audit_staff, union_a, union_b):
        plan, added = services.save_plan(
            year=2031, by=audit_staff, on=datetime.date(2031, 1, 1), cycle_years=1
        )
        assert len(added) == 2
        assert services.save_plan(year=2031, by=audit_staff, on=datetime.date(2031, 1, 1))[1] == []
        other = make_union("HN003")
        audit = services.add_audit(year=2031, union=other, by=audit_staff, note="群众反映")
        assert audit.reasons == [Reason.MANUAL] and "群众反映" in audit.reason_detail
        with pytest.raises(ValidationError):
            services.add_audit(year=2031, union=other, by=audit_staff)
        assert plan.audits.count() == 3
        services.remove_audit(audit=audit, by=audit_staff)
        assert plan.audits.count() == 2

    def test_planning_needs_the_audit_duty(self, staff, finance_staff, union_a):
        for user in (staff, finance_staff):
            with pytest.raises(PermissionDenied):
                services.save_plan(year=YEAR, by=user)
            with pytest.raises(PermissionDenied):
                services.add_audit(year=YEAR, union=union_a, by=user)
        assert not AuditPlan.objects.exists()

    def test_bad_year(self, audit_staff):
        for year in ("abc", "", "1999", "2101", None):
            with pytest.raises(ValidationError):
                services.propose_plan(year)
        assert not AuditPlan.objects.exists()


@pytest.mark.django_db
class TestCommand:
    def test_prints_one_line_per_union_and_the_count(self, audit_staff, union_a, union_b):
        out = io.StringIO()
        call_command("audit_plan", "--year", "2031", "--cycle", "1", stdout=out)
        lines = out.getvalue().splitlines()
        assert lines == [
            "HN001 甲公司工会委员会 rotation: never audited",
            "HN002 乙片区联合工会 rotation: never audited",
            "selected: 2",
        ]
        assert not AuditPlan.objects.exists()  # a proposal only

    def test_save(self, audit_staff, union_a):
        out = io.StringIO()
        call_command(
            "audit_plan",
            "--year",
            "2031",
            "--cycle",
            "1",
            "--save",
            "--by",
            "auditor",
            stdout=out,
            stderr=io.StringIO(),
        )
        assert out.getvalue().splitlines()[-1] == "selected: 1"
        assert AuditPlan.objects.get(year=2031).audits.get().union == union_a

    def test_save_refused_without_the_duty(self, staff, union_a):
        with pytest.raises(CommandError, match="audit duty"):
            call_command("audit_plan", "--year", "2031", "--save", "--by", "staff", stdout=io.StringIO())
        assert not AuditPlan.objects.exists()

    def test_nothing_selected(self, db):
        out = io.StringIO()
        call_command("audit_plan", "--year", "2031", stdout=out)
        assert out.getvalue() == "selected: 0\n"

    @pytest.mark.parametrize("year", ["abc", "20x6", "1999", "3000", "-1"])
    def test_bad_year_is_a_clear_error(self, db, year):
        with pytest.raises(CommandError, match="year"):
            call_command("audit_plan", "--year", year, stdout=io.StringIO())


# --- fieldwork ------------------------------------------------------------------------------------------


@pytest.mark.django_db
class TestFieldwork:
    def test_checklists_are_seeded_by_migration(self):
        for kind in AuditType.values:
            assert ChecklistItem.objects.filter(kind=kind).exists()
        areas = set(ChecklistItem.objects.filter(kind="annual").values_list("area", flat=True))
        assert {"accounts", "share", "receipts", "approvals", "assets", "hardship"} <= areas

    def test_team_checklist_finding_complete(self, audit_staff, staff, union_a, chair_a):
        audit = services.add_audit(year=YEAR, union=union_a, by=audit_staff)
        services.set_team(
            audit=audit,
            by=audit_staff,
            kind="annual",
            lead=audit_staff,
            team=[],
            fieldwork_from=TODAY,
            fieldwork_to=TODAY + 3 * DAY,
            working_notes="内部：注意往来款。",
        )
        assert list(audit.team.all()) == [audit_staff]
        with pytest.raises(ValidationError):  # the organisation staff holds no audit duty
            services.set_team(
                audit=audit,
                by=audit_staff,
                kind="annual",
                lead=staff,
                team=[],
                fieldwork_from=None,
                fieldwork_to=None,
            )
        with pytest.raises(ValidationError):
            services.set_team(
                audit=audit,
                by=audit_staff,
                kind="annual",
                lead=None,
                team=[],
                fieldwork_from=TODAY,
                fieldwork_to=TODAY - DAY,
            )
        items = services.checklist_for(audit)
        results = {item.pk: ("ok", "") for item in items}
        results[items[0].pk] = ("finding", "凭证缺失")
        services.record_checklist(audit=audit, by=audit_staff, results=results)
        audit.refresh_from_db()
        assert audit.state == Audit.State.FIELDWORK
        assert ChecklistResult.objects.filter(audit=audit, result="finding").count() == 1
        with pytest.raises(ValidationError):  # a finding needs a note
            services.record_checklist(audit=audit, by=audit_staff, results={items[1].pk: ("finding", "")})
        finding = services.add_finding(
            audit=audit,
            by=audit_staff,
            category="accounts",
            severity="minor",
            description="凭证缺失",
            amount_involved=Decimal("0"),
        )
        assert finding.rectification.state == Rectification.State.OPEN
        assert finding.rectification.deadline > TODAY
        services.complete_audit(audit=audit, by=audit_staff, conclusion="基本规范。")
        audit.refresh_from_db()
        assert audit.state == Audit.State.COMPLETED and audit.completed_on == TODAY
        with pytest.raises(ValidationError):  # double submit
            services.complete_audit(audit=audit, by=audit_staff, conclusion="again")

    @pytest.mark.parametrize(
        ("involved", "recovered"),
        [
            (Decimal("-1"), Decimal("0")),
            (Decimal("10"), Decimal("-1")),
            (Decimal("1e12"), Decimal("0")),
            (Decimal("10"), Decimal("20")),
            (Decimal("10.001"), Decimal("0")),
            (None, Decimal("0")),
        ],
    )
    def test_bad_amounts_write_nothing(self, audit_staff, union_a, involved, recovered):
        audit = services.add_audit(year=YEAR, union=union_a, by=audit_staff)
        with pytest.raises(ValidationError):
            services.add_finding(
                audit=audit,
                by=audit_staff,
                category="share",
                severity="minor",
                description="x",
                amount_involved=involved,
                amount_recovered=recovered,
            )
        assert not Finding.objects.exists() and not Rectification.objects.exists()

    def test_bad_deadline_and_bad_files(self, audit_staff, union_a):
        audit = services.add_audit(year=YEAR, union=union_a, by=audit_staff)
        base = {
            "audit": audit,
            "by": audit_staff,
            "category": "share",
            "severity": "minor",
            "description": "x",
            "amount_involved": Decimal(1),
        }
        with pytest.raises(ValidationError):
            services.add_finding(**base, deadline=TODAY - DAY)
        with pytest.raises(ValidationError):
            services.add_finding(**base, deadline=TODAY + 400 * DAY)
        page = SimpleUploadedFile("x.pdf", b"<html><script>alert(1)</script></html>")
        with pytest.raises(ValidationError):
            services.add_finding(**base, files=[page])
        with pytest.raises(ValidationError):
            services.add_finding(**base, files=[SimpleUploadedFile("e.pdf", b"")])
        assert not Finding.objects.exists()

    def test_recovered_amount(self, audit_staff, finding_a):
        services.set_recovered(finding=finding_a, by=audit_staff, amount_recovered=Decimal("12000.00"))
        with pytest.raises(ValidationError):
            services.set_recovered(finding=finding_a, by=audit_staff, amount_recovered=Decimal("12000.01"))
        finding_a.refresh_from_db()
        assert finding_a.amount_recovered == Decimal("12000.00")

    def test_only_the_audit_team_records(self, staff, chair_a, audit_staff, union_a):
        audit = services.add_audit(year=YEAR, union=union_a, by=audit_staff)
        for user in (staff, chair_a):
            with pytest.raises(PermissionDenied):
                services.add_finding(
                    audit=audit,
                    by=user,
                    category="share",
                    severity="minor",
                    description="x",
                    amount_involved=Decimal(1),
                )
            with pytest.raises(PermissionDenied):
                services.complete_audit(audit=audit, by=user, conclusion="x")


# --- rectification --------------------------------------------------------------------------------------


@pytest.mark.django_db
class TestRectification:
    def test_open_responded_returned_responded_accepted(self, audit_staff, chair_a, rect_a):
        r = services.respond(rectification=rect_a, by=chair_a, text="已整改", files=[pdf("回单.pdf")])
        assert r.state == Rectification.State.RESPONDED and r.evidence.count() == 1
        with pytest.raises(ValidationError):  # double submit
            services.respond(rectification=rect_a, by=chair_a, text="again")
        r = services.send_back(rectification=r, by=audit_staff, reason="金额不符", deadline=TODAY + 10 * DAY)
        assert r.state == Rectification.State.RETURNED and r.deadline == TODAY + 10 * DAY
        r = services.respond(rectification=r, by=chair_a, text="已补充")
        assert r.state == Rectification.State.RESPONDED and r.rounds == 2
        r = services.accept(rectification=r, by=audit_staff)
        assert r.state == Rectification.State.ACCEPTED
        for step in (
            lambda: services.accept(rectification=r, by=audit_staff),
            lambda: services.send_back(rectification=r, by=audit_staff, reason="x"),
            lambda: services.respond(rectification=r, by=chair_a, text="x"),
        ):
            with pytest.raises(ValidationError):
                step()
        r.refresh_from_db()
        assert r.state == Rectification.State.ACCEPTED

    def test_refused_transitions(self, audit_staff, chair_a, chair_b, staff, rect_a):
        with pytest.raises(ValidationError):  # nothing to accept yet
            services.accept(rectification=rect_a, by=audit_staff)
        with pytest.raises(ValidationError):
            services.send_back(rectification=rect_a, by=audit_staff, reason="x")
        with pytest.raises(PermissionDenied):  # another union's chair
            services.respond(rectification=rect_a, by=chair_b, text="x")
        with pytest.raises(PermissionDenied):  # the auditors do not answer for the union
            services.respond(rectification=rect_a, by=audit_staff, text="x")
        services.respond(rectification=rect_a, by=chair_a, text="ok")
        with pytest.raises(PermissionDenied):  # staff without the audit duty
            services.accept(rectification=rect_a, by=staff)
        with pytest.raises(PermissionDenied):  # the chair cannot accept their own answer
            services.accept(rectification=rect_a, by=chair_a)
        with pytest.raises(ValidationError):  # a reason is needed
            services.send_back(rectification=rect_a, by=audit_staff, reason="  ")
        rect_a.refresh_from_db()
        assert rect_a.state == Rectification.State.RESPONDED

    def test_empty_response_and_bad_file_refused(self, chair_a, rect_a):
        with pytest.raises(ValidationError):
            services.respond(rectification=rect_a, by=chair_a, text=" ")
        with pytest.raises(ValidationError):
            services.respond(
                rectification=rect_a, by=chair_a, text="x", files=[SimpleUploadedFile("a.png", PDF)]
            )
        rect_a.refresh_from_db()
        assert rect_a.state == Rectification.State.OPEN and not rect_a.evidence.exists()

    def test_overdue_and_escalation_on_any_day(self, audit_staff, staff, chair_a, rect_a):
        deadline = rect_a.deadline
        assert not rect_a.is_overdue(deadline)
        assert rect_a.is_overdue(deadline + DAY)
        later = deadline + DAY
        assert list(Rectification.objects.overdue(later)) == [rect_a]
        todo = collect_todo(Scope(day=later, user=audit_staff))
        assert [i.kind for i in todo.items if i.kind.startswith("audits")] == ["audits.overdue"]
        assert todo.items[0].overdue
        assert not [
            i for i in collect_todo(Scope(day=later, user=staff)).items if i.kind.startswith("audits")
        ]
        mine = [i for i in collect_todo(Scope(day=later, user=chair_a)).items if i.kind == "audits.rectify"]
        assert len(mine) == 1 and mine[0].due == deadline and mine[0].overdue
        on_time = [
            i for i in collect_todo(Scope(day=deadline, user=chair_a)).items if i.kind == "audits.rectify"
        ]
        assert not on_time[0].overdue
        services.respond(rectification=rect_a, by=chair_a, text="已整改")
        assert not Rectification.objects.overdue(later).exists()  # the auditors' move now
        todo = collect_todo(Scope(day=later, user=audit_staff))
        assert [i.kind for i in todo.items if i.kind.startswith("audits")] == ["audits.decide"]

    def test_the_chair_is_notified(self, chair_a, rect_a, audit_staff):
        assert Notice.objects.filter(user=chair_a, key__startswith="audit-rectification:").count() == 1
        services.respond(rectification=rect_a, by=chair_a, text="x")
        services.send_back(rectification=rect_a, by=audit_staff, reason="y")
        assert Notice.objects.filter(user=chair_a, key__startswith="audit-rectification:").count() == 2


# --- pages and access ----------------------------------------------------------------------------------


@pytest.mark.django_db
class TestPages:
    def test_visible_to(self, audit_staff, staff, finance_staff, chair_a, chair_b, outsider, finding_a):
        audit = finding_a.audit
        assert list(Audit.objects.visible_to(audit_staff)) == [audit]
        assert list(Audit.objects.visible_to(chair_a)) == [audit]
        for user in (staff, finance_staff, chair_b, outsider):
            assert not Audit.objects.visible_to(user).exists()
            assert not Rectification.objects.visible_to(user).exists()

    def test_access(self, client, audit_staff, staff, chair_a, chair_b, outsider, rect_a):
        audit = rect_a.finding.audit
        pages = [
            reverse("audits:detail", args=[audit.pk]),
            reverse("audits:rectification", args=[rect_a.pk]),
            reverse("audits:report", args=[audit.pk]),
        ]
        client.force_login(chair_a)
        for url in pages:
            assert client.get(url).status_code == 200
        assert client.get(reverse("audits:district")).status_code == 403
        assert client.get(reverse("audits:team", args=[audit.pk])).status_code == 403
        assert client.get(reverse("audits:mine")).status_code == 200
        for user in (chair_b, staff, outsider):
            client.force_login(user)
            for url in pages:
                assert client.get(url).status_code == 404, (user, url)
        client.force_login(staff)
        assert client.get(reverse("audits:district")).status_code == 403
        client.logout()
        assert client.get(reverse("audits:district")).status_code == 302

    def test_chair_sees_no_working_notes(self, client, audit_staff, chair_a, finding_a):
        audit = finding_a.audit
        Audit.objects.filter(pk=audit.pk).update(working_notes="内部备忘：老王")
        client.force_login(chair_a)
        assert "内部备忘" not in client.get(reverse("audits:detail", args=[audit.pk])).content.decode()
        client.force_login(audit_staff)
        assert "内部备忘" in client.get(reverse("audits:detail", args=[audit.pk])).content.decode()

    def test_chair_responds_on_the_page_then_auditor_decides(self, client, audit_staff, chair_a, rect_a):
        url = reverse("audits:rectification", args=[rect_a.pk])
        client.force_login(chair_a)
        bad = client.post(url, {"text": "x", "files": SimpleUploadedFile("a.pdf", b"<html></html>")})
        assert bad.status_code == 200 and "PDF" in bad.content.decode()
        assert client.post(url, {"text": "已整改", "files": pdf()}).status_code == 302
        assert client.post(url, {"text": "again"}).status_code == 403  # double submit
        rect_a.refresh_from_db()
        assert rect_a.state == Rectification.State.RESPONDED
        evidence = rect_a.evidence.get()
        file_url = reverse("files:file", args=["audits.rectification_evidence", evidence.pk])
        assert client.get(file_url).status_code == 200
        client.force_login(audit_staff)
        assert client.get(file_url).status_code == 200
        client.post(reverse("audits:rectification_send_back", args=[rect_a.pk]), {"reason": ""})
        rect_a.refresh_from_db()
        assert rect_a.state == Rectification.State.RESPONDED
        client.post(reverse("audits:rectification_accept", args=[rect_a.pk]))
        rect_a.refresh_from_db()
        assert rect_a.state == Rectification.State.ACCEPTED

    def test_evidence_goes_to_the_audit_only(self, client, chair_b, staff, chair_a, finding_a):
        evidence = FindingEvidence.objects.get(finding=finding_a)
        url = reverse("files:file", args=["audits.finding_evidence", evidence.pk])
        client.force_login(chair_a)
        assert client.get(url).status_code == 200
        for user in (chair_b, staff):
            client.force_login(user)
            assert client.get(url).status_code == 404

    def test_finding_form_bad_input(self, client, audit_staff, union_a):
        audit = services.add_audit(year=YEAR, union=union_a, by=audit_staff)
        client.force_login(audit_staff)
        url = reverse("audits:finding_create", args=[audit.pk])
        for data in (
            {"amount_involved": "-5", "amount_recovered": "0"},
            {"amount_involved": "1e400", "amount_recovered": "0"},
            {"amount_involved": "abc", "amount_recovered": "0"},
            {"amount_involved": "10", "amount_recovered": "20"},
            {"amount_involved": "10", "amount_recovered": "0", "deadline": "2026-02-31"},
            {"amount_involved": "10", "amount_recovered": "0", "deadline": "1900-01-01"},
        ):
            response = client.post(
                url, {"category": "share", "severity": "minor", "description": "x", **data}
            )
            assert response.status_code == 200, data
        assert not Finding.objects.exists()
        response = client.post(
            url,
            {
                "category": "share",
                "severity": "grave",
                "description": "挪用",
                "amount_involved": "5000.50",
                "amount_recovered": "0",
                "files": pdf(),
            },
        )
        assert response.status_code == 302
        assert Finding.objects.get().amount_involved == Decimal("5000.50")

    def test_team_form_bad_dates(self, client, audit_staff, union_a):
        audit = services.add_audit(year=YEAR, union=union_a, by=audit_staff)
        client.force_login(audit_staff)
        url = reverse("audits:team", args=[audit.pk])
        for start, end in (
            ("2026-13-01", ""),
            (TODAY.isoformat(), (TODAY - DAY).isoformat()),
            ("1800-01-01", ""),
        ):
            assert (
                client.post(url, {"kind": "annual", "fieldwork_from": start, "fieldwork_to": end}).status_code
                == 200
            )
        audit.refresh_from_db()
        assert audit.fieldwork_from is None

    def test_plan_page_saves_and_adds(self, client, audit_staff, union_a, union_b):
        client.force_login(audit_staff)
        url = reverse("audits:plan", args=[2031])
        assert "HN001" in client.get(url).content.decode()
        assert client.post(url).status_code == 302
        assert client.post(url).status_code == 302  # double submit: nothing more
        plan = AuditPlan.objects.get(year=2031)
        count = plan.audits.count()
        client.post(reverse("audits:plan_add", args=[2031]), {"union": union_a.pk, "kind": "annual"})
        assert plan.audits.count() == count
        client.post(reverse("audits:plan_add", args=[2031]), {"union": "99999999999", "kind": "annual"})
        assert plan.audits.count() == count

    def test_district_view_figures_filters_and_query_count(
        self, client, audit_staff, django_assert_num_queries, finding_a, union_b
    ):
        services.add_audit(year=YEAR, union=union_b, by=audit_staff)
        client.force_login(audit_staff)
        url = reverse("audits:district")
        response = client.get(url)
        page = response.content.decode()
        assert response.status_code == 200
        assert "HN001" in page and "HN002" in page and "12,000.00" in page and "2,000.00" in page
        for query in ("?year=abc", "?state=<script>", "?year=99999999999999", "?page=-1", "?year=1999"):
            assert client.get(url + query).status_code == 200
        assert "HN002" not in client.get(url + "?state=fieldwork").content.decode()
        with django_assert_num_queries(20):
            client.get(url + f"?year={YEAR}")
        for n in range(3, 12):
            services.add_audit(year=YEAR, union=make_union(f"HN{n:03d}"), by=audit_staff)
        with django_assert_num_queries(20):
            client.get(url + f"?year={YEAR}")

    def test_export(self, client, audit_staff, finding_a):
        Finding.objects.filter(pk=finding_a.pk).update(description="=HYPERLINK(1)")
        client.force_login(audit_staff)
        response = client.get(reverse("audits:export") + f"?year={YEAR}")
        assert response.status_code == 200
        book = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
        audits, findings = book.worksheets
        rows = list(audits.values)
        assert rows[1][1] == "HN001" and rows[1][10] == 12000
        frow = list(findings.values)[1]
        assert frow[4] == "'=HYPERLINK(1)" and frow[5] == 12000 and frow[6] == 2000

    def test_report_pdf_has_chinese_text(self, client, chair_a, finding_a, tmp_path):
        client.force_login(chair_a)
        response = client.get(reverse("audits:report", args=[finding_a.audit.pk]))
        assert response["Content-Type"] == "application/pdf"
        path = tmp_path / "report.pdf"
        path.write_bytes(response.content)
        text = subprocess.run(
            ["pdftotext", str(path), "-"], capture_output=True, text=True, check=True
        ).stdout
        assert "审计报告" in text and "甲公司工会委员会" in text and "大额支出" in text

    def test_mine_lists_only_own(self, client, chair_a, chair_b, audit_staff, finding_a, union_b):
        services.add_audit(year=YEAR, union=union_b, by=audit_staff)
        client.force_login(chair_a)
        page = client.get(reverse("audits:mine")).content.decode()
        assert "HN001" in page and "HN002" not in page
