"""Fixtures shared by the dues tests: a sheet uploaded and checked, and a checked upload committed (Celery is
eager in tests; both run what the request queues on commit)."""

import pytest

from members.services import dues


@pytest.fixture
def upload_sheet(django_capture_on_commit_callbacks):
    """Start an upload and run its check; the upload comes back as the check left it."""

    def _upload(by, union, data, name="dues.csv", period="2026-10", replace=False):
        with django_capture_on_commit_callbacks(execute=True):
            upload = dues.start_upload(
                by=by, union=union, period_label=period, filename=name, data=data, replace=replace
            )
        upload.refresh_from_db()
        return upload

    return _upload


@pytest.fixture
def commit(django_capture_on_commit_callbacks):
    """Ask for an upload's commit (``replace``: the chair's choice on the preview) and run the commit task."""

    def _commit(by, upload, replace=None):
        with django_capture_on_commit_callbacks(execute=True):
            dues.request_commit(by=by, upload=upload, replace=replace)
        upload.refresh_from_db()
        return upload

    return _commit
