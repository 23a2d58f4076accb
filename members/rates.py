"""The statutory rates, written to ``DuesRate`` after every ``migrate`` (and after a test flush).
A federation records a change of rate as a new ``DuesRate`` row with the date it takes effect."""

import datetime
from decimal import Decimal

from .models import DuesRate

DEFAULT_RATES = [
    ("union_funds", Decimal("0.0200"), "《工会法》：按每月全部职工工资总额的百分之二拨缴工会经费"),
    ("member_dues", Decimal("0.0050"), "会员按本人每月工资收入的百分之零点五交纳会费，不足10元的部分不计"),
    ("grassroots_share", Decimal("0.6000"), "收到的工会经费按60%返还基层工会"),
    ("hardship_fund", Decimal("0.0500"), "按当年实际收缴工会经费的5%提取困难职工救助基金"),
]
DEFAULT_EFFECTIVE_FROM = datetime.date(2000, 1, 1)


def ensure_default_rates(**kwargs) -> None:
    for kind, rate, note in DEFAULT_RATES:
        DuesRate.objects.get_or_create(
            kind=kind, effective_from=DEFAULT_EFFECTIVE_FROM, defaults={"rate": rate, "note": note}
        )
