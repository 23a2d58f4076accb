"""The embedded default's SMS "provider": each message is one line appended to ``SMS_LOG_FILE``
(``var/sms.log``) and printed to the console — the phone number first, then the text. Nothing leaves
the machine; a newcomer reads the codes and reminders there."""

import datetime
import sys
import threading

from django.conf import settings

from . import SendResult, SmsBackend, SmsMessage

_lock = threading.Lock()


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
        sys.stdout.write(f"[SMS] {line}")
        return SendResult.sent(provider_id=f"console-{stamp}")
