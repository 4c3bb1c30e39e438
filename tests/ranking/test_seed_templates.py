"""Worked examples for the five seed competitions, run through ``sayembara rank`` from CSV.

Each example keeps most sheets uniform (every criterion the same score, so the sheet total
is that score) and works one or two entries out by hand in the comments.
"""

from __future__ import annotations

import itertools
from fractions import Fraction

from .helpers import Files, rank

NO_BOOTSTRAP = ("--bootstrap", "0")

MANGUPURA_PD = ("aset", "keuangan", "arsip", "disiplin", "pelayanan-publik", "inovasi",
                "akuntabilitas")
MANGUPURA_KD = ("aset", "keuangan", "arsip", "disiplin", "pelayanan-publik-persampahan",
                "inovasi", "akuntabilitas")


def _uniform(criteria: tuple[str, ...], value: object) -> dict[str, object]:
    return dict.fromkeys(criteria, value)


def test_mangupura_2024_weighted_stages_top_ten_and_award_tiers(tmp_path):
    files = Files()
    kel = [f"KEL-{i:02d}" for i in range(1, 12)]  # 11 kelurahan: one stops after stage 1
    files.entries = [(k, "kelurahan") for k in kel] + [("PD-01", "perangkat-daerah")]
    # Stage 1 (20 %): KEL-01 by hand: (15x80 + 15x70 + 10x90 + 10x60 + 20x85 + 15x75 +
    # 15x65) / 100 = 7550 / 100 = 75.5; the others uniform 90, 88, ..., 70.
    files.sheet("verifikasi-dokumen", "V1", "KEL-01", dict(zip(MANGUPURA_KD, (
        80, 70, 90, 60, 85, 75, 65), strict=True)))
    for i, k in enumerate(kel[1:]):
        files.sheet("verifikasi-dokumen", "V1", k, _uniform(MANGUPURA_KD, 90 - 2 * i))
    files.sheet("verifikasi-dokumen", "V1", "PD-01", _uniform(MANGUPURA_PD, 60))
    finalists = kel[:10]  # KEL-11 has 72, the lowest: it stops
    # Stage 2 (55 %): two judges; KEL-01 80 and 90 -> 85. Stage 3 (25 %): KEL-01 70.
    for k in finalists:
        a, b = (80, 90) if k == "KEL-01" else (60, 62)
        files.sheet("presentasi", "J1", k, _uniform(MANGUPURA_KD, a))
        files.sheet("presentasi", "J2", k, _uniform(MANGUPURA_KD, b))
        files.sheet("verifikasi-lapangan", "J1", k,
                    _uniform(MANGUPURA_KD, 70 if k == "KEL-01" else 61))
    files.sheet("presentasi", "J1", "PD-01", _uniform(MANGUPURA_PD, 50))
    files.sheet("verifikasi-lapangan", "J1", "PD-01", _uniform(MANGUPURA_PD, 50))
    outcome = rank("mangupura-2024", files, tmp_path, *NO_BOOTSTRAP)
    assert outcome.status == 0, outcome.stderr
    s1 = outcome.entries("verifikasi-dokumen")
    assert s1["KEL-01"]["score"] == "75.5"
    assert s1["KEL-01"]["selection"] == "15.1"
    assert [k for k in kel if s1[k]["advanced"]] == finalists
    assert s1["KEL-11"]["reason"] == "Ranked 11 in kelurahan, outside its 10 places."
    final = outcome.final()
    # KEL-01: 0.20 x 75.5 + 0.55 x 85 + 0.25 x 70 = 15.1 + 46.75 + 17.5
    assert final["KEL-01"]["total"] == "79.35"
    # KEL-02: 0.20 x 90 + 0.55 x 61 + 0.25 x 61 = 18 + 33.55 + 15.25
    assert final["KEL-02"]["total"] == "66.8"
    assert final["KEL-01"]["rank"] == 1
    assert (final["KEL-01"]["trophy"], final["KEL-01"]["certificate"]) == (True, True)
    # Each rank of a tier is named on its own (the tier's rank_name), never by the range.
    assert final["KEL-01"]["award"] == "Juara 1"
    assert final["KEL-02"]["award"] == "Juara 2"
    assert final["KEL-05"]["award"] == "Peringkat 5"
    assert final["KEL-05"]["trophy"] is False
    assert (final["KEL-11"]["rank"], final["KEL-11"]["award"]) == (11, None)
    assert final["KEL-11"]["total"] == "14.4"  # 0.20 x 72: only the stage it took
    assert final["PD-01"]["rank"] == 1  # ranked within its own category
    assert outcome.data is not None and outcome.data["complete"] is True


