"""The registry's role: the chair of a grassroots union."""

from django.db.models import OuterRef

from unionhub.contributions import register_role

from .models import GrassrootsUnion, Member

register_role("union_chair", lambda day: GrassrootsUnion.objects.filter(chair=OuterRef("pk")))

# A member: a user linked to a current membership (active or retained), who uses the member area (/m/).
register_role(
    "member", lambda day: Member.objects.filter(user=OuterRef("pk"), status__in=Member.ACTIVE_STATUSES)
)
