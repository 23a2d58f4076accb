"""Joining the union online (入会申请, issue 22).

- ``apply_to_join``: anyone, no login. The ID number and mobile are checked for shape only; the answer never
  says whether the person is already a member (the applicant learns the outcome by SMS). An application to an
  enterprise covered by a union waits for its chair; one to an enterprise with no union, or not on file, is
  referred to the federation, which organises a union there. The same ID number sending the same application
  again while one is open makes nothing new.
- ``approve_application``: the chair of the union (or staff with the organisation duty) creates the membership
  through the registry's own ``register_member`` (its validation and its one-active-membership rule), with the
  mobile the applicant gave, and the applicant is told by SMS that they can sign in at /m/.
- ``decline_application``: the same people, with a reason the applicant does not get by SMS.
- Guards of the public form: a limit per address (``unionhub.throttle``) and a one-time form token.
"""

import datetime
import secrets

from auditlog.context import set_actor
from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Max, Min
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from unionhub import throttle
from unionhub.access import has_duty
from unionhub.notices import notify
from unionhub.notify.service import send_text_to_phone

from ..models import Enterprise, JoinApplication, Member, MembershipEvent
from ..validators import clean_resident_id
from . import find_active_membership, register_member
from .member_signin import clean_mobile

Status = JoinApplication.Status
OPEN_STATUSES = (Status.PENDING, Status.REFERRED)

# Applications one address may send: a household or a works dormitory shares one, so not one an hour.
PER_HOUR, PER_DAY = 5, 20
HOUR, DAY = 3600, 86400
FORM_TOKEN_SECONDS = DAY


# --- who may decide ----------------------------------------------------------------------------------------


def can_see_applications(user) -> bool:
    """The list of applications: union chairs (their own unions') and staff with the organisation duty."""
    return user.is_authenticated and (
        has_duty(user, "members.view_joinapplication") or bool(user.is_union_chair)
    )


def can_decide(user, application: JoinApplication) -> bool:
    """The chair of the union the application is addressed to, or staff with the organisation duty."""
    if not user.is_authenticated or application.union_id is None:
        return False
    return has_duty(user, "members.change_joinapplication", "members.add_member") or (
        application.union.chair_id == user.pk and user.is_active
    )


def can_see_referrals(user) -> bool:
    """The enterprises to organise: staff with the organisation duty."""
    return has_duty(user, "members.view_joinapplication")


# --- the public form's guards ------------------------------------------------------------------------------


def _limit_names(remote_addr: str) -> list[tuple[str, int, int]]:
    address = throttle.client_address(remote_addr)
    return [(f"join:{address}", PER_HOUR, HOUR), (f"join:{address}", PER_DAY, DAY)]


def retry_after(remote_addr: str) -> datetime.datetime | None:
    """When this address may send another application, if it has sent its share; else None."""
    waits = [
        until
        for name, limit, seconds in _limit_names(remote_addr)
        if (until := throttle.retry_after(name, limit=limit, seconds=seconds)) is not None
    ]
    return max(waits) if waits else None


def count_application(remote_addr: str) -> None:
    for name, _limit, seconds in _limit_names(remote_addr):
        throttle.count(name, seconds)


def new_form_token() -> str:
    return secrets.token_urlsafe(16)


def claim_form_token(token: str) -> bool:
    """True the first time a form's token is sent, False for every copy after it (a double tap, a resent
    request): atomic in the shared cache, so two copies arriving together cannot both pass."""
    return cache.add(f"members:join:form:{token}", True, timeout=FORM_TOKEN_SECONDS)


def release_form_token(token: str) -> None:
    cache.delete(f"members:join:form:{token}")


# --- applying ----------------------------------------------------------------------------------------------


def enterprises_named(name: str):
    """Enterprises on file (not closed) whose name is ``name``, ignoring spaces and case."""
    wanted = "".join(name.split())
    return Enterprise.objects.exclude(status=Enterprise.Status.CLOSED).filter(name__iexact=wanted)


def enterprise_suggestions(name: str, limit: int = 8) -> list[str]:
    """Names of enterprises on file that contain what was typed: names only, never who works there."""
    wanted = "".join(name.split())
    if len(wanted) < 2:
        return []
    return list(
        Enterprise.objects.exclude(status=Enterprise.Status.CLOSED)
        .filter(name__icontains=wanted)
        .order_by("name")
        .values_list("name", flat=True)
        .distinct()[:limit]
    )


def apply_to_join(
    *, name: str, id_number: str, phone: str, enterprise: Enterprise | None, enterprise_name: str = ""
) -> JoinApplication:
    """Take in an application (anyone, no login). Answers the application — an open one of the same ID number
    for the same employer when there is one, unchanged. Raises ValidationError for a malformed ID or mobile."""
    name = " ".join((name or "").split())[:50]
    if not name:
        raise ValidationError({"name": _("Give your name as on your ID card.")})
    id_number = clean_resident_id(id_number)
    phone = clean_mobile(phone)
    enterprise_name = enterprise.name if enterprise is not None else " ".join(enterprise_name.split())[:100]
    if not enterprise_name:
        raise ValidationError({"employer": _("Name your employer.")})
    union = enterprise.union if enterprise is not None else None
    with transaction.atomic(), set_actor(None):
        same = JoinApplication.objects.select_for_update().filter(
            id_number=id_number, status__in=OPEN_STATUSES, enterprise_name=enterprise_name
        )
        existing = same.first()
        if existing is not None:
            return existing
        application = JoinApplication.objects.create(
            name=name,
            id_number=id_number,
            phone=phone,
            enterprise=enterprise,
            enterprise_name=enterprise_name,
            union=union,
            status=Status.PENDING if union is not None else Status.REFERRED,
        )
        if union is not None and union.chair_id:
            _tell_chair(application)
    return application


