import pytest
from django.urls import reverse
from django.utils import timezone

from sayembara.documents.charts import draw, histogram
from sayembara.documents.models import CertificateBatch
from sayembara.documents.services.publication import publication_of
from sayembara.voting.models import Ballot
from tests import factories_public as f
from tests.factories import UserFactory, grant

pytestmark = pytest.mark.django_db


@pytest.fixture
def organiser_client(client):
    edition = f.public_edition()
    user = UserFactory()
    grant(user, "organiser", organiser=edition.organiser)
    client.force_login(user)
    return client, edition


def test_histogram_counts_values_into_bins():
    chart, = draw([histogram([5, 15, 15, 99, 100], title="Sebaran", bins=10)])
    assert chart.rows == (("0–10", "1"), ("10–20", "2"), ("90–100", "2"))
    assert chart.wide.startswith("<svg") and chart.narrow.startswith("<svg")


def test_charts_page_draws_one_labelled_chart_per_category(organiser_client, settings):
    settings.LANGUAGE_CODE = "id"
    client, edition = organiser_client
    stage = edition.stages.order_by("order").first()
    category = edition.categories.order_by("order").first()
    judges = [f.judge(edition, name=n) for n in ("Juri Ketat Sekali", "Juri Longgar")]
    f.confirm_stage(stage).__class__.objects.filter(stage=stage).update(summary={
        "reliability": [{"unit": category.key, "per_judge": [
            {"judge": judges[0].pk, "sheets": 3, "severity": -4.5},
            {"judge": judges[1].pk, "sheets": 3, "severity": 3.25}]}]})
    for rank in range(1, 4):
        e = f.entry(edition)
        f.stage_result(stage, e, score=60 + rank * 10, rank=rank, rank_low=1, rank_high=4)
    text = client.get(reverse("public:charts", kwargs={"slug": edition.slug})).content.decode()
    assert (f"Kecenderungan menilai juri · {category.name} · {stage.name}") in text
    assert f"Sebaran nilai · {category.name} · {stage.name}" in text
    assert f"Rentang peringkat (keyakinan 90%) · {category.name} · {stage.name}" in text
    # The text alternative: each judge's tendency in words, each bin's count.
    assert ('<th scope="row">Juri Ketat Sekali</th><td class="num">lebih ketat 4,5 poin</td>'
            in text)
    assert '<th scope="row">70–80</th><td class="num">1</td>' in text
    # Names are drawn in full, above their bars, and no chart script is sent.
    assert text.count(">Juri Ketat Sekali</text>") == 2
    assert "<script" not in text.split("</header>")[-1].split("<footer")[0]


def test_charts_page_shows_tables_while_the_worker_draws_then_the_drawings(
        organiser_client, settings):
    """With a real task queue, the first visit sends one drawing request to the worker and
    shows each chart's numbers meanwhile; once the worker has run, the page shows the SVG."""
    from django.core.cache import cache
    from django_tasks_db.models import DBTaskResult

    settings.LANGUAGE_CODE = "id"
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    cache.clear()
    client, edition = organiser_client
    stage = edition.stages.order_by("order").first()
    f.confirm_stage(stage)
    for rank in range(1, 4):
        f.stage_result(stage, f.entry(edition), score=60 + rank * 10, rank=rank, rank_low=1,
                       rank_high=4)
    url = reverse("public:charts", kwargs={"slug": edition.slug})
    first = client.get(url).content.decode()
    assert "Grafik ini sedang digambar" in first
    assert '<th scope="row">70–80</th><td class="num">1</td>' in first
    assert "<svg" not in first
    asked = DBTaskResult.objects.count()
    assert asked >= 1
    client.get(url)
    assert DBTaskResult.objects.count() == asked  # asked once, however many visits
    for queued in DBTaskResult.objects.all():  # what the worker does with each request
        queued.task.call(*queued.args_kwargs["args"], **queued.args_kwargs["kwargs"])
    drawn = client.get(url).content.decode()
    assert "sedang digambar" not in drawn
    assert drawn.count('<div class="chart-wide"') >= 2 and "<svg" in drawn


