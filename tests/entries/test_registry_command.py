import pytest
from django.core.management import CommandError, call_command

from sayembara.entries.models import Institution
from tests.factories import OrganiserFactory

pytestmark = pytest.mark.django_db


def test_registry_import_command_is_a_dry_run_until_commit(tmp_path, capsys):
    organiser = OrganiserFactory(slug="brida-badung")
    path = tmp_path / "badung.csv"
    path.write_text("nama,jenis,induk,kode wilayah,surel\nDesa Dalung,desa,,51.03.05.2003,\n")
    call_command("registry", "import", str(path), "--organiser", "brida-badung")
    assert "dry run" in capsys.readouterr().out
    assert not Institution.objects.filter(organiser=organiser).exists()
    call_command("registry", "import", str(path), "--organiser", "brida-badung", "--commit")
    assert ("Imported 1 row: 1 institution added, 0 updated, 0 unchanged; 0 entries created."
            in capsys.readouterr().out)
    assert Institution.objects.get(organiser=organiser).region_code == "51.03.05.2003"


def test_registry_import_command_lists_problems(tmp_path, capsys):
    OrganiserFactory(slug="brida-badung")
    path = tmp_path / "badung.csv"
    path.write_text("nama,jenis,induk,surel\nDesa Dalung,desa,,\n")
    with pytest.raises(CommandError) as error:
        call_command("registry", "import", str(path), "--organiser", "brida-badung",
                     "--commit")
    assert str(error.value) == "1 problem; nothing was imported."
    assert "badung.csv, line 1: The column “region code” is missing." in capsys.readouterr().err
