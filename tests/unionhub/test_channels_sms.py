"""The SMS transports: Alibaba Cloud and Tencent Cloud against local fakes that check each request as the
provider documents it, the documented signature examples, and the console backend of the embedded default."""

import json
import socket
import urllib.parse

import pytest
from django.core.exceptions import ImproperlyConfigured

from tests.fakes.aliyun_sms import FakeAliyunSms
from tests.fakes.tencent_sms import FakeTencentSms
from unionhub.channels import SmsMessage, aliyun, sms_backend, tencent
from unionhub.channels.aliyun import AliyunSms
from unionhub.channels.tencent import TencentSms

NOTICE = SmsMessage(
    phone="13812345678",
    template="notice",
    params={"kind": "会费缴纳提醒", "link": "https://union.example.cn/n/8"},
    text="【区总工会】会费缴纳提醒：https://union.example.cn/n/8",
)


def _closed_port_url():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}"


# --- the documented worked examples ------------------------------------------------------------------


def test_aliyun_signer_reproduces_the_documented_example():
    """The SendSms example of Alibaba Cloud's "signature method" page: testId / testSecret → zJDF+Lrzhj/…"""
    params = {
        "AccessKeyId": "testId",
        "Action": "SendSms",
        "Format": "XML",
        "OutId": "123",
        "PhoneNumbers": "15300000001",
        "RegionId": "cn-hangzhou",
        "SignName": "阿里云短信测试专用",
        "SignatureMethod": "HMAC-SHA1",
        "SignatureNonce": "45e25e9b-0a6f-4070-8c85-2956eda1b466",
        "SignatureVersion": "1.0",
        "TemplateCode": "SMS_71390007",
        "TemplateParam": '{"customer":"test"}',
        "Timestamp": "2017-07-12T02:42:19Z",
        "Version": "2017-05-25",
    }
    assert aliyun.string_to_sign(params).startswith("GET&%2F&AccessKeyId%3DtestId%26Action%3DSendSms%26")
    assert "SignName%3D%25E9%2598%25BF%25E9%2587%258C" in aliyun.string_to_sign(params)
    assert aliyun.sign(params, "testSecret") == "zJDF+Lrzhj/ThnlvIToysFRq6t4="


def test_tencent_signer_reproduces_the_documented_example():
    """The DescribeInstances example of Tencent Cloud's "Signature v3" page (timestamp 1551113065)."""
    payload = b'{"Limit": 1, "Filters": [{"Values": ["\\u672a\\u547d\\u540d"], "Name": "instance-name"}]}'
    header = tencent.authorization(
        secret_id="AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE",
        secret_key="Gu5t9xGARNpq86cd98joQYCN3EXAMPLE",
        service="cvm",
        timestamp=1551113065,
        headers={"Content-Type": "application/json; charset=utf-8", "Host": "cvm.tencentcloudapi.com"},
        payload=payload,
    )
    assert header == (
        "TC3-HMAC-SHA256 Credential=AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE/2019-02-25/cvm/tc3_request, "
        "SignedHeaders=content-type;host, "
        "Signature=72e494ea809ad7a8c8f7a4507b9bddcbaa8e581f516e8da2f66e2c5a96525168"
    )


# --- Alibaba Cloud ------------------------------------------------------------------------------------


@pytest.fixture
def aliyun_fake(settings):
    with FakeAliyunSms(
        access_key_id="LTAI5tAccessKeyId",
        secret="the-access-key-secret",
        sign_name="区总工会",
        templates={"SMS_123456": {"kind", "link"}, "SMS_654321": {"code"}},
    ) as fake:
        settings.SMS_BACKEND = "unionhub.channels.aliyun.AliyunSms"
        settings.SMS_SIGN_NAME = "区总工会"
        settings.SMS_TEMPLATES = {"notice": "SMS_123456", "code": "SMS_654321"}
        settings.ALIYUN_SMS_ACCESS_KEY_ID = "LTAI5tAccessKeyId"
        settings.ALIYUN_SMS_ACCESS_KEY_SECRET = "the-access-key-secret"
        settings.ALIYUN_SMS_ENDPOINT = fake.url
        settings.SMS_TIMEOUT = 0.5
        yield fake


