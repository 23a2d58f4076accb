"""The cultural showcase and the matchmaking association in the demo district.

- Seven yearly showcases (职工文化成果展演, editions 1–7), each held around Labour Day, growing from
  about 40 programmes to 150 in the seventh; about 2,000 performers over the years, from the
  registry's unions (a chorus or a dance often from two or three unions together).
- The matchmaking association (职工红娘协会): 30–60 opt-in profiles of unmarried-age members (22–35),
  and three years of matches recorded as counts, a few couples per event.

Bulk-inserted like the rest of the demo (fixture data, not staff work: no audit records)."""

import datetime
import random

from members.models import Member

from .models import Activity, Association, MatchProfile, MatchRecord, Programme, Showcase

EDITIONS = 7
PROGRAMMES = [40, 55, 70, 85, 100, 125, 150]  # per edition, the seventh last
PERFORMERS_TOTAL = (1950, 2050)
MATCHMAKING = "职工红娘协会"

VENUES = ["区职工文化中心大剧院", "区文化艺术中心", "高新区会展中心多功能厅", "区工人文化宫影剧院"]
THEMES = [
    "劳动创造美好生活",
    "奋进新时代 建功新征程",
    "匠心筑梦 奋斗有我",
    "唱响劳动者之歌",
    "工会伴我成长",
    "聚力高质量发展",
    "劳动最光荣",
]

# (kind, weight, performers (low, high), titles)
KINDS = [
    (
        Programme.Kind.SINGING,
        28,
        (1, 3),
        [
            "独唱《咱们工人有力量》",
            "独唱《我和我的祖国》",
            "对唱《在希望的田野上》",
            "独唱《追梦人》",
            "表演唱《打工谣》",
            "独唱《不忘初心》",
            "小组唱《走进新时代》",
            "独唱《劳动最光荣》",
            "对唱《天耀中华》",
            "独唱《我爱你中国》",
            "原创歌曲《园区的早晨》",
            "独唱《平凡之路》",
            "表演唱《工地上的春天》",
            "独唱《光荣与梦想》",
        ],
    ),
    (
        Programme.Kind.DANCE,
        20,
        (4, 10),
        [
            "舞蹈《工匠精神》",
            "群舞《春风十里》",
            "舞蹈《指尖上的芯片》",
            "民族舞《彩云之南》",
            "广场舞《火红的日子》",
            "现代舞《流水线上的青春》",
            "舞蹈《茉莉花开》",
            "新疆舞《掀起你的盖头来》",
            "舞蹈《盛世鼓韵》",
            "街舞《追光者》",
        ],
    ),
    (
        Programme.Kind.DRAMA,
        10,
        (2, 6),
        [
            "小品《加班》",
            "情景剧《调解室里的故事》",
            "小品《安全帽》",
            "越剧选段《五女拜寿》",
            "相声《工会那些事》",
            "小品《一张返乡车票》",
            "快板《安全生产记心间》",
            "沪剧选段《芦荡火种》",
        ],
    ),
    (
        Programme.Kind.INSTRUMENTAL,
        12,
        (1, 5),
        [
            "二胡独奏《赛马》",
            "古筝独奏《战台风》",
            "琵琶独奏《十面埋伏》",
            "葫芦丝《月光下的凤尾竹》",
            "萨克斯《回家》",
            "器乐合奏《金蛇狂舞》",
            "钢琴独奏《黄河》",
            "笛子独奏《扬鞭催马运粮忙》",
            "吉他弹唱《夜空中最亮的星》",
        ],
    ),
    (
        Programme.Kind.RECITATION,
        12,
        (1, 4),
        [
            "诗朗诵《我骄傲，我是一名劳动者》",
            "诗朗诵《致敬最美劳动者》",
            "配乐朗诵《春天的故事》",
            "朗诵《工会，我的家》",
            "诗朗诵《大国工匠》",
            "朗诵《平凡的岗位》",
        ],
    ),
    (
        Programme.Kind.EXHIBITION,
        14,
        (1, 1),
        [
            "书法《劳动创造幸福》",
            "国画《江南春色》",
            "摄影《车间里的光》",
            "书法《天道酬勤》",
            "剪纸《福满园区》",
            "油画《夜班》",
            "摄影《归途》",
            "篆刻《匠心》",
            "国画《荷塘月色》",
            "摄影《园区四季》",
        ],
    ),
    (
        Programme.Kind.OTHER,
        4,
        (2, 8),
        ["魔术《奇妙的一天》", "太极拳表演", "旗袍走秀《江南韵》", "武术《中华魂》", "健身操《活力园区》"],
    ),
]
# A big chorus now and then.
CHORUSES = [
    "合唱《咱们工人有力量》",
    "合唱《没有共产党就没有新中国》",
    "合唱《歌唱祖国》",
    "大合唱《黄河大合唱》选段",
]

SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁沈"
)
GIVEN = [
    "伟",
    "芳",
    "娜",
    "敏",
    "静",
    "丽",
    "强",
    "磊",
    "洋",
    "艳",
    "勇",
    "军",
    "杰",
    "娟",
    "涛",
    "明",
    "超",
    "秀英",
    "霞",
    "平",
    "刚",
    "桂英",
    "晓东",
    "海燕",
    "志强",
    "婷婷",
    "佳怡",
    "子涵",
    "浩然",
    "雨欣",
    "俊杰",
    "梓萱",
]

ABOUT = [
    "性格开朗，喜欢运动和旅行",
    "平时爱看书、做饭，周末常去爬山",
    "工作认真，业余时间学摄影",
    "喜欢羽毛球和徒步，不抽烟",
    "爱好唱歌跳舞，性格温和",
    "在园区工作五年，有稳定收入，喜欢宠物",
    "喜欢安静，爱好书法和茶艺",
    "热爱篮球，积极阳光",
]
LOOKING_FOR = [
    "希望对方善良、有责任心",
    "希望对方孝顺、有上进心",
    "性格合得来就好，最好也在园区工作",
    "希望对方真诚、顾家",
    "希望对方兴趣相投，一起成长",
    "希望对方乐观、有共同爱好",
]
EVENTS = [
    "七夕职工联谊会",
    "春季单身青年交友会",
    "园区青年户外拓展联谊",
    "中秋单身职工联谊晚会",
    "周末读书交友沙龙",
    "冬日暖心相亲会",
]


def seed_showcase_and_matchmaking(*, rng: random.Random, today: datetime.date, unions) -> None:
    unions = list(unions)
    _seed_showcases(rng, today, unions)
    _seed_matchmaking(rng, today, unions)


# --- the showcase --------------------------------------------------------------------------------


def _held_on(year: int) -> datetime.date:
    return datetime.date(year, 4, 28)


def _name(rng) -> str:
    return rng.choice(SURNAMES) + rng.choice(GIVEN)


def _performer_names(rng, count: int) -> str:
    names = [_name(rng) for _ in range(min(count, 3))]
    return "、".join(names) + (f"等{count}人" if count > 3 else "")


def _seed_showcases(rng, today, unions) -> None:
    last_year = today.year if _held_on(today.year) <= today else today.year - 1
    first_year = last_year - EDITIONS + 1
    associations = list(Association.objects.filter(kind__in=["performance", "arts"]).order_by("pk"))
    showcases = Showcase.objects.bulk_create(
        [
            Showcase(
                year=year,
                edition=year - first_year + 1,
                held_on=_held_on(year),
                venue=rng.choice(VENUES),
                title=f"第{'一二三四五六七八九十'[year - first_year]}届职工文化成果展演·{THEMES[year - first_year]}",
            )
            for year in range(first_year, last_year + 1)
        ]
    )
    weights = [k[1] for k in KINDS]
    programmes = []
    for showcase, count in zip(showcases, PROGRAMMES, strict=True):
        for order in range(1, count + 1):
            if rng.random() < 0.04:
                kind, performers, title = Programme.Kind.SINGING, rng.randint(20, 36), rng.choice(CHORUSES)
            else:
                kind, _weight, (low, high), titles = rng.choices(KINDS, weights)[0]
                performers, title = rng.randint(low, high), rng.choice(titles)
            programmes.append(
                Programme(showcase=showcase, order=order, title=title, kind=kind, performers=performers)
            )
    _fit_total(rng, programmes, rng.randint(*PERFORMERS_TOTAL))
    for p in programmes:
        p.performer_names = _performer_names(rng, p.performers)
        if associations and p.kind != Programme.Kind.EXHIBITION and rng.random() < 0.15:
            p.association = rng.choice(associations)
        elif associations and p.kind == Programme.Kind.EXHIBITION and rng.random() < 0.3:
            p.association = rng.choice([a for a in associations if a.kind == "arts"] or associations)
    programmes = Programme.objects.bulk_create(programmes)
    if not unions:
        return
    links = []
    for p in programmes:
        size = 1 if p.performers < 10 or rng.random() < 0.6 else rng.randint(2, 3)
        links += [
            Programme.unions.through(programme_id=p.pk, grassrootsunion_id=u.pk)
            for u in rng.sample(unions, min(size, len(unions)))
        ]
    Programme.unions.through.objects.bulk_create(links)


