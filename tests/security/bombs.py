"""Hostile archives, built in memory for the upload tests."""

from __future__ import annotations

import functools
import io
import zipfile

MB = 1024 * 1024


@functools.cache
def zip_bomb(expanded_mb: int = 300, member: str = "mimetype") -> bytes:
    """A small zip whose ``member`` inflates to ``expanded_mb`` MB of zeros (about 300 KB for
    300 MB), as the probe that grew a worker from 175 MB to 786 MB sent it."""
    buffer = io.BytesIO()
    chunk = b"\0" * MB
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        with archive.open(member, "w", force_zip64=True) as handle:
            for _ in range(expanded_mb):
                handle.write(chunk)
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<document/>")
    return buffer.getvalue()


def crowded_zip(members: int) -> bytes:
    """A zip listing ``members`` empty files."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for number in range(members):
            archive.writestr(f"f{number}", b"")
    return buffer.getvalue()
