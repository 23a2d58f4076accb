"""WeCom transports against a local fake of the WeCom API: group robot webhooks and application messages."""

import pytest
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured, ValidationError

from tests.fakes.wecom import FakeWeCom
from tests.unionhub.test_settings import GOOD, _run
from unionhub.channels import wecom
from unionhub.channels.wecom import WeComApp, send_group_markdown, send_group_text, truncate_utf8

ROBOT_KEY = "693a91f6-7xxx-4bc4-97a0-0ec2sifa5aaa"


@pytest.fixture
def wecom_fake(settings):
    with FakeWeCom(
        corp_id="ww1234567890abcdef",
        secret="the-app-secret",
        agent_id=1000002,
        users={"zhangsan", "lisi"},
        robot_keys={ROBOT_KEY},
    ) as fake:
        settings.WECOM_API_BASE = fake.url
        settings.WECOM_WEBHOOK_URLS = [f"{fake.url}/cgi-bin/webhook/send"]
        settings.WECOM_CORP_ID = "ww1234567890abcdef"
        settings.WECOM_SECRET = "the-app-secret"
        settings.WECOM_AGENT_ID = "1000002"
        settings.SMS_TIMEOUT = 0.5
        cache.clear()
        yield fake
        cache.clear()


def _webhook(fake, key=ROBOT_KEY):
    return f"{fake.url}/cgi-bin/webhook/send?key={key}"


class TestGroupRobot:
    def test_a_text_is_posted_as_documented(self, wecom_fake):
        result = send_group_text(_webhook(wecom_fake), "明日值班：张三", mentioned_mobiles=["13812345678"])
        assert result.ok
        (received,) = wecom_fake.requests
        assert received.verdict == "ok"
        assert received.extra["body"] == {
            "msgtype": "text",
            "text": {"content": "明日值班：张三", "mentioned_mobile_list": ["13812345678"]},
        }

    def test_markdown_is_posted(self, wecom_fake):
        assert send_group_markdown(_webhook(wecom_fake), "**新案件** 待分派").ok
        assert wecom_fake.requests[0].extra["body"]["msgtype"] == "markdown"

    def test_an_unknown_key_is_permanent(self, wecom_fake):
        result = send_group_text(_webhook(wecom_fake, "not-a-key"), "x")
        assert (result.ok, result.error_code, result.transient) == (False, "93000", False)

    def test_frequency_limit_is_transient(self, wecom_fake):
        wecom_fake.fail_next(200, {"errcode": 45009, "errmsg": "api freq out of limit"})
        result = send_group_text(_webhook(wecom_fake), "x")
        assert (result.ok, result.error_code, result.transient) == (False, "45009", True)

    def test_no_answer_and_a_503_are_transient(self, wecom_fake):
        wecom_fake.hang_next()
        wecom_fake.unavailable_next()
        assert send_group_text(_webhook(wecom_fake), "x").error_code == "timeout"
        result = send_group_text(_webhook(wecom_fake), "x")
        assert (result.error_code, result.transient) == ("http-503", True)

    def test_long_chinese_text_is_cut_to_2048_bytes_at_a_character(self, wecom_fake):
        text = "工会" * 700  # 4200 bytes of UTF-8
        result = send_group_text(_webhook(wecom_fake), text)
        assert result.ok and wecom_fake.requests[0].verdict == "ok"
        sent = wecom_fake.requests[0].extra["body"]["text"]["content"]
        assert len(sent.encode("utf-8")) <= 2048 and sent.endswith("…")
        assert text.startswith(sent[:-1]) and len(sent[:-1]) == (2048 - 3) // 3

    def test_a_webhook_elsewhere_is_not_posted_to(self, wecom_fake):
        result = send_group_text("https://evil.example.com/cgi-bin/webhook/send?key=" + ROBOT_KEY, "x")
        assert (result.ok, result.error_code) == (False, "invalid-webhook")
        assert wecom_fake.requests == []


class TestWebhookAddresses:
    """With the production default, only https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=… is accepted."""

    @pytest.mark.parametrize(
        "url",
        [
            "http://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k",
            "https://qyapi.weixin.qq.com.evil.cn/cgi-bin/webhook/send?key=k",
            "https://evil.cn/cgi-bin/webhook/send?key=k",
            "https://user@qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k",
            "https://qyapi.weixin.qq.com/cgi-bin/message/send?key=k",
            "https://qyapi.weixin.qq.com/cgi-bin/webhook/send",
            "http://127.0.0.1:8000/cgi-bin/webhook/send?key=k",
            "file:///etc/passwd",
            "",
        ],
    )
    def test_other_addresses_are_refused(self, url):
        with pytest.raises(ValidationError):
            wecom.validate_webhook_url(url)
        assert send_group_text(url, "x").error_code == "invalid-webhook"

    def test_the_wecom_address_is_accepted(self):
        wecom.validate_webhook_url("https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=" + ROBOT_KEY)

    def test_production_refuses_plain_http_webhooks(self):
        result = _run({**GOOD, "WECOM_WEBHOOK_URLS": "http://127.0.0.1:9/cgi-bin/webhook/send"}, "check")
        assert result.returncode != 0 and "WECOM_WEBHOOK_URLS" in result.stderr


