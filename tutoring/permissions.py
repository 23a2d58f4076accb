"""Who may do what with the tutoring classes: the named checks that views and services ask.

The federation's support of workers' families lives with the aid duty: staff with it (``AID``) create,
approve and run any class and see every class's children. A union's chair creates and runs their own union's
classes (approval opens them for enrolment) and sees their children. Other staff see the classes, their
timetables and counts — never a child; other chairs, cadres and the rest see nothing of a class."""

from unionhub.access import has_duty, has_role
from unionhub.duties import AID, grant

from .models import CHILDREN_PERMISSION

RUN_ANY = ("tutoring.approve_tutoringclass", CHILDREN_PERMISSION)


def is_tutoring_staff(user) -> bool:
    """Federation staff with the aid duty: they approve and run every class and see its children."""
    return has_duty(user, *RUN_ANY)


def is_host_chair(user, tutoring_class) -> bool:
    """The hosting union's current chair: the class follows the union, not whoever created it."""
    return user.is_authenticated and tutoring_class.union.chair_id == user.pk


def can_use_tutoring(user) -> bool:
    """The class pages are for federation staff and union chairs (what each sees is scoped)."""
    return has_role(user, "staff", "union_chair")


def can_create_class(user) -> bool:
    return is_tutoring_staff(user) or has_role(user, "union_chair")


def can_run_class(user, tutoring_class) -> bool:
    """Edit the class, its tutors and timetable, enrol on a member's behalf, take attendance."""
    return is_tutoring_staff(user) or is_host_chair(user, tutoring_class)


def can_see_children(user, tutoring_class) -> bool:
    """The roster, the attendance by name and the roster's export: the host chair and aid staff only."""
    return can_run_class(user, tutoring_class)


def can_approve_classes(user) -> bool:
    return is_tutoring_staff(user)


def can_see_figures(user) -> bool:
    """The year's figures are counts only: any federation staff may see them."""
    return has_role(user, "staff")


# What each staff duty may do in this app (the duty groups are made from these on every migrate).
grant(
    AID,
    [
        "tutoring.add_tutoringclass",
        "tutoring.change_tutoringclass",
        "tutoring.view_tutoringclass",
        "tutoring.approve_tutoringclass",
        "tutoring.view_enrolment",
        "tutoring.change_enrolment",
        "tutoring.export_enrolment",
    ],
)
