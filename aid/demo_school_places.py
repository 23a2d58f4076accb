"""School places for migrant workers' children in the demo district.

- The enrolment calendar of the coming school year and the one after it: registration closing in
  early May, the document check in June, the placement lists in July.
- The previous school year: 175 requests from unions with migrant workers, 160 of them placed (the
  federation's record: "helped 160 migrant workers' children find a school place"), the rest not
  placed, with the bureau's reason, or withdrawn.
- The coming school year: requests in every status, three of them from the first union (the demo
  chair ``chair1``); each carries its documents (small placeholder files written to the media
  storage).

The coming school year is the one starting this September, or next September from September on.
Children's birth dates fit their grades and their parents' ages; parents are migrant-worker members
where a union has any. Bulk-inserted like the rest of the demo (fixture data: no audit records)."""

import datetime
from collections import defaultdict

from django.core.files.base import ContentFile

from members.models import Member

from .models import EnrolmentDeadline, SchoolGrade, SchoolPlaceDocument, SchoolPlaceRequest
from .services.school_places import ENTRY_AGE, OLDER_BY_AT_MOST, birth_dates_for, coming_school_year

Status = SchoolPlaceRequest.Status
DEADLINES = [("入学登记截止", 5, 8, 14), ("材料审核截止", 6, 12, 7), ("录取名单公布", 7, 15, 7)]
PREVIOUS = {Status.PLACED: 160, Status.NOT_PLACED: 10, Status.WITHDRAWN: 5}
CURRENT = {
    Status.SUBMITTED: 14,
    Status.CHECKED: 9,
    Status.SENT: 8,
    Status.PLACED: 6,
    Status.NOT_PLACED: 2,
    Status.WITHDRAWN: 3,
}
CHAIR1_STATUSES = (Status.SUBMITTED, Status.CHECKED, Status.SENT)
GRADE_WEIGHTS = {
    SchoolGrade.KINDERGARTEN_1: 24,
    SchoolGrade.KINDERGARTEN_2: 3,
    SchoolGrade.KINDERGARTEN_3: 3,
    SchoolGrade.PRIMARY_1: 30,
    SchoolGrade.PRIMARY_2: 5,
    SchoolGrade.PRIMARY_3: 4,
    SchoolGrade.PRIMARY_4: 4,
    SchoolGrade.PRIMARY_5: 3,
    SchoolGrade.PRIMARY_6: 2,
    SchoolGrade.JUNIOR_1: 18,
    SchoolGrade.JUNIOR_2: 3,
    SchoolGrade.JUNIOR_3: 1,
}
SCHOOLS = {
    "k": [
        "海宁市机关幼儿园",
        "海宁市实验幼儿园",
        "海宁市新苑幼儿园",
        "海宁市南苑幼儿园",
        "海宁市长安镇中心幼儿园",
        "海宁市许村镇中心幼儿园",
        "海宁市马桥幼儿园",
    ],
    "p": [
        "海宁市实验小学",
        "海宁市南苑小学",
        "海宁市紫微小学",
        "海宁市桃园小学",
        "海宁市文苑小学",
        "海宁市西山小学",
        "海宁市长安镇中心小学",
        "海宁市许村镇中心小学",
        "海宁市马桥中心小学",
        "海宁市新仓小学",
    ],
    "j": [
        "海宁市第一初级中学",
        "海宁市第二初级中学",
        "海宁市南苑中学",
        "海宁市紫微初级中学",
        "海宁市长安镇中学",
        "海宁市许村中学",
    ],
}
DISTRICTS = [
    "海洲街道",
    "硖石街道",
    "海昌街道",
    "马桥街道",
    "许村镇",
    "长安镇",
    "周王庙镇",
    "斜桥镇",
    "盐官镇",
    "袁花镇",
]
NOT_PLACED = [
    "所选学区学位已满，建议改报其他学区学校",
    "居住证办理不满一年，未达到随迁子女入学积分要求",
    "社保缴纳月数不足十二个月，暂不符合入学条件",
    "材料审核未通过：户籍证明与出生医学证明信息不一致",
]
WITHDRAWN = ["家长决定让孩子回户籍地就读", "家长已自行联系民办学校", "职工已离职，随家庭迁往外地"]
CHILD_GIVEN = "子涵梓轩一诺欣怡浩宇雨桐俊熙诗涵宇轩梓萱沐阳若汐依诺子墨思远可馨嘉懿锦程语桐皓轩"
PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


