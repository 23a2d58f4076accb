"""Federation staff duties as Django groups. A staff user's duties decide what they may change;
being staff (``is_staff``) decides what they may see."""

from django.contrib.auth.models import Group, Permission

ORGANISATION = "organisation"
FINANCE = "finance"
CASEWORK = "casework"
AID = "aid"
# The audit team (审计队伍): finance and dues audits of grassroots unions. Its own duty, not finance's: the
# auditors check the finance staff's work as much as the unions', and an audit is seen by them and the
# audited union's chair only.
AUDIT = "audit"

DUTIES = (ORGANISATION, FINANCE, CASEWORK, AID, AUDIT)

# app_label.codename for each duty: the core's own here; each app grants its permissions to the duties in
# its permissions.py (``grant``), which the core imports at start-up (``unionhub.contributions``).
_granted: dict[str, list[str]] = {
    ORGANISATION: [
        "unionhub.add_calendarday",
        "unionhub.change_calendarday",
        "unionhub.delete_calendarday",
        "unionhub.view_calendarday",
        "unionhub.add_rule",
        "unionhub.change_rule",
        "unionhub.add_ruleversion",
        "unionhub.view_ruleversion",
        # Accounts: one-time sign-in links for chairs and other non-staff people (signin_links.py).
        "unionhub.add_signinlink",
        "unionhub.view_signinlink",
        # Notices: the delivery log (who was sent what, on which channel, and what failed).
        "unionhub.view_delivery",
    ],
    FINANCE: [],
    CASEWORK: [],
    AID: [],
    AUDIT: [],
}


def grant(duty: str, perms: list[str]) -> None:
    """Give the staff who hold ``duty`` these permissions (``"app_label.codename"``). Called by each app's
    permissions.py when it is imported; granting the same permission twice is harmless."""
    if duty not in _granted:
        raise ValueError(f"unknown duty {duty!r}: one of {', '.join(DUTIES)}")
    _granted[duty].extend(p for p in perms if p not in _granted[duty])


def duty_permissions() -> dict[str, list[str]]:
    """Every duty's permissions, as granted so far."""
    return {duty: list(perms) for duty, perms in _granted.items()}


def ensure_duty_groups(**kwargs) -> dict[str, Group]:
    """Create the duty groups and give them their permissions; safe to run any number of times."""
    groups = {}
    for name, perms in duty_permissions().items():
        group, _ = Group.objects.get_or_create(name=name)
        wanted = []
        for perm in perms:
            app_label, codename = perm.split(".")
            wanted.extend(Permission.objects.filter(content_type__app_label=app_label, codename=codename))
        group.permissions.add(*wanted)
        groups[name] = group
    return groups
