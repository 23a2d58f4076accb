"""Stored files (issue 17): nothing under MEDIA_ROOT is served, with DEBUG on or off; every file of every
kind is delivered by the core's view (``files:file``) to the roles that may open the page showing it, and
to nobody else; the response's type is the file's true one, inline only for PDFs and images, with nosniff;
production hands the transfer to the web server; the dues sheets with full ID numbers go only to the chair
and organisation-duty staff, every download audited; the public verification pages offer no file."""

import importlib

import pytest
from auditlog.models import LogEntry
from django.apps import apps
from django.conf import settings
from django.core.files.base import ContentFile
from django.db import models, transaction
from django.test.utils import override_settings
from django.urls import clear_url_caches, reverse

from associations.models import ActivityPhoto
from tests.access.district import build_district
from tests.access.matrix import ROLES
from tests.factories import JPEG, PDF
from unionhub.files import file_type, file_url, kind_of, stored_kinds, stored_response

XLSX = b"PK\x03\x04" + b"\0" * 32
STAFF = {"staff", "finance", "aid", "casework"}
SIGNED_IN = set(ROLES) - {"anonymous"}

# kind -> (the district's object, the roles that get the file, the disposition they get). The roles are
# those who may open the page showing the file (tests/access/matrix.py): the owner's, never another union's.
KINDS = {
    "secondment.certificate": ("certificate", STAFF | {"cadre"}, "inline"),
    "aid.hardship_document": ("hardship_document", {"aid", "chair_a"}, "inline"),
    "aid.admission_letter": ("application", {"aid", "chair_a"}, "inline"),
    "aid.school_document": ("school_document", {"aid", "chair_a"}, "inline"),
    # A member's photo from the phone: the member who applied, their chair and aid staff.
    "aid.member_application_photo": ("member_application_photo", {"aid", "chair_a", "member"}, "inline"),
    "grievances.evidence": ("evidence", {"casework"}, "inline"),
    "grievances.case_attachment": ("case_event", {"casework"}, "inline"),
    # The district's activity is open to every member: member A sees it and its photos in the member area.
    "associations.activity_photo": ("activity_photo", STAFF | {"assoc", "member"}, "inline"),
    "perks.card_sheet": ("card_batch", STAFF | {"chair_a"}, "inline"),
    "unionhub.report_pdf": ("report", STAFF | {"chair_a"}, "inline"),
    "unionhub.report_xlsx": ("report", STAFF | {"chair_a"}, "attachment"),
    "unionhub.rule_pdf": ("rule_version", SIGNED_IN - {"merchant"}, "inline"),
    # Full ID numbers: the chair and the organisation duty only, not finance, aid or casework staff.
    "members.dues_sheet": ("dues_upload", {"staff", "chair_a"}, "attachment"),
    "members.dues_errors": ("dues_upload", {"staff", "chair_a"}, "attachment"),
    # A federation's whole ledger: the organisation duty only.
    "members.registry_ledger": ("registry_import", {"staff"}, "attachment"),
    "members.registry_errors": ("registry_import", {"staff"}, "attachment"),
    "honours.nomination_evidence": ("nomination_evidence", {"staff", "chair_a"}, "inline"),
    "honours.honour_certificate": ("honour", {"staff", "chair_a"}, "inline"),
    "homes.inspection_photo": ("home_photo", STAFF | {"chair_a"}, "inline"),
    # An audit is the audit team's and the audited union's chair's: no other staff (the district has no auditor).
    "audits.finding_evidence": ("audit_finding_evidence", {"chair_a"}, "inline"),
    "audits.rectification_evidence": ("audit_rectification_evidence", {"chair_a"}, "inline"),
    # A published item's photo is anyone's (anonymous users too, through news:photo; tests/news).
    "news.photo": ("news_photo", SIGNED_IN - {"merchant"}, "inline"),
    # A public document of a public federation award is anyone's (anonymous users too, through
    # honours:public_document; tests/honours); an internal one is the organisation duty's.
    "honours.federation_document": ("federation_document", SIGNED_IN - {"merchant"}, "inline"),
}


