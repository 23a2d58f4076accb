"""Grid areas (网格化片组管理): staff create and edit areas, assign unions to them in bulk and take a
union out of its area. Each operation is one transaction run with the acting user set, so that
django-auditlog records who moved which union and who changed which area.

The invariant kept here: an area's lead union is one of the area's own unions. A lead union chosen
from no area joins the area; one that belongs to another area is refused; a lead union moved out of
its area stops leading it."""

from collections.abc import Iterable

from auditlog.context import set_actor
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from unionhub.access import has_duty, require

from ..models import Area, GrassrootsUnion
from ..validators import clean_phone

AREA_FIELDS = ("name", "lead_union", "contact_name", "contact_phone", "note")


def _name_taken_error(name: str) -> ValidationError:
    return ValidationError(
        {"name": _("There is already an area called “%(name)s”.") % {"name": name}}, code="duplicate"
    )


def _clean(values: dict, *, area: Area | None) -> dict:
    values = dict(values)
    if "name" in values:
        name = " ".join((values["name"] or "").split())
        if not name:
            raise ValidationError({"name": _("Give the area a name.")}, code="required")
        clash = Area.objects.filter(name=name)
        if area is not None:
            clash = clash.exclude(pk=area.pk)
        if clash.exists():
            raise _name_taken_error(name)
        values["name"] = name
    for field in ("contact_name", "note"):
        if field in values:
            values[field] = (values[field] or "").strip()
    if values.get("contact_phone"):
        try:
            values["contact_phone"] = clean_phone(values["contact_phone"])
        except ValidationError as error:
            raise ValidationError({"contact_phone": error.messages}) from None
    return values


def _check_lead_union(lead: GrassrootsUnion | None, area: Area | None) -> GrassrootsUnion | None:
    """The lead union, locked and re-read; refused when it belongs to another area."""
    if lead is None:
        return None
    lead = GrassrootsUnion.objects.select_for_update(of=("self",)).select_related("area").get(pk=lead.pk)
    if lead.area_id is not None and (area is None or lead.area_id != area.pk):
        raise ValidationError(
            {
                "lead_union": _(
                    "%(union)s belongs to the area %(area)s: move it to this area first, or choose one of this "
                    "area's unions."
                )
                % {"union": lead, "area": lead.area}
            },
            code="other_area",
        )
    return lead


def _save_area(area: Area, *, fields: list[str] | None = None) -> None:
    try:
        with transaction.atomic():
            area.save(update_fields=fields)
    except IntegrityError:
        # Another request took the name between our check and our write.
        raise _name_taken_error(area.name) from None


def create_area(
    *,
    by,
    name: str,
    lead_union: GrassrootsUnion | None = None,
    contact_name: str = "",
    contact_phone: str = "",
    note: str = "",
) -> Area:
    """A new area. A lead union that is in no area joins it."""
    require(has_duty(by, "members.add_area"))
    values = _clean(
        {"name": name, "contact_name": contact_name, "contact_phone": contact_phone, "note": note}, area=None
    )
    with transaction.atomic(), set_actor(by):
        lead = _check_lead_union(lead_union, None)
        area = Area(**values, lead_union=lead)
        _save_area(area)
        if lead is not None:
            lead.area = area
            lead.save(update_fields=["area"])
    return area


def update_area(*, by, area: Area, **changes) -> Area:
    """Change an area's name, lead union, contact or note. A lead union that is in no area joins it."""
    unknown = set(changes) - set(AREA_FIELDS)
    if unknown:
        raise TypeError(f"update_area cannot change {sorted(unknown)}")
    require(has_duty(by, "members.change_area"))
    changes = _clean(changes, area=area)
    with transaction.atomic(), set_actor(by):
        area = Area.objects.select_for_update().get(pk=area.pk)
        if "lead_union" in changes:
            changes["lead_union"] = _check_lead_union(changes["lead_union"], area)
        changed = [field for field, value in changes.items() if getattr(area, field) != value]
        for field in changed:
            setattr(area, field, changes[field])
        if changed:
            _save_area(area, fields=changed)
        lead = changes.get("lead_union")
        if lead is not None and lead.area_id != area.pk:
            lead.area = area
            lead.save(update_fields=["area"])
    return area


def _stop_leading(unions: list[GrassrootsUnion], keep: Area | None = None) -> None:
    """Areas led by one of ``unions`` (other than ``keep``) lose their lead union: it has left them."""
    led = Area.objects.select_for_update().filter(lead_union__in=unions)
    if keep is not None:
        led = led.exclude(pk=keep.pk)
    for other in led:
        other.lead_union = None
        other.save(update_fields=["lead_union"])


def assign_unions(*, area: Area, unions: Iterable[GrassrootsUnion], by) -> int:
    """Move ``unions`` into ``area`` (from no area or from another one). Returns how many moved;
    unions already in the area are left as they are, so submitting the form twice does nothing more."""
    require(has_duty(by, "members.change_area"))
    pks = {union.pk for union in unions}
    with transaction.atomic(), set_actor(by):
        area = Area.objects.select_for_update().get(pk=area.pk)
        moving = list(
            GrassrootsUnion.objects.select_for_update().filter(pk__in=pks).exclude(area=area).order_by("pk")
        )
        _stop_leading(moving, keep=area)
        for union in moving:
            union.area = area
            union.save(update_fields=["area"])
    return len(moving)


def remove_unions(*, unions: Iterable[GrassrootsUnion], by) -> int:
    """Take unions out of their areas; an area whose lead union leaves has no lead union until one is
    chosen. Returns how many left an area (a union in no area is left as it is)."""
    require(has_duty(by, "members.change_area"))
    pks = {union.pk for union in unions}
    with transaction.atomic(), set_actor(by):
        leaving = list(
            GrassrootsUnion.objects.select_for_update().filter(pk__in=pks, area__isnull=False).order_by("pk")
        )
        _stop_leading(leaving)
        for union in leaving:
            union.area = None
            union.save(update_fields=["area"])
    return len(leaving)


def remove_union(*, union: GrassrootsUnion, by) -> GrassrootsUnion:
    """Take one union out of its area."""
    remove_unions(unions=[union], by=by)
    union.refresh_from_db(fields=["area"])
    return union


def change_area_unions(
    *, by, area: Area, add: Iterable[GrassrootsUnion], remove: Iterable[GrassrootsUnion]
) -> tuple[int, int]:
    """The assignment form's one transaction: ``add`` moves into ``area``, those of ``remove`` that are
    in ``area`` leave it. Returns (added, removed)."""
    with transaction.atomic():
        added = assign_unions(area=area, unions=add, by=by)
        removed = remove_unions(unions=[u for u in remove if u.area_id == area.pk], by=by)
    return added, removed
