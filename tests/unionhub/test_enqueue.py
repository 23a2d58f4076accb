"""Services queue tasks by dotted path (unionhub/enqueue.py): every path named resolves to a registered
task, eager mode still applies, queuing waits for the commit, and no services module imports its
app's tasks module (the cycle the dotted paths break)."""

import subprocess
import sys

import pytest
from celery import Task

from members.services import dues
from perks.services import sheets
from secondment.services import certificates
from unionhub.celery import app
from unionhub.enqueue import enqueue_now, enqueue_on_commit, task_named

TASK_PATHS = [
    dues.CHECK_TASK,
    dues.COMMIT_TASK,
    sheets.RENDER_TASK,
    certificates.RENDER_TASK,
    certificates.MONTH_TASK,
]


@pytest.mark.parametrize("path", TASK_PATHS)
def test_every_task_a_service_names_is_registered(path):
    task = task_named(path)
    assert isinstance(task, Task) and task.name == path and path in app.tasks


def test_a_path_that_is_not_a_task_is_refused():
    with pytest.raises(TypeError):
        task_named("unionhub.enqueue.task_named")


def test_queued_now_runs_eagerly_in_tests(db):
    result = enqueue_now(certificates.RENDER_TASK, 0)  # no such certificate: the task does nothing
    assert result.ready() and result.get() is None


def test_queued_on_commit_waits_for_the_commit(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        enqueue_on_commit(certificates.RENDER_TASK, 0)
    assert len(callbacks) == 1
    callbacks[0]()  # what the commit runs: the eager task, which finds no certificate


def test_services_load_without_their_tasks_modules():
    code = (
        "import django, sys; django.setup(); "
        "import members.services.dues, perks.services.sheets, secondment.services.certificates; "
        "loaded = [m for m in ('members.tasks', 'perks.tasks', 'secondment.tasks') if m in sys.modules]; "
        "print(','.join(loaded))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        env={"DJANGO_SETTINGS_MODULE": "unionhub.settings.test", "PATH": "/usr/bin:/bin"},
    )
    assert done.stdout.strip() == ""
