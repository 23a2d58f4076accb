"""``manage.py expire_vacancies [--today YYYY-MM-DD]``: record as expired the approved vacancies whose run has
ended (listed until a day before today). Prints how many. Safe to run any number of times a day: the public
page and the referrals read the date themselves, so this is the record, not the rule."""

import datetime

from django.core.management.base import BaseCommand, CommandError

from jobs import services


class Command(BaseCommand):
    help = "Record as expired the vacancies whose run has ended."

    def add_arguments(self, parser):
        parser.add_argument("--today", default="", help="the day to judge by (default: today)")

    def handle(self, *args, today, **options):
        on = None
        if today:
            try:
                on = datetime.date.fromisoformat(today)
            except ValueError:
                raise CommandError("--today takes a date as YYYY-MM-DD.") from None
        n = services.record_expiry(on=on)
        self.stdout.write(f"expired: {n}")
