"""A fake of the WeCom (企业微信) server API: ``GET /cgi-bin/gettoken``, ``POST /cgi-bin/message/send`` and a
group robot's ``POST /cgi-bin/webhook/send?key=…``, answering as WeCom documents (``{"errcode": 0,
"errmsg": "ok", …}``, errors by ``errcode``). Tokens it issued can be expired (``expire_tokens``) to make the
next send answer 42001."""

import json
import secrets
import urllib.parse

from . import FakeServer, Received

TEXT_LIMIT = 2048


def err(code: int, message: str) -> tuple[int, dict]:
    return 200, {"errcode": code, "errmsg": f"{message}, hint: [{secrets.token_hex(8)}]"}


class FakeWeCom(FakeServer):
    def __init__(self, *, corp_id: str, secret: str, agent_id: int, users: set[str], robot_keys: set[str]):
        super().__init__()
        self.corp_id, self.secret, self.agent_id, self.users = corp_id, secret, agent_id, users
        self.robot_keys = robot_keys
        self.tokens: set[str] = set()
        self.tokens_issued = 0

    def expire_tokens(self):
        self.tokens.clear()

    def verdict(self, status, reply):
        return "ok" if reply.get("errcode") == 0 else str(reply.get("errcode"))

    def _json(self, received: Received):
        if not received.headers.get("content-type", "").startswith("application/json"):
            return None
        try:
            data = json.loads(received.body.decode("utf-8"))
        except ValueError:
            return None
        received.extra["body"] = data
        return data if isinstance(data, dict) else None

    def answer(self, received: Received):
        split = urllib.parse.urlsplit(received.path)
        query = dict(urllib.parse.parse_qsl(split.query))
        if received.method == "GET" and split.path == "/cgi-bin/gettoken":
            if query.get("corpid") != self.corp_id:
                return err(40013, "invalid corpid")
            if query.get("corpsecret") != self.secret:
                return err(40001, "invalid credential")
            token = secrets.token_urlsafe(48)
            self.tokens.add(token)
            self.tokens_issued += 1
            return 200, {"errcode": 0, "errmsg": "ok", "access_token": token, "expires_in": 7200}
        if received.method == "POST" and split.path == "/cgi-bin/message/send":
            token = query.get("access_token", "")
            if not token:
                return err(41001, "access_token missing")
            if token not in self.tokens:
                return err(42001, "access_token expired")
            data = self._json(received)
            if data is None:
                return err(47001, "data format error")
            if data.get("agentid") != self.agent_id:
                return err(40056, "invalid agentid")
            if data.get("msgtype") != "text" or not isinstance(data.get("text"), dict):
                return err(40008, "invalid message type")
            content = data["text"].get("content", "")
            if not content:
                return err(41009, "missing content")
            if len(content.encode("utf-8")) > TEXT_LIMIT:
                return err(45002, "content size out of limit")
            wanted = [user for user in str(data.get("touser", "")).split("|") if user]
            invalid = [user for user in wanted if user not in self.users]
            if wanted and len(invalid) == len(wanted):
                return err(81013, "user & party & tag all invalid")
            return 200, {
                "errcode": 0,
                "errmsg": "ok",
                "invaliduser": "|".join(invalid),
                "invalidparty": "",
                "invalidtag": "",
                "unlicenseduser": "",
                "msgid": f"msg-{secrets.token_hex(6)}",
                "response_code": "",
            }
        if received.method == "POST" and split.path == "/cgi-bin/webhook/send":
            if query.get("key") not in self.robot_keys:
                return err(93000, "invalid webhook url")
            data = self._json(received)
            if data is None:
                return err(40008, "invalid message type")
            msgtype = data.get("msgtype")
            if msgtype not in ("text", "markdown") or not isinstance(data.get(msgtype), dict):
                return err(40008, "invalid message type")
            content = data[msgtype].get("content", "")
            limit = TEXT_LIMIT if msgtype == "text" else 4096
            if not content or len(content.encode("utf-8")) > limit:
                return err(40058, "content exceed max length" if content else "missing content")
            mentioned = data[msgtype].get("mentioned_mobile_list", [])
            if not isinstance(mentioned, list) or not all(isinstance(m, str) for m in mentioned):
                return err(40058, "invalid mentioned_mobile_list")
            return 200, {"errcode": 0, "errmsg": "ok"}
        return 404, b"not found"
