"""Job-finding help (就业帮助): the vacancy's states and the casework duty that approves them, expiry by date
(the day before, on and after ``expires_on``), the public page (only published fields, only open vacancies,
hostile params, pinned queries), referrals and their outcome moves (every refused move writes nothing),
the link to a grievance case (grievances' own access rules), outsiders, bad input, the figures' arithmetic,
the export and the to-do sources."""

import datetime
import io
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.urls import reverse
from openpyxl import load_workbook

from jobs import services
from jobs.dashboard import jobs_casework_todo, jobs_chair_todo, jobs_figures, jobs_help
from jobs.models import Referral, Vacancy
from members.models import Area
from tests.factories import DAY, TODAY, make_case
from unionhub.contributions import Scope

pytestmark = pytest.mark.django_db


def data(enterprise, **overrides) -> services.VacancyData:
    values = {
        "enterprise": enterprise,
        "title": "数控车床操作工",
        "trade": "cnc",
        "openings": 3,
        "wage_min": Decimal("6000"),
        "wage_max": Decimal("8500"),
        "requirements": "能看懂图纸，两班倒。",
        "contact_name": "王经理",
        "contact_phone": "13812349876",
    }
    values.update(overrides)
    return services.VacancyData(**values)


@pytest.fixture
def post(chair_a, enterprise_a):
    def _post(by=None, **overrides):
        return services.post_vacancy(by=by or chair_a, data=data(enterprise_a, **overrides))

    return _post


@pytest.fixture
def open_vacancy(post, casework_staff):
    return services.approve_vacancy(vacancy=post(), by=casework_staff)


def refer(by, vacancy, *, name="刘小军", phone="13700002222", **extra):
    return services.refer_worker(by=by, vacancy=vacancy, worker_name=name, worker_phone=phone, **extra)


def snapshot():
    return (
        list(Vacancy.objects.order_by("pk").values()),
        list(Referral.objects.order_by("pk").values()),
    )


# --- vacancy states and the approval duty ------------------------------------------------------------------


def test_a_chair_posts_and_casework_staff_approve(post, casework_staff):
    vacancy = post(run_days=45)
    assert vacancy.status == Vacancy.Status.SUBMITTED and vacancy.union.code == "HN001"
    services.approve_vacancy(vacancy=vacancy, by=casework_staff)
    vacancy.refresh_from_db()
    assert vacancy.status == Vacancy.Status.APPROVED
    assert vacancy.approved_on == TODAY and vacancy.expires_on == TODAY + 45 * DAY
    assert vacancy.is_open_on(TODAY)


@pytest.mark.parametrize(
    "who", ["staff", "finance_staff", "aid_staff", "chair_a", "chair_b", "cadre", "outsider"]
)
def test_every_other_role_is_refused_approving_and_returning(request, post, who):
    vacancy = post()
    user = request.getfixturevalue(who)
    before = snapshot()
    with pytest.raises(PermissionDenied):
        services.approve_vacancy(vacancy=vacancy, by=user)
    with pytest.raises(PermissionDenied):
        services.return_vacancy(vacancy=vacancy, by=user, reason="不行")
    assert snapshot() == before


def test_returned_with_a_reason_edited_and_resubmitted(post, chair_a, casework_staff, enterprise_a, english):
    vacancy = post()
    with pytest.raises(ValidationError, match="Say why"):
        services.return_vacancy(vacancy=vacancy, by=casework_staff, reason="  ")
    services.return_vacancy(vacancy=vacancy, by=casework_staff, reason="工资范围不清楚")
    vacancy.refresh_from_db()
    assert vacancy.status == Vacancy.Status.RETURNED and vacancy.return_reason == "工资范围不清楚"
    with pytest.raises(ValidationError, match="waiting for approval"):
        services.approve_vacancy(vacancy=vacancy, by=casework_staff)
    services.update_vacancy(vacancy=vacancy, by=chair_a, data=data(enterprise_a, wage_min=Decimal("6500")))
    vacancy.refresh_from_db()
    assert vacancy.status == Vacancy.Status.SUBMITTED and vacancy.wage_min == Decimal("6500.00")
    services.approve_vacancy(vacancy=vacancy, by=casework_staff)
    with pytest.raises(ValidationError):  # a double submit of the approval
        services.approve_vacancy(vacancy=vacancy, by=casework_staff)


