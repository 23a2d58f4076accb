"""The one Celery app. Configured from the ``CELERY_*`` Django settings; tasks autodiscovered."""

import os

from celery import Celery
from celery.signals import worker_ready
from django.conf import settings

from unionhub.settings import DEFAULT as DEFAULT_SETTINGS

os.environ.setdefault("DJANGO_SETTINGS_MODULE", DEFAULT_SETTINGS)

app = Celery("unionhub")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@worker_ready.connect
def catch_up_monthly_reports(sender=None, **kwargs):
    """When a worker starts, produce any monthly report missed while the broker or the workers were down
    (the run is idempotent: months already produced are left alone). Off in the test settings, whose
    throw-away worker must not start producing reports."""
    if getattr(settings, "UNIONHUB_CATCH_UP_ON_WORKER_START", True):
        sender.app.send_task("unionhub.tasks.monthly_reports")
