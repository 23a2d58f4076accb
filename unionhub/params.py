"""Query parameters, parsed in one place: ``year_param(request)``, ``id_param(request, "union")``...

A value that is missing, malformed or out of range gives the default, never an exception: a stale
bookmark or a hostile link shows the page without that filter. Numbers are ASCII digits only
(``str.isdigit()`` accepts "²" and "١", which ``int()`` then refuses or reads differently), ids stay
within the database's integer range (PostgreSQL refuses anything beyond 2**31 - 1 with an error),
and years and dates within the range the date arithmetic of the pages can handle."""

import datetime
import re
from decimal import Decimal

DB_INT_MAX = 2**31 - 1
YEAR_MIN, YEAR_MAX = 1900, 2100
DATE_MIN, DATE_MAX = datetime.date(YEAR_MIN, 1, 1), datetime.date(YEAR_MAX, 12, 31)
#: Longer text than this in a search box is cut: nobody types it, and it only costs the database.
TEXT_MAX = 100
#: A reason typed into an action's box (revoking, declining, reversing): kept in the audit trail.
REASON_MAX = 2000

_DIGITS = re.compile(r"[0-9]{1,12}")
_DATE = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})")
_MONTH = re.compile(r"([0-9]{4})-([0-9]{1,2})")
_DECIMAL = re.compile(r"[0-9]{1,12}(\.[0-9]{0,2})?")


def parse_int(raw, *, min_value: int = 0, max_value: int = DB_INT_MAX) -> int | None:
    """``raw`` as a whole number within the bounds, or None."""
    if not isinstance(raw, str) or not _DIGITS.fullmatch(raw := raw.strip()):
        return None
    value = int(raw)
    return value if min_value <= value <= max_value else None


def parse_id(raw) -> int | None:
    """A primary key: 1 … 2**31 - 1."""
    return parse_int(raw, min_value=1)


def parse_year(raw, *, min_value: int = YEAR_MIN, max_value: int = YEAR_MAX) -> int | None:
    return parse_int(raw, min_value=min_value, max_value=max_value)


def parse_date(raw, *, min_value=DATE_MIN, max_value=DATE_MAX) -> datetime.date | None:
    """An ISO date (YYYY-MM-DD) within the bounds, or None."""
    match = _DATE.fullmatch(raw.strip()) if isinstance(raw, str) else None
    if not match:
        return None
    try:
        value = datetime.date(*(int(part) for part in match.groups()))
    except ValueError:
        return None
    return value if min_value <= value <= max_value else None


def parse_month(raw, *, min_value=DATE_MIN, max_value=DATE_MAX) -> datetime.date | None:
    """A month (YYYY-MM) as its first day, within the bounds, or None."""
    match = _MONTH.fullmatch(raw.strip()) if isinstance(raw, str) else None
    if not match:
        return None
    year, month = (int(part) for part in match.groups())
    if not 1 <= month <= 12:
        return None
    value = datetime.date(year, month, 1)
    return value if min_value <= value <= max_value else None


def parse_decimal(raw, *, max_value=None) -> Decimal | None:
    """An amount in yuan (digits, at most two decimals: never NaN, infinity or an exponent), or None."""
    if not isinstance(raw, str) or not _DECIMAL.fullmatch(raw := raw.strip()):
        return None
    value = Decimal(raw)
    return value if max_value is None or value <= max_value else None


def clean_text(raw, *, max_length: int = TEXT_MAX) -> str:
    """Search text: stripped, without NUL characters (PostgreSQL refuses them), at most ``max_length``."""
    if not isinstance(raw, str):
        return ""
    return raw.replace("\x00", "").strip()[:max_length]


# --- the same, read from request.GET ------------------------------------------------------------------


def int_param(request, name: str, default=None, *, min_value: int = 0, max_value: int = DB_INT_MAX):
    value = parse_int(request.GET.get(name), min_value=min_value, max_value=max_value)
    return default if value is None else value


def id_param(request, name: str, default=None):
    value = parse_id(request.GET.get(name))
    return default if value is None else value


def year_param(request, name: str = "year", default=None, *, min_value=YEAR_MIN, max_value=YEAR_MAX):
    value = parse_year(request.GET.get(name), min_value=min_value, max_value=max_value)
    return default if value is None else value


def date_param(request, name: str, default=None, *, min_value=DATE_MIN, max_value=DATE_MAX):
    value = parse_date(request.GET.get(name), min_value=min_value, max_value=max_value)
    return default if value is None else value


def month_param(request, name: str = "month", default=None):
    value = parse_month(request.GET.get(name))
    return default if value is None else value


def decimal_param(request, name: str, default=None, *, max_value=None):
    value = parse_decimal(request.GET.get(name), max_value=max_value)
    return default if value is None else value


def choice_param(request, name: str, choices, default: str = "") -> str:
    """The value if it is one of ``choices`` (values, or (value, label) pairs), else ``default``."""
    raw = request.GET.get(name)
    values = {choice[0] if isinstance(choice, (tuple, list)) else choice for choice in choices}
    return raw if isinstance(raw, str) and raw in values else default


def text_param(request, name: str = "q", *, max_length: int = TEXT_MAX) -> str:
    return clean_text(request.GET.get(name), max_length=max_length)


class YearConverter:
    """``<year:year>`` in a URL path: a year the pages can compute with (1900 … 2100); any other number
    matches no URL, so it is a 404 rather than an overflow in the view."""

    regex = "[0-9]{4}"

    def to_python(self, value: str) -> int:
        year = parse_year(value)
        if year is None:
            raise ValueError(value)
        return year

    def to_url(self, value) -> str:
        return str(value)
