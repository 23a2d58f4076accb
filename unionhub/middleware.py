from django.conf import settings
from django.middleware.locale import LocaleMiddleware
from django.shortcuts import redirect
from django.utils import translation


class ChineseFirstLocaleMiddleware(LocaleMiddleware):
    """Simplified Chinese unless the user chose another language with the switcher (its cookie).

    Django's LocaleMiddleware would follow the browser's Accept-Language, so a federation PC with
    an English Windows would get English; the federation's working language is Chinese."""

    def process_request(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        supported = {code for code, _ in settings.LANGUAGES}
        language = chosen if chosen in supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()


# Set on a session opened with an SMS code (the member area's sign-in, members.services.member_signin).
CODE_SESSION_FLAG = "unionhub.code_session"


class CodeSessionConfinedMiddleware:
    """A session opened with an SMS code reaches only the member area (``/m/``), public pages and the files a
    member may download: a code sent to a phone is proof enough to see one's own membership, not to act as the
    chair or staff member the same person may also be. Any other page sends them to the member area's home,
    where signing out leads to the password sign-in. Public pages are the views marked with
    ``unionhub.access.public_page`` (the complaint form, an honours round's public notice…)."""

    def __init__(self, get_response):
        self.get_response = get_response

    @staticmethod
    def _open() -> tuple[str, ...]:
        static = [url for url in (settings.STATIC_URL,) if url and url.startswith("/")]
        return (settings.MEMBER_AREA_PREFIX, "/i18n/", "/healthz", "/files/", *static)

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        session = getattr(request, "session", None)
        if (
            session is not None
            and session.get(CODE_SESSION_FLAG)
            and request.user.is_authenticated
            and not request.path_info.startswith(self._open())
            and not getattr(view_func, "public_page", False)
        ):
            return redirect(settings.MEMBER_AREA_PREFIX)
        return None
