"""Celery: eager in the embedded default; a real worker against Redis when CELERY_BROKER_URL is set."""

import os

import pytest

from unionhub.celery import app
from unionhub.tasks import ping


def test_tasks_run_eagerly_by_default():
    assert app.conf.task_always_eager
    assert ping.delay().get(timeout=5) == "pong"


def test_celery_is_configured_for_long_safe_work():
    assert app.conf.task_serializer == "json" and app.conf.accept_content == ["json"]
    assert app.conf.task_acks_late and app.conf.task_time_limit and app.conf.task_soft_time_limit
    assert "holiday-calendar-check" in app.conf.beat_schedule


@pytest.mark.skipif(not os.environ.get("CELERY_BROKER_URL"), reason="needs CELERY_BROKER_URL (Redis)")
def test_real_worker_answers_through_redis():
    from celery.contrib.testing.worker import start_worker

    broker = os.environ["CELERY_BROKER_URL"]
    saved = {k: app.conf[k] for k in ("task_always_eager", "broker_url", "result_backend")}
    app.conf.update(task_always_eager=False, broker_url=broker, result_backend=broker)
    try:
        with start_worker(
            app, perform_ping_check=False, pool="solo", loglevel="WARNING", shutdown_timeout=10
        ):
            assert ping.delay().get(timeout=20) == "pong"
    finally:
        app.conf.update(saved)
