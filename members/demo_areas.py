"""Demo grid areas (片组): the district's unions in eight areas named after its roads and parks,
neighbouring unions (consecutive codes) together, each area led by its first union."""

from .models import Area, GrassrootsUnion

AREA_NAMES = [
    "芯中路片组",
    "新潮路片组",
    "双联路片组",
    "科技大道片组",
    "文苑南路片组",
    "鹃湖公园片组",
    "海昌南路片组",
    "百合路片组",
]
CONTACT_SURNAMES = "王李张刘陈杨黄赵吴周徐孙朱沈钱褚"
CONTACT_GIVEN = [
    "建国",
    "丽萍",
    "晓东",
    "海燕",
    "志强",
    "红梅",
    "国华",
    "雪芳",
    "卫东",
    "佳琪",
    "文斌",
    "秀英",
]


def _mobile(rng) -> str:
    return f"1{rng.choice('35789')}{rng.randrange(10**9):09d}"


def seed_areas(*, rng, unions, staff, today):
    """Eight areas covering every union (``unions[0]``, chair1's, leads the first); the contact is the
    lead chair's name where the chair has one, with a mobile number."""
    if not unions:
        return []
    count = min(len(AREA_NAMES), len(unions))
    size, extra = divmod(len(unions), count)
    blocks, start = [], 0
    for i in range(count):
        end = start + size + (1 if i < extra else 0)
        blocks.append(unions[start:end])
        start = end
    areas = []
    for name, block in zip(AREA_NAMES, blocks, strict=False):
        lead = next((u for u in block if u.chair_id), block[0])
        chair_name = getattr(lead.chair, "name", "") if lead.chair_id else ""
        contact = chair_name or rng.choice(CONTACT_SURNAMES) + rng.choice(CONTACT_GIVEN)
        areas.append(
            Area(
                name=name,
                lead_union=lead,
                contact_name=contact,
                contact_phone=_mobile(rng),
                note=f"{block[0].code}–{block[-1].code}",
            )
        )
    Area.objects.bulk_create(areas)
    for area, block in zip(areas, blocks, strict=True):
        for union in block:
            union.area = area
    GrassrootsUnion.objects.bulk_update(unions, ["area"], batch_size=500)
    return areas
