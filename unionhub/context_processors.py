from django.conf import settings
from django.utils.translation import gettext as _


def roles(request):
    return {"federation_name": settings.UNIONHUB_FEDERATION_NAME or _("High-tech Zone Federation of Trade Unions")}
