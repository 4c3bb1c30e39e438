import json
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from sayembara.common.models import AuditEvent
from sayembara.entries.models import Entry
from sayembara.judging.models import Judge, StageResult
from sayembara.judging.services.assignments import assign
from sayembara.judging.services.bundle import export_edition_bundle
from sayembara.judging.services.closing import (
    close_stage,
    confirm_stage,
    decide_entry,
    open_stage,
)
from sayembara.judging.services.sheets import save_sheet, submit_sheet
from sayembara.ranking.bundle import verify_bundle
from tests.factories_judging import default_values, scored_stage

pytestmark = pytest.mark.django_db

NAMES = ["Ni Luh Ayu Sekarwati", "Ni Luh Ayu Sekarwati", "Gede Wirabuana Pratama"]


def _score_all(stage, entries, judges, values):
    for j, judge in enumerate(judges):
        for entry in entries:
            key = entry.category.key
            index = [x for x in entries if x.category_id == entry.category_id].index(entry)
            save_sheet(stage=stage, judge=judge, entry=entry, values=values(j, index, key),
                       actor=judge.user)
            submit_sheet(stage=stage, judge=judge, entry=entry, actor=judge.user)


def _fractional(judge_index, entry_index, category_key):
    """Scores with decimals, so that stage scores are not whole numbers."""
    values = default_values(judge_index, entry_index, category_key)
    if category_key == "opd":
        values["kebaruan"] -= Decimal("0.25") * judge_index
    else:
        values["manfaat"] += Decimal("0.125") * (entry_index + judge_index)
    return values


def _two_closed_stages():
    """An edition whose proposal stage is closed (with a decision) and confirmed, and whose
    interview stage is scored and closed."""
    edition, stage, entries, judges = scored_stage(entries_per_category=3, judges=3, top_n=2)
    for judge, name in zip(judges, NAMES, strict=True):
        Judge.objects.filter(pk=judge.pk).update(name=name)
    _score_all(stage, entries, judges, _fractional)
    close_stage(stage=stage, actor="s", bootstrap=0)
    third = [e for e in entries if e.category.key == "opd"][2]
    decide_entry(stage=stage, entry=third, decision="advance",
                 reason="Bukti dukung baru diverifikasi panitia.", actor="s")
    confirm_stage(stage=stage, actor="s")
    final_stage = edition.stages.get(key="wawancara")
    open_stage(stage=final_stage, actor="s")
    finalists = list(Entry.objects.filter(edition=edition, current_stage=final_stage)
                     .order_by("code"))
    for judge in judges:
        for entry in finalists:
            assign(stage=final_stage, judge=judge, entry=entry, actor="s")
    _score_all(final_stage, finalists, judges, _fractional)
    close_stage(stage=final_stage, actor="s", bootstrap=0)
    edition.refresh_from_db()
    return edition, [stage, final_stage], judges


def _stored_exact(stage):
    return {r.entry.code: (r.details["exact"].get("score"), r.score, r.rank, r.advanced)
            for r in StageResult.objects.filter(stage=stage).select_related("entry")}


def _bundle_text(folder: Path) -> str:
    return "\n".join(p.read_text(encoding="utf-8") for p in sorted(folder.rglob("*"))
                     if p.is_file())


def test_exported_bundle_verifies_and_holds_the_stored_stage_scores(tmp_path):
    edition, stages, _judges = _two_closed_stages()
    out = tmp_path / "bundle"
    head = AuditEvent.objects.order_by("-seq").first()
    data = export_edition_bundle(edition=edition, out_dir=out, actor="s")

    check = verify_bundle(out)
    assert check.identical, check.difference
    meta = json.loads((out / "bundle.json").read_text())
    assert meta["seed"] == edition.year
    # The bundle anchors the audit chain at the head it was exported at.
    assert (meta["audit_head"]["seq"], meta["audit_head"]["hash"]) == (head.seq, head.hash)
    results = json.loads((out / "results.json").read_text())
    assert results == json.loads(json.dumps(data))
    by_stage = {s["key"]: s for s in results["stages"]}
    compared = 0
    for stage in stages:
        stored = _stored_exact(stage)
        assert stored
        bundled = {item["entry"]: item for category in by_stage[stage.key]["categories"]
                   for item in category["entries"] if item["entry"] in stored}
        assert set(bundled) == set(stored)
        for code, (exact, shown, rank, advanced) in stored.items():
            # "193/2" as stored is "96.5" in results.json: the same exact value
            assert Fraction(bundled[code]["score_exact"]) == Fraction(exact)
            assert (bundled[code]["rank"], bundled[code]["advanced"]) == (rank, advanced)
            value = Fraction(exact)
            assert (Decimal(value.numerator) / Decimal(value.denominator)).quantize(
                Decimal("0.000001")) == shown
            compared += 1
    assert compared == 6 + 5  # every proposal entry, and the five that went on
    assert any(Fraction(row[0]).denominator != 1 for row in _stored_exact(stages[0]).values())
    decisions = (out / "inputs" / "decisions.csv").read_text()
    assert "advance,Bukti dukung baru diverifikasi panitia." in decisions
    event = AuditEvent.objects.filter(action="results.bundle_exported").get()
    assert event.after["seed"] == edition.year
    assert event.after["judges_pseudonymised"] is True


