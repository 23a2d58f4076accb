"""The complainant's identity is kept from the employer's side (issue 17).

- Nobody on the employer's side handles a case: the chair of the union covering the complainant's
  employer, or anyone holding a post in that union, is refused as handler whoever assigns, left
  flagged in the form, and cannot reveal the identity of a case they were given before.
- Redaction catches the variants of the name, phone and ID number typed into a case's texts."""

import datetime

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from grievances import services
from grievances.conflicts import conflict_of_interest
from grievances.models import Case, CaseEvent
from grievances.redaction import redact
from members.models import Enterprise
from secondment.models import Nomination, SecondmentTerm
from tests.factories import TODAY, make_credit_code, make_id, make_staff
from unionhub.duties import CASEWORK

NAME, PHONE, ID_NUMBER = "王小明", "13812345678", "330481197001011237"


@pytest.fixture
def intake(db, casework_staff):
    def _intake(**fields):
        values = {
            "channel": "hotline",
            "type": "complaint",
            "category": "wage_arrears",
            "description": "公司拖欠三个月工资。",
            "employer_name": "甲精密机械有限公司",
            "complainant_name": NAME,
            "complainant_phone": PHONE,
            "complainant_id_number": ID_NUMBER,
        }
        values.update(fields)
        return services.open_case(by=casework_staff, **values)

    return _intake


@pytest.fixture
def case(intake, enterprise_a):
    return intake(enterprise=enterprise_a)


@pytest.fixture
def chair_a_seconded(chair_a, union_a):
    """The chair of union A, seconded to the federation: a cadre in an active term, so assignable."""
    SecondmentTerm.objects.create(
        cadre=chair_a,
        union=union_a,
        union_post="chair",
        start_date=TODAY - datetime.timedelta(days=10),
        end_date=TODAY + datetime.timedelta(days=300),
    )
    return chair_a


def snapshot(case: Case) -> tuple:
    case.refresh_from_db()
    return (
        case.handler_id,
        case.difficulty,
        CaseEvent.objects.filter(case=case).count(),
        LogEntry.objects.count(),
    )


