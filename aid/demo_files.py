"""Hardship files in the demo district: four years of minimum-living standards and about ninety
households across the unions — most on file for a year or more (visited, posted, approved, some
reviewed), some that left hardship, a few withdrawn or cancelled, three applying now, three under
public notice today (one with an objection to look into) and one approved last month through the
real workflow. Documents are small generated placeholders. Called by ``aid.demo.seed_aid``.

The historical files are bulk-inserted (the workflow is exercised by the current ones and by the
tests); the current ones go through ``aid.services.files`` so that their audit trail and notices are real."""

import datetime
import struct
import zlib
from decimal import Decimal

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from members.models import Member
from unionhub.dates import months_after
from unionhub.workdays import working_days

from .models import (
    FileReview,
    HardshipDocument,
    HardshipFile,
    HouseholdMember,
    LivingStandard,
    NoticeObjection,
)
from .services import files

STANDARDS = (Decimal("1060"), Decimal("1095"), Decimal("1140"), Decimal("1180"))  # oldest year first
ON_FILE, LEFT, CLOSED, CURRENT = 68, 12, 4, 7
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超霞平刚华国红梅兰春燕浩宇欣怡子涵梓轩"
SITUATIONS = {
    "illness": [
        "妻子确诊乳腺癌，正在化疗，每月自费药费约三千元，家庭积蓄已用尽。",
        "本人患糖尿病并发肾病，需长期透析，只能从事轻体力工作，收入下降。",
        "父亲脑梗后卧床，需专人护理，配偶辞职照顾，家庭仅靠本人工资维持。",
        "儿子患白血病，在省儿童医院治疗，已借外债十余万元。",
    ],
    "disability": [
        "本人肢体二级残疾，在企业从事辅助岗位，收入较低。",
        "女儿智力残疾，需长期康复训练，配偶无固定收入。",
    ],
    "education": [
        "两个孩子分别读大学和高中，学费生活费负担重，配偶务农收入微薄。",
        "孩子考入外省大学，学费及住宿费每年约一万二千元，家庭无力承担。",
    ],
    "disaster": ["老家房屋在台风中倒塌，正在重建，家庭负债较多。"],
    "unemployment": [
        "配偶所在企业停产，失业半年未能再就业，家庭收入骤减。",
        "本人因企业转型下岗后再就业，工资较低，需赡养两位老人。",
    ],
    "accident": [
        "本人下班途中遭遇交通事故，肇事方无力赔偿，康复期间收入减少。",
        "配偶工伤致残，丧失劳动能力，工伤赔偿不足以覆盖后续治疗。",
    ],
}
CAUSE_WEIGHTS = {
    "illness": 45,
    "disability": 12,
    "education": 18,
    "disaster": 4,
    "unemployment": 15,
    "accident": 6,
}
RELATIVES = [("配偶", 30, 55), ("儿子", 6, 24), ("女儿", 6, 24), ("父亲", 60, 85), ("母亲", 58, 85)]
OCCUPATIONS = {
    "配偶": ["务农", "无业", "保洁员", "个体经营", "超市营业员"],
    "儿子": ["学生"],
    "女儿": ["学生"],
    "父亲": ["务农", "无"],
    "母亲": ["务农", "无"],
}
HEALTH = ["健康", "健康", "健康", "高血压", "慢性病", "尿毒症", "肢体残疾", "癌症术后"]
LEAVING = [
    "子女毕业参加工作，家庭收入明显提高",
    "配偶重新就业，人均收入超过低保标准两倍",
    "病情稳定，医疗支出大幅减少",
]
OBJECTION = "有职工反映该户家庭在老家另有商铺出租，租金收入未申报。"


