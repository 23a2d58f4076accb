"""The notification service (issue 21): kinds and routing, idempotency, quiet hours, retries, the rate limit,
WeCom groups, the digest, the texts' privacy and ``manage.py send_test_notice``."""

import datetime
import re
from pathlib import Path
from unittest import mock

import pytest
import time_machine
from django.conf import settings
from django.core import mail
from django.core.management import call_command

from tests.factories import TODAY, make_id, make_staff
from unionhub.channels import SendResult
from unionhub.duties import CASEWORK
from unionhub.models import Delivery, Notice, NoticePreference, WeComGroup
from unionhub.notices import notify
from unionhub.notify import service, transports
from unionhub.notify.kinds import EMAIL, INAPP, SMS, WECOM, get_kind, kind_of, kinds

ROOT = Path(settings.BASE_DIR)
TZ = datetime.timezone(datetime.timedelta(hours=8))  # Asia/Shanghai has no summer time


@pytest.fixture(autouse=True)
def sms_log(settings, tmp_path):
    settings.SMS_LOG_FILE = tmp_path / "sms.log"
    settings.SITE_URL = "https://union.example.cn"
    return settings.SMS_LOG_FILE


def texts(path) -> list[str]:
    return path.read_text(encoding="utf-8").splitlines() if path.exists() else []


def local(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=TZ)


def send(django_capture_on_commit_callbacks, **kwargs):
    with django_capture_on_commit_callbacks(execute=True):
        return notify(**kwargs)


# --- kinds ------------------------------------------------------------------------------------------------

# Cache keys, not notices (the counter's rate count, a rule's rendered text).
NOT_NOTICES = {"perks:counter-checks:", "rules:html:"}
KEY_LITERAL = re.compile(r"""\bkey(?:"\s*:|\s*=)\s*f["']([a-z0-9_:-]+)\{""")


def test_every_key_prefix_in_the_code_base_maps_to_a_registered_kind():
    prefixes = set()
    for app in (
        "unionhub",
        "members",
        "secondment",
        "aid",
        "grievances",
        "associations",
        "perks",
        "honours",
        "homes",
    ):
        for path in (ROOT / app).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            for match in KEY_LITERAL.finditer(path.read_text(encoding="utf-8")):
                if match.group(1).endswith((":", "-")) and match.group(1) not in NOT_NOTICES:
                    prefixes.add(match.group(1))
    assert len(prefixes) >= 35, sorted(prefixes)
    unclaimed = sorted(prefix for prefix in prefixes if kind_of(prefix + "1").name == "other")
    assert unclaimed == []


def test_the_issues_kinds_are_registered_and_unknown_keys_are_other():
    names = {kind.name for kind in kinds()}
    assert {
        "dues_soon",
        "dues_overdue",
        "duty_tomorrow",
        "duty_log_missing",
        "duty_swaps",
        "case_deadline",
        "case_new",
        "aid_decisions",
        "hardship_decisions",
        "waiting_list",
        "cards",
        "honours_window",
        "honours",
        "home_reinspection",
        "school_places",
        "transfers",
        "report_ready",
        "chair_change",
        "backup_failed",
        "late_entries",
    } <= names
    assert kind_of("dues-soon:12").name == "dues_soon"
    assert kind_of("backup-failed:2025-05-31").name == "backup_failed"
    assert kind_of("something-new:1").name == "other"
    assert get_kind("no-such-kind").name == "other"


@pytest.mark.parametrize("kind", kinds(), ids=lambda kind: kind.name)
@pytest.mark.parametrize("role", ["staff", "union_chair", "cadre", "association_chair", "merchant", None])
def test_every_kinds_default_routing_per_role(kind, role):
    channels = kind.channels_for([role] if role else [])
    assert {INAPP, EMAIL} <= channels
    expected = {
        ("dues_soon", "union_chair"): {SMS},
        ("dues_overdue", "union_chair"): {SMS},
        ("transfers", "union_chair"): {SMS},
        ("duty_tomorrow", "cadre"): {SMS},
        ("duty_log_missing", "cadre"): {SMS},
        ("case_new", "staff"): {WECOM},
        ("case_deadline", "staff"): {WECOM},
        ("backup_failed", "staff"): {WECOM},
    }.get((kind.name, role), set())
    assert channels - {INAPP, EMAIL} == expected