KRENOVA_ADMIN = "proposal-lengkap|sk|replikasi|bukti"
KRENOVA_SUBSTANSI = ("kebaruan", "manfaat", "kolaborasi", "replikasi", "keberlanjutan")
KRENOVA_PRESENTASI = ("kebaruan", "manfaat", "kolaborasi", "replikasi", "penyajian")
KRENOVA_LAPANGAN = ("terlaksana", "manfaat-nyata")


def test_krenova_magelang_2017_checklist_gate_lowering_field_stage_and_prizes(tmp_path):
    files = Files()
    names = [f"K{i}" for i in range(1, 8)]
    files.entries = [(k, "tata-kelola") for k in names]
    # Stage 1 (filter, passing grade 100): K7 ticks 3 of 4 items -> 75 and stops.
    for k in names:
        files.sheet("penilaian-1", "T1", k, {"kelengkapan": KRENOVA_ADMIN if k != "K7" else
                                             "proposal-lengkap|sk|bukti"})
    passed = names[:6]
    base = {"K1": 80, "K2": 78, "K3": 76, "K4": 74, "K5": 72, "K6": 70}
    for k in passed:
        files.sheet("penilaian-2", "T1", k, _uniform(KRENOVA_SUBSTANSI, base[k]))
        files.sheet("penilaian-3", "T1", k,
                    _uniform(KRENOVA_PRESENTASI, 90 if k == "K1" else base[k]))
        # Field verification can only lower: K1 is verified at 70 (below its carried 85),
        # K2 at 95 (above its carried 78, so it changes nothing).
        field = {"K1": 70, "K2": 95}.get(k, base[k])
        files.sheet("penilaian-4", "T1", k, _uniform(KRENOVA_LAPANGAN, field))
        files.sheet("penilaian-5", "D1", k, _uniform(KRENOVA_PRESENTASI,
                                                     88 if k == "K1" else base[k]))
        files.sheet("penilaian-6", "D1", k, _uniform(KRENOVA_PRESENTASI,
                                                     92 if k == "K1" else base[k]))
    outcome = rank("krenova-magelang-2017", files, tmp_path, *NO_BOOTSTRAP)
    assert outcome.status == 0, outcome.stderr
    s1 = outcome.entries("penilaian-1")
    assert s1["K7"]["score"] == "75"
    assert s1["K7"]["reason"] == "The score 75 is below the passing grade 100."
    s4 = outcome.entries("penilaian-4")
    assert s4["K1"]["lowered_by"] == "15"  # min(70, 85): carried (20x80 + 20x90) / 40 = 85
    assert s4["K2"]["lowered_by"] == "0"  # 95 is above its carried 78: no change
    final = outcome.final()
    # K1: 0.20x80 + 0.20x90 + 0.15x70 + 0.25x88 + 0.20x92 = 16 + 18 + 10.5 + 22 + 18.4
    assert final["K1"]["total"] == "84.9"
    assert final["K2"]["total"] == "78"  # every stage 78 after the field cap
    assert [final[k]["prize"] for k in ("K1", "K2", "K3", "K4")] == [
        "5000000", "3000000", "2000000", "0"]
    s6 = outcome.entries("penilaian-6")
    assert [k for k in passed if s6[k]["advanced"]] == ["K1", "K2", "K3", "K4", "K5"]
    assert final["K7"]["reached"] == "penilaian-1"
    assert final["K7"]["rank"] == 7


PENGADUAN_MANDIRI = ("kebijakan", "kelembagaan", "kanal", "tindak-lanjut", "evaluasi-inovasi")
PENGADUAN_JURI = ("inovasi", "dampak", "keberlanjutan", "replikasi")


