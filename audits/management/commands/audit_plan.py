"""``manage.py audit_plan --year YYYY [--save] [--cycle N]``: the year's audit plan as the rules propose it —
one line per union (code, name, reasons), then ``selected: N``. Without ``--save`` nothing is written; with it
the plan is created (if missing) and the proposed unions not yet in it are added, recorded as done by the
user named by ``--by`` (who must hold the audit duty). The reasons are printed in English keywords
(``rotation: last audited 2023``), whatever the site's language."""

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from audits import services


class Command(BaseCommand):
    help = "Propose (and with --save, record) the year's audit plan."

    def add_arguments(self, parser):
        parser.add_argument("--year", required=True, help="the plan's year, e.g. 2026")
        parser.add_argument(
            "--cycle", type=int, default=None, help="rotation cycle in years (default: the plan's, or 3)"
        )
        parser.add_argument("--save", action="store_true", help="record the plan (default: propose only)")
        parser.add_argument(
            "--by", default="", help="username of the auditor recording the plan (with --save)"
        )

    def handle(self, *args, **options):
        # The output is read by scripts and the acceptance checks: its reason keywords stay in English.
        with translation.override("en"):
            self._handle(**options)

    def _handle(self, *, year, cycle, save, by, **options):
        try:
            year = services.check_year(year)
            if cycle is not None and not 1 <= cycle <= 10:
                raise ValidationError("The rotation cycle is 1 to 10 years.")
            proposal = services.propose_plan(year, cycle_years=cycle)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        for selection in proposal:
            self.stdout.write(selection.line())
        if save:
            user = get_user_model().objects.filter(username=by).first() if by else None
            if user is None:
                raise CommandError("--save needs --by USERNAME of a staff member holding the audit duty.")
            try:
                plan, added = services.save_plan(year=year, by=user, cycle_years=cycle)
            except PermissionDenied:
                raise CommandError(f"{by} does not hold the audit duty.") from None
            except ValidationError as error:
                raise CommandError(" ".join(error.messages)) from None
            self.stderr.write(f"saved: {len(added)} audits added to the {year} plan")
        self.stdout.write(f"selected: {len(proposal)}")
