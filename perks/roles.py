"""The discount card's role: counter staff of a partner merchant."""

from django.db.models import OuterRef

from unionhub.contributions import register_role

from .models import Merchant

register_role("merchant", lambda day: Merchant.objects.filter(staff=OuterRef("pk")))
