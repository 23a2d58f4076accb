"""The associations' role: the chair of a hobby association."""

from django.db.models import OuterRef

from unionhub.contributions import register_role

from .models import Association

register_role("association_chair", lambda day: Association.objects.filter(chair=OuterRef("pk")))
