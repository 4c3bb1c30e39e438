"""Browser steps shared by the seed journeys (one journey per seed competition).

A journey plays every role of a competition in Chromium, in Indonesian, the product's
language by default: the organiser, the operator of a participant, the judges and the
jury chair, and a citizen. Each step here is what one person does on the pages and what
they see there; the data a step is not about (other entries, other judges' sheets) is built
through the services by ``make_*`` and ``score_*``.

Steps find controls by their ids and names and assert the Indonesian texts a person reads.
Every role's main page is saved at desktop (1366x768) and phone (390x844) size by
``Journey.shoot`` into the test's temporary folder, or into ``$JOURNEY_SCREENSHOTS`` when set;
when the journey ends (or stops on a failure) the last view of every page is saved beside
them with its text (``last-N.png``, ``last-N.txt``). The ``journey`` fixture is offered to
every test of this folder by its conftest.
"""

from __future__ import annotations

import io
import os
import re
import subprocess
import zipfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.conf import settings as django_settings
from django.urls import reverse

from tests.conftest import signed_in_page

DESKTOP = {"width": 1366, "height": 768}
PHONE = {"width": 390, "height": 844}


# -- the journey: browser, server, screenshots -------------------------------------------------

@dataclass
class Journey:
    """One seed's journey: the browser, the live server and where screenshots go."""

    browser: Any
    live_server: Any
    shots: Path
    contexts: list = field(default_factory=list)

    def url(self, name: str, *args: Any) -> str:
        return self.live_server.url + reverse(name, args=args)

    def page_as(self, user, *, phone: bool = False):
        """A page signed in as ``user``, in Indonesian (the language cookie a person's
        choice would set; Indonesian is also what a visitor without it gets)."""
        size = PHONE if phone else DESKTOP
        context, page = signed_in_page(self.browser, self.live_server, user, **size)
        _indonesian(context, self.live_server)
        self.contexts.append(context)
        return page

    def page_for_citizen(self, *, phone: bool = True):
        from tests.conftest import new_page

        context, page = new_page(self.browser, **(PHONE if phone else DESKTOP))
        _indonesian(context, self.live_server)
        self.contexts.append(context)
        return page

    def shoot(self, page, name: str) -> None:
        """The page as it is now, at desktop and at phone size (whole page), then back to
        the size it had."""
        size = page.viewport_size
        for label, viewport in (("desktop", DESKTOP), ("phone", PHONE)):
            page.set_viewport_size(viewport)
            page.screenshot(path=str(self.shots / f"{name}-{label}.png"), full_page=True)
        page.set_viewport_size(size)

    def close(self) -> None:
        """Close every page, leaving the last view of each in the screenshots folder (what
        each person saw when the journey ended, or stopped)."""
        for number, context in enumerate(self.contexts):
            for page in context.pages:
                try:
                    page.screenshot(path=str(self.shots / f"last-{number}.png"))
                    (self.shots / f"last-{number}.txt").write_text(
                        f"{page.url}\n\n{page.inner_text('body')}", encoding="utf-8")
                except Exception:  # noqa: BLE001  (a page that already went away)
                    pass
            context.close()
        self.contexts.clear()


def _indonesian(context, live_server) -> None:
    context.add_cookies([{"name": django_settings.LANGUAGE_COOKIE_NAME, "value": "id",
                          "url": live_server.url}])
    context.add_init_script(SAVE_WATCH)


#: Installed in every journey page: notes when a person last changed a field that saves
#: itself (a score sheet's fields carry hx-post; the entry form saves as a whole) and when
#: the last autosave answered (its answer goes into the save indicator).
SAVE_WATCH = """(() => {
  window.__lastEdit = 0;
  window.__lastSave = 0;
  const autosaves = (el) => el instanceof Element
    && Boolean(el.closest("[hx-post]") || el.closest("#entry-form"));
  for (const type of ["input", "change"]) {
    document.addEventListener(type, (event) => {
      if (autosaves(event.target)) window.__lastEdit = performance.now();
    }, true);
  }
  document.addEventListener("htmx:afterRequest", (event) => {
    const target = event.detail && event.detail.target;
    if (target && (target.id === "save-status" || target.id === "autosave-status")) {
      window.__lastSave = performance.now();
    }
  }, true);
})();"""

