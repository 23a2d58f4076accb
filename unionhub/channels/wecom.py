"""WeCom (企业微信): a group robot's webhook (群机器人) and application messages (应用消息).

- ``send_group_text(webhook_url, content)`` posts ``{"msgtype": "text", "text": {"content": …,
  "mentioned_mobile_list": […]}}`` to the robot's webhook URL; WeCom answers ``{"errcode": 0, "errmsg": "ok"}``.
  Only the URLs of ``WECOM_WEBHOOK_URLS`` prefixes are posted to (in production the https WeCom address), so a
  webhook typed into a form cannot make the server post to another host.
- ``WeComApp(corp_id, secret, agent_id).send_text(user_ids, content)`` fetches an access token
  (``GET /cgi-bin/gettoken?corpid=…&corpsecret=…``), keeps it in Django's cache until shortly before it expires,
  and posts ``/cgi-bin/message/send?access_token=…``; a token WeCom calls invalid or expired (40014, 42001) is
  fetched again once. Users WeCom could not reach come back in ``invaliduser``.

Text content is limited to 2048 bytes (UTF-8); longer text is cut at a character boundary and ends with "…"."""

import json
import urllib.parse

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.utils.translation import gettext as _

from . import SendResult
from .http import json_reply, request, required

TEXT_LIMIT = 2048  # bytes of UTF-8, text messages of robots and applications
MARKDOWN_LIMIT = 4096
ELLIPSIS = "…"
TOKEN_ERRORS = frozenset({40014, 42001})  # invalid access_token, access_token expired
# System busy, frequency limits: trying again later may help.
TRANSIENT_ERRORS = frozenset({-1, 45009, 45033, 45011})
TOKEN_MARGIN = 300  # seconds before WeCom's expiry that the cached token is dropped


def truncate_utf8(text: str, limit: int = TEXT_LIMIT) -> str:
    """``text`` if it fits in ``limit`` bytes of UTF-8, else its longest prefix that fits with "…" after it."""
    encoded = text.encode("utf-8")
    if len(encoded) <= limit:
        return text
    room = limit - len(ELLIPSIS.encode("utf-8"))
    return encoded[:room].decode("utf-8", "ignore") + ELLIPSIS


def validate_webhook_url(url: str) -> None:
    """Raise ``ValidationError`` unless ``url`` is a robot webhook under one of ``WECOM_WEBHOOK_URLS``."""
    parts = urllib.parse.urlsplit(url or "")
    base = urllib.parse.urlunsplit((parts.scheme, parts.netloc, parts.path, "", ""))
    key = urllib.parse.parse_qs(parts.query).get("key", [""])[0]
    if base not in settings.WECOM_WEBHOOK_URLS or not key or parts.username or parts.password:
        raise ValidationError(
            _("Not a WeCom group robot address: it must begin with %(prefix)s?key="),
            params={"prefix": settings.WECOM_WEBHOOK_URLS[0] if settings.WECOM_WEBHOOK_URLS else "https://"},
            code="webhook",
        )


def _outcome(answer) -> dict | SendResult:
    """The reply object of a WeCom call, or the failure it came to."""
    if isinstance(answer, SendResult):
        return answer
    reply = json_reply(*answer)
    if isinstance(reply, SendResult):
        return reply
    errcode = reply.get("errcode", 0)
    if errcode != 0:
        return SendResult.failed(
            str(errcode), str(reply.get("errmsg", "")), transient=errcode in TRANSIENT_ERRORS
        )
    return reply


def _post_json(url: str, data: dict):
    body = json.dumps(data, ensure_ascii=False).encode("utf-8")
    return request("POST", url, body=body, headers={"Content-Type": "application/json; charset=utf-8"})


def send_group_text(webhook_url: str, content: str, *, mentioned_mobiles=()) -> SendResult:
    """Post a text message to a group robot; ``mentioned_mobiles`` are @-mentioned (``"@all"`` for everyone)."""
    try:
        validate_webhook_url(webhook_url)
    except ValidationError as error:
        return SendResult.failed("invalid-webhook", " ".join(error.messages))
    text = {"content": truncate_utf8(content)}
    if mentioned_mobiles:
        text["mentioned_mobile_list"] = list(mentioned_mobiles)
    reply = _outcome(_post_json(webhook_url, {"msgtype": "text", "text": text}))
    return reply if isinstance(reply, SendResult) else SendResult.sent()


