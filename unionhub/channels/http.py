"""The HTTP the provider adapters share: one request with the ``SMS_TIMEOUT``, answered as a status and a body,
or as a transient ``SendResult`` when the provider could not be reached (timeout, refused connection, a
broken reply). Standard library only (``urllib.request``): the project carries no HTTP client dependency."""

import http.client
import json
import socket
import urllib.error
import urllib.request

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from . import SendResult


def required(what: str, *names: str) -> list:
    """The values of settings ``what`` (a transport) cannot work without; a missing or empty one is our mistake."""
    values = [getattr(settings, name, "") for name in names]
    missing = [name for name, value in zip(names, values, strict=True) if value in ("", None)]
    if missing:
        raise ImproperlyConfigured(
            f"{', '.join(missing)} must be set to send through {what} (see the Settings table in README.md)."
        )
    return values


def request(
    method: str, url: str, *, body: bytes | None = None, headers: dict | None = None
) -> tuple[int, bytes] | SendResult:
    """Send one request; the status and body of any HTTP answer (4xx and 5xx included), or a transient failure."""
    if not url.startswith(("https://", "http://")):
        raise ImproperlyConfigured(f"A provider address must be http(s), not {url.split(':')[0]!r}.")
    req = urllib.request.Request(url, data=body, method=method, headers=headers or {})  # noqa: S310 (checked above)
    try:
        with urllib.request.urlopen(req, timeout=settings.SMS_TIMEOUT) as response:  # noqa: S310
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        try:
            return error.code, error.read()
        finally:
            error.close()
    except urllib.error.URLError as error:
        if isinstance(error.reason, TimeoutError | socket.timeout):
            return SendResult.failed("timeout", f"no answer within {settings.SMS_TIMEOUT} s", transient=True)
        return SendResult.failed("connection", str(error.reason), transient=True)
    except TimeoutError:
        return SendResult.failed("timeout", f"no answer within {settings.SMS_TIMEOUT} s", transient=True)
    except (OSError, http.client.HTTPException) as error:
        return SendResult.failed("connection", f"{type(error).__name__}: {error}", transient=True)


def json_reply(status: int, body: bytes) -> dict | SendResult:
    """The JSON object a provider answered, or a failure. A 5xx, a 429 or a 200 that is no JSON object (a proxy's
    page) may pass; any other 4xx without a JSON body (a wrong endpoint) will not."""
    try:
        data = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        data = None
    if isinstance(data, dict) and status < 500:
        return data
    text = body[:200].decode("utf-8", "replace")
    transient = status >= 500 or status in (200, 429)
    return SendResult.failed(
        f"http-{status}", text if status >= 500 else f"unreadable answer: {text}", transient=transient
    )


def mainland_mobile(phone: str) -> str | None:
    """The eleven digits of a mainland mobile number (``+86``/``0086`` and spaces/dashes dropped), or None."""
    digits = "".join(ch for ch in phone if ch not in " -")
    for prefix in ("+86", "0086"):
        if digits.startswith(prefix):
            digits = digits[len(prefix) :]
    if len(digits) == 11 and digits.isascii() and digits.isdigit() and digits[0] == "1":
        return digits
    return None


def template_code(template: str) -> str:
    """The provider's code for one of our templates (``SMS_TEMPLATES``); an unknown template is our mistake."""
    code = settings.SMS_TEMPLATES.get(template, "")
    if not code:
        raise ImproperlyConfigured(f"SMS_TEMPLATES has no provider template code for {template!r}.")
    return code
