"""No input, however hostile, yields a server error (issue 17, "No error page for any input").

Every page of the access matrix (tests/access/matrix.py) is opened in the matrix's district, as each
role, with hostile values for every query parameter the view reads: the names are recorded while the
page is first opened (every ``QueryDict`` lookup is noted), then each name gets each hostile value on
its own, and once more all names together with the parameters read anywhere in the project. Pages with
a form are also submitted with every field they read set to each hostile value. The answer must never
be a 5xx (or an exception).

Then the forms the issue names are submitted with otherwise valid data and one hostile field: the
counter's amount, an application's amount, an activity's capacity, a multi-select with an id beyond
the database's integer range, dates in the years 1 and 9999; they answer with a form error, not a 5xx.
"""

import contextlib
import datetime
import threading
from decimal import Decimal

import pytest
from django.forms.models import model_to_dict
from django.http import QueryDict
from django.urls import reverse
from django.utils import timezone

from aid.models import Programme
from associations.forms import FORM_FIELDS
from perks.models import CardCheck, Redemption
from tests import test_access_matrix
from tests.access.matrix import GET, POST, ROLES, URLS
from tests.factories import DAY, TODAY
from tests.test_access_matrix import _url
from unionhub import params
from unionhub.middleware import CODE_SESSION_FLAG

# The access matrix's district (built once for this module) and its fresh cache for every test.
district = test_access_matrix.district
_fresh_cache = test_access_matrix._fresh_cache

HOSTILE = [
    "²",  # str.isdigit() says yes, int() says no
    "NaN",
    "inf",
    "1e9999",
    "-1",
    "99999999999999999999",  # beyond any database integer
    "0001-01-01",
    "9999-12-31",
    "",
    "\x00",  # PostgreSQL refuses NUL in text
    "x" * 10_000,
]

# Parameters read somewhere in the project: sent all at once as well, so that a name the recording
# missed (read through ``dict(request.GET)`` or a loop) is tried too.
KNOWN_PARAMS = [
    "year",
    "union",
    "programme",
    "school_year",
    "month",
    "page",
    "q",
    "kind",
    "status",
    "area",
    "level",
    "due",
    "category",
    "priority",
    "show",
    "batch",
    "format",
    "association",
    "merchant",
    "amount_spent",
    "card",
    "number",
    "others",
    "start",
    "end",
    "date",
    "handler",
    "stage",
    "from",
    "until",
]

# Who walks which pages. Staff and union A's chair open every page they may reach (200 or a redirect);
# the aid and casework staff the pages only their duty opens; every other role the pages it may reach,
# with fewer rounds (enough to show that its refusals and its own pages parse nothing unsafely).
FULL_ROLES = ("staff", "chair_a")
DUTY_ROLES = ("aid", "casework")
# Values each parameter read by a page of a full role also gets on its own.
ALONE = ["²", "99999999999999999999", "9999-12-31"]

_recording = threading.local()


@contextlib.contextmanager
def recording_reads(monkeypatch):
    """Every key looked up in any QueryDict (GET or POST) while the block runs."""
    keys: set[str] = set()

    def wrap(method):
        def recorded(self, key, *args, **kwargs):
            if getattr(_recording, "on", False) and isinstance(key, str):
                keys.add(key)
            return method(self, key, *args, **kwargs)

        return recorded

    with monkeypatch.context() as patch:
        for name in ("get", "getlist", "__getitem__", "__contains__", "pop"):
            patch.setattr(QueryDict, name, wrap(getattr(QueryDict, name)))
        _recording.on = True
        try:
            yield keys
        finally:
            _recording.on = False


def _send(client, method, url, data, failures, label):
    try:
        response = getattr(client, method)(url, data)
    except Exception as error:  # noqa: BLE001 - an exception is what the test looks for
        failures.append(f"{label}: {type(error).__name__}: {str(error)[:200]}")
        return None
    if response.status_code >= 500:
        failures.append(f"{label}: {response.status_code}")
    return response


def _show(value: str) -> str:
    return repr(value if len(value) < 30 else value[:10] + f"…({len(value)})")