class TestAliyun:
    def test_a_message_is_sent_with_every_documented_parameter(self, aliyun_fake):
        result = sms_backend().send(NOTICE)
        assert result.ok and result.provider_id.endswith("^0")
        (received,) = aliyun_fake.requests
        assert received.verdict == "ok" and received.method == "GET"
        params = received.extra["params"]
        assert params["PhoneNumbers"] == "13812345678"
        assert params["TemplateCode"] == "SMS_123456" and params["SignName"] == "区总工会"
        assert json.loads(params["TemplateParam"]) == NOTICE.params
        assert params["RegionId"] == "cn-hangzhou" and params["Format"] == "JSON"

    def test_two_messages_use_two_nonces(self, aliyun_fake):
        assert sms_backend().send(NOTICE).ok and sms_backend().send(NOTICE).ok
        assert [r.verdict for r in aliyun_fake.requests] == ["ok", "ok"]

    def test_a_number_with_country_code_is_sent_as_eleven_digits(self, aliyun_fake):
        result = AliyunSms().send(
            SmsMessage(phone="+86 138-1234-5678", template="code", params={"code": "246810"})
        )
        assert result.ok
        assert aliyun_fake.requests[0].extra["params"]["PhoneNumbers"] == "13812345678"

    def test_a_wrong_secret_is_refused_by_the_fake(self, aliyun_fake, settings):
        settings.ALIYUN_SMS_ACCESS_KEY_SECRET = "not-the-secret"
        result = AliyunSms().send(NOTICE)
        assert not result.ok and not result.transient
        assert result.error_code == "SignatureDoesNotMatch"

    def test_an_unknown_access_key_is_permanent(self, aliyun_fake, settings):
        settings.ALIYUN_SMS_ACCESS_KEY_ID = "LTAI5tSomeoneElse"
        result = AliyunSms().send(NOTICE)
        assert (result.ok, result.error_code, result.transient) == (
            False,
            "InvalidAccessKeyId.NotFound",
            False,
        )

    def test_a_template_the_provider_does_not_know_is_permanent(self, aliyun_fake, settings):
        settings.SMS_TEMPLATES = {"notice": "SMS_999999"}
        result = AliyunSms().send(NOTICE)
        assert (result.error_code, result.transient) == ("isv.SMS_TEMPLATE_ILLEGAL", False)
        assert result.error_message

    def test_a_sign_name_the_provider_does_not_know_is_permanent(self, aliyun_fake, settings):
        settings.SMS_SIGN_NAME = "别的签名"
        assert AliyunSms().send(NOTICE).error_code == "isv.SMS_SIGNATURE_ILLEGAL"

    @pytest.mark.parametrize(
        ("code", "transient"),
        [
            ("isv.MOBILE_NUMBER_ILLEGAL", False),
            ("isv.SMS_TEMPLATE_ILLEGAL", False),
            ("isv.BUSINESS_LIMIT_CONTROL", True),
            ("isv.OUT_OF_SERVICE", False),
            ("Throttling.User", True),
            ("isp.SYSTEM_ERROR", True),
        ],
    )
    def test_documented_error_answers_are_mapped(self, aliyun_fake, code, transient):
        aliyun_fake.fail_next(
            200, {"RequestId": "F655A8D5-B967-440B-8683-DAD6FF8DE990", "Code": code, "Message": "m"}
        )
        result = AliyunSms().send(NOTICE)
        assert (result.ok, result.error_code, result.error_message, result.transient) == (
            False,
            code,
            "m",
            transient,
        )

    def test_a_503_is_transient(self, aliyun_fake):
        aliyun_fake.unavailable_next()
        result = AliyunSms().send(NOTICE)
        assert (result.ok, result.error_code, result.transient) == (False, "http-503", True)

    def test_a_wrong_endpoint_is_permanent(self, aliyun_fake, settings):
        aliyun_fake.fail_next(404, b"<html>404 Not Found</html>")
        result = AliyunSms().send(NOTICE)
        assert (result.ok, result.error_code, result.transient) == (False, "http-404", False)
        settings.ALIYUN_SMS_ENDPOINT = aliyun_fake.url + "/not-the-api"
        result = AliyunSms().send(NOTICE)
        assert (result.ok, result.error_code, result.transient) == (False, "InvalidAction.NotFound", False)

    def test_no_answer_is_a_transient_timeout(self, aliyun_fake):
        aliyun_fake.hang_next()
        result = AliyunSms().send(NOTICE)
        assert (result.ok, result.error_code, result.transient) == (False, "timeout", True)

    def test_a_refused_connection_is_transient(self, aliyun_fake, settings):
        settings.ALIYUN_SMS_ENDPOINT = _closed_port_url()
        result = AliyunSms().send(NOTICE)
        assert (result.ok, result.error_code, result.transient) == (False, "connection", True)

    def test_a_number_that_is_no_mobile_is_not_sent(self, aliyun_fake):
        result = AliyunSms().send(SmsMessage(phone="0571-8888888", template="notice", params=NOTICE.params))
        assert (result.ok, result.error_code, result.transient) == (False, "invalid-phone", False)
        assert aliyun_fake.requests == []

    @pytest.mark.parametrize(
        "name", ["ALIYUN_SMS_ACCESS_KEY_ID", "ALIYUN_SMS_ACCESS_KEY_SECRET", "SMS_SIGN_NAME"]
    )
    def test_a_missing_key_is_improperly_configured(self, aliyun_fake, settings, name):
        setattr(settings, name, "")
        with pytest.raises(ImproperlyConfigured, match=name):
            sms_backend()

    def test_a_template_without_code_is_improperly_configured(self, aliyun_fake):
        with pytest.raises(ImproperlyConfigured, match="'reminder'"):
            AliyunSms().send(SmsMessage(phone="13812345678", template="reminder"))


