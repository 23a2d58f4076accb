"""Demo audits (经费审计): the plans of the last three years up to ``demo.today``, made by the real
``save_plan`` (rotation spreads the never-audited unions over the cycle, so every one of the 186 unions is
audited in the three years; the risk rules add unions in arrears, with a payroll swing, a complaint about fund
use or a new chair). Past years' audits are completed; this year's are completed, in fieldwork or planned by
their dates. Findings are in every state — open, responded, sent back, accepted, and overdue — with amounts
involved and some recovered. Chair1's union (HN001) has an audit this year with an open rectification, so the
demo shows the chair's side. Fieldwork, findings and rectifications are bulk-inserted with their historical
dates (the workflow itself is exercised by the tests)."""

import datetime
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.utils import timezone

from unionhub.contributions import demo_step

from . import services
from .models import (
    Area,
    Audit,
    ChecklistItem,
    ChecklistResult,
    Finding,
    FindingEvidence,
    Rectification,
)

FINDINGS = {
    Area.ACCOUNTS: ["部分会计凭证缺少原始单据，记账不及时。", "工会经费未单独设账，与企业行政账户混用。"],
    Area.SHARE: ["60%留成经费中列支了与职工活动无关的招待费用。", "返还经费到账后长期闲置，未按计划使用。"],
    Area.RECEIPTS: ["会费收缴名册不全，部分月份缺少收据。", "申报工资总额低于社保缴费基数，少缴工会经费。"],
    Area.APPROVALS: ["大额支出未经工会委员会集体研究。", "多笔慰问品采购缺少审批人签字。"],
    Area.ASSETS: ["固定资产台账与实物不符，部分健身器材未登记。", "报废资产无审批记录。"],
    Area.HARDSHIP: ["困难职工帮扶资金发放未公示，部分领取无本人签字。", "帮扶对象认定材料不全。"],
}
SEVERITIES = [Finding.Severity.MINOR] * 6 + [Finding.Severity.SERIOUS] * 3 + [Finding.Severity.GRAVE]
RESPONSES = [
    "已补齐原始凭证并重新装订，财务人员参加了区总工会组织的培训。",
    "已召开工会委员会会议补办审批手续，并修订了经费支出审批制度。",
    "相关款项已退回工会经费账户，附银行回单。",
    "已完成固定资产盘点，更新台账并报区总工会备案。",
]
RETURN_REASONS = ["银行回单金额与应退金额不符，请补充说明。", "整改材料缺少工会委员会会议记录，请补充。"]
CONCLUSIONS = [
    "该工会经费收支基本规范，账目清楚，发现问题已限期整改。",
    "该工会能够执行工会经费管理规定，个别支出审批手续不完备，已提出整改要求。",
    "该工会经费管理总体良好，未发现重大违规问题。",
]
PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


def _fieldwork(rng, year: int) -> tuple[datetime.date, datetime.date]:
    start = datetime.date(year, 3, 1) + datetime.timedelta(days=rng.randint(0, 240))
    return start, start + datetime.timedelta(days=rng.randint(2, 6))


def _state_for(rng, deadline: datetime.date, today: datetime.date) -> str:
    """Older findings are mostly settled; recent ones in every state."""
    s = Rectification.State
    age = (today - deadline).days
    roll = rng.random()
    # A federation that audits keeps up: a handful overdue, not dozens (the to-do card escalates each one).
    if age > 200:
        return s.ACCEPTED if roll < 0.98 else s.OPEN
    if age > 0:
        return (
            s.ACCEPTED if roll < 0.8 else s.RESPONDED if roll < 0.9 else s.RETURNED if roll < 0.95 else s.OPEN
        )
    return s.OPEN if roll < 0.45 else s.RESPONDED if roll < 0.7 else s.RETURNED if roll < 0.85 else s.ACCEPTED


