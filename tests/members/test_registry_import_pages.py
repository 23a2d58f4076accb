"""The ledger import pages (台账导入): upload → progress → preview → commit, the errors, the template, and
who may use them (the organisation duty only)."""

import io

import openpyxl
import pytest
from auditlog.models import LogEntry
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from members.ledger import MEMBERS
from members.ledger_sample import write_ledger
from members.models import GrassrootsUnion, Member, MembershipEvent, RegistryImport
from tests.members.test_registry_import import small_ledger

pytestmark = pytest.mark.django_db
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def upload(client, data, django_capture_on_commit_callbacks, name="台账.xlsx"):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("members:registry_import_create"),
            {"file": SimpleUploadedFile(name, data, content_type=XLSX)},
        )
    return response


def test_staff_upload_preview_and_commit_once(client, staff, django_capture_on_commit_callbacks):
    client.force_login(staff)
    response = upload(client, write_ledger(small_ledger()), django_capture_on_commit_callbacks)
    record = RegistryImport.objects.get()
    assert response.status_code == 302 and response["Location"] == record.get_absolute_url()
    assert record.status == RegistryImport.Status.VALID
    page = client.get(record.get_absolute_url()).content.decode()
    assert 'id="preview"' in page and "members:registry_import_commit" not in page
    assert reverse("members:registry_import_commit", args=[record.pk]) in page
    assert not GrassrootsUnion.objects.exists()  # the preview wrote nothing
    progress = client.get(reverse("members:registry_import_progress", args=[record.pk]))
    assert progress.status_code == 200 and progress["HX-Refresh"] == "true"
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("members:registry_import_commit", args=[record.pk]))
        client.post(reverse("members:registry_import_commit", args=[record.pk]))  # double submit
    record.refresh_from_db()
    assert record.status == RegistryImport.Status.COMMITTED and record.committed_by == staff
    assert Member.objects.count() == 4 and MembershipEvent.objects.count() == 4
    assert GrassrootsUnion.objects.get(code="HN101").chair.username == "13700000001"
    assert len(record.summary["created_chairs"]) == 2
    page = client.get(record.get_absolute_url()).content.decode()
    assert "Committed" in page or "已提交" in page


def test_errors_are_listed_and_the_marked_copy_is_for_the_duty_only(
    client, staff, finance_staff, chair_a, django_capture_on_commit_callbacks
):
    rows = small_ledger()
    rows[MEMBERS][0][5] = "去年"
    client.force_login(staff)
    upload(client, write_ledger(rows), django_capture_on_commit_callbacks)
    record = RegistryImport.objects.get()
    assert record.status == RegistryImport.Status.INVALID and record.error_count == 1
    page = client.get(record.get_absolute_url()).content.decode()
    assert "会员" in page and "入会日期" in page and "去年" in page
    assert reverse("members:registry_import_commit", args=[record.pk]) not in page
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("members:registry_import_commit", args=[record.pk]))
    assert not GrassrootsUnion.objects.exists()
    response = client.get(reverse("members:registry_import_errors", args=[record.pk]))
    assert response.status_code == 200
    book = openpyxl.load_workbook(
        io.BytesIO(b"".join(response.streaming_content if response.streaming else [response.content]))
    )
    sheet = book["会员"]
    marked = sheet.cell(row=3, column=6)
    assert marked.value == "去年" and marked.comment is not None
    assert "入会日期" in sheet.cell(row=3, column=10).value  # the reason column
    assert LogEntry.objects.get_for_object(record).filter(action=LogEntry.Action.ACCESS).exists()
    for user in (finance_staff, chair_a):
        client.force_login(user)
        assert client.get(reverse("members:registry_import_errors", args=[record.pk])).status_code == 403
        assert client.get(record.get_absolute_url()).status_code == 403


def test_an_unreadable_file_says_why(client, staff, django_capture_on_commit_callbacks):
    client.force_login(staff)
    data = "甲,乙\n1,2\n".encode()
    upload(client, data, django_capture_on_commit_callbacks, name="x.csv")
    record = RegistryImport.objects.get()
    assert record.status == RegistryImport.Status.UNREADABLE and record.message
    assert record.message in client.get(record.get_absolute_url()).content.decode()


def test_the_template_download(client, staff):
    client.force_login(staff)
    response = client.get(reverse("members:registry_import_template"))
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["工会", "单位", "会员"]
    assert book["会员"]["C1"].value == "身份证号码"


def test_links_for_organisation_staff_only(client, staff, finance_staff):
    client.force_login(staff)
    assert (
        reverse("members:registry_import_create")
        in client.get(reverse("members:union_list")).content.decode()
    )
    client.force_login(finance_staff)
    assert (
        reverse("members:registry_import_create")
        not in client.get(reverse("members:union_list")).content.decode()
    )


def test_outsiders_chairs_and_finance_may_not_upload(
    client, outsider, chair_a, finance_staff, django_capture_on_commit_callbacks
):
    for user in (outsider, chair_a, finance_staff):
        client.force_login(user)
        assert (
            upload(client, write_ledger(small_ledger()), django_capture_on_commit_callbacks).status_code
            == 403
        )
    assert not RegistryImport.objects.exists()
