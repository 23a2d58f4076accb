import csv
import datetime
import io

import openpyxl
import pytest
from auditlog.models import LogEntry
from django.urls import reverse

from members.models import Member
from tests.factories import make_id

FULL_ID = "330481197001011237"
FULL_PHONE = "13812345678"


@pytest.fixture
def form_data(enterprise_a):
    return {
        "name": "赵新",
        "id_number": make_id("19950505"),
        "phone": "13600001234",
        "education": "bachelor",
        "political_status": "masses",
        "enterprise": enterprise_a.pk,
        "joined_on": "2025-03-01",
    }


def test_chair_registers_a_member_of_their_union(login, chair_a, form_data):
    response = login(chair_a).post(reverse("members:member_create"), form_data)
    member = Member.objects.get(name="赵新")
    assert response.status_code == 302 and response["Location"] == member.get_absolute_url()
    assert member.union.code == "HN001" and member.birth_date == datetime.date(1995, 5, 5)


def test_invalid_id_number_is_a_chinese_error_naming_the_field(login, chair_a, form_data):
    form_data["id_number"] = "330481197001011238"
    response = login(chair_a).post(reverse("members:member_create"), form_data)
    assert response.status_code == 200
    assert "身份证号" in response.content.decode() and "校验" in response.content.decode()
    assert not Member.objects.filter(name="赵新").exists()


def test_invalid_phone_is_a_form_error(login, chair_a, form_data):
    form_data["phone"] = "12345"
    response = login(chair_a).post(reverse("members:member_create"), form_data)
    assert response.status_code == 200 and "手机" in response.content.decode()


def test_duplicate_active_member_is_named_only_to_who_may_see_them(
    login, chair_b, staff, member_a, enterprise_b, form_data
):
    # Another union's chair learns the number is taken, not whose it is (issue 17; see
    # tests/test_membership_oracles.py); staff see the existing membership.
    form_data.update(id_number=FULL_ID, enterprise=enterprise_b.pk)
    response = login(chair_b).post(reverse("members:member_create"), form_data)
    body = response.content.decode()
    assert response.status_code == 200 and "HN001" not in body and "2020-01-01" not in body
    assert "其他工会" in body
    body = login(staff).post(reverse("members:member_create"), form_data).content.decode()
    assert "HN001" in body and "2020-01-01" in body
    assert Member.objects.filter(id_number=FULL_ID).count() == 1


def test_chair_cannot_register_into_another_unions_enterprise(login, chair_a, enterprise_b, form_data):
    form_data["enterprise"] = enterprise_b.pk
    response = login(chair_a).post(reverse("members:member_create"), form_data)
    assert response.status_code == 200
    assert not Member.objects.filter(name="赵新").exists()


def test_double_submitted_form_creates_one_member(login, chair_a, form_data):
    client = login(chair_a)
    client.post(reverse("members:member_create"), form_data)
    second = client.post(reverse("members:member_create"), form_data)
    assert second.status_code == 200 and "有效会籍" in second.content.decode()
    assert Member.objects.filter(name="赵新").count() == 1


def test_pages_show_masked_numbers_only(login, staff, member_a):
    client = login(staff)
    for url in [
        reverse("members:member_list"),
        member_a.get_absolute_url(),
        reverse("members:member_edit", args=[member_a.pk]),
    ]:
        body = client.get(url).content.decode()
        assert FULL_ID not in body and FULL_PHONE not in body, url
        assert "3304**********1237" in body and "138****5678" in body, url


def test_csv_export_is_masked_and_neutralises_formulas(login, staff, member_a, register, enterprise_a):
    register(enterprise_a, name='=HYPERLINK("http://x")')
    response = login(staff).get(reverse("members:member_export_csv"))
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][3] == "姓名"
    assert FULL_ID not in text and FULL_PHONE not in text and "3304**********1237" in text
    assert any(row[3].startswith("'=HYPERLINK") for row in rows[1:])


def test_xlsx_export_is_masked_and_scoped(login, chair_a, member_a, member_b):
    response = login(chair_a).get(reverse("members:member_export_xlsx"))
    workbook = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    values = [cell for row in workbook.active.iter_rows(values_only=True) for cell in row]
    assert "王小明" in values and "李小红" not in values
    assert FULL_ID not in values and "3304**********1237" in values


