"""``sayembara template list | show | validate``."""

from __future__ import annotations

import io

from sayembara.template_format.cli import main
from sayembara.template_format.loader import BUILTIN_DIR


def run(*argv: str) -> tuple[int, str]:
    out = io.StringIO()
    status = main(list(argv), out=out)
    return status, out.getvalue()


def test_template_list_prints_each_builtin_with_its_title():
    status, output = run("list")
    assert status == 0
    assert output.splitlines() == [
        "kipp-minut-2024        KIPP Kabupaten Minahasa Utara 2024",
        "kipp-pemalang-2020     Kompetisi Inovasi Pelayanan Publik Kabupaten Pemalang 2020",
        "krenova-magelang-2017  Krenova OPD dan BUMD Kota Magelang 2017",
        "mangupura-2024         Mangupura Award 2024",
        "pengaduan-2020         Kompetisi Pengelolaan Pengaduan Pelayanan Publik 2020",
    ]


def test_template_show_summarises_stages_with_weights_and_advancement():
    status, output = run("show", "mangupura-2024")
    assert status == 0
    lines = output.splitlines()
    assert lines[0] == "Mangupura Award 2024 (mangupura-2024)"
    stages = lines[lines.index("Stages") + 1 : lines.index("Rubrics") - 1]
    assert stages[:4] == [
        "  1. verifikasi-dokumen  Verifikasi dokumen kinerja tahun sebelumnya",
        "     weighted 20%, 2024-08-01..2024-08-16, scored by judges",
        "     rubric: aspek-perangkat-daerah (perangkat-daerah); "
        "aspek-kelurahan-desa (kelurahan, desa)",
        "     advance: top 10 per category; ties at the cut broken",
    ]
    assert "  Juara 1 sampai 3: ranks 1-3, trophy, certificate" in lines
    assert "  kelurahan  Kategori Kelurahan (kelurahan, 16)" in lines


def test_template_show_describes_quotas_and_prizes():
    _, pengaduan = run("show", "pengaduan-2020")
    assert (
        "     advance: quotas per group: outstanding 6, ip-umum 30, upp 10 (46 in all); "
        "ties at the cut broken"
    ) in pengaduan.splitlines()
    _, krenova = run("show", "krenova-magelang-2017")
    assert "  Juara 1: rank 1, certificate, Rp5.000.000" in krenova.splitlines()


def test_template_show_unknown_name_says_which_names_exist():
    status, output = run("show", "mangupura-2023")
    assert status == 1
    assert output == (
        'mangupura-2023: There is no built-in template named "mangupura-2023" and no file at '
        "that path; give a file path or one of the built-in names: kipp-minut-2024, "
        "kipp-pemalang-2020, krenova-magelang-2017, mangupura-2024, pengaduan-2020.\n"
    )


def test_template_validate_prints_valid_for_a_good_file():
    assert run("validate", str(BUILTIN_DIR / "kipp-minut-2024.yaml")) == (0, "valid\n")


def test_template_validate_prints_file_line_sentence_for_each_problem(tmp_path):
    text = (BUILTIN_DIR / "kipp-pemalang-2020.yaml").read_text(encoding="utf-8")
    text = text.replace("    weight: 40\n", "    weight: 45\n").replace(
        "time_zone: WIB", "timezone: WIB"
    )
    path = tmp_path / "pemalang.yaml"
    path.write_text(text, encoding="utf-8")
    lines = text.splitlines()
    status, output = run("validate", str(path))
    assert status == 1
    assert output.splitlines() == [
        f'{path}:{lines.index("name: kipp-pemalang-2020") + 1}: The required key "time_zone" is '
        "missing from the template (WIB, WITA or WIT). Add it.",
        f'{path}:{lines.index("timezone: WIB") + 1}: The key "timezone" is not allowed in the '
        'template. Did you mean "time_zone"?',
        f"{path}:{lines.index('stages:') + 1}: The weights of the weighted stages (Penilaian "
        "proposal, Presentasi, Wawancara) add up to 105, not 100; change them so that they add "
        "up to 100.",
    ]


def test_template_validate_reports_each_file(tmp_path):
    bad = tmp_path / "kosong.yaml"
    bad.write_text("", encoding="utf-8")
    good = BUILTIN_DIR / "mangupura-2024.yaml"
    status, output = run("validate", str(good), str(bad))
    assert status == 1
    assert output.splitlines() == [
        f"{good}: valid",
        f"{bad}:1: The template is empty; write its keys (name, title, organiser, year, ...), "
        "see docs/templates.md.",
    ]


def test_template_without_command_is_a_usage_error(capsys):
    assert main([]) == 2
    assert "usage: sayembara template" in capsys.readouterr().err
