from django.conf import settings
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _


def roles(request):
    user = getattr(request, "user", None)

    def unread():
        return user.notices.unread().count() if user is not None and user.is_authenticated else 0

    return {
        "federation_name": settings.UNIONHUB_FEDERATION_NAME or _("High-tech Zone Federation of Trade Unions"),
        "unread_notices": SimpleLazyObject(unread),
    }
