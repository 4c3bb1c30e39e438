"""The columnar score reader gives exactly what the row-by-row reader gives, and hands over
to it (which names the line) whenever the file is not plain."""

from __future__ import annotations

from pathlib import Path

import pytest

from sayembara.ranking.bridge import competition_from_template
from sayembara.ranking.csvinput import (
    InputFileError,
    _Fallback,
    _read_scores_columnar,
    _read_scores_slow,
    read_entries,
    read_scores,
)
from sayembara.template_format import load_template

from .helpers import write_csv

HEADER = "stage,judge,entry,criterion,score\n"


def _setup(tmp_path: Path, template_name: str, entries: list[tuple[str, ...]],
           scores: str) -> tuple:
    template = load_template(template_name)
    competition = competition_from_template(template)
    header = ("entry", "category", "group") if len(entries[0]) == 3 else ("entry", "category")
    write_csv(tmp_path / "entries.csv", header, entries)
    (tmp_path / "scores.csv").write_bytes(scores.encode("utf-8"))
    read, _lines = read_entries(tmp_path / "entries.csv", template)
    index = {e.key: i for i, e in enumerate(read)}
    return tmp_path / "scores.csv", competition, read, index


def _same(fast: tuple, slow: tuple) -> None:
    for name in ("stage", "judge", "entry", "criterion", "value"):
        assert getattr(fast[0], name).tolist() == getattr(slow[0], name).tolist(), name
    assert fast[0].denominator == slow[0].denominator
    assert [j.key for j in fast[1]] == [j.key for j in slow[1]]
    assert fast[2].score_lines.tolist() == slow[2].score_lines.tolist()
    assert ([fast[2].score_values[i] for i in fast[2].score_value_index.tolist()]
            == [slow[2].score_values[i] for i in slow[2].score_value_index.tolist()])


def test_ordinal_labels_numbers_blanks_and_spaces_read_column_wise(tmp_path):
    entries = [("A", "instansi-pemerintah", "ip-umum"), ("B", "upp", "upp")]
    scores = HEADER + "".join([
        "evaluasi,E2,A,kebijakan,Dengan SOP\n",
        "evaluasi, E1 ,A,kelembagaan,Tim ditetapkan\n",
        'evaluasi,E1,A,kanal,"70"\n',
        "evaluasi,E1,A,tindak-lanjut,80\n",
        "evaluasi,E1,A,evaluasi-inovasi,\n",  # left unscored
        "evaluasi,E1, B ,kebijakan,100\n",
        "evaluasi,E1,B,kelembagaan,50\n",
        "evaluasi,E1,B,kanal,Terhubung SP4N-LAPOR!\n",
        "evaluasi,E1,B,tindak-lanjut,Sesuai waktu\n",
        "evaluasi,E1,B,evaluasi-inovasi,Evaluasi berkala\n",
    ])
    args = _setup(tmp_path, "pengaduan-2020", entries, scores)
    fast = _read_scores_columnar(*args, None, [])
    slow = _read_scores_slow(*args, None)
    _same(fast, slow)
    assert [j.key for j in fast[1]] == ["E2", "E1"]  # in the order they first appear
    assert fast[2].score_lines.tolist() == [2, 3, 4, 5, 7, 8, 9, 10, 11]


def test_checklists_and_decimal_commas_read_column_wise(tmp_path):
    entries = [("K1", "tata-kelola"), ("K2", "tata-kelola")]
    scores = HEADER + "".join([
        "penilaian-1,T1,K1,kelengkapan,proposal-lengkap|sk|replikasi|bukti\n",
        "penilaian-1,T1,K2,kelengkapan,\n",  # a checklist with nothing ticked scores 0
        'penilaian-2,T1,K1,kebaruan,"77,25"\n',
        "penilaian-2,T1,K1,manfaat,77.25\n",
        "penilaian-2,T2,K1,manfaat,80\r\n",
    ])
    args = _setup(tmp_path, "krenova-magelang-2017", entries, scores)
    fast = _read_scores_columnar(*args, None, [])
    _same(fast, _read_scores_slow(*args, None))
    assert fast[0].value.tolist()[:2] != [0, 0]
    assert len(fast[0].value) == 5


@pytest.mark.parametrize("scores", [
    HEADER + "penilaian-2,T1,K1,kebaruan,70\n\npenilaian-2,T1,K1,manfaat,80\n",
    HEADER + 'penilaian-2,T1,K1,kebaruan,70\npenilaian-2,"T\n1",K1,manfaat,80\n',
    HEADER + "penilaian-2,T1,K1,kebaruan,70\npenilaian-2,T1,K1,manfaat\n",
    HEADER + "penilaian-2,T1,K1,kebaruan,70\npenilaian-2,,K1,manfaat,80\n",
], ids=["blank line", "value over two lines", "ragged row", "empty judge"])
def test_unusual_files_go_to_the_row_by_row_reader(tmp_path, scores):
    args = _setup(tmp_path, "krenova-magelang-2017", [("K1", "tata-kelola")], scores)
    with pytest.raises(_Fallback):
        _read_scores_columnar(*args, None, [])
    try:
        expected = _read_scores_slow(*args, None)
    except InputFileError as error:
        with pytest.raises(InputFileError) as raised:
            read_scores(*args, None)
        assert raised.value.format() == error.format()
        assert raised.value.line == 3
        return
    _same(read_scores(*args, None), expected)


@pytest.mark.parametrize(("row", "column", "phrase"), [
    ("penilaian-9,T1,K1,kebaruan,70", "stage", "no stage penilaian-9"),
    ("penilaian-2,T1,K9,kebaruan,70", "entry", "no entry K9"),
    ("penilaian-2,T1,K1,warna,70", "criterion", "no criterion warna"),
    ("penilaian-2,T1,K1,kebaruan,tujuh", "score", "must be a number"),
    ("penilaian-1,T1,K1,kelengkapan,sk|foto", "score", "no item foto"),
])
def test_a_bad_cell_in_a_large_file_is_named_with_its_line(tmp_path, row, column, phrase):
    good = "".join(f"penilaian-2,T{j},K{e % 2 + 1},kebaruan,{50 + e % 40}\n"
                   for e in range(3000) for j in (1,))
    scores = HEADER + good + row + "\n" + good
    args = _setup(tmp_path, "krenova-magelang-2017",
                  [("K1", "tata-kelola"), ("K2", "tata-kelola")], scores)
    with pytest.raises(InputFileError) as raised:
        read_scores(*args, None)
    assert (raised.value.line, raised.value.column) == (3002, column)
    assert phrase in raised.value.message
