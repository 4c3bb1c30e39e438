"""The blank minimal template an organiser starts a competition of its own from.

It holds the least a valid template needs (one institution type, one category, one phase,
one judged stage with a one-criterion rubric, one award tier), named after the
organiser's competition; everything else is filled in the rules editor afterwards.
"""

from __future__ import annotations

from typing import Any

from sayembara.template_format.loader import validate_data
from sayembara.template_format.model import Template

BLANK = "kosong"


def blank_data(*, competition: str, organiser: str, year: int, time_zone: str = "WIB",
               slug: str = BLANK) -> dict[str, Any]:
    return {
        "name": slug,
        "competition": competition,
        "title": f"{competition} {year}",
        "organiser": organiser,
        "year": year,
        "time_zone": time_zone,
        "institution_types": [{"id": "perangkat_daerah", "name": "Perangkat Daerah"}],
        "categories": [{"id": "umum", "name": "Umum"}],
        "timeline": {
            "submission_deadline": f"{year}-06-30 23:59",
            "phases": [{"id": "pendaftaran", "name": "Pendaftaran dan pengajuan proposal",
                        "start": f"{year}-04-01", "end": f"{year}-06-30"}],
        },
        "rubrics": [{"id": "penilaian", "name": "Penilaian",
                     "criteria": [{"id": "kualitas", "name": "Kualitas inovasi",
                                   "weight": 100}]}],
        "stages": [{"id": "penilaian", "name": "Penilaian", "kind": "weighted", "weight": 100,
                    "rubric": "penilaian"}],
        "awards": {"tiers": [{"id": "juara", "name": "Juara", "rank_from": 1, "rank_to": 3}]},
    }


def blank_template(**kwargs: Any) -> Template:
    """The blank template, validated (see :func:`blank_data` for the arguments)."""
    return validate_data(blank_data(**kwargs))