def _fit_total(rng, programmes, target: int) -> None:
    """Nudge performer counts (never below one, exhibitions stay single) until they add up to target."""
    flexible = [p for p in programmes if p.kind != Programme.Kind.EXHIBITION]
    total = sum(p.performers for p in programmes)
    while total != target:
        p = rng.choice(flexible)
        if total < target:
            p.performers += 1
            total += 1
        elif p.performers > 1:
            p.performers -= 1
            total -= 1


# --- the matchmaking association -----------------------------------------------------------------


def _matchmaking_association(today) -> Association:
    association = Association.objects.filter(name=MATCHMAKING).first()
    if association is None:
        return Association.objects.create(
            name=MATCHMAKING,
            kind=Association.Kind.SOCIAL,
            is_matchmaking=True,
            founded_on=datetime.date(today.year - 5, 2, 14),
            description="为园区单身职工牵线搭桥",
        )
    if not association.is_matchmaking:
        Association.objects.filter(pk=association.pk).update(is_matchmaking=True)
        association.is_matchmaking = True
    return association


def _years_ago(today, years: int) -> datetime.date:
    try:
        return today.replace(year=today.year - years)
    except ValueError:  # 29 February
        return today.replace(year=today.year - years, day=28)


def _seed_matchmaking(rng, today, unions) -> None:
    association = _matchmaking_association(today)
    singles = list(
        Member.objects.active()
        .filter(union__in=unions, birth_date__gt=_years_ago(today, 36), birth_date__lte=_years_ago(today, 22))
        .order_by("pk")
        .values_list("pk", flat=True)[:3000]
    )
    chosen = rng.sample(singles, min(len(singles), rng.randint(30, 60)))
    MatchProfile.objects.bulk_create(
        [
            MatchProfile(
                association=association,
                member_id=pk,
                about=rng.choice(ABOUT),
                looking_for=rng.choice(LOOKING_FOR),
                opted_in_on=today - datetime.timedelta(days=rng.randint(0, 3 * 365)),
                active=rng.random() > 0.1,
            )
            for pk in chosen
        ],
        ignore_conflicts=True,
    )

    events = list(
        Activity.objects.filter(
            association=association, starts_at__date__lte=today, starts_at__date__gt=_years_ago(today, 3)
        ).order_by("starts_at")
    )
    records = []
    if events:
        for activity in events:
            if rng.random() < 0.7:
                records.append(
                    MatchRecord(
                        association=association,
                        activity=activity,
                        on=activity.starts_at.date(),
                        couples=rng.randint(1, 4),
                        note=activity.title[:200],
                    )
                )
    else:
        day = _years_ago(today, 3) + datetime.timedelta(days=rng.randint(20, 60))
        while day <= today:
            records.append(
                MatchRecord(
                    association=association, on=day, couples=rng.randint(1, 4), note=rng.choice(EVENTS)
                )
            )
            day += datetime.timedelta(days=rng.randint(50, 90))
    MatchRecord.objects.bulk_create(records)
