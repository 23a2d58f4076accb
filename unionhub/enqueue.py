"""How a service hands work to a Celery task: by the task's dotted path, resolved when it is sent.

An app's ``tasks.py`` is a set of thin wrappers that import the services they call, at the top of
the module. A service that queues one of those tasks therefore cannot import ``tasks.py`` in turn
(the two modules would import each other, and whichever loads first finds the other half-built).
Function-level imports hid that cycle; instead a service names the task by dotted path
(``"members.tasks.check_dues_upload"``) and ``import_string`` resolves it only when the task is
sent, after every module has loaded. What is sent is the registered task object itself, so
``.delay()`` honours ``CELERY_TASK_ALWAYS_EAGER`` (the tests run tasks in process, and propagate
their errors). Celery's own by-name ``send_task`` would not: it ignores eager mode and always goes
to the broker. ``tests/unionhub/test_enqueue.py`` checks that every path named here resolves to a
registered task, so a renamed task fails a test rather than a request.

Tasks take ids, never model instances.
"""

from celery import Task
from celery.result import AsyncResult
from django.db import transaction
from django.utils.module_loading import import_string


def task_named(path: str) -> Task:
    """The registered Celery task at ``path`` (``"app.tasks.name"``)."""
    task = import_string(path)
    if not isinstance(task, Task):
        raise TypeError(f"{path} is not a Celery task")
    return task


def enqueue_on_commit(path: str, *args, **kwargs) -> None:
    """Queue the task once the current transaction commits (at once outside a transaction), so that
    the worker finds the rows this request wrote, and nothing is queued for a rolled-back write."""
    transaction.on_commit(lambda: task_named(path).delay(*args, **kwargs))


def enqueue_now(path: str, *args, **kwargs) -> AsyncResult:
    """Queue the task now and return its result handle, for a request that waits on it or shows its
    progress. Only for work that depends on nothing this request has written."""
    return task_named(path).delay(*args, **kwargs)
