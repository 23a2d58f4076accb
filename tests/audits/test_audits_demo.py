"""The demo's audits: three years of plans covering every union, findings in every state, chair1's open
rectification. In a module of its own: the demo cannot be seeded inside another module's data."""

from django.core.management import call_command
from django.utils import timezone

from audits.models import Audit, Finding, Rectification
from members.models import GrassrootsUnion


def test_the_demo_audits_every_union_over_three_years_with_findings_in_every_state(db, settings, tmp_path):
    settings.DEBUG = True
    settings.MEDIA_ROOT = tmp_path
    call_command("seed_demo", members=300, seed=7)
    today = timezone.localdate()
    years = set(Audit.objects.values_list("plan__year", flat=True))
    assert years == {today.year - 2, today.year - 1, today.year}
    assert Audit.objects.values("union").distinct().count() == GrassrootsUnion.objects.count()
    states = set(Rectification.objects.values_list("state", flat=True))
    assert states == set(Rectification.State.values)
    assert Rectification.objects.overdue(today).exists()
    assert Finding.objects.filter(amount_recovered__gt=0).exists()
    own = Rectification.objects.filter(finding__audit__union__chair__username="chair1", state="open")
    assert own.filter(deadline__gte=today, finding__audit__plan__year=today.year).exists()
