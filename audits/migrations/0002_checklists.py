"""The audit team's checklists, one per audit type, as data (so production has them): the items of the
federation's audit rule — accounts kept, the 60% share, dues receipts, spending approvals, fixed assets and
the union's own hardship spending — and for a departure audit the handover of accounts and assets."""

from django.db import migrations

COMMON = [
    ("accounts", "工会经费独立建账、单独核算", "是否独立设立工会经费账户，会计凭证、账簿、报表齐全，按规定记账。"),
    ("share", "60%经费返还款按时足额到账", "核对上解经费与返还（60%留成）到账记录，是否与申报工资总额一致。"),
    ("share", "留成经费按规定用途使用", "经费支出是否用于职工活动、维权、培训等规定用途，无超范围、超标准支出。"),
    ("receipts", "会费收缴凭证完整", "会员会费收缴名册、收据齐全，收缴比例符合规定。"),
    ("approvals", "支出审批手续完备", "每笔支出有经办人、审核人、审批人签字，大额支出经工会委员会集体研究。"),
    ("assets", "固定资产登记管理", "固定资产台账与实物相符，购置、报废有审批记录。"),
    ("hardship", "困难职工帮扶资金使用", "工会自有帮扶支出有申请、审批、公示和领取签字，对象符合条件。"),
]
DUES = [
    ("receipts", "经费申报工资总额真实", "申报的工资总额与企业工资发放记录、社保缴费基数一致。"),
    ("receipts", "经费按期足额上解", "各期经费是否按期上解，有无欠缴、少缴，欠缴原因及清欠计划。"),
    ("receipts", "会费收缴凭证完整", "会员会费收缴名册、收据齐全，收缴比例符合规定。"),
    ("share", "60%经费返还款按时足额到账", "核对上解经费与返还（60%留成）到账记录。"),
]
DEPARTURE = COMMON + [
    ("accounts", "离任交接账目清楚", "主席离任时账目、银行存款、现金、印鉴交接清楚，有交接清单和监交人签字。"),
    ("assets", "离任交接资产完整", "固定资产、物资随交接清单移交，无短缺。"),
]


def seed(apps, schema_editor):
    ChecklistItem = apps.get_model("audits", "ChecklistItem")
    for kind, rows in (("annual", COMMON), ("dues", DUES), ("departure", DEPARTURE)):
        for n, (area, title, guidance) in enumerate(rows, start=1):
            ChecklistItem.objects.get_or_create(
                kind=kind, title=title, defaults={"area": area, "guidance": guidance, "order": n * 10}
            )


def unseed(apps, schema_editor):
    apps.get_model("audits", "ChecklistItem").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("audits", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