def test_pengaduan_2020_ordinal_evidence_and_fixed_group_quotas(tmp_path):
    files = Files()
    files.entry_header = ("entry", "category", "group")
    groups = {"outstanding": ("instansi-pemerintah", 8), "ip-umum": ("instansi-pemerintah", 33),
              "upp": ("upp", 12)}
    entries: dict[str, list[str]] = {}
    for group, (category, count) in groups.items():
        entries[group] = [f"{group}-{i:02d}" for i in range(1, count + 1)]
        files.entries += [(k, category, group) for k in entries[group]]
    # Every combination of proven levels, by total (worked out as the rubric says), so that
    # the entries of a group get distinct totals.
    options = {"kebijakan": (20, (0, 50, 75, 100)), "kelembagaan": (20, (0, 50, 100)),
               "kanal": (20, (0, 40, 70, 100)), "tindak-lanjut": (25, (0, 50, 80, 100)),
               "evaluasi-inovasi": (15, (0, 50, 100))}
    by_total: dict[Fraction, tuple[int, ...]] = {}
    for combo in itertools.product(*(levels for _, levels in options.values())):
        total = sum((Fraction(w * v, 100) for (w, _), v in zip(options.values(), combo,
                                                                 strict=True)), Fraction(0))
        by_total.setdefault(total, combo)
    ladder = [by_total[t] for t in sorted(by_total, reverse=True)]
    for keys in entries.values():
        for i, k in enumerate(keys):
            if k == "ip-umum-01":
                # by hand: (20x75 + 20x50 + 20x70 + 25x80 + 15x50) / 100 = 66.5
                files.sheet("evaluasi", "E1", k, {
                    "kebijakan": "Dengan SOP", "kelembagaan": "Tim ditetapkan",
                    "kanal": "Terhubung SP4N-LAPOR!", "tindak-lanjut": "80",
                    "evaluasi-inovasi": "Evaluasi berkala"})
                continue
            files.sheet("evaluasi", "E1", k, dict(zip(PENGADUAN_MANDIRI, ladder[i],
                                                      strict=True)))
    first = _run_pengaduan(files, tmp_path / "one")
    s1 = first.entries("evaluasi")
    assert s1["ip-umum-01"]["score"] == "66.5"
    quota = {"outstanding": 6, "ip-umum": 30, "upp": 10}
    advanced = {g: [k for k in keys if s1[k]["advanced"]] for g, keys in entries.items()}
    assert {g: len(v) for g, v in advanced.items()} == quota
    # Stage 2: the jury scores the 46; totals 90 - i by order of listing.
    for keys in advanced.values():
        for i, k in enumerate(keys):
            files.sheet("evaluasi-lanjutan", "D1", k, _uniform(PENGADUAN_JURI, 90 - i))
    second = _run_pengaduan(files, tmp_path / "two")
    s2 = second.entries("evaluasi-lanjutan")
    chosen = {g: [k for k in v if s2[k]["advanced"]] for g, v in advanced.items()}
    assert {g: len(v) for g, v in chosen.items()} == {"outstanding": 3, "ip-umum": 7, "upp": 5}
    final = second.final()
    top_upp = advanced["upp"][0]
    assert (final[top_upp]["rank"], final[top_upp]["award"]) == (1, "Terbaik 1")
    assert final[advanced["upp"][4]]["award"] == "Pengelola Pengaduan Pelayanan Publik Terbaik"
    # rank 6 of upp lies in the 4-7 tier but was not among the 5 the last stage selected
    assert (final[advanced["upp"][5]]["rank"], final[advanced["upp"][5]]["award"]) == (6, None)
    units = [u["unit"] for u in second.data["final"]] if second.data else []
    assert sorted(units) == ["ip-umum", "outstanding", "upp"]


def _run_pengaduan(files: Files, folder):
    outcome = rank("pengaduan-2020", files, folder, *NO_BOOTSTRAP)
    assert outcome.status == 0, outcome.stderr
    return outcome


MINUT_VIDEO = ("masalah", "kebaruan", "manfaat", "kreativitas")
MINUT_WAWANCARA = ("penguasaan", "manfaat", "keberlanjutan")