def test_only_the_posting_chair_edits_and_only_before_approval(
    post, chair_b, casework_staff, enterprise_a, chair_a
):
    vacancy = post()
    with pytest.raises(PermissionDenied):
        services.update_vacancy(vacancy=vacancy, by=chair_b, data=data(enterprise_a))
    services.approve_vacancy(vacancy=vacancy, by=casework_staff)
    with pytest.raises(PermissionDenied):
        services.update_vacancy(vacancy=vacancy, by=chair_a, data=data(enterprise_a))


def test_a_chair_posts_only_for_an_enterprise_their_union_covers(
    chair_b, union_b, enterprise_a, outsider, english
):
    with pytest.raises(ValidationError, match="your union covers"):
        services.post_vacancy(by=chair_b, data=data(enterprise_a))
    with pytest.raises(PermissionDenied):
        services.post_vacancy(by=outsider, data=data(enterprise_a))
    assert not Vacancy.objects.exists()


def test_extend_an_open_vacancy_without_a_new_approval(open_vacancy, chair_a, chair_b, english):
    services.extend_vacancy(vacancy=open_vacancy, by=chair_a, days=60)
    open_vacancy.refresh_from_db()
    assert open_vacancy.expires_on == TODAY + 60 * DAY and open_vacancy.status == Vacancy.Status.APPROVED
    with pytest.raises(ValidationError, match="already runs until"):
        services.extend_vacancy(vacancy=open_vacancy, by=chair_a, days=10)
    for days in (0, 91, -5):
        with pytest.raises(ValidationError, match="1 to 90"):
            services.extend_vacancy(vacancy=open_vacancy, by=chair_a, days=days)
    with pytest.raises(PermissionDenied):
        services.extend_vacancy(vacancy=open_vacancy, by=chair_b, days=80)


def test_an_expired_vacancy_is_not_extended(post, casework_staff, chair_a, english):
    vacancy = services.approve_vacancy(vacancy=post(run_days=10), by=casework_staff, on=TODAY - 11 * DAY)
    with pytest.raises(ValidationError, match="Only an open vacancy"):
        services.extend_vacancy(vacancy=vacancy, by=chair_a, days=30)


def test_close_early_filled_or_withdrawn(open_vacancy, chair_a, post, english):
    services.close_vacancy(vacancy=open_vacancy, by=chair_a, reason="filled")
    open_vacancy.refresh_from_db()
    assert open_vacancy.status == Vacancy.Status.CLOSED and open_vacancy.closed_on == TODAY
    with pytest.raises(ValidationError, match="no longer open"):
        services.close_vacancy(vacancy=open_vacancy, by=chair_a, reason="filled")
    waiting = post()
    with pytest.raises(ValidationError, match="Say why"):
        services.close_vacancy(vacancy=waiting, by=chair_a, reason="bored")
    services.close_vacancy(vacancy=waiting, by=chair_a, reason="withdrawn")
    assert Vacancy.objects.get(pk=waiting.pk).status == Vacancy.Status.CLOSED