@pytest.mark.parametrize(
    "query, expected", [("王", ["王小明"]), ("1237", ["王小明"]), ("1111", ["李小红"]), ("1234567", [])]
)
def test_search_by_name_or_last_digits(login, staff, member_a, member_b, query, expected):
    page = login(staff).get(reverse("members:member_list"), {"q": query}).context["page"]
    assert [m.name for m in page] == expected


def test_filters_by_union_and_status(login, staff, member_a, member_b):
    client = login(staff)
    assert [
        m.name
        for m in client.get(reverse("members:member_list"), {"union": member_b.union_id}).context["page"]
    ] == ["李小红"]
    assert list(client.get(reverse("members:member_list"), {"status": "retained"}).context["page"]) == []


def test_forged_filter_to_another_union_shows_nothing(login, chair_a, member_a, member_b):
    response = login(chair_a).get(reverse("members:member_list"), {"union": member_b.union_id})
    assert response.status_code == 200 and list(response.context["page"]) == []
    assert "李小红" not in response.content.decode()


def test_htmx_search_returns_only_the_table(login, staff, member_a):
    response = login(staff).get(reverse("members:member_list"), {"q": "王"}, HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert "王小明" in body and "<html" not in body


def test_reveal_id_number_is_post_only_logged_and_not_cached(login, staff, member_a):
    client = login(staff)
    url = reverse("members:member_reveal_id", args=[member_a.pk])
    assert client.get(url).status_code == 405
    response = client.post(url)
    assert FULL_ID in response.content.decode() and response["Cache-Control"] == "no-store"
    assert LogEntry.objects.filter(action=LogEntry.Action.ACCESS, object_pk=str(member_a.pk)).count() == 1


def test_staff_without_organisation_duty_cannot_reveal(login, finance_staff, member_a):
    response = login(finance_staff).post(reverse("members:member_reveal_id", args=[member_a.pk]))
    assert response.status_code == 403


def test_chair_records_a_membership_change(login, chair_a, member_a):
    response = login(chair_a).post(
        reverse("members:member_change_status", args=[member_a.pk]),
        {"kind": "retained", "on": "2025-01-01", "note": "待业"},
    )
    assert response.status_code == 302
    member_a.refresh_from_db()
    assert member_a.status == "retained"


def test_bad_membership_change_date_is_reported(login, chair_a, member_a):
    client = login(chair_a)
    response = client.post(
        reverse("members:member_change_status", args=[member_a.pk]),
        {"kind": "withdrew", "on": "2001-01-01"},
        follow=True,
    )
    assert "2020-01-01" in response.content.decode()
    member_a.refresh_from_db()
    assert member_a.status == "active"


def test_edit_member(login, chair_a, member_a, enterprise_a):
    response = login(chair_a).post(
        reverse("members:member_edit", args=[member_a.pk]),
        {
            "name": "王晓明",
            "phone": "13812345678",
            "education": "master",
            "political_status": "cpc",
            "enterprise": enterprise_a.pk,
            "joined_on": "2020-01-01",
        },
    )
    assert response.status_code == 302
    member_a.refresh_from_db()
    assert (member_a.name, member_a.education) == ("王晓明", "master")


def test_union_and_enterprise_pages_show_counts_and_code(login, staff, member_a, enterprise_a):
    client = login(staff)
    body = client.get(member_a.union.get_absolute_url()).content.decode()
    assert "HN001" in body and enterprise_a.name in body
    body = client.get(reverse("members:union_list")).content.decode()
    assert "HN001" in body and "HN002" not in body
    body = client.get(enterprise_a.get_absolute_url()).content.decode()
    assert enterprise_a.credit_code in body and "138****1234" in body and "13812341234" not in body


def test_edit_form_never_sends_the_stored_mobile_and_blank_keeps_it(login, chair_a, member_a, enterprise_a):
    client = login(chair_a)
    body = client.get(reverse("members:member_edit", args=[member_a.pk])).content.decode()
    assert FULL_PHONE not in body and "138****5678" in body
    client.post(
        reverse("members:member_edit", args=[member_a.pk]),
        {
            "name": "王小明",
            "phone": "",
            "education": "bachelor",
            "political_status": "masses",
            "enterprise": enterprise_a.pk,
            "joined_on": "2020-01-01",
        },
    )
    member_a.refresh_from_db()
    assert member_a.phone == FULL_PHONE


@pytest.fixture
def enterprise_form(union_a):
    from tests.factories import make_credit_code

    return {
        "name": "丙新材料有限公司",
        "credit_code": make_credit_code(55),
        "union": union_a.pk,
        "size_band": "medium",
        "industry": "materials",
        "headcount": "150",
        "address": "海宁市芯中路1号",
        "contact_name": "陈经理",
        "contact_phone": "0573-87654321",
        "status": "operating",
    }


def test_staff_registers_an_enterprise(login, staff, enterprise_form):
    from members.models import Enterprise

    response = login(staff).post(reverse("members:enterprise_create"), enterprise_form)
    enterprise = Enterprise.objects.get(name="丙新材料有限公司")
    assert response.status_code == 302 and enterprise.contact_phone == "057387654321"
    assert LogEntry.objects.get_for_object(enterprise).get().actor == staff


def test_bad_credit_code_is_a_chinese_error_naming_the_field(login, staff, enterprise_form):
    enterprise_form["credit_code"] = enterprise_form["credit_code"][:-1] + "Y"
    body = login(staff).post(reverse("members:enterprise_create"), enterprise_form).content.decode()
    assert "统一社会信用代码" in body and "校验" in body


def test_duplicate_credit_code_names_the_holder(login, staff, enterprise_a, enterprise_form):
    enterprise_form["credit_code"] = enterprise_a.credit_code
    body = login(staff).post(reverse("members:enterprise_create"), enterprise_form).content.decode()
    assert enterprise_a.name in body


def test_staff_edits_a_union_and_the_code_is_upper_cased(login, staff, union_a, chair_a):
    response = login(staff).post(
        reverse("members:union_edit", args=[union_a.pk]),
        {
            "code": "hn001",
            "name": "甲公司工会委员会",
            "kind": "single",
            "chair": chair_a.pk,
            "founded_on": "2010-05-01",
            "committee_term_start": "2022-06-01",
            "committee_term_years": "5",
            "dues_schedule": "quarterly",
            "status": "active",
        },
    )
    assert response.status_code == 302
    union_a.refresh_from_db()
    assert (union_a.code, union_a.dues_schedule) == ("HN001", "quarterly")


def test_committee_term_over_five_years_is_refused(login, staff, union_a, chair_a):
    response = login(staff).post(
        reverse("members:union_edit", args=[union_a.pk]),
        {
            "code": "HN001",
            "name": "x",
            "kind": "single",
            "founded_on": "2010-05-01",
            "committee_term_years": "9",
            "dues_schedule": "monthly",
            "status": "active",
        },
    )
    assert response.status_code == 200
    union_a.refresh_from_db()
    assert union_a.committee_term_years == 5


def test_staff_corrects_a_mistyped_id_number(login, staff, member_a):
    number = make_id("19710202")
    response = login(staff).post(
        reverse("members:member_correct_id", args=[member_a.pk]), {"id_number": number}
    )
    assert response.status_code == 302
    member_a.refresh_from_db()
    assert member_a.id_number == number and member_a.birth_date == datetime.date(1971, 2, 2)


def test_id_correction_to_an_invalid_or_taken_number_changes_nothing(login, staff, member_a, member_b):
    client = login(staff)
    url = reverse("members:member_correct_id", args=[member_a.pk])
    body = client.post(url, {"id_number": "330481197001011238"}, follow=True).content.decode()
    assert "校验" in body
    body = client.post(url, {"id_number": member_b.id_number}, follow=True).content.decode()
    assert "有效会籍" in body
    member_a.refresh_from_db()
    assert member_a.id_number == FULL_ID


def test_chair_cannot_correct_id_numbers(login, chair_a, member_a):
    response = login(chair_a).post(
        reverse("members:member_correct_id", args=[member_a.pk]), {"id_number": make_id()}
    )
    assert response.status_code == 403
