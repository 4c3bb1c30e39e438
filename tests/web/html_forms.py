"""Read a page's form the way a browser would submit it (tests only)."""

from __future__ import annotations

from html.parser import HTMLParser


class _FormReader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[list[tuple[str, str]]] = []
        self._in_form = False
        self._select: str | None = None
        self._select_value: str | None = None
        self._select_first: str | None = None
        self._option_value: str | None = None
        self._textarea: str | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self._in_form = True
            self.forms.append([])
            return
        if not self._in_form:
            return
        fields = self.forms[-1]
        if tag == "input" and a.get("name") and "disabled" not in a:
            kind = (a.get("type") or "text").lower()
            if kind in ("checkbox", "radio"):
                if "checked" in a:
                    fields.append((a["name"], a.get("value", "on")))
            elif kind not in ("submit", "button", "file"):
                fields.append((a["name"], a.get("value", "")))
        elif tag == "select" and "disabled" not in a:
            self._select, self._select_value, self._select_first = a.get("name"), None, None
        elif tag == "option" and self._select:
            self._option_value = a.get("value", "")
            if self._select_first is None:
                self._select_first = self._option_value
            if "selected" in a:
                self._select_value = self._option_value
        elif tag == "textarea" and "disabled" not in a:
            self._textarea, self._text = a.get("name"), []

    def handle_endtag(self, tag):
        if tag == "form":
            self._in_form = False
        elif tag == "select" and self._select:
            value = self._select_value if self._select_value is not None else self._select_first
            self.forms[-1].append((self._select, value or ""))
            self._select = None
        elif tag == "textarea" and self._textarea:
            text = "".join(self._text)
            self.forms[-1].append((self._textarea, text[1:] if text.startswith("\n") else text))
            self._textarea = None

    def handle_data(self, data):
        if self._textarea:
            self._text.append(data)


def read_form(html: str, containing: str) -> dict[str, str | list[str]]:
    """The fields of the first form of the page with a field named ``containing``, as a
    dict for ``client.post`` (fields given several times, such as ticked checkboxes, become
    lists)."""
    reader = _FormReader()
    reader.feed(html)
    found = [form for form in reader.forms if any(name == containing for name, _ in form)]
    assert found, f"No form on the page has a field named {containing}."
    out: dict[str, str | list[str]] = {}
    for name, value in found[0]:
        if name in out:
            current = out[name]
            out[name] = [*current, value] if isinstance(current, list) else [current, value]
        else:
            out[name] = value
    return out
