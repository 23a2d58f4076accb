"""Tencent Cloud SMS (腾讯云短信): the ``SendSms`` action of API 3.0, version 2021-01-11, a JSON POST to
sms.tencentcloudapi.com signed with signature v3 (TC3-HMAC-SHA256):

1. ``CanonicalRequest = "POST\\n/\\n\\n" + CanonicalHeaders + "\\n" + SignedHeaders + "\\n" + hex(SHA256(body))``,
   the canonical headers being ``name:value\\n`` for each signed header, names and values lower-cased and trimmed,
   sorted by name (here ``content-type``, ``host`` and ``x-tc-action``);
2. ``StringToSign = "TC3-HMAC-SHA256\\n" + timestamp + "\\n" + date + "/sms/tc3_request\\n" + hex(SHA256(CanonicalRequest))``,
   the date being the UTC date of ``X-TC-Timestamp``;
3. the key chain ``HMAC("TC3" + SecretKey, date) → HMAC(·, "sms") → HMAC(·, "tc3_request")`` signs it (hex), and
   ``Authorization: TC3-HMAC-SHA256 Credential=SecretId/date/sms/tc3_request, SignedHeaders=…, Signature=…``.

Tencent answers HTTP 200 whatever happens: a request error is ``Response.Error`` (``AuthFailure.SignatureFailure``,
``RequestLimitExceeded`` …), the outcome for each number is in ``Response.SendStatusSet`` (``Code`` ``"Ok"``).
Templates take an ordered list of values: ``SMS_TEMPLATE_PARAMS`` names our parameters in the template's order."""

import datetime
import hashlib
import hmac
import json
import time
import urllib.parse

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from . import SendResult, SmsBackend, SmsMessage
from .http import json_reply, mainland_mobile, request, required, template_code

SERVICE = "sms"
ACTION = "SendSms"
API_VERSION = "2021-01-11"
ALGORITHM = "TC3-HMAC-SHA256"
CONTENT_TYPE = "application/json; charset=utf-8"

# Error codes that may pass when the message is sent again later: throttling and the provider's own trouble.
TRANSIENT_PREFIXES = ("RequestLimitExceeded", "InternalError", "LimitExceeded.", "ResourceUnavailable")


def _hmac(key: bytes, text: str) -> bytes:
    return hmac.new(key, text.encode("utf-8"), hashlib.sha256).digest()


def authorization(
    *,
    secret_id: str,
    secret_key: str,
    service: str,
    timestamp: int,
    headers: dict[str, str],
    payload: bytes,
    method: str = "POST",
) -> str:
    """The ``Authorization`` header of a TC3-HMAC-SHA256 request that signs ``headers`` (name → value)."""
    signed = {name.lower().strip(): value.strip().lower() for name, value in headers.items()}
    names = sorted(signed)
    canonical_headers = "".join(f"{name}:{signed[name]}\n" for name in names)
    signed_headers = ";".join(names)
    canonical_request = "\n".join(
        [method, "/", "", canonical_headers, signed_headers, hashlib.sha256(payload).hexdigest()]
    )
    date = datetime.datetime.fromtimestamp(timestamp, datetime.UTC).strftime("%Y-%m-%d")
    scope = f"{date}/{service}/tc3_request"
    to_sign = "\n".join(
        [ALGORITHM, str(timestamp), scope, hashlib.sha256(canonical_request.encode("utf-8")).hexdigest()]
    )
    key = _hmac(_hmac(_hmac(f"TC3{secret_key}".encode(), date), service), "tc3_request")
    signature = hmac.new(key, to_sign.encode("utf-8"), hashlib.sha256).hexdigest()
    return (
        f"{ALGORITHM} Credential={secret_id}/{scope}, SignedHeaders={signed_headers}, Signature={signature}"
    )


def _is_transient(code: str) -> bool:
    return code.startswith(TRANSIENT_PREFIXES)


class TencentSms(SmsBackend):
    name = "tencent"

    def __init__(self):
        self.secret_id, self.secret_key, self.app_id, self.sign_name = required(
            "Tencent Cloud SMS",
            "TENCENT_SMS_SECRET_ID",
            "TENCENT_SMS_SECRET_KEY",
            "TENCENT_SMS_SDK_APP_ID",
            "SMS_SIGN_NAME",
        )
        self.endpoint = settings.TENCENT_SMS_ENDPOINT.rstrip("/") + "/"
        self.region = settings.TENCENT_SMS_REGION

    def body(self, message: SmsMessage, phone: str) -> dict | SendResult:
        names = settings.SMS_TEMPLATE_PARAMS.get(message.template)
        if names is None and message.params:
            raise ImproperlyConfigured(
                f"SMS_TEMPLATE_PARAMS must list the order of {message.template!r}'s parameters for Tencent Cloud SMS."
            )
        missing = [name for name in names or () if name not in message.params]
        if missing:
            return SendResult.failed(
                "missing-param", f"{message.template}: no value for {', '.join(missing)}"
            )
        return {
            "PhoneNumberSet": [f"+86{phone}"],
            "SmsSdkAppId": self.app_id,
            "SignName": self.sign_name,
            "TemplateId": template_code(message.template),
            "TemplateParamSet": [str(message.params[name]) for name in names or ()],
        }

    def send(self, message: SmsMessage) -> SendResult:
        phone = mainland_mobile(message.phone)
        if phone is None:
            return SendResult.failed("invalid-phone", "not a mainland mobile number")
        body = self.body(message, phone)
        if isinstance(body, SendResult):
            return body
        payload = json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        timestamp = int(time.time())
        signed = {
            "Content-Type": CONTENT_TYPE,
            "Host": urllib.parse.urlsplit(self.endpoint).netloc,
            "X-TC-Action": ACTION,
        }
        headers = {
            **signed,
            "X-TC-Version": API_VERSION,
            "X-TC-Timestamp": str(timestamp),
            "X-TC-Region": self.region,
            "Authorization": authorization(
                secret_id=self.secret_id,
                secret_key=self.secret_key,
                service=SERVICE,
                timestamp=timestamp,
                headers=signed,
                payload=payload,
            ),
        }
        answer = request("POST", self.endpoint, body=payload, headers=headers)
        if isinstance(answer, SendResult):
            return answer
        reply = json_reply(*answer)
        if isinstance(reply, SendResult):
            return reply
        response = reply.get("Response")
        if not isinstance(response, dict):
            return SendResult.failed(f"http-{answer[0]}", "answer without Response", transient=True)
        error = response.get("Error")
        if isinstance(error, dict):
            code = str(error.get("Code", ""))
            return SendResult.failed(code, str(error.get("Message", "")), transient=_is_transient(code))
        statuses = response.get("SendStatusSet") or [{}]
        status = statuses[0] if isinstance(statuses[0], dict) else {}
        code = str(status.get("Code", ""))
        if code == "Ok":
            return SendResult.sent(provider_id=str(status.get("SerialNo", "")))
        return SendResult.failed(
            code or "no-status", str(status.get("Message", "")), transient=_is_transient(code)
        )