def _with_every_file(d: dict) -> dict:
    """The access matrix's district, with a stored file in every kind it leaves empty."""
    d["application"].admission_letter.save("letter.pdf", ContentFile(PDF))
    d["card_batch"].sheet.save("cards.pdf", ContentFile(PDF))
    d["activity_photo"] = ActivityPhoto.objects.create(
        activity=d["activity"], image=ContentFile(JPEG, "a.jpg")
    )
    d["report"].xlsx.save("report.xlsx", ContentFile(XLSX))
    d["rule_version"] = version = d["rule"].versions.get()
    version.pdf.save("rule.pdf", ContentFile(PDF))
    d["dues_upload"].errors_file.save("errors.xlsx", ContentFile(XLSX))
    d["registry_import"].errors_file.save("ledger-errors.xlsx", ContentFile(XLSX))
    return d


@pytest.fixture(scope="module")
def district(django_db_setup, django_db_blocker, tmp_path_factory):
    with override_settings(MEDIA_ROOT=tmp_path_factory.mktemp("media")), django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            yield _with_every_file(build_district())
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


def _fieldfile(district, kind):
    stored = stored_kinds()[kind]
    return getattr(district[KINDS[kind][0]], stored.field)


def _as(client, district, role):
    if role != "anonymous":
        client.force_login(district[role])
    return client


# --- every kind is registered and walked --------------------------------------------------------------------


def test_every_file_field_has_a_registered_kind():
    """A new FileField cannot be forgotten: it must say who may read its files."""
    fields = [
        (model, field.name)
        for model in apps.get_models()
        for field in model._meta.get_fields()
        if isinstance(field, models.FileField)
    ]
    assert fields
    missing = [f"{model._meta.label}.{name}" for model, name in fields if kind_of(model, name) is None]
    assert not missing, f"FileFields without a stored file kind (<app>/stored_files.py): {missing}"


def test_this_test_walks_every_registered_kind():
    assert set(KINDS) == set(stored_kinds())


@pytest.mark.parametrize("kind", sorted(KINDS))
@pytest.mark.parametrize("role", ROLES)
def test_each_file_goes_to_its_owners_only(client, db, district, kind, role):
    fieldfile = _fieldfile(district, kind)
    assert fieldfile and fieldfile.storage.exists(fieldfile.name)
    owners, disposition = KINDS[kind][1], KINDS[kind][2]
    client = _as(client, district, role)
    # Never at its MEDIA_URL path, whoever asks.
    assert client.get(settings.MEDIA_URL + fieldfile.name).status_code == 404
    response = client.get(file_url(fieldfile))
    if role not in owners:
        assert response.status_code == (302 if role == "anonymous" else 404)
        return
    assert response.status_code == 200
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"].startswith(disposition)
    with fieldfile.open("rb") as handle:
        assert b"".join(response.streaming_content) == handle.read()


def test_media_is_not_served_even_with_debug(client, db, district, settings):
    """The root URLconf as ``make demo`` builds it (DEBUG on, where static() used to serve MEDIA_ROOT)."""
    fieldfile = _fieldfile(district, "aid.hardship_document")
    settings.DEBUG = True
    urls = importlib.import_module(settings.ROOT_URLCONF)
    try:
        importlib.reload(urls)
        clear_url_caches()
        assert client.get(settings.MEDIA_URL + fieldfile.name).status_code == 404
        client.force_login(district["aid"])
        assert client.get(settings.MEDIA_URL + fieldfile.name).status_code == 404
        assert client.get(file_url(fieldfile)).status_code == 200
    finally:
        settings.DEBUG = False
        importlib.reload(urls)
        clear_url_caches()