def _pdf(title: str) -> bytes:
    """A one-page PDF naming the placeholder (ASCII: the core fonts have no Chinese glyphs)."""
    stream = f"BT /F1 14 Tf 72 760 Td ({title}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for n, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (n, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def _png() -> bytes:
    """A 16 × 16 grey square."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    rows = b"".join(b"\x00" + b"\xc8" * 16 for _ in range(16))
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", 16, 16, 8, 0, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


PNG = _png()


def _document(label: str, kind: str) -> tuple[str, ContentFile]:
    if kind == HardshipDocument.Kind.HOUSEHOLD_REGISTER:
        return kind, ContentFile(PNG, name=f"{kind}.png")
    return kind, ContentFile(_pdf(f"{label} {kind} (demo placeholder)"), name=f"{kind}.pdf")


def _household(rng, surname: str, causes: list[str]) -> list[dict]:
    people = []
    for relation, youngest, oldest in rng.sample(RELATIVES, rng.choice([1, 2, 2, 3, 3, 4])):
        name = (
            surname if relation in ("儿子", "女儿") else rng.choice("王李张刘陈杨黄赵吴周徐孙")
        ) + "".join(rng.sample(GIVEN, rng.choice([1, 2])))
        health = (
            "尿毒症"
            if relation == "配偶" and "illness" in causes and rng.random() < 0.5
            else rng.choice(HEALTH)
        )
        income = (
            Decimal(0) if relation in ("儿子", "女儿") else Decimal(rng.choice([0, 0, 600, 1200, 1800, 2400]))
        )
        people.append(
            {
                "name": name,
                "relation": relation,
                "age": rng.randint(youngest, oldest),
                "occupation": rng.choice(OCCUPATIONS[relation]),
                "monthly_income": income,
                "health": health,
            }
        )
    return people


def _figures(rng, size: int, standard: Decimal, causes: list[str]) -> tuple[Decimal, Decimal]:
    """Income and hardship expenses that put most households in deep or relative hardship."""
    expenses = (
        Decimal(rng.choice([0, 800, 1500, 2500, 3500]))
        if {"illness", "education", "disability"} & set(causes)
        else Decimal(0)
    )
    per_capita = standard * Decimal(rng.uniform(0.55, 1.95)).quantize(Decimal("0.01"))
    return (per_capita * size + expenses).quantize(Decimal("10")), expenses


def _causes(rng) -> list[str]:
    first = rng.choices(list(CAUSE_WEIGHTS), weights=list(CAUSE_WEIGHTS.values()))[0]
    extra = "education" if first != "education" and rng.random() < 0.25 else None
    return [first, extra] if extra else [first]


def seed_files(*, rng, today: datetime.date, unions, staff) -> None:
    years = range(today.year - len(STANDARDS) + 1, today.year + 1)
    standards = dict(zip(years, STANDARDS, strict=True))
    LivingStandard.objects.bulk_create(
        [
            LivingStandard(year=year, monthly_amount=amount, note=f"海宁市民政局{year}年度低保标准")
            for year, amount in standards.items()
        ]
    )
    chairs = {u.pk: u.chair for u in unions}
    candidates = list(
        Member.objects.active()
        .filter(union_id__in=chairs, joined_on__lte=months_after(today, -36))
        .values_list("pk", "union_id", "name")
        .order_by("pk")
    )
    # A small demo (the seed's tests use a few hundred members) gets fewer historical files.
    chosen = rng.sample(candidates, min(len(candidates), ON_FILE + LEFT + CLOSED + CURRENT))
    historical, current = chosen[:-CURRENT], chosen[-CURRENT:]
    _seed_history(rng, today, historical, chairs, standards, staff)
    _seed_current(rng, today, current, chairs, staff)


def _seed_history(rng, today, members, chairs, standards, staff) -> None:
    files_and_households = []
    for n, (member_pk, union_pk, name) in enumerate(members):
        submitted = today - datetime.timedelta(days=rng.randint(120, 1150))
        if submitted.year not in standards:
            submitted = datetime.date(min(standards), 3, 1) + datetime.timedelta(days=rng.randint(0, 200))
        causes = _causes(rng)
        household = _household(rng, name[0], causes)
        size, standard = 1 + len(household), standards[submitted.year]
        income, expenses = _figures(rng, size, standard, causes)
        category, _per_capita = files.categorise(
            household_income=income, hardship_expenses=expenses, household_size=size, standard=standard
        )
        reason = ""
        if "accident" in causes or category == HardshipFile.Category.NONE:
            category, reason = (
                HardshipFile.Category.ACCIDENT,
                "经入户核实，因意外事故致家庭收入锐减、支出剧增，按意外致困认定",
            )
        file = HardshipFile(
            member_id=member_pk,
            union_id=union_pk,
            submitted_by=chairs[union_pk],
            submitted_on=submitted,
            causes=causes,
            situation=" ".join(rng.choice(SITUATIONS[c]) for c in causes),
            household_income=income,
            hardship_expenses=expenses,
            household_size=size,
            living_standard=standard,
            category=category,
            category_reason=reason,
        )
        if n >= ON_FILE + LEFT + CLOSED // 2:  # withdrawn by the chair before the visit
            file.status, file.closed_on = (
                HardshipFile.Status.WITHDRAWN,
                submitted + datetime.timedelta(days=9),
            )
        else:
            file.status = (
                HardshipFile.Status.ACTIVE
                if n < ON_FILE
                else (HardshipFile.Status.LEFT if n < ON_FILE + LEFT else HardshipFile.Status.CANCELLED)
            )
            file.visited_on = submitted + datetime.timedelta(days=rng.randint(5, 20))
            file.visitors = f"{staff.name}、{chairs[union_pk].name}"
            file.visit_findings = rng.choice(
                [
                    "入户核实，住房条件简陋，家庭情况与申报一致。",
                    "走访邻居及村委会，情况属实。",
                    "查看医疗票据原件，支出情况属实。",
                ]
            )
            file.notice_start, file.notice_end = files.notice_period(
                file.visited_on + datetime.timedelta(days=rng.randint(2, 10))
            )
            file.approved_by, file.approved_on = (
                staff,
                file.notice_end + datetime.timedelta(days=rng.randint(1, 6)),
            )
            file.next_review_on = months_after(file.approved_on, 12)
        files_and_households.append((file, household))
    # Numbered in submission order, as the office would have.
    files_and_households.sort(key=lambda pair: pair[0].submitted_on)
    counters = dict.fromkeys(standards, 0)
    for file, _people in files_and_households:
        counters[file.submitted_on.year] += 1
        file.number = f"KN{file.submitted_on.year}-{counters[file.submitted_on.year]:04d}"
    created = HardshipFile.objects.bulk_create([file for file, _people in files_and_households])
    HouseholdMember.objects.bulk_create(
        [
            HouseholdMember(file=file, **person)
            for file, household in files_and_households
            for person in household
        ]
    )
    _store_documents(created)
    _review_history(rng, today, [f for f in created if f.approved_on], staff)
    # One household on file was objected to during its notice; staff looked into it.
    on_file = next(f for f in created if f.status == HardshipFile.Status.ACTIVE)
    NoticeObjection.objects.create(
        file=on_file,
        received_on=on_file.notice_start,
        content=OBJECTION,
        recorded_by=staff,
        upheld=False,
        resolution="经入户及向村委会核实，商铺系其兄弟所有，与该户无关，异议不成立。",
    )


def _store_documents(created) -> None:
    documents = []
    for file in created:
        for kind in files.required_documents(file.causes):
            kind, content = _document(file.number, kind)
            document = HardshipDocument(file=file, kind=kind, uploaded_by=file.submitted_by)
            document.upload.name = default_storage.save(f"hardship/{file.number}/{content.name}", content)
            documents.append(document)
    HardshipDocument.objects.bulk_create(documents)


def _review_history(rng, today, created, staff) -> None:
    """Yearly reviews already held: files stay on record, or left hardship or were cancelled at a
    review. Reviews falling in the current year are left to the staff's review list."""
    reviews, changed = [], []
    for file in created:
        final = file.status
        file.status = HardshipFile.Status.ACTIVE
        while file.status == HardshipFile.Status.ACTIVE and file.next_review_on.year < today.year:
            review_on = file.next_review_on
            outcome = "continue"
            if final != HardshipFile.Status.ACTIVE and (
                months_after(review_on, 12).year >= today.year or rng.random() < 0.5
            ):
                outcome = "left" if final == HardshipFile.Status.LEFT else "cancelled"
            reviews.append(
                FileReview(
                    file=file,
                    year=review_on.year,
                    spot_check=rng.random() < 0.3,
                    reviewed_on=review_on,
                    outcome=outcome,
                    reviewed_by=staff,
                    notes=""
                    if outcome == "continue"
                    else (rng.choice(LEAVING) if outcome == "left" else "复核发现家庭收入超过认定标准"),
                )
            )
            if outcome == "continue":
                file.next_review_on = months_after(review_on, 12)
            else:
                file.status, file.closed_on = final, review_on
                file.closing_reason = reviews[-1].notes
        if file.status != final:  # closed between reviews
            file.status, file.closed_on = final, min(today, file.approved_on + datetime.timedelta(days=200))
            file.closing_reason = (
                rng.choice(LEAVING) if final == HardshipFile.Status.LEFT else "职工调离本区，档案注销"
            )
        changed.append(file)
    FileReview.objects.bulk_create(reviews)
    HardshipFile.objects.bulk_update(changed, ["status", "next_review_on", "closed_on", "closing_reason"])