def _show_all(data: dict, keys) -> str:
    """The values of the keys the page read (the other known names got the rest of the round)."""
    return " ".join(f"{key}={_show(data[key])}" for key in sorted(keys) if key in data)


def _rows():
    for url in URLS:
        if url.method != GET:
            continue
        expected = url.expected()
        for role, status in expected.items():
            if (
                status not in (200, 302)
                or role in ("anonymous", "member")
                and status == 302
                and not (role == "member" and url.name.startswith("member_"))
            ):
                continue  # refused (or sent to a login page, or a code session sent home) before the view reads anything
            if role in DUTY_ROLES and expected["staff"] in (200, 302):
                continue  # the same page as staff's
            # A member's own pages (the member area) are walked in full, as the staff's and chair A's are.
            full = role in FULL_ROLES or role in DUTY_ROLES or role == "member"
            yield pytest.param(role, url.name, url.args, full, id=f"{url.name}-{role}")


def _sign_in(client, district, role):
    if role == "anonymous":
        return
    client.force_login(district[role])
    if role == "member":  # signed in with an SMS code, as members are
        session = client.session
        session[CODE_SESSION_FLAG] = True
        session.save()


def _rounds(keys, values):
    """Requests in which every key takes every value once: key i gets value (i + round) mod n."""
    keys = sorted(keys)
    return [{key: values[(i + r) % len(values)] for i, key in enumerate(keys)} for r in range(len(values))]


@pytest.mark.parametrize("role, name, args, full", list(_rows()))
def test_no_hostile_query_parameter_makes_a_server_error(
    client, db, district, monkeypatch, role, name, args, full
):
    _sign_in(client, district, role)
    url = _url(district, name, args)
    failures: list[str] = []
    with recording_reads(monkeypatch) as read:
        response = _send(client, "get", url, {}, failures, f"GET {url}")
    read -= {"csrfmiddlewaretoken"}
    values = HOSTILE if full else ALONE
    for data in _rounds(read | set(KNOWN_PARAMS), values):
        _send(client, "get", url, data, failures, f"GET {url} {_show_all(data, read)}")
    if full:
        for key in sorted(read):
            for value in ALONE:
                _send(client, "get", url, {key: value}, failures, f"GET {url} {key}={_show(value)}")
    # A page with a form: submit every field it reads with each hostile value.
    page = response is not None and response.status_code == 200 and not response.streaming
    if full and page and b"<form" in response.content:
        with recording_reads(monkeypatch) as posted:
            _send(client, "post", url, {}, failures, f"POST {url} (empty)")
        posted -= {"csrfmiddlewaretoken"}
        for data in _rounds(posted, HOSTILE):
            _send(client, "post", url, data, failures, f"POST {url} {_show_all(data, posted)}")
    assert not failures, "\n".join(failures)


def _action_rows():
    """Each action-only URL (POST) once, as the first role whose POST gets through (a redirect after
    the action, a page, or a 400 for a partial form)."""
    for url in URLS:
        if url.method != POST:
            continue
        expected = url.expected()
        role = next((r for r in ROLES if r != "anonymous" and expected[r] in (200, 302, 400)), None)
        if role is not None:
            yield pytest.param(role, url.name, url.args, id=f"{url.name}-{role}")


@pytest.mark.parametrize("role, name, args", list(_action_rows()))
def test_no_hostile_form_value_makes_a_server_error(client, db, district, monkeypatch, role, name, args):
    """Every field an action reads, with each hostile value (a round of them at a time)."""
    _sign_in(client, district, role)
    url = _url(district, name, args)
    failures: list[str] = []
    with recording_reads(monkeypatch) as posted:
        _send(client, "post", url, {}, failures, f"POST {url} (empty)")
    posted -= {"csrfmiddlewaretoken"}
    for data in _rounds(posted, HOSTILE):
        _send(client, "post", url, data, failures, f"POST {url} {_show_all(data, posted)}")
    assert not failures, "\n".join(failures)


def test_every_role_is_walked():
    assert {row.values[0] for row in _rows()} == set(ROLES)
    assert {row.values[1] for row in _rows() if row.values[0] in FULL_ROLES} >= {
        url.name for url in URLS if url.method == GET and url.expected()["staff"] == 200
    }


