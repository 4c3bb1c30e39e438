"""Serving an uploaded file to someone a view has already checked (never from the web root)."""

from __future__ import annotations

from typing import Any

from django.http import FileResponse, Http404

from sayembara.entries.validators import CONTENT_TYPES, INLINE_TYPES


def private_file_response(field_file: Any, *, file_type: str | None, filename: str,
                          download: bool = False) -> FileResponse:
    """The stored file as a response: PDFs and images shown in the browser unless
    ``download``, everything else downloaded inside a sandbox, never cached.

    ``file_type`` is the type recognised from the content when the file was accepted
    (``pdf``, ``docx``, ...); None serves it as opaque bytes to download.
    """
    try:
        handle = field_file.open("rb")
    except (FileNotFoundError, ValueError) as error:
        raise Http404 from error
    inline = file_type in INLINE_TYPES and not download
    response = FileResponse(
        handle, as_attachment=not inline, filename=filename,
        content_type=CONTENT_TYPES.get(file_type or "", "application/octet-stream"),
    )
    response["X-Content-Type-Options"] = "nosniff"
    if not inline:
        # Office files are downloaded, never rendered; a sandbox keeps any browser from
        # running what they might carry. (Chromium's PDF viewer refuses sandboxed pages.)
        response["Content-Security-Policy"] = "sandbox; default-src 'none'"
    response["Cache-Control"] = "private, no-store"
    return response
