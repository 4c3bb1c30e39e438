#!/usr/bin/env python
"""Import the size of the national innovation index (36,700 rows) from one .xlsx file.

Each row is one innovation report: the institution (name, type, parent, Kemendagri region
code, e-mail) and its entry (title, category, innovators, in use since), as the 2025
Indeks Inovasi Daerah holds about 36,700 reports from 531 local governments. The same
institution appears on many rows; the import checks every row, then writes the registry
and the draft entries in one transaction.

What it does:

1. writes the spreadsheet in a child process (so its memory does not count): 531 local
   governments, each with 10 to 15 agencies, with the reports spread over them;
2. migrates a scratch SQLite database (``--database-url`` for PostgreSQL), creates an
   organiser and an edition from the built-in Mangupura template;
3. reads the sheet alone with the import's reader (calamine) and, as the baseline in the
   same run, with openpyxl's read-only mode, and checks that both give the same values;
4. runs ``sayembara.entries.services.registry.import_registry`` and prints the wall time,
   the rows per second, and the peak resident memory of this process (ru_maxrss).

Target on the reference machine (2 cores): at most 15 s and 1 GB.

Run: ``.venv/bin/python benchmarks/bench_import.py`` (``--rows N`` for another size).
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REGIONS = 531
#: The Mangupura template's category for each of its institution types.
CATEGORY_OF = {"perangkat_daerah": "perangkat-daerah", "kelurahan": "kelurahan", "desa": "desa"}
AGENCIES = (
    "Dinas Kesehatan", "Dinas Pendidikan", "Dinas Kependudukan dan Pencatatan Sipil",
    "Dinas Sosial", "Dinas Perhubungan", "Dinas Lingkungan Hidup", "Badan Perencanaan "
    "Pembangunan Daerah", "Dinas Komunikasi dan Informatika", "Dinas Penanaman Modal dan PTSP",
    "Badan Pengelolaan Keuangan dan Aset Daerah", "Dinas Pertanian", "Dinas Pariwisata",
    "Badan Riset dan Inovasi Daerah", "Inspektorat", "RSUD",
)
THEMES = ("Layanan", "Aplikasi", "Sistem", "Gerakan", "Program", "Pojok", "Klinik", "Rumah")
OBJECTS = ("Antar Dokumen", "Antrean Daring", "Data Terpadu", "Pengaduan Warga",
           "Posyandu Digital", "Bank Sampah", "Perizinan Cepat", "Ambulans Desa",
           "Sekolah Ramah Anak", "Pasar Sehat", "Satu Peta", "Lapor Cepat")


def write_workbook(path: Path, rows: int, seed: int = 2025) -> None:
    """The spreadsheet, written in streaming mode."""
    from openpyxl import Workbook

    rng = random.Random(seed)
    institutions = []
    for region in range(1, REGIONS + 1):
        province = 11 + region % 80
        code = f"{province:02d}.{region % 100:02d}"
        for agency in rng.sample(AGENCIES, rng.randint(10, 15)):
            name = f"{agency} Daerah {region}"
            email = f"{agency.split()[-1].lower()}{region}@daerah.go.id"
            institutions.append((name, "perangkat_daerah", "", code, email))
        # the template's other institution types, under the region's government
        institutions.append((f"Kelurahan Pusat {region}", "kelurahan", "", code,
                             f"kelurahan{region}@daerah.go.id"))
        institutions.append((f"Desa Makmur {region}", "desa", "", code,
                             f"desa{region}@desa.id"))
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Inovasi")
    sheet.append(["Nama Instansi", "Jenis", "Induk", "Kode Wilayah", "Surel", "Judul Inovasi",
                  "Kategori", "Inovator", "Mulai Diterapkan"])
    for number in range(rows):
        name, kind, parent, code, email = institutions[number % len(institutions)]
        title = f"{rng.choice(THEMES)} {rng.choice(OBJECTS)} {number + 1}"
        started = f"20{rng.randint(15, 24)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        sheet.append([name, kind, parent, code, email, title, CATEGORY_OF[kind],
                      f"Tim Inovasi {number % 97}", started])
    workbook.save(path)


def _openpyxl_rows(path: Path) -> list[tuple[int, list]]:
    from openpyxl import load_workbook

    book = load_workbook(path, read_only=True, data_only=True)
    try:
        rows = []
        for number, row in enumerate(book.worksheets[0].iter_rows(values_only=True), start=1):
            values = ["" if v is None else v for v in row]
            while values and values[-1] == "":
                values.pop()
            if values:
                rows.append((number, values))
        return rows
    finally:
        book.close()


def compare_readers(path: Path) -> None:
    """Seconds to read the sheet with calamine (what the import uses) and with openpyxl's
    read-only mode, best of two each, and whether their values agree."""
    import io

    from sayembara.entries.spreadsheets import iter_xlsx_rows

    data = path.read_bytes()
    readers = {
        "calamine": lambda: [(n, ["" if v is None else v for v in values])
                             for n, values in iter_xlsx_rows(io.BytesIO(data))],
        "openpyxl read-only": lambda: _openpyxl_rows(path),
    }
    seconds, cpu, values = {}, {}, {}
    for name, read in readers.items():
        best = float("inf")
        for _ in range(2):
            start, start_cpu = time.perf_counter(), time.process_time()
            values[name] = read()
            took = time.perf_counter() - start
            if took < best:
                best, cpu[name] = took, time.process_time() - start_cpu
        seconds[name] = best
    base, base_cpu = seconds["openpyxl read-only"], cpu["openpyxl read-only"]
    for name, took in seconds.items():
        print(f"read the sheet with {name:<20} {took:6.2f} s wall, {cpu[name]:5.2f} s CPU  "
              f"(x{base / took:4.1f} of openpyxl's wall, x{base_cpu / cpu[name]:4.1f} of its CPU)")
    same = values["calamine"] == values["openpyxl read-only"]
    print(f"same values from both readers: {same}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--rows", type=int, default=36_700)
    parser.add_argument("--database-url", default="")
    parser.add_argument("--keep", action="store_true",
                        help="Keep the scratch folder (spreadsheet and SQLite database).")
    parser.add_argument("--write-only", metavar="PATH", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.write_only:
        write_workbook(Path(args.write_only), args.rows)
        return

    scratch = Path(tempfile.mkdtemp(prefix="sayembara-bench-import-"))
    workbook = scratch / "indeks-inovasi.xlsx"
    started = time.perf_counter()
    subprocess.run([sys.executable, __file__, "--rows", str(args.rows), "--write-only",
                    str(workbook)], check=True)
    print(f"spreadsheet: {args.rows:,} rows, {workbook.stat().st_size / 1e6:.1f} MB, "
          f"written in {time.perf_counter() - started:.1f} s (not counted)")

    os.environ["SAYEMBARA_DATA_DIR"] = str(scratch)
    os.environ["DATABASE_URL"] = args.database_url or f"sqlite:///{scratch / 'bench.sqlite3'}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sayembara.settings")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from sayembara.competitions.services.editions import create_edition, get_or_create_organiser
    from sayembara.entries.models import Entry, Institution
    from sayembara.entries.services.registry import import_registry
    from sayembara.template_format import load_template

    organiser = get_or_create_organiser(name="Kementerian Dalam Negeri", actor="bench")
    edition = create_edition(template=load_template("mangupura-2024"), year=2025,
                             organiser=organiser, actor="bench",
                             title="Indeks Inovasi Daerah 2025")
    compare_readers(workbook)
    before_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss

    started = time.perf_counter()
    with workbook.open("rb") as stream:
        summary = import_registry(stream=stream, filename=workbook.name, organiser=organiser,
                                  edition=edition, actor="bench")
    elapsed = time.perf_counter() - started
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss

    assert Entry.objects.filter(edition=edition).count() == summary.entries_created == args.rows
    institutions = Institution.objects.filter(organiser=organiser).count()
    print(f"database: {django.db.connection.vendor}")
    print(f"imported: {summary.rows:,} rows -> {summary.institutions_created:,} institutions "
          f"({institutions:,} in the registry), {summary.entries_created:,} entries")
    print(f"time: {elapsed:.2f} s ({summary.rows / elapsed:,.0f} rows/s; target <= 15 s)")
    print(f"peak memory: {peak_kb / 1024:.0f} MB resident "
          f"({before_kb / 1024:.0f} MB before the import; target <= 1024 MB)")
    django.db.connections.close_all()
    if args.keep:
        print(f"kept: {scratch}")
    else:
        shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    main()