# --- expiry by date ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "expires, listed",
    [(TODAY + DAY, True), (TODAY, True), (TODAY - DAY, False)],
    ids=["day-before-expiry", "on-expiry", "day-after-expiry"],
)
def test_expiry_by_date(post, casework_staff, client, cadre, expires, listed, english):
    """Listed through ``expires_on`` and not a day longer, without any job having run."""
    vacancy = services.approve_vacancy(vacancy=post(run_days=30), by=casework_staff, on=expires - 30 * DAY)
    assert vacancy.expires_on == expires
    assert vacancy.is_open_on(TODAY) is listed and vacancy.is_expired_on(TODAY) is not listed
    assert (vacancy in Vacancy.objects.open_on(TODAY)) is listed
    # Before the requests below: a request activates the site's language (Chinese) for the rest of the test.
    if listed:
        assert refer(cadre, vacancy).status == Referral.Status.REFERRED
    else:
        with pytest.raises(ValidationError, match="open vacancy"):
            refer(cadre, vacancy)
    assert client.get(reverse("jobs:public_detail", args=[vacancy.pk])).status_code == (
        200 if listed else 404
    )
    assert ("数控车床操作工" in client.get(reverse("jobs:public_list")).content.decode()) is listed


def test_the_daily_command_records_expiry_and_runs_twice_harmlessly(post, casework_staff):
    gone = services.approve_vacancy(vacancy=post(run_days=5), by=casework_staff, on=TODAY - 6 * DAY)
    last_day = services.approve_vacancy(vacancy=post(run_days=5), by=casework_staff, on=TODAY - 5 * DAY)
    out = io.StringIO()
    call_command("expire_vacancies", stdout=out)
    assert out.getvalue().strip() == "expired: 1"
    assert Vacancy.objects.get(pk=gone.pk).status == Vacancy.Status.EXPIRED
    assert Vacancy.objects.get(pk=last_day.pk).status == Vacancy.Status.APPROVED
    out = io.StringIO()
    call_command("expire_vacancies", stdout=out)
    assert out.getvalue().strip() == "expired: 0"


# --- the public page ------------------------------------------------------------------------------------------


def test_the_public_page_shows_only_what_the_employer_published(post, casework_staff, client):
    hidden = services.approve_vacancy(
        vacancy=post(
            publish_wage=False,
            publish_enterprise=False,
            publish_contact_name=False,
            publish_contact_phone=False,
            contact_name="赵人事",
        ),
        by=casework_staff,
    )
    for url in (reverse("jobs:public_list"), reverse("jobs:public_detail", args=[hidden.pk])):
        page = client.get(url).content.decode()
        assert "数控车床操作工" in page
        for secret in ("甲精密机械有限公司", "赵人事", "13812349876", "6,000", "8,500", "6000"):
            assert secret not in page, (url, secret)
        assert "12351" in page  # how to get help from the service station
    shown = services.approve_vacancy(
        vacancy=post(
            title="电工", publish_contact_name=True, publish_contact_phone=True, contact_phone="0573-87654321"
        ),
        by=casework_staff,
    )
    page = client.get(reverse("jobs:public_detail", args=[shown.pk])).content.decode()
    for published in ("甲精密机械有限公司", "王经理", "057387654321", "6,000", "8,500"):
        assert published in page


def test_a_vacancy_not_open_is_not_on_the_public_page(post, casework_staff, chair_a, client):
    submitted = post(title="等待审核的岗位")
    returned = services.return_vacancy(vacancy=post(title="退回的岗位"), by=casework_staff, reason="请补充")
    closed = services.approve_vacancy(vacancy=post(title="已关闭的岗位"), by=casework_staff)
    services.close_vacancy(vacancy=closed, by=chair_a, reason="filled")
    listing = client.get(reverse("jobs:public_list")).content.decode()
    for vacancy in (submitted, returned, closed):
        assert vacancy.title not in listing
        assert client.get(reverse("jobs:public_detail", args=[vacancy.pk])).status_code == 404
    for forged in (999_999, 2**31, 2**63):
        assert client.get(f"/jobs/{forged}/").status_code == 404


def test_no_worker_data_on_the_public_page(open_vacancy, cadre, client):
    refer(cadre, open_vacancy, name="欧阳春晓", phone="13611112222")
    page = client.get(reverse("jobs:public_detail", args=[open_vacancy.pk])).content.decode()
    assert "欧阳春晓" not in page and "13611112222" not in page and "1361" not in page


