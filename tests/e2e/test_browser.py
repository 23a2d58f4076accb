"""End to end in a real browser: Debian's Chromium driven by Playwright against the live server."""

import os

import pytest

from tests.e2e.conftest import CHROMIUM

pytestmark = [
    pytest.mark.e2e,
    # The live server needs committed data; keep what migrations loaded for the tests after.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(not os.path.exists(CHROMIUM), reason="Debian's chromium package is not installed"),
]


def test_chair_logs_in_searches_and_sees_only_their_union(
    live_server, browser_page, chair_a, member_a, member_b
):
    page = browser_page
    page.goto(live_server.url + "/accounts/login/")
    page.fill("input[name=username]", "chair_a")
    page.fill("input[name=password]", "pw-chair_a")
    page.click("main form button[type=submit]")
    page.wait_for_url(live_server.url + "/")
    assert "HN001" in page.content()

    page.click("nav.mainnav >> text=会员")
    page.wait_for_selector("#member-table")
    # htmx binds the search box once the page has loaded: typing before that would send nothing (on a
    # loaded CI machine the table can be there well before the scripts have run).
    page.wait_for_load_state("load")
    page.wait_for_function("() => window.htmx !== undefined")
    table = page.inner_text("#member-table")
    assert "王小明" in table and "李小红" not in table
    assert "3304**********1237" in table and "330481197001011237" not in table

    # The search box updates the table in place (htmx) as the chair types.
    page.fill("input[name=q]", "李小红")
    page.wait_for_function("() => !document.querySelector('#member-table').innerText.includes('王小明')")
    assert "李小红" not in page.inner_text("#member-table")

    page.fill("input[name=q]", "王")
    page.wait_for_selector("#member-table >> text=王小明")

    # A forged URL to another union's member answers "not found".
    response = page.goto(live_server.url + member_b.get_absolute_url())
    assert response.status == 404


def test_chair_uploads_a_dues_sheet_fixes_nothing_and_commits(
    live_server, browser_page, chair_a, member_a, tmp_path
):
    import csv

    from members.models import DuesPeriod, DuesUpload

    sheet = tmp_path / "十月会费.csv"
    with sheet.open("w", encoding="gb18030", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["2026年10月会费申报表"])
        writer.writerow(["姓名", "身份证号码", "月工资基数"])
        writer.writerow(["王小明", member_a.id_number, "6,000.00"])
        writer.writerow(["合计", "", "6,000.00"])
    page = browser_page
    page.goto(live_server.url + "/accounts/login/")
    page.fill("input[name=username]", "chair_a")
    page.fill("input[name=password]", "pw-chair_a")
    page.click("main form button[type=submit]")
    page.wait_for_url(live_server.url + "/")

    page.goto(live_server.url + f"/unions/{member_a.union_id}/dues/")
    # The period is chosen from the union's open periods; another one is written as people write it.
    page.select_option("select[name=period]", "other")
    page.fill("input[name=period_other]", "2026年10月")
    page.set_input_files("input[name=file]", str(sheet))
    page.click("#upload button[type=submit]")
    page.wait_for_selector("text=确认提交")
    assert "¥6,000.00" in page.content() and "¥120.00" in page.content()  # payroll, 2% funds

    page.click("text=确认提交")
    page.wait_for_selector(".status-committed")
    upload = DuesUpload.objects.get()
    assert upload.status == "committed"
    assert DuesPeriod.objects.get(union_id=member_a.union_id, label="2026-10").funds_due == 120


def test_cadre_logs_a_duty_day_on_a_phone_and_staff_confirm(live_server, browser_page, cadre_a, staff):
    import datetime

    from django.utils import timezone

    from secondment.models import DutyDay, DutyLog
    from secondment.rules import cycle_start

    day = timezone.localdate() - datetime.timedelta(days=1)
    DutyDay.objects.create(term=cadre_a.term, date=day, cycle_start=cycle_start(day))
    page = browser_page
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(live_server.url + "/accounts/login/")
    page.fill("input[name=username]", "cadre_a")
    page.fill("input[name=password]", "pw-cadre_a")
    page.click("main form button[type=submit]")
    page.wait_for_url(live_server.url + "/")

    page.goto(live_server.url + "/secondment/my/")
    page.click(f"a[href='/secondment/my/log/{day.isoformat()}/']")
    page.fill("input[name=arrived_at]", "08:40")
    page.fill("input[name=left_at]", "17:10")
    page.check("text=维权接待")
    page.fill("textarea[name=notes]", "接待欠薪投诉两起，已登记转维权站")
    page.click("main form button[type=submit]")
    page.wait_for_url(live_server.url + "/secondment/my/")
    assert "待确认" in page.content()
    log = DutyLog.objects.get()
    assert log.activities == ["grievance_intake"] and log.arrived_at == datetime.time(8, 40)

    page.context.clear_cookies()  # a staff member at their desk
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(live_server.url + "/accounts/login/")
    page.fill("input[name=username]", "staff")
    page.fill("input[name=password]", "pw-staff")
    page.click("main form button[type=submit]")
    page.wait_for_url(live_server.url + "/")
    page.goto(live_server.url + "/secondment/logs/")
    page.click("button:has-text('确认')")
    page.wait_for_selector("text=已确认")
    log.refresh_from_db()
    assert log.status == "confirmed"


