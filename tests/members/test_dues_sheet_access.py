"""The sheet with the problems marked carries every row's full ID number (issue 17): it goes to the union's
chair and to staff with the organisation duty only, and every download, stored copy or one annotated on the
spot, is an audited access."""

import pytest
from auditlog.models import LogEntry
from django.urls import reverse

from members.models import DuesUpload
from members.services import dues
from tests.members.test_dues import sheet_csv


@pytest.fixture
def upload(settings, tmp_path, chair_a, union_a, member_a, django_capture_on_commit_callbacks):
    settings.MEDIA_ROOT = tmp_path
    with django_capture_on_commit_callbacks(execute=True):
        upload = dues.start_upload(
            by=chair_a,
            union=union_a,
            period_label="2026-10",
            filename="dues.csv",
            data=sheet_csv([["王小明", "330481197001011238", "", "6000", ""]]),
        )
    upload.refresh_from_db()
    assert upload.error_count
    return upload


def _downloads(upload):
    return list(
        LogEntry.objects.get_for_object(upload)
        .filter(action=LogEntry.Action.ACCESS)
        .values_list("actor__username", "additional_data")
    )


@pytest.mark.parametrize("stored", [True, False])
@pytest.mark.parametrize("who", ["chair_a", "staff"])
def test_the_chair_and_organisation_staff_download_it_audited(client, request, upload, who, stored):
    if not stored:  # an upload checked before the marked copy was kept: annotated on the spot
        DuesUpload.objects.filter(pk=upload.pk).update(errors_file="")
    user = request.getfixturevalue(who)
    client.force_login(user)
    response = client.get(reverse("members:dues_upload_errors", args=[upload.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content).startswith(b"PK")
    sheet = "errors_file" if stored else "annotated"
    assert _downloads(upload) == [(user.username, {"downloaded": sheet})]


@pytest.mark.parametrize("who", ["finance_staff", "aid_staff", "casework_staff"])
def test_other_staff_are_refused_and_nothing_is_logged(client, request, upload, who):
    client.force_login(request.getfixturevalue(who))
    assert client.get(reverse("members:dues_upload_errors", args=[upload.pk])).status_code == 403
    assert _downloads(upload) == []


def test_another_unions_chair_gets_404(client, upload, chair_b, union_b):
    client.force_login(chair_b)
    assert client.get(reverse("members:dues_upload_errors", args=[upload.pk])).status_code == 404
    assert _downloads(upload) == []
