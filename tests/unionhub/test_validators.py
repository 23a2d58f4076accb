import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone, translation
from stdnum.cn import ric

from members.validators import (
    birth_date_from_id,
    clean_credit_code,
    clean_mobile,
    clean_phone,
    clean_resident_id,
    id_check_character,
    sex_from_id,
)
from tests.factories import make_credit_code, make_id


def _error_code(fn, value):
    with pytest.raises(ValidationError) as info:
        fn(value)
    return info.value.code


class TestResidentId:
    def test_valid_number_is_returned_normalised(self):
        assert clean_resident_id(" 330481 19700101 1237 ") == "330481197001011237"

    def test_the_standards_own_example(self):
        """GB 11643-1999's example number, whose check character is X."""
        assert id_check_character("11010519491231002") == "X"
        assert clean_resident_id("11010519491231002x") == "11010519491231002X"

    def test_check_character_agrees_with_stdnum_given_the_whole_number(self):
        for body in ("33048119700101123", "34220119851203456", "41152119990909001", "51370120011111234"):
            number = body + id_check_character(body)
            assert ric.calc_check_digit(number) == number[-1]

    def test_trailing_x_check_character_accepted_in_either_case(self):
        body = next(
            f"330481199003151{n:02d}"
            for n in range(100)
            if id_check_character(f"330481199003151{n:02d}") == "X"
        )
        assert clean_resident_id(body + "x") == body + "X"

    def test_full_width_digits_from_chinese_input_methods(self):
        assert clean_resident_id("３３０４８１１９７００１０１１２３７") == "330481197001011237"

    def test_bad_checksum_never_names_the_expected_character(self):
        """Changing the last character would make a mistyped number pass: the message never says
        what it "should be"."""
        with translation.override("en"), pytest.raises(ValidationError) as info:
            clean_resident_id("330481197001011238")
        assert info.value.code == "checksum"
        assert info.value.messages[0].startswith("The ID number fails its check")
        assert "7" not in info.value.messages[0]
        assert "should be" not in info.value.messages[0]

    @pytest.mark.parametrize("value", ["33048119700101123", "3304811970010112377", "3304811970"])
    def test_wrong_length(self, value):
        assert _error_code(clean_resident_id, value) == "length"

    def test_old_fifteen_digit_number_is_explained(self):
        assert _error_code(clean_resident_id, "330481700101123") == "old_format"

    def test_impossible_birth_date(self):
        body = "33048119900230123"  # 30 February
        assert _error_code(clean_resident_id, body + id_check_character(body)) == "birth_date"

    def test_future_birth_date(self):
        year = timezone.localdate().year + 1
        body = f"330481{year}0101123"
        assert _error_code(clean_resident_id, body + id_check_character(body)) == "birth_date"

    def test_unknown_province_code(self):
        body = "99048119900101123"
        assert _error_code(clean_resident_id, body + id_check_character(body)) == "province"

    def test_letters_inside_are_a_format_error(self):
        assert _error_code(clean_resident_id, "3304811970A1011237") == "format"

    def test_1970_birth_under_a_county_code_created_later_is_valid(self):
        """Haining (330481) became a county-level city in 1986; a worker born there in 1970 holds
        a card issued under the code in force at issue. stdnum's validate() rejects it; we must not."""
        number = "330481197001011237"
        with pytest.raises(Exception):  # noqa: B017 - documents the library behaviour we avoid
            ric.validate(number)
        assert clean_resident_id(number) == number

    def test_birth_date_and_sex_are_derived(self):
        assert birth_date_from_id("330481197001011237") == datetime.date(1970, 1, 1)
        assert sex_from_id("330481197001011237") == "M"  # 17th digit 3 is odd
        assert sex_from_id(make_id("19880808", sex="F")) == "F"

    def test_message_is_chinese_by_default(self):
        with pytest.raises(ValidationError) as info:
            clean_resident_id("123")
        assert "身份证号" in info.value.messages[0]


class TestCreditCode:
    def test_valid(self):
        code = make_credit_code(7)
        assert clean_credit_code(code.lower()) == code

    def test_bad_check_character(self):
        code = make_credit_code(7)
        wrong = code[:-1] + ("0" if code[-1] != "0" else "1")
        assert _error_code(clean_credit_code, wrong) == "checksum"

    def test_wrong_length(self):
        assert _error_code(clean_credit_code, "91330481MA2") == "length"

    def test_forbidden_letters(self):
        assert _error_code(clean_credit_code, "91330481MA2IOZSV01") == "format"


class TestPhones:
    def test_mobile(self):
        assert clean_mobile("138 1234 5678") == "13812345678"
        assert clean_mobile("+8613812345678") == "13812345678"

    @pytest.mark.parametrize("value", ["12812345678", "1381234567", "abc"])
    def test_bad_mobile(self, value):
        assert _error_code(clean_mobile, value) == "mobile"

    def test_landline_with_area_code(self):
        assert clean_phone("0573-87654321") == "057387654321"
        assert _error_code(clean_phone, "87654321") == "phone"