def test_a_worker_complains_on_a_phone_and_follows_the_case(live_server, browser_page):
    from grievances.models import Case, CaseEvent

    page = browser_page
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(live_server.url + "/complaint/")
    page.select_option("select[name=type]", "complaint")
    page.select_option("select[name=category]", "wage_arrears")
    page.fill(
        "textarea[name=description]", "公司已拖欠我们班组三个月工资，共约两万元，老板一直推说资金紧张。"
    )
    page.fill("input[name=employer_name]", "某某建筑劳务有限公司")
    page.fill("input[name=complainant_name]", "张建国")
    page.fill("input[name=complainant_phone]", "13912345678")
    page.click("main form button[type=submit]")
    page.wait_for_selector("#tracking-code")
    number, code = page.inner_text("#case-number").strip(), page.inner_text("#tracking-code").strip()
    case = Case.objects.get(number=number)
    assert case.channel == "web" and case.complainant_name == "张建国" and code not in case.tracking_code_hash
    CaseEvent.objects.create(
        case=case, kind="reply", at=case.created_at, text="已受理，承办人将与您联系。", public=True
    )
    CaseEvent.objects.create(case=case, kind="note", at=case.created_at, text="内部：用人单位法人电话未接通")

    page.goto(live_server.url + "/complaint/track/")
    page.fill("input[name=number]", number)
    page.fill("input[name=code]", code.lower().replace("-", ""))  # typed loosely
    page.click("main form button[type=submit]")
    page.wait_for_selector("text=已受理，承办人将与您联系。")
    content = page.content()
    assert "内部" not in content and "张建国" not in content and "13912345678" not in content


def test_chair_nominates_a_member_with_evidence_and_reads_the_rules(
    live_server, browser_page, staff, chair_a, member_a, member_b, tmp_path
):
    import datetime

    from django.utils import timezone

    from honours import services as honours
    from honours.models import AwardLevel, HonourNomination, NomineeKind
    from unionhub.models import Rule
    from unionhub.rules_library import create_rule

    today = timezone.localdate()
    award = honours.save_award_type(
        by=staff,
        name="劳动模范",
        level=AwardLevel.DISTRICT,
        nominee_kind=NomineeKind.MEMBER,
        items=[{"title": "工作业绩", "max_points": 100}],
    )
    award_round = honours.open_round(
        by=staff,
        award_type=award,
        year=today.year,
        opens_on=today,
        closes_on=today + datetime.timedelta(days=10),
        quota=3,
    )
    create_rule(
        number="HNZGH-CW-01",
        title="工会经费（会费）收缴管理办法",
        category=Rule.Category.FINANCE,
        programme=Rule.Programme.DUES,
        text="第一条 为规范会费收缴管理，制定本办法。",
        effective_on=today - datetime.timedelta(days=30),
        by=staff,
    )
    evidence = tmp_path / "先进事迹.pdf"
    evidence.write_bytes(b"%PDF-1.4\n%test\n%%EOF\n")

    page = browser_page
    page.goto(live_server.url + "/accounts/login/")
    page.fill("input[name=username]", "chair_a")
    page.fill("input[name=password]", "pw-chair_a")
    page.click("main form button[type=submit]")
    page.wait_for_url(live_server.url + "/")
    # The dashboard tells the chair a round is taking nominations.
    page.click(f"main a[href='{award_round.get_absolute_url()}']")

    # Another union's member is refused with the reason, and nothing is written.
    page.goto(live_server.url + f"/honours/rounds/{award_round.pk}/nominate/")
    page.fill("input[name=id_number]", member_b.id_number)
    page.fill("textarea[name=statement]", "连续三年被评为公司优秀员工。")
    page.click("main form button[type=submit]")
    page.wait_for_selector(".errorbox, .field .error")
    assert not HonourNomination.objects.exists()

    page.fill("input[name=id_number]", member_a.id_number)
    page.set_input_files("input[name=evidence]", str(evidence))
    page.click("main form button[type=submit]")
    page.wait_for_selector(f"text={member_a.name}")
    nomination = HonourNomination.objects.get()
    assert nomination.nominee_member == member_a and nomination.evidence.count() == 1

    # The rules library finds a Chinese word inside the text and highlights it.
    page.goto(live_server.url + "/rules/?q=会费")
    assert "HNZGH-CW-01" in page.inner_text("main")
    assert page.locator("mark").first.inner_text() == "会费"


