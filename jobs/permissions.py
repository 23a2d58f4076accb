"""Who may do what in the job-finding help: the named checks that views and services ask (which rows a user
sees at all is ``Vacancy.objects.visible_to`` / ``Referral.objects.visible_to``).

The job-finding help is one of the service station's mechanisms, so it belongs to the casework duty (权益保障):
its staff approve and return vacancies, refer workers, record outcomes, and export the year's referrals.
A union's chair posts vacancies for the enterprises their union covers. A seconded cadre on secondment today
(the ``cadre`` role, as grievances' ``can_open_cases``) staffs the station on duty days and refers workers."""

from unionhub.access import has_duty, has_role
from unionhub.duties import CASEWORK, grant

APPROVE = "jobs.approve_vacancy"
REFER = "jobs.add_referral"
VIEW_REFERRALS = "jobs.view_referral"


def is_jobs_staff(user) -> bool:
    """Casework staff: the station's job-finding help."""
    return has_duty(user, APPROVE)


def can_approve(user) -> bool:
    return has_duty(user, APPROVE)


def can_post(user) -> bool:
    """Union chairs post vacancies (for an enterprise their union covers: the service checks which)."""
    return has_role(user, "union_chair")


def can_refer(user) -> bool:
    return has_duty(user, REFER) or has_role(user, "cadre")


def can_use_desk(user) -> bool:
    """The job-finding desk (the vacancies behind the public page, the referrals): the casework staff, the
    cadres who refer, and union chairs who post."""
    return is_jobs_staff(user) or can_refer(user) or can_post(user)


def can_see_referrals(user) -> bool:
    return has_duty(user, VIEW_REFERRALS) or can_refer(user) or can_post(user)


def can_see_figures(user) -> bool:
    """The year's figures are counts, no worker's data: every federation staff member."""
    return user.is_authenticated and user.is_federation_staff


def can_export(user) -> bool:
    """The year's referrals as a spreadsheet (workers' names, masked phones): the casework staff only."""
    return has_duty(user, VIEW_REFERRALS)


def is_posting_chair(user, vacancy) -> bool:
    return user.is_authenticated and vacancy.union.chair_id == user.pk


def can_edit(user, vacancy) -> bool:
    """The posting chair changes a vacancy while it waits for approval or has been returned to them."""
    return is_posting_chair(user, vacancy) and vacancy.status in (
        vacancy.Status.SUBMITTED,
        vacancy.Status.RETURNED,
    )


def can_manage_open(user, vacancy) -> bool:
    """Extend or close an approved vacancy: its posting chair and the casework staff."""
    return is_posting_chair(user, vacancy) or is_jobs_staff(user)


def can_see_worker_phone(user, referral) -> bool:
    """The worker's phone in full: the casework staff and whoever referred them. The posting chair sees the
    name (to arrange the interview) and the masked phone: the station puts worker and employer in touch."""
    return is_jobs_staff(user) or (user.is_authenticated and referral.referred_by_id == user.pk)


def can_record_outcome(user, referral) -> bool:
    """The casework staff, the referrer, and the posting chair (the employer learns first who was hired)."""
    return (
        is_jobs_staff(user)
        or (user.is_authenticated and referral.referred_by_id == user.pk)
        or is_posting_chair(user, referral.vacancy)
    )


grant(
    CASEWORK,
    [
        "jobs.approve_vacancy",
        "jobs.view_vacancy",
        "jobs.change_vacancy",
        "jobs.add_referral",
        "jobs.view_referral",
        "jobs.change_referral",
    ],
)
