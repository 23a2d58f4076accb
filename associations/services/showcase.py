"""The yearly cultural showcase (职工文化成果展演): each year's edition and its running order of
programmes, with the performers and the unions they come from; the totals over the years; and an
export of a showcase's programme."""

import dataclasses

from auditlog.context import set_actor
from django.db import transaction
from django.db.models import Count, Max, Sum
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from unionhub.access import require
from unionhub.exports import neutralise, spooled, write_only_workbook

from ..models import Programme, Showcase
from ..permissions import can_run_showcases


@dataclasses.dataclass(frozen=True)
class ShowcaseTotals:
    showcases: int
    programmes: int
    performers: int


def showcases_with_counts():
    """Every showcase, newest first, with ``programme_count`` and ``performer_count``."""
    return Showcase.objects.annotate(
        programme_count=Count("programmes"), performer_count=Coalesce(Sum("programmes__performers"), 0)
    ).order_by("-year")


def showcase_totals() -> ShowcaseTotals:
    """Showcases held, programmes staged and performers over all the years."""
    figures = Programme.objects.aggregate(programmes=Count("pk"), performers=Coalesce(Sum("performers"), 0))
    return ShowcaseTotals(
        showcases=Showcase.objects.count(), programmes=figures["programmes"], performers=figures["performers"]
    )


def running_order(showcase: Showcase):
    """The showcase's programmes in running order, ready for a page or an export (no N+1)."""
    return (
        showcase.programmes.select_related("association").prefetch_related("unions").order_by("order", "pk")
    )


def next_order(showcase: Showcase) -> int:
    """The slot after the last programme, offered when a programme is added."""
    last = showcase.programmes.aggregate(last=Max("order"))["last"]
    return (last or 0) + 1


def save_showcase(*, by, form) -> Showcase:
    """Create or change a showcase from its validated form (staff with the organisation duty)."""
    require(can_run_showcases(by))
    with transaction.atomic(), set_actor(by):
        return form.save()


def save_programme(*, by, form) -> Programme:
    """Create or change a programme (and its unions) from its validated form; the form's instance
    already belongs to its showcase."""
    require(can_run_showcases(by))
    with transaction.atomic(), set_actor(by):
        return form.save()


def delete_programme(*, by, programme: Programme) -> None:
    require(can_run_showcases(by))
    with transaction.atomic(), set_actor(by):
        programme.delete()


def programme_header() -> list[str]:
    return [
        _("Order"),
        pgettext("association", "Programme"),
        _("Kind"),
        _("Association"),
        _("Unions"),
        _("Performers"),
        _("Performers' names"),
    ]


def programme_rows(programmes) -> list[list]:
    rows = []
    for p in programmes:
        unions = "、".join(union.name for union in p.unions.all())
        rows.append(
            [
                p.order,
                neutralise(p.title),
                neutralise(p.get_kind_display()),
                neutralise(p.association.name if p.association else ""),
                neutralise(unions),
                p.performers,
                neutralise(p.performer_names),
            ]
        )
    return rows


def showcase_xlsx(showcase: Showcase):
    """The showcase's running order as a write-only workbook spooled to a temporary file, with a
    total line at the foot."""
    workbook = write_only_workbook()
    sheet = workbook.create_sheet(pgettext("association", "Programme"))
    sheet.append([neutralise(showcase.title)])
    sheet.append([neutralise(f"{showcase.held_on:%Y-%m-%d} {showcase.venue}")])
    sheet.append(programme_header())
    total = 0
    for row in programme_rows(running_order(showcase)):
        sheet.append(row)
        total += row[5]
    sheet.append(["", _("Total"), "", "", "", total, ""])
    return spooled(workbook)