class TestConflictOfInterest:
    def test_the_chair_of_the_employers_union_is_refused_whoever_assigns(
        self, case, casework_staff, chair_a_seconded, make_user
    ):
        superuser = make_user("root", is_staff=True, is_superuser=True)
        before = snapshot(case)
        for by in (casework_staff, superuser):
            with pytest.raises(ValidationError) as refusal:
                services.assign(by=by, case=case, handler=chair_a_seconded, difficulty="ordinary")
            assert "甲公司工会委员会" in " ".join(refusal.value.messages)
        assert snapshot(case) == before

    def test_a_cadre_holding_a_post_in_the_employers_union_is_refused(self, case, casework_staff, cadre_a):
        with pytest.raises(ValidationError) as refusal:
            services.assign(by=casework_staff, case=case, handler=cadre_a, difficulty="ordinary")
        assert "副主席" in " ".join(refusal.value.messages)  # the post, in the office's language
        case.refresh_from_db()
        assert case.handler_id is None

    def test_a_member_of_that_roster_with_a_nominated_post_is_refused(
        self, case, casework_staff, register, enterprise_a, staff
    ):
        handler = make_staff("caseworker2", CASEWORK, name="钱多")
        member = register(enterprise_a, name="钱多", id_number=make_id("19920202"))
        member.user = handler
        member.save(update_fields=["user"])
        Nomination.objects.create(
            union=enterprise_a.union,
            member=member,
            union_post="committee_member",
            education="bachelor",
            recommendation="—",
            phone="13900003333",
            start_date=TODAY,
            nominated_on=TODAY,
        )
        with pytest.raises(ValidationError):
            services.assign(by=casework_staff, case=case, handler=handler, difficulty="ordinary")

    def test_the_employer_is_found_by_name_or_by_the_member_record(
        self, intake, casework_staff, cadre_a, member_a
    ):
        by_name = intake(enterprise=None)  # employer named as the registered enterprise's name
        assert conflict_of_interest(by_name, cadre_a)
        by_member = intake(enterprise=None, employer_name="某外包公司", member=member_a)
        assert conflict_of_interest(by_member, cadre_a)
        elsewhere = intake(enterprise=None, employer_name="某外包公司", complainant_id_number="")
        assert conflict_of_interest(elsewhere, cadre_a) is None
        services.assign(by=casework_staff, case=elsewhere, handler=cadre_a, difficulty="ordinary")

    def test_a_cadre_from_another_union_handles_the_case_and_sees_the_identity(
        self, client, case, casework_staff, cadre
    ):
        services.assign(by=casework_staff, case=case, handler=cadre, difficulty="ordinary")
        client.force_login(cadre)
        assert NAME in client.post(reverse("grievances:case_identity", args=[case.pk])).content.decode()

    def test_a_handler_given_the_case_before_the_rule_cannot_reveal_the_identity(self, client, case, cadre_a):
        Case.objects.filter(pk=case.pk).update(handler=cadre_a)  # assigned before the rule existed
        client.force_login(cadre_a)
        response = client.get(case.get_absolute_url())
        assert response.status_code == 200
        html = response.content.decode()
        assert NAME not in html and PHONE not in html
        assert client.post(reverse("grievances:case_identity", args=[case.pk])).status_code == 403

    def test_the_form_flags_them_and_the_page_says_why_in_chinese(
        self, client, case, casework_staff, chair_a_seconded, cadre
    ):
        client.force_login(casework_staff)
        html = client.get(case.get_absolute_url()).content.decode()
        assert "不得承办" in html  # the flagged choice
        response = client.post(
            reverse("grievances:case_assign", args=[case.pk]),
            {"handler": chair_a_seconded.pk, "difficulty": "ordinary"},
            follow=True,
        )
        assert response.status_code == 200
        assert "投诉人所在单位的工会" in response.content.decode()
        case.refresh_from_db()
        assert case.handler_id is None
        client.post(
            reverse("grievances:case_assign", args=[case.pk]), {"handler": cadre.pk, "difficulty": "ordinary"}
        )
        case.refresh_from_db()
        assert case.handler_id == cadre.pk

    @pytest.mark.parametrize("handler", ["", "abc", "²", "99999999999999999999", "-1"])
    def test_bad_input_is_a_message_not_an_error_page(self, client, case, casework_staff, handler):
        client.force_login(casework_staff)
        response = client.post(
            reverse("grievances:case_assign", args=[case.pk]), {"handler": handler, "difficulty": "ordinary"}
        )
        assert response.status_code == 302
        case.refresh_from_db()
        assert case.handler_id is None

    def test_the_outsider_and_the_chair_cannot_assign(self, client, case, outsider, chair_a, cadre):
        with pytest.raises(PermissionDenied):
            services.assign(by=chair_a, case=case, handler=cadre, difficulty="ordinary")
        client.force_login(outsider)
        response = client.post(
            reverse("grievances:case_assign", args=[case.pk]), {"handler": cadre.pk, "difficulty": "ordinary"}
        )
        assert response.status_code == 404

    def test_an_enterprise_without_a_union_has_no_conflict(self, intake, casework_staff, cadre_a):
        loose = Enterprise.objects.create(
            name="无工会小微企业", credit_code=make_credit_code(77), size_band="micro", industry="other"
        )
        case = intake(enterprise=loose, employer_name="无工会小微企业")
        assert conflict_of_interest(case, cadre_a) is None


# --- redaction -----------------------------------------------------------------------------------

SECRETS = {"name": "李明", "phone": "13912345678", "id_number": "33048119700101123X"}
LONG_NAME = {"name": "王小明", "phone": "0571-88881234", "id_number": "330481197001011237"}
COMPOUND = {"name": "欧阳春晓", "phone": "", "id_number": ""}