# --- Tencent Cloud ------------------------------------------------------------------------------------


@pytest.fixture
def tencent_fake(settings):
    with FakeTencentSms(
        secret_id="AKIDtheSecretId",
        secret_key="the-secret-key",
        app_id="1400006666",
        sign_name="区总工会",
        templates={"449739": 2, "449740": 1},
    ) as fake:
        settings.SMS_BACKEND = "unionhub.channels.tencent.TencentSms"
        settings.SMS_SIGN_NAME = "区总工会"
        settings.SMS_TEMPLATES = {"notice": "449739", "code": "449740"}
        settings.SMS_TEMPLATE_PARAMS = {"notice": ["kind", "link"], "code": ["code"]}
        settings.TENCENT_SMS_SECRET_ID = "AKIDtheSecretId"
        settings.TENCENT_SMS_SECRET_KEY = "the-secret-key"
        settings.TENCENT_SMS_SDK_APP_ID = "1400006666"
        settings.TENCENT_SMS_ENDPOINT = fake.url
        settings.SMS_TIMEOUT = 0.5
        yield fake


class TestTencent:
    def test_a_message_is_sent_as_documented(self, tencent_fake):
        result = sms_backend().send(NOTICE)
        assert result.ok and result.provider_id.startswith("2640:")
        (received,) = tencent_fake.requests
        assert received.verdict == "ok"
        assert (
            received.headers["x-tc-action"] == "SendSms" and received.headers["x-tc-version"] == "2021-01-11"
        )
        assert received.headers["x-tc-region"] == "ap-guangzhou"
        assert received.extra["body"] == {
            "PhoneNumberSet": ["+8613812345678"],
            "SmsSdkAppId": "1400006666",
            "SignName": "区总工会",
            "TemplateId": "449739",
            "TemplateParamSet": ["会费缴纳提醒", "https://union.example.cn/n/8"],
        }

    def test_a_wrong_secret_is_refused_by_the_fake(self, tencent_fake, settings):
        settings.TENCENT_SMS_SECRET_KEY = "not-the-key"
        result = TencentSms().send(NOTICE)
        assert (result.ok, result.error_code, result.transient) == (
            False,
            "AuthFailure.SignatureFailure",
            False,
        )

    def test_an_unknown_template_is_permanent(self, tencent_fake, settings):
        settings.SMS_TEMPLATES = {"notice": "111111"}
        result = TencentSms().send(NOTICE)
        assert (result.error_code, result.transient) == (
            "FailedOperation.TemplateIncorrectOrUnapproved",
            False,
        )

    @pytest.mark.parametrize(
        ("code", "transient"),
        [
            ("LimitExceeded.PhoneNumberDailyLimit", True),
            ("InvalidParameterValue.IncorrectPhoneNumber", False),
            ("FailedOperation.InsufficientBalanceInSmsPackage", False),
        ],
    )
    def test_a_failed_number_is_mapped(self, tencent_fake, code, transient):
        tencent_fake.fail_next(200, FakeTencentSms.per_number(code, "m"))
        result = TencentSms().send(NOTICE)
        assert (result.ok, result.error_code, result.error_message, result.transient) == (
            False,
            code,
            "m",
            transient,
        )

    @pytest.mark.parametrize(
        ("code", "transient"),
        [
            ("RequestLimitExceeded", True),
            ("InternalError", True),
            ("InternalError.Timeout", True),
            ("AuthFailure.SecretIdNotFound", False),
            ("UnauthorizedOperation.SmsSdkAppIdVerifyFail", False),
        ],
    )
    def test_a_request_error_is_mapped(self, tencent_fake, code, transient):
        tencent_fake.fail_next(200, FakeTencentSms.request_error(code, "m"))
        result = TencentSms().send(NOTICE)
        assert (result.ok, result.error_code, result.transient) == (False, code, transient)

    def test_a_503_no_answer_and_a_refused_connection_are_transient(self, tencent_fake, settings):
        tencent_fake.unavailable_next()
        tencent_fake.hang_next()
        assert TencentSms().send(NOTICE).error_code == "http-503"
        assert TencentSms().send(NOTICE).error_code == "timeout"
        settings.TENCENT_SMS_ENDPOINT = _closed_port_url()
        result = TencentSms().send(NOTICE)
        assert (result.error_code, result.transient) == ("connection", True)

    def test_a_missing_parameter_value_is_a_permanent_failure(self, tencent_fake):
        result = TencentSms().send(
            SmsMessage(phone="13812345678", template="notice", params={"kind": "提醒"})
        )
        assert (result.ok, result.error_code, result.transient) == (False, "missing-param", False)
        assert tencent_fake.requests == []

    def test_a_template_without_parameter_order_is_improperly_configured(self, tencent_fake, settings):
        settings.SMS_TEMPLATE_PARAMS = {}
        with pytest.raises(ImproperlyConfigured, match="SMS_TEMPLATE_PARAMS"):
            TencentSms().send(NOTICE)

    @pytest.mark.parametrize(
        "name", ["TENCENT_SMS_SECRET_ID", "TENCENT_SMS_SECRET_KEY", "TENCENT_SMS_SDK_APP_ID"]
    )
    def test_a_missing_key_is_improperly_configured(self, tencent_fake, settings, name):
        setattr(settings, name, "")
        with pytest.raises(ImproperlyConfigured, match=name):
            sms_backend()