def send_group_markdown(webhook_url: str, content: str) -> SendResult:
    """Post a markdown message (WeCom's subset: headings, bold, links, quotes, coloured text) to a group robot."""
    try:
        validate_webhook_url(webhook_url)
    except ValidationError as error:
        return SendResult.failed("invalid-webhook", " ".join(error.messages))
    data = {"msgtype": "markdown", "markdown": {"content": truncate_utf8(content, MARKDOWN_LIMIT)}}
    reply = _outcome(_post_json(webhook_url, data))
    return reply if isinstance(reply, SendResult) else SendResult.sent()


class WeComApp:
    """One WeCom application (自建应用) of one corporation, sending as that application."""

    def __init__(self, corp_id: str, secret: str, agent_id: int | str):
        if not str(agent_id).isdigit():
            raise ImproperlyConfigured(
                f"WECOM_AGENT_ID must be the application's numeric AgentId, not {agent_id!r}."
            )
        self.corp_id, self.secret, self.agent_id = corp_id, secret, int(agent_id)
        self.base = settings.WECOM_API_BASE.rstrip("/")

    @classmethod
    def from_settings(cls) -> "WeComApp":
        return cls(*required("WeCom", "WECOM_CORP_ID", "WECOM_SECRET", "WECOM_AGENT_ID"))

    @property
    def cache_key(self) -> str:
        return f"wecom-token:{self.corp_id}:{self.agent_id}"

    def access_token(self, *, fresh: bool = False) -> str | SendResult:
        """The application's access token, from the cache unless ``fresh``; a failure if WeCom gives none."""
        if not fresh:
            token = cache.get(self.cache_key)
            if token:
                return token
        query = urllib.parse.urlencode({"corpid": self.corp_id, "corpsecret": self.secret})
        reply = _outcome(request("GET", f"{self.base}/cgi-bin/gettoken?{query}"))
        if isinstance(reply, SendResult):
            return reply
        token, expires_in = str(reply.get("access_token", "")), reply.get("expires_in", 7200)
        expires_in = expires_in if isinstance(expires_in, int) else 7200
        if not token:
            return SendResult.failed("no-token", "gettoken answered without access_token", transient=True)
        cache.set(self.cache_key, token, timeout=max(expires_in - TOKEN_MARGIN, 60))
        return token

    def send_text(self, user_ids, content: str) -> SendResult:
        """Send a text message to WeCom user ids. If WeCom reached some but not all, the result is ``ok`` with
        ``error_code`` ``"invaliduser"`` and the unreached ids in ``error_message``; if none, a failure."""
        users = [str(user) for user in user_ids if user]
        if not users:
            return SendResult.failed("no-recipient", "no WeCom user id")
        data = {
            "touser": "|".join(users),
            "msgtype": "text",
            "agentid": self.agent_id,
            "text": {"content": truncate_utf8(content)},
            "safe": 0,
        }
        reply = None
        for fresh in (False, True):
            token = self.access_token(fresh=fresh)
            if isinstance(token, SendResult):
                return token
            query = urllib.parse.urlencode({"access_token": token})
            reply = _outcome(_post_json(f"{self.base}/cgi-bin/message/send?{query}", data))
            if not (
                isinstance(reply, SendResult)
                and reply.error_code.isdigit()
                and int(reply.error_code) in TOKEN_ERRORS
            ):
                break
            cache.delete(self.cache_key)
        if isinstance(reply, SendResult):
            return reply
        invalid = [user for user in str(reply.get("invaliduser", "")).split("|") if user]
        msgid = str(reply.get("msgid", ""))
        if invalid and set(invalid) >= set(users):
            return SendResult.failed("invaliduser", "|".join(invalid))
        if invalid:
            return SendResult(
                ok=True, provider_id=msgid, error_code="invaliduser", error_message="|".join(invalid)
            )
        return SendResult.sent(provider_id=msgid)