def test_filters_and_hostile_params(open_vacancy, post, casework_staff, client, union_a):
    area = Area.objects.create(name="芯中路片组", lead_union=union_a)
    services.approve_vacancy(vacancy=post(title="叉车司机", trade="forklift", area=area), by=casework_staff)
    page = client.get(reverse("jobs:public_list"), {"trade": "forklift"}).content.decode()
    assert "叉车司机" in page and "数控车床操作工" not in page
    page = client.get(reverse("jobs:public_list"), {"area": area.pk}).content.decode()
    assert "叉车司机" in page and "数控车床操作工" not in page
    for params in (
        {"trade": "<script>"},
        {"area": "x"},
        {"area": "99999999999999999999"},
        {"area": "-1"},
        {"trade": "\x00", "area": "１"},
        {"page": "999999"},
        {"page": "-3"},
    ):
        response = client.get(reverse("jobs:public_list"), params)
        assert response.status_code == 200, params
    page = client.get(reverse("jobs:public_list"), {"trade": "<script>"}).content.decode()
    assert "叉车司机" in page and "数控车床操作工" in page  # no filter


def test_the_public_list_query_count_is_pinned(post, casework_staff, client, django_assert_num_queries):
    """The open vacancies (count and page, with enterprise and area) and the areas of the filter: 3 queries,
    whatever the number of vacancies."""
    for _ in range(2):
        services.approve_vacancy(vacancy=post(), by=casework_staff)
    with django_assert_num_queries(3):
        assert client.get(reverse("jobs:public_list")).status_code == 200
    for _ in range(8):
        services.approve_vacancy(vacancy=post(), by=casework_staff)
    with django_assert_num_queries(3):
        assert client.get(reverse("jobs:public_list")).status_code == 200
    vacancy = Vacancy.objects.first()
    with django_assert_num_queries(1):
        client.get(reverse("jobs:public_detail", args=[vacancy.pk]))


# --- referrals and their outcomes --------------------------------------------------------------------------


def test_referred_interviewed_hired(open_vacancy, cadre):
    referral = refer(cadre, open_vacancy)
    services.record_outcome(referral=referral, by=cadre, to="interviewed", on=TODAY, note="面试顺利")
    services.record_outcome(referral=referral, by=cadre, to="hired", on=TODAY)
    referral.refresh_from_db()
    assert referral.status == "hired" and referral.interviewed_on == TODAY and referral.outcome_on == TODAY
    assert "面试顺利" in referral.note


def test_referred_straight_to_not_hired(open_vacancy, cadre):
    referral = refer(cadre, open_vacancy)
    services.record_outcome(referral=referral, by=cadre, to="not_hired")
    assert Referral.objects.get(pk=referral.pk).status == "not_hired"


@pytest.mark.parametrize(
    "path, move",
    [
        ([], "hired"),
        ([], "referred"),
        (["interviewed"], "interviewed"),
        (["interviewed"], "referred"),
        (["interviewed", "hired"], "not_hired"),
        (["interviewed", "hired"], "interviewed"),
        (["interviewed", "hired"], "hired"),
        (["not_hired"], "interviewed"),
        (["not_hired"], "hired"),
        (["not_hired"], "referred"),
        ([], "promoted"),
        ([], ""),
    ],
)
def test_every_other_move_is_refused_and_writes_nothing(open_vacancy, cadre, path, move):
    referral = refer(cadre, open_vacancy)
    for step in path:
        services.record_outcome(referral=referral, by=cadre, to=step)
    before = snapshot()
    with pytest.raises(ValidationError):
        services.record_outcome(referral=referral, by=cadre, to=move)
    assert snapshot() == before


def test_outcome_dates_between_the_referral_and_today(open_vacancy, cadre, english):
    referral = refer(cadre, open_vacancy)
    for on in (TODAY + DAY, TODAY - DAY):
        with pytest.raises(ValidationError, match="between the referral and today"):
            services.record_outcome(referral=referral, by=cadre, to="interviewed", on=on)


