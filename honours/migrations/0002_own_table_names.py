"""The honours' tables take this app's names (``members_awardround`` → ``honours_awardround``).

Renamed rather than kept: the old names would tell every reader of the database (reports, backups,
a ``dbshell`` session) that these rows belong to the registry, which is what this move undoes, and a
model with a ``db_table`` pointing into another app is a trap for the next migration. Renaming is
safe here: on PostgreSQL ``ALTER TABLE … RENAME`` changes only the catalogue (instant, no rewrite;
foreign keys, indexes, constraints and the identity sequences follow the table, keeping their old
names, which nothing refers to); on SQLite ≥ 3.26 (Django's minimum is 3.31) the references of other
tables are rewritten with it. No other app has a foreign key to these tables, there are no
many-to-many tables, and no raw SQL names them. Run it with the code of this release (web and
workers restarted together): code from before the move would look for the old names."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('honours', '0001_initial'),
        # after the registry's state let go of the old names
        ('members', '0007_honours_and_homes_leave_members'),
    ]

    operations = [
        migrations.AlterModelTable(
            name='awardcriterion',
            table=None,
        ),
        migrations.AlterModelTable(
            name='awardround',
            table=None,
        ),
        migrations.AlterModelTable(
            name='awardtype',
            table=None,
        ),
        migrations.AlterModelTable(
            name='honour',
            table=None,
        ),
        migrations.AlterModelTable(
            name='honournomination',
            table=None,
        ),
        migrations.AlterModelTable(
            name='nominationevidence',
            table=None,
        ),
        migrations.AlterModelTable(
            name='nominationscore',
            table=None,
        ),
    ]
