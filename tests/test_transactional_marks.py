"""Every transactional test restores the database it found (``serialized_rollback=True``).

A transactional test's teardown empties every table and, unless the test asked for a serialized rollback,
re-runs the post-migrate handlers: the duty groups come back with new ids, and the next test that restores
the serialized database (tests/unionhub/test_report_runs.py) then fails on ``auth_group.name``; the
calendar the migrations loaded is gone for every test after it. One unmarked test breaks tests far away
from it, in whatever order the suite runs: so this checks the marks, not the order."""

import re
from pathlib import Path

TESTS = Path(__file__).resolve().parent
MARK = re.compile(r"django_db\(([^)]*)\)")


def test_every_transactional_test_asks_for_a_serialized_rollback():
    offenders = []
    for path in sorted(TESTS.rglob("test_*.py")):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            for arguments in MARK.findall(line):
                if "transaction=True" in arguments and "serialized_rollback=True" not in arguments:
                    offenders.append(f"{path.relative_to(TESTS)}:{number}")
            if re.search(r"\btransactional_db\b", line) and "def " in line:
                offenders.append(f"{path.relative_to(TESTS)}:{number} (transactional_db fixture)")
    assert not offenders, "add serialized_rollback=True: " + ", ".join(offenders)
