"""``sayembara edition create`` and ``sayembara edition list``."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from sayembara.common.models import AuditEvent
from sayembara.competitions.models import Competition, Edition, Organiser
from sayembara.template_format.loader import BUILTIN_DIR

pytestmark = pytest.mark.django_db


def _run(*args):
    out, err = StringIO(), StringIO()
    call_command("edition", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_edition_create_from_builtin_template_moves_dates_to_the_year():
    out, _ = _run("create", "--template", "kipp-pemalang-2020", "--year", "2026",
                  "--organiser", "Bagian Organisasi Setda Kabupaten Pemalang")

    edition = Edition.objects.get()
    assert edition.year == 2026
    assert edition.title.endswith("2026")
    assert edition.organiser.name == "Bagian Organisasi Setda Kabupaten Pemalang"
    local = edition.submission_deadline.astimezone(edition.zoneinfo)
    assert (local.year, local.month, local.day, local.hour) == (2026, 12, 7, 16)
    assert edition.stages.count() == 3
    assert f"({edition.slug})" in out
    assert AuditEvent.objects.filter(action="edition.created", edition_id=edition.pk).exists()


def test_edition_create_title_and_time_zone_given():
    _run("create", "--template", "mangupura-2024", "--year", "2025", "--organiser",
         "BRIDA Kabupaten Badung", "--title", "Mangupura Award Tahun 2025", "--time-zone", "WIT")

    edition = Edition.objects.get()
    assert (edition.title, edition.timezone) == ("Mangupura Award Tahun 2025", "WIT")
    local = edition.submission_deadline.astimezone(edition.zoneinfo)
    assert (local.month, local.day, local.hour) == (7, 31, 16)


def test_edition_create_existing_year_refused_and_data_untouched():
    _run("create", "--template", "mangupura-2024", "--year", "2025", "--organiser",
         "BRIDA Kabupaten Badung", "--title", "Yang pertama")
    edition = Edition.objects.get()
    before = (edition.title, edition.rules_version, edition.rules, AuditEvent.objects.count())

    with pytest.raises(CommandError) as refused:
        _run("create", "--template", "mangupura-2024", "--year", "2025", "--organiser",
             "BRIDA Kabupaten Badung", "--title", "Yang kedua")

    assert str(refused.value) == ("Mangupura Award already has an edition for 2025. Open that "
                                  "edition, or choose another year.")
    edition.refresh_from_db()
    assert (edition.title, edition.rules_version, edition.rules,
            AuditEvent.objects.count()) == before
    assert (Edition.objects.count(), Competition.objects.count()) == (1, 1)


def test_edition_create_template_problems_printed_with_file_and_line(tmp_path):
    bad = tmp_path / "lomba.yaml"
    text = (
        (BUILTIN_DIR / "kipp-pemalang-2020.yaml").read_text(encoding="utf-8")
        .replace("    weight: 40\n", "    weight: 45\n")
        .replace("name: kipp-pemalang-2020", "name: kipp-pemalang-2020\ncolour: blue")
    )
    bad.write_text(text, encoding="utf-8")
    colour_line = text.splitlines().index("colour: blue") + 1
    err = StringIO()

    with pytest.raises(CommandError) as refused:
        call_command("edition", "create", "--template", str(bad), "--year", "2026",
                     "--organiser", "Setda", stdout=StringIO(), stderr=err)

    assert str(refused.value) == "The template has 2 problems; nothing was created."
    printed = err.getvalue().splitlines()
    assert printed[0].startswith(f"{bad}:{colour_line}: ")
    assert "colour" in printed[0]
    assert "add up to 105, not 100" in printed[1]
    assert (Edition.objects.count(), Organiser.objects.count()) == (0, 0)


def test_edition_create_unknown_template_names_the_builtin_ones():
    err = StringIO()
    with pytest.raises(CommandError):
        call_command("edition", "create", "--template", "lomba-tidak-ada", "--year", "2026",
                     "--organiser", "Setda", stdout=StringIO(), stderr=err)

    assert 'There is no built-in template named "lomba-tidak-ada"' in err.getvalue()
    assert "mangupura-2024" in err.getvalue()


def test_edition_list_shows_every_edition():
    _run("create", "--template", "mangupura-2024", "--year", "2025", "--organiser",
         "BRIDA Kabupaten Badung")
    _run("create", "--template", "kipp-pemalang-2020", "--year", "2026", "--organiser",
         "Setda Pemalang")

    out, _ = _run("list")

    lines = out.splitlines()
    assert lines[0].split()[:3] == ["SLUG", "YEAR", "TITLE"]
    assert [line.split()[1] for line in lines[1:]] == ["2026", "2025"]
    assert "BRIDA Kabupaten Badung" in lines[2]


def test_edition_list_empty_says_how_to_create_one():
    out, _ = _run("list")

    assert "sayembara edition create --template NAME" in out
