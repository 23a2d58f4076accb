"""The member area on a 390 px phone, in a real browser: sign in with the code from the SMS log, accept the
privacy notice, show the card, sign up for an activity."""

import datetime

import pytest
from django.utils import timezone

from associations.models import Association
from associations.services import activities
from perks.services import cards
from tests.e2e.conftest import CHROMIUM
from tests.factories import code_from_sms_log

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(
        not __import__("os").path.exists(CHROMIUM), reason="Debian's chromium is not installed"
    ),
]


def test_a_member_signs_in_shows_the_card_and_signs_up_on_a_phone(
    live_server,
    browser_page,
    settings,
    tmp_path,
    staff,
    member_a,
    assoc_chair,
):
    settings.SMS_BACKEND = "unionhub.channels.console.ConsoleSms"
    settings.SMS_LOG_FILE = tmp_path / "sms.log"
    card = cards.issue_card(by=staff, member=member_a)
    start = timezone.now() + datetime.timedelta(days=10)
    activities.create_activity(
        by=assoc_chair,
        association=Association.objects.get(chair=assoc_chair),
        title="社区志愿服务日",
        kind="volunteering",
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=3),
        venue="鹃湖公园",
        capacity=20,
        signup_deadline=timezone.now() + datetime.timedelta(days=8),
        eligibility="all_members",
    )
    page = browser_page
    page.set_viewport_size({"width": 390, "height": 844})

    page.goto(live_server.url + "/m/login/")
    page.fill("input[name=phone]", member_a.phone)
    page.click("button:has-text('获取验证码')")
    page.wait_for_url("**/m/login/code/**")
    assert "如该手机号已登记，验证码已发送" in page.content()
    page.fill("input[name=code]", code_from_sms_log(settings.SMS_LOG_FILE, member_a.phone))
    page.click("button:has-text('登录')")

    page.wait_for_url("**/m/privacy/**")
    page.check("input[name=accept]")
    page.click("button:has-text('同意并继续')")
    page.wait_for_url(live_server.url + "/m/")
    assert member_a.name in page.content()
    # Nothing wider than the phone: no sideways scrolling.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390

    page.click("nav.m-tabs >> text=会员卡")
    page.wait_for_url("**/m/card/")
    shown = "".join(page.inner_text(".m-cardno").split())
    assert shown == card.number
    assert page.locator(".m-qr svg").count() == 1

    page.click("nav.m-tabs >> text=活动")
    page.wait_for_url("**/m/activities/")
    page.click("text=社区志愿服务日")
    page.click("button:has-text('报名')")
    page.wait_for_load_state("load")
    assert member_a.signups.filter(activity__title="社区志愿服务日").exists()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
