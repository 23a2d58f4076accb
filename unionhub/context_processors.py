from django.conf import settings
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _

from .contributions import nav_templates


def federation_name() -> str:
    """The federation's name in the active language: the setting, or the default name."""
    return settings.UNIONHUB_FEDERATION_NAME or _("High-tech Zone Federation of Trade Unions")


def roles(request):
    user = getattr(request, "user", None)

    def unread():
        return user.notices.unread().count() if user is not None and user.is_authenticated else 0

    return {
        "federation_name": federation_name(),
        "nav_templates": nav_templates(),
        "unread_notices": SimpleLazyObject(unread),
    }