# --- settings and the console -------------------------------------------------------------------------


def test_template_parameter_orders_are_parsed():
    from unionhub.settings.base import _template_params

    assert _template_params("notice=kind,link; code=code") == {"notice": ["kind", "link"], "code": ["code"]}
    assert _template_params("") == {}
    with pytest.raises(ImproperlyConfigured):
        _template_params("notice")


def test_the_console_backend_appends_one_line_beginning_with_the_phone(settings, tmp_path):
    settings.SMS_BACKEND = "unionhub.channels.console.ConsoleSms"
    settings.SMS_LOG_FILE = tmp_path / "var" / "sms.log"
    (tmp_path / "var").mkdir()
    settings.SMS_LOG_FILE.write_text("13900000000\tearlier line\n", encoding="utf-8")
    result = sms_backend().send(NOTICE)
    lines = settings.SMS_LOG_FILE.read_text(encoding="utf-8").splitlines()
    assert result.ok and len(lines) == 2
    assert lines[1].startswith("13812345678\t") and lines[1].endswith(NOTICE.text)


def test_aliyun_query_keeps_chinese_percent_encoded():
    """The adapter's encoding is RFC 3986: a space is %20, never '+', and '~' is kept."""
    assert aliyun.percent_encode("a b~*") == "a%20b~%2A"
    assert urllib.parse.unquote(aliyun.percent_encode("区总工会")) == "区总工会"
