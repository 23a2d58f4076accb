from unionhub.masking import mask_id_number, mask_phone


def test_id_number_keeps_first_and_last_four():
    assert mask_id_number("33048119900315120X") == "3304**********120X"


def test_phone_keeps_prefix_and_last_four():
    assert mask_phone("13812341234") == "138****1234"


def test_empty_and_short_values():
    assert mask_id_number("") == ""
    assert mask_phone(None) == ""
    assert "1234" not in mask_phone("1234")