def test_who_records_an_outcome(open_vacancy, cadre, chair_a, chair_b, staff, casework_staff, outsider):
    referral = refer(cadre, open_vacancy)
    for user in (chair_b, staff, outsider):
        with pytest.raises(PermissionDenied):
            services.record_outcome(referral=referral, by=user, to="interviewed")
    services.record_outcome(referral=referral, by=chair_a, to="interviewed")  # the posting chair
    services.record_outcome(referral=referral, by=casework_staff, to="hired")


def test_a_double_submit_makes_one_referral(open_vacancy, cadre, casework_staff, login, english):
    refer(cadre, open_vacancy)
    with pytest.raises(ValidationError, match="already referred"):
        refer(casework_staff, open_vacancy, phone="137 0000 2222")
    client = login(cadre)
    url = reverse("jobs:referral_create", args=[open_vacancy.pk])
    for _ in range(2):
        client.post(url, {"worker_name": "孙小梅", "worker_phone": "13900001111"})
    assert Referral.objects.filter(worker_phone="13900001111").count() == 1
    assert Referral.objects.count() == 2


@pytest.mark.parametrize("who", ["staff", "finance_staff", "aid_staff", "chair_a", "chair_b", "outsider"])
def test_only_casework_staff_and_cadres_refer(request, open_vacancy, who):
    with pytest.raises(PermissionDenied):
        refer(request.getfixturevalue(who), open_vacancy)
    assert not Referral.objects.exists()


def test_bad_worker_phone_and_name(open_vacancy, cadre, english):
    for phone in ("12345", "abc", "", "1380013800" * 3, "<script>"):
        with pytest.raises(ValidationError, match="mobile number or a landline"):
            refer(cadre, open_vacancy, phone=phone)
    with pytest.raises(ValidationError, match="worker's name"):
        refer(cadre, open_vacancy, name="  ")
    assert not Referral.objects.exists()


# --- the link to a grievance case --------------------------------------------------------------------------


def test_a_cadre_links_only_the_cases_grievances_lets_them_see(open_vacancy, cadre, casework_staff, english):
    theirs = make_case(handler=cadre, complainant_name="周小燕", complainant_phone="13566667777")
    not_theirs = make_case(category="wage_arrears")
    with pytest.raises(ValidationError, match="cannot link"):
        refer(cadre, open_vacancy, case=not_theirs)
    referral = refer(cadre, open_vacancy, case=theirs)
    assert referral.case == theirs
    assert refer(casework_staff, open_vacancy, phone="13511112222", case=not_theirs).case == not_theirs


def test_cases_of_a_job_ended_come_first(cadre):
    wages = make_case(handler=cadre, category="wage_arrears")
    dismissal = make_case(handler=cadre, category="dismissal", received_on=TODAY - 30 * DAY)
    employment = make_case(handler=cadre, category="employment", received_on=TODAY - 60 * DAY)
    assert list(services.linkable_cases(cadre)) == [dismissal, employment, wages]


def test_the_case_takes_its_member_record(open_vacancy, casework_staff, member_a):
    case = make_case(member=member_a, complainant_name=member_a.name, complainant_phone="13812345678")
    referral = refer(casework_staff, open_vacancy, name=member_a.name, phone="13812345678", case=case)
    assert referral.member == member_a


def test_referrals_of_a_case_filtered_on_the_jobs_pages(open_vacancy, cadre, casework_staff, login, chair_a):
    case = make_case(handler=cadre)
    refer(cadre, open_vacancy, name="周小燕", case=case)
    refer(cadre, open_vacancy, name="吴大海", phone="13511112222")
    page = login(cadre).get(reverse("jobs:referral_list"), {"case": case.pk}).content.decode()
    assert "周小燕" in page and "吴大海" not in page and case.number in page
    # The chair sees the referrals to their vacancy, never the case behind one (nor a filter by it).
    page = login(chair_a).get(reverse("jobs:referral_list"), {"case": case.pk}).content.decode()
    assert "周小燕" in page and "吴大海" in page and case.number not in page


