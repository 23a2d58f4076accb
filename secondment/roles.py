"""The secondment scheme's roles: a cadre with a term active today, and a former cadre (a term that has
begun and is no longer active: it ended, was completed or ended early), who keeps their own certificates,
duty history and training hours."""

from django.db.models import OuterRef, Q

from unionhub.contributions import register_role

from .models import SecondmentTerm

register_role("cadre", lambda day: SecondmentTerm.objects.active_on(day).filter(cadre=OuterRef("pk")))
register_role(
    "former_cadre",
    lambda day: SecondmentTerm.objects.filter(cadre=OuterRef("pk"), start_date__lte=day).exclude(
        Q(status=SecondmentTerm.Status.ACTIVE) & Q(end_date__gte=day)
    ),
)
