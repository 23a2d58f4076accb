"""The small district the access matrix runs in: the cast (one user per role) and one object of every
kind a URL takes, each belonging to union A (so union A's chair is the owner and union B's chair the
other tenant). Built once per matrix module; each test runs in a savepoint rolled back after it."""

import datetime
import uuid
from decimal import Decimal

from django.core.files.base import ContentFile
from django.utils import timezone

from aid.models import (
    Application,
    EnrolmentDeadline,
    FileReview,
    HardshipDocument,
    HardshipFile,
    LivingStandard,
    MemberApplication,
    MemberApplicationPhoto,
    NoticeObjection,
    Programme,
    SchoolPlaceDocument,
    SchoolPlaceRequest,
    TicketApplication,
)
from aid.services import fund, mutual, tickets
from associations.models import (
    Activity,
    Association,
    AssociationMember,
    MatchProfile,
    Showcase,
    SignUp,
)
from associations.models import Programme as ShowcaseProgramme
from audits.models import Audit, AuditPlan, Finding, FindingEvidence, Rectification, RectificationEvidence
from contests import services as contest_services
from grievances.models import CaseEvent, Evidence
from homes.models import ChecklistItem, HomeInspection, InspectionPhoto, WorkersHome
from honours.models import (
    AwardRound,
    FederationAward,
    FederationAwardDocument,
    Honour,
    HonourNomination,
    NominationEvidence,
    Team,
)
from jobs import services as job_services
from meetings import services as meeting_services
from members.models import Area, DuesPeriod, DuesUpload, Enterprise, GrassrootsUnion, RegistryImport
from members.services import join as member_join
from members.services import member_signin
from members.services import transfers as member_transfers
from news.models import NewsChannel, NewsItem, NewsPhoto
from perks.models import Branch, Card, LostCardReport, Merchant
from perks.services import cards
from secondment import services as secondment_services
from secondment.models import (
    Certificate,
    Course,
    DutyDay,
    DutyLog,
    Enrolment,
    LateEntryRequest,
    SwapRequest,
    Unavailability,
)
from secondment.models import Nomination as CadreNomination
from secondment.rules import cycle_start
from tests.factories import (
    DAY,
    JPEG,
    PDF,
    TODAY,
    make_award,
    make_case,
    make_credit_code,
    make_id,
    make_round,
    make_staff,
    make_union,
    make_user,
    register_member,
)
from tests.tutoring.builders import add_to_district as add_tutoring
from unionhub import rules_library, workdays
from unionhub.duties import AID, CASEWORK, FINANCE, ORGANISATION
from unionhub.models import CalendarDay, MonthlyReport


