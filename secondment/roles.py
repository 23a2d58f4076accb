"""The secondment scheme's role: a cadre with a term active today."""

from django.db.models import OuterRef

from unionhub.contributions import register_role

from .models import SecondmentTerm

register_role("cadre", lambda day: SecondmentTerm.objects.active_on(day).filter(cadre=OuterRef("pk")))