# --- who sees what ---------------------------------------------------------------------------------------------


def test_the_posting_chair_sees_the_name_and_a_masked_phone(open_vacancy, cadre, chair_a, login):
    referral = refer(cadre, open_vacancy, name="刘小军", phone="13700002222")
    page = login(chair_a).get(reverse("jobs:referral_detail", args=[referral.pk])).content.decode()
    assert "刘小军" in page and "137****2222" in page and "13700002222" not in page
    page = login(cadre).get(reverse("jobs:referral_detail", args=[referral.pk])).content.decode()
    assert "13700002222" in page
    page = login(cadre).get(reverse("jobs:referral_list")).content.decode()
    assert "137****2222" in page and "13700002222" not in page


def test_outsiders_get_404(open_vacancy, cadre, chair_b, outsider, staff, login):
    referral = refer(cadre, open_vacancy)
    waiting = services.post_vacancy(by=open_vacancy.union.chair, data=data(open_vacancy.enterprise))
    client = login(chair_b)
    assert client.get(reverse("jobs:vacancy_detail", args=[open_vacancy.pk])).status_code == 404
    assert client.get(reverse("jobs:referral_detail", args=[referral.pk])).status_code == 404
    assert "刘小军" not in client.get(reverse("jobs:referral_list")).content.decode()
    # A cadre sees approved vacancies (to refer), not one waiting for approval.
    assert login(cadre).get(reverse("jobs:vacancy_detail", args=[waiting.pk])).status_code == 404
    for user in (outsider, staff):
        client = login(user)
        assert client.get(reverse("jobs:vacancy_list")).status_code == 403
        assert client.get(reverse("jobs:referral_detail", args=[referral.pk])).status_code == 403


def test_another_cadres_referral_is_not_theirs(open_vacancy, cadre, make_user, union_a, login):
    from secondment.models import SecondmentTerm

    other = make_user("cadre2")
    SecondmentTerm.objects.create(
        cadre=other, union=union_a, start_date=TODAY - DAY, end_date=TODAY + 300 * DAY
    )
    referral = refer(cadre, open_vacancy)
    assert login(other).get(reverse("jobs:referral_detail", args=[referral.pk])).status_code == 404


# --- bad input -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "overrides, message",
    [
        ({"wage_min": Decimal("9000"), "wage_max": Decimal("8000")}, "lowest wage cannot be above"),
        ({"wage_min": Decimal("-1")}, "between"),
        ({"wage_max": Decimal("1000000")}, "between"),
        ({"wage_min": Decimal("NaN")}, "yuan a month"),
        ({"openings": -1}, "openings is 1 to"),
        ({"openings": 0}, "openings is 1 to"),
        ({"openings": 1000}, "openings is 1 to"),
        ({"run_days": 0}, "1 to 90 days"),
        ({"run_days": 91}, "1 to 90 days"),
        ({"contact_phone": "call me"}, "mobile number or a landline"),
        ({"contact_phone": "1381234"}, "mobile number or a landline"),
        ({"title": "  "}, "title"),
        ({"trade": "astronaut"}, "trade"),
    ],
)
def test_bad_vacancy_input_is_refused(post, overrides, message, english):
    with pytest.raises(ValidationError, match=message):
        post(**overrides)
    assert not Vacancy.objects.exists()


def test_bad_input_through_the_form(chair_a, enterprise_a, login):
    client = login(chair_a)
    form = {
        "enterprise": enterprise_a.pk,
        "title": "普工",
        "trade": "operator",
        "openings": "-3",
        "wage_min": "7000",
        "wage_max": "5000",
        "requirements": "吃苦耐劳",
        "contact_name": "王经理",
        "contact_phone": "垃圾",
        "run_days": "365",
    }
    response = client.post(reverse("jobs:vacancy_create"), form)
    assert response.status_code == 200 and not Vacancy.objects.exists()
    for field in ("openings", "wage_max", "run_days", "contact_phone"):
        assert response.context["form"].errors.get(field), field
    form.update({"openings": "3", "wage_max": "1e9999", "run_days": "30", "contact_phone": "13812341234"})
    assert client.post(reverse("jobs:vacancy_create"), form).status_code == 200
    form["wage_max"] = "8000"
    response = client.post(reverse("jobs:vacancy_create"), form)
    assert response.status_code == 302 and Vacancy.objects.count() == 1


