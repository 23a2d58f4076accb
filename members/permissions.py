"""Who may do what in the registry: the named checks that views ask (which unions, enterprises and
members a user reaches at all is ``visible_to``)."""

from unionhub.access import has_duty, has_role
from unionhub.duties import AID, CASEWORK, FINANCE, ORGANISATION, grant
from unionhub.signin_links import ISSUE_PERMISSION

from .models import Member


def can_use_registry(user) -> bool:
    """The registry (and the dues pages) are for federation staff and union chairs; other roles get 403."""
    return has_role(user, "staff", "union_chair")


def can_add_member(user, union=None) -> bool:
    """Staff with the organisation duty (``members.add_member``), or a union chair (for their own union
    when ``union`` is given)."""
    if has_duty(user, "members.add_member"):
        return True
    if union is None:
        return has_role(user, "union_chair")
    return user.is_authenticated and union.chair_id == user.pk


def can_edit_member(user, member: Member) -> bool:
    """Staff with the organisation duty (``members.change_member``), or the chair of the member's union:
    being staff alone (finance, casework, aid) lets one see the registry, not change it."""
    return has_duty(user, "members.change_member") or (
        user.is_authenticated and member.union.chair_id == user.pk
    )


def can_correct_id_number(user) -> bool:
    """Correcting a mistyped ID number shows and changes it: staff holding the reveal duty."""
    return has_duty(user, "members.reveal_id_number")


def can_reveal_id_number(user, member: Member) -> bool:
    """Staff holding the reveal duty, or the chair of the member's union, see the full ID number."""
    return has_duty(user, "members.reveal_id_number") or (
        user.is_authenticated and member.union.chair_id == user.pk
    )


def can_import_registry(user) -> bool:
    """Reading a federation's ledgers into the registry creates unions, enterprises, members and chairs'
    accounts: staff with the organisation duty (``members.add_registryimport``)."""
    return has_duty(user, "members.add_registryimport")


def can_upload_dues(user, union) -> bool:
    """A dues sheet is money: the union's chair, or staff with the finance duty, upload and commit it."""
    return has_duty(user, "members.add_duesupload") or (user.is_authenticated and union.chair_id == user.pk)


def can_record_remittances(user) -> bool:
    """Money received for a period: staff with the finance duty."""
    return has_duty(user, "members.add_remittance")


def can_settle_credit(user) -> bool:
    """Carrying an overpaid period's credit to the next period, or recording its refund: the finance duty."""
    return has_duty(user, "members.add_creditsettlement")


def can_edit_payment_instructions(user) -> bool:
    """How unions pay (the federation's account, the tax bureau's channel): staff with the finance duty."""
    return has_duty(user, "members.change_paymentinstructions")


def can_download_dues_sheet(user, upload) -> bool:
    """A dues sheet as uploaded, and its copy with the problems marked, carry every row's full ID number:
    the union's chair and staff who may reveal ID numbers (the organisation duty), not every staff member."""
    return upload.union.chair_id == user.pk or has_duty(user, "members.reveal_id_number")


def can_transfer_member(user, member: Member) -> bool:
    """A transfer to another union, recorded by hand: staff with the organisation duty, or the chair of
    the member's current union."""
    return has_duty(user, "members.add_membertransfer") or (
        user.is_authenticated and member.union.chair_id == user.pk
    )


def can_contest_transfer(user, transfer) -> bool:
    """The old union's chair contests a transfer out of their union."""
    return user.is_authenticated and transfer.from_union.chair_id == user.pk


def can_resolve_transfer(user) -> bool:
    """A contested transfer is decided by federation staff with the organisation duty."""
    return has_duty(user, "members.change_membertransfer")


def can_manage_accounts(user) -> bool:
    """The accounts page, sign-in letters and withdrawing links: staff with the organisation duty (the
    core's permission to issue sign-in links)."""
    return has_duty(user, ISSUE_PERMISSION)


def can_hand_over_union(user, union) -> bool:
    """The handover (换届) of a union to a new chair: staff with the organisation duty (who may change
    unions and issue sign-in links), or the union's current chair."""
    return has_duty(user, "members.change_grassrootsunion", ISSUE_PERMISSION) or (
        user.is_authenticated and union.chair_id == user.pk
    )


# What each staff duty may do in this app (the duty groups are made from these on every migrate).
grant(
    ORGANISATION,
    [
        "members.add_member",
        "members.change_member",
        "members.view_member",
        "members.reveal_id_number",
        "members.add_enterprise",
        "members.change_enterprise",
        "members.view_enterprise",
        "members.add_grassrootsunion",
        "members.change_grassrootsunion",
        "members.view_grassrootsunion",
        # The ledger import (台账导入): unions, enterprises, members and chairs' accounts in one go.
        "members.add_registryimport",
        "members.view_registryimport",
        "members.add_area",
        "members.change_area",
        "members.view_area",
        "members.add_membertransfer",
        "members.change_membertransfer",
        "members.view_membertransfer",
        "members.add_chairchange",
        "members.view_chairchange",
        # Applications to join (入会申请): deciding where the chair cannot, and the enterprises to organise.
        "members.change_joinapplication",
        "members.view_joinapplication",
    ],
)
grant(
    FINANCE,
    [
        "members.view_member",
        "members.view_enterprise",
        "members.view_grassrootsunion",
        "members.add_remittance",
        "members.view_remittance",
        "members.add_duesupload",
        "members.change_duesupload",
        "members.view_duesupload",
        "members.view_duesperiod",
        "members.add_creditsettlement",
        "members.view_creditsettlement",
        "members.view_declarationreplacement",
        "members.add_duesrate",
        "members.change_duesrate",
        "members.view_duesrate",
        "members.add_paymentinstructions",
        "members.change_paymentinstructions",
        "members.view_paymentinstructions",
    ],
)
grant(
    CASEWORK,
    [
        "members.view_member",
        "members.view_enterprise",
        "members.view_grassrootsunion",
    ],
)
grant(
    AID,
    [
        "members.view_member",
        "members.view_enterprise",
        "members.view_grassrootsunion",
    ],
)