def test_serving_pages_does_not_load_the_chart_library():
    """altair takes seconds to import: a server process and the command line start without
    it, and only the worker that draws loads it."""
    import subprocess
    import sys

    code = ("import django, os, sys; os.environ.setdefault('DJANGO_SETTINGS_MODULE', "
            "'sayembara.settings'); django.setup(); from django.urls import get_resolver; "
            "get_resolver().url_patterns; import sayembara.documents.tasks; "
            "print('altair' in sys.modules, 'vl_convert' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    assert out.stdout.strip() == "False False"

def test_certificate_page_generates_and_offers_the_zip(organiser_client,
                                                       django_capture_on_commit_callbacks):
    client, edition = organiser_client
    e = f.entry(edition, state="winner")
    f.final_result(e, rank=1, total=90, tier_key="peringkat-1-3")
    url = reverse("public:certificates", kwargs={"slug": edition.slug})
    refused = client.post(url, {"action": "generate"})
    assert "The design names no signatory" in refused.content.decode()
    client.post(url, {"heading": "PIAGAM PENGHARGAAN", "wording": "Atas inovasi {innovation}.",
                      "place_and_date": "Mangupura, {date}",
                      "signatories": "I Made Contoh | Kepala BRIDA | NIP. 1",
                      "accent_color": "#112233"})
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"action": "generate"})
    assert response.status_code == 302
    batch = CertificateBatch.objects.get()
    progress = client.get(reverse("public:batch_progress",
                                  kwargs={"slug": edition.slug, "pk": batch.pk}))
    assert "1 / 1" in progress.content.decode()
    download = client.get(reverse("public:batch_download",
                                  kwargs={"slug": edition.slug, "pk": batch.pk}))
    assert download["Content-Type"] == "application/zip"
    assert b"".join(download.streaming_content)[:2] == b"PK"


def test_certificate_design_form_reports_unknown_placeholders(organiser_client):
    client, edition = organiser_client
    url = reverse("public:certificates", kwargs={"slug": edition.slug})
    client.post(url, {"heading": "PIAGAM", "wording": "Untuk {penerima}.",
                      "place_and_date": "Mangupura", "signatories": "I Made | Kepala",
                      "accent_color": "#112233"})
    text = client.get(url).content.decode()
    assert "{penerima}" in text and "not a known placeholder" in text
    preview = client.get(reverse("public:certificate_preview", kwargs={"slug": edition.slug}))
    assert preview.status_code == 400


def test_ballot_set_up_from_the_template_and_counted(organiser_client):
    client, edition = organiser_client
    f.entry(edition, state="finalist")
    url = reverse("public:manage_ballot", kwargs={"slug": edition.slug})
    client.post(url, {"action": "create"})
    ballot = Ballot.objects.get(edition=edition)
    assert ballot.name == "Inovasi Terfavorit"
    assert ballot.candidates.count() == 1
    local = timezone.localtime(ballot.opens_at, edition.zoneinfo)
    assert (local.date().isoformat(), local.hour) == ("2024-09-01", 0)


def test_ballot_times_are_typed_in_the_editions_zone(organiser_client):
    """Badung votes in WITA: 08.00 typed on the form is 08.00 WITA, not WIB."""
    client, _published = organiser_client
    year = timezone.localdate().year + 1  # a vote not opened yet can still be changed
    edition = f.public_edition(year=year, organiser=_published.organiser)
    f.entry(edition, state="finalist")
    url = reverse("public:manage_ballot", kwargs={"slug": edition.slug})
    client.post(url, {"action": "create"})
    ballot = Ballot.objects.get(edition=edition)
    client.post(url, {"action": "update", "name": ballot.name, "opens_at": f"{year}-09-02T08:00",
                      "closes_at": f"{year}-09-09T17:30", "scope": ballot.scope,
                      "use": ballot.use, "votes_per_ip_per_hour": 50,
                      "votes_per_voter_per_minute": 5})
    ballot.refresh_from_db()
    opens = timezone.localtime(ballot.opens_at, edition.zoneinfo)
    closes = timezone.localtime(ballot.closes_at, edition.zoneinfo)
    assert (opens.isoformat(), closes.isoformat()) == (
        f"{year}-09-02T08:00:00+08:00", f"{year}-09-09T17:30:00+08:00")
    page = client.get(url).content.decode()
    assert f'name="opens_at" value="{year}-09-02 08:00' in page