def test_hostile_params_on_the_desk_pages(open_vacancy, cadre, casework_staff, login):
    refer(cadre, open_vacancy)
    client = login(casework_staff)
    for name, params in [
        ("jobs:vacancy_list", {"state": "<x>", "trade": "\x00", "page": "9" * 30}),
        ("jobs:referral_list", {"status": "'; drop", "case": "9" * 40, "vacancy": "-1"}),
        ("jobs:figures", {"year": "99999", "area": "abc"}),
        ("jobs:referral_create", {"case": "1e10"}),
    ]:
        args = [open_vacancy.pk] if name == "jobs:referral_create" else []
        assert client.get(reverse(name, args=args), params).status_code == 200, name


def test_an_outcome_form_with_rubbish_writes_nothing(open_vacancy, cadre, login):
    referral = refer(cadre, open_vacancy)
    before = snapshot()
    url = reverse("jobs:referral_outcome", args=[referral.pk])
    for form in ({"to": "hired", "on": TODAY.isoformat()}, {"to": "x", "on": "tomorrow"}, {}):
        assert login(cadre).post(url, form).status_code == 302
    assert snapshot() == before


# --- figures and export ---------------------------------------------------------------------------------------


def test_the_years_figures(post, casework_staff, cadre, chair_a):
    vacancies = [services.approve_vacancy(vacancy=post(openings=n), by=casework_staff) for n in (2, 5)]
    post(openings=7)  # posted, not approved
    phones = iter(f"1370000{n:04d}" for n in range(100))
    made = [refer(cadre, vacancies[i % 2], phone=next(phones)) for i in range(7)]
    make_case_linked = refer(casework_staff, vacancies[0], phone=next(phones), case=make_case())
    for referral in made[:4]:
        services.record_outcome(referral=referral, by=cadre, to="interviewed")
    for referral in made[:3]:
        services.record_outcome(referral=referral, by=cadre, to="hired")
    services.record_outcome(referral=made[4], by=cadre, to="not_hired")
    figures = services.year_figures(TODAY.year)
    assert (figures.posted, figures.approved, figures.openings) == (3, 2, 7)
    assert (figures.referrals, figures.interviews, figures.hires) == (8, 4, 3)
    assert (figures.not_hired, figures.pending, figures.linked_to_cases) == (1, 4, 1)
    assert figures.hire_rate == Decimal("37.5")
    assert services.year_figures(TODAY.year - 1).hire_rate is None
    assert make_case_linked.case is not None
    tiles = jobs_figures(Scope(day=TODAY))
    assert tiles == {"jobs_referrals": 8, "jobs_hired": 3}


def test_figures_by_area(post, casework_staff, cadre, union_a):
    area = Area.objects.create(name="芯中路片组", lead_union=union_a)
    in_area = services.approve_vacancy(vacancy=post(area=area), by=casework_staff)
    elsewhere = services.approve_vacancy(vacancy=post(), by=casework_staff)
    refer(cadre, in_area)
    refer(cadre, elsewhere, phone="13511112222")
    figures = services.year_figures(TODAY.year, area=area)
    assert (figures.approved, figures.referrals) == (1, 1)


def test_the_export_is_for_casework_staff(open_vacancy, cadre, casework_staff, staff, login):
    refer(cadre, open_vacancy, name="=HYPERLINK(1)", phone="13700002222")
    url = reverse("jobs:export", args=[TODAY.year])
    for user in (staff, cadre, open_vacancy.union.chair):
        assert login(user).get(url).status_code == 403
    response = login(casework_staff).get(url)
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert len(rows) == 2
    assert rows[1][1] == "'=HYPERLINK(1)" and rows[1][2] == "137****2222"


