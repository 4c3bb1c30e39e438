#!/usr/bin/env python
"""Certificates: generate ``--count`` (default 1,000) PDFs the way the background task does.

Seeds an edition with ``--count`` award winners in a scratch SQLite database (a temporary
folder, removed at the end), with a design that has a logo, a background image and two
signatories, then times ``run_batch``: issuing the verification codes, rendering every PDF
with typst (one compiler for the whole batch), storing each file and writing the zip.
Target: 1,000 PDFs in at most 15 s.

Run: ``.venv/bin/python benchmarks/bench_certificates.py [--count 1000]``.
"""

from __future__ import annotations

import argparse
import io
import os
import shutil
import sys
import tempfile
import time
import zipfile
from decimal import Decimal
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def png(color: tuple[int, int, int], size: tuple[int, int]) -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", size, color).save(buffer, format="PNG")
    return buffer.getvalue()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=1000)
    args = parser.parse_args()

    folder = Path(tempfile.mkdtemp(prefix="sayembara-bench-certificates-"))
    os.environ.update({
        "DJANGO_SETTINGS_MODULE": "sayembara.settings",
        "SAYEMBARA_DATA_DIR": str(folder),
        "DATABASE_URL": f"sqlite:///{folder / 'bench.sqlite3'}",
        "TASKS_BACKEND": "immediate",
        "SECRET_KEY": "bench-certificates-" + "x" * 40,
        "LOG_LEVEL": "WARNING",
    })
    sys.path.insert(0, str(REPO / "src"))
    try:
        import django

        django.setup()
        from django.core.files.base import ContentFile
        from django.core.management import call_command

        from sayembara.competitions.models import Organiser
        from sayembara.competitions.services.editions import create_edition
        from sayembara.documents.enums import BatchStatus
        from sayembara.documents.models import CertificateBatch
        from sayembara.documents.services.certificates import design_for, run_batch
        from sayembara.entries.models import Entry, Institution
        from sayembara.judging.models import FinalResult
        from sayembara.template_format import load_template

        call_command("migrate", verbosity=0)
        organiser = Organiser.objects.create(name="Badan Riset dan Inovasi Daerah Kabupaten "
                                             "Badung", slug="brida-badung", timezone="WITA",
                                             region_name="Mangupura")
        edition = create_edition(template=load_template("mangupura-2024"), year=2024,
                                 organiser=organiser, actor="bench")
        categories = list(edition.categories.order_by("order"))
        tiers = {t.key: t for t in edition.award_tiers.all()}
        institutions = Institution.objects.bulk_create(
            Institution(organiser=organiser, name=f"Dinas Pelayanan Publik Nomor {n}",
                        kind="perangkat_daerah") for n in range(args.count))
        entries = Entry.objects.bulk_create(
            Entry(edition=edition, institution=inst, category=categories[n % 3],
                  code=f"E{n:05d}", title=f"Inovasi Layanan Terpadu {n}", state="winner")
            for n, inst in enumerate(institutions))
        results = []
        for n, entry in enumerate(entries):
            rank = n // 3 + 1
            tier = tiers["peringkat-1-3"] if rank <= 3 else tiers["peringkat-4-10"]
            results.append(FinalResult(edition=edition, entry=entry, category=entry.category,
                                       rank=rank, total=Decimal("90") - Decimal(n) / 100,
                                       award_tier=tier, award_label=tier.name))
        FinalResult.objects.bulk_create(results)
        design = design_for(edition)
        design.logo.save("logo.png", ContentFile(png((11, 92, 173), (300, 300))), save=False)
        design.background.save("latar.png", ContentFile(png((250, 246, 235), (1400, 990))),
                               save=False)
        design.signatories = [
            {"name": "I Wayan Contoh, S.T., M.T.", "title": "Kepala BRIDA Kabupaten Badung",
             "id_number": "NIP 19700101 199503 1 001"},
            {"name": "Prof. Ni Made Contoh", "title": "Ketua Dewan Juri"},
        ]
        design.place_and_date = "Mangupura, 25 Oktober 2024"
        design.save()
        batch = CertificateBatch.objects.create(edition=edition)

        started = time.perf_counter()
        cpu_started = time.process_time()
        run_batch(batch)
        elapsed = time.perf_counter() - started
        cpu = time.process_time() - cpu_started

        batch.refresh_from_db()
        with batch.archive.open("rb") as handle:
            archive = zipfile.ZipFile(io.BytesIO(handle.read()))
        names = archive.namelist()
        sizes = [archive.getinfo(name).file_size for name in names]
        valid = all(archive.read(name).startswith(b"%PDF-") for name in names)
        print(f"{len(names)} certificates (logo, background, two signatories, QR) in "
              f"{elapsed:.2f} s wall, {cpu:.2f} s CPU: {1000 * elapsed / len(names):.1f} ms "
              f"each; target 1,000 in <= 15 s")
        load = os.getloadavg()[0]
        print(f"machine load average (1 min) {load:.1f} on {os.cpu_count()} cores: wall time "
              f"grows with other work, CPU time does not")
        print(f"status {batch.status}; every file a PDF: {valid}; mean size "
              f"{sum(sizes) / len(sizes) / 1024:.0f} KiB; zip "
              f"{batch.archive.size / 1024 / 1024:.1f} MiB")
        return 0 if batch.status == BatchStatus.DONE and valid and len(names) == args.count \
            else 1
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
