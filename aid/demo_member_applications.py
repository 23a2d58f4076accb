"""The demo member's own aid applications (/m/applications/): one finished this year (temporary relief,
forwarded by the chair, approved by aid staff and paid) and one waiting at the chair, each with a photo."""

import datetime
import struct
import zlib
from decimal import Decimal

from django.core.files.base import ContentFile

from members.demo import demo_members
from unionhub.contributions import demo_step

from .models import Programme
from .services import applications, member_applications


def _tiny_png() -> bytes:
    """A real 2×2 grey PNG, standing in for a phone's photo of a document."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", 2, 2, 8, 0, 0, 0, 0)
    pixels = zlib.compress(b"\x00\x80\x80" * 2)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")


@demo_step(order=172)
def member_aid_applications(demo) -> None:
    members = demo_members()
    if not members:
        return
    member = members[0]
    today = demo.today
    relief = Programme.objects.filter(year=today.year, kind=Programme.Kind.TEMPORARY).order_by("pk").first()
    if relief is None or member.user is None or member.union.chair is None:
        return
    chair = member.union.chair
    start = max(relief.opens_on, datetime.date(today.year, 1, 5))
    submitted = max(start, today - datetime.timedelta(days=40))
    finished = member_applications.submit(
        by=member.user,
        member=member,
        programme=relief,
        amount_requested=Decimal("2000"),
        reason="今年5月家中老人突发脑梗住院，自付医疗费用约2.3万元，家庭生活暂时困难。",
        photos=[ContentFile(_tiny_png(), "hospital-bill.png")],
        on=submitted,
    )
    reviewed = min(submitted + datetime.timedelta(days=2), today)
    finished = member_applications.forward(
        by=chair, request=finished, note="经走访核实，情况属实。", on=reviewed
    )
    decided = min(reviewed + datetime.timedelta(days=5), today)
    application = applications.approve(
        by=demo.staff, application=finished.application, amount=Decimal("1500"), on=decided
    )
    applications.record_payment(
        by=demo.staff,
        application=application,
        paid_on=min(decided + datetime.timedelta(days=3), today),
        reference=f"DEMO-{application.pk:06d}",
    )
    member_applications.submit(
        by=member.user,
        member=member,
        programme=relief,
        amount_requested=Decimal("1000"),
        reason="租住房屋漏水，家电和衣物受损，需要临时救助。",
        photos=[ContentFile(_tiny_png(), "damage.png")],
        on=max(start, today - datetime.timedelta(days=3)),
    )
