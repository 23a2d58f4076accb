"""Searching members by the end of an ID number (or mobile), or by a whole ID number, without a full
scan on PostgreSQL.

Decision (issue 18): an expression index, not a stored "last six digits" column. A stored column would
have to be kept right on every write path (``register_member``, ``correct_id_number``, the dues bulk
inserts, imports, the admin); an index on ``reverse(id_number)`` needs none of that, and it answers any
suffix length: ``id_number`` ends with ``123X`` ⇔ ``reverse(id_number)`` starts with ``X321``, a prefix
``LIKE`` that a ``text_pattern_ops`` b-tree serves whatever the database collation. The whole number
(18 characters) is the same prefix search, so it needs no second index (the unique index on
``id_number`` is partial: active memberships only). ``members.forms.MemberFilter`` writes exactly these
expressions.

PostgreSQL only: SQLite (the embedded default) has no ``reverse()`` of its own and scans a table of
this size fast enough with ``LIKE '%…'``. The indexes live outside the model state (Django cannot
express the operator class portably), so ``makemigrations`` does not see them.
"""

from django.db import migrations

INDEXES = {
    "member_id_number_reversed_idx": "reverse(id_number) text_pattern_ops",
    "member_phone_reversed_idx": "reverse(phone) text_pattern_ops",
}


def create_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    table = apps.get_model("members", "Member")._meta.db_table
    for name, expression in INDEXES.items():
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {table} ({expression})")


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [
        ("members", "0008_dues_credits_and_replacements"),
    ]

    operations = [
        migrations.RunPython(create_indexes, drop_indexes, elidable=False),
    ]
