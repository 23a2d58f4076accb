import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from members import demo
from members.models import GrassrootsUnion, Member


class Command(BaseCommand):
    help = "Build the demo district: 186 unions, 485 enterprises, 40,000 members and a demo account per role."

    def add_arguments(self, parser):
        parser.add_argument("--members", type=int, default=40_000, help="number of members (default 40,000)")
        parser.add_argument(
            "--seed", type=int, default=2026, help="random seed, for the same district every time"
        )
        parser.add_argument(
            "--allow-without-debug",
            action="store_true",
            help="run even though DEBUG is off (never on a production database)",
        )

    def handle(self, *args, members, seed, allow_without_debug, **options):
        if not settings.DEBUG and not allow_without_debug:
            raise CommandError(
                "seed_demo creates accounts with a published password and refuses to run with "
                "DEBUG off. Use --allow-without-debug only on a throw-away database."
            )
        if members < 100:
            raise CommandError("--members must be at least 100.")
        if demo.already_seeded():
            self.stdout.write(
                f"The demo district is already seeded ({GrassrootsUnion.objects.count()} unions, "
                f"{Member.objects.count()} members); nothing changed."
            )
            return
        started = time.perf_counter()
        result = demo.seed(members=members, seed=seed)
        elapsed = time.perf_counter() - started
        self.stdout.write(
            self.style.SUCCESS(
                f"Seeded the demo district: {result.unions} unions, {result.enterprises} enterprises, "
                f"{result.members} members, {result.users} users in {elapsed:.1f} s."
            )
        )
