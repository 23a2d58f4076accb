"""The honours models (评先评优) leave ``members`` for this app, keeping their tables and rows.

The models are created here in the migration state only (``SeparateDatabaseAndState`` with no
database operation), on the tables they already have (``db_table="members_…"``); members 0007 then
deletes them from the ``members`` state, again without touching the database, and 0002 renames the
tables to this app's names. Before anything else the content types move, so that permissions and
the audit trail follow the models (see below). On a fresh database the tables were just made by
members 0006 and the same steps apply."""

import django.db.models.deletion
import honours.models
from django.conf import settings
from django.db import migrations, models


# --- the content types follow the models -------------------------------------------------------------
# Permissions (auth_permission), the duty groups' and users' grants of them, and the audit trail
# (auditlog's LogEntry.content_type) all point at django_content_type rows. Moving the rows from
# app_label "members" to "honours" keeps every one of those references: ``members.add_honour`` held by
# a group becomes ``honours.add_honour`` on the same row. On a fresh database there are no rows yet (they
# are made by post_migrate, after every migration): nothing to do.

MODELS = ('awardtype', 'awardround', 'awardcriterion', 'honournomination', 'honour', 'nominationevidence', 'nominationscore')


def _move_content_types(apps, schema_editor, *, source, target):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    LogEntry = apps.get_model("auditlog", "LogEntry")
    db = schema_editor.connection.alias
    for model in MODELS:
        old = ContentType.objects.using(db).filter(app_label=source, model=model).first()
        if old is None:
            continue
        new = ContentType.objects.using(db).filter(app_label=target, model=model).first()
        if new is None:
            old.app_label = target
            old.save(update_fields=["app_label"])
            continue
        # Both exist (post_migrate ran for the new app before this migration, e.g. after a failed
        # run): fold the old row into the new one, then drop it.
        LogEntry.objects.using(db).filter(content_type=old).update(content_type=new)
        for perm in Permission.objects.using(db).filter(content_type=old):
            twin = Permission.objects.using(db).filter(content_type=new, codename=perm.codename).first()
            if twin is None:
                perm.content_type = new
                perm.save(update_fields=["content_type"])
                continue
            twin.group_set.add(*perm.group_set.all())
            twin.user_set.add(*perm.user_set.all())
            perm.delete()
        old.delete()


def content_types_to_honours(apps, schema_editor):
    _move_content_types(apps, schema_editor, source="members", target="honours")


