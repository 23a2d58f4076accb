"""The rules library (制度汇编): rules and their versions (a superseded version stays readable, a
future-dated one is upcoming), the refusals that write nothing, a rule superseded by another, the
search in Chinese with its escaped snippets, sanitised Markdown, the "rules that govern this work" box,
the demo library, and who may read and who may publish."""

import random
import re

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import DAY, PDF, TODAY
from unionhub import rules_library as library
from unionhub.demo_rules import seed_rules
from unionhub.models import Rule, RuleVersion

LAST_YEAR = TODAY - 365 * DAY
DUES_TEXT = """## 第一章 总则

**第一条** 为规范工会经费和会费收缴管理，根据《中华人民共和国工会法》制定本办法。

**第二条** 会员按本人每月工资收入的千分之五缴纳会费，由基层工会按月收缴。
"""


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def pdf(name="rule.pdf", content=PDF):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def make_rule(
    by,
    *,
    number="HNZGH-CW-01",
    title="工会经费（会费）收缴管理办法",
    category="finance",
    programme="dues",
    text=DUES_TEXT,
    effective_on=LAST_YEAR,
    **extra,
):
    return library.create_rule(
        number=number,
        title=title,
        category=category,
        programme=programme,
        text=text,
        effective_on=effective_on,
        change_note="首次发布",
        by=by,
        **extra,
    )


def publish(rule, by, text, effective_on=TODAY, **extra):
    return library.publish_version(
        rule=rule, text=text, effective_on=effective_on, change_note="修订", by=by, **extra
    )


