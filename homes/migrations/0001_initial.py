"""The workers' homes models (职工之家) leave ``members`` for this app, keeping their tables and rows.

The models are created here in the migration state only (``SeparateDatabaseAndState`` with no
database operation), on the tables they already have (``db_table="members_…"``); members 0007 then
deletes them from the ``members`` state, again without touching the database, and 0002 renames the
tables to this app's names. Before anything else the content types move, so that permissions and
the audit trail follow the models (see below). On a fresh database the tables were just made by
members 0006 and the same steps apply."""

import django.db.models.deletion
import homes.models
from django.conf import settings
from django.db import migrations, models


# --- the content types follow the models -------------------------------------------------------------
# Permissions (auth_permission), the duty groups' and users' grants of them, and the audit trail
# (auditlog's LogEntry.content_type) all point at django_content_type rows. Moving the rows from
# app_label "members" to "homes" keeps every one of those references: ``members.add_homeinspection`` held by
# a group becomes ``homes.add_homeinspection`` on the same row. On a fresh database there are no rows yet (they
# are made by post_migrate, after every migration): nothing to do.

MODELS = ('checklistitem', 'homeinspection', 'inspectionphoto', 'selfassessment', 'selfassessmentscore', 'workershome', 'inspectionscore')


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


def content_types_to_homes(apps, schema_editor):
    _move_content_types(apps, schema_editor, source="members", target="homes")