def test_pages_link_the_delivery_view_not_media(client, db, district):
    photo = district["activity_photo"]
    type(photo.activity).objects.filter(pk=photo.activity_id).update(status="held", report="好")
    client.force_login(district["assoc"])
    body = client.get(
        reverse("associations:activity_detail", args=[district["activity"].pk])
    ).content.decode()
    assert f'src="{file_url(photo.image)}"' in body
    assert settings.MEDIA_URL not in body


@pytest.mark.parametrize(
    "key, admin_url", [("certificate", "secondment_certificate"), ("honour", "honours_honour")]
)
def test_the_admin_links_the_delivery_view_not_media(client, db, district, django_user_model, key, admin_url):
    obj = district[key]
    client.force_login(django_user_model.objects.create_superuser("root17", password="pw-root17"))
    body = client.get(reverse(f"admin:{admin_url}_change", args=[obj.pk])).content.decode()
    assert f'href="{file_url(obj.pdf)}"' in body
    assert settings.MEDIA_URL not in body


@pytest.mark.parametrize(
    "kind, pk",
    [("nonsense", 1), ("aid.hardship_document", 999_999), ("aid.hardship_document", 2**70), ("", 1)],
)
def test_unknown_kinds_and_objects_answer_404(client, db, district, kind, pk):
    client.force_login(district["staff"])
    assert client.get(f"/files/{kind}/{pk}/").status_code == 404


def test_an_empty_field_answers_404(client, db, district):
    application = district["application"]
    application.admission_letter = ""
    application.save(update_fields=["admission_letter"])
    client.force_login(district["aid"])
    assert client.get(reverse("files:file", args=["aid.admission_letter", application.pk])).status_code == 404


def test_a_file_gone_from_storage_answers_404_not_500(client, db, district):
    photo = type(district["home_photo"]).objects.create(
        inspection=district["home_photo"].inspection, image=ContentFile(JPEG, "gone.jpg")
    )
    photo.image.storage.delete(photo.image.name)
    client.force_login(district["chair_a"])
    assert client.get(file_url(photo.image)).status_code == 404
    assert client.get(reverse("homes:home_photo", args=[photo.pk])).status_code == 404


# --- the true type -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name, head, content_type, inline",
    [
        ("a/x.pdf", PDF, "application/pdf", True),
        ("a/x.JPG", JPEG, "image/jpeg", True),
        ("a/x.xlsx", XLSX, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", False),
        ("a/x.csv", b"name,id", "text/csv", False),
        # A PNG signature followed by a script, stored under a client's .html name: never HTML, never inline.
        ("a/evil.html", b"\x89PNG\r\n\x1a\n<script>", "application/octet-stream", False),
        # A name that lies about the content.
        ("a/x.pdf", b"<html><script>", "application/octet-stream", False),
        ("a/x.svg", b"<svg onload=alert(1)>", "application/octet-stream", False),
    ],
)
def test_type_comes_from_the_stored_name_and_the_content(name, head, content_type, inline):
    served = file_type(name, head)
    assert (served.content_type, served.inline) == (content_type, inline)


def test_a_disguised_page_is_downloaded_not_shown(db, district):
    photo = ActivityPhoto.objects.create(
        activity=district["activity"],
        image=ContentFile(b"\x89PNG\r\n\x1a\n<script>alert(1)</script>", "x.html"),
    )
    response = stored_response(photo.image)
    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"


