import pytest


@pytest.fixture
def phone_chair(chair_a, union_a):
    """Union A's chair with a mobile number and an e-mail address: the notices' SMS and e-mail recipient."""
    chair_a.phone, chair_a.email = "13812345678", "chair@example.cn"
    chair_a.save()
    return chair_a
