"""The Indonesian catalogue: complete, not fuzzy, placeholders and markup kept, compiled.

Indonesian is what officials see by default, so a missing or broken translation shows up
as English text in the middle of an Indonesian page, or as a crash when a placeholder was
renamed. The catalogue is read with a small parser (the format is simple and stable), the
compiled file with the standard library's gettext.
"""

from __future__ import annotations

import gettext as stdlib_gettext
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.utils import translation

CATALOGUE_DIR = Path(settings.LOCALE_PATHS[0]) / "id" / "LC_MESSAGES"
PO_FILE = CATALOGUE_DIR / "django.po"
MO_FILE = CATALOGUE_DIR / "django.mo"

#: %(name)s with optional flags, width and precision (%(seconds).0f), positional %s / %d,
#: and the escaped percent sign %%, which must survive in a format string.
PRINTF = re.compile(
    r"%\([^)]+\)[-#0 +]*\d*(?:\.\d+)?[diouxXeEfFgGcrsa]"
    r"|%[-#0 +]*\d*(?:\.\d+)?[diouxXeEfFgGcrsa]"
    r"|%%"
)
#: HTML tags, opening and closing, as written in the source string.
TAG = re.compile(r"</?[a-zA-Z][^<>]*>")

_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", '"': '"', "\\": "\\"}


@dataclass
class Message:
    line: int
    msgctxt: str | None = None
    msgid: str = ""
    msgid_plural: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)

    def __str__(self) -> str:
        context = f" (context {self.msgctxt!r})" if self.msgctxt else ""
        return f"django.po line {self.line}: {self.msgid!r}{context}"


def _unquote(text: str, where: int) -> str:
    if len(text) < 2 or text[0] != '"' or text[-1] != '"':
        raise ValueError(f"django.po line {where}: expected a quoted string, found {text!r}")
    body, out, i = text[1:-1], [], 0
    while i < len(body):
        if body[i] == "\\":
            out.append(_ESCAPES[body[i + 1]])
            i += 2
        else:
            out.append(body[i])
            i += 1
    return "".join(out)


def parse_po(text: str) -> list[Message]:
    """Every active message of a .po file (obsolete ``#~`` entries are left out).

    gettext's tools separate messages by a blank line; comments start with ``#`` and the
    flags line with ``#,``; long strings continue on lines that are only a quoted string.
    """
    messages: list[Message] = []
    line_number = 0
    for block in re.split(r"\n[ \t]*\n", text):
        first_line = line_number + 1
        line_number += block.count("\n") + 2
        message = Message(line=first_line)
        target: tuple[str, int] | None = None
        for offset, raw in enumerate(block.splitlines()):
            where = first_line + offset
            line = raw.strip()
            if not line or line.startswith("#~"):
                continue
            if line.startswith("#,"):
                message.flags |= {f.strip() for f in line[2:].split(",") if f.strip()}
                continue
            if line.startswith("#"):
                continue
            if line.startswith('"'):
                if target is None:
                    raise ValueError(f"django.po line {where}: a string outside any message")
                name, index = target
                if name == "msgstr":
                    message.msgstr[index] += _unquote(line, where)
                else:
                    setattr(message, name, getattr(message, name) + _unquote(line, where))
                continue
            keyword, _, rest = line.partition(" ")
            value = _unquote(rest, where)
            if keyword in ("msgctxt", "msgid", "msgid_plural"):
                setattr(message, keyword, value)
                target = (keyword, 0)
            elif keyword == "msgstr" or re.fullmatch(r"msgstr\[\d+\]", keyword):
                index = int(keyword[7:-1]) if "[" in keyword else 0
                message.msgstr[index] = value
                target = ("msgstr", index)
            else:
                raise ValueError(f"django.po line {where}: unknown keyword {keyword!r}")
        if target is not None:
            messages.append(message)
    return messages


@pytest.fixture(scope="module")
def catalogue() -> list[Message]:
    messages = parse_po(PO_FILE.read_text(encoding="utf-8"))
    header = [m for m in messages if m.msgid == "" and m.msgctxt is None]
    assert len(header) == 1, "django.po must have exactly one header entry"
    return messages


@pytest.fixture(scope="module")
def translated(catalogue) -> list[Message]:
    return [m for m in catalogue if m.msgid]


def test_catalogue_header_declares_indonesian_with_one_plural_form(catalogue):
    header = next(m for m in catalogue if m.msgid == "").msgstr[0]
    fields = dict(line.split(": ", 1) for line in header.splitlines() if ": " in line)

    assert fields["Language"] == "id"
    assert fields["Plural-Forms"] == "nplurals=1; plural=0;"
    assert fields["Content-Type"] == "text/plain; charset=UTF-8"
    assert "fuzzy" not in next(m for m in catalogue if m.msgid == "").flags


def test_catalogue_is_large_enough_to_be_the_real_one(translated):
    # Guards the parser: a parser that silently skipped entries would make every other
    # test here pass on an empty list.
    assert len(translated) > 1500