def seed_school_places(*, rng, unions, staff, today: datetime.date) -> None:
    coming = coming_school_year(today)
    EnrolmentDeadline.objects.bulk_create(
        [
            EnrolmentDeadline(
                school_year=year,
                title=title,
                due_on=datetime.date(year, month, day),
                remind_days_before=remind,
            )
            for year in (coming, coming + 1)
            for title, month, day, remind in DEADLINES
        ]
    )
    chairs = {u.pk: u.chair_id for u in unions}
    parents = _parents(chairs)
    if not parents:
        return
    names: dict[tuple[int, int], set[str]] = defaultdict(set)
    previous = [
        _request(rng, parents, names, chairs, coming - 1, status, today, history=True)
        for status, n in PREVIOUS.items()
        for _ in range(n)
    ]
    first_union = [p for p in parents if p[1] == unions[0].pk] or _parents({unions[0].pk: unions[0].chair_id})
    current = [
        _request(rng, first_union, names, chairs, coming, status, today, history=False)
        for status in (CHAIR1_STATUSES if first_union else ())
    ]
    current += [
        _request(rng, parents, names, chairs, coming, status, today, history=False)
        for status, n in CURRENT.items()
        for _ in range(n)
    ]
    SchoolPlaceRequest.objects.bulk_create([r for r in previous + current if r is not None], batch_size=500)
    _documents([r for r in current if r is not None], chairs)


def _parents(chairs: dict[int, int]) -> list[tuple[int, int, str, datetime.date]]:
    """Active members who are migrant workers, in unions with a chair; every active member of those
    unions where none is a migrant worker (a small demo roster)."""
    active = Member.objects.active().filter(union_id__in=[pk for pk, chair in chairs.items() if chair])
    fields = ("pk", "union_id", "name", "birth_date")
    migrants = list(active.filter(is_migrant_worker=True).order_by("pk").values_list(*fields))
    return migrants or list(active.order_by("pk").values_list(*fields))


def _grade_for(rng, parent_birth: datetime.date, year: int) -> str | None:
    """A grade whose children a parent of this age could have (the parent 20 to 45 at the birth)."""
    parent_age = year - parent_birth.year
    fitting = {
        grade: weight
        for grade, weight in GRADE_WEIGHTS.items()
        if parent_age - 45 <= ENTRY_AGE[grade] and ENTRY_AGE[grade] + OLDER_BY_AT_MOST <= parent_age - 20
    }
    if not fitting:
        return None
    return rng.choices(list(fitting), weights=list(fitting.values()))[0]


def _birth_date(rng, grade: str, year: int, parent_birth: datetime.date) -> datetime.date:
    """Mostly of the grade's entry age, sometimes a year older; never before the parent turned 20."""
    earliest, latest = birth_dates_for(grade, year)
    start = max(
        latest.replace(year=latest.year - (1 if rng.random() < 0.85 else 2)) + datetime.timedelta(days=1),
        earliest,
        datetime.date(parent_birth.year + 20, 1, 1),
    )
    return start + datetime.timedelta(days=rng.randrange(max((latest - start).days, 0) + 1))