@pytest.mark.parametrize("kind", kinds(), ids=lambda kind: kind.name)
def test_no_sms_text_carries_an_id_number_or_the_notice_body(kind):
    body = f"王小明 {make_id()} 的困难申请已批准，金额 2000 元"
    text = service.short_text(kind, "/aid/applications/12/")
    assert not re.search(r"\d{17}[\dXx]", text)
    assert "王小明" not in text and "2000" not in text
    assert text.endswith("https://union.example.cn/aid/applications/12/")
    if kind.sensitive:
        assert service.wecom_text(kind, body, "/x/") == service.short_text(kind, "/x/")


# --- routing real people -----------------------------------------------------------------------------------


def test_a_chair_gets_dues_by_sms_and_email_once_however_often_it_runs(
    phone_chair, sms_log, django_capture_on_commit_callbacks
):
    for _ in range(2):
        send(
            django_capture_on_commit_callbacks,
            user=phone_chair,
            key="dues-soon:1",
            title="会费即将到期",
            body="请在 6 月 15 日前上传会费表",
            url="/dues/1/",
        )
        service.sweep()
    assert Notice.objects.filter(user=phone_chair, key="dues-soon:1").count() == 1
    rows = dict(Delivery.objects.filter(key="dues-soon:1").values_list("channel", "status"))
    assert rows == {INAPP: "delivered", EMAIL: "sent", SMS: "sent"}
    lines = texts(sms_log)
    assert len(lines) == 1 and lines[0].startswith("13812345678\t")
    assert "6 月 15 日" not in lines[0]
    assert [m.subject for m in mail.outbox] == ["会费即将到期"]
    assert mail.outbox[0].body == "请在 6 月 15 日前上传会费表\n\n/dues/1/"
    assert Delivery.objects.get(channel=SMS).target == "138****5678"


def test_without_a_role_a_notice_goes_in_app_and_by_email_only(outsider, django_capture_on_commit_callbacks):
    outsider.phone, outsider.email, outsider.wecom_userid = "13900001111", "o@example.cn", "zhangsan"
    outsider.save()
    send(django_capture_on_commit_callbacks, user=outsider, key="dues-soon:9", title="t")
    assert set(Delivery.objects.values_list("channel", flat=True)) == {INAPP, EMAIL}


def test_no_email_flag_and_no_phone_skip_those_channels(chair_a, union_a, django_capture_on_commit_callbacks):
    chair_a.email = "c@example.cn"
    chair_a.save()
    send(django_capture_on_commit_callbacks, user=chair_a, key="dues-soon:2", title="t", email=False)
    assert list(Delivery.objects.values_list("channel", flat=True)) == [INAPP]


def test_a_preference_replaces_the_defaults_but_in_app_stays(phone_chair, django_capture_on_commit_callbacks):
    NoticePreference.objects.create(user=phone_chair, kind="dues_soon", channels=[])
    send(django_capture_on_commit_callbacks, user=phone_chair, key="dues-soon:3", title="t")
    assert list(Delivery.objects.values_list("channel", flat=True)) == [INAPP]
    NoticePreference.objects.create(user=phone_chair, kind="honours", channels=[SMS])
    send(django_capture_on_commit_callbacks, user=phone_chair, key="honour-result:3", title="t")
    assert set(Delivery.objects.filter(key="honour-result:3").values_list("channel", flat=True)) == {
        INAPP,
        SMS,
    }