def english_page(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.fixture
def dues_rule(staff):
    return make_rule(staff)


def nothing_written(tmp_path, versions_before):
    assert RuleVersion.objects.count() == versions_before
    assert not any(path.is_file() for path in tmp_path.rglob("*"))


# --- versions --------------------------------------------------------------------------------


class TestVersions:
    def test_a_new_rule_has_version_one_and_publishing_numbers_on(self, staff, dues_rule):
        first = dues_rule.versions.get()
        assert (first.version, first.effective_on, first.published_by) == (1, LAST_YEAR, staff)
        assert first.search_text.startswith("工会经费(会费)收缴管理办法")  # title, NFKC (（ → ()
        assert "千分之五" in first.search_text and "**" not in first.search_text
        second = publish(dues_rule, staff, DUES_TEXT + "\n**第三条** 会费按季度报告。", TODAY - 30 * DAY)
        third = publish(dues_rule, staff, DUES_TEXT + "\n**第三条** 会费按月报告。", TODAY)
        assert [second.version, third.version] == [2, 3]
        assert library.current_version(dues_rule) == third
        assert [library.version_state(v, third) for v in (first, second, third)] == [
            "superseded",
            "superseded",
            "current",
        ]

    def test_a_superseded_version_stays_readable_and_marked(self, client, staff, chair_a, dues_rule):
        publish(dues_rule, staff, DUES_TEXT.replace("千分之五", "千分之六"))
        english_page(client).force_login(chair_a)
        old = client.get(reverse("rules:version_detail", kwargs={"pk": dues_rule.pk, "version": 1}))
        assert old.status_code == 200 and old.context["state"] == "superseded"
        assert "千分之五" in old.text and "Version 1 is superseded by version 2" in old.text
        current = client.get(dues_rule.get_absolute_url())
        assert current.context["version"].version == 2 and "千分之六" in current.text
        assert "千分之五" not in current.text

    def test_a_future_version_is_upcoming_not_current(self, client, staff, chair_a, dues_rule):
        upcoming = publish(dues_rule, staff, DUES_TEXT.replace("按月收缴", "按季度收缴"), TODAY + 30 * DAY)
        assert library.current_version(dues_rule).version == 1
        assert library.version_state(upcoming, library.current_version(dues_rule)) == "upcoming"
        english_page(client).force_login(chair_a)
        page = client.get(dues_rule.get_absolute_url())
        assert page.context["version"].version == 1 and "按月收缴" in page.text
        assert "Version 2 has been published and takes effect on" in page.text
        ahead = client.get(reverse("rules:version_detail", kwargs={"pk": dues_rule.pk, "version": 2}))
        assert ahead.context["state"] == "upcoming" and "Version 2 is upcoming" in ahead.text
        assert library.search_rules("按季度收缴").count() == 0  # not in force yet
        assert library.search_rules("按季度收缴", include_superseded=True)[0].state == "upcoming"

    def test_a_rule_only_in_a_pdf(self, client, staff, chair_a):
        rule = make_rule(staff, number="HNZGH-CW-09", title="财务报销管理制度", text="", pdf=pdf("报销.pdf"))
        version = rule.versions.get()
        # Stored under a random name in the rule's folder (unionhub.storage), never the client's.
        assert re.fullmatch(r"rules/HNZGH-CW-09/[A-Za-z0-9_-]{22}\.pdf", version.pdf.name)
        assert version.text == ""
        client.force_login(chair_a)
        response = client.get(reverse("rules:version_pdf", kwargs={"pk": rule.pk, "version": 1}))
        assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
        assert b"".join(response.streaming_content) == PDF
        assert (
            client.get(reverse("rules:version_pdf", kwargs={"pk": rule.pk, "version": 2})).status_code == 404
        )


@pytest.mark.usefixtures("english")
class TestRefusals:
    def test_neither_text_nor_pdf(self, staff, dues_rule, tmp_path):
        with pytest.raises(ValidationError, match="text or attach it as a PDF"):
            publish(dues_rule, staff, "   ")
        with pytest.raises(ValidationError, match="text or attach it as a PDF"):
            make_rule(staff, number="HNZGH-X-1", text="")
        nothing_written(tmp_path, 1)
        assert Rule.objects.count() == 1

    def test_a_file_that_is_not_a_pdf(self, staff, dues_rule, tmp_path):
        fake = pdf("规定.pdf", b"<html><script>alert(1)</script></html>")
        with pytest.raises(ValidationError, match="is not a PDF file"):
            publish(dues_rule, staff, "", pdf=fake)
        with pytest.raises(ValidationError, match="is not a PDF file"):
            make_rule(
                staff, number="HNZGH-X-2", text="正文", pdf=pdf("x.pdf", b"\x89PNG\r\n\x1a\n" + b"0" * 20)
            )
        nothing_written(tmp_path, 1)

    def test_a_pdf_over_10_mb(self, staff, dues_rule, tmp_path):
        big = pdf("big.pdf", PDF + b"0" * (10 * 1024 * 1024))
        with pytest.raises(ValidationError, match="larger than 10 MB"):
            publish(dues_rule, staff, DUES_TEXT + "x", pdf=big)
        nothing_written(tmp_path, 1)

    def test_an_effective_date_before_the_latest_version(self, staff, dues_rule, tmp_path):
        with pytest.raises(ValidationError, match="cannot take effect before version 1"):
            publish(dues_rule, staff, DUES_TEXT + "新条款", LAST_YEAR - DAY)
        nothing_written(tmp_path, 1)
        publish(dues_rule, staff, DUES_TEXT + "新条款", LAST_YEAR)  # the same day is allowed

    def test_the_same_version_twice(self, staff, dues_rule, tmp_path):
        publish(dues_rule, staff, DUES_TEXT + "新条款", TODAY)
        with pytest.raises(ValidationError, match="Version 2 already has this text and date"):
            publish(dues_rule, staff, DUES_TEXT + "新条款", TODAY)
        assert list(dues_rule.versions.values_list("version", flat=True)) == [2, 1]
        with pytest.raises(ValidationError, match="already exists"):
            make_rule(staff)
        assert Rule.objects.count() == 1

    def test_the_same_form_posted_twice(self, client, staff, dues_rule):
        client.force_login(staff)
        url = reverse("rules:version_create", kwargs={"pk": dues_rule.pk})
        form = {"text": DUES_TEXT + "第三条", "effective_on": TODAY.isoformat(), "change_note": "增加第三条"}
        assert client.post(url, form).status_code == 302
        again = client.post(url, form)
        assert again.status_code == 200 and again.context["form"].non_field_errors()
        assert dues_rule.versions.count() == 2


# --- superseded by another rule ---------------------------------------------------------------


@pytest.mark.usefixtures("english")
class TestSupersede:
    def test_a_rule_superseded_by_another(self, client, staff, chair_a, dues_rule):
        old = make_rule(
            staff,
            number="HNZGH-CW-02",
            title="基层工会会费收缴暂行办法",
            programme="dues",
            text="会员会费由基层工会每半年收缴一次。",
        )
        library.supersede_rule(rule=old, by_rule=dues_rule, by=staff)
        old.refresh_from_db()
        assert old.superseded_by == dues_rule
        english_page(client).force_login(chair_a)
        page = client.get(old.get_absolute_url())
        assert (
            page.status_code == 200
            and "This rule is superseded by rule" in page.text
            and "每半年" in page.text
        )
        listing = client.get(reverse("rules:rule_list"))
        assert [r.number for r in listing.context["superseded"]] == ["HNZGH-CW-02"]
        assert all(old not in rules for _label, rules in listing.context["groups"])
        assert library.search_rules("每半年").count() == 0
        assert library.search_rules("每半年", include_superseded=True)[0].rule_superseded

    def test_refusals(self, staff, dues_rule):
        other = make_rule(staff, number="HNZGH-CW-03", title="财务报销管理制度", programme="", text="报销。")
        with pytest.raises(ValidationError, match="cannot supersede itself"):
            library.supersede_rule(rule=other, by_rule=other, by=staff)
        library.supersede_rule(rule=other, by_rule=dues_rule, by=staff)
        with pytest.raises(ValidationError, match="already superseded"):
            library.supersede_rule(rule=other, by_rule=dues_rule, by=staff)
        with pytest.raises(ValidationError, match="itself superseded"):
            library.supersede_rule(rule=dues_rule, by_rule=other, by=staff)
        dues_rule.refresh_from_db()
        assert dues_rule.superseded_by is None


# --- search ------------------------------------------------------------------------------------


@pytest.fixture
def library_of_three(staff, dues_rule):
    secondment = make_rule(
        staff,
        number="HNZGH-GZ-01",
        title="企业工会干部上挂锻炼管理办法",
        category="secondment",
        programme="secondment",
        text="**第一条** 上挂干部每两周到区总工会值班一天，参与机关部室的日常工作，列席月度会议。会费不在此列。",
    )
    meeting = make_rule(
        staff,
        number="HNZGH-ZZ-01",
        title="机关月度办公会议制度",
        category="organisation",
        programme="",
        text="机关月度办公会议原则上每月第一周召开。\n\n使用 UnionHub 平台记录。",
    )
    return dues_rule, secondment, meeting


class TestSearch:
    def test_a_chinese_word_inside_a_sentence(self, library_of_three):
        found = list(library.search_rules("值班"))
        assert [hit.number for hit in found] == ["HNZGH-GZ-01"]
        assert "<mark>值班</mark>" in found[0].snippet

    def test_title_hits_first_then_by_number(self, library_of_three):
        assert [hit.number for hit in library.search_rules("会费")] == ["HNZGH-CW-01", "HNZGH-GZ-01"]
        assert [hit.number for hit in library.search_rules("会议")] == ["HNZGH-ZZ-01", "HNZGH-GZ-01"]
        assert [hit.number for hit in library.search_rules("上挂")] == ["HNZGH-GZ-01"]
        assert "<mark>上挂</mark>" in library.search_rules("上挂")[0].title_html

    def test_every_term_must_occur(self, library_of_three):
        assert [hit.number for hit in library.search_rules("会费 上挂")] == ["HNZGH-GZ-01"]
        assert [hit.number for hit in library.search_rules("会费\u3000千分之五")] == [
            "HNZGH-CW-01"
        ]  # ideographic space
        assert library.search_rules("会费 养老").count() == 0
        assert library.search_rules("养老").count() == 0
        assert library.search_rules("   ").count() == 0

    def test_width_and_case_do_not_matter(self, library_of_three):
        assert [hit.number for hit in library.search_rules("ｕｎｉｏｎhub")] == ["HNZGH-ZZ-01"]
        assert "<mark>UnionHub</mark>" in library.search_rules("unionhub")[0].snippet
        assert [hit.number for hit in library.search_rules("（会费）")] == ["HNZGH-CW-01"]

    def test_the_category_filter(self, library_of_three):
        assert [hit.number for hit in library.search_rules("会费", category="secondment")] == ["HNZGH-GZ-01"]

    def test_superseded_text_only_with_the_option(self, staff, library_of_three):
        dues_rule = library_of_three[0]
        publish(dues_rule, staff, DUES_TEXT.replace("千分之五", "百分之零点五"))
        assert library.search_rules("千分之五").count() == 0
        [hit] = library.search_rules("千分之五", include_superseded=True)
        assert (hit.version, hit.state) == (1, "superseded")
        assert hit.url == reverse("rules:version_detail", kwargs={"pk": dues_rule.pk, "version": 1})
        [current] = library.search_rules("会费 百分之零点五", include_superseded=True)
        assert (current.version, current.state, current.url) == (2, "current", dues_rule.get_absolute_url())

    def test_the_snippet_escapes_everything_but_the_mark(self, staff):
        make_rule(
            staff,
            text="前言" * 40 + '收入<2000元的，请注意 <b onclick="x()">会费</b> & 其他 '
            "<script>alert(1)</script>",
        )
        [hit] = library.search_rules("会费 其他")
        assert (
            hit.snippet.startswith("…")
            and "收入&lt;2000元的，请注意 <mark>会费</mark> &amp; <mark>其他</mark>" in hit.snippet
        )
        assert "<b" not in hit.snippet and "<script" not in hit.snippet and "alert" not in hit.snippet
        assert library.highlight("<i>会费</i>", ["会费"]) == "&lt;i&gt;<mark>会费</mark>&lt;/i&gt;"

    def test_the_search_page(self, client, chair_a, library_of_three):
        english_page(client).force_login(chair_a)
        page = client.get(reverse("rules:rule_list"), {"q": "会费 上挂"})
        assert page.status_code == 200 and page.context["page"].paginator.count == 1
        assert "<mark>会费</mark>" in page.text and "1 rule found" in page.text
        none = client.get(reverse("rules:rule_list"), {"q": "<养老>"})
        assert "No rule holds every word of “&lt;养老&gt;”" in none.text

    def test_pages_of_search_results_fetch_only_their_texts(self, staff):
        for n in range(6):
            make_rule(staff, number=f"HNZGH-T-{n}", title=f"制度{n}", text=f"第{n}条 会费")
        results = library.search_rules("会费")
        assert len(results) == 6
        with CaptureQueriesContext(connection) as ctx:
            page = results[2:4]
        assert len(ctx) == 1 and [hit.number for hit in page] == ["HNZGH-T-2", "HNZGH-T-3"]
        assert all(hit.snippet for hit in page) and not results._hits[0].snippet


# --- rendering ---------------------------------------------------------------------------------


def test_markdown_is_rendered_and_sanitised(client, staff, chair_a):
    text = (
        "## 第一章 总则\n\n**第一条** 正文。<script>alert('x')</script>\n\n<img src=x onerror=alert(1)>\n\n"
        "[上级文件](javascript:alert(1)) [法规库](https://flk.npc.gov.cn)\n\n| 甲 | 乙 |\n|---|---|\n| 1 | 2 |\n"
    )
    rule = make_rule(staff, text=text)
    client.force_login(chair_a)
    body = client.get(rule.get_absolute_url()).text
    assert "<h4>第一章 总则</h4>" in body and "<strong>第一条</strong>" in body and "<td>1</td>" in body
    assert "alert" not in body and "onerror" not in body and "<img" not in body and "javascript:" not in body
    assert '<a href="https://flk.npc.gov.cn" rel="noopener noreferrer">法规库</a>' in body
    assert "alert" not in rule.versions.get().search_text


# --- the box on programme pages ----------------------------------------------------------------


def test_the_secondment_overview_links_the_secondment_rules(client, staff, library_of_three):
    dues_rule, secondment, _meeting = library_of_three
    old = make_rule(
        staff,
        number="HNZGH-GZ-00",
        title="上挂锻炼暂行办法",
        category="secondment",
        programme="secondment",
        text="暂行。",
    )
    library.supersede_rule(rule=old, by_rule=secondment, by=staff)
    make_rule(
        staff,
        number="HNZGH-GZ-02",
        title="上挂干部考核评价办法",
        category="secondment",
        programme="secondment",
        text="考核。",
        effective_on=TODAY + 10 * DAY,
    )  # not yet in force
    english_page(client).force_login(staff)
    page = client.get(reverse("secondment:overview")).text
    assert "Rules that govern this work" in page
    assert f'href="{secondment.get_absolute_url()}"' in page and "企业工会干部上挂锻炼管理办法" in page
    assert "上挂锻炼暂行办法" not in page and "上挂干部考核评价办法" not in page
    assert dues_rule.title not in page


def test_no_box_when_no_rule_governs_the_programme(client, staff, dues_rule):
    english_page(client).force_login(staff)
    assert "Rules that govern this work" not in client.get(reverse("secondment:overview")).text


def test_the_box_costs_one_query(db):
    from django.template import Context, Template

    with CaptureQueriesContext(connection) as ctx:
        html = Template('{% load rules %}{% governing_rules "secondment" "aid" %}').render(Context({}))
    assert len(ctx) == 1 and html.strip() == ""


# --- access ------------------------------------------------------------------------------------


def _read_urls(rule):
    return [
        reverse("rules:rule_list"),
        reverse("rules:rule_list") + "?q=会费",
        rule.get_absolute_url(),
        reverse("rules:version_detail", kwargs={"pk": rule.pk, "version": 1}),
    ]


def _publish_urls(rule):
    return [
        reverse("rules:rule_create"),
        reverse("rules:version_create", kwargs={"pk": rule.pk}),
        reverse("rules:rule_supersede", kwargs={"pk": rule.pk}),
    ]


class TestAccess:
    def test_anonymous_users_are_sent_to_log_in(self, client, staff):
        rule = make_rule(staff, pdf=pdf())
        for url in [
            *_read_urls(rule),
            *_publish_urls(rule),
            reverse("rules:version_pdf", kwargs={"pk": rule.pk, "version": 1}),
        ]:
            response = client.get(url)
            assert response.status_code == 302 and response["Location"].startswith(reverse("login")), url

    @pytest.mark.parametrize("role", ["chair_a", "cadre", "outsider", "finance_staff", "staff"])
    def test_everyone_logged_in_reads(self, client, request, dues_rule, role):
        client.force_login(request.getfixturevalue(role))
        for url in _read_urls(dues_rule):
            assert client.get(url).status_code == 200, url

    @pytest.mark.parametrize("role", ["chair_a", "cadre", "outsider", "finance_staff", "aid_staff"])
    def test_only_staff_with_the_duty_publish(self, client, request, dues_rule, role):
        other = make_rule(
            request.getfixturevalue("staff"), number="HNZGH-CW-03", title="财务报销管理制度", text="报销。"
        )
        client.force_login(request.getfixturevalue(role))
        for url in _publish_urls(dues_rule):
            assert client.get(url).status_code == 403, url
        form = {
            "number": "HNZGH-X-1",
            "title": "新制度",
            "category": "finance",
            "text": "正文",
            "effective_on": TODAY.isoformat(),
            "change_note": "修订",
            "by_rule": other.pk,
        }
        for url in _publish_urls(dues_rule):
            assert client.post(url, form).status_code == 403, url
        assert (Rule.objects.count(), RuleVersion.objects.count()) == (2, 2)
        dues_rule.refresh_from_db()
        assert dues_rule.superseded_by is None
        page = client.get(dues_rule.get_absolute_url())
        assert not page.context["can_publish"]

    def test_staff_publish_through_the_pages(self, client, staff, dues_rule):
        client.force_login(staff)
        created = client.post(
            reverse("rules:rule_create"),
            {
                "number": "HNZGH-CW-03",
                "title": "财务报销管理制度",
                "category": "finance",
                "programme": "",
                "text": "报销实行审批程序。",
                "pdf": pdf(),
                "effective_on": TODAY.isoformat(),
            },
        )
        rule = Rule.objects.get(number="HNZGH-CW-03")
        assert created.status_code == 302 and created["Location"] == rule.get_absolute_url()
        assert rule.versions.get().pdf
        form = client.get(reverse("rules:version_create", kwargs={"pk": dues_rule.pk}))
        assert form.context["form"].initial["text"] == dues_rule.versions.get().text
        bad = client.post(
            reverse("rules:version_create", kwargs={"pk": dues_rule.pk}),
            {
                "text": "",
                "pdf": pdf("x.pdf", b"GIF89a"),
                "effective_on": TODAY.isoformat(),
                "change_note": "x",
            },
        )
        assert bad.status_code == 200 and bad.context["form"].errors and dues_rule.versions.count() == 1
        superseded = client.post(
            reverse("rules:rule_supersede", kwargs={"pk": rule.pk}), {"by_rule": dues_rule.pk}
        )
        assert superseded.status_code == 302
        rule.refresh_from_db()
        assert rule.superseded_by == dues_rule

    def test_unknown_rules_and_versions_are_404(self, client, chair_a, dues_rule):
        client.force_login(chair_a)
        assert client.get(reverse("rules:rule_detail", kwargs={"pk": dues_rule.pk + 99})).status_code == 404
        assert (
            client.get(reverse("rules:version_detail", kwargs={"pk": dues_rule.pk, "version": 9})).status_code
            == 404
        )


def test_the_list_page_queries_do_not_grow_with_the_rules(client, staff):
    client.force_login(staff)
    make_rule(staff, number="HNZGH-A-0")

    def queries(url):
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx)

    urls = [reverse("rules:rule_list"), reverse("rules:rule_list") + "?q=会费&superseded=on"]
    small = [queries(url) for url in urls]
    for n in range(1, 8):
        rule = make_rule(staff, number=f"HNZGH-A-{n}", category=["finance", "discipline"][n % 2])
        publish(rule, staff, DUES_TEXT + f"第{n}版")
    assert [queries(url) for url in urls] == small


