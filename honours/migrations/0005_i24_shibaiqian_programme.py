"""The 十百千 programme (the federation's tiered creation and selection: ten model units, a hundred
excellent ones, a thousand active members and teams): its three tiers with their yearly targets, and its
four award types with their scoring sheets (each 100 points). The yearly selection is then rounds of these
types, as for any award. Migrating back removes them while no round uses them."""

from django.db import migrations

SERIES = "shibaiqian"
DISTRICT = 1
# (tier, name, yearly target)
TIERS = [(1, "十佳示范", 10), (2, "百家优秀", 100), (3, "千名积极分子、千个先进班组", 1000)]
# (tier, award, who is nominated, criteria, [(criterion, points)])
TYPES = [
    (
        1,
        "十佳示范单位",
        "union",
        "工会组织健全、制度完善，职工之家建设达到示范标准，维权服务、民主管理和文体活动有特色、有品牌，"
        "在全区起示范引领作用；须已获评百家优秀单位。",
        [("组织建设与制度规范", 20), ("维权服务与民主管理", 30), ("品牌特色与示范引领", 30), ("职工满意度", 20)],
    ),
    (
        2,
        "百家优秀单位",
        "enterprise",
        "企业依法用工、劳动关系和谐，工会工作开展扎实，集体协商、厂务公开、安全生产和职工关爱成效明显。",
        [("劳动关系与集体协商", 30), ("厂务公开与民主管理", 25), ("安全生产与职业健康", 20), ("职工关爱与文化建设", 25)],
    ),
    (
        3,
        "千名积极分子",
        "member",
        "热爱工会工作，积极参加工会组织的各项活动，在岗位建功、技能提升、志愿服务等方面表现突出。",
        [("岗位建功", 40), ("参与工会活动", 30), ("志愿服务与团结互助", 30)],
    ),
    (
        3,
        "千个先进班组",
        "team",
        "班组管理规范、团结协作，安全生产无事故，在技术创新、质量提升、节能降耗等方面成绩突出。",
        [("班组管理与团队建设", 30), ("安全生产与质量", 30), ("技术创新与提质增效", 40)],
    ),
]


def seed(apps, schema_editor):
    SeriesTier = apps.get_model("honours", "SeriesTier")
    AwardType = apps.get_model("honours", "AwardType")
    AwardCriterion = apps.get_model("honours", "AwardCriterion")
    tiers = {}
    for order, name, target in TIERS:
        tiers[order], _created = SeriesTier.objects.get_or_create(
            series=SERIES, order=order, defaults={"name": name, "target": target}
        )
    for order, name, kind, criteria, items in TYPES:
        award_type, created = AwardType.objects.get_or_create(
            name=name,
            level=DISTRICT,
            defaults={"nominee_kind": kind, "criteria": criteria, "tier": tiers[order]},
        )
        if not created:  # an award of that name existed already: it joins the programme as it is
            award_type.tier = tiers[order]
            award_type.save(update_fields=["tier"])
            continue
        AwardCriterion.objects.bulk_create(
            [
                AwardCriterion(award_type=award_type, title=title, max_points=points, order=n)
                for n, (title, points) in enumerate(items, start=1)
            ]
        )


def unseed(apps, schema_editor):
    SeriesTier = apps.get_model("honours", "SeriesTier")
    AwardType = apps.get_model("honours", "AwardType")
    AwardCriterion = apps.get_model("honours", "AwardCriterion")
    alias = schema_editor.connection.alias
    unused = list(AwardType.objects.filter(tier__series=SERIES, rounds__isnull=True).values_list("pk", flat=True))
    # Raw deletes: the deletion collector would follow relations into other apps' historical models (news,
    # contests…), which migrating back leaves at other states. Unused types have no scores or rounds.
    AwardCriterion.objects.filter(award_type__in=unused)._raw_delete(alias)
    AwardType.objects.filter(pk__in=unused)._raw_delete(alias)
    AwardType.objects.filter(tier__series=SERIES).update(tier=None)
    SeriesTier.objects.filter(series=SERIES)._raw_delete(alias)


class Migration(migrations.Migration):
    dependencies = [("honours", "0004_i24_teams_series_federation_awards")]

    operations = [migrations.RunPython(seed, unseed)]
