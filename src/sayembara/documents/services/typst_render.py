"""Rendering typst documents shipped in ``documents/typst``, fed with JSON data only."""

from __future__ import annotations

import json
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import typst

TYPST_DIR = Path(__file__).resolve().parent.parent / "typst"


class Renderer:
    """A compiler kept open over a private folder holding the template and its images.

    One renderer compiles many documents (about a millisecond each) because fonts and the
    parsed template are loaded once.
    """

    def __init__(self, folder: Path, template: str):
        self.folder = folder
        shutil.copy(TYPST_DIR / template, folder / "main.typ")
        self.compiler = typst.Compiler(str(folder / "main.typ"), root=str(folder),
                                       ignore_system_fonts=True)

    def add_file(self, name: str, data: bytes) -> str:
        (self.folder / name).write_bytes(data)
        return name

    def pdf(self, data: dict[str, Any]) -> bytes:
        return self.compiler.compile(format="pdf", sys_inputs={
            "data": json.dumps(data, ensure_ascii=False, default=str)
        })


@contextmanager
def renderer(template: str) -> Iterator[Renderer]:
    with tempfile.TemporaryDirectory(prefix="sayembara-typst-") as folder:
        yield Renderer(Path(folder), template)


def render_pdf(template: str, data: dict[str, Any], files: dict[str, bytes] | None = None) -> bytes:
    with renderer(template) as r:
        for name, content in (files or {}).items():
            r.add_file(name, content)
        return r.pdf(data)
