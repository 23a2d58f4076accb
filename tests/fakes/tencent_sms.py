"""A fake of Tencent Cloud SMS ``SendSms`` (API 3.0, version 2021-01-11), checking signature v3
(TC3-HMAC-SHA256) as the documentation describes it (the "Signature v3" page every product carries, e.g.
https://tencentcloud.com/document/api/1150/49447): the canonical request from the method, ``/``, the empty
query, the signed headers (names and values lower-cased, trimmed, ``name:value\\n``), their names joined by
``;`` and the payload's SHA-256; the string to sign ``TC3-HMAC-SHA256\\ntimestamp\\ndate/sms/tc3_request\\n
hash(canonical request)``; the key chain from ``"TC3" + SecretKey`` over the date, the service and
``tc3_request``. Written out here, without the adapter's code."""

import datetime
import hashlib
import hmac
import json
import re
import time
import uuid

from . import FakeServer, Received

AUTH = re.compile(
    r"TC3-HMAC-SHA256 Credential=(?P<id>[^/]+)/(?P<date>\d{4}-\d{2}-\d{2})/(?P<service>[a-z]+)/tc3_request, "
    r"SignedHeaders=(?P<signed>[a-z0-9;-]+), Signature=(?P<signature>[0-9a-f]{64})"
)


def doc_signature(secret_key: str, date: str, service: str, to_sign: str) -> str:
    def step(key: bytes, msg: str) -> bytes:
        return hmac.new(key, msg.encode("utf-8"), hashlib.sha256).digest()

    secret_date = step(("TC3" + secret_key).encode("utf-8"), date)
    secret_service = step(secret_date, service)
    secret_signing = step(secret_service, "tc3_request")
    return hmac.new(secret_signing, to_sign.encode("utf-8"), hashlib.sha256).hexdigest()


def error(code: str, message: str) -> tuple[int, dict]:
    return 200, {"Response": {"Error": {"Code": code, "Message": message}, "RequestId": str(uuid.uuid4())}}


class FakeTencentSms(FakeServer):
    def __init__(
        self, *, secret_id: str, secret_key: str, app_id: str, sign_name: str, templates: dict[str, int]
    ):
        """``templates``: approved template id → how many variables it has."""
        super().__init__()
        self.secret_id, self.secret_key, self.app_id = secret_id, secret_key, app_id
        self.sign_name, self.templates = sign_name, templates

    def verdict(self, status, reply):
        response = reply.get("Response", {})
        if "Error" in response:
            return response["Error"]["Code"]
        return "ok" if response["SendStatusSet"][0]["Code"] == "Ok" else response["SendStatusSet"][0]["Code"]

    def answer(self, received: Received):
        h = received.headers
        if received.method != "POST" or received.path != "/":
            return error("UnsupportedOperation", "This fake takes POST / only.")
        match = AUTH.fullmatch(h.get("authorization", ""))
        if not match:
            return error("AuthFailure.InvalidAuthorization", "Authorization header format error.")
        for name in ("x-tc-action", "x-tc-version", "x-tc-timestamp", "x-tc-region", "host", "content-type"):
            if not h.get(name):
                return error("MissingParameter", f"The request is missing a required header `{name}`.")
        if h["x-tc-action"] != "SendSms":
            return error("InvalidAction", f"Action {h['x-tc-action']} is not supported.")
        if h["x-tc-version"] != "2021-01-11":
            return error("NoSuchVersion", "The API version does not exist.")
        if h["content-type"] not in ("application/json", "application/json; charset=utf-8"):
            return error("InvalidParameter", "Content-Type must be application/json.")
        if match["id"] != self.secret_id:
            return error("AuthFailure.SecretIdNotFound", "The SecretId is not found.")
        timestamp = int(h["x-tc-timestamp"])
        if abs(timestamp - time.time()) > 300:
            return error(
                "AuthFailure.SignatureExpire",
                "Signature expired. Timestamp and server time differ by over 5 min.",
            )
        date = datetime.datetime.fromtimestamp(timestamp, tz=datetime.UTC).date().isoformat()
        signed = match["signed"].split(";")
        if match["date"] != date or match["service"] != "sms" or not {"content-type", "host"} <= set(signed):
            return error("AuthFailure.SignatureFailure", "The provided credentials could not be validated.")
        canonical_headers = "".join(f"{name}:{h.get(name, '').strip().lower()}\n" for name in signed)
        canonical_request = "\n".join(
            ["POST", "/", "", canonical_headers, match["signed"], hashlib.sha256(received.body).hexdigest()]
        )
        to_sign = "\n".join(
            [
                "TC3-HMAC-SHA256",
                h["x-tc-timestamp"],
                f"{date}/sms/tc3_request",
                hashlib.sha256(canonical_request.encode("utf-8")).hexdigest(),
            ]
        )
        if match["signature"] != doc_signature(self.secret_key, date, "sms", to_sign):
            return error(
                "AuthFailure.SignatureFailure",
                "The provided credentials could not be validated. Please check your signature is correct.",
            )
        try:
            body = json.loads(received.body.decode("utf-8"))
        except ValueError:
            return error("InvalidParameter", "The request body is not JSON.")
        received.extra["body"] = body
        for name in ("PhoneNumberSet", "SmsSdkAppId", "TemplateId"):
            if name not in body:
                return error("MissingParameter", f"The request is missing a required parameter `{name}`.")
        if body["SmsSdkAppId"] != self.app_id:
            return error("InvalidParameterValue.SdkAppIdNotExist", "SdkAppId does not exist.")
        if body.get("SignName") != self.sign_name:
            return error("FailedOperation.SignatureIncorrectOrUnapproved", "签名未审批或格式错误。")
        if body["TemplateId"] not in self.templates:
            return error("FailedOperation.TemplateIncorrectOrUnapproved", "模板未审批或内容不匹配。")
        params = body.get("TemplateParamSet", [])
        if not isinstance(params, list) or not all(isinstance(p, str) for p in params):
            return error("InvalidParameterValue.TemplateParameterFormatError", "验证码模板参数格式错误。")
        if len(params) != self.templates[body["TemplateId"]]:
            return error(
                "FailedOperation.TemplateParamSetNotMatchApprovedTemplate",
                "请求内容与审核通过的模板内容不匹配。",
            )
        statuses = []
        for phone in body["PhoneNumberSet"]:
            good = bool(re.fullmatch(r"\+861\d{10}", phone))
            statuses.append(
                {
                    "SerialNo": f"2640:{uuid.uuid4().int % 10**20}" if good else "",
                    "PhoneNumber": phone,
                    "Fee": 1 if good else 0,
                    "SessionContext": body.get("SessionContext", ""),
                    "Code": "Ok" if good else "InvalidParameterValue.IncorrectPhoneNumber",
                    "Message": "send success" if good else "手机号格式错误。",
                    "IsoCode": "CN" if good else "",
                }
            )
        return 200, {"Response": {"SendStatusSet": statuses, "RequestId": str(uuid.uuid4())}}

    @staticmethod
    def per_number(code: str, message: str) -> dict:
        """A documented answer whose request was fine but whose one number failed."""
        return {
            "Response": {
                "SendStatusSet": [
                    {
                        "SerialNo": "",
                        "PhoneNumber": "+8613800000000",
                        "Fee": 0,
                        "SessionContext": "",
                        "Code": code,
                        "Message": message,
                        "IsoCode": "CN",
                    }
                ],
                "RequestId": str(uuid.uuid4()),
            }
        }

    @staticmethod
    def request_error(code: str, message: str) -> dict:
        return error(code, message)[1]