# --- the demo library --------------------------------------------------------------------------


def test_the_demo_library(staff):
    rules = seed_rules(rng=random.Random(7), unions=[], staff=staff, today=TODAY)
    assert len(rules) == Rule.objects.count() == 34
    titles = set(Rule.objects.values_list("title", flat=True))
    for title in [
        "机关月度办公会议制度",
        "工会干部教育培训制度",
        "职工之家建设验收管理办法",
        "工会经费（会费）收缴管理办法",
        "企业工会干部上挂锻炼管理办法",
        "困难职工帮扶和临时救助管理办法",
        "网格化片组管理办法",
    ]:
        assert title in titles
    assert set(Rule.objects.values_list("category", flat=True)) == set(Rule.Category.values)
    assert Rule.objects.get(title="网格化片组管理办法").programme == "areas"
    counts = [rule.versions.count() for rule in Rule.objects.all()]
    assert 18 <= sum(1 for c in counts if c > 1) <= 22 and max(counts) <= 5
    assert 1 <= Rule.objects.filter(superseded_by__isnull=False).count() <= 2
    for version in RuleVersion.objects.all():
        assert 600 <= len(version.text) <= 2000 and 5 <= version.text.count("**第") <= 12
        assert version.text.startswith("## 第一章 总则")
    assert RuleVersion.objects.filter(effective_on__gt=TODAY).count() == 1
    assert [hit.number for hit in library.search_rules("上挂")][:1] == ["HNZGH-GZ-01"]
    assert library.search_rules("会费")[0].number == "HNZGH-CW-01"
    assert library.search_rules("试行期间").count() == 0
    assert library.search_rules("试行期间", include_superseded=True).count() >= 15
