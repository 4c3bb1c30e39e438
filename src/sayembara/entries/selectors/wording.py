"""What the pages call one entry of a competition and its title field.

Most competitions of the family judge innovations, and the pages say "inovasi" for an entry
by default; a template may name its entries otherwise (``entry_form.entry_noun``, e.g. the
performance documents of the Mangupura Award) and label their title field
(``entry_form.title_label``), see docs/templates.md, "EntryForm".
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.text import capfirst
from django.utils.translation import gettext as _

from sayembara.template_format.model import Template


@dataclass(frozen=True)
class EntryWords:
    #: Inside a sentence: "inovasi", "dokumen kinerja".
    noun: str
    #: As a heading or a column's name: "Inovasi", "Dokumen kinerja".
    heading: str
    #: The title field's label: "Judul inovasi", "Judul dokumen kinerja".
    title_label: str


def entry_words(template: Template) -> EntryWords:
    """The words for one entry of ``template``'s competition, translated."""
    form = template.entry_form
    noun = form.entry_noun.strip()
    label = form.title_label.strip()
    if not noun:
        return EntryWords(noun=_("innovation"), heading=_("Innovation"),
                          title_label=label or _("Title of the innovation"))
    return EntryWords(noun=noun, heading=capfirst(noun),
                      title_label=label or _("Title of the %(noun)s") % {"noun": noun})
