"""Rendering typst documents shipped in ``documents/typst``, fed with JSON data only."""

from __future__ import annotations

import json
import os
import shutil
import tempfile
import threading
from collections.abc import Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
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
        self._local = threading.local()

    @property
    def compiler(self) -> typst.Compiler:
        """One compiler per thread (typst releases the GIL while it compiles)."""
        compiler = getattr(self._local, "compiler", None)
        if compiler is None:
            compiler = typst.Compiler(str(self.folder / "main.typ"), root=str(self.folder),
                                      ignore_system_fonts=True)
            self._local.compiler = compiler
        return compiler

    def add_file(self, name: str, data: bytes) -> str:
        (self.folder / name).write_bytes(data)
        return name

    def pdf(self, data: dict[str, Any]) -> bytes:
        return self.compiler.compile(format="pdf", sys_inputs={
            "data": json.dumps(data, ensure_ascii=False, default=str)
        })

    def pdfs(self, items: Iterable[dict[str, Any]], *, workers: int | None = None
             ) -> Iterator[bytes]:
        """PDFs for many documents, in order, compiled on several threads."""
        workers = workers or min(4, os.cpu_count() or 1)
        with ThreadPoolExecutor(max_workers=workers) as pool:
            yield from pool.map(self.pdf, items)


@contextmanager
def renderer(template: str) -> Iterator[Renderer]:
    with tempfile.TemporaryDirectory(prefix="sayembara-typst-") as folder:
        yield Renderer(Path(folder), template)


def render_pdf(template: str, data: dict[str, Any], files: dict[str, bytes] | None = None) -> bytes:
    with renderer(template) as r:
        for name, content in (files or {}).items():
            r.add_file(name, content)
        return r.pdf(data)