def build_district() -> dict:
    """Every role's user under its role name, and every object under the name the matrix's args use."""
    d = {}
    d["staff"] = staff = make_staff("staff", ORGANISATION, name="周晓红")
    d["finance"] = make_staff("finance", FINANCE)
    d["aid"] = aid_staff = make_staff("aidstaff", AID, name="沈慧")
    d["casework"] = make_staff("casework", CASEWORK, name="顾晓燕")
    d["chair_a"] = chair_a = make_user("chair_a", name="张主席")
    d["chair_b"] = chair_b = make_user("chair_b", name="李主席")
    d["outsider"] = make_user("outsider")

    # --- the registry ----------------------------------------------------------------------------
    d["union_a"] = union_a = make_union(
        "HN001",
        name="甲公司工会委员会",
        chair=chair_a,
        founded_on=datetime.date(2010, 5, 1),
        committee_term_start=datetime.date(2022, 6, 1),
    )
    d["union_b"] = union_b = make_union(
        "HN002",
        name="乙片区联合工会",
        chair=chair_b,
        kind=GrassrootsUnion.Kind.JOINT,
        founded_on=datetime.date(2015, 3, 1),
    )
    d["enterprise_a"] = enterprise_a = Enterprise.objects.create(
        name="甲精密机械有限公司",
        credit_code=make_credit_code(1),
        union=union_a,
        size_band="large",
        industry="manufacturing",
        headcount=800,
    )
    d["enterprise_b"] = enterprise_b = Enterprise.objects.create(
        name="乙软件有限公司",
        credit_code=make_credit_code(2),
        union=union_b,
        size_band="small",
        industry="software",
        headcount=40,
    )
    d["member_a"] = member_a = register_member(
        enterprise_a, by=staff, name="王小明", id_number="330481197001011237", is_migrant_worker=True
    )
    d["member_b"] = member_b = register_member(
        enterprise_b, by=staff, name="李小红", id_number=make_id("19880808", sex="F")
    )
    # The member role: member A's own login, signed in with a code (the matrix sets the code-session flag),
    # the privacy notice accepted; member B's login owns the objects member A must not reach (404).
    d["member"] = member_signin.login_for(member_a)
    member_signin.accept_privacy(user=d["member"])
    d["member_b_login"] = member_signin.login_for(member_b)
    member_signin.accept_privacy(user=d["member_b_login"])
    # Member B's object of each kind a member page takes (the arg's key → the object), for the walk that asks
    # every member page for another member's objects (tests/test_access_matrix.py); and the URL names it must
    # cover. Shared reading (a rule) is nobody's own and has no twin.
    d["member_b_twins"] = {}
    d["member_b_twins_expected"] = []
    # A job changer from a union without a chair (so that chair B is the outsider) into union A.
    union_c = make_union("HN009", enterprise_size="small", n=9)
    changer = register_member(
        union_c.enterprises.get(), by=staff, name="刘转会", id_number=make_id("19910303")
    )
    d["transfer"] = member_transfers.transfer_member(
        by=staff, member=changer, to_union=union_a, enterprise=enterprise_a, on=TODAY - 10 * DAY
    )
    # A worker's application to join union A (入会申请), waiting for chair A.
    d["join_application"] = member_join.apply_to_join(
        name="赵新来", id_number=make_id("19990909"), phone="13600001234", enterprise=enterprise_a
    )
    young = register_member(
        enterprise_a, by=staff, name="陈晓东", id_number=make_id("19960501"), phone="13900002222"
    )

    # --- secondment: a cadre seconded from union A ------------------------------------------------------
    d["cadre"] = cadre = make_user("cadre", name="陈晓东", phone="13900002222")
    d["term"] = term = secondment_services.start_term(
        cadre=cadre, union=union_a, member=young, union_post="vice_chair", start_date=TODAY - 60 * DAY
    )
    d["cadre_nomination"] = CadreNomination.objects.create(
        union=union_a,
        member=young,
        union_post="vice_chair",
        education="bachelor",
        recommendation="推荐",
        phone="13900002222",
        start_date=TODAY + 30 * DAY,
        nominated_on=TODAY,
        nominated_by=chair_a,
    )
    past, coming = TODAY - 7 * DAY, TODAY + 7 * DAY
    done = DutyDay.objects.create(term=term, date=past, cycle_start=cycle_start(past))
    d["duty_day"] = coming_day = DutyDay.objects.create(
        term=term, date=coming, cycle_start=cycle_start(coming)
    )
    d["duty_day_str"] = past.isoformat()
    d["duty_log"] = DutyLog.objects.create(
        duty_day=done, arrived_at=datetime.time(9), left_at=datetime.time(17)
    )
    missed = TODAY - 21 * DAY  # past the logging window: the cadre asked to log it late
    d["late_entry"] = LateEntryRequest.objects.create(
        duty_day=DutyDay.objects.create(term=term, date=missed, cycle_start=cycle_start(missed)),
        reason="忘记登记",
        requested_by=cadre,
    )
    d["unavailability"] = Unavailability.objects.create(term=term, date=TODAY + 20 * DAY)
    d["swap"] = SwapRequest.objects.create(
        kind=SwapRequest.Kind.MOVE, duty_day=coming_day, target_date=TODAY + 8 * DAY, proposed_by=cadre
    )
    d["course"] = course = Course.objects.create(
        title="劳动法律法规专题培训",
        track=Course.Track.SPECIALIST,
        provider="区总工会",
        starts_on=TODAY - 10 * DAY,
        ends_on=TODAY - 9 * DAY,
        hours=Decimal("16"),
    )
    d["enrolment"] = Enrolment.objects.create(course=course, term=term)
    d["certificate"] = certificate = Certificate.objects.create(term=term, number="PX-0001", issued_on=TODAY)
    certificate.pdf.save("PX-0001.pdf", ContentFile(PDF))
    d["certificate_token"] = certificate.token
    d["feed_token"] = term.feed_token
    d["task_id"] = uuid.uuid4()

    # --- hardship and aid: union A's worker ---------------------------------------------------------------
    LivingStandard.objects.create(year=TODAY.year, monthly_amount=Decimal("1000"))
    fund.post_income(kind="donation", amount=Decimal("50000"), on=TODAY, description="测试捐赠")
    d["fund_entry"] = fund.post_income(
        kind="donation", amount=Decimal("100"), on=TODAY, description="小额捐赠"
    )
    d["hardship_file"] = file = HardshipFile.objects.create(
        number="KN0001",
        member=member_a,
        union=union_a,
        submitted_on=TODAY - 30 * DAY,
        submitted_by=chair_a,
        household_income=Decimal("1800"),
        household_size=3,
        living_standard=Decimal("1000"),
        category=HardshipFile.Category.RELATIVE,
        causes=["illness"],
    )
    d["hardship_document"] = HardshipDocument.objects.create(
        file=file, kind="income", upload=ContentFile(PDF, "income.pdf")
    )
    d["objection"] = NoticeObjection.objects.create(file=file, received_on=TODAY, content="情况不属实")
    d["review"] = FileReview.objects.create(file=file, year=TODAY.year)
    d["year"] = TODAY.year
    d["aid_programme"] = programme = Programme.objects.create(
        year=TODAY.year,
        kind=Programme.Kind.LIVING,
        name="生活救助",
        min_amount=Decimal("500"),
        max_amount=Decimal("8000"),
        opens_on=TODAY - 30 * DAY,
        closes_on=TODAY + 30 * DAY,
    )
    d["application"] = Application.objects.create(
        programme=programme,
        member=member_a,
        union=union_a,
        submitted_on=TODAY,
        submitted_by=chair_a,
        amount_requested=Decimal("3000"),
        reason="家庭困难",
        hardship_file=file,
    )
    # A member's own application from the phone (member A's, at chair A) and member B's, which member A must
    # not reach (tests/aid/test_member_applications.py).
    d["member_programme"] = relief = Programme.objects.create(
        year=TODAY.year,
        kind=Programme.Kind.TEMPORARY,
        name="职工临时救助",
        min_amount=Decimal("500"),
        max_amount=Decimal("5000"),
        opens_on=TODAY - 30 * DAY,
        closes_on=TODAY + 30 * DAY,
        on_file_only=False,
    )
    for key, owner in (("member_application", member_a), ("member_application_b", member_b)):
        d[key] = own = MemberApplication.objects.create(
            programme=relief,
            member=owner,
            union=owner.union,
            submitted_on=TODAY,
            amount_requested=Decimal("2000"),
            reason="家中遭遇火灾",
        )
        d[f"{key}_photo"] = MemberApplicationPhoto.objects.create(
            request=own, upload=ContentFile(JPEG, "photo.jpg")
        )
    d["member_b_twins"]["member_application"] = d["member_application_b"]
    d["member_b_twins_expected"].append("member_applications:detail")
    d["mutual_fund"] = mutual.create_fund(
        by=chair_a,
        enterprise=enterprise_a,
        name="甲公司互助基金",
        established_on=datetime.date(TODAY.year - 1, 3, 1),
    )
    mutual.record_contribution(
        by=chair_a, fund=d["mutual_fund"], kind="enterprise", on=TODAY, amount=Decimal("1000")
    )
    d["mutual_claim"] = mutual.propose_claim(
        by=chair_a, fund=d["mutual_fund"], member=member_a, on=TODAY, amount=Decimal("100"), note="医疗补助"
    )
    d["reversal_proposal"] = fund.propose_reversal(by=aid_staff, entry=d["fund_entry"], reason="重复入账")
    d["campaign"] = campaign = tickets.create_campaign(
        by=aid_staff,
        year=TODAY.year + 1,
        name="温暖回家",
        budget=Decimal("2000"),
        opens_on=TODAY - 5 * DAY,
        closes_on=TODAY + 20 * DAY,
        travel_from=TODAY + 30 * DAY,
        travel_until=TODAY + 60 * DAY,
        ticket_types=[("train", 3, Decimal("300"))],
    )
    d["ticket"] = TicketApplication.objects.create(
        campaign=campaign,
        ticket_type=campaign.ticket_types.get(),
        member=member_a,
        union=union_a,
        submitted_on=TODAY,
        submitted_by=chair_a,
        priority="other",
        destination="安徽省阜阳市",
        travel_on=TODAY + 35 * DAY,
    )
    d["school_request"] = school = SchoolPlaceRequest.objects.create(
        school_year=TODAY.year + 1,
        union=union_a,
        member=member_a,
        submitted_by=chair_a,
        child_name="王小宝",
        child_birth_date=datetime.date(TODAY.year - 5, 3, 15),
        child_sex="M",
        grade="p1",
        preferred_district="海洲街道",
        submitted_on=TODAY,
    )
    d["school_document"] = SchoolPlaceDocument.objects.create(
        request=school, kind="hukou", upload=ContentFile(PDF, "hukou.pdf")
    )
    d["enrolment_deadline"] = EnrolmentDeadline.objects.create(
        school_year=TODAY.year + 1, title="入学登记截止", due_on=TODAY + 60 * DAY
    )

    # --- grievances: a case about union A's enterprise ------------------------------------------------------
    d["case"] = case = make_case(
        enterprise=enterprise_a, complainant_name="王小明", complainant_phone="13812345678"
    )
    d["case_event"] = CaseEvent.objects.create(
        case=case, kind="note", at=timezone.now(), text="已电话联系", attachment=ContentFile(PDF, "note.pdf")
    )
    d["evidence"] = Evidence.objects.create(
        case=case, upload=ContentFile(PDF, "contract.pdf"), original_name="contract.pdf"
    )
    # The member area's complaints: member A's signed case (the ``mem`` column's), and member B's, which member A
    # must not reach (tests/grievances/test_member_complaints.py).
    d["member_case"] = make_case(
        enterprise=enterprise_a,
        member=member_a,
        complainant_name=member_a.name,
        complainant_phone="13812345678",
    )
    d["member_case_b"] = make_case(
        enterprise=enterprise_b,
        member=member_b,
        complainant_name=member_b.name,
        complainant_phone="13700001111",
    )
    d["member_b_twins"]["member_case"] = d["member_case_b"]
    d["member_b_twins_expected"].append("member_complaints:complaint_detail")

    # --- associations -----------------------------------------------------------------------------------------
    d["assoc"] = assoc_chair = make_user("assoc")
    d["association"] = association = Association.objects.create(
        name="职工摄影书法协会",
        kind="arts",
        chair=assoc_chair,
        founded_on=datetime.date(2015, 1, 1),
        is_matchmaking=True,
    )
    d["membership"] = AssociationMember.objects.create(association=association, member=member_a)
    start = timezone.now() + 10 * DAY
    d["activity"] = activity = Activity.objects.create(
        association=association,
        title="西湖摄影采风",
        kind="outing",
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=4),
        venue="西湖",
        capacity=20,
        signup_deadline=start - 2 * DAY,
    )
    d["signup"] = SignUp.objects.create(activity=activity, member=member_a, status="confirmed")
    d["showcase"] = showcase = Showcase.objects.create(
        year=TODAY.year, edition=5, title="第5届职工文化成果展演", held_on=TODAY, venue="区职工文化中心"
    )
    d["showcase_programme"] = ShowcaseProgramme.objects.create(
        showcase=showcase, order=1, title="歌伴舞", kind=ShowcaseProgramme.Kind.SINGING, performers=5
    )
    MatchProfile.objects.create(association=association, member=member_a, opted_in_on=TODAY)

    # --- perks: a partner merchant and union A's member's card -----------------------------------------------
    d["merchant"] = merchant = make_user("merchant")
    d["shop"] = shop = Merchant.objects.create(name="联华超市", category="supermarket")
    shop.staff.add(merchant)
    d["branch"] = Branch.objects.create(merchant=shop, name="海洲店", address="海洲街道1号")
    d["card_batch"] = cards.issue_cards(by=staff, union=union_a)
    d["card"] = member_a.cards.get()
    # The member area's card pages: a closed lost report of member A's on an earlier card (member A's card
    # above stays active for the counter rows), and member B's card and report, which member A must not reach.
    d["card_b"] = cards.issue_card(by=staff, member=member_b)
    for key, holder, login, sequence in (
        ("lost_report", member_a, d["member"], 99_000_001),
        ("lost_report_b", member_b, d["member_b_login"], 99_000_002),
    ):
        old = Card.objects.create(
            number=cards.card_number(sequence),
            member=holder,
            status=Card.Status.CANCELLED,
            issued_on=TODAY - 400 * DAY,
            status_changed_on=TODAY - 30 * DAY,
        )
        d[key] = LostCardReport.objects.create(
            card=old,
            reported_by=login,
            reported_at=timezone.now() - datetime.timedelta(days=31),
            status=LostCardReport.Status.CLOSED,
            resolved_on=TODAY - 30 * DAY,
        )

    # --- reports and rules ----------------------------------------------------------------------------------
    d["report"] = report = MonthlyReport.objects.create(
        month=datetime.date(TODAY.year - 1, 6, 1),
        union=union_a,
        status=MonthlyReport.Status.READY,
        requested_by=chair_a,
    )
    report.pdf.save("report.pdf", ContentFile(PDF))
    d["rule"] = rules_library.create_rule(
        number="HNZGH-CW-01",
        title="会费收缴管理办法",
        category="finance",
        text="第一条 会费按月缴纳。",
        effective_on=TODAY - 365 * DAY,
        by=staff,
    )
    # National Day: already there when the package calendar knows this year (loaded by a migration).
    d["calendar_day"], _ = CalendarDay.objects.get_or_create(
        date=datetime.date(TODAY.year, 10, 1), defaults={"kind": CalendarDay.Kind.HOLIDAY, "name": "国庆节"}
    )

    # --- dues: union A's upload ---------------------------------------------------------------------------------
    period = DuesPeriod.objects.create(
        union=union_a,
        kind="monthly",
        label="2026-10",
        start=datetime.date(2026, 10, 1),
        end=datetime.date(2026, 10, 31),
        due_date=datetime.date(2026, 11, 16),
    )
    d["dues_period"] = period
    d["dues_upload"] = DuesUpload.objects.create(
        union=union_a,
        period=period,
        file=ContentFile(b"x", "dues.csv"),
        original_name="dues.csv",
        sha256="0" * 64,
        size=1,
    )
    # A ledger import uploaded by organisation staff, checked and waiting for its commit.
    d["registry_import"] = RegistryImport.objects.create(
        file=ContentFile(b"x", "ledger.xlsx"),
        original_name="ledger.xlsx",
        size=1,
        uploaded_by=staff,
        status=RegistryImport.Status.VALID,
    )

    # --- honours: union A's nomination in an open round, and an honour --------------------------------------
    award = make_award(staff)
    d["award_type"] = award
    d["award_round"] = award_round = make_round(staff, award)
    d["honour_nomination"] = nomination = HonourNomination.objects.create(
        round=award_round,
        union=union_a,
        nominee_union=union_a,
        nominee_name=union_a.name,
        statement="好",
        submitted_by=chair_a,
    )
    d["nomination_evidence"] = NominationEvidence.objects.create(
        nomination=nomination, upload=ContentFile(PDF, "evidence.pdf")
    )
    d["honour"] = honour = Honour.objects.create(
        nomination=nomination, number="RY-2025-0001", issued_on=TODAY
    )
    honour.pdf.save("RY-2025-0001.pdf", ContentFile(PDF))
    d["honour_token"] = honour.token
    # A round whose public notice (公示) began two days ago: the notice page is open to anyone.
    d["noticed_round"] = make_round(
        staff, make_award(staff, name="职工书屋示范点"), opens_on=TODAY - 60 * DAY, closes_on=TODAY - 30 * DAY
    )
    AwardRound.objects.filter(pk=d["noticed_round"].pk).update(
        notice_starts_on=TODAY - 2 * DAY, notice_ends_on=TODAY + 5 * DAY
    )

    # --- workers' homes and areas ----------------------------------------------------------------------------
    WorkersHome.objects.create(union=union_a)
    d["checklist_item"] = ChecklistItem.objects.create(category="facilities", title="职工书屋", max_points=5)
    inspection = HomeInspection.objects.create(
        union=union_a,
        kind="reinspection",
        visited_on=TODAY,
        inspectors="周晓红",
        findings="好",
        level_after=1,
    )
    d["home_photo"] = InspectionPhoto.objects.create(
        inspection=inspection, image=ContentFile(JPEG, "home.jpg")
    )
    d["area"] = area = Area.objects.create(name="东片")
    union_a.area = area
    union_a.save(update_fields=["area"])
    # --- member B's twins of member A's objects (the member pages' walk) ------------------------------------------
    other_club = Association.objects.create(
        name="职工球类协会", kind="sports", chair=make_user("assoc_b"), founded_on=datetime.date(2016, 1, 1)
    )
    AssociationMember.objects.create(
        association=other_club, member=member_b, status=AssociationMember.Status.ACTIVE
    )
    start = timezone.now() + 12 * DAY
    members_only = Activity.objects.create(
        association=other_club,
        title="羽毛球友谊赛",
        kind="contest",
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=3),
        venue="体育馆",
        capacity=10,
        signup_deadline=start - 2 * DAY,
    )
    d["member_b_twins"].update(
        card=d["card_b"],
        lost_report=d["lost_report_b"],
        activity=members_only,
        signup=SignUp.objects.create(activity=members_only, member=member_b, status="confirmed"),
    )
    d["member_b_twins_expected"] += [
        "member_card:report_lost",
        "member_card:report",
        "member_activities:detail",
        "member_activities:signup",
        "member_activities:cancel",
    ]
    # --- meetings (三部一室): a meeting held a month ago, attended by the cadre, who owns one of its tasks ---------
    held_on = workdays.previous_working_day(TODAY - 20 * DAY)
    d["meeting"] = meeting = meeting_services.plan_meeting(
        by=staff,
        date=held_on,
        place="区总工会三楼会议室",
        host=staff,
        recorder=staff,
        attendees=[staff, cadre],
        agenda=["经费收缴情况"],
    )
    meeting_services.record_minutes(by=staff, meeting=meeting, summary="会议纪要", minutes={})
    d["meeting_task"] = meeting_services.add_decision(
        by=staff,
        meeting=meeting,
        title="上挂干部值班表公布",
        owner=cadre,
        department="organisation",
        due_on=workdays.next_working_day(TODAY + 7 * DAY),
    )
    # --- audits: union A's audit this year, with a finding answered by chair A (evidence on both sides) ---------
    d["audit"] = audit = Audit.objects.create(
        plan=AuditPlan.objects.create(year=TODAY.year), union=union_a, reasons=["rotation"], state="fieldwork"
    )
    audit_finding = Finding.objects.create(
        audit=audit,
        category="approvals",
        severity="minor",
        description="支出缺少审批签字。",
        amount_involved=Decimal("1000.00"),
        recorded_on=TODAY,
    )
    d["audit_finding"] = audit_finding
    d["audit_rectification"] = audit_rectification = Rectification.objects.create(
        finding=audit_finding, deadline=TODAY + 20 * DAY, state="responded", response="已补签。"
    )
    d["audit_finding_evidence"] = FindingEvidence.objects.create(
        finding=audit_finding, file=ContentFile(PDF, "evidence.pdf")
    )
    d["audit_rectification_evidence"] = RectificationEvidence.objects.create(
        rectification=audit_rectification, file=ContentFile(PDF, "answer.pdf")
    )
    # --- news (信息宣传): union A's published item, with a photo and a channel ----------------------------------
    d["news_item"] = news_item = NewsItem.objects.create(
        title="甲公司技能比武",
        text="正文",
        category="contest",
        union=union_a,
        author=chair_a,
        status=NewsItem.Status.PUBLISHED,
        published_at=timezone.now(),
    )
    d["news_photo"] = NewsPhoto.objects.create(item=news_item, image=ContentFile(JPEG, "news.jpg"))
    d["news_channel"] = NewsChannel.objects.create(item=news_item, outlet="city_site", published_on=TODAY)
    # --- jobs (就业帮助): union A's open vacancy, approved by the casework staff, a worker referred by the cadre ---
    d["vacancy"] = vacancy = job_services.approve_vacancy(
        vacancy=job_services.post_vacancy(
            by=chair_a,
            data=job_services.VacancyData(
                enterprise=enterprise_a,
                title="数控车床操作工",
                trade="cnc",
                openings=3,
                wage_min=Decimal("6000"),
                wage_max=Decimal("8500"),
                requirements="能看懂图纸",
                contact_name="王经理",
                contact_phone="13812349876",
            ),
        ),
        by=d["casework"],
    )
    d["referral"] = job_services.refer_worker(
        by=cadre, vacancy=vacancy, worker_name="刘小军", worker_phone="13700002222"
    )
    # --- skills contests (技能比武): a contest being judged, organised by the cadre (union A), who judges it with the
    # staff (no union); member A and member B entered. A second contest published, with member A's certificate. ---
    day = TODAY + 5 * DAY
    contest_fields = {
        "trade": "electrician",
        "accepted_trades": ["electrician"],
        "venue": "区职业技能实训基地",
        "starts_on": day,
        "ends_on": day,
        "final_on": day,
        "entry_opens_on": TODAY - 10 * DAY,
        "entry_closes_on": TODAY,
        "default_quota": 2,
        "theory_weight": Decimal(30),
        "practical_weight": Decimal(70),
        "tie_break": "practical",
        "first_prizes": 1,
        "second_prizes": 1,
        "third_prizes": 1,
        "merit_prizes": 0,
        "organising_cadres": [term],
    }
    sheet = [
        {"part": "theory", "title": "理论", "max_points": 100},
        {"part": "practical", "title": "实操", "max_points": 100},
    ]
    built = {}
    for key, title in (("contest", "电工技能比武"), ("contest_published", "焊工技能比武")):
        contest = contest_services.save_contest(by=staff, title=title, **contest_fields)
        contest_services.save_sheet(by=staff, contest=contest, items=sheet)
        contest_services.open_entry(by=staff, contest=contest)
        entry_a = contest_services.enter(
            by=chair_a, contest=contest, member=member_a, declared_trade="electrician", on=TODAY - DAY
        )
        entry_b = contest_services.enter(
            by=chair_b, contest=contest, member=member_b, declared_trade="electrician", on=TODAY - DAY
        )
        judge = contest_services.add_judge(by=staff, contest=contest, user=cadre)
        contest_services.add_judge(by=staff, contest=contest, user=staff, derive=False)
        contest_services.close_entry(by=staff, contest=contest)
        built[key] = (contest, entry_a, entry_b, judge)
    d["contest"], d["contest_entry"], d["contest_entry_b"], d["contest_judge"] = built["contest"]
    d["contest_round"] = d["contest"].rounds.get(kind="final")
    published, entry_a, entry_b, _judge = built["contest_published"]
    items = list(published.items.all())
    for entry, marks in ((entry_a, (90, 95)), (entry_b, (80, 85))):
        contest_services.score_entry(by=staff, entry=entry, points=dict(zip(items, marks, strict=True)))
    d["contest_published"] = contest_services.publish_results(by=staff, contest=published, on=TODAY)
    d["contest_certificate"] = certificate = published.entries.get(pk=entry_a.pk).certificate
    d["contest_certificate_token"] = certificate.token
    # --- honours (issue 24): a team of union A's enterprise, and a federation award with a public document ----
    d["team"] = team = Team.objects.create(enterprise=enterprise_a, name="装配车间一班", leader=member_a)
    team.members.add(member_a)
    d["federation_award"] = federation_award = FederationAward.objects.create(
        title="海宁市工会工作目标管理考核",
        year=2025,
        level="city",
        awarding_body="海宁市总工会",
        result="特等奖",
    )
    d["federation_document"] = FederationAwardDocument.objects.create(
        award=federation_award, file=ContentFile(PDF, "certificate.pdf"), title="证书", public=True
    )
    # --- tutoring (托教辅导班): union A's running class with member A's child, and member B's twins ------------
    add_tutoring(d)
    return d
