"""Who may see a case, and who may see the complainant behind it.

- Staff with the casework duty (``grievances.view_case``) see every case, and every identity.
- A case's handler (a staff member or a seconded cadre) and whoever took it in see the case; the
  handler sees the identity unless the case is anonymous.
- The chair of the union asked to help sees the case without the identity.
- Everyone else: 404 (``Case.objects.visible_to``).

Every time an identity is shown, an ACCESS entry is written to the audit trail."""

from auditlog.models import LogEntry
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils import timezone

from secondment.models import SecondmentTerm
from unionhub.masking import mask_name, mask_phone

from .permissions import can_see_identity


def identity(user, case, *, remote_addr: str | None = None) -> dict | None:
    """The complainant's name, phone and ID number for this user, or None; logged when shown."""
    if not can_see_identity(user, case):
        return None
    LogEntry.objects.log_create(
        case,
        action=LogEntry.Action.ACCESS,
        actor=user,
        force_log=True,
        changes={},
        remote_addr=remote_addr,
        additional_data={"shown": "complainant identity"},
    )
    return {
        "name": case.complainant_name,
        "phone": case.complainant_phone,
        "id_number": case.complainant_id_number,
    }


def masked_contact(case) -> dict:
    return {
        "name": mask_name(case.complainant_name) if not case.anonymous else "",
        "phone": mask_phone(case.complainant_phone) if not case.anonymous else "",
    }


def assignable_handlers():
    """Who may handle a case: staff with the casework duty's ``handle_case`` permission, and seconded
    cadres in an active term."""
    today = timezone.localdate()
    active_cadres = SecondmentTerm.objects.active_on(today).values("cadre_id")
    return (
        get_user_model()
        .objects.filter(is_active=True)
        .filter(
            Q(
                is_staff=True,
                groups__permissions__codename="handle_case",
                groups__permissions__content_type__app_label="grievances",
            )
            | Q(pk__in=active_cadres)
            | Q(is_superuser=True)
        )
        .distinct()
        .order_by("name", "username")
    )