#: Saved: every change has been followed by an autosave's answer, no htmx request is in
#: flight, and the indicator says saved (a sheet: "Tersimpan pukul ..."; the entry form:
#: "Tersimpan otomatis ..." or nothing left to save).
SAVED = """() => {
  if (window.__lastSave < window.__lastEdit || document.querySelector(".htmx-request")) {
    return false;
  }
  if (!window.__lastEdit) return true;
  const indicator = document.querySelector("#save-status, #autosave-status");
  return !indicator
    || Boolean(indicator.querySelector("[data-saved], [data-unchanged], .badge.ok"));
}"""


def wait_until_saved(page) -> None:
    """Wait as a person waits for "Tersimpan" before pressing the next button: the fields
    save themselves after a pause in typing, so until the save that follows the last change
    has answered, nothing else is on its way, and the indicator says saved."""
    page.wait_for_function(SAVED)


@pytest.fixture
def journey(live_server, browser, settings, tmp_path, request):
    """The journey of the calling test, in Indonesian, with the certificates' QR codes
    pointing at the live server."""
    settings.ALLOWED_HOSTS = ["*"]
    settings.LANGUAGE_CODE = "id"
    settings.SAYEMBARA_PUBLIC_URL = live_server.url
    shots = Path(os.environ.get("JOURNEY_SCREENSHOTS") or tmp_path / "shots")
    shots = shots / request.node.name
    shots.mkdir(parents=True, exist_ok=True)
    journey = Journey(browser=browser, live_server=live_server, shots=shots)
    yield journey
    journey.close()


def main_text(page) -> str:
    return page.inner_text("main")


def messages_text(page) -> str:
    page.wait_for_selector(".messages")
    return page.inner_text(".messages")


# -- data a step is not about, through the services ----------------------------------------------

def make_organiser(name: str, *, region: str, time_zone: str = "WITA",
                   secretariat: str = "Sekretariat"):
    """An organiser and one secretariat account."""
    from sayembara.competitions.services.editions import get_or_create_organiser
    from tests.factories import Role, UserFactory, grant

    organiser = get_or_create_organiser(name=name, actor="test", timezone_code=time_zone,
                                        region_name=region)
    user = UserFactory(full_name=secretariat)
    grant(user, Role.ORGANISER, organiser=organiser)
    return organiser, user


def make_institutions(organiser, kind: str, names: Iterable[str]) -> list:
    from sayembara.entries.models import Institution

    return [Institution.objects.create(organiser=organiser, name=name, kind=kind,
                                       region_name=organiser.region_name or "")
            for name in names]


def make_operator(institution, full_name: str):
    from tests.factories import Role, UserFactory, grant

    user = UserFactory(full_name=full_name)
    grant(user, Role.OPERATOR, institution=institution)
    return user


def document_pdf(*lines: str) -> bytes:
    """A small real PDF with a few lines of text (what a participant would upload)."""
    from sayembara.demo.krenova import demo_pdf

    return demo_pdf("berkas.pdf", list(lines)).read()


def complete_draft(entry, *, actor) -> None:
    """Fill what the template's entry form asks for: every proposal section, the start of
    the innovation (three years ago) and every statement without a document."""
    import datetime as dt

    from sayembara.competitions.services.editions import template_of
    from sayembara.entries.services.drafts import draft_data, save_draft

    form = template_of(entry.edition).entry_form
    data = draft_data(entry)
    data["proposal"] = {section.id: f"{section.title} dari {entry.institution.name}."
                        for section in form.sections}
    data["innovation_started_on"] = dt.date(entry.edition.year - 3, 1, 15).isoformat()
    data["affirmations"] = [s.id for s in form.statements if not s.document]
    save_draft(entry=entry, data=data, base_version=entry.version, actor=actor)