VARIANTS = [
    # the name
    (SECRETS, "李明", "李明"),
    (SECRETS, "李 明", "李 明"),
    (SECRETS, "李　明", "李　明"),  # full-width space
    (SECRETS, "李·明", "李·明"),
    (SECRETS, "李.明", "李.明"),
    (SECRETS, "李  明", "李  明"),
    (SECRETS, "李先生", "李先生"),
    (SECRETS, "李女士", "李女士"),
    (SECRETS, "李 师傅", "李 师傅"),
    (SECRETS, "老李", "老李"),
    (SECRETS, "小李", "小李"),
    (SECRETS, "李某", "李某"),
    (LONG_NAME, "王小明", "王小明"),
    (LONG_NAME, "王 小 明", "王 小 明"),
    (LONG_NAME, "小明", "小明"),  # the given name alone
    (LONG_NAME, "小 明", "小 明"),
    (COMPOUND, "欧阳春晓", "欧阳春晓"),
    (COMPOUND, "春晓", "春晓"),
    (COMPOUND, "欧阳女士", "欧阳女士"),
    # the phone
    (SECRETS, "13912345678", "13912345678"),
    (SECRETS, "139 1234 5678", "139 1234 5678"),
    (SECRETS, "139-1234-5678", "139-1234-5678"),
    (SECRETS, "139.1234.5678", "139.1234.5678"),
    (SECRETS, "139　1234　5678", "139　1234　5678"),
    (SECRETS, "１３９１２３４５６７８", "１３９１２３４５６７８"),
    (SECRETS, "１３９ １２３４ ５６７８", "１３９ １２３４ ５６７８"),
    (SECRETS, "+86 139 1234 5678", "+86 139 1234 5678"),
    (SECRETS, "+8613912345678", "+8613912345678"),
    (SECRETS, "0086-13912345678", "0086-13912345678"),
    (SECRETS, "(139)1234-5678", "(139)1234-5678"),
    (SECRETS, "尾号12345678", "12345678"),  # the last eight
    (SECRETS, "1234 5678", "1234 5678"),
    (SECRETS, "139 1234", "139 1234"),  # the network and the middle block
    (LONG_NAME, "0571 8888 1234", "0571 8888 1234"),
    (LONG_NAME, "057188881234", "057188881234"),
    # the ID number
    (SECRETS, "33048119700101123X", "33048119700101123X"),
    (SECRETS, "33048119700101123x", "33048119700101123x"),
    (SECRETS, "330481 19700101 123x", "330481 19700101 123x"),
    (SECRETS, "3304 8119 7001 0112 3X", "3304 8119 7001 0112 3X"),
    (SECRETS, "３３０４８１１９７００１０１１２３Ｘ", "３３０４８１１９７００１０１１２３Ｘ"),
    (SECRETS, "３３０４８１１９７００１０１１２３ｘ", "３３０４８１１９７００１０１１２３ｘ"),
    (SECRETS, "尾号01123X", "01123X"),  # the last six
    (SECRETS, "后六位 01123x", "01123x"),
    (SECRETS, "0101123X", "0101123X"),
    (SECRETS, "33048119700101", "33048119700101"),  # region and birth date
    (LONG_NAME, "330481-19700101-1237", "330481-19700101-1237"),
    (LONG_NAME, "011237", "011237"),
]


@pytest.mark.parametrize(("secrets", "typed", "secret"), VARIANTS)
def test_every_variant_is_redacted(secrets, typed, secret):
    text = f"据反映：{typed}，要求补发工资。"
    hidden = redact(text, hide=True, **secrets)
    assert secret not in hidden
    assert hidden.startswith("据反映：") and hidden.endswith("，要求补发工资。")
    assert secret not in redact(text, hide=False, **secrets)


ORDINARY = [
    "公司拖欠三个月工资共计12000元，2024年3月5日起未发。",
    "明天上午9点到13号楼1234室调解。",
    "加班费按1.5倍计算，每月加班36小时。",
    "李主席已联系企业人事部门。",  # the surname without a form of address
    "小组长、老板与工人代表协商。",
    "合同编号20240101-0001，社保号1391234500。",  # digit runs that merely contain digits of a secret
    "金额 5678 元，尾号 1237 的银行卡。",  # what the mask shows anyway
    "",
]


@pytest.mark.parametrize("text", ORDINARY)
@pytest.mark.parametrize("secrets", [SECRETS, LONG_NAME, COMPOUND])
def test_ordinary_text_is_left_alone(secrets, text):
    assert redact(text, hide=True, **secrets) == text


def test_the_masked_forms_for_casework_staff():
    assert redact("李 明 139 1234 5678", hide=False, **SECRETS) == "李* 139****5678"


class TestHelpingChairReadsNoVariant:
    def test_the_description_and_the_timeline(
        self, client, intake, casework_staff, enterprise_a, chair_a, union_a
    ):
        case = intake(
            enterprise=enterprise_a,
            complainant_name="李明",
            complainant_phone="13912345678",
            complainant_id_number="330481197001011237",
            description="工人李 明（电话139 1234 5678，身份证330481 19700101 1237）反映被拖欠工资，"
            "李先生说尾号12345678的手机可以联系。",
        )
        services.ask_union_to_help(by=casework_staff, case=case, union=union_a)
        services.change_stage(by=casework_staff, case=case, to="accepted")
        client.force_login(chair_a)
        html = client.get(case.get_absolute_url()).content.decode()
        assert "反映被拖欠工资" in html
        for secret in ("李 明", "李明", "李先生", "139 1234 5678", "12345678", "330481 19700101 1237", "李*"):
            assert secret not in html
        # their own note, typed with a variant, is redacted for them too
        case.refresh_from_db()
        services.add_event(by=chair_a, case=case, kind="note", text="已与 李　明 面谈")
        html = client.get(case.get_absolute_url()).content.decode()
        assert "已与" in html and "李　明" not in html