def test_the_programmes_download_views_answer_the_same_way(client, db, district):
    client.force_login(district["chair_a"])
    document = district["hardship_document"]
    response = client.get(reverse("aid:file_document", args=[document.file_id, document.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"].startswith("inline")


# --- production: the web server sends the bytes --------------------------------------------------------------


def test_x_accel_redirect(client, db, district, settings):
    settings.FILES_OFFLOAD = "x-accel-redirect"
    settings.FILES_OFFLOAD_PREFIX = "/protected-media/"
    fieldfile = _fieldfile(district, "aid.hardship_document")
    client.force_login(district["aid"])
    response = client.get(file_url(fieldfile))
    assert response.status_code == 200 and response.content == b""
    assert response["X-Accel-Redirect"] == "/protected-media/" + fieldfile.name
    assert response["Content-Type"] == "application/pdf" and response["X-Content-Type-Options"] == "nosniff"
    # The access check still runs: the web server is never asked for an outsider.
    client.force_login(district["chair_b"])
    assert client.get(file_url(fieldfile)).status_code == 404


def test_x_sendfile(client, db, district, settings):
    settings.FILES_OFFLOAD = "x-sendfile"
    fieldfile = _fieldfile(district, "unionhub.report_xlsx")
    client.force_login(district["chair_a"])
    response = client.get(file_url(fieldfile))
    assert response.status_code == 200 and response.content == b""
    assert response["X-Sendfile"] == fieldfile.path
    assert response["Content-Disposition"].startswith("attachment")


# --- the dues sheets: full ID numbers ------------------------------------------------------------------------


def _downloads(upload):
    return LogEntry.objects.get_for_object(upload).filter(action=LogEntry.Action.ACCESS)


@pytest.mark.parametrize("role", ["chair_a", "staff"])
def test_dues_sheet_downloads_are_audited(client, db, district, role):
    upload = district["dues_upload"]
    client.force_login(district[role])
    assert client.get(reverse("members:dues_upload_errors", args=[upload.pk])).status_code == 200
    assert client.get(file_url(upload.file)).status_code == 200
    entries = list(_downloads(upload).order_by("pk"))
    assert [e.additional_data["downloaded"] for e in entries] == ["errors_file", "file"]
    assert {e.actor for e in entries} == {district[role]}


@pytest.mark.parametrize("role", ["finance", "aid", "casework"])
def test_staff_without_the_organisation_duty_get_no_dues_sheet(client, db, district, role):
    upload = district["dues_upload"]
    client.force_login(district[role])
    assert client.get(reverse("members:dues_upload_errors", args=[upload.pk])).status_code == 403
    assert client.get(file_url(upload.errors_file)).status_code == 404
    assert client.get(file_url(upload.file)).status_code == 404
    assert not _downloads(upload).exists()


@pytest.mark.parametrize("role, linked", [("chair_a", True), ("staff", True), ("finance", False)])
def test_the_upload_page_links_the_marked_sheet_only_for_those_who_may_have_it(
    client, db, district, role, linked
):
    upload = district["dues_upload"]
    type(upload).objects.filter(pk=upload.pk).update(error_count=1)
    client.force_login(district[role])
    page = client.get(reverse("members:dues_upload", args=[upload.pk])).content.decode()
    assert (reverse("members:dues_upload_errors", args=[upload.pk]) in page) is linked


def test_hardship_document_downloads_are_audited(client, db, district):
    document = district["hardship_document"]
    client.force_login(district["aid"])
    client.get(file_url(document.upload))
    entry = LogEntry.objects.get_for_object(document.file).get(action=LogEntry.Action.ACCESS)
    assert entry.actor == district["aid"] and entry.additional_data == {"document": document.kind}


# --- public artefacts --------------------------------------------------------------------------------------


def test_public_verification_pages_offer_no_file(client, db, district):
    """The certificates print the holder's name unmasked; the public pages show it masked and link no PDF,
    and the delivery view gives the PDF to nobody who is not signed in."""
    for name, token, obj in [
        ("secondment:certificate_verify", district["certificate_token"], district["certificate"]),
        ("honours:honour_verify", district["honour_token"], district["honour"]),
    ]:
        response = client.get(reverse(name, args=[token]))
        body = response.content.decode()
        assert response.status_code == 200
        assert "/files/" not in body and settings.MEDIA_URL not in body and ".pdf" not in body
        assert client.get(file_url(obj.pdf)).status_code == 302
    notice = client.get(reverse("honours:honour_notice", args=[district["noticed_round"].pk]))
    assert notice.status_code == 200 and "/files/" not in notice.content.decode()