def test_bundle_hides_judge_names_unless_they_are_kept(tmp_path):
    edition, _stages, _judges = _two_closed_stages()
    hidden, kept = tmp_path / "hidden", tmp_path / "kept"
    export_edition_bundle(edition=edition, out_dir=hidden, actor="s")
    export_edition_bundle(edition=edition, out_dir=kept, keep_judge_names=True, actor="s")

    text = _bundle_text(hidden)
    for name in NAMES:
        assert name not in text
    judges_csv = (hidden / "inputs" / "judges.csv").read_text().splitlines()
    assert [line.split(",")[0] for line in judges_csv[1:]] == ["J01", "J02", "J03"]

    kept_judges = (kept / "inputs" / "judges.csv").read_text()
    # the two judges who share a name stay two judges
    assert "Ni Luh Ayu Sekarwati (1),anggota" in kept_judges
    assert "Ni Luh Ayu Sekarwati (2),anggota" in kept_judges
    assert "Gede Wirabuana Pratama,anggota" in kept_judges
    assert verify_bundle(kept).identical
    same = json.loads((hidden / "results.json").read_text())["stages"]
    assert [[e["score_exact"] for c in s["categories"] for e in c["entries"]]
            for s in same] == [
        [e["score_exact"] for c in s["categories"] for e in c["entries"]]
        for s in json.loads((kept / "results.json").read_text())["stages"]]


def test_edition_bundle_command_writes_a_bundle_and_names_what_it_refuses(tmp_path, capsys):
    edition, _stages, _judges = _two_closed_stages()
    out = tmp_path / "hasil"
    call_command("edition_bundle", edition.slug, "--out", str(out))
    assert "sayembara bundle verify" in capsys.readouterr().out
    assert verify_bundle(out).identical

    with pytest.raises(CommandError, match="no edition with the short name tidak-ada-2024"):
        call_command("edition_bundle", "tidak-ada-2024", "--out", str(tmp_path / "x"))
    with pytest.raises(CommandError, match="already exists and is not empty"):
        call_command("edition_bundle", edition.slug, "--out", str(out))
    assert not (tmp_path / "x").exists()
    from sayembara.competitions.management.commands.edition_bundle import Command

    usage = Command().create_parser("sayembara", "edition_bundle").format_help()
    assert "sayembara bundle verify DIR" in usage and "--keep-judge-names" in usage


def test_checklist_scores_are_exported_as_the_items_ticked(tmp_path):
    from tests.factories_judging import make_edition, make_entry, make_judge
    from tests.factories_judging import open_stage as open_for_scoring

    edition = make_edition(template="krenova-magelang-2017")
    stage = open_for_scoring(edition.stages.order_by("order").first())
    judge = make_judge(edition)
    category = edition.categories.order_by("order").first()
    ticked = {items: make_entry(edition, category_key=category.key)
              for items in ("proposal-lengkap|sk|replikasi|bukti", "proposal-lengkap|bukti")}
    for items, entry in ticked.items():
        assign(stage=stage, judge=judge, entry=entry, actor="s")
        save_sheet(stage=stage, judge=judge, entry=entry,
                   values={"kelengkapan": items.split("|")}, actor="s")
        submit_sheet(stage=stage, judge=judge, entry=entry, actor="s")
    close_stage(stage=stage, actor="s", bootstrap=0)
    out = tmp_path / "krenova"
    export_edition_bundle(edition=edition, out_dir=out, actor="s")

    scores = (out / "inputs" / "scores.csv").read_text().splitlines()
    for items, entry in ticked.items():
        assert f"{stage.key},J01,{entry.code},kelengkapan,{items}" in scores
    assert verify_bundle(out).identical
    results = json.loads((out / "results.json").read_text())
    bundled = {e["entry"]: e for s in results["stages"] if s["key"] == stage.key
               for c in s["categories"] for e in c["entries"]}
    stored = _stored_exact(stage)
    assert sorted(Fraction(row[0]) for row in stored.values()) == [50, 100]
    for code, (exact, _shown, _rank, advanced) in stored.items():
        assert Fraction(bundled[code]["score_exact"]) == Fraction(exact)
        assert bundled[code]["advanced"] == advanced


def test_bundle_bootstrap_figures_equal_the_stored_ones(tmp_path):
    draws = iter([7, 9, 6, 8, 10, 5, 9, 7, 6, 10, 8, 9, 5, 7, 10, 6] * 2)
    cuts = iter([70, 88, 64, 79, 81, 66, 90, 72, 75, 61, 84, 69, 77, 73, 68, 86] * 2)

    def close_calls(_judge_index, _entry_index, category_key):
        if category_key == "opd":
            return {"kebaruan": Decimal(next(draws)), "bukti": Decimal(70)}
        return {"manfaat": Decimal(next(cuts))}

    edition, stage, entries, judges = scored_stage(entries_per_category=4, judges=4)
    # by id: J04, J03, J01, J02 (the pseudonyms follow the names' SHA-256 digests)
    for judge, name in zip(judges, ["Made Sudarsana", "Komang Arianti", "Putu Wijaya",
                                    "Ketut Suardana"], strict=True):
        Judge.objects.filter(pk=judge.pk).update(name=name)
    _score_all(stage, entries, judges, close_calls)
    close_stage(stage=stage, actor="s", bootstrap=200)
    data = export_edition_bundle(edition=edition, out_dir=tmp_path / "b", actor="s")
    bundled = {e["entry"]: (tuple(e["rank_interval"]), e["p_top_n"])
               for c in data["stages"][0]["categories"] for e in c["entries"]}
    stored = {r.entry.code: ((r.rank_low, r.rank_high), float(r.p_top_n))
              for r in StageResult.objects.filter(stage=stage).select_related("entry")}
    assert any(0 < p < 1 for _interval, p in stored.values())
    assert bundled == stored
