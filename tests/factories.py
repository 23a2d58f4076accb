"""Builders for test data: plain functions that make one object the way the application does (through
its services where one exists), with defaults a test overrides only where its point lies.

The cast of users and the small district are fixtures in ``tests/conftest.py``; they call these."""

import datetime
import itertools

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from stdnum.cn import uscc

from grievances.models import Case
from honours import services as honours
from honours.models import AwardLevel, NomineeKind
from members import services as member_services
from members.models import Enterprise, GrassrootsUnion
from members.validators import id_check_character
from unionhub.duties import ensure_duty_groups

# Computed when this module is imported: ``pytest --today`` (pytest_today.py) moves the clock before any
# conftest, and so before this module, is imported, so TODAY is the travelled date there too.
TODAY = timezone.localdate()
DAY = datetime.timedelta(days=1)

# The smallest files the upload checks accept as what they claim to be (magic bytes, then padding).
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 32
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\0" * 32

_sequence = itertools.count(100)
_case_numbers = itertools.count(1)


def make_id(birth: str = "19900101", county: str = "330481", seq: int | None = None, sex: str = "M") -> str:
    """A valid 18-character ID number for the given birth date (YYYYMMDD)."""
    if seq is None:
        # Unique per call: an even base, made odd for men (the 17th digit's parity is the sex).
        seq = next(_sequence) % 500 * 2 + (1 if sex == "M" else 0)
    body = f"{county}{birth}{seq % 1000:03d}"
    return body + id_check_character(body)


def make_credit_code(n: int) -> str:
    body = f"91330481MA2{n:06d}"
    return body + uscc.calc_check_digit(body)


def pdf_upload(name: str = "材料.pdf", content: bytes = PDF) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def documents(*kinds, name: str = "{kind}.pdf", content: bytes = PDF) -> list[tuple[str, SimpleUploadedFile]]:
    """(kind, file) pairs, as the hardship-file and school-place services take their documents."""
    return [(kind, pdf_upload(name.format(kind=kind), content)) for kind in kinds]


# --- people and the registry ------------------------------------------------------------------------


def make_user(username: str, **extra):
    """An account whose password is ``pw-<username>``."""
    return get_user_model().objects.create_user(username=username, password="pw-" + username, **extra)


def make_staff(username: str, duty: str, **extra):
    """Federation staff with one duty (``unionhub.duties``): the duty decides what they may change."""
    user = make_user(username, is_staff=True, **extra)
    user.groups.add(ensure_duty_groups()[duty])
    return user


def make_union(
    code: str,
    *,
    chair=None,
    name: str | None = None,
    founded_on=datetime.date(2010, 1, 1),
    enterprise_size: str | None = None,
    n: int = 0,
    **extra,
):
    """A grassroots union; with ``enterprise_size`` ("large"/"small") also one enterprise in it, whose
    credit code is numbered ``500 + n`` (give each such union its own ``n``)."""
    union = GrassrootsUnion.objects.create(
        code=code, name=name or f"{code}工会", chair=chair, founded_on=founded_on, **extra
    )
    if enterprise_size:
        Enterprise.objects.create(
            name=f"{code}公司",
            credit_code=make_credit_code(500 + n),
            union=union,
            size_band=enterprise_size,
            industry="other",
        )
    return union


def register_member(enterprise, *, by, name: str = "王小明", **extra):
    """A member registered in ``enterprise``'s union by ``by``, through the registry service."""
    fields = {
        "id_number": make_id(),
        "joined_on": datetime.date(2020, 1, 1),
        "education": "bachelor",
        "phone": "13912345678",
    }
    fields.update(extra)
    return member_services.register_member(
        by=by, union=enterprise.union, enterprise=enterprise, name=name, **fields
    )


# --- grievances -------------------------------------------------------------------------------------


def make_case(**fields):
    """A dismissal case received today; ``save`` stores its limitation and handling deadlines."""
    values = {
        "number": f"WQ{TODAY.year}-{next(_case_numbers):04d}",
        "channel": "hotline",
        "category": "dismissal",
        "employer_name": "甲精密机械有限公司",
        "description": "公司口头通知辞退，未支付经济补偿。",
        "received_on": TODAY,
    }
    values.update(fields)
    return Case.objects.create(**values)


# --- honours ----------------------------------------------------------------------------------------


def make_award(
    staff,
    *,
    name="先进基层工会",
    level=AwardLevel.DISTRICT,
    kind=NomineeKind.UNION,
    items=(("组织建设", 40), ("维权服务", 30), ("职工之家", 30)),
):
    return honours.save_award_type(
        by=staff,
        name=name,
        level=level,
        nominee_kind=kind,
        criteria="条件",
        items=[{"title": t, "max_points": p} for t, p in items],
    )


def make_round(
    staff,
    award_type,
    *,
    year=None,
    opens_on=TODAY - 5 * DAY,
    closes_on=TODAY + 5 * DAY,
    quota=3,
    per_union_limit=None,
    notice_working_days=5,
):
    return honours.open_round(
        by=staff,
        award_type=award_type,
        year=year or opens_on.year,
        opens_on=opens_on,
        closes_on=closes_on,
        quota=quota,
        per_union_limit=per_union_limit,
        notice_working_days=notice_working_days,
    )


def code_from_sms_log(path, phone: str) -> str:
    """The sign-in code in the last text to ``phone`` of the console backend's log (one line per text: the number,
    the time, the template, the text). The code is the text's first six ASCII digits."""
    lines = [line for line in path.read_text(encoding="utf-8").splitlines() if line.startswith(phone)]
    assert lines, f"no text to {phone} in {path}"
    return "".join(ch for ch in lines[-1].split("\t")[-1] if ch.isascii() and ch.isdigit())[:6]
