"""The one door to stored files: ``/files/<kind>/<pk>/`` (see ``unionhub.files``). Anonymous users are sent
to log in; anybody the kind's ``can_read`` refuses, an unknown kind, a missing object or file answer 404."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.urls import path
from django.views.decorators.http import require_GET

from unionhub.files import stored_kinds, stored_response

app_name = "files"

# The largest primary key the databases hold (a bigger number in the URL is simply not there).
MAX_PK = 2**63 - 1


@login_required
@require_GET
def stored_file(request, kind, pk):
    stored = stored_kinds().get(kind)
    if stored is None or pk > MAX_PK:
        raise Http404
    obj = stored.model._default_manager.filter(pk=pk).first()
    if obj is None or not stored.can_read(request.user, obj):
        raise Http404
    if stored.prepare is not None:
        stored.prepare(obj)
    fieldfile = getattr(obj, stored.field)
    if not fieldfile or not fieldfile.storage.exists(fieldfile.name):
        raise Http404
    if stored.on_read is not None:
        stored.on_read(request.user, obj, request.META.get("REMOTE_ADDR"))
    return stored_response(fieldfile, filename=stored.filename(obj) if stored.filename else "")


urlpatterns = [
    path("<str:kind>/<int:pk>/", stored_file, name="file"),
]
