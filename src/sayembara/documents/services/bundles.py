"""The published results bundle: what an auditor downloads to recompute the ranking."""

from __future__ import annotations

import io
import os
import tempfile
import zipfile
from pathlib import Path

from django.conf import settings
from django.db.models import Max

from sayembara.competitions.models import Edition
from sayembara.documents.services.publication import publication_of


def published_bundle_zip(edition: Edition) -> bytes | None:
    """The edition's results bundle as a zip, or None while its results are unpublished.

    The bundle holds the template, the inputs (judges pseudonymised), the engine version, the
    results and a SHA-256 manifest; ``sayembara bundle verify`` recomputes it. It is built
    once per publication and per computation of the results, then served from disk.
    """
    from sayembara.judging.models import FinalResult, StageResult
    from sayembara.judging.services.bundle import export_edition_bundle

    publication = publication_of(edition)
    if publication.results_published_at is None:
        return None
    computed = max(
        (stamp for stamp in (
            StageResult.objects.filter(stage__edition=edition).aggregate(m=Max("computed_at"))["m"],
            FinalResult.objects.filter(edition=edition).aggregate(m=Max("computed_at"))["m"],
        ) if stamp is not None),
        default=None,
    )
    stamp = computed.strftime("%Y%m%d%H%M%S%f") if computed else "none"
    folder = Path(settings.MEDIA_ROOT) / "bundles"
    path = folder / f"{edition.slug}-v{publication.version}-{stamp}.zip"
    if path.exists():
        return path.read_bytes()
    with tempfile.TemporaryDirectory() as scratch:
        root = Path(scratch) / f"{edition.slug}-bundle"
        export_edition_bundle(edition=edition, out_dir=root, actor="public:bundle")
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            for file in sorted(root.rglob("*")):
                if file.is_file():
                    archive.write(file, Path(root.name) / file.relative_to(root))
    data = buffer.getvalue()
    folder.mkdir(parents=True, exist_ok=True)
    partial = folder / f".{path.name}.{os.getpid()}"
    partial.write_bytes(data)
    partial.replace(path)
    return data
