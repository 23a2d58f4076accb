"""Ledger workbooks in the format ``members.ledger`` reads: the template staff download (headers and one
example row per sheet), the registry as it stands written out as a ledger, and a synthetic district of
any size (the benchmark's 186 unions, 485 enterprises and 40,000 members; the tests' small ones)."""

from __future__ import annotations

import datetime
import io
import random

from django.utils import translation
from stdnum.cn import uscc

from unionhub.exports import write_only_workbook

from .ledger import ENTERPRISES, MEMBERS, UNIONS
from .models import Enterprise, GrassrootsUnion, Member
from .validators import id_check_character

HEADERS = {
    UNIONS: [
        "工会代码",
        "工会名称",
        "成立日期",
        "主席姓名",
        "主席手机号码",
        "本届起始日期",
        "届期年限",
        "会费收缴周期",
        "网格",
    ],
    ENTERPRISES: ["统一社会信用代码", "企业名称", "企业规模", "所属行业", "企业地址", "工会代码"],
    MEMBERS: [
        "工会代码",
        "姓名",
        "身份证号码",
        "手机号码",
        "所在企业",
        "入会日期",
        "是否农民工",
        "学历",
        "政治面貌",
    ],
}
SHEET_NAMES = {UNIONS: "工会", ENTERPRISES: "单位", MEMBERS: "会员"}
TITLE = "基层工会台账"


def write_ledger(rows: dict[str, list[list]], *, title: bool = True) -> bytes:
    """An .xlsx with a sheet per kind (工会 / 单位 / 会员), a title row above each header when ``title``."""
    book = write_only_workbook()
    for kind in (UNIONS, ENTERPRISES, MEMBERS):
        sheet = book.create_sheet(SHEET_NAMES[kind])
        if title:
            sheet.append([f"{TITLE}（{SHEET_NAMES[kind]}）"])
        sheet.append(HEADERS[kind])
        for row in rows.get(kind, ()):
            sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _label(choices, value) -> str:
    with translation.override("zh-hans"):
        return str(dict(choices).get(value, value)) if value else ""


def template_workbook() -> bytes:
    """The ledger template: the expected headers and one example row per sheet."""
    body = "91330481MA2000001"
    example_code = body + uscc.calc_check_digit(body)
    id_body = "33048119900101123"
    return write_ledger(
        {
            UNIONS: [
                [
                    "HN001",
                    "示例科技有限公司工会",
                    "2015-06-01",
                    "张三",
                    "13800000000",
                    "2023-06-01",
                    5,
                    "按月",
                    "",
                ]
            ],
            ENTERPRISES: [
                [example_code, "示例科技有限公司", "中型", "软件和信息技术服务", "示例路1号", "HN001"]
            ],
            MEMBERS: [
                [
                    "HN001",
                    "李四",
                    id_body + id_check_character(id_body),
                    "13900000000",
                    "示例科技有限公司",
                    "2020-01-01",
                    "否",
                    "本科",
                    "群众",
                ]
            ],
        },
        title=False,
    )


def registry_rows() -> dict[str, list[list]]:
    """The registry written as ledger rows: every union, enterprise and active member."""
    unions = []
    for union in GrassrootsUnion.objects.select_related("chair", "area").order_by("code"):
        chair = union.chair
        unions.append(
            [
                union.code,
                union.name,
                union.founded_on,
                (chair.name or chair.username) if chair else "",
                chair.phone if chair else "",
                union.committee_term_start,
                union.committee_term_years,
                _label(GrassrootsUnion.Schedule.choices, union.dues_schedule),
                union.area.name if union.area else "",
            ]
        )
    enterprises = [
        [
            e.credit_code,
            e.name,
            _label(Enterprise.SizeBand.choices, e.size_band),
            _label(Enterprise.Industry.choices, e.industry),
            e.address,
            e.union.code,
        ]
        for e in Enterprise.objects.select_related("union").filter(union__isnull=False).order_by("pk")
    ]
    codes = dict(GrassrootsUnion.objects.values_list("pk", "code"))
    credit = dict(Enterprise.objects.values_list("pk", "credit_code"))
    members = [
        [
            codes[union_id],
            name,
            number,
            phone,
            credit[enterprise_id],
            joined,
            "是" if migrant else "否",
            _label(Member.Education.choices, education),
            _label(Member.PoliticalStatus.choices, political),
        ]
        for union_id, name, number, phone, enterprise_id, joined, migrant, education, political in Member.objects.active()
        .order_by("union_id", "pk")
        .values_list(
            "union_id",
            "name",
            "id_number",
            "phone",
            "enterprise_id",
            "joined_on",
            "is_migrant_worker",
            "education",
            "political_status",
        )
    ]
    return {UNIONS: unions, ENTERPRISES: enterprises, MEMBERS: members}


_SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
_GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华玉兰萍红娥建华文辉力明永健世广志义兴良海山仁波宁贵福生龙元全国胜学祥才发武新利清飞彬富顺信子杰涛昌成康星光天达安岩中茂进林有坚和彪博诚先敬震振壮会思群豪心邦承乐绍功松善厚庆磊民友裕河哲江超浩亮政谦亨奇固之轮翰朗伯宏言若鸣朋斌梁栋维启克伦翔旭鹏泽晨辰士以建家致树炎德行时泰盛雄琛钧冠策腾楠榕风航弘"
_SIZES = ["大型", "中型", "小型", "微型"]
_EDUCATION = ["初中及以下", "高中", "大专", "本科", "硕士"]
_POLITICAL = ["群众", "群众", "群众", "共青团员", "中共党员"]
_SCHEDULES = ["按月", "按月", "按季", "按年"]


def synthetic_rows(
    *, unions: int = 186, enterprises: int = 485, members: int = 40_000, seed: int = 2026
) -> dict:
    """A district of the given size: every union covers at least one enterprise, members are spread over
    the unions' enterprises; ID numbers, credit codes and mobiles are valid and distinct."""
    rng = random.Random(seed)
    day = datetime.date(2010, 1, 1)
    union_rows, codes = [], []
    for n in range(unions):
        code = f"HN{n + 1:03d}"
        codes.append(code)
        union_rows.append(
            [
                code,
                f"第{n + 1}工会",
                day + datetime.timedelta(days=n * 9),
                _person(rng),
                f"139{n:08d}",
                datetime.date(2023, 1, 1) + datetime.timedelta(days=n),
                5,
                rng.choice(_SCHEDULES),
                "",
            ]
        )
    enterprise_rows, by_union = [], {code: [] for code in codes}
    for n in range(enterprises):
        code = codes[n] if n < unions else rng.choice(codes)
        body = f"91330481MA{n:07d}"
        credit = body + uscc.calc_check_digit(body)
        name = f"示例{n + 1}号有限公司"
        by_union[code].append(name)
        enterprise_rows.append([credit, name, rng.choice(_SIZES), "制造业", f"海宁市{n + 1}号", code])
    member_rows = []
    for n in range(members):
        code = codes[n % unions]
        # Each thousand people has its own span of birth dates, so (birth date, sequence) never repeats.
        birth = datetime.date(1966, 1, 1) + datetime.timedelta(days=n // 1000 * 97 + rng.randrange(90))
        body = f"330481{birth:%Y%m%d}{n % 1000:03d}"
        number = body + id_check_character(body)
        member_rows.append(
            [
                code,
                _person(rng),
                number,
                f"13{n % 10}{n:08d}",
                rng.choice(by_union[code]),
                datetime.date(2015, 1, 1) + datetime.timedelta(days=rng.randrange(3000)),
                rng.choice(["是", "否"]),
                rng.choice(_EDUCATION),
                rng.choice(_POLITICAL),
            ]
        )
    return {UNIONS: union_rows, ENTERPRISES: enterprise_rows, MEMBERS: member_rows}


def _person(rng: random.Random) -> str:
    return rng.choice(_SURNAMES) + rng.choice(_GIVEN) + (rng.choice(_GIVEN) if rng.random() < 0.6 else "")
