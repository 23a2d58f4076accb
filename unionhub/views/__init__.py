"""The core's pages: the dashboard (``dashboard``), the working calendar (``calendar``), notices
(``notices``), ``/healthz`` (``health``), monthly reports (``reports``) and the rules library (``rules``).
``unionhub/urls.py`` lists their paths."""