def seed_audits(*, rng, today: datetime.date, staff, unions) -> None:
    auditor = get_user_model().objects.get(username="auditor")
    team = [auditor, staff]
    items = {}
    for item in ChecklistItem.objects.filter(active=True):
        items.setdefault(item.kind, []).append(item)
    results, findings, rectifications = [], [], []
    for year in range(today.year - 2, today.year + 1):
        on = today if year == today.year else datetime.date(year, 1, 1)
        plan, _added = services.save_plan(year=year, by=auditor, on=on)
        if year == today.year and not plan.audits.filter(union=unions[0]).exists():
            services.add_audit(year=year, union=unions[0], by=auditor, note="主席换届前例行审计")
        for audit in plan.audits.select_related("union").order_by("union__code"):
            start, end = _fieldwork(rng, year)
            chair1 = year == today.year and audit.union_id == unions[0].pk
            if chair1:
                start, end = today - datetime.timedelta(days=20), today - datetime.timedelta(days=16)
            audit.fieldwork_from, audit.fieldwork_to = start, end
            audit.lead = auditor if chair1 else rng.choice(team)
            if end < today - datetime.timedelta(days=30) and not chair1:
                audit.state, audit.completed_on = Audit.State.COMPLETED, end + datetime.timedelta(days=10)
                audit.conclusion = rng.choice(CONCLUSIONS)
            elif start <= today:
                audit.state = Audit.State.FIELDWORK
            else:
                audit.state = Audit.State.PLANNED
            audit.save(
                update_fields=[
                    "fieldwork_from",
                    "fieldwork_to",
                    "lead",
                    "state",
                    "completed_on",
                    "conclusion",
                ]
            )
            audit.team.set(team)
            if audit.state == Audit.State.PLANNED:
                continue
            n_findings = 1 if chair1 else rng.choice([0, 0, 1, 1, 1, 2, 3])
            areas = rng.sample(list(FINDINGS), n_findings)
            found_text = {area: rng.choice(FINDINGS[area]) for area in areas}
            for item in items.get(audit.kind, []):
                found = item.area in areas
                results.append(
                    ChecklistResult(
                        audit=audit,
                        item=item,
                        result=ChecklistResult.Result.FINDING if found else ChecklistResult.Result.OK,
                        note=found_text[item.area] if found else "",
                    )
                )
            for area in areas:
                involved = Decimal(rng.randint(8, 600) * 100) if rng.random() < 0.7 else Decimal(0)
                recovered = Decimal(0)
                if involved and rng.random() < 0.5:
                    recovered = (involved * Decimal(rng.choice([25, 50, 100])) / 100).quantize(
                        Decimal("0.01")
                    )
                deadline = end + datetime.timedelta(days=30)
                state = Rectification.State.OPEN if chair1 else _state_for(rng, deadline, today)
                finding = Finding(
                    audit=audit,
                    category=area,
                    severity=rng.choice(SEVERITIES),
                    description=found_text[area],
                    amount_involved=involved,
                    amount_recovered=recovered,
                    recorded_by=audit.lead,
                    recorded_on=end,
                )
                findings.append(finding)
                rectifications.append((finding, deadline, state))
    ChecklistResult.objects.bulk_create(results, batch_size=2000)
    Finding.objects.bulk_create(findings, batch_size=2000)
    rows = []
    for finding, deadline, state in rectifications:
        responded = state in (
            Rectification.State.RESPONDED,
            Rectification.State.ACCEPTED,
            Rectification.State.RETURNED,
        )
        answered_on = min(deadline - datetime.timedelta(days=rng.randint(1, 20)), today)
        at = timezone.make_aware(datetime.datetime.combine(answered_on, datetime.time(15, 30)))
        chair = finding.audit.union.chair
        rows.append(
            Rectification(
                finding=finding,
                deadline=deadline,
                state=state,
                response=rng.choice(RESPONSES) if responded else "",
                responded_by=chair if responded else None,
                responded_at=at if responded else None,
                rounds=1 if responded else 0,
                return_reason=rng.choice(RETURN_REASONS) if state == Rectification.State.RETURNED else "",
                decided_by=finding.audit.lead if state in ("accepted", "returned") else None,
                decided_at=at + datetime.timedelta(days=2) if state in ("accepted", "returned") else None,
            )
        )
    Rectification.objects.bulk_create(rows, batch_size=2000)
    # Chair1's open finding carries the auditors' evidence (a placeholder PDF).
    first = Finding.objects.filter(audit__union=unions[0], audit__plan__year=today.year).first()
    if first is not None:
        FindingEvidence.objects.create(
            finding=first, file=ContentFile(PDF, "evidence.pdf"), name="审计取证记录.pdf"
        )
    # Every state on show: make sure one of each exists among this and last year's findings.
    _ensure_every_state(today)


def _ensure_every_state(today: datetime.date) -> None:
    s = Rectification.State
    pool = list(
        Rectification.objects.filter(finding__audit__plan__year__gte=today.year - 1)
        .exclude(finding__audit__union__code="HN001")
        .order_by("pk")
    )
    present = {r.state for r in pool}
    overdue = any(r.is_overdue(today) for r in pool)
    for state in [s.OPEN, s.RESPONDED, s.RETURNED, s.ACCEPTED]:
        if state not in present and pool:
            r = pool.pop()
            Rectification.objects.filter(pk=r.pk).update(
                state=state, return_reason=RETURN_REASONS[0] if state == s.RETURNED else ""
            )
    if not overdue and pool:
        r = pool.pop(0)
        Rectification.objects.filter(pk=r.pk).update(
            state=s.OPEN, deadline=today - datetime.timedelta(days=10)
        )


@demo_step(order=200)
def audits(demo) -> None:
    seed_audits(rng=demo.rng, today=demo.today, staff=demo.staff, unions=demo.unions)