def test_the_figures_page_for_staff(login, staff, casework_staff, chair_a, cadre):
    assert login(staff).get(reverse("jobs:figures")).status_code == 200
    assert login(casework_staff).get(reverse("jobs:figures")).status_code == 200
    assert login(chair_a).get(reverse("jobs:figures")).status_code == 403


# --- the dashboard --------------------------------------------------------------------------------------------


def test_casework_to_do(post, casework_staff, cadre, staff):
    waiting = post()
    vacancy = services.approve_vacancy(vacancy=post(), by=casework_staff, on=TODAY - 20 * DAY)
    old = refer(cadre, vacancy, on=TODAY - 14 * DAY)
    refer(cadre, vacancy, phone="13511112222", on=TODAY - 13 * DAY)
    done = refer(cadre, vacancy, phone="13511113333", on=TODAY - 15 * DAY)
    services.record_outcome(referral=done, by=cadre, to="not_hired")
    items = jobs_casework_todo(Scope(day=TODAY, user=casework_staff))
    urls = [item.url for item in items]
    assert urls == [waiting.get_absolute_url(), old.get_absolute_url()]
    assert jobs_casework_todo(Scope(day=TODAY, user=staff)) is None
    assert jobs_casework_todo(Scope(day=TODAY, user=cadre)) is None


def test_chair_to_do(post, casework_staff, chair_a, chair_b, union_b):
    returned = services.return_vacancy(vacancy=post(), by=casework_staff, reason="请补充")
    soon = services.approve_vacancy(vacancy=post(run_days=30), by=casework_staff, on=TODAY - 23 * DAY)
    services.approve_vacancy(vacancy=post(run_days=30), by=casework_staff, on=TODAY - 22 * DAY)  # 8 days left
    services.approve_vacancy(vacancy=post(run_days=30), by=casework_staff, on=TODAY - 31 * DAY)  # expired
    items = jobs_chair_todo(Scope(day=TODAY, user=chair_a))
    assert sorted(item.kind for item in items) == ["jobs.expiring", "jobs.returned"]
    assert {item.url for item in items} == {
        reverse("jobs:vacancy_edit", args=[returned.pk]),
        soon.get_absolute_url(),
    }
    assert jobs_chair_todo(Scope(day=TODAY, user=chair_b)) == []


def test_the_panel_for_those_who_refer(open_vacancy, cadre, chair_a, casework_staff):
    refer(cadre, open_vacancy)
    panel = jobs_help(Scope(day=TODAY, user=cadre))["jobs_panel"]
    assert panel == {"open": 1, "openings": 3, "pending": 1, "hired": 0}
    assert jobs_help(Scope(day=TODAY, user=chair_a)) is None
    assert jobs_help(Scope(day=TODAY, user=casework_staff))["jobs_panel"]["pending"] == 0


def test_the_pages_render_for_each_role(open_vacancy, cadre, casework_staff, chair_a, login):
    referral = refer(cadre, open_vacancy)
    for user in (cadre, casework_staff, chair_a):
        client = login(user)
        for url in (
            reverse("jobs:vacancy_list"),
            reverse("jobs:vacancy_detail", args=[open_vacancy.pk]),
            reverse("jobs:referral_list"),
            reverse("jobs:referral_detail", args=[referral.pk]),
            "/",
        ):
            assert client.get(url).status_code == 200, (user, url)


def test_the_day_is_an_input(post, casework_staff):
    """Approval and expiry are plain date arithmetic: an approval on 29 February or at a year's end."""
    for day in (datetime.date(2028, 2, 29), datetime.date(2026, 12, 31)):
        vacancy = services.approve_vacancy(vacancy=post(run_days=1), by=casework_staff, on=day)
        assert vacancy.expires_on == day + DAY
