"""Local fake servers of the providers UnionHub talks to: real HTTP servers on 127.0.0.1 (a free port, a
thread each) that check every request as the provider documents it — recomputing its signature from the raw
request with the documented algorithm written out here, not with our signing code — and answer with the
provider's documented bodies. Each records what it received (``requests``) and can be told to answer an
error (``fail_next``), a 503 (``unavailable_next``) or nothing at all (``hang_next``: the client times out)."""

import http.server
import json
import threading
from dataclasses import dataclass, field


@dataclass
class Received:
    method: str
    path: str  # raw, with the query string as sent
    headers: dict[str, str]
    body: bytes
    verdict: str = ""  # what the fake answered: "ok" or the error code
    extra: dict = field(default_factory=dict)


class FakeServer:
    """A provider on 127.0.0.1. Subclasses implement ``answer(received) -> (status, body dict)``."""

    def __init__(self):
        self.requests: list[Received] = []
        self._scripted: list = []  # what the next requests get instead of the checked answer
        self._release = threading.Event()
        fake = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def _handle(self):
                length = int(self.headers.get("Content-Length") or 0)
                received = Received(
                    self.command,
                    self.path,
                    {k.lower(): v for k, v in self.headers.items()},
                    self.rfile.read(length),
                )
                fake.requests.append(received)
                status, reply = fake._reply(received)
                if status is None:  # hang: answer nothing until the server stops
                    fake._release.wait()
                    return
                body = (
                    reply
                    if isinstance(reply, bytes)
                    else json.dumps(reply, ensure_ascii=False).encode("utf-8")
                )
                self.send_response(status)
                self.send_header("Content-Type", "application/json;charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            do_GET = do_POST = _handle

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"

    def _reply(self, received: Received):
        status, reply = self.answer(received)
        received.verdict = self.verdict(status, reply) if isinstance(reply, dict) else f"http-{status}"
        for index, (prefix, scripted) in enumerate(self._scripted):
            if received.verdict == "ok" and received.path.startswith(prefix):
                del self._scripted[index]
                received.verdict = "scripted"
                return scripted
        return status, reply

    def answer(self, received: Received) -> tuple[int, dict]:
        raise NotImplementedError

    def verdict(self, status: int, reply: dict) -> str:
        raise NotImplementedError

    # What the next correct request (to a path beginning with ``path``) gets instead of success; an incorrect
    # request is always refused as the provider would.
    def fail_next(self, status: int, reply: dict | bytes, *, path: str = "/"):
        self._scripted.append((path, (status, reply)))

    def unavailable_next(self, *, path: str = "/"):
        self.fail_next(503, b"<html><body>503 Service Temporarily Unavailable</body></html>", path=path)

    def hang_next(self, *, path: str = "/"):
        self._scripted.append((path, (None, None)))

    def __enter__(self):
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self._release.set()
        self.server.shutdown()
        self.server.server_close()
        self.thread.join()