# The forms the issue names: valid data with one hostile field --------------------------------------


def _errors(response) -> bool:
    """The page came back (200) with a form error on it."""
    return response.status_code in (200, 400) and any(
        mark in response.content for mark in (b"errorlist", b"has-error", b"errorbox", b'class="error"')
    )


AMOUNTS = ["NaN", "-NaN", "sNaN", "inf", "-Infinity", "1e9999", "99999999999999999999", "²"]
HUGE_IDS = ["99999999999999999999", "2147483648", "9223372036854775808"]
BAD_DATES = ["0001-01-01", "9999-12-31", "1899-12-31", "2101-01-01"]


def _login(client, district, role):
    client.force_login(district[role])
    return client


def test_counter_refuses_nan_and_infinite_amounts(client, db, district):
    shop = district["shop"]
    shop.agreement_start, shop.agreement_end = TODAY - 100 * DAY, TODAY + 200 * DAY
    shop.save(update_fields=["agreement_start", "agreement_end"])
    _login(client, district, "merchant")
    client.post(reverse("perks:counter_check"), {"number": district["card"].number, "merchant": shop.pk})
    check_id = CardCheck.objects.latest("pk").pk
    for amount in AMOUNTS:
        response = client.post(
            reverse("perks:counter_redeem"), {"check_id": check_id, "amount_spent": amount}
        )
        assert response.status_code == 400 and _errors(response), amount
        response = client.get(reverse("perks:counter_discount"), {"amount_spent": amount})
        assert response.status_code == 200, amount
    assert not Redemption.objects.exists()


def test_application_refuses_nan_infinite_and_huge_amounts(client, db, district):
    _login(client, district, "chair_a")
    url = reverse("aid:application_create") + f"?programme={district['aid_programme'].pk}"
    for amount in AMOUNTS:
        data = {"id_number": district["member_a"].id_number, "amount_requested": amount, "reason": "困难"}
        assert _errors(client.post(url, data)), amount
    for programme in ["²", "99999999999999999999", "-1", "\x00"]:  # a forged programme: back to the list
        response = client.get(reverse("aid:application_create"), {"programme": programme})
        assert response.status_code == 302, programme


def _activity_data(district, **changes):
    activity = district["activity"]
    data = {
        name: value
        for name, value in model_to_dict(activity, fields=FORM_FIELDS).items()
        if value is not None
    }
    for name in ("starts_at", "ends_at", "signup_deadline"):
        data[name] = timezone.localtime(data[name]).strftime("%Y-%m-%dT%H:%M")
    data["title"] = "新活动"
    return {**data, **changes}


@pytest.mark.parametrize("capacity", [*HUGE_IDS, "-1", "1e9999", "²"])
def test_activity_capacity_beyond_the_integer_column_is_a_form_error(client, db, district, capacity):
    _login(client, district, "assoc")
    url = reverse("associations:activity_create") + f"?association={district['association'].pk}"
    assert client.post(url, _activity_data(district)).status_code == 302  # the data is valid
    assert _errors(client.post(url, _activity_data(district, capacity=capacity, title="再一个")))


@pytest.mark.parametrize("day", BAD_DATES)
def test_dates_outside_1900_to_2100_are_form_errors(client, db, district, day):
    _login(client, district, "assoc")
    url = reverse("associations:activity_create") + f"?association={district['association'].pk}"
    for name in ("starts_at", "ends_at", "signup_deadline"):
        response = client.post(url, _activity_data(district, **{name: f"{day}T10:00"}))
        assert _errors(response), name
    _login(client, district, "staff")
    response = client.post(reverse("calendar_day_create"), {"date": day, "kind": "holiday", "name": "节"})
    assert _errors(response)
    assert "1900-01-01" in response.content.decode()


