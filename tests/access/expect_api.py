"""Access to the API (namespace ``api``): public addresses for everyone, the organiser's
addresses only with a token of the organiser that owns the edition (never a session)."""

from __future__ import annotations

from tests.access.matrix import PUBLIC, Expect


def extend(side):
    """A token of the side's organiser, made by the side's organiser user, every permission."""
    from sayembara.accounts.services.api_tokens import create_token

    new = create_token(user=side.users["organiser"], organiser=side.organiser, name="SIPD",
                       scopes=["read", "import", "export"], days=30)
    side.add("api_token", new.secret)


def _public_edition(side):
    return {"slug": side.public_edition.slug}


def _edition(side):
    return {"slug": side.edition.slug}


def _code(side):
    return {"code": side.public_certificate.code}


TOKEN_NOTE = ("Only with a token of the edition's organiser: other roles cannot hold one and a "
              "signed-in session opens nothing here; the other side's edition is not found.")

EXPECT = {
    "api:api-root": Expect(allow=set(), note="/api/ itself answers 404: the API lives under "
                           "/api/v1/, its schema at /api/openapi.json."),
    "api:openapi-json": Expect(allow=PUBLIC),
    "api:openapi-view": Expect(allow=PUBLIC),
    "api:competitions": Expect(allow=PUBLIC),
    "api:editions": Expect(allow=PUBLIC),
    "api:edition": Expect(kwargs=_public_edition, allow=PUBLIC),
    "api:results": Expect(kwargs=_public_edition, allow=PUBLIC),
    "api:catalogue": Expect(allow=PUBLIC),
    "api:catalogue_filters": Expect(allow=PUBLIC),
    "api:certificate": Expect(kwargs=_code, allow=PUBLIC),
    "api:organiser_editions": Expect(allow={"organiser"}, token=True, note=TOKEN_NOTE),
    "api:organiser_audit_head": Expect(allow={"organiser"}, token=True, note=TOKEN_NOTE),
    "api:organiser_entries": Expect(kwargs=_edition, allow={"organiser"}, token=True,
                                    note=TOKEN_NOTE),
    "api:organiser_scores": Expect(kwargs=_edition, allow={"organiser"}, token=True,
                                   note=TOKEN_NOTE),
    "api:organiser_bundle": Expect(kwargs=_public_edition, allow={"organiser"}, token=True,
                                   note=TOKEN_NOTE),
    "api:organiser_import": Expect(
        allow={"organiser"}, token=True, method="POST", note=TOKEN_NOTE,
        data={"rows": [{"name": "Dinas Uji Coba", "type": "perangkat_daerah"}]},
        post_data={}),
}