class TestApplication:
    def test_a_text_is_sent_with_a_token_fetched_once(self, wecom_fake):
        app = WeComApp.from_settings()
        assert app.send_text(["zhangsan"], "明日值班提醒").ok
        assert app.send_text(["lisi", "zhangsan"], "第二条").ok
        assert wecom_fake.tokens_issued == 1
        send = [r for r in wecom_fake.requests if r.path.startswith("/cgi-bin/message/send")]
        assert [r.verdict for r in send] == ["ok", "ok"]
        assert send[1].extra["body"] == {
            "touser": "lisi|zhangsan",
            "msgtype": "text",
            "agentid": 1000002,
            "text": {"content": "第二条"},
            "safe": 0,
        }

    def test_an_expired_token_is_fetched_again_once(self, wecom_fake):
        app = WeComApp.from_settings()
        assert app.send_text(["zhangsan"], "一").ok
        wecom_fake.expire_tokens()
        result = app.send_text(["zhangsan"], "二")
        assert result.ok and wecom_fake.tokens_issued == 2
        verdicts = [r.verdict for r in wecom_fake.requests if r.path.startswith("/cgi-bin/message/send")]
        assert verdicts == ["ok", "42001", "ok"]

    def test_a_token_refused_twice_is_not_retried_forever(self, wecom_fake):
        for _ in range(2):
            wecom_fake.fail_next(
                200, {"errcode": 40014, "errmsg": "invalid access_token"}, path="/cgi-bin/message"
            )
        result = WeComApp.from_settings().send_text(["zhangsan"], "x")
        assert (result.ok, result.error_code) == (False, "40014")
        assert len([r for r in wecom_fake.requests if r.path.startswith("/cgi-bin/message/send")]) == 2

    def test_unreached_users_are_reported(self, wecom_fake):
        result = WeComApp.from_settings().send_text(["zhangsan", "wangwu"], "x")
        assert result.ok and (result.error_code, result.error_message) == ("invaliduser", "wangwu")
        nobody = WeComApp.from_settings().send_text(["wangwu"], "x")
        assert (nobody.ok, nobody.error_code, nobody.transient) == (False, "81013", False)

    def test_a_wrong_secret_is_permanent(self, wecom_fake, settings):
        settings.WECOM_SECRET = "not-the-secret"
        result = WeComApp.from_settings().send_text(["zhangsan"], "x")
        assert (result.ok, result.error_code, result.transient) == (False, "40001", False)

    def test_long_text_is_cut_to_2048_bytes(self, wecom_fake):
        assert WeComApp.from_settings().send_text(["zhangsan"], "职工之家复评" * 500).ok
        sent = wecom_fake.requests[-1].extra["body"]["text"]["content"]
        assert len(sent.encode("utf-8")) <= 2048

    def test_a_refused_connection_is_transient(self, wecom_fake, settings):
        settings.WECOM_API_BASE = "http://127.0.0.1:9"
        result = WeComApp.from_settings().send_text(["zhangsan"], "x")
        assert (result.error_code, result.transient) == ("connection", True)

    def test_an_agent_id_that_is_no_number_is_improperly_configured(self, wecom_fake, settings):
        settings.WECOM_AGENT_ID = "agent"
        with pytest.raises(ImproperlyConfigured, match="WECOM_AGENT_ID"):
            WeComApp.from_settings()

    @pytest.mark.parametrize("name", ["WECOM_CORP_ID", "WECOM_SECRET", "WECOM_AGENT_ID"])
    def test_missing_settings_are_improperly_configured(self, wecom_fake, settings, name):
        setattr(settings, name, "")
        with pytest.raises(ImproperlyConfigured, match=name):
            WeComApp.from_settings()


def test_truncation_keeps_short_text_and_cuts_mixed_text_at_a_character():
    assert truncate_utf8("短文本") == "短文本"
    mixed = "a工" * 1000  # 4000 bytes
    cut = truncate_utf8(mixed, 100)
    assert len(cut.encode("utf-8")) <= 100 and cut.endswith("…") and mixed.startswith(cut[:-1])