def make_submitted_entry(edition, institution, *, title: str, category_key: str,
                         actor, fill=complete_draft):
    """An entry of ``institution`` with its form filled by ``fill(entry, actor=)`` and a PDF in
    every required upload slot, submitted."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from sayembara.competitions.services.editions import template_of
    from sayembara.entries.selectors.requirements import upload_slots
    from sayembara.entries.services.drafts import add_document
    from sayembara.entries.services.entries import create_entry
    from sayembara.entries.services.process import submit_entry

    entry = create_entry(edition=edition, institution=institution,
                         category=edition.categories.get(key=category_key), title=title,
                         actor=actor)
    if fill is not None:
        fill(entry, actor=actor)
        entry.refresh_from_db()
    for slot in upload_slots(edition, template_of(edition)).values():
        if not slot.required:
            continue
        upload = SimpleUploadedFile(f"{slot.id}.pdf", document_pdf(slot.title, institution.name),
                                    content_type="application/pdf")
        add_document(entry=entry, kind=slot.kind, slot=slot.id, upload=upload, actor=actor)
    entry.refresh_from_db()
    return submit_entry(entry=entry, actor=actor)


def seat_judge(edition, *, name: str, role: str = "anggota", unsur: str = "akademisi",
               affiliation: str = "", panels: Iterable[str] = (), account: bool = True,
               pledge: bool = True, actor="test"):
    """A judge of the edition (with an account to sign in), seated on the named panels
    (template panel names) in their role; the pledge accepted unless ``pledge`` is False."""
    from sayembara.judging.models import Panel
    from sayembara.judging.services.judges import accept_pledge, add_judge
    from sayembara.judging.services.panels import add_panel_member, materialise_panels
    from tests.factories import UserFactory

    materialise_panels(edition=edition, actor=actor)
    judge = add_judge(edition=edition, name=name, unsur=unsur, role=role,
                      affiliation=affiliation, user=UserFactory(full_name=name) if account
                      else None, actor=actor)
    for panel in Panel.objects.filter(stage__edition=edition, name__in=list(panels)):
        add_panel_member(panel=panel, judge=judge, actor=actor, role=role)
    if pledge:
        accept_pledge(judge=judge, actor=actor)
    return judge


def score_through_services(stage, scores: Mapping[tuple[Any, Any], Any], *, actor="test"):
    """Submit the sheets ``{(judge, entry): fraction or {criterion: value}}``; a fraction
    (0..1) gives every criterion that share of its range."""
    from sayembara.judging.services.sheets import save_sheet, submit_sheet

    for (judge, entry), given in scores.items():
        judge.refresh_from_db()  # e.g. the pledge accepted in the browser meanwhile
        values = given if isinstance(given, Mapping) else criterion_values(stage, entry, given)
        save_sheet(stage=stage, judge=judge, entry=entry, values=values, actor=actor)
        submit_sheet(stage=stage, judge=judge, entry=entry, actor=actor)


def criterion_values(stage, entry, share: float) -> dict[str, Any]:
    """Every criterion of the entry's rubric at ``share`` of its range (whole numbers); a
    checklist with every item ticked."""
    from sayembara.judging.services.sheets import _specs_for

    values: dict[str, Any] = {}
    for key, spec in _specs_for(stage, entry).items():
        if spec.kind == "checklist":
            values[key] = [item.key for item in spec.items]
            continue
        low, high = Decimal(spec.criterion.min_score), Decimal(spec.criterion.max_score)
        values[key] = (low + (high - low) * Decimal(str(share))).quantize(Decimal(1))
    return values


def id_number(value: Decimal | float | str, places: int = 3) -> str:
    """A score as a person reads it in Indonesian: 71,073 (comma for decimals, rounded half
    up, as the product rounds)."""
    from decimal import ROUND_HALF_UP

    quantum = Decimal(1).scaleb(-places)
    text = f"{Decimal(str(value)).quantize(quantum, rounding=ROUND_HALF_UP)}"
    whole, _dot, fraction = text.partition(".")
    whole = f"{int(whole):,}".replace(",", ".")
    return f"{whole},{fraction}" if fraction else whole


# -- the organiser ---------------------------------------------------------------------------

def create_edition_from_template(page, journey: Journey, *, template: str, competition: str,
                                 year: int):
    """The organiser starts an edition from a built-in template (Penyelenggaraan baru)."""
    from sayembara.competitions.models import Edition

    page.goto(journey.url("web:edition_create"))
    page.fill("#id_competition", competition)
    page.check("input[name=start][value=copy]")
    page.select_option("#id_template", template)
    page.fill("#id_year", str(year))
    page.click("main button[type=submit]")
    page.wait_for_selector(".messages")
    edition = Edition.objects.get(competition__name=competition, year=year)
    text = messages_text(page)
    assert f"Penyelenggaraan {edition.title} telah dibuat" in text, text
    return edition


def open_registration_from(page, journey: Journey, edition, *, opens) -> None:
    """The organiser makes registration start on ``opens`` (Jadwal), then opens it from
    the dashboard, answering its question."""
    page.goto(journey.url("web:rules_section", edition.slug, "jadwal"))
    page.fill("#id_rows-0-start", f"{opens:%Y-%m-%d}")
    page.click("main button[type=submit]")
    page.wait_for_selector(".messages")
    life_cycle_step(page, journey, edition, "Buka pendaftaran")


def life_cycle_step(page, journey: Journey, edition, step: str) -> None:
    """The dashboard's next step of the life cycle, named ``step``, asked about and taken."""
    page.goto(journey.url("web:edition_dashboard", edition.slug))
    button = page.locator("#next-step")
    assert button.inner_text().strip() == step, main_text(page)
    button.click()
    page.wait_for_selector("#confirm-step")
    assert f"{step}: {edition.title}?" in main_text(page)
    page.click("#confirm-step")
    page.wait_for_selector(".messages")


