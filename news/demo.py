"""Demo news (信息宣传): about three dozen items of the past year about union work in the Haining high-tech
zone — the federation's own and ones submitted by unions (chair1's HN001 among them), most published with a
cover photo drawn here (no network), one waiting for review and one returned to its chair — their channels
(the federation's WeChat account, Weibo, the union newspaper; some picked up by the Haining city union,
the Jiaxing union or the provincial workers' newspaper), and the assessment rules of this year and the last."""

import datetime
import io
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image, ImageDraw

from unionhub.contributions import demo_step

from . import services
from .models import Category, Outlet

C = Category
# (category, title, summary, paragraphs); the union's items take "{union}" for its name.
FEDERATION_ITEMS = [
    (
        C.UNION_NEWS,
        "高新区总工会召开年度工作会议",
        "部署全年工会工作，聚焦产业工人队伍建设改革。",
        [
            "会议总结了上一年度全区工会工作，表彰了先进基层工会和优秀工会工作者。",
            "会议要求各基层工会围绕园区高质量发展，深化产业工人队伍建设改革，扎实做好维权服务。",
        ],
    ),
    (
        C.RIGHTS,
        "“春风行动”招聘会为园区企业送岗位",
        "40余家企业提供1200多个岗位，现场达成意向600余人。",
        [
            "高新区总工会联合人力社保部门在园区职工服务中心举办“春风行动”专场招聘会。",
            "现场设立法律咨询台，工会律师为职工解答劳动合同、社会保险等问题。",
        ],
    ),
    (
        C.CONTEST,
        "园区“匠心杯”职工技能大赛启动",
        "设数控车工、电工、工业机器人运维等8个比赛项目。",
        [
            "本届大赛由高新区总工会、经济发展局共同主办，预计参赛职工超过800人。",
            "获得各项目前三名的选手将按规定申报“海宁市技术能手”称号。",
        ],
    ),
    (
        C.CULTURE,
        "“书香园区”职工读书月活动开幕",
        "30家企业职工书屋同步开展读书分享。",
        ["活动期间，职工书屋延长开放时间，并邀请本地作家走进企业开展读书讲座。"],
    ),
    (
        C.RIGHTS,
        "高温慰问送清凉 工会关爱一线职工",
        "走访慰问户外作业和高温岗位职工2000余人次。",
        [
            "慰问组深入建筑工地、物流园区和生产车间，送去防暑降温用品。",
            "高新区总工会提醒企业落实高温津贴和防暑措施，合理安排作息时间。",
        ],
    ),
    (
        C.UNION_NEWS,
        "新就业形态劳动者入会集中行动走进园区",
        "快递、外卖、网约车司机现场入会200余人。",
        [
            "活动现场设立入会登记点，职工扫码即可完成入会申请。",
            "工会同步发放“暖心驿站”地图，方便户外劳动者就近休息、饮水、充电。",
        ],
    ),
    (
        C.RIGHTS,
        "工资集体协商要约行动月启动",
        "推动园区重点企业开展工资专项集体协商。",
        ["各基层工会将在本月内向企业发出协商要约，围绕工资增长、津贴补贴等事项开展协商。"],
    ),
    (
        C.CULTURE,
        "职工篮球联赛圆满落幕",
        "24支企业代表队历时一个月角逐。",
        ["决赛在园区体育馆举行，现场气氛热烈，职工家属纷纷到场助威。"],
    ),
    (
        C.UNION_NEWS,
        "基层工会主席培训班开班",
        "120名基层工会主席参加为期三天的集中培训。",
        ["培训围绕工会法、工会经费管理、职工之家建设等内容展开，并安排了现场教学。"],
    ),
    (
        C.RIGHTS,
        "“金秋助学”活动资助困难职工子女",
        "为56名困难职工子女发放助学金。",
        ["高新区总工会在前期走访核实的基础上，为考入大学的困难职工子女发放助学金。"],
    ),
    (
        C.CONTEST,
        "园区劳动竞赛表彰大会召开",
        "表彰一批先进集体和先进个人。",
        ["大会表彰了在重点项目建设和技术攻关中表现突出的班组和职工。"],
    ),
    (
        C.CULTURE,
        "职工迎新春文艺汇演举行",
        "企业职工自编自演节目18个。",
        ["汇演节目包括舞蹈、小品、合唱等，展现了园区职工积极向上的精神风貌。"],
    ),
    (
        C.UNION_NEWS,
        "工会经费收缴工作推进会召开",
        "通报上半年经费收缴情况，部署下一步工作。",
        ["会议要求各基层工会按时足额上解工会经费，规范经费使用和管理。"],
    ),
    (
        C.RIGHTS,
        "劳动法律知识进企业宣讲活动举办",
        "工会律师走进10家企业开展普法宣讲。",
        ["宣讲围绕劳动合同订立、加班工资计算、工伤认定等职工关心的问题进行讲解。"],
    ),
    (
        C.UNION_NEWS,
        "“爱心妈咪小屋”建设推进会召开",
        "年内新建爱心妈咪小屋15家。",
        ["会议要求各基层工会对照标准建设和管理爱心妈咪小屋，切实关爱女职工。"],
    ),
    (
        C.CULTURE,
        "职工摄影作品展开展",
        "展出职工摄影作品120幅。",
        ["作品记录了园区建设发展和职工工作生活的精彩瞬间。"],
    ),
]
UNION_ITEMS = [
    (
        C.GRASSROOTS,
        "{union}开展“安康杯”安全知识竞赛",
        "以赛促学，提升职工安全生产意识。",
        ["竞赛分必答、抢答、风险题三个环节，12支班组代表队参赛。"],
    ),
    (
        C.GRASSROOTS,
        "{union}职工书屋焕新开放",
        "新增图书800余册，设立电子阅读区。",
        ["职工书屋实行全天开放，职工下班后可在这里阅读、交流。"],
    ),
    (
        C.CONTEST,
        "{union}举办岗位技能比武",
        "一线职工同台竞技，比技术、比质量、比效率。",
        ["比武设焊接、装配、质检三个项目，优胜者将代表企业参加园区技能大赛。"],
    ),
    (
        C.CULTURE,
        "{union}组织职工趣味运动会",
        "拔河、跳绳、接力等项目吸引300余名职工参加。",
        ["运动会增进了部门之间的交流，增强了团队凝聚力。"],
    ),
    (
        C.RIGHTS,
        "{union}召开职工代表大会审议集体合同",
        "职工代表全票通过新一期集体合同草案。",
        ["大会审议了工资专项集体合同和女职工权益保护专项集体合同。"],
    ),
    (
        C.GRASSROOTS,
        "{union}开展困难职工走访慰问",
        "走访慰问困难职工和生病住院职工。",
        ["工会主席带队走访，详细了解职工家庭情况和实际困难，送去慰问金。"],
    ),
    (
        C.CULTURE,
        "{union}举办“巧手迎端午”包粽子活动",
        "职工和家属一起动手包粽子。",
        ["活动中，老职工手把手教新职工包粽子，现场其乐融融。"],
    ),
    (
        C.GRASSROOTS,
        "{union}建成职工健身室",
        "配备跑步机、动感单车等健身器材。",
        ["健身室免费向全体职工开放，并制定了管理制度。"],
    ),
    (
        C.CONTEST,
        "{union}“五小”创新成果发布",
        "发布职工小发明、小创造等成果21项。",
        ["其中3项成果已在生产线推广应用，年节约成本约40万元。"],
    ),
    (
        C.GRASSROOTS,
        "{union}开展新职工入会仪式",
        "56名新职工集体宣誓入会。",
        ["工会为新会员发放会员证和职工服务手册，介绍工会各项服务。"],
    ),
]
COLOURS = [(168, 32, 26), (196, 154, 60), (40, 96, 160), (46, 125, 50), (120, 72, 160), (0, 121, 128)]
SEPARATE_YEARS = 2
# Items tied to a season are published in their month (when it has come this year).
SEASONAL = {
    "“春风行动”": 2,
    "高温慰问": 7,
    "金秋助学": 8,
    "迎新春": 1,
    "迎端午": 6,
    "读书月": 4,
    "篮球联赛": 5,
}  # this year's rules and last year's


