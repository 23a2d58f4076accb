"""The certificate engine every numbered certificate shares (unionhub.certificates): numbering, the QR
code, the verification link, the federation's printed name and revocation."""

import datetime
import xml.etree.ElementTree as ET

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import ValidationError

from secondment import services
from secondment.models import Certificate
from unionhub import certificates


def test_the_qr_code_is_one_svg_path():
    svg = ET.fromstring(certificates.qr_code_svg("https://example.org/v/abc"))  # noqa: S314 — our own output
    assert svg.tag == "{http://www.w3.org/2000/svg}svg"
    assert len(svg) == 1 and svg[0].get("d").startswith("M")


def test_the_verification_link_is_absolute_when_the_site_url_is_set(settings):
    class Printed:
        def get_verify_url(self):
            return "/verify/abc/"

    settings.SITE_URL = "https://gh.example.org/"
    assert certificates.verification_url(Printed()) == "https://gh.example.org/verify/abc/"
    settings.SITE_URL = ""
    assert certificates.verification_url(Printed()) == "/verify/abc/"


def test_the_federation_name_is_printed_in_chinese(settings):
    settings.UNIONHUB_FEDERATION_NAME = ""
    settings.LANGUAGE_CODE = "en"
    assert certificates.federation_name() == "高新区总工会"


@pytest.fixture
def secondment_certificate(make_user, union_a):
    term = services.start_term(
        cadre=make_user("grad1", name="王小明"), union=union_a, start_date=datetime.date(2025, 3, 1)
    )
    return Certificate.objects.create(term=term, number="SG-2026-0001", issued_on=datetime.date(2026, 3, 2))


@pytest.mark.django_db
def test_numbering_counts_on_from_the_highest_number_of_the_year(secondment_certificate):
    assert certificates.next_sequence_for(Certificate, "SG", 2026) == 2
    assert certificates.next_sequence_for(Certificate, "SG", 2027) == 1


@pytest.mark.django_db
def test_revoking_needs_a_reason_and_happens_once(secondment_certificate, staff):
    with pytest.raises(ValidationError, match="why"):
        certificates.revoke(secondment_certificate, by=staff, reason="  ", reason_missing="Say why.")
    certificates.revoke(secondment_certificate, by=staff, reason="issued in error", reason_missing="Say why.")
    certificates.revoke(secondment_certificate, by=staff, reason="again", reason_missing="Say why.")
    assert secondment_certificate.revoked
    entries = LogEntry.objects.get_for_object(secondment_certificate).filter(additional_data__isnull=False)
    assert [entry.additional_data["reason"] for entry in entries] == ["issued in error"]
