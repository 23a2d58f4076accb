"""The embedded default's SMS "provider": each message is one line appended to ``SMS_LOG_FILE``
(``var/sms.log``) — the phone number first, then the time, the template and the text — and logged at
INFO (not printed: seeding the demo sends hundreds). Nothing leaves the machine; a newcomer reads the
codes and reminders there."""

import datetime
import logging
import threading

from django.conf import settings

from . import SendResult, SmsBackend, SmsMessage

_lock = threading.Lock()
logger = logging.getLogger(__name__)


class ConsoleSms(SmsBackend):
    name = "console"

    def send(self, message: SmsMessage) -> SendResult:
        text = " ".join((message.text or "").split())
        stamp = datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        line = f"{message.phone}\t{stamp}\t{message.template}\t{text}\n"
        path = settings.SMS_LOG_FILE
        with _lock:
            path.parent.mkdir(parents=True, exist_ok=True)
            with open(path, "a", encoding="utf-8") as log:
                log.write(line)
        logger.info("SMS to %s: %s", message.phone, text)
        return SendResult.sent(provider_id=f"console-{stamp}")