def pass_administrative_check(page, journey: Journey, edition, entries) -> None:
    """The organiser ticks the entries in Seleksi administrasi and records them as passed."""
    page.goto(journey.url("participation:check_list", edition.slug))
    for entry in entries:
        page.check(f"input[name=entries][value='{entry.pk}']")
    page.check("input[name=outcome][value=passed]")
    page.click("main form button[type=submit]:not(.secondary)")
    text = messages_text(page)
    assert f"Dicatat untuk {len(entries)} entri" in text, text


def open_stage_and_assign(page, journey: Journey, edition, stage) -> None:
    """The organiser opens the stage for scoring (Juri) and gives every entry of the stage
    to every judge of its panel (Panel dan penugasan)."""
    page.goto(journey.url("jury:manage", edition.slug))
    page.click(f"form[action='{reverse('jury:stage_open', args=[edition.slug, stage.key])}'] "
               "button")
    assert f"{stage.name} dibuka untuk penilaian." in messages_text(page)
    page.goto(journey.url("jury:stage_panel", edition.slug, stage.key))
    page.select_option("#id_mode", "everyone")
    page.click("form:has(input[name=action][value=auto]) button[type=submit]")
    page.wait_for_selector(".messages")
    stage.refresh_from_db()


def close_stage(page, journey: Journey, edition, stage) -> str:
    """The organiser closes the stage (Penutupan) and reads the proposed list; returns the
    text of the closing page."""
    page.goto(journey.url("jury:stage_close", edition.slug, stage.key))
    page.click("#close-stage")
    text = messages_text(page)
    assert f"{stage.name} telah ditutup" in text, text
    stage.refresh_from_db()
    return main_text(page)


