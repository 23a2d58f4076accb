"""Who may do what with audits. The audit team (``unionhub.duties.AUDIT``) plans, audits, records findings and
decides rectifications; the audited union's chair sees their union's audits and answers its rectifications.
Other staff see no audit (``Audit.objects.visible_to``: 404) and are refused the district view (403)."""

from unionhub.access import has_duty
from unionhub.duties import AUDIT, grant


def is_auditor(user) -> bool:
    """Staff holding the audit duty: the district view, every audit, the plan."""
    return has_duty(user, "audits.view_audit")


def can_plan(user) -> bool:
    return has_duty(user, "audits.add_auditplan")


def can_audit(user) -> bool:
    """Set the team and dates, fill in the checklist, record findings, complete the audit."""
    return has_duty(user, "audits.change_audit")


def can_decide_rectification(user) -> bool:
    return has_duty(user, "audits.change_rectification")


def is_audited_chair(user, audit) -> bool:
    """The chair of the audited union: answers its rectifications."""
    return user.is_authenticated and audit.union.chair_id is not None and audit.union.chair_id == user.pk


def can_see_own_audits(user) -> bool:
    return user.is_authenticated and user.is_union_chair


grant(
    AUDIT,
    [
        "audits.view_auditplan",
        "audits.add_auditplan",
        "audits.change_auditplan",
        "audits.view_audit",
        "audits.add_audit",
        "audits.change_audit",
        "audits.delete_audit",
        "audits.view_checklistitem",
        "audits.view_finding",
        "audits.add_finding",
        "audits.change_finding",
        "audits.view_rectification",
        "audits.change_rectification",
    ],
)
