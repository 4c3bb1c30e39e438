"""Problems found in a template and the exception that carries them."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import ngettext

Path = tuple[str | int, ...]


def format_path(path: Path) -> str:
    """``("stages", 1, "advance")`` -> ``stages[1].advance``; the empty path is the top level."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else part
    return out


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a template.

    ``line`` is 1-based in the YAML text (None for data that did not come from text),
    ``path`` is the field path (``stages[1].advance.top_n``; empty for the whole template) and
    ``message`` is a full sentence saying what is wrong and how to fix it.
    """

    line: int | None
    path: str
    message: str

    def format(self, source: str) -> str:
        """``source:line: message`` (or ``source: message`` without a line)."""
        if self.line is None:
            return f"{source}: {self.message}"
        return f"{source}:{self.line}: {self.message}"


class TemplateError(ValueError):
    """A template was refused; ``problems`` lists every problem found, in line order."""

    def __init__(self, problems: list[Problem], *, source: str = "<string>") -> None:
        self.problems = sorted(
            problems, key=lambda p: (p.line is None, p.line or 0, p.path, p.message)
        )
        self.source = source
        super().__init__(
            ngettext(
                "The template %(source)s has %(count)d problem:\n%(problems)s",
                "The template %(source)s has %(count)d problems:\n%(problems)s",
                len(self.problems),
            )
            % {
                "source": source,
                "count": len(self.problems),
                "problems": "\n".join(p.format(source) for p in self.problems),
            }
        )
