"""``manage.py contest_results --contest ID``: a contest's ranking, one line per ranked contestant — rank, masked
name, union code, score (two decimals) — separated by single spaces, and nothing else on stdout: a heading and
any message go to stderr. Published results print the fixed ranks; before that, the ranking so far. An unknown
or malformed ID is a message on stderr and exit status 1; a contest with no scores yet prints nothing."""

from django.core.management.base import BaseCommand
from django.utils import translation
from django.utils.translation import gettext as _

from contests import services
from contests.models import Contest
from unionhub.masking import mask_name
from unionhub.params import parse_id


class Command(BaseCommand):
    help = "Print a skills contest's ranking: rank, masked name, union code, score."

    def add_arguments(self, parser):
        parser.add_argument("--contest", required=True, help="the contest's ID")

    def handle(self, *args, contest, **options):
        with translation.override("zh-hans"):
            pk = parse_id(contest)
            found = Contest.objects.filter(pk=pk).first() if pk else None
            if found is None:
                self.stderr.write(_("No skills contest has the ID “%(id)s”.") % {"id": contest})
                raise SystemExit(1)
            published = found.state == Contest.State.PUBLISHED
            rows = services.published_standings(found) if published else services.standings(found)
            lines = []
            for row in rows:
                score = row.entry.score if published else (row.score.total if row.score else None)
                if row.rank is None or score is None:
                    continue
                lines.append(
                    f"{row.rank} {mask_name(row.entry.member.name)} {row.entry.union.code} {score:.2f}"
                )
            self.stderr.write(f"{found.year} {found.title}（{found.get_state_display()}）")
            if not lines:
                self.stderr.write(_("No contestant has been scored yet."))
            for line in lines:
                self.stdout.write(line)
