"""Notice settings (everybody's own), the delivery log (the organisation duty) and the dashboard's item for a
notice that reached nobody."""

from unittest import mock

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import DAY, TODAY
from unionhub.channels import SendResult
from unionhub.models import NoticePreference
from unionhub.notices import notify
from unionhub.notify import transports


@pytest.fixture(autouse=True)
def sms_log(settings, tmp_path):
    settings.SMS_LOG_FILE = tmp_path / "sms.log"
    return settings.SMS_LOG_FILE


def test_a_chair_sees_their_kinds_with_the_phone_masked(phone_chair, login):
    page = login(phone_chair).get("/notices/preferences/").content.decode()
    assert "会费即将到期" in page and "会员转会" in page
    assert "138****5678" in page and "13812345678" not in page
    assert 'name="dues_soon" value="sms" checked' in page
    assert "协会入会" not in page  # an association chair's kind


def test_without_a_mobile_the_page_says_so(outsider, login):
    page = login(outsider).get("/notices/preferences/").content.decode()
    assert "没有登记手机号" in page


def test_saving_keeps_only_departures_from_the_defaults(phone_chair, login):
    client = login(phone_chair)
    response = client.post(
        "/notices/preferences/",
        {
            "dues_soon": ["email"],
            "dues_overdue": ["email", "sms"],
            "transfers": ["sms", "email", "inapp", "fax"],
        },
    )
    assert response.status_code == 302
    chosen = dict(NoticePreference.objects.filter(user=phone_chair).values_list("kind", "channels"))
    assert chosen["dues_soon"] == ["email"]
    assert chosen["honours"] == []  # a kind left unticked: in-app only
    assert not NoticePreference.objects.filter(
        user=phone_chair, kind__in=["dues_overdue", "transfers"]
    ).exists()
    phone_chair.refresh_from_db()
    assert (phone_chair.quiet_hours, phone_chair.daily_digest) == (False, False)
    client.post(
        "/notices/preferences/", {"quiet_hours": "on", "daily_digest": "on", "dues_soon": ["email", "sms"]}
    )
    phone_chair.refresh_from_db()
    assert (phone_chair.quiet_hours, phone_chair.daily_digest) == (True, True)
    assert not NoticePreference.objects.filter(user=phone_chair, kind="dues_soon").exists()


def test_the_test_button_sends_on_one_channel(phone_chair, login, sms_log):
    client = login(phone_chair)
    response = client.post("/notices/preferences/test/", {"channel": "sms"}, follow=True)
    assert "已通过短信发送测试通知" in response.content.decode()
    assert sms_log.read_text(encoding="utf-8").startswith("13812345678\t")
    response = client.post("/notices/preferences/test/", {"channel": "wecom"}, follow=True)
    assert "没有登记企业微信账号" in response.content.decode()
    response = client.post("/notices/preferences/test/", {"channel": "<script>"}, follow=True)
    assert response.status_code == 200 and "请选择发送测试通知的渠道" in response.content.decode()


# --- the delivery log -----------------------------------------------------------------------------------------


@pytest.fixture
def logged(phone_chair, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        notify(user=phone_chair, key="dues-soon:1", title="会费即将到期")
    failed = SendResult.failed("550", "mailbox unavailable")
    with (
        mock.patch.object(transports, "email", return_value=failed),
        django_capture_on_commit_callbacks(execute=True),
    ):
        notify(user=phone_chair, key="honour-result:1", title="评选结果")
    return phone_chair


def test_the_log_filters_and_masks_phones(staff, logged, login):
    client = login(staff)
    page = client.get("/notices/deliveries/").content.decode()
    assert "138****5678" in page and "13812345678" not in page
    page = client.get("/notices/deliveries/?status=failed").content.decode()
    assert "mailbox unavailable" in page and "138****5678" not in page
    page = client.get("/notices/deliveries/?channel=sms&kind=dues_soon&q=张主席").content.decode()
    assert "138****5678" in page
    page = client.get(f"/notices/deliveries/?channel=sms&from={TODAY + DAY}").content.decode()
    assert "138****5678" not in page


@pytest.mark.parametrize(
    "query",
    [
        "channel=fax",
        "status=%00",
        "kind=' or 1=1",
        "from=2025-13-45",
        "to=99999-01-01",
        "page=-1",
        "page=x",
        "q=" + "长" * 5000,
        "from=0001-01-01&to=9999-12-31",
    ],
)
def test_hostile_query_parameters_give_no_server_error(staff, logged, login, query):
    assert login(staff).get(f"/notices/deliveries/?{query}").status_code == 200


@pytest.mark.parametrize("who", ["finance_staff", "casework_staff", "chair_a", "cadre", "outsider"])
def test_outsiders_may_not_read_the_log(who, request, login):
    assert login(request.getfixturevalue(who)).get("/notices/deliveries/").status_code == 403


def test_the_log_asks_the_same_number_of_queries_for_more_rows(
    staff, phone_chair, login, django_capture_on_commit_callbacks
):
    client = login(staff)

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/notices/deliveries/").status_code == 200
        return len(queries)

    with django_capture_on_commit_callbacks(execute=True):
        notify(user=phone_chair, key="transfer-in:1", title="t")
    small = count()
    with django_capture_on_commit_callbacks(execute=True):
        for number in range(2, 6):
            notify(user=phone_chair, key=f"transfer-in:{number}", title="t")
    assert count() == small == 8


# --- the dashboard ----------------------------------------------------------------------------------------------


def test_a_notice_whose_every_channel_failed_is_on_the_staff_dashboard(
    staff, phone_chair, login, django_capture_on_commit_callbacks
):
    failed = SendResult.failed("isv.DENIED", "refused")
    with (
        mock.patch.object(transports, "email", return_value=failed),
        mock.patch.object(transports, "sms", return_value=("aliyun", failed)),
        django_capture_on_commit_callbacks(execute=True),
    ):
        notify(user=phone_chair, key="dues-soon:7", title="会费七月到期")
        notify(user=phone_chair, key="honour-result:7", title="只有邮件失败", email=True)
    with django_capture_on_commit_callbacks(execute=True):
        notify(user=phone_chair, key="transfer-in:7", title="都成功了")
    page = login(staff).get("/").content.decode()
    assert "通知未能送达：会费七月到期" in page
    assert "只有邮件失败" in page  # its only channel beyond in-app (e-mail) failed
    assert "都成功了" not in page
    chair_page = login(phone_chair).get("/").content.decode()
    assert "通知未能送达" not in chair_page
