"""Settings: ``base`` holds everything shared, ``dev`` is the embedded default a newcomer runs,
``test`` is what pytest uses, ``production`` is strict and refuses unsafe defaults.

Every entry point (``manage.py``, the WSGI application, the Celery app) falls back to the same
module, :data:`DEFAULT`, when ``DJANGO_SETTINGS_MODULE`` is not set. Production is used only where
a deployment says so: the Dockerfile and docker-compose.yml set
``DJANGO_SETTINGS_MODULE=unionhub.settings.production`` for web, worker and beat alike, so a worker
can no longer run with other settings than the web process beside it."""

DEFAULT = "unionhub.settings.dev"