def content_types_back_to_members(apps, schema_editor):
    _move_content_types(apps, schema_editor, source="homes", target="members")


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('members', '0006_area_grassrootsunion_area_awardtype_awardround_and_more'),
        ('contenttypes', '0002_remove_content_type_name'),
        ('auth', '0012_alter_user_first_name_max_length'),
        ('auditlog', '0001_initial'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RunPython(content_types_to_homes, content_types_back_to_members),
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.CreateModel(
                    name='ChecklistItem',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('category', models.CharField(choices=[('organisation', 'Organisation'), ('democracy', 'Democratic management'), ('facilities', 'Facilities'), ('activities', 'Activities')], max_length=16, verbose_name='category')),
                        ('title', models.CharField(max_length=200, verbose_name='item')),
                        ('guidance', models.TextField(blank=True, verbose_name='what earns the points')),
                        ('max_points', models.PositiveSmallIntegerField(verbose_name='maximum points')),
                        ('order', models.PositiveSmallIntegerField(default=0, verbose_name='order')),
                        ('active', models.BooleanField(default=True, verbose_name='in use')),
                    ],
                    options={
                        'verbose_name': 'checklist item',
                        'verbose_name_plural': 'checklist items',
                        'db_table': 'members_checklistitem',
                        'ordering': ['order', 'pk'],
                        'constraints': [models.CheckConstraint(condition=models.Q(('max_points__gte', 1)), name='checklist_item_points_positive')],
                    },
                ),
                migrations.CreateModel(
                    name='HomeInspection',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('kind', models.CharField(choices=[('acceptance', 'Acceptance inspection'), ('reinspection', 'Re-inspection'), ('spot_check', 'Spot check')], max_length=16, verbose_name='kind')),
                        ('visited_on', models.DateField(verbose_name='visited on')),
                        ('inspectors', models.CharField(max_length=200, verbose_name='inspectors')),
                        ('findings', models.TextField(verbose_name='findings')),
                        ('total', models.DecimalField(decimal_places=1, default=0, max_digits=6, verbose_name='total')),
                        ('level_after', models.PositiveSmallIntegerField(choices=[(0, 'Not rated'), (1, 'Qualified (合格职工之家)'), (2, 'City-level model home'), (3, 'Prefecture-level model home'), (4, 'Provincial model home'), (5, 'National excellent home (全国优秀职工之家)')], verbose_name='level after the visit')),
                        ('recorded_at', models.DateTimeField(auto_now_add=True)),
                        ('recorded_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('union', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='home_inspections', to='members.grassrootsunion', verbose_name='grassroots union')),
                    ],
                    options={
                        'verbose_name': 'inspection',
                        'verbose_name_plural': 'inspections',
                        'db_table': 'members_homeinspection',
                        'ordering': ['-visited_on', '-pk'],
                    },
                ),
                migrations.CreateModel(
                    name='InspectionPhoto',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('image', models.FileField(upload_to=homes.models.inspection_photo_path, verbose_name='photo')),
                        ('caption', models.CharField(blank=True, max_length=200, verbose_name='caption')),
                        ('uploaded_at', models.DateTimeField(auto_now_add=True)),
                        ('inspection', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='photos', to='homes.homeinspection')),
                    ],
                    options={
                        'verbose_name': 'inspection photo',
                        'verbose_name_plural': 'inspection photos',
                        'db_table': 'members_inspectionphoto',
                        'ordering': ['inspection', 'pk'],
                    },
                ),
                migrations.CreateModel(
                    name='SelfAssessment',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('year', models.PositiveSmallIntegerField(verbose_name='year')),
                        ('status', models.CharField(choices=[('draft', 'Draft'), ('submitted', 'Submitted')], default='draft', max_length=10, verbose_name='status')),
                        ('total', models.DecimalField(decimal_places=1, default=0, max_digits=6, verbose_name='total')),
                        ('submitted_at', models.DateTimeField(blank=True, null=True, verbose_name='submitted at')),
                        ('submitted_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('union', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='home_self_assessments', to='members.grassrootsunion', verbose_name='grassroots union')),
                    ],
                    options={
                        'verbose_name': 'self-assessment',
                        'verbose_name_plural': 'self-assessments',
                        'db_table': 'members_selfassessment',
                        'ordering': ['-year', 'union__code'],
                    },
                ),
                migrations.CreateModel(
                    name='SelfAssessmentScore',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('points', models.DecimalField(decimal_places=1, max_digits=5, verbose_name='points')),
                        ('note', models.CharField(blank=True, max_length=200, verbose_name='note')),
                        ('assessment', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='scores', to='homes.selfassessment')),
                        ('item', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='homes.checklistitem')),
                    ],
                    options={
                        'db_table': 'members_selfassessmentscore',
                        'ordering': ['assessment', 'item__order', 'item_id'],
                    },
                ),
                migrations.CreateModel(
                    name='WorkersHome',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('level', models.PositiveSmallIntegerField(choices=[(0, 'Not rated'), (1, 'Qualified (合格职工之家)'), (2, 'City-level model home'), (3, 'Prefecture-level model home'), (4, 'Provincial model home'), (5, 'National excellent home (全国优秀职工之家)')], default=0, verbose_name='level')),
                        ('level_reached_on', models.DateField(blank=True, null=True, verbose_name='level reached on')),
                        ('last_inspected_on', models.DateField(blank=True, null=True, verbose_name='last inspected on')),
                        ('reinspection_due_on', models.DateField(blank=True, null=True, verbose_name='re-inspection due on')),
                        ('reminded_for', models.DateField(blank=True, editable=False, null=True)),
                        ('union', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='workers_home', to='members.grassrootsunion', verbose_name='grassroots union')),
                    ],
                    options={
                        'verbose_name': "workers' home",
                        'verbose_name_plural': "workers' homes",
                        'db_table': 'members_workershome',
                        'ordering': ['union__code'],
                    },
                ),
                migrations.CreateModel(
                    name='InspectionScore',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('points', models.DecimalField(decimal_places=1, max_digits=5, verbose_name='points')),
                        ('inspection', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='scores', to='homes.homeinspection')),
                        ('item', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='homes.checklistitem')),
                    ],
                    options={
                        'db_table': 'members_inspectionscore',
                        'ordering': ['inspection', 'item__order', 'item_id'],
                        'constraints': [models.UniqueConstraint(fields=('inspection', 'item'), name='inspection_score_once_per_item'), models.CheckConstraint(condition=models.Q(('points__gte', 0)), name='inspection_score_not_negative')],
                    },
                ),
                migrations.AddConstraint(
                    model_name='selfassessment',
                    constraint=models.UniqueConstraint(fields=('union', 'year'), name='self_assessment_once_per_year'),
                ),
                migrations.AddConstraint(
                    model_name='selfassessmentscore',
                    constraint=models.UniqueConstraint(fields=('assessment', 'item'), name='self_assessment_score_once_per_item'),
                ),
                migrations.AddConstraint(
                    model_name='selfassessmentscore',
                    constraint=models.CheckConstraint(condition=models.Q(('points__gte', 0)), name='self_assessment_score_not_negative'),
                ),
                migrations.AddIndex(
                    model_name='workershome',
                    index=models.Index(fields=['reinspection_due_on'], name='workers_home_due_idx'),
                ),
            ],
        ),
    ]