def cover_image(rng, name: str) -> SimpleUploadedFile:
    """A small JPEG drawn for the demo: a coloured field with a few shapes (no text, no network)."""
    base = rng.choice(COLOURS)
    image = Image.new("RGB", (640, 360), base)
    draw = ImageDraw.Draw(image)
    for _ in range(6):
        x, y = rng.randint(-80, 600), rng.randint(-80, 320)
        size = rng.randint(60, 220)
        shade = tuple(min(255, c + rng.randint(30, 90)) for c in base)
        draw.ellipse([x, y, x + size, y + size], fill=shade)
    draw.rectangle([0, 300, 640, 360], fill=(255, 253, 246))
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=70)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


def _text(paragraphs) -> str:
    return "\n\n".join(paragraphs) + "\n\n（高新区总工会宣传部）"


def seed_news(*, rng, today: datetime.date, unions, staff) -> None:
    tz = timezone.get_current_timezone()
    # Items spread over the year to today (over the past year when today is early in January).
    start = max(datetime.date(today.year, 1, 3), today - datetime.timedelta(days=360))
    span = max((today - start).days, 1)

    def moment(n: int, total: int) -> datetime.datetime:
        day = start + datetime.timedelta(days=span * n // total)
        return datetime.datetime.combine(day, datetime.time(9 + n % 8, 10 * (n % 6)), tzinfo=tz)

    # The unions that write: HN001 (chair1's) and a dozen others with chairs, in the demo's order.
    writers = [unions[0]] + [u for u in unions[1:60] if u.chair_id][:12]
    plan = [("fed", entry) for entry in FEDERATION_ITEMS]
    for n, entry in enumerate(UNION_ITEMS + UNION_ITEMS[:10]):
        plan.append((writers[n % len(writers)], entry))
    rng.shuffle(plan)
    total = len(plan)  # 36
    published = []
    for n, (writer, (category, title, summary, paragraphs)) in enumerate(plan):
        union = None if writer == "fed" else writer
        author = staff if union is None else union.chair
        name = union.name if union else ""
        item = services.create_item(
            by=author,
            title=title.format(union=name),
            summary=summary,
            text=_text(paragraphs),
            category=category,
            union=union,
            photos=[(cover_image(rng, f"cover-{n}.jpg"), title.format(union=name)[:60])],
        )
        if union is not None:
            services.submit_item(item=item, by=author)
        at = moment(n, total)
        month = next((m for word, m in SEASONAL.items() if word in title), None)
        if month is not None and datetime.date(today.year, month, 28) <= today:
            at = at.replace(year=today.year, month=month, day=5 + n % 20)
        published.append(services.publish_item(item=item, by=staff, at=at))
    # Channels: every item on the federation's WeChat account; some on Weibo and the union newspaper; about a
    # third picked up by a higher outlet (mostly the Haining city union).
    for n, item in enumerate(published):
        day = timezone.localtime(item.published_at).date()
        outlets = [Outlet.WECHAT]
        if n % 2 == 0:
            outlets.append(Outlet.WEIBO)
        if n % 4 == 1:
            outlets.append(Outlet.NEWSPAPER)
        if n % 3 == 0:
            outlets.append(
                [Outlet.CITY_SITE, Outlet.CITY_SITE, Outlet.PREFECTURE_SITE, Outlet.PROVINCE_PAPER][n % 4]
            )
        for k, outlet in enumerate(outlets):
            services.add_channel(
                item=item,
                by=staff,
                outlet=outlet,
                url=f"https://{_host(outlet)}/news/{day:%Y%m%d}/{item.pk}{k}.html",
                published_on=min(day + datetime.timedelta(days=k), today),
            )
    # One of chair1's items waits for review, one of another union's is returned with a reason.
    waiting = services.create_item(
        by=unions[0].chair,
        title=f"{unions[0].name}开展“职工心理健康月”活动",
        summary="邀请心理咨询师为职工开展减压讲座和一对一咨询。",
        text=_text(["活动为期一个月，共开展讲座2场、团体辅导4次、个体咨询30余人次。"]),
        category=C.GRASSROOTS,
        union=unions[0],
        photos=[(cover_image(rng, "cover-waiting.jpg"), "")],
    )
    services.submit_item(item=waiting, by=unions[0].chair)
    other = writers[1]
    returned = services.create_item(
        by=other.chair,
        title=f"{other.name}工会活动",
        text=_text(["本月工会组织了活动。"]),
        category=C.GRASSROOTS,
        union=other,
    )
    services.submit_item(item=returned, by=other.chair)
    services.return_item(
        item=returned,
        by=staff,
        reason="标题过于笼统，请写明活动名称，补充时间、参加人数和活动成效，并附现场照片一张。",
    )
    for year in range(today.year - SEPARATE_YEARS + 1, today.year + 1):
        services.save_rules(
            by=staff,
            year=year,
            points_published=Decimal("2.0"),
            published_cap=20,
            points_picked_up=Decimal("5.0"),
            picked_up_cap=None,
            points_report_on_time=Decimal("3.0"),
        )


HOSTS = {
    Outlet.WECHAT: "mp.weixin.qq.com",
    Outlet.WEIBO: "weibo.com",
    Outlet.NEWSPAPER: "gxqgh.example.cn",
    Outlet.QQ: "qun.qq.com",
    Outlet.CITY_SITE: "hnzgh.example.cn",
    Outlet.PREFECTURE_SITE: "jxszgh.example.cn",
    Outlet.PROVINCE_SITE: "zjftu.example.cn",
    Outlet.PROVINCE_PAPER: "zjgrrb.example.cn",
}


def _host(outlet) -> str:
    return HOSTS[outlet]


@demo_step(order=210)
def news(demo) -> None:
    seed_news(rng=demo.rng, today=demo.today, unions=demo.unions, staff=demo.staff)