def confirm_stage(page, journey: Journey, edition, stage, *, notes: str = "") -> None:
    """The organiser confirms the proposed list of a closed stage (penetapan)."""
    page.goto(journey.url("jury:stage_close", edition.slug, stage.key))
    if notes:
        page.fill("#notes", notes)
    page.click("#confirm-stage")
    text = messages_text(page)
    assert f"Daftar {stage.name} telah ditetapkan" in text, text
    stage.refresh_from_db()


# -- the operator of a participant ---------------------------------------------------------------

def start_entry(page, journey: Journey, edition, *, title: str, category: str | None = None):
    """The operator starts an entry from their page (Entri baru) and lands on its form."""
    from sayembara.entries.models import Entry

    page.goto(journey.url("participation:home"))
    page.click(f"a[href='{reverse('participation:entry_start', args=[edition.slug])}']")
    if category is not None:  # else the one category open to the institution, chosen already
        page.select_option("#id_category", label=category)
    assert page.locator("#id_category").input_value(), "no category chosen"
    page.fill("#id_title", title)
    page.click("main button[type=submit]")
    page.wait_for_selector("#entry-form")
    page.wait_for_load_state()  # deferred scripts (autosave, counters) are running
    return Entry.objects.get(edition=edition, title=title)


def upload_documents(page, entry, files: Mapping[str, tuple[str, bytes]]) -> None:
    """Choose one file for each upload slot ``kind:slot`` -> (file name, content)."""
    for key, (name, content) in files.items():
        kind, slot = key.split(":", 1)
        page.set_input_files(f"#id_upload__{kind}__{slot}",
                             [{"name": name, "mimeType": "application/pdf", "buffer": content}])
        page.wait_for_timeout(300)  # each file is sent on its own as it is chosen


def fill_proposal(page, sections: Mapping[str, str], *, started_on=None) -> None:
    """Write the proposal's sections (by section id) and the date the innovation started."""
    for key, text in sections.items():
        page.fill(f"#id_section__{key}", text)
    if started_on is not None:
        page.fill("#id_innovation_started_on", f"{started_on:%Y-%m-%d}")


def submit_entry_form(page, entry) -> None:
    """The operator presses Kirim on the form and sees the entry submitted, once the saves
    set off by the last upload or typing are done (as a person waits for "Tersimpan")."""
    wait_until_saved(page)
    page.click("button[name=action][value=submit]")
    page.wait_for_selector(".messages")
    text = messages_text(page)
    assert f"Entri {entry.code} telah diajukan." in text, text
    assert page.locator("h1 .badge").inner_text() == "Diajukan"


# -- judges and the jury chair ------------------------------------------------------------------

def accept_pledge(page, journey: Journey, edition) -> None:
    """A judge's first visit: the integrity pledge, read and accepted."""
    page.goto(journey.url("jury:home"))
    page.click(f"a[href='{reverse('jury:pledge', args=[edition.slug])}']")
    page.check("input[name=accept]")
    page.click("main button[type=submit]")
    assert "pakta integritas telah dicatat" in messages_text(page).lower(), messages_text(page)
    # Read again, the pledge says when it was accepted, in the edition's time zone.
    page.goto(journey.url("jury:pledge", edition.slug))
    accepted = page.inner_text("main .badge.ok")
    assert accepted.startswith("Disetujui pada") and accepted.endswith(edition.timezone), accepted


def open_sheet_from_home(page, journey: Journey, stage, entry) -> None:
    page.goto(journey.url("jury:home"))
    page.click(f"a[href='{reverse('jury:sheet', args=[stage.pk, entry.pk])}']")
    page.wait_for_selector("#sheet-form")
    page.wait_for_load_state()  # deferred scripts (autosave) are running


