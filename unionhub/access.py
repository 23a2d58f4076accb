"""The one door to data: ``Model.objects.visible_to(user)``.

Federation staff see every row; anybody else sees the rows that ``owner_lookup`` ties to them
(``"chair"`` for a union, ``"union__chair"`` for its members, ``"cadre"`` for a secondment…);
anonymous users see nothing. Where ``staff_permission`` is set, only staff holding it see every row
(the duty that handles sensitive rows: hardship files, a minor's school-place request); other staff
are treated like anybody else. A view that fetches one object through it answers 404 outside the
user's scope."""

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import models


class ScopedQuerySet(models.QuerySet):
    owner_lookup: str = ""
    staff_permission: str = ""

    def visible_to(self, user):
        if not user.is_authenticated:
            return self.none()
        if user.is_federation_staff and (not self.staff_permission or user.has_perm(self.staff_permission)):
            return self
        return self.filter(**{self.owner_lookup: user})


# --- who may do what: roles and duties ----------------------------------------------------------
#
# A view says once, at its top, who may use it: ``@role_required("staff", "union_chair")`` for a
# role (derived from relationships, see ``User``), ``@duty_required("aid.change_application")`` for
# a federation staff duty (as pretix's ``@event_permission_required``), ``@check_required(can_…)``
# for a named check from an app's ``permissions.py``. Anonymous users are sent to log in; a signed-in
# user who may not is refused with 403 (``denied=Http404`` where the pages must not be known to exist).
# Checks that need the object (a view fetches it first, so that out of scope stays 404) call
# ``require(can_…(user, obj))`` after fetching it.

ROLES = {
    "staff": "is_federation_staff",
    "union_chair": "is_union_chair",
    "cadre": "is_seconded_cadre",
    "association_chair": "is_association_chair",
    "merchant": "is_merchant",
    "member": "is_member",
}


def public_page(view):
    """Mark a view that anybody may open without signing in (the complaint form, a public notice): a member
    signed in with an SMS code may open it too (``unionhub.middleware.CodeSessionConfinedMiddleware``)."""
    view.public_page = True
    return view


def _known(roles) -> None:
    unknown = set(roles) - ROLES.keys()
    if unknown or not roles:
        raise ValueError(f"unknown roles: {', '.join(sorted(unknown)) or '(none given)'}")


def has_role(user, *roles: str) -> bool:
    """Whether the user holds any of ``roles`` (keys of ``ROLES``)."""
    _known(roles)
    return user.is_authenticated and any(getattr(user, ROLES[role]) for role in roles)


def has_duty(user, *perms: str) -> bool:
    """Federation staff holding every permission of ``perms`` (through a duty group, or superuser)."""
    return user.is_authenticated and user.is_federation_staff and user.has_perms(perms)


def require(allowed: bool, denied: type[Exception] = PermissionDenied) -> None:
    """Refuse (403, or ``denied``) unless ``allowed``: for checks that need the object."""
    if not allowed:
        raise denied


def check_required(check: Callable[..., bool], denied: type[Exception] = PermissionDenied):
    """Decorate a view so that only signed-in users for whom ``check(user)`` holds may use it."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            require(check(request.user), denied)
            return view(request, *args, **kwargs)

        return login_required(wrapper)

    return decorator


def role_required(*roles: str, denied: type[Exception] = PermissionDenied):
    """Only users holding one of ``roles``: ``@role_required("union_chair", "staff")``."""
    _known(roles)  # an unknown role is a typo: fail when the views module loads
    return check_required(lambda user: has_role(user, *roles), denied)


def duty_required(*perms: str, denied: type[Exception] = PermissionDenied):
    """Only federation staff holding every one of ``perms``: ``@duty_required("aid.change_application")``."""
    return check_required(lambda user: has_duty(user, *perms), denied)
