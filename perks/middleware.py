"""A partner merchant's counter account learns nothing but the answer of the counter check.

``MerchantOnlyCheckMiddleware`` confines an account that is counter staff of a merchant and holds
no other role (not federation staff, not a union chair, not a seconded cadre, not an association
chair) to the counter check: every other page answers 404 (as if it did not exist — the account
has no business knowing what else the application holds), and the dashboard ("/") redirects to
the counter check. Left open: the counter check and its POST endpoints (/perks/check/…), login,
logout, the password change pages, language switching (/i18n/), static and media files, /healthz.
"""

from django.conf import settings
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse


class MerchantOnlyCheckMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def _open_prefixes(self) -> tuple[str, ...]:
        prefixes = [reverse("perks:counter_check"), "/i18n/", "/healthz"]
        prefixes += [url for url in (settings.STATIC_URL,) if url and url.startswith("/")]
        return tuple(prefixes)

    def _open_paths(self) -> set[str]:
        return {reverse(name) for name in ("login", "logout", "password_change", "password_change_done")}

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and self._confined(user):
            path = request.path_info
            if path == "/":
                return redirect("perks:counter_check")
            if not (path in self._open_paths() or path.startswith(self._open_prefixes())):
                raise Http404
        return self.get_response(request)

    @staticmethod
    def _confined(user) -> bool:
        # The relationship roles come from one cached query per request (User._relationship_roles).
        return (
            not user.is_federation_staff
            and user.is_merchant
            and not user.is_union_chair
            and not user.is_seconded_cadre
            and not user.is_association_chair
        )