def test_a_cadre_gets_the_duty_day_by_sms(cadre, django_capture_on_commit_callbacks, sms_log):
    cadre.phone = "13700001234"
    cadre.save()
    send(django_capture_on_commit_callbacks, user=cadre, key="duty-reminder:5", title="明天值班")
    assert Delivery.objects.get(channel=SMS).status == "sent"
    assert texts(sms_log)[0].startswith("13700001234\t")


def test_staff_new_cases_go_to_wecom_and_once_to_each_group(db, django_capture_on_commit_callbacks):
    first = make_staff("case1", CASEWORK, wecom_userid="case1")
    second = make_staff("case2", CASEWORK, wecom_userid="case2")
    group = WeComGroup.objects.create(
        name="维权组", webhook_url="http://127.0.0.1:9/hook", kinds=["case_new"]
    )
    group.duties.add(first.groups.get())
    WeComGroup.objects.create(name="其他", webhook_url="http://127.0.0.1:9/other", kinds=["dues_soon"])
    posted, app = [], []
    with (
        mock.patch.object(
            transports,
            "wecom_group",
            side_effect=lambda url, text: posted.append((url, text)) or SendResult.sent("g"),
        ),
        mock.patch.object(
            transports, "wecom_app", side_effect=lambda ids, text: app.append(ids) or SendResult.sent("a")
        ),
    ):
        for user in (first, second):
            send(
                django_capture_on_commit_callbacks,
                user=user,
                key="case-new:7",
                title="新案件 王某某 欠薪",
                url="/grievances/7/",
            )
    assert len(posted) == 1 and posted[0][0] == "http://127.0.0.1:9/hook"
    assert "王某某" not in posted[0][1]
    assert sorted(app) == [["case1"], ["case2"]]
    assert Delivery.objects.filter(group=group).count() == 1


# --- quiet hours ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("hour", "minute", "held_until"),
    [(20, 59, None), (21, 0, (1, 8)), (7, 59, (0, 8)), (8, 0, None)],
)
def test_quiet_hours_hold_texts_until_eight(
    phone_chair, django_capture_on_commit_callbacks, sms_log, hour, minute, held_until
):
    with time_machine.travel(local(TODAY, hour, minute), tick=False):
        send(django_capture_on_commit_callbacks, user=phone_chair, key="transfer-in:1", title="t")
    row = Delivery.objects.get(channel=SMS)
    if held_until is None:
        assert row.status == "sent" and len(texts(sms_log)) == 1
        return
    days, at = held_until
    assert row.status == "queued" and texts(sms_log) == []
    assert row.next_attempt_at == local(TODAY + datetime.timedelta(days=days), at)
    assert Delivery.objects.get(channel=EMAIL).status == "sent"
    with time_machine.travel(local(TODAY + datetime.timedelta(days=days), 7, 59), tick=False):
        service.sweep()
    assert texts(sms_log) == []
    with time_machine.travel(local(TODAY + datetime.timedelta(days=days), 8, 0), tick=False):
        service.sweep()
    assert Delivery.objects.get(channel=SMS).status == "sent" and len(texts(sms_log)) == 1


def test_a_deadline_due_the_next_day_is_texted_in_quiet_hours(
    phone_chair, django_capture_on_commit_callbacks
):
    with time_machine.travel(local(TODAY, 22, 0), tick=False):
        send(
            django_capture_on_commit_callbacks,
            user=phone_chair,
            key="dues-soon:4",
            title="t",
            due=TODAY + datetime.timedelta(days=1),
        )
        send(
            django_capture_on_commit_callbacks,
            user=phone_chair,
            key="dues-soon:5",
            title="t",
            due=TODAY + datetime.timedelta(days=2),
        )
        send(
            django_capture_on_commit_callbacks,
            user=phone_chair,
            key="transfer-in:4",
            title="t",
            due=TODAY + datetime.timedelta(days=1),
        )
    status = dict(Delivery.objects.filter(channel=SMS).values_list("key", "status"))
    assert status == {"dues-soon:4": "sent", "dues-soon:5": "queued", "transfer-in:4": "queued"}


