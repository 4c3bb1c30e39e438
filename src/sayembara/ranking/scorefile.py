"""Reading ``scores.csv`` with Arrow's CSV reader, possibly in the background.

``sayembara rank`` starts reading the scores file before it sets up the engine, parses the
template and reads the entries: Arrow parses the file on its own threads while Python does
the rest. Nothing here checks the values or reports a problem: when the columnar reader
cannot read the file, :meth:`ScoreFile.columns` gives None and :mod:`.csvinput` reads it row
by row, naming the line. This module imports Arrow (and numpy) only when reading, not the
engine, so a read can start early.
"""

from __future__ import annotations

import csv
import threading
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .cells import read_csv_cell

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

#: The columns of ``scores.csv``.
SCORE_COLUMNS = ("stage", "judge", "entry", "criterion", "score")

#: A dictionary-encoded column: its distinct texts (as our CSV cells read them) and each
#: row's position among them.
Column = tuple[list[str], "npt.NDArray[np.int32]"]


class ScoreFile:
    """One read of a scores file: in a thread when ``background``, else at once."""

    def __init__(self, path: Path, *, background: bool = False) -> None:
        self.path = path
        self._columns: dict[str, Column] | None = None
        self._thread: threading.Thread | None = None
        if background:
            # not a daemon: the interpreter waits for Arrow's read to end before it exits
            self._thread = threading.Thread(target=self._read, name="scores.csv")
            self._thread.start()
        else:
            self._read()

    def _read(self) -> None:
        try:
            self._columns = read_columns(self.path)
        except Exception:  # noqa: BLE001 - the row-by-row reader reports what is wrong
            self._columns = None

    def columns(self) -> dict[str, Column] | None:
        """Every score column by name (row ``i`` is line ``i + 2``), or None when the
        row-by-row reader must read the file."""
        if self._thread is not None:
            self._thread.join()
            self._thread = None
        return self._columns


def read_columns(path: Path) -> dict[str, Column] | None:
    """The score columns of ``path`` (see :func:`read_table`), each as its distinct texts
    and every row's position among them; None as :func:`read_table`, or when a column's
    blocks were read with different dictionaries."""
    import numpy as np
    import pyarrow as pa

    table = read_table(path)
    if table is None:
        return None
    columns: dict[str, Column] = {}
    for name in SCORE_COLUMNS:
        chunks = table.column(name).unify_dictionaries().chunks
        if not chunks:
            columns[name] = [], np.zeros(0, dtype=np.int32)
            continue
        first = chunks[0].dictionary
        if any(not chunk.dictionary.equals(first) for chunk in chunks[1:]):
            return None
        if any(c.indices.null_count or c.indices.type != pa.int32() for c in chunks):
            return None
        # the indices' buffers read as they are (Arrow's to_numpy would import pandas)
        columns[name] = (
            [read_csv_cell(t) for t in first.to_pylist()],
            np.concatenate([
                np.frombuffer(c.indices.buffers()[1], dtype=np.int32)[
                    c.indices.offset:c.indices.offset + len(c)]
                for c in chunks]),
        )
    del table, chunks
    pa.default_memory_pool().release_unused()
    return columns


def read_table(path: Path) -> Any:
    """The score columns of ``path`` as an Arrow table, or None when a row could not be
    traced back to its line (a blank line or a record spanning lines) or Arrow refuses the
    file (ragged rows, bad quoting, bytes that are not UTF-8)."""
    import pyarrow as pa
    import pyarrow.csv as pacsv

    with path.open(encoding="utf-8-sig", newline="") as handle:
        header = [h.strip().lower() for h in next(csv.reader(handle))]
        # Row i of the table is line i + 2 only when no record is blank or spans lines:
        # every line break must end exactly one record.
        breaks, quoted, last = 0, False, b"\n"
        raw = handle.buffer
        raw.seek(0)
        while block := raw.read(1 << 24):
            breaks += block.count(b"\n")
            quoted = quoted or b'"' in block
            last = block[-1:]
    breaks += 0 if last == b"\n" else 1
    try:
        table = pacsv.read_csv(
            path,
            read_options=pacsv.ReadOptions(skip_rows=1, column_names=header,
                                           block_size=1 << 24),
            # a line break can only be inside a value when something is quoted
            parse_options=pacsv.ParseOptions(newlines_in_values=quoted,
                                             ignore_empty_lines=False),
            convert_options=pacsv.ConvertOptions(
                column_types={h: pa.dictionary(pa.int32(), pa.string()) for h in header},
                strings_can_be_null=False, quoted_strings_can_be_null=False,
                include_columns=list(SCORE_COLUMNS)),
        )
    except (pa.ArrowException, UnicodeDecodeError, OSError):
        return None
    if table.num_rows != breaks - 1:
        return None
    return table