def _request(rng, parents, names, chairs, year: int, status: str, today: datetime.date, *, history: bool):
    for _attempt in range(30):
        member_pk, union_pk, parent_name, parent_birth = rng.choice(parents)
        grade = _grade_for(rng, parent_birth, year)
        if grade is None:
            continue
        taken = names[(member_pk, year)]
        child_name = parent_name[0] + rng.choice(
            [c for c in _given_names() if parent_name[0] + c not in taken]
        )
        taken.add(child_name)
        break
    else:
        return None
    birth = _birth_date(rng, grade, year, parent_birth)
    permit = rng.random() < 0.9
    request = SchoolPlaceRequest(
        school_year=year,
        union_id=union_pk,
        member_id=member_pk,
        child_name=child_name,
        child_birth_date=birth,
        child_sex=rng.choice(SchoolPlaceRequest.Sex.values),
        grade=grade,
        has_residence_permit=permit,
        social_insurance_months=rng.choice([6, 12, 18, 24, 36, 48, 60, 84, 120]),
        preferred_district=rng.choice(DISTRICTS),
        status=status,
        submitted_by_id=chairs[union_pk],
        submitted_on=today,
    )
    _dates(rng, request, today, history=history)
    if permit:
        request.residence_permit_since = request.submitted_on - datetime.timedelta(
            days=rng.randint(200, 2200)
        )
    if status == Status.PLACED:
        request.school = rng.choice(SCHOOLS[grade[0]])
    elif status == Status.NOT_PLACED:
        request.outcome_reason = rng.choice(NOT_PLACED)
    elif status == Status.WITHDRAWN:
        request.outcome_reason = rng.choice(WITHDRAWN)
    return request


def _given_names() -> list[str]:
    return [CHILD_GIVEN[i : i + 2] for i in range(0, len(CHILD_GIVEN), 2)]


def _dates(rng, r: SchoolPlaceRequest, today: datetime.date, *, history: bool) -> None:
    """The dates of each step. Last year's requests ran March to August; this year's steps are
    counted back from today, so that none lies in the future."""
    days = datetime.timedelta
    if history:
        r.submitted_on = datetime.date(r.school_year, 3, 1) + days(rng.randint(0, 75))
        r.checked_on = r.submitted_on + days(rng.randint(3, 15))
        r.sent_on = r.checked_on + days(rng.randint(5, 20))
        if r.status == Status.WITHDRAWN:
            r.sent_on, r.decided_on = None, r.checked_on + days(rng.randint(1, 10))
            if rng.random() < 0.5:
                r.checked_on = None
        else:
            r.decided_on = datetime.date(r.school_year, 7, 10) + days(rng.randint(0, 40))
        return
    last = today - days(rng.randint(0, 12))
    steps = {
        Status.SUBMITTED: 0,
        Status.CHECKED: 1,
        Status.WITHDRAWN: 1,
        Status.SENT: 2,
        Status.PLACED: 3,
        Status.NOT_PLACED: 3,
    }[r.status]
    if r.status in (Status.PLACED, Status.NOT_PLACED, Status.WITHDRAWN):
        r.decided_on, last = last, last - days(rng.randint(5, 20))
    if steps >= 2:
        r.sent_on, last = last, last - days(rng.randint(3, 15))
    if steps >= 1 and (r.status != Status.WITHDRAWN or rng.random() < 0.5):
        r.checked_on, last = last, last - days(rng.randint(2, 10))
    r.submitted_on = last


def _documents(requests: list[SchoolPlaceRequest], chairs: dict[int, int]) -> None:
    """The required documents (and sometimes proof of employment) of the coming year's requests."""
    rows = []
    for n, request in enumerate(requests):
        kinds = [
            *SchoolPlaceDocument.REQUIRED,
            *([SchoolPlaceDocument.Kind.EMPLOYMENT] if n % 3 == 0 else []),
        ]
        for kind in kinds:
            document = SchoolPlaceDocument(
                request=request, kind=kind, uploaded_by_id=chairs[request.union_id]
            )
            document.upload.save(f"{kind}.pdf", ContentFile(PDF), save=False)
            rows.append(document)
    SchoolPlaceDocument.objects.bulk_create(rows, batch_size=500)
