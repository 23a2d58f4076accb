"""Information work (信息宣传): the news's states and who may move them, sanitising (a script never runs,
in the page, the list or the feeds), the public pages and their share metadata, the feeds, photo delivery,
channels, the information-work assessment's arithmetic (per rule, caps, ties, areas), sending a result to
honours, bad input and the pinned query counts."""

import datetime
import io
import xml.etree.ElementTree as ET
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from homes.models import SelfAssessment
from honours.models import HonourNomination, NomineeKind
from members.models import Area
from news import services
from news.dashboard import items_returned, items_to_review
from news.models import NewsChannel, NewsItem, NewsPhoto, Outlet
from tests.factories import DAY, TODAY, make_award, make_round, make_union
from unionhub.contributions import Scope

HOSTILE = '<script>alert("x")</script>**粗体** <img src=x onerror="alert(1)"> [点我](javascript:alert(1))'


def png(name="photo.png", size=(40, 30)) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(buffer, "PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def write(by, *, union=None, title="园区职工技能大赛启动", text="正文**内容**", photos=(), **extra):
    return services.create_item(
        by=by, title=title, text=text, category="contest", union=union, photos=photos, **extra
    )


def published(staff, *, union=None, chair=None, at=None, **extra):
    item = write(chair or staff, union=union, **extra)
    if union is not None:
        services.submit_item(item=item, by=chair)
    return services.publish_item(item=item, by=staff, at=at)


def reload(item):
    return NewsItem.objects.get(pk=item.pk)


# --- states and who may move them ---------------------------------------------------------------------------


def test_chair_submits_staff_publishes(staff, chair_a, union_a):
    item = write(chair_a, union=union_a, photos=[png()])
    assert item.status == NewsItem.Status.DRAFT and item.author == chair_a
    services.submit_item(item=item, by=chair_a)
    assert reload(item).status == NewsItem.Status.SUBMITTED and reload(item).submitted_at
    services.publish_item(item=item, by=staff)
    item = reload(item)
    assert item.status == NewsItem.Status.PUBLISHED and item.published_at and item.reviewed_by == staff


def test_staff_publish_their_own_draft_and_withdraw(staff):
    item = services.publish_item(item=write(staff), by=staff)
    assert item.status == "published" and item.union is None
    services.withdraw_item(item=item, by=staff)
    assert reload(item).status == "withdrawn"
    with pytest.raises(ValidationError):
        services.withdraw_item(item=item, by=staff)
    first = reload(item).published_at
    services.publish_item(item=item, by=staff)
    assert reload(item).published_at == first  # published again, under its first date


def test_chair_writes_only_for_their_union(chair_a, union_a, union_b):
    with pytest.raises(ValidationError):
        write(chair_a, union=union_b)
    with pytest.raises(ValidationError):
        write(chair_a, union=None)
    assert not NewsItem.objects.exists()


def test_only_the_unions_chair_submits(staff, chair_a, chair_b, union_a):
    item = write(chair_a, union=union_a)
    with pytest.raises(PermissionDenied):
        services.submit_item(item=item, by=chair_b)
    with pytest.raises(PermissionDenied):
        services.submit_item(item=item, by=staff)
    assert reload(item).status == "draft"


def test_double_submit_is_refused(chair_a, union_a):
    item = write(chair_a, union=union_a)
    services.submit_item(item=item, by=chair_a)
    with pytest.raises(ValidationError):
        services.submit_item(item=item, by=chair_a)


def test_double_publish_is_refused(staff):
    item = services.publish_item(item=write(staff), by=staff)
    with pytest.raises(ValidationError):
        services.publish_item(item=item, by=staff)


def test_chair_cannot_publish_or_return(chair_a, union_a, finance_staff):
    item = write(chair_a, union=union_a)
    services.submit_item(item=item, by=chair_a)
    for user in (chair_a, finance_staff):
        with pytest.raises(PermissionDenied):
            services.publish_item(item=item, by=user)
        with pytest.raises(PermissionDenied):
            services.return_item(item=item, by=user, reason="x")
    assert reload(item).status == "submitted"


def test_a_unions_draft_cannot_be_published_before_it_is_submitted(staff, chair_a, union_a):
    item = write(chair_a, union=union_a)
    with pytest.raises(ValidationError):
        services.publish_item(item=item, by=staff)


def test_return_needs_a_reason_and_the_chair_edits_and_resubmits(staff, chair_a, union_a):
    item = write(chair_a, union=union_a)
    services.submit_item(item=item, by=chair_a)
    with pytest.raises(ValidationError):
        services.return_item(item=item, by=staff, reason="  ")
    assert reload(item).status == "submitted"
    services.return_item(item=item, by=staff, reason="请补充照片")
    item = reload(item)
    assert item.status == "returned" and item.return_reason == "请补充照片"
    with pytest.raises(ValidationError):
        services.publish_item(item=item, by=staff)
    services.update_item(item=item, by=chair_a, title="新标题", text="新正文", category="culture")
    services.submit_item(item=item, by=chair_a)
    services.publish_item(item=item, by=staff)
    assert reload(item).title == "新标题" and reload(item).return_reason == ""


def test_chair_cannot_edit_a_submitted_item(chair_a, union_a):
    item = write(chair_a, union=union_a)
    services.submit_item(item=item, by=chair_a)
    with pytest.raises(PermissionDenied):
        services.update_item(item=item, by=chair_a, title="改", text="改", category="culture")


def test_desk_pages(client, login, staff, chair_a, chair_b, union_a, union_b):
    item = write(chair_a, union=union_a)
    login(chair_b)
    assert client.get(reverse("news:item_detail", args=[item.pk])).status_code == 404
    assert client.post(reverse("news:item_submit", args=[item.pk])).status_code == 404
    assert client.get(reverse("news:desk")).status_code == 200
    login(chair_a)
    page = client.get(reverse("news:desk"))
    assert item.title in page.content.decode()
    client.post(reverse("news:item_submit", args=[item.pk]))
    assert reload(item).status == "submitted"
    response = client.post(reverse("news:item_submit", args=[item.pk]), follow=True)  # the double submit
    assert "cannot be submitted" in response.content.decode() or "不能提交" in response.content.decode()
    login(staff)
    client.post(reverse("news:item_return", args=[item.pk]), {"reason": ""})
    assert reload(item).status == "submitted"
    client.post(reverse("news:item_return", args=[item.pk]), {"reason": "补充照片"})
    assert reload(item).status == "returned"


def test_create_page_with_a_photo(client, login, chair_a, union_a):
    login(chair_a)
    response = client.post(
        reverse("news:item_create"),
        {"union": union_a.pk, "title": "标题", "text": "正文", "category": "culture", "photos": [png()]},
    )
    item = NewsItem.objects.get()
    assert response.status_code == 302 and item.union == union_a and item.photos.count() == 1


def test_non_image_and_oversized_photos_are_refused(client, login, staff, settings):
    login(staff)
    fake = SimpleUploadedFile("photo.png", b"<html><script>x</script></html>", content_type="image/png")
    response = client.post(
        reverse("news:item_create"),
        {"title": "标题", "text": "正文", "category": "culture", "photos": [fake]},
    )
    assert response.status_code == 200 and not NewsItem.objects.exists()
    big = png()
    big.size = 11 * 1024 * 1024
    with pytest.raises(ValidationError):
        write(staff, photos=[big])
    assert not NewsItem.objects.exists() and not NewsPhoto.objects.exists()


# --- sanitising ------------------------------------------------------------------------------------------


def _no_script(html: str) -> None:
    assert "<script" not in html
    assert "onerror" not in html
    assert "javascript:" not in html


def test_a_script_never_runs_in_the_article_list_and_desk(client, login, staff):
    item = published(staff, text=HOSTILE, title='<script>alert("t")</script>标题')
    body = client.get(reverse("news:article", args=[item.pk])).content.decode()
    _no_script(body.split("<main", 1)[1])
    assert "<strong>粗体</strong>" in body
    assert "&lt;script&gt;" in body  # the title is escaped, shown as text
    _no_script(client.get(reverse("news:list")).content.decode().split("<main", 1)[1])
    login(staff)
    _no_script(client.get(reverse("news:item_detail", args=[item.pk])).content.decode().split("<main", 1)[1])


def test_a_script_never_runs_in_the_feeds(client, staff):
    published(staff, text=HOSTILE, title='<script>alert("t")</script>标题')
    for name in ("news:feed_rss", "news:feed_atom"):
        response = client.get(reverse(name))
        assert response.status_code == 200
        root = ET.fromstring(  # noqa: S314 - our own feed, in a test
            response.content
        )  # well-formed XML
        texts = [element.text or "" for element in root.iter()]
        for text in texts:  # the descriptions, unescaped, are sanitised HTML
            _no_script(text)
        assert any("<strong>粗体</strong>" in text for text in texts)


# --- the public pages --------------------------------------------------------------------------------------


def test_public_pages_for_anyone(client, staff):
    item = published(staff, photos=[png()], summary="一句话摘要")
    assert client.get(reverse("news:list")).status_code == 200
    response = client.get(reverse("news:article", args=[item.pk]))
    assert response.status_code == 200
    assert "一句话摘要" in response.content.decode()


def test_unpublished_and_forged_ids_are_404(client, login, staff, chair_a, union_a):
    draft = write(chair_a, union=union_a)
    withdrawn = services.withdraw_item(item=published(staff), by=staff)
    for pk in (draft.pk, withdrawn.pk, 999999, 2**62):
        assert client.get(reverse("news:article", args=[pk])).status_code == 404
    login(chair_a)  # the authors read their unpublished item on the desk, not on the public page
    assert client.get(reverse("news:article", args=[draft.pk])).status_code == 404


def test_share_metadata(client, staff, settings):
    settings.UNIONHUB_FEDERATION_NAME = "海宁高新区总工会"
    item = published(staff, photos=[png(), png("b.png")], summary="摘要文字")
    html = client.get(reverse("news:article", args=[item.pk])).content.decode()
    cover = item.photos.first()
    image = f"http://testserver{reverse('news:photo', args=[cover.pk])}"
    assert f"<title>{item.title} · 海宁高新区总工会</title>" in html
    assert '<meta name="description" content="摘要文字">' in html
    assert f'<meta property="og:title" content="{item.title}">' in html
    assert '<meta property="og:description" content="摘要文字">' in html
    assert f'<meta property="og:image" content="{image}">' in html
    assert f'<meta property="og:url" content="http://testserver{item.get_absolute_url()}">' in html
    assert '<meta property="og:type" content="article">' in html
    assert f'<meta itemprop="image" content="{image}">' in html
    assert f'<meta itemprop="name" content="{item.title}">' in html
    assert '<meta itemprop="description" content="摘要文字">' in html
    assert "海宁高新区总工会" in html.split("<main", 1)[1]


def test_description_defaults_to_the_texts_start(client, staff):
    item = published(staff, text="# 标题\n\n第一段**文字**。")
    html = client.get(reverse("news:article", args=[item.pk])).content.decode()
    assert '<meta name="description" content="标题 第一段文字。">' in html


def test_list_filters_and_hostile_params(client, staff):
    area = Area.objects.create(name="东片")
    published(staff, title="文化一", area=area)
    published(staff, title="竞赛二")
    NewsItem.objects.filter(title="文化一").update(category="culture")
    body = client.get(reverse("news:list"), {"category": "culture"}).content.decode()
    assert "文化一" in body and "竞赛二" not in body
    body = client.get(reverse("news:list"), {"area": area.pk}).content.decode()
    assert "文化一" in body and "竞赛二" not in body
    for params in (
        {"category": "<script>"},
        {"area": "abc"},
        {"area": "99999999999999999999999"},
        {"page": "-1"},
        {"category": ["a", "b"]},
    ):
        response = client.get(reverse("news:list"), params)
        assert response.status_code == 200
        assert "竞赛二" in response.content.decode()


def test_list_links_the_feeds(client, db):
    html = client.get(reverse("news:list")).content.decode()
    assert (
        f'rel="alternate" type="application/rss+xml" title="新闻（RSS）" href="{reverse("news:feed_rss")}"'
        in html
    )
    assert (
        f'rel="alternate" type="application/atom+xml" title="新闻（Atom）" href="{reverse("news:feed_atom")}"'
        in html
    )


def test_feeds_list_published_items_only(client, staff, chair_a, union_a):
    item = published(staff, title="已发布")
    write(chair_a, union=union_a, title="草稿")
    rss = ET.fromstring(  # noqa: S314 - our own feed, in a test
        client.get(reverse("news:feed_rss")).content
    )
    titles = [e.text for e in rss.iter("title")]
    assert "已发布" in titles and "草稿" not in titles
    links = [e.text for e in rss.iter("link")]
    assert f"http://testserver{item.get_absolute_url()}" in links
    atom = ET.fromstring(  # noqa: S314 - our own feed, in a test
        client.get(reverse("news:feed_atom")).content
    )
    ns = "{http://www.w3.org/2005/Atom}"
    assert [e.text for e in atom.iter(f"{ns}title")].count("已发布") == 1


def test_member_code_session_reads_the_public_pages(member_client, member_a, staff):
    item = published(staff)
    client = member_client(member_a)
    assert client.get(reverse("news:list")).status_code == 200
    assert client.get(reverse("news:article", args=[item.pk])).status_code == 200
    assert client.get(reverse("news:desk")).status_code == 302


# --- photos -------------------------------------------------------------------------------------------------


def test_photo_delivery(client, login, staff, chair_a, chair_b, union_a, union_b):
    item = published(staff, photos=[png()])
    photo = item.photos.get()
    response = client.get(reverse("news:photo", args=[photo.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    draft = write(chair_a, union=union_a, photos=[png()])
    hidden = draft.photos.get()
    assert client.get(reverse("news:photo", args=[hidden.pk])).status_code == 404
    assert client.get(reverse("files:file", args=["news.photo", hidden.pk])).status_code == 302
    login(chair_b)
    assert client.get(reverse("news:photo", args=[hidden.pk])).status_code == 404
    assert client.get(reverse("files:file", args=["news.photo", hidden.pk])).status_code == 404
    login(chair_a)
    assert client.get(reverse("news:photo", args=[hidden.pk])).status_code == 200
    services.withdraw_item(item=item, by=staff)
    client.logout()
    assert client.get(reverse("news:photo", args=[photo.pk])).status_code == 404


def test_remove_photo(client, login, staff):
    item = write(staff, photos=[png(), png("b.png")])
    first = item.photos.first()
    login(staff)
    client.post(reverse("news:photo_remove", args=[first.pk]))
    assert item.photos.count() == 1


# --- channels ---------------------------------------------------------------------------------------------


def test_channels_and_picked_up(client, login, staff):
    item = published(staff)
    services.add_channel(
        item=item, by=staff, outlet=Outlet.WECHAT, url="https://mp.weixin.qq.com/s/1", published_on=TODAY
    )
    assert not NewsItem.objects.with_picked_up().get(pk=item.pk).picked_up
    services.add_channel(item=item, by=staff, outlet=Outlet.CITY_SITE, url="", published_on=TODAY)
    assert NewsItem.objects.with_picked_up().get(pk=item.pk).picked_up
    with pytest.raises(ValidationError):  # the same outlet twice
        services.add_channel(item=item, by=staff, outlet=Outlet.CITY_SITE, url="", published_on=TODAY)
    assert "被上级采用" in client.get(reverse("news:article", args=[item.pk])).content.decode()


def test_channel_bad_input(client, login, staff, chair_a):
    item = published(staff)
    for url in ("javascript:alert(1)", "ftp://x.cn/a", "data:text/html,x"):
        with pytest.raises(ValidationError):
            services.add_channel(item=item, by=staff, outlet=Outlet.WEIBO, url=url, published_on=TODAY)
    with pytest.raises(ValidationError):
        services.add_channel(item=item, by=staff, outlet=Outlet.WEIBO, url="", published_on=TODAY + DAY)
    with pytest.raises(PermissionDenied):
        services.add_channel(item=item, by=chair_a, outlet=Outlet.WEIBO, url="", published_on=TODAY)
    login(staff)
    url = reverse("news:channel_add", args=[item.pk])
    for bad in ("javascript:alert(1)", "not a url", "ftp://x.cn/a"):
        response = client.post(url, {"outlet": "weibo", "url": bad, "published_on": TODAY.isoformat()})
        assert response.status_code == 302
    client.post(url, {"outlet": "nope", "url": "", "published_on": "2024-13-40"})
    assert not NewsChannel.objects.exists()
    client.post(url, {"outlet": "weibo", "url": "https://weibo.com/1", "published_on": TODAY.isoformat()})
    assert NewsChannel.objects.get().url == "https://weibo.com/1"


# --- the assessment -----------------------------------------------------------------------------------------


def _at(year, month=6, day=1):
    return datetime.datetime(year, month, day, 10, tzinfo=timezone.get_current_timezone())


@pytest.fixture
def year():
    return TODAY.year - 1


@pytest.fixture
def rules(staff, year):
    return services.save_rules(
        by=staff,
        year=year,
        points_published=Decimal("2.5"),
        points_picked_up=Decimal("4.0"),
        points_report_on_time=Decimal("3.0"),
        published_cap=3,
    )


def _picked(staff, item, outlet=Outlet.CITY_SITE):
    services.add_channel(item=item, by=staff, outlet=outlet, url="", published_on=TODAY)


def test_assessment_arithmetic(staff, chair_a, chair_b, union_a, union_b, rules, year):
    for n in range(5):  # five published in the year, three count (the cap)
        item = published(staff, union=union_a, chair=chair_a, at=_at(year, 2 + n))
        if n < 2:
            _picked(staff, item)
        if n == 0:
            _picked(staff, item, Outlet.PROVINCE_PAPER)  # two higher outlets: still one item picked up
        if n == 1:
            _picked(staff, item, Outlet.WECHAT)
    published(staff, union=union_a, chair=chair_a, at=_at(year - 1, 12, 31))  # the year before
    published(staff, union=union_a, chair=chair_a, at=_at(year + 1, 1, 1))  # the year after
    services.withdraw_item(item=published(staff, union=union_a, chair=chair_a, at=_at(year)), by=staff)
    write(chair_a, union=union_a)  # a draft
    published(staff, union=union_b, chair=chair_b, at=_at(year, 12, 31))
    SelfAssessment.objects.create(
        union=union_b, year=year, status="submitted", submitted_at=_at(year, 11, 30)
    )
    SelfAssessment.objects.create(union=union_a, year=year, status="draft")
    results = {r.union.code: r for r in services.union_results(year)}
    a, b = results["HN001"], results["HN002"]
    assert (a.published, a.picked_up, a.reports_on_time) == (5, 2, 0)
    assert a.published_points == Decimal("7.5") and a.picked_up_points == Decimal("8.0")
    assert a.total == Decimal("15.5") and a.rank == 1
    assert (b.published, b.picked_up, b.reports_on_time) == (1, 0, 1)
    assert b.total == Decimal("5.5") and b.rank == 2


def test_a_late_self_assessment_does_not_count(staff, union_a, rules, year):
    SelfAssessment.objects.create(
        union=union_a, year=year, status="submitted", submitted_at=_at(year + 1, 1, 2)
    )
    assert services.union_results(year)[0].reports_on_time == 0


def test_ties_share_a_rank_and_areas_rank_alone(staff, chair_a, chair_b, union_a, union_b, rules, year):
    union_c = make_union("HN003", name="丙公司工会委员会")
    for union, chair in ((union_a, chair_a), (union_b, chair_b)):
        published(staff, union=union, chair=chair, at=_at(year))
    results = services.union_results(year)
    assert [(r.union.code, r.rank, r.total) for r in results] == [
        ("HN001", 1, Decimal("2.5")),
        ("HN002", 1, Decimal("2.5")),
        ("HN003", 3, Decimal("0.0")),
    ]
    east = Area.objects.create(name="东片")
    union_b.area = union_c.area = east
    union_b.save(update_fields=["area"])
    union_c.save(update_fields=["area"])
    in_area = services.union_results(year, area=east)
    assert [(r.union.code, r.rank) for r in in_area] == [("HN002", 1), ("HN003", 2)]


def test_no_rules_no_ranking(year, union_a):
    assert services.union_results(year) == []


def test_rules_refuse_negative_points_and_need_the_duty(staff, finance_staff, year):
    with pytest.raises(ValidationError):
        services.save_rules(
            by=staff, year=year, points_published=Decimal("-1"), points_picked_up=0, points_report_on_time=0
        )
    with pytest.raises(PermissionDenied):
        services.save_rules(
            by=finance_staff, year=year, points_published=1, points_picked_up=0, points_report_on_time=0
        )


def test_rules_and_ranking_pages(client, login, staff, chair_a, union_a, year, finance_staff):
    login(staff)
    url = reverse("news:rules_edit", args=[year])
    response = client.post(
        url, {"points_published": "abc", "points_picked_up": "1", "points_report_on_time": "1"}
    )
    assert response.status_code == 200
    client.post(url, {"points_published": "2", "points_picked_up": "5", "points_report_on_time": "3"})
    assert services.union_results(year)
    for params in ({"year": year}, {"year": "x"}, {"area": "abc", "year": "99999"}, {"year": ["1", "2"]}):
        assert client.get(reverse("news:ranking"), params).status_code == 200
    login(finance_staff)
    assert client.get(reverse("news:ranking")).status_code == 403
    login(chair_a)
    assert client.get(reverse("news:ranking")).status_code == 403


def test_ranking_query_count(client, login, staff, chair_a, union_a, rules, year, django_assert_num_queries):
    for n in range(3):
        make_union(f"HN1{n:02d}", name=f"工会{n}")
    published(staff, union=union_a, chair=chair_a, at=_at(year))
    login(staff)
    # session, user, its permissions (2), roles, unread notices; the areas, the rules, the ranking's one query
    with django_assert_num_queries(9):
        assert client.get(reverse("news:ranking"), {"year": year}).status_code == 200
    for n in range(3):
        make_union(f"HN2{n:02d}", name=f"工会二{n}")
    published(staff, union=union_a, chair=chair_a, at=_at(year, 3))
    with django_assert_num_queries(9):
        assert client.get(reverse("news:ranking"), {"year": year}).status_code == 200


def test_news_list_query_count(client, staff, django_assert_num_queries):
    for n in range(4):
        published(staff, title=f"新闻{n}", photos=[png()])
    # the count, the page's items, their photos, the area filter's options
    with django_assert_num_queries(4):
        assert client.get(reverse("news:list")).status_code == 200
    for n in range(4):
        published(staff, title=f"更多{n}", photos=[png()])
    with django_assert_num_queries(4):
        assert client.get(reverse("news:list")).status_code == 200


# --- send to honours ----------------------------------------------------------------------------------------


def test_send_to_honours(client, login, staff, chair_a, union_a, rules, year):
    published(staff, union=union_a, chair=chair_a, at=_at(year))
    award_round = make_round(staff, make_award(staff))
    login(staff)
    url = reverse("news:send_to_honours", args=[year])
    assert client.get(url, {"union": union_a.pk}).status_code == 200
    response = client.post(url, {"union": union_a.pk, "round": award_round.pk, "statement": "信息工作突出"})
    assert response.status_code == 302
    nomination = HonourNomination.objects.get()
    assert nomination.nominee_union == union_a and nomination.union == union_a
    evidence = nomination.evidence.get()
    assert evidence.upload.read(5) == b"%PDF-" and "1" in evidence.description
    # the double submit: honours refuses a second nomination of the same union, and says so
    response = client.post(url, {"union": union_a.pk, "round": award_round.pk, "statement": "信息工作突出"})
    assert response.status_code == 200 and HonourNomination.objects.count() == 1


def test_send_to_honours_refused(staff, chair_a, union_a, rules, year, finance_staff):
    closed = make_round(staff, make_award(staff), opens_on=TODAY - 30 * DAY, closes_on=TODAY - 10 * DAY)
    with pytest.raises(ValidationError) as refused:
        services.send_to_honours(by=staff, year=year, union=union_a, round=closed, statement="好")
    assert closed.closes_on.isoformat() in str(refused.value)
    persons = make_round(staff, make_award(staff, name="优秀工会工作者", kind=NomineeKind.UNION_WORKER))
    with pytest.raises(ValidationError):
        services.send_to_honours(by=staff, year=year, union=union_a, round=persons, statement="好")
    full = make_round(staff, make_award(staff, name="品牌工会"), quota=1)
    other = make_union("HN009", name="丁工会")
    services.send_to_honours(by=staff, year=year, union=other, round=full, statement="好")
    with pytest.raises(ValidationError):
        services.send_to_honours(by=staff, year=year, union=union_a, round=full, statement="好")
    with pytest.raises(PermissionDenied):
        services.send_to_honours(by=finance_staff, year=year, union=union_a, round=full, statement="好")
    assert HonourNomination.objects.count() == 1


# --- the dashboard --------------------------------------------------------------------------------------------


def test_todo_items(staff, chair_a, chair_b, union_a, union_b):
    item = write(chair_a, union=union_a)
    services.submit_item(item=item, by=chair_a)
    review = items_to_review(Scope(day=TODAY, user=staff))
    assert [t.kind for t in review] == ["news.review"] and item.title in review[0].title
    assert items_to_review(Scope(day=TODAY, user=chair_a)) is None
    services.return_item(item=item, by=staff, reason="补充照片")
    assert items_to_review(Scope(day=TODAY, user=staff)) == []
    returned = items_returned(Scope(day=TODAY, user=chair_a))
    assert [t.detail for t in returned] == ["补充照片"]
    assert items_returned(Scope(day=TODAY, user=chair_b)) == []


def test_dashboard_shows_the_todo(client, login, staff, chair_a, union_a):
    item = write(chair_a, union=union_a, title="待审核的新闻")
    services.submit_item(item=item, by=chair_a)
    login(staff)
    assert "待审核的新闻" in client.get(reverse("dashboard")).content.decode()
