from django.conf import settings
from django.core.management.base import BaseCommand

from members import demo


class Command(BaseCommand):
    help = "Print the demo accounts and their password."

    def handle(self, *args, **options):
        self.stdout.write("")
        self.stdout.write("UnionHub demo: http://127.0.0.1:8000/")
        self.stdout.write(f"Every demo account's password: {demo.DEMO_PASSWORD}")
        width = max(len(username) for username, _role in demo.DEMO_LOGINS)
        for username, role in demo.DEMO_LOGINS:
            self.stdout.write(f"  {username:<{width}} {role}")
        self.stdout.write("  chair3 … chair186 chair the unions HN003 … HN186 (HN005: cadre).")
        self.stdout.write("  chair4 has no password yet: staff print its sign-in letter on /accounts/.")
        self.stdout.write(
            f"Text messages (SMS) are not sent in the demo: each is a line in {settings.SMS_LOG_FILE}."
        )
        self.stdout.write(
            "Members' home (phone): http://127.0.0.1:8000/m/ — sign in with "
            + " or ".join(demo.DEMO_MEMBER_PHONES)
            + "; the code is on the line of the SMS log that begins with the number."
        )
        self.stdout.write("")
