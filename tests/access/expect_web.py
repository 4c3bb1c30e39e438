"""Access to the organiser pages (namespace ``web``) and the language switch."""

from tests.access.matrix import PUBLIC, SIGNED_IN, Expect


def _edition(side):
    return {"slug": side.edition.slug}


EXPECT = {
    "set_language": Expect(allow=PUBLIC, method="POST", data={"language": "en", "next": "/"}),
    "web:home": Expect(allow=PUBLIC),
    "web:editions": Expect(allow=SIGNED_IN, note="Lists only the user's own editions."),
    "web:edition_create": Expect(allow={"organiser"}),
    "web:edition_dashboard": Expect(kwargs=_edition, allow={"organiser"}),
}