def _tell_chair(application: JoinApplication) -> None:
    with translation.override(settings.LANGUAGE_CODE):
        title = _("%(name)s applies to join %(union)s") % {
            "name": application.name,
            "union": application.union,
        }
        body = _("Employer: %(enterprise)s. Approve or decline the application.") % {
            "enterprise": application.enterprise_name
        }
    notify(
        user=application.union.chair,
        key=f"join-application:{application.pk}",
        title=title,
        body=body,
        url=application.get_absolute_url(),
    )


# --- deciding ----------------------------------------------------------------------------------------------


def _locked(application: JoinApplication, by) -> JoinApplication:
    locked = (
        JoinApplication.objects.select_for_update(of=("self",))
        .select_related("union", "enterprise")
        .get(pk=application.pk)
    )
    if not can_decide(by, locked):
        raise PermissionDenied
    if locked.status != Status.PENDING:
        raise ValidationError(
            _("This application has already been decided (%(status)s).")
            % {"status": locked.get_status_display()},
            code="decided",
        )
    return locked


def approve_application(*, application: JoinApplication, by) -> JoinApplication:
    """Create the membership the application asks for, and tell the applicant by SMS that they can sign in.
    Refused (ValidationError) when the person already has a current membership (a transfer is the way), when
    the employer is no longer covered by the union, or when the mobile is another member's."""
    with transaction.atomic(), set_actor(by):
        application = _locked(application, by)
        enterprise = application.enterprise
        if enterprise is None or enterprise.union_id != application.union_id:
            raise ValidationError(
                _(
                    "The employer is no longer covered by this union: decline the application with the reason, "
                    "or ask the federation to correct the registry."
                ),
                code="enterprise",
            )
        existing = find_active_membership(application.id_number)
        if existing is not None:
            if existing.union_id == application.union_id:
                raise ValidationError(
                    _("%(name)s is already a member of this union (since %(date)s): decline the application.")
                    % {"name": existing.name, "date": existing.joined_on.isoformat()},
                    code="member_here",
                )
            raise ValidationError(
                _(
                    "This person is already a member of another union. Approval would make a second "
                    "membership: record a transfer from the member's old union instead (the federation can "
                    "help), and decline this application."
                ),
                code="member_elsewhere",
            )
        if (
            Member.objects.active()
            .filter(phone=application.phone)
            .exclude(id_number=application.id_number)
            .exists()
        ):
            raise ValidationError(
                _(
                    "This mobile number is on another member's roster entry, so the applicant could not sign in "
                    "with it: correct that entry first, or ask the applicant for their own number."
                ),
                code="phone_taken",
            )
        today = timezone.localdate()
        member = register_member(
            by=by,
            union=application.union,
            enterprise=enterprise,
            name=application.name,
            id_number=application.id_number,
            joined_on=today,
            education="",
            phone=application.phone,
            how=MembershipEvent.Kind.JOINED,
            note=_("Applied online to join the union"),
        )
        application.status = Status.APPROVED
        application.member = member
        application.decided_by = by
        application.decided_at = timezone.now()
        with set_actor(by):  # register_member's own set_actor has ended and taken the actor with it
            application.save(update_fields=["status", "member", "decided_by", "decided_at"])
        send_text_to_phone(
            phone=application.phone,
            kind="join_approved",
            key=f"join-approved:{application.pk}",
            url=reverse("member_area:home"),
        )
    return application


def decline_application(*, application: JoinApplication, by, reason: str) -> JoinApplication:
    """Decline with a reason (kept for the chair and the federation; the applicant's SMS says only the outcome)."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason for declining.")})
    with transaction.atomic(), set_actor(by):
        application = _locked(application, by)
        application.status = Status.DECLINED
        application.reason = reason[:2000]
        application.decided_by = by
        application.decided_at = timezone.now()
        application.save(update_fields=["status", "reason", "decided_by", "decided_at"])
        send_text_to_phone(
            phone=application.phone,
            kind="join_declined",
            key=f"join-declined:{application.pk}",
            url=reverse("member_area:join"),
        )
    return application


def active_membership_note(application: JoinApplication, viewer) -> str:
    """What the chair should know before deciding: the person already holds a current membership (named only
    to a viewer who may see that member, as the registry's duplicate message does)."""
    if application.status != Status.PENDING:
        return ""
    existing = find_active_membership(application.id_number)
    if existing is None:
        return ""
    if Member.objects.visible_to(viewer).filter(pk=existing.pk).exists():
        return _("Already a member: %(name)s, %(union)s, since %(date)s.") % {
            "name": existing.name,
            "union": existing.union,
            "date": existing.joined_on.isoformat(),
        }
    return _(
        "This ID number already has a current membership in another union: a transfer, not a new membership."
    )


def to_organise():
    """The referred applications grouped by the employer's name, most applicants first: the enterprises the
    federation should organise a union in."""
    return (
        JoinApplication.objects.referred()
        .order_by()
        .values("enterprise_name")
        .annotate(n=Count("pk"), first=Min("created_at"), last=Max("created_at"), on_file=Max("enterprise"))
        .order_by("-n", "enterprise_name")
    )
