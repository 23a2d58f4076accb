"""The annotated copy of a sheet is named after the chair's own file: ``原文件名-问题标注.xlsx`` (issue 18)."""

import re
from urllib.parse import unquote

import pytest
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
            filename="11月工资表.xls",
            data=sheet_csv([["邓勇浩", "330481197001011238", "", "6000", ""]]),
        )
    upload.refresh_from_db()
    assert upload.error_count
    return upload


@pytest.mark.parametrize("stored", [True, False])
def test_the_annotated_copy_is_named_after_the_chairs_file(client, chair_a, upload, stored):
    if not stored:  # annotated on the spot
        DuesUpload.objects.filter(pk=upload.pk).update(errors_file="")
    client.force_login(chair_a)
    response = client.get(
        reverse("members:dues_upload_errors", args=[upload.pk]), HTTP_ACCEPT_LANGUAGE="zh-hans"
    )
    assert response.status_code == 200
    disposition = response["Content-Disposition"]
    # RFC 5987/6266: a non-ASCII name travels as filename*=UTF-8''<percent-encoded>.
    assert disposition.startswith("attachment")
    encoded = re.search(r"filename\*=UTF-8''([^;\s]+)", disposition, re.IGNORECASE)
    assert encoded and unquote(encoded.group(1)) == "11月工资表-问题标注.xlsx", disposition
    assert "errors" not in disposition


def test_another_unions_chair_gets_404(client, chair_b, union_b, upload):
    client.force_login(chair_b)
    assert client.get(reverse("members:dues_upload_errors", args=[upload.pk])).status_code == 404
