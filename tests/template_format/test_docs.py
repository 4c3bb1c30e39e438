"""docs/templates.md stays true: its example validates and every key is documented."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import pytest

from sayembara.template_format import model, parse_template

DOCS = Path(__file__).resolve().parents[2] / "docs" / "templates.md"
MODEL_CLASSES = [
    cls
    for cls in vars(model).values()
    if isinstance(cls, type) and dataclasses.is_dataclass(cls) and cls.__module__ == model.__name__
]
# Written as mappings (``category: rubric``, ``group: count``), documented with their parent.
PAIR_CLASSES = {model.CategoryRubric, model.Quota}


def annotated_example() -> str:
    text = DOCS.read_text(encoding="utf-8")
    section = text[text.index("## A complete annotated example") :]
    return re.search(r"```yaml\n(.*?)```", section, re.S).group(1)


def test_docs_example_is_a_valid_template_using_the_wider_family_of_rules():
    template = parse_template(annotated_example(), source="docs/templates.md")
    substansi = template.stage("substansi")
    assert substansi.aggregation.method == "trimmed_mean"
    assert substansi.disagreement.third_reviewer is True
    assert (substansi.advance.top_n, substansi.advance.multiplier) == (5, 2)
    assert [q.count for q in template.stage("presentasi").advance.quotas] == [6, 3, 1]
    assert template.stage("lapangan").can_only_lower is True
    assert template.group("khusus").past_winners.max_rank == 3
    assert [band.name for band in template.awards.predicates] == [
        "Sangat Inovatif",
        "Inovatif",
        "Kurang Inovatif",
    ]
    assert template.awards.favourite.exclude_jury_winners is True
    assert template.public.uji_publik.days == 5
    assert template.tie_break[-1] == "lot"


@pytest.mark.parametrize(
    "cls", [c for c in MODEL_CLASSES if c not in PAIR_CLASSES], ids=lambda c: c.__name__
)
def test_docs_reference_documents_every_key(cls):
    text = DOCS.read_text(encoding="utf-8")
    section = text[text.index(f"\n### {cls.__name__}\n") :]
    section = section[: section.find("\n### ", 1) if "\n### " in section[1:] else None]
    documented = re.findall(r"^\| `([a-z_]+)` \|", section, re.M)
    assert documented == [f.name for f in dataclasses.fields(cls)]