def download_every_document(page, entry) -> list[str]:
    """Every document link of the entry on the sheet answers with the file: each "Unduh"
    link gives back the uploaded PDF. Returns the downloaded file names."""
    names = []
    links = page.locator("ul.doclist a[href$='?unduh=1']")
    assert links.count() == entry.documents.count() > 0
    for index in range(links.count()):
        with page.expect_download() as caught:
            links.nth(index).click()
        download = caught.value
        content = Path(download.path()).read_bytes()
        assert content.startswith(b"%PDF"), download.suggested_filename
        names.append(download.suggested_filename)
    return names


def open_first_document_inline(page, journey: Journey) -> None:
    """The first "Buka" link shows the document in the browser (a PDF, inline)."""
    href = page.locator("ul.doclist a[target=_blank]").first.get_attribute("href")
    response = page.request.get(journey.live_server.url + href)
    assert response.status == 200
    assert response.headers["content-type"] == "application/pdf"
    assert response.headers.get("content-disposition", "").startswith("inline")
    assert response.body().startswith(b"%PDF")


def fill_scores(page, values: Mapping[str, Any]) -> None:
    """Type each criterion's score as a person does, with a decimal comma."""
    for key, value in values.items():
        page.fill(f"#score-{key}", str(value).replace(".", ","))
    wait_until_saved(page)


def tick_checklist(page, criterion: str, items: Iterable[str]) -> None:
    for item in items:
        page.check(f"input[name='check-{criterion}'][value='{item}']")
    wait_until_saved(page)


def submit_and_lock(page, stage, entry) -> None:
    """Kirim dan kunci, once the last scores are saved: the question names the entry and the
    stage; yes; back at the entry's row in the list, submitted."""
    wait_until_saved(page)
    page.click("#submit-sheet")
    dialog = page.locator("#confirm-submit")
    dialog.wait_for(state="visible")
    asked = dialog.inner_text()
    assert f"{entry.code} · {entry.title}" in asked and stage.name in asked, asked
    dialog.locator("button[data-answer=yes]").click()
    page.wait_for_url(f"**/juri/#entri-{stage.pk}-{entry.pk}")
    text = main_text(page)
    assert (f"Nilai Anda untuk {entry.code} pada {stage.name} telah dikirim dan dikunci."
            in text), text


def chair_opens_consolidation(page, journey: Journey, stage) -> str:
    """The jury chair opens the scores side by side of a stage from their own page."""
    page.goto(journey.url("jury:home"))
    href = reverse("jury:stage_results", args=[stage.edition.slug, stage.key])
    # The first link: above the fold for a closed stage, else in the stage's own section.
    link = page.locator(f"a[href='{href}']").first
    if not link.is_visible():  # a closed stage is folded away under "N tahap ditutup"
        page.click("details.closed-stages summary")
    link.click()
    page.wait_for_selector("h1")
    return main_text(page)


# -- results, certificates and the public side ---------------------------------------------------

def design_certificates(page, journey: Journey, edition, *, place_and_date: str,
                        signatories: Iterable[str]) -> None:
    """Piagam: the place and date and the signatories ("nama | jabatan | NIP", one a line),
    saved."""
    page.goto(journey.url("public:certificates", edition.slug))
    page.fill("#id_place_and_date", place_and_date)
    page.fill("#id_signatories", "\n".join(signatories))
    page.click("form:has(#id_signatories) button[type=submit]")
    assert "Desain telah disimpan." in messages_text(page), messages_text(page)


def generate_certificates(page, journey: Journey, edition) -> bytes:
    """Piagam: generate every certificate, then download the zip; returns its bytes."""
    page.goto(journey.url("public:certificates", edition.slug))
    page.click("form:has(input[name=action][value=generate]) button[type=submit]")
    assert "Pembuatan telah dimulai." in messages_text(page)
    page.reload()
    link = page.locator("a[href*='/piagam/proses/'][href$='/unduh/']")
    with page.expect_download() as caught:
        link.first.click()
    return Path(caught.value.path()).read_bytes()