@pytest.mark.parametrize("pk", [*HUGE_IDS, "0", "-1", "²"])
def test_a_multi_select_with_an_id_beyond_the_integer_column_is_a_form_error(client, db, district, pk):
    visits = Programme.objects.create(
        year=TODAY.year,
        kind=Programme.Kind.HOLIDAY_VISIT,
        name="节日慰问",
        min_amount=Decimal("100"),
        max_amount=Decimal("1000"),
        opens_on=TODAY - 30 * DAY,
        closes_on=TODAY + 30 * DAY,
    )
    _login(client, district, "aid")
    data = {"programme": visits.pk, "amount_each": "100", "on": TODAY.isoformat(), "members": [pk]}
    response = client.post(reverse("aid:visit_batch"), data)
    assert _errors(response)
    _login(client, district, "staff")
    area = district["area"]
    response = client.post(reverse("members:area_assign", args=[area.pk]), {"unions": [pk], "shown": [pk]})
    assert response.status_code == 302


@pytest.mark.parametrize("year", ["1", "0001", "1899", "2101", "9999", "99999", "99999999999999999999"])
def test_review_pages_for_a_year_out_of_range_are_not_found(client, db, district, year):
    for role, name, args in [
        ("aid", "aid:review_list", []),
        ("staff", "calendar", []),
        ("chair_a", "aid:mutual_fund_report", [district["mutual_fund"].pk]),
        ("assoc", "associations:plan_edit", [district["association"].pk]),
        ("staff", "homes:self_assessment", [district["union_a"].pk]),
    ]:
        _login(client, district, role)
        path = reverse(name, args=[*args, 2000]).replace("/2000/", f"/{year}/")
        assert client.get(path).status_code == 404, path


def test_review_page_for_a_year_without_reviews_says_so(client, db, district):
    _login(client, district, "aid")
    assert client.get(reverse("aid:review_list", args=[1950])).status_code == 200


# The helper itself ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "raw", ["²", "１", "1.0", "1e3", "-1", "0", " ", "", "\x00", "2147483648", "9" * 30, None]
)
def test_parse_id_takes_ascii_digits_within_the_integer_column_only(raw):
    assert params.parse_id(raw) is None


@pytest.mark.parametrize(
    "raw", ["0001-01-01", "9999-12-31", "1899-12-31", "2026-02-30", "２０２６-01-01", "x"]
)
def test_parse_date_refuses_extreme_and_malformed_dates(raw):
    assert params.parse_date(raw) is None


@pytest.mark.parametrize("raw", ["NaN", "sNaN", "inf", "-Infinity", "1e9999", "1E2", "-1", "1.234", "²"])
def test_parse_decimal_refuses_what_is_not_an_amount(raw):
    assert params.parse_decimal(raw) is None


def test_helpers_read_what_is_well_formed():
    assert params.parse_id(" 42 ") == 42
    assert params.parse_year("2027") == 2027 and params.parse_year("1899") is None
    assert params.parse_month("2027-3") == datetime.date(2027, 3, 1) and params.parse_month("2027-13") is None
    assert params.parse_decimal("12.50") == Decimal("12.50")
    assert params.clean_text(" a\x00b ") == "ab" and len(params.clean_text("x" * 10_000)) == params.TEXT_MAX


@pytest.mark.parametrize("number", ["3304811970010112²7", "33048119700101123²", "33048119７0010112３7"])
def test_an_id_number_with_superscript_digits_is_a_form_error(client, db, district, number):
    """str.isdigit() let "²" through to int() in the check-character arithmetic."""
    _login(client, district, "chair_a")
    url = reverse("aid:application_create") + f"?programme={district['aid_programme'].pk}"
    assert _errors(client.post(url, {"id_number": number, "amount_requested": "1000", "reason": "困难"}))


@pytest.mark.parametrize("reason", ["撤销\x00原因", "理由" * 5000])
def test_a_reason_with_nul_or_10_kb_is_kept_cleanly(client, db, district, reason):
    """PostgreSQL refuses NUL in text and in the audit trail's JSON."""
    _login(client, district, "staff")
    honour = district["honour"]
    assert (
        client.post(reverse("honours:honour_revoke", args=[honour.pk]), {"reason": reason}).status_code == 302
    )
    honour.refresh_from_db()
    assert honour.revoked