def test_filters_submit_on_change_and_withdrawals_ask_first_under_the_policy(
    live_server, browser_page, aid_staff
):
    """The behaviours that were inline handlers (static/js/app.js now) still work with script-src 'self'."""
    page = browser_page
    page.goto(live_server.url + "/accounts/login/")
    page.fill("input[name=username]", "aidstaff")
    page.fill("input[name=password]", "pw-aidstaff")
    page.click("main form button[type=submit]")
    page.wait_for_url(live_server.url + "/")
    page.goto(live_server.url + "/aid/fund/")
    kinds = page.eval_on_selector_all(
        "form.filters select[name=kind] option", "options => options.map(o => o.value)"
    )
    page.select_option("form.filters select[name=kind]", kinds[1])
    page.wait_for_url(lambda url: f"kind={kinds[1]}" in url)

    # A button marked data-confirm does nothing when the question is dismissed.
    page.evaluate(
        """() => { const b = document.createElement('a'); b.id = 'probe'; b.href = '#went';
                   b.dataset.confirm = '?'; b.textContent = 'probe'; document.body.append(b); }"""
    )
    page.once("dialog", lambda dialog: dialog.dismiss())
    page.click("#probe")
    assert not page.url.endswith("#went")
    page.once("dialog", lambda dialog: dialog.accept())
    page.click("#probe")
    page.wait_for_url("**#went")


# --- the counter's QR reader (issue 19) ---------------------------------------------------------


