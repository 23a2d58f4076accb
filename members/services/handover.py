"""The handover of a union to a new chair (换届): ``union.chair`` switches in one transaction, so the new
chair sees at once everything the union owns (every programme scopes a union's rows by ``union__chair``)
and the outgoing chair's access ends that moment. The change is audited and kept as a ``ChairChange``.

Who hands over: staff with the organisation duty, or the union's current chair. The new chair is an
existing active account that is not staff, or a new account (name and mobile; user name = the mobile;
no password). A new account, or an existing one without a password when staff hand over, gets a
one-time sign-in link (``unionhub.signin_links``), shown once to whoever handed over. An outgoing chair
never receives a link for an account that existed before: that would let a chair set a stranger's
password. When a chair hands over, the organisation staff get an in-app notice."""

import datetime
from dataclasses import dataclass

from auditlog.context import set_actor
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from unionhub.access import has_duty, require
from unionhub.models import SignInLink
from unionhub.notices import notify
from unionhub.params import REASON_MAX
from unionhub.signin_links import IssuedLink, make_signin_link

from .. import permissions
from ..models import ChairChange, GrassrootsUnion
from ..validators import clean_mobile


@dataclass(frozen=True)
class Handover:
    change: ChairChange
    issued: IssuedLink | None  # the new chair's one-time link, when one was issued


def find_account(lookup: str):
    """The active account whose user name or phone is ``lookup`` (one answer only), or None."""
    lookup = (lookup or "").strip()
    if not lookup:
        return None
    User = get_user_model()
    matches = list(User.objects.filter(Q(username=lookup) | Q(phone=lookup), is_active=True)[:2])
    return matches[0] if len(matches) == 1 else None


def organisation_staff() -> list:
    """Every active staff account that may hand unions over (the organisation duty)."""
    User = get_user_model()
    candidates = User.objects.filter(Q(is_staff=True) | Q(is_superuser=True), is_active=True).order_by("pk")
    return [user for user in candidates if user.has_perm("members.change_grassrootsunion")]


def _refuse_account(union, user) -> None:
    if union.chair_id == user.pk:
        raise ValidationError(
            _("%(name)s is already the chair of this union: the handover has been done.") % {"name": user}
        )
    if user.is_staff or user.is_superuser:
        raise ValidationError(_("A federation staff account cannot be made a union's chair."))
    if not user.is_active:
        raise ValidationError(_("This account is closed: choose an active account."))


def _new_account(*, name: str, phone: str):
    name = (name or "").strip()
    errors = {}
    if not name:
        errors["new_name"] = _("Enter the new chair's name.")
    elif len(name) > 50:
        errors["new_name"] = _("Keep the name under 50 characters.")
    try:
        phone = clean_mobile(phone or "")
    except ValidationError as error:
        errors["new_phone"] = error.messages
    if errors:
        raise ValidationError(errors)
    User = get_user_model()
    existing = User.objects.filter(Q(username=phone) | Q(phone=phone)).first()
    if existing is not None:
        return existing, False
    user = User.objects.create_user(username=phone, password=None, name=name, phone=phone)
    return user, True


def hand_over_union(
    *,
    union: GrassrootsUnion,
    by,
    new_chair=None,
    new_name: str = "",
    new_phone: str = "",
    on: datetime.date | None = None,
    note: str = "",
) -> Handover:
    """Make ``new_chair`` (or a new account for ``new_name``/``new_phone``) the chair of ``union``."""
    require(permissions.can_hand_over_union(by, union))
    on = on or timezone.localdate()
    note = (note or "").strip()
    if len(note) > REASON_MAX:
        raise ValidationError({"note": _("Keep the note under %(n)s characters.") % {"n": REASON_MAX}})
    if new_chair is None and not (new_name or new_phone):
        raise ValidationError(_("Choose an existing account or enter the new chair's name and mobile."))
    with transaction.atomic(), set_actor(by):
        union = GrassrootsUnion.objects.select_for_update().get(pk=union.pk)
        # Checked again under the lock: a chair who submits twice is no longer the chair the second time.
        if not permissions.can_hand_over_union(by, union):
            raise ValidationError(
                _("This union has already been handed over to %(name)s.") % {"name": union.chair}
            )
        if union.status == GrassrootsUnion.Status.DISSOLVED:
            raise ValidationError(_("A dissolved union is not handed over."))
        created = False
        if new_chair is None:
            new_chair, created = _new_account(name=new_name, phone=new_phone)
            if not created and new_chair.pk != union.chair_id:
                raise ValidationError(
                    {
                        "new_phone": _(
                            "An account with this mobile exists already (user name %(username)s): choose it "
                            "as the existing account."
                        )
                        % {"username": new_chair.username}
                    }
                )
        _refuse_account(union, new_chair)
        outgoing = union.chair
        union.chair = new_chair
        union.save(update_fields=["chair"])
        change = ChairChange.objects.create(
            union=union, outgoing=outgoing, incoming=new_chair, on=on, by=by, at=timezone.now(), note=note
        )
        issued = None
        by_staff = has_duty(by, "members.change_grassrootsunion")
        if created or (by_staff and not new_chair.has_usable_password()):
            issued = make_signin_link(user=new_chair, by=by, purpose=SignInLink.Purpose.HANDOVER)
        if not by_staff:
            _tell_staff(change)
    return Handover(change=change, issued=issued)


def _tell_staff(change: ChairChange) -> None:
    title = _("%(union)s handed over to a new chair") % {"union": change.union}
    body = _("%(outgoing)s handed %(union)s over to %(incoming)s on %(on)s.") % {
        "outgoing": change.outgoing or "—",
        "union": change.union,
        "incoming": change.incoming,
        "on": change.on.isoformat(),
    }
    url = reverse("members:union_detail", args=[change.union_id])
    for user in organisation_staff():
        notify(user=user, key=f"chair-change:{change.pk}", title=title, body=body, url=url)