def _seed_current(rng, today, members, chairs, staff) -> None:
    """``CURRENT`` households through the real workflow: approved last month, three under notice today
    (one objection awaiting resolution), three applying (one visited, waiting for its notice)."""
    standard = LivingStandard.objects.get(year=today.year).monthly_amount
    submitted_days = [
        rng.randint(40, 50),
        *sorted((rng.randint(12, 25) for _ in range(4)), reverse=True),
        5,
        2,
    ]
    made = []
    for (member_pk, union_pk, _name), days_ago in zip(members, submitted_days, strict=True):
        member = Member.objects.select_related("union").get(pk=member_pk)
        causes = _causes(rng)
        household = _household(rng, member.name[0], causes)
        size = 1 + len(household)
        income, expenses = _figures(rng, size, standard, causes)
        income = min(income, standard * size + expenses)  # deep hardship: all of them can go to notice
        made.append(
            files.submit_file(
                by=chairs[union_pk],
                member=member,
                causes=causes,
                household=household,
                situation=" ".join(rng.choice(SITUATIONS[c]) for c in causes),
                household_income=income,
                hardship_expenses=expenses,
                on=today - datetime.timedelta(days=days_ago),
                documents=[_document(member.union.code, kind) for kind in files.required_documents(causes)],
            )
        )
    approved, *noticed = made[:4]
    for file in made[:5]:
        files.record_visit(
            by=staff,
            file=file,
            visited_on=file.submitted_on + datetime.timedelta(days=2),
            visitors=f"{staff.name}、{chairs[file.union_id].name}",
            findings="入户核实，家庭情况与申报材料一致。",
        )
    approved = files.start_notice(
        by=staff, file=approved, start=approved.submitted_on + datetime.timedelta(days=5)
    )
    files.approve(by=staff, file=approved, on=min(today, approved.notice_end + datetime.timedelta(days=2)))
    # Started on the last three working days, so all three are under notice today.
    recent = list(working_days(today - datetime.timedelta(days=20), today))[-3:]
    noticed = [
        files.start_notice(by=staff, file=file, start=start)
        for file, start in zip(noticed, recent, strict=True)
    ]
    files.record_objection(by=staff, file=noticed[0], received_on=noticed[0].notice_start, content=OBJECTION)
