"""Alibaba Cloud SMS (阿里云短信服务): the ``SendSms`` operation of dysmsapi, API version 2017-05-25, called as
the documented RPC-style GET request signed with signature version 1.0 (HMAC-SHA1):

1. every parameter but ``Signature``, sorted by name, each name and value percent-encoded in UTF-8 after
   RFC 3986 (``A–Z a–z 0–9 - _ . ~`` kept, space as ``%20``), joined ``name=value`` with ``&``;
2. ``StringToSign = "GET" + "&" + percentEncode("/") + "&" + percentEncode(that canonicalized query)``;
3. ``Signature = Base64(HMAC-SHA1(AccessKeySecret + "&", StringToSign))``, sent as one more parameter.

The answer is JSON: ``{"Code": "OK", "Message": "OK", "BizId": "…", "RequestId": "…"}`` when the message is
accepted, otherwise ``Code`` names the error (``isv.MOBILE_NUMBER_ILLEGAL``, ``isv.BUSINESS_LIMIT_CONTROL``,
``SignatureDoesNotMatch`` …)."""

import base64
import datetime
import hashlib
import hmac
import json
import urllib.parse
import uuid

from django.conf import settings

from . import SendResult, SmsBackend, SmsMessage
from .http import json_reply, mainland_mobile, request, required, template_code

API_VERSION = "2017-05-25"

# Codes that may pass if the same message is sent again later: throttling (per number and per account)
# and the provider's own trouble. Every other code is permanent: the request itself is wrong.
TRANSIENT_CODES = frozenset(
    {
        "isv.BUSINESS_LIMIT_CONTROL",
        "isv.DAY_LIMIT_CONTROL",
        "Throttling",
        "Throttling.User",
        "Throttling.Api",
        "ServiceUnavailable",
        "InternalError",
        "isp.SYSTEM_ERROR",
        "isp.GATEWAY_ERROR",
    }
)


def percent_encode(value: str) -> str:
    """RFC 3986 percent-encoding in UTF-8, as the signature method requires (space as %20, ``~`` kept)."""
    return urllib.parse.quote(value, safe="-_.~")


def string_to_sign(params: dict[str, str], method: str = "GET") -> str:
    canonical = "&".join(
        f"{percent_encode(k)}={percent_encode(v)}" for k, v in sorted(params.items()) if k != "Signature"
    )
    return f"{method}&{percent_encode('/')}&{percent_encode(canonical)}"


def sign(params: dict[str, str], secret: str, method: str = "GET") -> str:
    """The ``Signature`` of a request's parameters (signature version 1.0, HMAC-SHA1)."""
    digest = hmac.new(f"{secret}&".encode(), string_to_sign(params, method).encode(), hashlib.sha1).digest()
    return base64.b64encode(digest).decode("ascii")


class AliyunSms(SmsBackend):
    name = "aliyun"

    def __init__(self):
        self.access_key_id, self.secret, self.sign_name = required(
            "Alibaba Cloud SMS", "ALIYUN_SMS_ACCESS_KEY_ID", "ALIYUN_SMS_ACCESS_KEY_SECRET", "SMS_SIGN_NAME"
        )
        self.endpoint = settings.ALIYUN_SMS_ENDPOINT.rstrip("/") + "/"
        self.region = settings.ALIYUN_SMS_REGION

    def params(self, message: SmsMessage, phone: str) -> dict[str, str]:
        params = {
            "AccessKeyId": self.access_key_id,
            "Action": "SendSms",
            "Format": "JSON",
            "PhoneNumbers": phone,
            "RegionId": self.region,
            "SignName": self.sign_name,
            "SignatureMethod": "HMAC-SHA1",
            "SignatureNonce": uuid.uuid4().hex,
            "SignatureVersion": "1.0",
            "TemplateCode": template_code(message.template),
            "Timestamp": datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "Version": API_VERSION,
        }
        if message.params:
            params["TemplateParam"] = json.dumps(
                {k: str(v) for k, v in message.params.items()}, ensure_ascii=False, separators=(",", ":")
            )
        return params

    def send(self, message: SmsMessage) -> SendResult:
        phone = mainland_mobile(message.phone)
        if phone is None:
            return SendResult.failed("invalid-phone", "not a mainland mobile number")
        params = self.params(message, phone)
        params["Signature"] = sign(params, self.secret)
        query = "&".join(f"{percent_encode(k)}={percent_encode(v)}" for k, v in params.items())
        answer = request("GET", f"{self.endpoint}?{query}", headers={"Accept": "application/json"})
        if isinstance(answer, SendResult):
            return answer
        reply = json_reply(*answer)
        if isinstance(reply, SendResult):
            return reply
        code = str(reply.get("Code", ""))
        if code == "OK":
            return SendResult.sent(provider_id=str(reply.get("BizId", "")))
        message_text = str(reply.get("Message", ""))
        return SendResult.failed(code or f"http-{answer[0]}", message_text, transient=code in TRANSIENT_CODES)
