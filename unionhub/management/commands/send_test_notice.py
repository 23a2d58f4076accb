"""``python manage.py send_test_notice --user USERNAME --channel sms|wecom|email|inapp``: send one test notice
through the real path (the notification service, a ``Delivery`` row, the channel's transport) and print
``sent``, or ``failed: REASON`` and exit 1. In the embedded default an SMS is a line of ``var/sms.log``."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from unionhub.notify import service
from unionhub.notify.kinds import CHANNELS


class Command(BaseCommand):
    help = "Send one test notice to a user on one channel through the notification service; print sent or failed."

    def add_arguments(self, parser):
        parser.add_argument("--user", required=True, help="the user's username")
        parser.add_argument("--channel", required=True, choices=CHANNELS, help="the channel to try")

    def handle(self, *args, user, channel, **options):
        person = get_user_model().objects.filter(username=user.strip()).first()
        if person is None:
            return self._failed(_("no user is called %(username)s") % {"username": user})
        try:
            delivery = service.send_test(user=person, channel=channel)
        except service.CannotSend as reason:
            return self._failed(str(reason))
        if delivery.status in (delivery.Status.SENT, delivery.Status.DELIVERED):
            self.stdout.write("sent")
            return None
        if delivery.status == delivery.Status.HELD:
            return self._failed(_("the number has had its share of texts this hour; try again later"))
        reason = delivery.error_message or delivery.error_code or delivery.get_status_display()
        if delivery.status == delivery.Status.QUEUED:
            reason = _("the provider did not take it (%(reason)s); it will be tried again") % {
                "reason": reason
            }
        return self._failed(reason)

    def _failed(self, reason: str):
        self.stdout.write(f"failed: {reason}")
        raise SystemExit(1)
