"""UnionHub benchmark: the dues-due reminders for all 186 union chairs, on SMS, WeCom and e-mail.

Run by ``make bench``. On a throw-away database (PostgreSQL ``unionhub_bench_notices`` when
``DATABASE_URL`` is set, else ``var/bench_notices.sqlite3``):

1. makes 186 unions, each with a chair who has a mobile number, an e-mail address and a WeCom user id and
   takes the dues reminder on SMS, WeCom and e-mail (not timed);
2. times ``notify()`` for every chair's dues-due reminder end to end, with one worker (Celery eager: each
   notice's deliveries are sent when its transaction commits), through the real service: the in-app notice,
   four ``Delivery`` rows per chair, the SMS through the console backend (``var/bench-sms.log``), the e-mail
   through Django's locmem backend and the WeCom application message as one HTTP request to a local fake
   server (one request per message, as WeCom's ``message/send`` takes it);
3. runs the sweep once more and checks nothing is sent twice.

Fakes: the SMS goes through ``SMS_BACKEND`` — the console backend for now; to time the Alibaba Cloud adapter,
set ``SMS_BACKEND = "unionhub.channels.aliyun.AliyunSms"`` in ``configure()`` and point its endpoint setting at
its test suite's fake server. WeCom: ``fake_wecom_app`` below stands in for ``unionhub.channels.wecom.WeComApp``
until that module lands; then replace it by the real class with its base address pointed at ``FakeWeCom``.

Goal: under 5 s end to end. Timings live here, never in tests.
"""

import io
import json
import logging
import os
import sys
import threading
import time
import warnings
from contextlib import redirect_stdout
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.request import Request, urlopen

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ["DJANGO_SETTINGS_MODULE"] = "unionhub.settings.test"

import django  # noqa: E402
from django.conf import settings  # noqa: E402

CHAIRS = 186
GOAL_S = 5.0


def configure() -> None:
    default = settings.DATABASES["default"]
    sqlite = default["ENGINE"] == "django.db.backends.sqlite3"
    default["TEST"] = {
        "NAME": str(ROOT / "var" / "bench_notices.sqlite3") if sqlite else "unionhub_bench_notices"
    }
    settings.SMS_BACKEND = "unionhub.channels.console.ConsoleSms"
    settings.SMS_LOG_FILE = ROOT / "var" / "bench-sms.log"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


configure()
warnings.filterwarnings("ignore", message="No directory at")
django.setup()
# One line per text in var/sms.log is the console backend's record; its INFO log line would flood the output.
logging.getLogger("unionhub.channels.console").setLevel(logging.WARNING)

from django.core import mail  # noqa: E402
from django.db import connection  # noqa: E402

from tests.factories import make_union, make_user  # noqa: E402
from unionhub.channels import SendResult  # noqa: E402
from unionhub.models import Delivery, NoticePreference  # noqa: E402
from unionhub.notices import notify  # noqa: E402
from unionhub.notify import service, transports  # noqa: E402


class FakeWeCom(BaseHTTPRequestHandler):
    """Answers WeCom's ``message/send`` and a group robot's ``webhook/send`` as documented: ``errcode`` 0."""

    received = 0

    def do_POST(self):  # noqa: N802 - the http.server name
        json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        FakeWeCom.received += 1
        body = json.dumps({"errcode": 0, "errmsg": "ok", "msgid": f"m{FakeWeCom.received}"}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


def serve() -> str:
    server = ThreadingHTTPServer(("127.0.0.1", 0), FakeWeCom)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{server.server_address[1]}"


def fake_wecom_app(base: str):
    def send(user_ids, text):
        payload = {"touser": "|".join(user_ids), "msgtype": "text", "agentid": 1, "text": {"content": text}}
        request = Request(  # noqa: S310 - our own local fake server, http://127.0.0.1
            f"{base}/cgi-bin/message/send?access_token=bench",
            data=json.dumps(payload).encode(),
            headers={"Content-Type": "application/json"},
        )
        with urlopen(request, timeout=5) as response:  # noqa: S310 - the local fake
            answer = json.loads(response.read())
        return (
            SendResult.sent(answer["msgid"])
            if answer["errcode"] == 0
            else SendResult.failed(str(answer["errcode"]))
        )

    return send


def main() -> int:
    own_name = connection.settings_dict["NAME"]
    name = connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    print(f"UnionHub notices benchmark — database: {connection.vendor} ({Path(name).name})", flush=True)
    base = serve()
    transports.wecom_app = fake_wecom_app(base)
    settings.SMS_LOG_FILE.unlink(missing_ok=True)
    try:
        chairs = []
        for n in range(CHAIRS):
            chair = make_user(
                f"bench_chair{n:03d}",
                name=f"主席{n:03d}",
                phone=f"139{n:08d}",
                email=f"chair{n:03d}@example.cn",
                wecom_userid=f"chair{n:03d}",
                quiet_hours=False,
            )
            make_union(f"BN{n:03d}", chair=chair)
            NoticePreference.objects.create(user=chair, kind="dues_soon", channels=["email", "sms", "wecom"])
            chairs.append(chair)
        mail.outbox = []
        started = time.perf_counter()
        with redirect_stdout(io.StringIO()):
            for n, chair in enumerate(chairs):
                notify(
                    user=chair,
                    key=f"dues-soon:{n}",
                    title="2025年5月工会经费即将到期",
                    body="请在 6 月 15 日前上传会费表并缴纳。",
                    url=f"/dues/periods/{n}/",
                )
        elapsed = time.perf_counter() - started
        with redirect_stdout(io.StringIO()):
            again = service.sweep()
        sent = Delivery.objects.filter(status__in=["sent", "delivered"]).count()
        sms_lines = len(settings.SMS_LOG_FILE.read_text(encoding="utf-8").splitlines())
        print(
            f"{CHAIRS} chairs × (in-app, SMS, WeCom, e-mail): {sent} deliveries sent in {elapsed:.2f} s "
            f"({elapsed / CHAIRS * 1000:.1f} ms a chair); {sms_lines} SMS lines, {FakeWeCom.received} WeCom "
            f"requests, {len(mail.outbox)} e-mails; the sweep after found {again} to send"
        )
        ok = (
            sent == CHAIRS * 4
            and sms_lines == FakeWeCom.received == len(mail.outbox) == CHAIRS
            and again == 0
        )
        print(
            f"GOAL {CHAIRS} dues reminders on SMS, WeCom and e-mail < {GOAL_S:.0f} s on one worker: "
            f"{'PASS' if ok and elapsed < GOAL_S else 'FAIL'} ({elapsed:.2f} s)"
        )
    finally:
        connection.creation.destroy_test_db(own_name, verbosity=0)
    return 0


if __name__ == "__main__":
    sys.exit(main())