def test_catalogue_every_message_has_a_translation(translated):
    missing = [
        str(m) for m in translated
        if not m.msgstr or any(not text.strip() for text in m.msgstr.values())
    ]
    assert missing == []


def test_catalogue_plural_messages_have_exactly_one_form(translated):
    wrong = [str(m) for m in translated if m.msgid_plural is not None
             and sorted(m.msgstr) != [0]]
    assert wrong == []


def test_catalogue_no_message_is_fuzzy(catalogue):
    assert [str(m) for m in catalogue if "fuzzy" in m.flags] == []


def _placeholders(text: str) -> Counter:
    return Counter(PRINTF.findall(text))


def test_catalogue_translations_keep_every_placeholder(translated):
    """Named placeholders must be the same set; positional ones and %% the same count."""
    wrong = []
    for message in translated:
        sources = [message.msgid] + ([message.msgid_plural] if message.msgid_plural else [])
        expected_named = set().union(*(
            {p for p in _placeholders(s) if p.startswith("%(")} for s in sources))
        # Indonesian uses its single form for every number, so it must hold the plural's
        # positional placeholders (the singular may spell the number out).
        expected_positional = Counter({
            p: n for p, n in _placeholders(sources[-1]).items() if not p.startswith("%(")})
        for text in message.msgstr.values():
            found = _placeholders(text)
            named = {p for p in found if p.startswith("%(")}
            positional = Counter({p: n for p, n in found.items() if not p.startswith("%(")})
            if named != expected_named or positional != expected_positional:
                wrong.append(f"{message}: expected {sorted(expected_named)} "
                             f"{dict(expected_positional)}, translation has {sorted(named)} "
                             f"{dict(positional)}")
    assert wrong == []


def test_catalogue_translations_keep_html_markup(translated):
    wrong = [
        f"{m}: {sorted(TAG.findall(m.msgid))} became {sorted(TAG.findall(m.msgstr[0]))}"
        for m in translated
        if Counter(TAG.findall(m.msgid)) != Counter(TAG.findall(m.msgstr.get(0, "")))
    ]
    assert wrong == []


def test_catalogue_translations_keep_leading_and_trailing_whitespace(translated):
    """Strings joined in code ("Covering 2023. " + help) or e-mails ending in a newline."""
    def edges(text: str) -> tuple[str, str]:
        return (text[: len(text) - len(text.lstrip())], text[len(text.rstrip()):])

    wrong = [str(m) for m in translated if edges(m.msgid) != edges(m.msgstr.get(0, ""))]
    assert wrong == []


def test_compiled_catalogue_matches_the_po_file(translated):
    """django.mo must be recompiled after every change to django.po."""
    with MO_FILE.open("rb") as handle:
        compiled = stdlib_gettext.GNUTranslations(handle)
    stale = []
    for message in translated:
        if message.msgid_plural is not None:
            got = compiled.npgettext(message.msgctxt, message.msgid, message.msgid_plural, 1) \
                if message.msgctxt else compiled.ngettext(message.msgid, message.msgid_plural, 1)
        elif message.msgctxt:
            got = compiled.pgettext(message.msgctxt, message.msgid)
        else:
            got = compiled.gettext(message.msgid)
        if got != message.msgstr[0]:
            stale.append(str(message))
    assert stale == []


@pytest.fixture
def indonesian(settings):
    settings.LANGUAGE_CODE = "id"


@pytest.mark.parametrize(("source", "expected"), [
    ("Sign in", "Masuk"),
    ("Password", "Kata sandi"),
    ("Organiser", "Penyelenggara"),
    ("Judge", "Juri"),
    ("Integrity pledge (pakta integritas)", "Pakta integritas"),
])
def test_gettext_in_indonesian_returns_the_catalogue_text(indonesian, source, expected):
    with translation.override("id"):
        assert translation.gettext(source) == expected


def test_ngettext_in_indonesian_uses_the_single_form_for_every_number(indonesian):
    with translation.override("id"):
        texts = [translation.ngettext("%(counter)s judge", "%(counter)s judges", n)
                 % {"counter": n} for n in (1, 2, 5)]
    assert texts == ["1 juri", "2 juri", "5 juri"]


@pytest.mark.django_db
def test_sign_in_page_is_indonesian_by_default(indonesian):
    page = Client().get("/akun/masuk/", HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert "<title>Masuk" in page
    assert '<label for="id_username">Nama pengguna atau surel</label>' in page
    assert '<label for="id_password">Kata sandi</label>' in page
    assert "Password" not in page


@pytest.mark.django_db
def test_sign_in_page_is_english_after_the_switch(indonesian):
    client = Client()
    client.post("/i18n/setlang/", {"language": "en", "next": "/akun/masuk/"})
    page = client.get("/akun/masuk/").content.decode()

    assert '<label for="id_password">Password</label>' in page
    assert "Kata sandi" not in page


@pytest.mark.django_db
def test_public_index_without_competitions_says_so_in_indonesian(indonesian):
    page = Client().get("/publik/").content.decode()

    assert "Belum ada kompetisi yang terbuka untuk publik." in page
    assert "sistem terbuka untuk penghargaan inovasi pelayanan publik" in page
