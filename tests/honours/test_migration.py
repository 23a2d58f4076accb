"""The honours and workers' homes models left ``members`` for apps of their own. On a database that
already holds them, migrating forward keeps every row, and the permissions, the duty groups' grants
and the audit trail follow the models to their new app labels (as django-test-migrations does it:
migrate back, write rows with the historical models, migrate forward, look)."""

import datetime

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [
    ("members", "0006_area_grassrootsunion_area_awardtype_awardround_and_more"),
    ("honours", None),
    ("homes", None),
]


def _migrate(targets):
    """Migrate to ``targets``; the historical models there (every other app at its latest)."""
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    executor.loader.build_graph()
    # Every other app at its latest, if it is still applied: an app whose migrations need a later members
    # migration (audits, meetings, news…) was unapplied with it, and its state would hold members at its latest.
    applied = executor.recorder.applied_migrations()
    nodes = [
        node
        for node in executor.loader.graph.leaf_nodes()
        if node[0] not in dict(targets) and node in applied
    ]
    return executor.loader.project_state(nodes + [t for t in targets if t[1] is not None]).apps


def _latest():
    return MigrationExecutor(connection).loader.graph.leaf_nodes()


def _table_names():
    with connection.cursor() as cursor:
        return set(connection.introspection.table_names(cursor))


# serialized_rollback: start from the migrated data and leave it for the next transactional test, as the
# suite's other transactional tests do.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_migrating_forward_keeps_rows_permissions_and_audit_trail():
    try:
        old = _migrate(BEFORE)
        assert {"members_awardtype", "members_checklistitem"} <= _table_names()
        assert not {"honours_awardtype", "homes_checklistitem"} & _table_names()
        ContentType_ = old.get_model("contenttypes", "ContentType")
        Permission = old.get_model("auth", "Permission")
        Group = old.get_model("auth", "Group")
        LogEntry = old.get_model("auditlog", "LogEntry")
        AwardType = old.get_model("members", "AwardType")
        AwardRound = old.get_model("members", "AwardRound")
        ChecklistItem = old.get_model("members", "ChecklistItem")

        # What an existing database holds: the rows, the content types and permissions that
        # post_migrate made for them under "members", a group holding some and an audit entry.
        award = AwardType.objects.create(name="劳动模范", level=1, nominee_kind="member")
        AwardRound.objects.create(
            award_type=award,
            year=2025,
            opens_on=datetime.date(2025, 3, 1),
            closes_on=datetime.date(2025, 3, 31),
            quota=3,
        )
        item = ChecklistItem.objects.create(category="facilities", title="职工书屋", max_points=5)
        award_ct, _ = ContentType_.objects.get_or_create(app_label="members", model="awardtype")
        honour_ct, _ = ContentType_.objects.get_or_create(app_label="members", model="honour")
        inspection_ct, _ = ContentType_.objects.get_or_create(app_label="members", model="homeinspection")
        add_honour, _ = Permission.objects.get_or_create(
            content_type=honour_ct, codename="add_honour", defaults={"name": "Can add honour"}
        )
        add_inspection, _ = Permission.objects.get_or_create(
            content_type=inspection_ct, codename="add_homeinspection", defaults={"name": "Can add inspection"}
        )
        group = Group.objects.create(name="honours committee")
        group.permissions.add(add_honour, add_inspection)
        entry = LogEntry.objects.create(
            content_type=award_ct,
            object_pk=str(award.pk),
            object_id=award.pk,
            object_repr="劳动模范",
            action=0,
            changes="{}",
        )

        _migrate(_latest())
        ContentType.objects.clear_cache()

        from auditlog.models import LogEntry as CurrentLogEntry
        from django.contrib.auth.models import Group as CurrentGroup

        from homes.models import ChecklistItem as MovedItem
        from honours.models import AwardRound as MovedRound
        from honours.models import AwardType as MovedType

        tables = _table_names()
        assert {"honours_awardtype", "honours_awardround", "homes_checklistitem"} <= tables
        assert not {
            t
            for t in tables
            if t.startswith("members_") and ("award" in t or "home" in t or "checklist" in t)
        }
        assert MovedType.objects.get(pk=award.pk).name == "劳动模范"
        assert MovedRound.objects.get().award_type_id == award.pk
        assert MovedItem.objects.get(pk=item.pk).title == "职工书屋"

        # The same content type rows, now under the new labels: nothing left under "members".
        assert not ContentType.objects.filter(
            app_label="members", model__in=["awardtype", "honour", "homeinspection"]
        ).exists()
        assert ContentType.objects.get(pk=award_ct.pk).app_label == "honours"
        assert ContentType.objects.get(pk=inspection_ct.pk).app_label == "homes"

        moved = CurrentLogEntry.objects.get(pk=entry.pk)
        assert moved.content_type.app_label == "honours"
        assert moved.content_type.get_object_for_this_type(pk=moved.object_pk) == MovedType.objects.get(
            pk=award.pk
        )

        perms = {
            f"{p.content_type.app_label}.{p.codename}"
            for p in CurrentGroup.objects.get(pk=group.pk).permissions.select_related("content_type")
        }
        assert perms == {"honours.add_honour", "homes.add_homeinspection"}
    finally:
        _migrate(_latest())
        ContentType.objects.clear_cache()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_on_a_fresh_database_the_content_type_step_does_nothing():
    """Migrated from nothing there are no "members" content types to move: the move is a no-op, and the
    rows post_migrate then makes are under the new labels."""
    try:
        old = _migrate(BEFORE)
        old.get_model("contenttypes", "ContentType").objects.filter(
            app_label__in=["members", "honours", "homes"]
        ).delete()
        _migrate(_latest())
        ContentType.objects.clear_cache()
        assert not ContentType.objects.filter(app_label__in=["honours", "homes"]).exists()
    finally:
        _migrate(_latest())
        ContentType.objects.clear_cache()
