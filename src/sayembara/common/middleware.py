from django.conf import settings
from django.middleware.locale import LocaleMiddleware
from django.utils import translation


class IndonesianFirstLocaleMiddleware(LocaleMiddleware):
    """Indonesian unless the visitor chose another language with the switch.

    Django's own middleware follows the browser's Accept-Language, which would show English
    to most officials whose phones are set to English; here only the language cookie (set
    by the switch) counts.
    """

    def process_request(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        supported = {code for code, _name in settings.LANGUAGES}
        language = chosen if chosen in supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()


# Cookies that make a response personal: the voter's verified address on the public pages.
PERSONAL_COOKIES = ("sayembara_voter",)


class PrivateNoStoreMiddleware:
    """``Cache-Control: private, no-store`` on every response to a signed-in person.

    Pages and downloads behind a login (dashboards, score sheets, ``rekap-nilai.xlsx``,
    uploaded evidence) must not stay in a shared proxy or in the browser's cache of a shared
    office computer after the person signs out. A verified voter's pages name their address,
    so they are treated the same. Static files never reach this middleware (whitenoise
    answers them first) and keep their long cache lifetime.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        signed_in = user is not None and user.is_authenticated
        if signed_in or any(name in request.COOKIES for name in PERSONAL_COOKIES):
            response["Cache-Control"] = "private, no-store"
        return response
