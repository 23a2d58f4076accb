"""A fake of Alibaba Cloud SMS ``SendSms`` (dysmsapi, 2017-05-25), checking RPC signature version 1.0 as the
documentation describes it (https://www.alibabacloud.com/help/en/sms/signature-method): the parameters but
``Signature`` sorted by name, names and values percent-encoded per RFC 3986 in UTF-8, joined by ``&``;
``StringToSign = METHOD&%2F&percentEncode(canonicalized)``; ``Base64(HMAC-SHA1(secret + "&", StringToSign))``.
Written out here on purpose, byte by byte, without the adapter's code."""

import base64
import datetime
import hashlib
import hmac
import json
import re
import time
import urllib.parse
import uuid

from . import FakeServer, Received

UNRESERVED = frozenset(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.~")
REQUIRED = (
    "AccessKeyId",
    "Action",
    "PhoneNumbers",
    "SignName",
    "SignatureMethod",
    "SignatureNonce",
    "SignatureVersion",
    "Signature",
    "TemplateCode",
    "Timestamp",
    "Version",
)


def doc_percent_encode(text: str) -> str:
    """Each UTF-8 byte: kept if unreserved (A–Z a–z 0–9 - _ . ~), else %XY in upper-case hex."""
    return "".join(chr(b) if b in UNRESERVED else f"%{b:02X}" for b in text.encode("utf-8"))


def doc_signature(params: dict[str, str], secret: str, method: str) -> str:
    pairs = sorted((k, v) for k, v in params.items() if k != "Signature")
    canonical = "&".join(doc_percent_encode(k) + "=" + doc_percent_encode(v) for k, v in pairs)
    to_sign = method + "&" + doc_percent_encode("/") + "&" + doc_percent_encode(canonical)
    mac = hmac.new((secret + "&").encode("utf-8"), to_sign.encode("utf-8"), hashlib.sha1)
    return base64.b64encode(mac.digest()).decode("ascii")


def error(status: int, code: str, message: str) -> tuple[int, dict]:
    return status, {"RequestId": str(uuid.uuid4()).upper(), "Code": code, "Message": message}


class FakeAliyunSms(FakeServer):
    def __init__(self, *, access_key_id: str, secret: str, sign_name: str, templates: dict[str, set[str]]):
        """``templates``: approved template code → the variable names its text uses."""
        super().__init__()
        self.access_key_id, self.secret, self.sign_name, self.templates = (
            access_key_id,
            secret,
            sign_name,
            templates,
        )
        self.nonces: set[str] = set()

    def verdict(self, status, reply):
        return "ok" if reply.get("Code") == "OK" else reply.get("Code", "")

    def answer(self, received: Received):
        split = urllib.parse.urlsplit(received.path)
        if split.path != "/":
            return error(
                404, "InvalidAction.NotFound", "Specified api is not found, please check your url and method."
            )
        raw = split.query if received.method == "GET" else received.body.decode("utf-8")
        pairs = urllib.parse.parse_qsl(raw, keep_blank_values=True)
        params = dict(pairs)
        received.extra["params"] = params
        if len(params) != len(pairs):
            return error(400, "InvalidParameter", "A parameter is repeated.")
        for name in REQUIRED:
            if not params.get(name):
                return error(400, f"Missing{name}", f"{name} is mandatory for this action.")
        if params["Action"] != "SendSms" or params["Version"] != "2017-05-25":
            return error(
                404, "InvalidAction.NotFound", "Specified api is not found, please check your url and method."
            )
        if params["SignatureMethod"] != "HMAC-SHA1" or params["SignatureVersion"] != "1.0":
            return error(400, "InvalidSignatureMethod", "Specified signature method is not supported.")
        if params.get("Format", "XML") != "JSON":
            return error(400, "InvalidParameter.Format", "This fake answers JSON only: Format=JSON.")
        if params["AccessKeyId"] != self.access_key_id:
            return error(404, "InvalidAccessKeyId.NotFound", "Specified access key is not found.")
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z", params["Timestamp"]):
            return error(
                400, "InvalidTimeStamp.Format", "Specified time stamp or date value is not well formatted."
            )
        stamp = datetime.datetime.strptime(params["Timestamp"], "%Y-%m-%dT%H:%M:%SZ").replace(
            tzinfo=datetime.UTC
        )
        if abs(stamp.timestamp() - time.time()) > 15 * 60:
            return error(400, "InvalidTimeStamp.Expired", "Specified time stamp or date value is expired.")
        if params["Signature"] != doc_signature(params, self.secret, received.method):
            return error(
                400,
                "SignatureDoesNotMatch",
                "Specified signature is not matched with our calculation. server string to sign is:...",
            )
        if params["SignatureNonce"] in self.nonces:
            return error(400, "SignatureNonceUsed", "Specified signature nonce was used already.")
        self.nonces.add(params["SignatureNonce"])
        if params["SignName"] != self.sign_name:
            return error(200, "isv.SMS_SIGNATURE_ILLEGAL", "该账号下找不到对应签名")
        if params["TemplateCode"] not in self.templates:
            return error(200, "isv.SMS_TEMPLATE_ILLEGAL", "该账号下找不到对应模板")
        if not all(re.fullmatch(r"1\d{10}", phone) for phone in params["PhoneNumbers"].split(",")):
            return error(200, "isv.MOBILE_NUMBER_ILLEGAL", "手机号码格式错误")
        try:
            variables = json.loads(params.get("TemplateParam", "{}"))
        except ValueError:
            return error(200, "isv.INVALID_JSON_PARAM", "JSON参数不合法，只接受字符串值")
        if not isinstance(variables, dict) or not all(isinstance(v, str) for v in variables.values()):
            return error(200, "isv.INVALID_JSON_PARAM", "JSON参数不合法，只接受字符串值")
        if set(variables) != self.templates[params["TemplateCode"]]:
            return error(200, "isv.TEMPLATE_MISSING_PARAMETERS", "模板缺少变量")
        return 200, {
            "Message": "OK",
            "RequestId": str(uuid.uuid4()).upper(),
            "Code": "OK",
            "BizId": f"{int(time.time() * 1000) % 10**15:015d}^0",
        }