def test_quiet_hours_off_texts_at_night(phone_chair, django_capture_on_commit_callbacks):
    phone_chair.quiet_hours = False
    phone_chair.save()
    with time_machine.travel(local(TODAY, 23, 30), tick=False):
        send(django_capture_on_commit_callbacks, user=phone_chair, key="transfer-in:5", title="t")
    assert Delivery.objects.get(channel=SMS).status == "sent"


# --- retries and the rate limit ---------------------------------------------------------------------------------


def test_transient_failures_are_retried_with_backoff_then_fail(
    phone_chair, django_capture_on_commit_callbacks
):
    failure = SendResult.failed("isv.BUSINESS_LIMIT_CONTROL", "throttled", transient=True)
    start = local(TODAY, 10)
    with mock.patch.object(transports, "sms", return_value=("aliyun", failure)) as sms:
        with time_machine.travel(start, tick=False):
            send(django_capture_on_commit_callbacks, user=phone_chair, key="transfer-in:6", title="t")
        row = Delivery.objects.get(channel=SMS)
        assert (row.status, row.attempts, row.next_attempt_at) == (
            "queued",
            1,
            start + datetime.timedelta(minutes=1),
        )
        elapsed = 0
        for minutes in (1, 5, 30, 120):
            elapsed += minutes
            with time_machine.travel(start + datetime.timedelta(minutes=elapsed - 1), tick=False):
                assert service.sweep() == 0
            with time_machine.travel(start + datetime.timedelta(minutes=elapsed), tick=False):
                assert service.sweep() == 1
        row.refresh_from_db()
        assert (row.status, row.attempts, row.provider, row.error_code) == (
            "failed",
            5,
            "aliyun",
            "isv.BUSINESS_LIMIT_CONTROL",
        )
        assert sms.call_count == 5
        with time_machine.travel(start + datetime.timedelta(days=1), tick=False):
            assert service.sweep() == 0


def test_a_permanent_failure_is_not_retried(phone_chair, django_capture_on_commit_callbacks):
    with mock.patch.object(
        transports, "sms", return_value=("aliyun", SendResult.failed("isv.MOBILE_NUMBER_ILLEGAL"))
    ):
        send(django_capture_on_commit_callbacks, user=phone_chair, key="transfer-in:7", title="t")
    assert Delivery.objects.get(channel=SMS).status == "failed"


def test_a_claimed_delivery_is_sent_once(phone_chair, sms_log, django_capture_on_commit_callbacks):
    with time_machine.travel(local(TODAY, 23), tick=False):
        send(django_capture_on_commit_callbacks, user=phone_chair, key="transfer-in:8", title="t")
    row = Delivery.objects.get(channel=SMS)
    with time_machine.travel(local(TODAY + datetime.timedelta(days=1), 9), tick=False):
        assert service.deliver(row.pk) == "sent"
        assert service.deliver(row.pk) is None
        assert service.sweep() == 0
    assert len(texts(sms_log)) == 1


def test_the_rate_limit_holds_texts_and_releases_them(
    phone_chair, settings, sms_log, django_capture_on_commit_callbacks
):
    settings.NOTIFY_SMS_PER_HOUR = 2
    start = local(TODAY, 10)
    for number in range(3):
        with time_machine.travel(start + datetime.timedelta(minutes=number), tick=False):
            send(
                django_capture_on_commit_callbacks,
                user=phone_chair,
                key=f"transfer-in:{20 + number}",
                title="t",
            )
    held = Delivery.objects.get(key="transfer-in:22", channel=SMS)
    assert held.status == "held" and held.attempts == 0
    assert held.next_attempt_at == start + datetime.timedelta(hours=1)
    assert len(texts(sms_log)) == 2
    with time_machine.travel(start + datetime.timedelta(minutes=59), tick=False):
        service.sweep()
    assert len(texts(sms_log)) == 2
    with time_machine.travel(start + datetime.timedelta(hours=1), tick=False):
        service.sweep()
    assert Delivery.objects.get(pk=held.pk).status == "sent" and len(texts(sms_log)) == 3


