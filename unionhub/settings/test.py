"""pytest: SQLite by default, PostgreSQL when DATABASE_URL is set; fast hashing, eager Celery."""

import os

from .base import *  # noqa: F403
from .base import DATABASES, VAR_DIR

# Under pytest-xdist each worker process (gw0, gw1, …) keeps its own files as it keeps its own database
# (pytest-django adds the same suffix to the test database's name).
_WORKER = os.environ.get("PYTEST_XDIST_WORKER", "")
_SUFFIX = f"-{_WORKER}" if _WORKER else ""

DEBUG = False
SECRET_KEY = "test-only-key"  # noqa: S105
ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
CELERY_TASK_ALWAYS_EAGER = True
CELERY_TASK_EAGER_PROPAGATES = True
MEDIA_ROOT = VAR_DIR / f"test-media{_SUFFIX}"
SMS_LOG_FILE = VAR_DIR / f"test-sms{_SUFFIX}.log"
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A file, not memory, so that the live server of the browser test shares it.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test.sqlite3")}
AXES_FAILURE_LIMIT = 5
# Each test process keeps its own cache (rate limits, form tokens), even when CI sets a Redis broker.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# The throw-away worker of the Celery test must not start producing monthly reports.
UNIONHUB_CATCH_UP_ON_WORKER_START = False
# A transactional test restores the database it found by re-saving every serialized row ("raw" saves):
# django-auditlog logging each of them doubled the cost of every such test (the slowest part of the
# suite's tail). The code's own saves are never raw, so every audit-trail test still sees its entries.
AUDITLOG_DISABLE_ON_RAW_SAVE = True
