"""Ranking without a database: read competition data from CSV files, compute the results with
the scoring engine, write ``results.json`` and a readable table, and export or verify a
recomputable results bundle.

This layer is pure: it uses no Django model or database (only gettext for messages), so the
``sayembara rank`` and ``sayembara bundle`` commands work anywhere, and the web application
reuses :func:`~sayembara.ranking.bridge.competition_from_template` and
:func:`~sayembara.ranking.bundle.write_bundle`.
"""

#: Bootstrap replicates unless asked otherwise.
BOOTSTRAP = 1000
