import json

from django.db.utils import OperationalError


def test_healthz_ok_with_eager_broker(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert json.loads(response.content) == {"database": "ok", "broker": "eager", "status": "ok"}


def test_healthz_503_when_database_is_down(client, db, monkeypatch):
    from unionhub.views import health as views

    class DownConnection:
        def cursor(self):
            raise OperationalError("down")

    monkeypatch.setattr(views, "connection", DownConnection())
    response = client.get("/healthz")
    assert response.status_code == 503
    assert json.loads(response.content)["database"].startswith("error")


def test_healthz_503_when_broker_is_unreachable(client, db, monkeypatch):
    from unionhub.celery import app

    # Celery prefers the CELERY_BROKER_URL environment variable (set in CI) to its configuration.
    monkeypatch.setenv("CELERY_BROKER_URL", "redis://127.0.0.1:1/0")
    old = app.conf.task_always_eager, app.conf.broker_url
    app.conf.task_always_eager, app.conf.broker_url = False, "redis://127.0.0.1:1/0"
    try:
        response = client.get("/healthz")
    finally:
        app.conf.task_always_eager, app.conf.broker_url = old
    assert response.status_code == 503
    assert json.loads(response.content)["broker"].startswith("error")
