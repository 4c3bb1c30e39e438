"""Numbers in addresses and forms, read without surprises.

``str.isdigit`` accepts "²" and "٣" (which ``int`` then refuses) and any length (which the
database then refuses); these helpers accept only ASCII digits of a bounded length. A
malformed value raises :class:`InvalidInput`, which the middleware below turns into a 400
page carrying its sentence, never a server error.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import BadRequest
from django.shortcuts import render
from django.utils.translation import gettext as _

#: Database ids fit in a signed 64-bit integer: at most 18 digits are always safe.
MAX_ID_DIGITS = 18
#: How much of a refused value a message repeats.
ECHO_CHARS = 24


class InvalidInput(BadRequest):
    """A value in the address or a form that cannot mean anything; ``str()`` is a sentence
    saying what is wrong and what to do."""


def shown(value: Any) -> str:
    """A refused value as a message repeats it: at most :data:`ECHO_CHARS` characters."""
    text = str(value)
    return text if len(text) <= ECHO_CHARS else text[:ECHO_CHARS] + "…"


def is_plain_int(value: Any, *, digits: int = MAX_ID_DIGITS) -> bool:
    text = str(value)
    return 0 < len(text) <= digits and text.isascii() and text.isdigit()


def int_param(params: Any, name: str, *, what: str, digits: int = MAX_ID_DIGITS,
              default: int | None = None) -> int | None:
    """The whole number ``params[name]`` (a QueryDict), ``default`` when it is absent or
    empty, or :class:`InvalidInput` naming ``what`` it should have been."""
    value = params.get(name, "")
    if value in ("", None):
        return default
    if not is_plain_int(value, digits=digits):
        raise InvalidInput(
            _("“%(value)s” is not a valid %(what)s. Open the page again from the menu or a "
              "link.") % {"value": shown(value), "what": what})
    return int(value)


def _has_nul(params: Any) -> bool:
    return any("\x00" in value for values in params.lists() for value in values[1])


class InvalidInputMiddleware:
    """Answers :class:`InvalidInput` with a 400 page in the site's layout and its sentence.

    Also refuses, before any view, a request whose address or form holds a NUL character:
    no one types it, and PostgreSQL refuses to store it (a server error otherwise).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        form = request.POST if request.method == "POST" else {}
        if _has_nul(request.GET) or (form and _has_nul(form)):
            return self.process_exception(request, InvalidInput(_(
                "The form or the address holds a control character (NUL) that no text "
                "contains. Type the text again, or paste it without that character.")))
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, InvalidInput):
            if request.path.startswith("/api/"):
                from django.http import JsonResponse

                return JsonResponse({"detail": str(exception)}, status=400)
            return render(request, "web/bad_request.html", {"message": str(exception)},
                          status=400)
        return None


class IdConverter:
    """``<id:pk>`` in URL patterns: a database id of at most 18 ASCII digits.

    Django's ``<int:...>`` matches any number of digits, and a 23-digit id in the address
    then overflows the database query (a server error); with this converter such an
    address simply matches no page (404). Every URL pattern uses it (a test checks).
    """

    regex = "[0-9]{1,18}"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value: Any) -> str:
        return str(value)