# --- the digest ---------------------------------------------------------------------------------------------------


def test_the_daily_digest_sends_routine_copies_as_one_email(phone_chair, django_capture_on_commit_callbacks):
    phone_chair.daily_digest = True
    phone_chair.save()
    send(
        django_capture_on_commit_callbacks,
        user=phone_chair,
        key="honour-result:1",
        title="评选结果",
        url="/h/1/",
    )
    send(django_capture_on_commit_callbacks, user=phone_chair, key="perks-agreement:1:x", title="协议到期")
    send(django_capture_on_commit_callbacks, user=phone_chair, key="dues-overdue:1", title="会费逾期")
    assert [m.subject for m in mail.outbox] == ["会费逾期"]
    assert service.send_digests() == 1
    assert service.send_digests() == 0
    assert len(mail.outbox) == 2
    digest = mail.outbox[1]
    assert "评选结果" in digest.body and "协议到期" in digest.body and "/h/1/" in digest.body
    assert set(Delivery.objects.filter(channel=EMAIL).values_list("status", flat=True)) == {"sent"}


# --- manage.py send_test_notice ---------------------------------------------------------------------------------------


def run_command(*args):
    out = mock.MagicMock()
    lines = []
    out.write.side_effect = lines.append
    code = 0
    try:
        call_command("send_test_notice", *args, stdout=out)
    except SystemExit as exit_:
        code = exit_.code
    return "".join(lines).strip(), code


def test_send_test_notice_sends_through_the_real_path(phone_chair, sms_log):
    assert run_command("--user", "chair_a", "--channel", "sms") == ("sent", 0)
    assert texts(sms_log)[0].startswith("13812345678\t")
    assert Delivery.objects.get(channel=SMS).status == "sent"
    assert run_command("--user", "chair_a", "--channel", "email") == ("sent", 0)
    assert len(mail.outbox) == 1
    assert run_command("--user", "chair_a", "--channel", "inapp") == ("sent", 0)
    assert Notice.objects.filter(user=phone_chair).count() == 3


def test_send_test_notice_fails_in_words(phone_chair, outsider):
    assert run_command("--user", "nobody", "--channel", "inapp") == ("failed: 没有用户名为 nobody 的用户", 1)
    out, code = run_command("--user", "outsider", "--channel", "sms")
    assert code == 1 and out.startswith("failed: ") and len(out) > len("failed: ")
    out, code = run_command("--user", "chair_a", "--channel", "wecom")
    assert code == 1 and out.startswith("failed: ")
    with mock.patch.object(
        transports, "sms", return_value=("aliyun", SendResult.failed("isv.DENIED", "sign refused"))
    ):
        assert run_command("--user", "chair_a", "--channel", "sms") == ("failed: sign refused", 1)
    phone_chair.wecom_userid = "zhang"
    phone_chair.save()
    with mock.patch.object(transports, "wecom_app", return_value=SendResult.sent("m1")):
        assert run_command("--user", "chair_a", "--channel", "wecom") == ("sent", 0)


def test_the_sms_template_gets_the_kind_and_the_link(phone_chair, django_capture_on_commit_callbacks):
    with mock.patch.object(transports, "sms", return_value=("aliyun", SendResult.sent("r1"))) as sms:
        send(
            django_capture_on_commit_callbacks,
            user=phone_chair,
            key="dues-soon:30",
            title="t",
            body="秘密",
            url="/d/",
        )
    (phone, text), kwargs = sms.call_args
    assert phone == "13812345678" and "秘密" not in text
    assert kwargs["params"] == {"kind": "会费即将到期", "link": "https://union.example.cn/d/"}
    assert Delivery.objects.get(channel=SMS).provider_id == "r1"
