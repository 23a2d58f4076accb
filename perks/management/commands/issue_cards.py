"""Issue discount cards to every active member without one: ``--union CODE`` or ``--all``."""

from django.core.management.base import BaseCommand, CommandError

from members.models import GrassrootsUnion
from perks.services.cards import issue_cards


class Command(BaseCommand):
    help = "Issue a discount card to every active member who has none, in one batch; prints 'issued: N'."

    def add_arguments(self, parser):
        which = parser.add_mutually_exclusive_group(required=True)
        which.add_argument("--union", metavar="CODE", help="the grassroots union's code, e.g. HN001")
        which.add_argument("--all", action="store_true", help="every union in the district")

    def handle(self, *args, **options):
        union = None
        if options["union"]:
            code = options["union"].strip()
            union = GrassrootsUnion.objects.filter(code__iexact=code).first()
            if union is None:
                raise CommandError(f"No grassroots union has the code {code!r}.", returncode=2)
        batch = issue_cards(by=None, union=union)
        self.stdout.write(f"issued: {batch.count}")