def certificate_from_zip(archive: bytes, recipient_part: str) -> bytes:
    with zipfile.ZipFile(io.BytesIO(archive)) as opened:
        names = [name for name in opened.namelist() if name.endswith(".pdf")]
        wanted = [name for name in names if recipient_part.lower() in name.lower()]
        assert wanted, names
        return opened.read(wanted[0])


def decode_certificate_qr(pdf: bytes, tmp_path: Path) -> str:
    """The one QR code of a certificate PDF, rasterised at 150 dpi and decoded."""
    import zxingcpp
    from PIL import Image

    (tmp_path / "piagam.pdf").write_bytes(pdf)
    subprocess.run(["pdftoppm", "-png", "-r", "150", "-singlefile", str(tmp_path / "piagam.pdf"),
                    str(tmp_path / "piagam")], check=True)
    image = Image.open(tmp_path / "piagam.png")
    [found] = [code.text for code in zxingcpp.read_barcodes(image)
               if code.format == zxingcpp.BarcodeFormat.QRCode]
    return found


def open_certificate_address(page, journey: Journey, address: str) -> str:
    """The decoded address opened as a phone's camera would; returns the page text after
    checking it is a valid certificate of this site."""
    parts = urlsplit(address)
    assert f"{parts.scheme}://{parts.netloc}" == journey.live_server.url, address
    assert re.fullmatch(r"/publik/piagam/[^/]+/", parts.path), address
    page.goto(address)
    assert page.locator("[data-result=valid]").count() == 1, main_text(page)
    return main_text(page)


# -- forwarding an entry to another organiser's competition --------------------------------------

def take_forwarded_entries(page, journey: Journey, edition, *, note: str) -> None:
    """The receiving organiser lets other organisers put entries forward to the edition
    (Usulan entri dari penyelenggara lain)."""
    page.goto(journey.url("web:edition_dashboard", edition.slug))
    page.click(f"a[href='{reverse('participation:referral_inbox', args=[edition.slug])}']")
    page.check("#id_accepts")
    page.fill("#id_note", note)
    page.click("main form button[type=submit]")
    assert "Pengaturan disimpan." in messages_text(page), messages_text(page)


def put_forward(page, journey: Journey, edition, entry, to_edition, *, note: str) -> None:
    """The sending organiser puts an entry forward to another organiser's edition, from the
    dashboard (Usulkan ke kompetisi tingkat berikutnya)."""
    page.goto(journey.url("web:edition_dashboard", edition.slug))
    page.click(f"a[href='{reverse('participation:edition_put_forward', args=[edition.slug])}']")
    page.select_option("#id_to_edition", str(to_edition.pk))
    page.check(f"#pf-{entry.pk}")
    page.fill("#id_note", note)
    page.click("main form button[type=submit]")
    text = messages_text(page)
    assert f"Diusulkan ke {to_edition.title}: {entry.code}." in text, text


def open_referral(page, journey: Journey, to_edition, entry) -> str:
    """The receiving organiser opens an entry put forward from the inbox; returns the page
    text (the entry with its documents, history and results)."""
    page.goto(journey.url("participation:referral_inbox", to_edition.slug))
    page.click(f"main a:has-text('{entry.title}')")
    page.wait_for_selector("h1")
    return main_text(page)


def decide_referral(page, *, accept: bool, reason: str, category: str | None = None) -> None:
    """Record the decision on the open referral page; accepting needs the category."""
    page.check(f"input[name=decision][value={'accept' if accept else 'decline'}]")
    if category is not None:
        page.select_option("#id_category", label=category)
    page.fill("#id_reason", reason)
    page.click("form[action$='/putuskan/'] button[type=submit]")
    page.wait_for_selector(".messages")
