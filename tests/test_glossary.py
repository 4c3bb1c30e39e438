"""Wordings already found wrong once do not come back into the Indonesian catalogue.

The list is ``tests/glossary_mistakes.txt`` (a copy of the glossary's list: a clone of the
project has no other). For each wrong wording, ``TRANSLATING`` says which messages translate
the English it was written for; none of their Indonesian texts may contain it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.test_translations import PO_FILE, Message, parse_po

MISTAKES_FILE = Path(__file__).with_name("glossary_mistakes.txt")
LINE = re.compile(r"^(?P<wrong>.+?) → (?P<right>.*?) ?\((?P<english>[^()]*)\)$")


def _msgid(pattern: str, context: str | None = None) -> Callable[[Message], bool]:
    found = re.compile(pattern, re.IGNORECASE)
    return lambda m: bool(found.search(m.msgid)) and (context is None or m.msgctxt == context)


def _any(message: Message) -> bool:
    return True


# wrong wording -> the messages translating the English it once translated.
TRANSLATING: dict[str, Callable[[Message], bool]] = {
    "kekerasan": _msgid(r"\bseverity\b"),
    "keparahan": _msgid(r"\bseverity\b"),
    "lolos": lambda m: m.msgctxt == "deadline" or bool(
        re.search(r"deadline (has )?passed|past the deadline", m.msgid, re.IGNORECASE)),
    "Unsur": _msgid(r"^(From|Until)$", context="timeline"),
    "Dibuka untuk penilaian": _msgid(r"^Open for scoring$"),
    # Names of one winner's rank, and slot lengths, can come from anywhere.
    "Peringkat 1 sampai 3": _any,
    "0 menit presentasi": _any,
}


def mistakes() -> list[dict[str, str]]:
    lines = [line.strip() for line in MISTAKES_FILE.read_text(encoding="utf-8").splitlines()]
    found = []
    for line in lines:
        if not line or line.startswith("#"):
            continue
        match = LINE.match(line)
        assert match, f"glossary_mistakes.txt: cannot read {line!r}"
        found.append(match.groupdict())
    return found


@pytest.fixture(scope="module")
def catalogue() -> list[Message]:
    return [m for m in parse_po(PO_FILE.read_text(encoding="utf-8")) if m.msgid]


def test_every_listed_mistake_says_which_messages_it_concerns():
    assert sorted(m["wrong"] for m in mistakes()) == sorted(TRANSLATING)


@pytest.mark.parametrize("mistake", mistakes(), ids=lambda m: m["wrong"])
def test_catalogue_does_not_repeat_a_mistake(catalogue, mistake):
    concerned = [m for m in catalogue if TRANSLATING[mistake["wrong"]](m)]
    assert concerned, f"no message translates {mistake['english']!r} any more"
    wrong = re.compile(r"\b" + re.escape(mistake["wrong"]) + r"\b", re.IGNORECASE)
    repeated = [f"{m} -> {text!r}" for m in concerned for text in m.msgstr.values()
                if wrong.search(text)]
    assert repeated == []
