"""results.json's lines, written from formats filled column by column, are the text
``json.dumps`` writes, whatever the texts hold (quotes, braces, percent signs, line breaks,
non-ASCII letters)."""

from __future__ import annotations

import json
import re
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sayembara import scoring
from sayembara.ranking.output import _Objects, _reasons

TEXT = st.text(alphabet=st.sampled_from('ab %%s{}"\\\n\t\u00e9\u4e2d%(x)s'), max_size=12)


@st.composite
def reasons(draw: Any) -> scoring.Reason | None:
    code = draw(st.sampled_from([None, *sorted(scoring.REASON_TEXTS)]))
    if code is None:
        return None
    sentence = scoring.REASON_TEXTS[code]
    names = set(re.findall(r"%\((\w+)\)s", sentence))
    names |= set(draw(st.lists(st.sampled_from(["extra", "zz"]), max_size=2)))
    return scoring.Reason(code, tuple(sorted((n, draw(TEXT)) for n in names)))


@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(reasons(), max_size=12))
def test_reason_fields_are_what_json_dumps_writes(items):
    expected = [json.dumps({"reason": r.english() if r else None,
                            "reason_code": r.code if r else None,
                            "reason_params": r.mapping if r else {}},
                           ensure_ascii=False)[1:-1] for r in items]
    assert _reasons(items) == expected


VALUE = st.one_of(st.none(), st.booleans(), st.integers(-5, 5), TEXT)


@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(1, 6).flatmap(lambda rows: st.lists(
    st.tuples(TEXT, st.one_of(VALUE.map(lambda v: [v] * rows),
                              st.lists(VALUE, min_size=rows, max_size=rows))),
    min_size=1, max_size=5, unique_by=lambda f: f[0])))
def test_objects_are_what_json_dumps_writes(fields):
    rows = len(fields[0][1])
    line = _Objects(rows)
    for n, (name, values) in enumerate(fields):
        line.field(name, [json.dumps(v, ensure_ascii=False) for v in values], first=n == 0)
    assert line.lines() == [
        json.dumps({name: values[i] for name, values in fields}, ensure_ascii=False)
        for i in range(rows)]
