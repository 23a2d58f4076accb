"""``pytest --today YYYY-MM-DD``: run the whole suite as if that were the date.

Loaded with ``-p pytest_today`` (see ``addopts`` in pyproject.toml) so that it runs before any
conftest is imported: the tests' idea of today (``tests.conftest.TODAY``, computed at import) and the
code's clock (``django.utils.timezone.now``/``localdate``, which read the system clock) move together.
time-machine moves the process clock and lets it tick, so durations inside a test stay real.

Without ``--today`` the suite runs on the real date, as ``make test`` does — at the same hour of the day as
with it (``START_HOUR``, the federation's time zone): a suite run at 21:30 must not find the notices' quiet
hours (21:00–08:00) holding back the texts its tests expect sent, nor one run just after midnight in Beijing
find the previous day's date. Tests about a time of day set it themselves.
"""

import datetime
import zoneinfo

import pytest
import time_machine

#: The hour of the day the travelled clock starts at, in the federation's time zone: mid-morning, an
#: ordinary office hour (no test is about midnight unless it sets the time itself).
START_HOUR = 10

_traveller = None


def pytest_addoption(parser):
    parser.addoption(
        "--today",
        metavar="YYYY-MM-DD",
        default=None,
        help="run the suite as if today were this date (the code's clock and the tests' TODAY move together)",
    )


def parse_today(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise pytest.UsageError(f"--today takes a date as YYYY-MM-DD, not {value!r}") from None


@pytest.hookimpl(tryfirst=True)
def pytest_load_initial_conftests(early_config, parser, args):
    """Start travelling before the conftests (and Django) are imported."""
    global _traveller
    value = getattr(early_config.known_args_namespace, "today", None)
    # The federation's zone, written out here because Django's settings are not loaded yet.
    zone = zoneinfo.ZoneInfo("Asia/Shanghai")
    day = parse_today(value) if value else datetime.datetime.now(zone).date()
    _traveller = time_machine.travel(
        datetime.datetime.combine(day, datetime.time(START_HOUR), tzinfo=zone), tick=True
    )
    _traveller.start()


def pytest_report_header(config):
    value = config.getoption("--today")
    if value:
        return f"today: {value} (travelled with --today)"
    return f"today: the real date, from {START_HOUR}:00 in the federation's time zone"


def pytest_unconfigure(config):
    global _traveller
    if _traveller is not None:
        _traveller.stop()
        _traveller = None