def test_kipp_minut_2024_honorary_judge_nominees_and_favourite(tmp_path):
    files = Files()
    names = [f"M{i}" for i in range(1, 9)]
    files.entries = [(k, "pelayanan-publik") for k in names]
    files.judges = [("SEKDA", "ketua", "Sekretariat Daerah"),
                    ("UNSRAT", "sekretaris", "Akademisi"),
                    ("BAPPEDA", "anggota", "BAPPEDA"), ("KOMINFO", "anggota", "Kominfo"),
                    ("BUPATI", "juri_kehormatan", "Bupati")]
    jury = ("SEKDA", "UNSRAT", "BAPPEDA", "KOMINFO")
    video = {"M1": (80, 84, 76, 88)}
    for i, k in enumerate(names):
        for judge, value in zip(jury, video.get(k, (70 - i,) * 4), strict=True):
            files.sheet("penilaian-video", judge, k, _uniform(MINUT_VIDEO, value))
        files.sheet("penilaian-video", "BUPATI", k, _uniform(MINUT_VIDEO, 100))
    nominees = names[:6]  # top 3 x 2
    for i, k in enumerate(nominees):
        values = (90, 86, 94, 90) if k == "M1" else (80 - i,) * 4
        for judge, value in zip(jury, values, strict=True):
            files.sheet("wawancara", judge, k, _uniform(MINUT_WAWANCARA, value))
    files.votes = [(k, v) for k, v in zip(names, (120, 30, 45, 12, 300, 8, 1, 0), strict=True)]
    outcome = rank("kipp-minut-2024", files, tmp_path, *NO_BOOTSTRAP)
    assert outcome.status == 0, outcome.stderr
    s1 = outcome.entries("penilaian-video")
    # the honorary judge's 100 is not counted: (80 + 84 + 76 + 88) / 4
    assert (s1["M1"]["score"], s1["M1"]["judges"], s1["M1"]["sheets"]) == ("82", 4, 5)
    assert [k for k in names if s1[k]["advanced"]] == nominees
    final = outcome.final()
    # M1: 0.4 x 82 + 0.6 x 90 = 32.8 + 54
    assert final["M1"]["total"] == "86.8"
    assert [final[k]["award"] for k in ("M1", "M2", "M3", "M4")] == [
        "Inovasi Terbaik 1", "Inovasi Terbaik 2", "Inovasi Terbaik 3", None]
    assert [k for k in names if final[k]["favourite"]] == ["M5"]
    assert outcome.data is not None
    assert outcome.data["favourite"] == "Inovasi Terfavorit Pilihan Masyarakat"


PEMALANG = ("inovasi", "kemanfaatan", "replikasi-keberlanjutan")


def test_kipp_pemalang_2020_three_weighted_stages_and_runners_up(tmp_path):
    files = Files()
    names = [f"P{i}" for i in range(1, 8)]
    files.entries = [(k, "inovasi-pelayanan-publik") for k in names]
    judges = ("BIROKRASI", "UNDIP", "KOMPAK")
    for i, k in enumerate(names):
        if k == "P1":
            # by hand: 0.35x80 + 0.35x70 + 0.30x90 = 79.5; 70; 0.35x90 + 0.35x80 + 0.30x85 = 85
            sheets = ((80, 70, 90), (70, 70, 70), (90, 80, 85))
            for judge, values in zip(judges, sheets, strict=True):
                files.sheet("proposal", judge, k, dict(zip(PEMALANG, values, strict=True)))
            presentasi, wawancara = (80, 82, 84), (75, 75, 78)
        else:
            for judge in judges:
                files.sheet("proposal", judge, k, _uniform(PEMALANG, 70 - i))
            presentasi = wawancara = (70 - i,) * 3
        for judge, value in zip(judges, presentasi, strict=True):
            files.sheet("presentasi", judge, k, _uniform(PEMALANG, value))
        for judge, value in zip(judges, wawancara, strict=True):
            files.sheet("wawancara", judge, k, _uniform(PEMALANG, value))
    outcome = rank("kipp-pemalang-2020", files, tmp_path, *NO_BOOTSTRAP)
    assert outcome.status == 0, outcome.stderr
    s1 = outcome.entries("proposal")
    # (79.5 + 70 + 85) / 3 = 234.5 / 3, not a finite decimal
    assert s1["P1"]["score_exact"] == "469/6"
    assert s1["P1"]["score"] == "78.166667"
    final = outcome.final()
    # 0.3 x 469/6 + 0.3 x 82 + 0.4 x 76 = 23.45 + 24.6 + 30.4
    assert final["P1"]["total"] == "78.45"
    assert [final[k]["award"] for k in names] == [
        "Juara 1", "Juara 2", "Juara 3", "Juara Harapan 1", "Juara Harapan 2",
        "Juara Harapan 3", None]