def test_hub_publishes_results_and_links_the_papers(organiser_client):
    client, edition = organiser_client
    url = reverse("public:manage", kwargs={"slug": edition.slug})
    text = client.get(url).content.decode()
    for name in ("sk_draft", "rekap"):
        assert reverse(f"public:{name}", kwargs={"slug": edition.slug}) in text
    asked = client.post(url, {"breakdown": "stages", "publish_results": "on"})
    question = asked.content.decode()
    assert "for the first time" in question
    assert "The final ranking of " in question
    assert "Ranks, awards, the final score and every stage score" in question
    assert publication_of(edition).results_published_at is None
    client.post(url, {"breakdown": "stages", "publish_results": "on", "confirmed": "1"})
    edition.refresh_from_db()
    assert edition.publication.results_published_at is not None
    assert edition.publication.breakdown == "stages"
    rekap = client.get(reverse("public:rekap", kwargs={"slug": edition.slug}))
    assert rekap.content[:2] == b"PK"
    stage = edition.stages.order_by("order").first()
    paper = client.get(reverse("public:berita_acara",
                               kwargs={"slug": edition.slug, "stage": stage.key}))
    assert paper.content.startswith(b"%PDF-")


def test_audit_trail_reached_from_the_dashboard_lists_decisions_with_reasons(settings):
    """The organiser follows Jejak audit from the dashboard and reads who decided what, at
    which stage and why, in Indonesian, without engine names."""
    import re

    from django.test import Client

    from sayembara.common.services.audit import record_event
    from sayembara.competitions.services.editions import (
        create_edition,
        freeze_rules,
        reopen_rules,
    )
    from sayembara.template_format import load_template
    from tests.factories import OrganiserFactory

    settings.LANGUAGE_CODE = "id"
    organiser = OrganiserFactory(name="BRIDA Kabupaten Badung")
    user = UserFactory(first_name="Ni Wayan", last_name="Sekretariat")
    grant(user, "organiser", organiser=organiser)
    edition = create_edition(template=load_template("mangupura-2024"), year=2029,
                             organiser=organiser, actor=user)
    freeze_rules(edition=edition, actor=user, cause="test")
    reopen_rules(edition=edition, actor=user, reason="Bobot tahap presentasi salah ketik",
                 affects="bobot tahap")
    stage = edition.stages.get(order=1)
    record_event(actor=user, action="stage.decision_recorded", obj=stage,
                 after={"stage": stage.key}, reason="Nilai seri diputuskan dalam rapat pleno")
    client = Client()
    client.force_login(user)

    dashboard = client.get(reverse("web:edition_dashboard", kwargs={"slug": edition.slug}))
    href = re.search(r'<a href="([^"]+)">Jejak audit</a>', dashboard.content.decode()).group(1)
    page = client.get(href).content.decode()

    items = [re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", item)).strip()
             for item in re.findall(r"<li>(.*?)</li>", page.split('class="decisions"')[1]
                                    .split("</ol>")[0], flags=re.S)]
    assert items[0].endswith(f"· {user.display_name} Penetapan dicatat: {stage.name} "
                             "Alasan: Nilai seri diputuskan dalam rapat pleno")
    assert items[1].endswith(f"· {user.display_name} Aturan dibuka kembali "
                             "Alasan: Bobot tahap presentasi salah ketik")
    assert items[-1].endswith(f"· {user.display_name} Penyelenggaraan dibuat")
    assert "WITA" in items[0]
    assert "stage.decision_recorded" not in page
