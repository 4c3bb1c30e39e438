"""The engine is pure: importing and running it loads no Django module."""

from __future__ import annotations

import subprocess
import sys
import textwrap


def test_engine_imports_and_runs_without_loading_django():
    code = textwrap.dedent("""
        import sys
        from decimal import Decimal
        import sayembara.scoring as s
        comp = s.Competition("c", ("x",), (s.Rubric("r", (s.Criterion("a", Decimal(100)),)),),
                             (s.Stage("s1", s.StageKind.WEIGHTED, Decimal(100),
                                      rubrics=(("x", "r"),)),))
        entries = (s.Entry("A", "x"),)
        judges = (s.Judge("j"),)
        table = s.ScoreTable.from_rows([s.ScoreRow("s1", "j", "A", "a", Decimal(80))],
                                       competition=comp, entries=entries, judges=judges)
        result = s.compute(comp, s.Inputs(entries, judges, table), s.Options(bootstrap=10))
        assert result.final[0].total == 80
        loaded = sorted(m for m in sys.modules if m == "django" or m.startswith("django."))
        print(",".join(loaded))
    """)
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True, env={"PATH": "/usr/bin:/bin"})
    assert done.stdout.strip() == ""