def content_types_back_to_members(apps, schema_editor):
    _move_content_types(apps, schema_editor, source="honours", target="members")


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('associations', '0003_programme'),
        ('members', '0006_area_grassrootsunion_area_awardtype_awardround_and_more'),
        ('contenttypes', '0002_remove_content_type_name'),
        ('auth', '0012_alter_user_first_name_max_length'),
        ('auditlog', '0001_initial'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RunPython(content_types_to_honours, content_types_back_to_members),
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.CreateModel(
                    name='AwardType',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('name', models.CharField(max_length=60, verbose_name='name')),
                        ('level', models.PositiveSmallIntegerField(choices=[(1, 'District'), (2, 'County-level city'), (3, 'Prefecture city'), (4, 'Province'), (5, 'National')], verbose_name='level')),
                        ('nominee_kind', models.CharField(choices=[('union', 'A union'), ('enterprise', 'An enterprise'), ('union_worker', 'A union worker'), ('member', 'A member'), ('association', 'An association')], max_length=16, verbose_name='who can be nominated')),
                        ('criteria', models.TextField(blank=True, verbose_name='criteria')),
                        ('active', models.BooleanField(default=True, verbose_name='in use')),
                    ],
                    options={
                        'verbose_name': 'award type',
                        'verbose_name_plural': 'award types',
                        'db_table': 'members_awardtype',
                        'ordering': ['name', 'level'],
                        'constraints': [models.UniqueConstraint(fields=('name', 'level'), name='award_type_name_level_unique')],
                    },
                ),
                migrations.CreateModel(
                    name='AwardRound',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('year', models.PositiveSmallIntegerField(verbose_name='year')),
                        ('opens_on', models.DateField(verbose_name='nominations open')),
                        ('closes_on', models.DateField(verbose_name='nominations close')),
                        ('quota', models.PositiveSmallIntegerField(verbose_name='quota')),
                        ('per_union_limit', models.PositiveSmallIntegerField(blank=True, help_text='Leave empty for no limit per union.', null=True, verbose_name='nominations per union')),
                        ('decided_on', models.DateField(blank=True, null=True, verbose_name='committee decision on')),
                        ('committee_note', models.TextField(blank=True, verbose_name='committee decision')),
                        ('notice_working_days', models.PositiveSmallIntegerField(default=5, verbose_name='public notice (working days)')),
                        ('notice_starts_on', models.DateField(blank=True, null=True, verbose_name='public notice from')),
                        ('notice_ends_on', models.DateField(blank=True, null=True, verbose_name='public notice until')),
                        ('created_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('award_type', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='rounds', to='honours.awardtype', verbose_name='award type')),
                    ],
                    options={
                        'verbose_name': 'award round',
                        'verbose_name_plural': 'award rounds',
                        'db_table': 'members_awardround',
                        'ordering': ['-year', 'award_type'],
                    },
                ),
                migrations.CreateModel(
                    name='AwardCriterion',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('title', models.CharField(max_length=200, verbose_name='criterion')),
                        ('max_points', models.PositiveSmallIntegerField(verbose_name='maximum points')),
                        ('order', models.PositiveSmallIntegerField(default=0, verbose_name='order')),
                        ('award_type', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='criteria_items', to='honours.awardtype')),
                    ],
                    options={
                        'verbose_name': 'award criterion',
                        'verbose_name_plural': 'award criteria',
                        'db_table': 'members_awardcriterion',
                        'ordering': ['award_type', 'order', 'pk'],
                    },
                ),
                migrations.CreateModel(
                    name='HonourNomination',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('nominee_name', models.CharField(max_length=100, verbose_name='nominee')),
                        ('statement', models.TextField(verbose_name='statement')),
                        ('status', models.CharField(choices=[('submitted', 'Submitted'), ('withdrawn', 'Withdrawn'), ('ineligible', 'Ineligible'), ('scored', 'Scored'), ('awarded', 'Awarded'), ('not_awarded', 'Not awarded')], default='submitted', max_length=12, verbose_name='status')),
                        ('score', models.DecimalField(blank=True, decimal_places=1, max_digits=6, null=True, verbose_name='score')),
                        ('review_note', models.TextField(blank=True, verbose_name='review note')),
                        ('submitted_at', models.DateTimeField(auto_now_add=True, verbose_name='submitted at')),
                        ('nominee_association', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='honour_nominations', to='associations.association')),
                        ('nominee_enterprise', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='honour_nominations', to='members.enterprise')),
                        ('nominee_member', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='honour_nominations', to='members.member')),
                        ('nominee_union', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='honour_nominations', to='members.grassrootsunion')),
                        ('round', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='nominations', to='honours.awardround', verbose_name='round')),
                        ('submitted_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('union', models.ForeignKey(blank=True, help_text='Empty when the federation nominates directly.', null=True, on_delete=django.db.models.deletion.PROTECT, related_name='honour_nominations_made', to='members.grassrootsunion', verbose_name='nominating union')),
                    ],
                    options={
                        'verbose_name': 'nomination',
                        'verbose_name_plural': 'nominations',
                        'db_table': 'members_honournomination',
                        'ordering': ['round', '-score', 'pk'],
                    },
                ),
                migrations.CreateModel(
                    name='Honour',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('number', models.CharField(max_length=32, unique=True, verbose_name='certificate number')),
                        ('token', models.CharField(default=honours.models._token, editable=False, max_length=40, unique=True)),
                        ('issued_on', models.DateField(verbose_name='awarded on')),
                        ('pdf', models.FileField(blank=True, upload_to=honours.models.honour_certificate_path, verbose_name='PDF')),
                        ('revoked', models.BooleanField(default=False, verbose_name='revoked')),
                        ('created_at', models.DateTimeField(auto_now_add=True)),
                        ('nomination', models.OneToOneField(on_delete=django.db.models.deletion.PROTECT, related_name='honour', to='honours.honournomination')),
                    ],
                    options={
                        'verbose_name': 'honour',
                        'verbose_name_plural': 'honours',
                        'db_table': 'members_honour',
                        'ordering': ['-issued_on', 'number'],
                    },
                ),
                migrations.CreateModel(
                    name='NominationEvidence',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('upload', models.FileField(upload_to=honours.models.evidence_path, verbose_name='file')),
                        ('description', models.CharField(blank=True, max_length=200, verbose_name='description')),
                        ('uploaded_at', models.DateTimeField(auto_now_add=True)),
                        ('nomination', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='evidence', to='honours.honournomination')),
                        ('uploaded_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'verbose_name': 'evidence',
                        'verbose_name_plural': 'evidence',
                        'db_table': 'members_nominationevidence',
                        'ordering': ['nomination', 'pk'],
                    },
                ),
                migrations.CreateModel(
                    name='NominationScore',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('points', models.DecimalField(decimal_places=1, max_digits=5, verbose_name='points')),
                        ('scored_at', models.DateTimeField(auto_now=True)),
                        ('criterion', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='honours.awardcriterion')),
                        ('nomination', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='scores', to='honours.honournomination')),
                        ('scored_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'verbose_name': 'score',
                        'verbose_name_plural': 'scores',
                        'db_table': 'members_nominationscore',
                        'ordering': ['nomination', 'criterion__order', 'criterion_id'],
                    },
                ),
                migrations.AddConstraint(
                    model_name='awardround',
                    constraint=models.UniqueConstraint(fields=('award_type', 'year'), name='award_round_one_per_type_year'),
                ),
                migrations.AddConstraint(
                    model_name='awardround',
                    constraint=models.CheckConstraint(condition=models.Q(('closes_on__gte', models.F('opens_on'))), name='award_round_closes_after_opening'),
                ),
                migrations.AddConstraint(
                    model_name='awardround',
                    constraint=models.CheckConstraint(condition=models.Q(('quota__gte', 1)), name='award_round_quota_positive'),
                ),
                migrations.AddConstraint(
                    model_name='awardround',
                    constraint=models.CheckConstraint(condition=models.Q(('notice_working_days__gte', 1)), name='award_round_notice_days_positive'),
                ),
                migrations.AddConstraint(
                    model_name='awardcriterion',
                    constraint=models.CheckConstraint(condition=models.Q(('max_points__gte', 1)), name='award_criterion_points_positive'),
                ),
                migrations.AddConstraint(
                    model_name='honournomination',
                    constraint=models.CheckConstraint(condition=models.Q(models.Q(('nominee_association__isnull', True), ('nominee_enterprise__isnull', True), ('nominee_member__isnull', True), ('nominee_union__isnull', False)), models.Q(('nominee_association__isnull', True), ('nominee_enterprise__isnull', False), ('nominee_member__isnull', True), ('nominee_union__isnull', True)), models.Q(('nominee_association__isnull', True), ('nominee_enterprise__isnull', True), ('nominee_member__isnull', False), ('nominee_union__isnull', True)), models.Q(('nominee_association__isnull', False), ('nominee_enterprise__isnull', True), ('nominee_member__isnull', True), ('nominee_union__isnull', True)), _connector='OR'), name='nomination_exactly_one_nominee'),
                ),
                migrations.AddConstraint(
                    model_name='honournomination',
                    constraint=models.UniqueConstraint(condition=models.Q(('status', 'withdrawn'), _negated=True), fields=('round', 'nominee_union'), name='nomination_union_once_per_round'),
                ),
                migrations.AddConstraint(
                    model_name='honournomination',
                    constraint=models.UniqueConstraint(condition=models.Q(('status', 'withdrawn'), _negated=True), fields=('round', 'nominee_enterprise'), name='nomination_enterprise_once_per_round'),
                ),
                migrations.AddConstraint(
                    model_name='honournomination',
                    constraint=models.UniqueConstraint(condition=models.Q(('status', 'withdrawn'), _negated=True), fields=('round', 'nominee_member'), name='nomination_member_once_per_round'),
                ),
                migrations.AddConstraint(
                    model_name='honournomination',
                    constraint=models.UniqueConstraint(condition=models.Q(('status', 'withdrawn'), _negated=True), fields=('round', 'nominee_association'), name='nomination_association_once_per_round'),
                ),
                migrations.AddConstraint(
                    model_name='nominationscore',
                    constraint=models.UniqueConstraint(fields=('nomination', 'criterion'), name='nomination_score_once_per_criterion'),
                ),
                migrations.AddConstraint(
                    model_name='nominationscore',
                    constraint=models.CheckConstraint(condition=models.Q(('points__gte', 0)), name='nomination_score_not_negative'),
                ),
            ],
        ),
    ]