def _qr_video(path, text: str, width: int = 640, height: int = 480, frames: int = 10):
    """A Y4M video of the QR code of ``text`` on white, for Chromium's fake camera: the QR printed on a
    card, held in front of the phone."""
    import qrcode

    code = qrcode.QRCode(border=4, error_correction=qrcode.constants.ERROR_CORRECT_M)
    code.add_data(text)
    code.make(fit=True)
    matrix = code.get_matrix()
    scale = min(width, height) * 3 // 4 // len(matrix)
    left, top = (width - scale * len(matrix)) // 2, (height - scale * len(matrix)) // 2
    luma = bytearray([235]) * (width * height)
    for y, row in enumerate(matrix):
        for x, dark in enumerate(row):
            if dark:
                for dy in range(scale):
                    start = (top + y * scale + dy) * width + left + x * scale
                    luma[start : start + scale] = bytes([16]) * scale
    chroma = bytes([128]) * (width * height // 4)
    with open(path, "wb") as video:
        video.write(f"YUV4MPEG2 W{width} H{height} F10:1 Ip A1:1 C420jpeg\n".encode())
        for _ in range(frames):
            video.write(b"FRAME\n" + bytes(luma) + chroma + chroma)


def _counter_page(playwright, args, *, permissions=()):
    browser = playwright.chromium.launch(
        executable_path=CHROMIUM, headless=True, args=["--no-sandbox", "--disable-gpu", *args]
    )
    context = browser.new_context(
        locale="zh-CN", viewport={"width": 390, "height": 844}, permissions=list(permissions)
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    violations = []
    page.on("console", lambda m: "Content Security Policy" in m.text and violations.append(m.text))
    return browser, page, violations


def _counter_login(page, live_server):
    page.goto(live_server.url + "/accounts/login/")
    page.fill("input[name=username]", "merchant")
    page.fill("input[name=password]", "pw-merchant")
    page.click("main form button[type=submit]")
    page.wait_for_url("**/perks/check/")


def test_counter_scans_the_cards_qr_code_with_the_phone_camera(
    live_server, monkeypatch, tmp_path, merchant, staff, member_a
):
    """Chromium's fake camera plays a video of the card's QR code: the page reads it (jsQR here, as
    Chromium on Linux has no BarcodeDetector), fills the field and checks the card."""
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    from perks.models import CardCheck
    from perks.services import cards

    card = cards.issue_card(by=staff, member=member_a)
    video = tmp_path / "card-qr.y4m"
    _qr_video(video, card.number)
    with sync_playwright() as playwright:
        browser, page, violations = _counter_page(
            playwright,
            [
                "--use-fake-ui-for-media-stream",
                "--use-fake-device-for-media-stream",
                f"--use-file-for-fake-video-capture={video}",
            ],
            permissions=["camera"],
        )
        _counter_login(page, live_server)
        page.click("button[data-scan-start]")
        page.wait_for_selector("#verdict.valid", timeout=20_000)
        assert "王*明" in page.inner_text("#verdict")
        assert page.input_value("input[name=number]") == ""  # a fresh field for the next card
        browser.close()
    assert not violations, violations
    assert CardCheck.objects.get().card == card


def test_counter_without_a_camera_says_so_and_keeps_typing(
    live_server, monkeypatch, merchant, staff, member_a
):
    """Camera refused: the page says so and the number is typed instead; a typo keeps the number in the
    field with the hint that a digit was mistyped."""
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    from perks.services import cards

    card = cards.issue_card(by=staff, member=member_a)
    typo = card.number[:-1] + str((int(card.number[-1]) + 1) % 10)
    with sync_playwright() as playwright:
        browser, page, violations = _counter_page(playwright, ["--use-fake-device-for-media-stream"])
        page.context.grant_permissions([])  # no camera permission: getUserMedia is refused
        _counter_login(page, live_server)
        # All 16 digits and their group spaces fit in the field on a 390 px phone.
        fits = page.eval_on_selector(
            "input[name=number]",
            "el => { el.value = '8860 0000 0000 0017'; return el.scrollWidth <= el.clientWidth; }",
        )
        assert fits
        page.click("button[data-scan-start]")
        page.wait_for_function("() => document.querySelector('[data-scan-note]').innerText.includes('输入')")
        assert page.is_hidden("[data-scan-view]")
        page.fill("input[name=number]", cards.group_number(typo))
        page.click("main form button[type=submit]:has-text('验卡')")
        page.wait_for_selector("#verdict.refused")
        assert "可能有一位数字输错" in page.inner_text("#verdict")
        assert page.input_value("input[name=number]").replace(" ", "") == typo
        browser.close()
    assert not violations, violations


def test_counter_over_plain_http_explains_the_camera_needs_https(live_server, monkeypatch, merchant):
    """A phone opening the counter over plain http (not a secure context) gets no camera: the page
    hides the scan button and says why, once, in the help text."""
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser, page, violations = _counter_page(playwright, [])
        # localhost counts as secure; pretend it is a LAN address over http.
        page.add_init_script("Object.defineProperty(window, 'isSecureContext', {value: false})")
        _counter_login(page, live_server)
        page.wait_for_selector("[data-scan-note]:not([hidden])")
        assert "HTTPS" in page.inner_text("[data-scan-note]")
        assert page.is_hidden("button[data-scan-start]")
        browser.close()
    assert not violations, violations


def test_a_former_cadre_reaches_their_certificate_on_a_phone_through_the_menu(
    live_server, browser_page, union_a
):
    """Issue 19: a cadre whose year is over opens the phone menu (a list, not a red screen), finds "我的上挂" and
    downloads their certificate."""
    import datetime

    from django.core.files.base import ContentFile

    from secondment.models import Certificate, SecondmentTerm
    from tests.factories import PDF, TODAY, make_user

    today = TODAY
    former = make_user("former", name="林晓华")
    term = SecondmentTerm.objects.create(
        cadre=former,
        union=union_a,
        start_date=today - datetime.timedelta(days=400),
        end_date=today - datetime.timedelta(days=36),
        status=SecondmentTerm.Status.COMPLETED,
    )
    certificate = Certificate.objects.create(
        term=term, number="SG-2026-0056", issued_on=today - datetime.timedelta(days=26), grade="pass"
    )
    certificate.pdf.save("SG-2026-0056.pdf", ContentFile(PDF))

    page = browser_page
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(live_server.url + "/accounts/login/")
    page.fill("input[name=username]", "former")
    page.fill("input[name=password]", "pw-former")
    page.click("main form button[type=submit]")
    page.wait_for_url(live_server.url + "/")
    assert "您的账号尚未分配角色" not in page.content()

    menu = page.locator("nav.mainnav")
    assert not menu.is_visible()  # folded away on a phone
    page.click("label.navbutton")
    assert menu.is_visible()
    # A usable list: full-width white rows with dark text under the red bar, one link a row.
    box = menu.bounding_box()
    assert box["width"] >= 380 and box["y"] < 120
    link = menu.get_by_role("link", name="我的上挂")
    background = menu.evaluate("n => getComputedStyle(n).backgroundColor")
    colour = link.evaluate("n => getComputedStyle(n).color")
    assert (background, colour) == ("rgb(255, 255, 255)", "rgb(31, 35, 40)")
    first, second = menu.locator("a").nth(0).bounding_box(), link.bounding_box()
    assert second["y"] > first["y"] and abs(second["x"] - first["x"]) < 2

    link.click()
    page.wait_for_url(live_server.url + "/secondment/my/secondment/")
    assert "SG-2026-0056" in page.content()
    download = page.get_by_role("link", name="下载结业证书（PDF）")
    response = page.request.get(live_server.url + download.get_attribute("href"))
    assert response.status == 200 and response.body().startswith(b"%PDF")


def test_a_worker_fails_then_succeeds_with_a_complaint_on_a_phone(live_server, browser_page, tmp_path):
    """Issue 19: after a refused submit the phone shows the first faulty field (scrolled to and focused),
    the description counts its characters as they are typed, and a photo that was attached is said to be
    lost next to its field."""
    from grievances.models import Case
    from tests.factories import PNG

    photo = tmp_path / "工资条.png"
    photo.write_bytes(PNG)
    page = browser_page
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(live_server.url + "/complaint/")
    page.wait_for_load_state("load")
    page.select_option("select[name=category]", "wage_arrears")
    page.fill("textarea[name=description]", "老板欠薪")
    page.wait_for_selector(".char-counter.short")
    assert "还需 16 字" in page.inner_text(".char-counter")
    page.fill("input[name=employer_name]", "某某建筑劳务有限公司")
    page.set_input_files("input[name=evidence]", str(photo))
    page.click("main form button[type=submit]")

    page.wait_for_selector("#error-summary")
    page.wait_for_load_state("load")
    page.wait_for_function(
        "() => document.activeElement && document.activeElement.closest('.field.has-error')"
    )
    first_error = page.locator(".field.has-error").first
    assert "textarea" in first_error.inner_html()  # the description comes first on the form
    box = first_error.bounding_box()
    assert box is not None and 0 <= box["y"] < 844, box  # in view on the phone, not below the fold
    assert page.locator(".evidence-lost").is_visible()
    assert "照片未保存，请重新选择" in page.inner_text(".evidence-lost")
    assert not Case.objects.exists()

    page.fill(
        "textarea[name=description]", "公司已拖欠我们班组三个月工资，共约两万元，老板一直推说资金紧张。"
    )
    page.wait_for_selector(".char-counter.enough")
    page.fill("input[name=complainant_name]", "张建国")
    page.fill("input[name=complainant_phone]", "13912345678")
    page.set_input_files("input[name=evidence]", str(photo))
    page.click("main form button[type=submit]")
    page.wait_for_selector("#tracking-code")
    case = Case.objects.get()
    assert case.channel == "web" and case.evidence.count() == 1 and case.callback_due is not None


def test_staff_see_a_new_web_complaint_on_the_dashboard(live_server, browser_page, casework_staff):
    """Issue 19: a complaint sent on the web reaches the casework duty: a notice, and the dashboard's
    "未分派 N 件" card listing it, which leads to the case."""
    from grievances.models import Case
    from unionhub.models import Notice

    page = browser_page
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(live_server.url + "/complaint/")
    page.select_option("select[name=category]", "social_insurance")
    page.fill(
        "textarea[name=description]", "入职一年多公司一直没有给我缴纳社会保险，人事说不清楚什么时候补缴。"
    )
    page.fill("input[name=employer_name]", "某某皮革制品有限公司")
    page.fill("input[name=complainant_name]", "李春梅")
    page.fill("input[name=complainant_phone]", "13812345670")
    page.click("main form button[type=submit]")
    page.wait_for_selector("#tracking-code")
    case = Case.objects.get()
    assert Notice.objects.filter(user=casework_staff, key=f"case-new:{case.pk}").exists()

    page.context.clear_cookies()
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(live_server.url + "/accounts/login/")
    page.fill("input[name=username]", "casework")
    page.fill("input[name=password]", "pw-casework")
    page.click("main form button[type=submit]")
    page.wait_for_url(live_server.url + "/")
    card = page.locator("#unassigned-cases")
    assert card.locator("h2").inner_text().strip() == "未分派 1 件"
    assert "李春梅" not in card.inner_text() and "13812345670" not in card.inner_text()
    card.locator(f"a[href='{case.get_absolute_url()}']").click()
    page.wait_for_url(live_server.url + case.get_absolute_url())
    assert page.locator("[data-deadline=callback]").count() == 1
