"""The registry's role: the chair of a grassroots union."""

from django.db.models import OuterRef

from unionhub.contributions import register_role

from .models import GrassrootsUnion

register_role("union_chair", lambda day: GrassrootsUnion.objects.filter(chair=OuterRef("pk")))
