"""``manage.py meeting_tasks [--overdue]``: the office meeting's open tasks (only those past their due date
with ``--overdue``), by due date: one line each, ``<due date> <department> <owner's username> <task>`` with
``overdue`` after an overdue one, then a line ``open: N``. Exit status 0, also when none is open."""

from django.core.management.base import BaseCommand
from django.utils import timezone

from meetings.models import Task


class Command(BaseCommand):
    help = "List the office meeting's open tasks (overdue ones only with --overdue), by due date."

    def add_arguments(self, parser):
        parser.add_argument("--overdue", action="store_true", help="only the tasks past their due date")

    def handle(self, *args, overdue, **options):
        today = timezone.localdate()
        tasks = Task.objects.overdue(today) if overdue else Task.objects.open()
        tasks = list(tasks.select_related("owner").order_by("due_on", "pk"))
        for task in tasks:
            late = " overdue" if task.due_on < today else ""
            self.stdout.write(
                f"{task.due_on:%Y-%m-%d} {task.department} {task.owner.username} {task.title}{late}"
            )
        self.stdout.write(f"open: {len(tasks)}")
