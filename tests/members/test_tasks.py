"""The upload tasks release a row stuck in a working state when a service fails unexpectedly, so that no page
polls a progress bar for ever; the error still reaches the logs."""

import pytest

from members import tasks
from members.models import RegistryImport


def _failing(**kwargs):
    raise RuntimeError("boom")


@pytest.mark.parametrize(
    ("task", "service", "working", "released"),
    [
        (tasks.check_registry_import, "check_import", "pending", "unreadable"),
        (tasks.commit_registry_import, "commit_import", "committing", "valid"),
    ],
)
def test_a_failed_step_releases_the_row_with_a_message(db, monkeypatch, task, service, working, released):
    record = RegistryImport.objects.create(original_name="台账.xlsx", status=working)
    monkeypatch.setattr(tasks.ledger, service, _failing)
    args = (record.pk,) if task is tasks.check_registry_import else (record.pk, None)
    with pytest.raises(RuntimeError):
        task.run(*args)
    record.refresh_from_db()
    assert record.status == released
    assert record.message  # said on the page in the user's language


def test_a_row_no_longer_working_is_left_alone(db, monkeypatch):
    record = RegistryImport.objects.create(original_name="台账.xlsx", status="committed")
    monkeypatch.setattr(tasks.ledger, "commit_import", _failing)
    with pytest.raises(RuntimeError):
        tasks.commit_registry_import.run(record.pk, None)
    record.refresh_from_db()
    assert record.status == "committed" and record.message == ""
