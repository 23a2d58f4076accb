"""Issue 24's migrations on a database that already holds honours: migrating forward keeps every
nomination as it was (no team), seeds the 十百千 programme's tiers and award types, and the extended
exactly-one-nominee check still refuses a nomination of two nominees; migrating back to 0003 removes the
programme again (as django-test-migrations does it: migrate back, write rows with the historical models,
migrate forward, look)."""

import datetime

import pytest
from django.db import IntegrityError, connection, transaction
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("honours", "0003_i19_admin_names")]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    executor.loader.build_graph()
    return executor.loader.project_state(targets).apps


def _latest():
    return MigrationExecutor(connection).loader.graph.leaf_nodes()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_migrating_forward_keeps_nominations_and_seeds_the_programme():
    try:
        old = _migrate(BEFORE)
        AwardType = old.get_model("honours", "AwardType")
        AwardRound = old.get_model("honours", "AwardRound")
        HonourNomination = old.get_model("honours", "HonourNomination")
        GrassrootsUnion = old.get_model("members", "GrassrootsUnion")
        assert "tier" not in {f.name for f in AwardType._meta.get_fields()}
        union = GrassrootsUnion.objects.create(
            code="HN901", name="甲公司工会委员会", kind="single", founded_on=datetime.date(2010, 1, 1)
        )
        award = AwardType.objects.create(name="先进基层工会", level=1, nominee_kind="union")
        award_round = AwardRound.objects.create(
            award_type=award,
            year=2025,
            opens_on=datetime.date(2025, 3, 1),
            closes_on=datetime.date(2025, 3, 31),
            quota=3,
        )
        nomination = HonourNomination.objects.create(
            round=award_round, union=union, nominee_union=union, nominee_name=union.name, statement="事迹"
        )

        _migrate(_latest())

        from honours.models import AwardType as NewAwardType
        from honours.models import HonourNomination as NewNomination
        from honours.models import SeriesTier, Team
        from members.models import Enterprise

        moved = NewNomination.objects.get(pk=nomination.pk)
        assert (moved.nominee_union_id, moved.nominee_team_id, moved.nominee_name) == (
            union.pk,
            None,
            union.name,
        )
        assert NewAwardType.objects.get(pk=award.pk).tier is None
        assert list(SeriesTier.objects.order_by("order").values_list("target", flat=True)) == [10, 100, 1000]
        assert NewAwardType.objects.filter(tier__series="shibaiqian").count() == 4

        enterprise = Enterprise.objects.create(
            name="甲精密机械有限公司",
            credit_code="91330481MA2B000001",
            union_id=union.pk,
            size_band="large",
            industry="other",
        )
        team = Team.objects.create(enterprise=enterprise, name="装配车间一班")
        with pytest.raises(IntegrityError), transaction.atomic():
            NewNomination.objects.filter(pk=nomination.pk).update(nominee_team=team)
        team_award = NewAwardType.objects.get(name="千个先进班组")
        team_round = team_award.rounds.create(
            year=2025, opens_on=datetime.date(2025, 3, 1), closes_on=datetime.date(2025, 3, 31), quota=3
        )
        NewNomination.objects.create(
            round=team_round, union_id=union.pk, nominee_team=team, nominee_name=team.name, statement="事迹"
        )

        # Back to 0003 (once the team's round is gone): the programme's award types and tiers go; forward
        # again, they are seeded again.
        NewNomination.objects.filter(round=team_round).delete()
        team_round.delete()
        team.delete()
        old = _migrate(BEFORE)
        assert not old.get_model("honours", "AwardType").objects.filter(name="千名积极分子").exists()
        _migrate(_latest())
        assert NewAwardType.objects.filter(tier__series="shibaiqian").count() == 4
    finally:
        _migrate(_latest())
