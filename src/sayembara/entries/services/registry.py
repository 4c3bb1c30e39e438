"""Importing the institution registry (and, optionally, one entry per row) from Excel or CSV.

Columns (first row; Indonesian headings are accepted too): ``name``, ``type``, ``parent``,
``region code`` and ``e-mail`` are required as columns (parent, region code and e-mail may be
empty in a row). With ``title`` and ``category`` columns each row also creates a draft entry
in the chosen edition (``group``, ``innovators`` and ``in use since`` are optional): the shape
of the national innovation index, where one institution reports many innovations.

All or nothing: every problem is reported with the file, line, column and value, and nothing
is written when there is one. An institution already in the registry (same name, any case)
is updated, not duplicated.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import defaultdict
from dataclasses import dataclass, field
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import connection, models, transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from sayembara.common.services.audit import record_event
from sayembara.competitions.models import Edition, Organiser
from sayembara.competitions.services.editions import freeze_rules, template_of
from sayembara.entries.enums import EntryState
from sayembara.entries.models import Entry, Institution
from sayembara.entries.services.eligibility import Applicant, check_placement
from sayembara.entries.services.entries import entry_code_prefix
from sayembara.entries.services.spreadsheet_import import (
    ImportProblem,
    Problems,
    RegistryImportError,
    map_columns,
    parse_date,
    read_rows,
)
from sayembara.entries.validators import is_institution_kind, is_region_code

#: Canonical column -> accepted headings (compared lower-case, ``_``/``-`` read as spaces).
INSTITUTION_COLUMNS: dict[str, tuple[str, ...]] = {
    "name": ("name", "nama", "nama instansi", "institution", "instansi"),
    "type": ("type", "jenis", "tipe", "kind", "jenis instansi"),
    "parent": ("parent", "induk", "instansi induk", "parent institution"),
    "region_code": ("region code", "kode wilayah", "kode kemendagri", "kode wilayah kemendagri",
                    "kemendagri region code", "region"),
    "email": ("e mail", "email", "surel", "contact e mail", "contact email", "alamat email"),
}
ENTRY_COLUMNS: dict[str, tuple[str, ...]] = {
    "title": ("title", "judul", "judul inovasi", "innovation", "nama inovasi"),
    "category": ("category", "kategori"),
    "group": ("group", "kelompok"),
    "innovators": ("innovators", "inovator", "tim inovator"),
    "started_on": ("in use since", "innovation started", "started on", "tanggal mulai",
                   "mulai diterapkan", "waktu penerapan"),
}
COLUMN_LABELS = {
    "name": "name", "type": "type", "parent": "parent", "region_code": "region code",
    "email": "e-mail", "title": "title", "category": "category", "group": "group",
    "innovators": "innovators", "started_on": "in use since",
}


@dataclass
class ImportSummary:
    rows: int = 0
    institutions_created: int = 0
    institutions_updated: int = 0
    institutions_unchanged: int = 0
    entries_created: int = 0
    committed: bool = False
    sha256: str = ""
    created_names: list[str] = field(default_factory=list)

    def sentence(self) -> str:
        """What the import did (or would do, before it is committed), in the reader's language."""
        parts = {
            "rows": ngettext("%(count)s row", "%(count)s rows", self.rows)
            % {"count": self.rows},
            "created": ngettext("%(count)s institution added", "%(count)s institutions added",
                                self.institutions_created)
            % {"count": self.institutions_created},
            "updated": ngettext("%(count)s updated", "%(count)s updated",
                                self.institutions_updated)
            % {"count": self.institutions_updated},
            "unchanged": ngettext("%(count)s unchanged", "%(count)s unchanged",
                                  self.institutions_unchanged)
            % {"count": self.institutions_unchanged},
            "entries": ngettext("%(count)s entry created", "%(count)s entries created",
                                self.entries_created)
            % {"count": self.entries_created},
        }
        if self.committed:
            return _("Imported %(rows)s: %(created)s, %(updated)s, %(unchanged)s; "
                     "%(entries)s.") % parts
        return _("Checked %(rows)s (a dry run, nothing written): %(created)s, %(updated)s, "
                 "%(unchanged)s; %(entries)s.") % parts


# --------------------------------------------------------------------------------------------
# Checking the rows
# --------------------------------------------------------------------------------------------


@dataclass
class _Row:
    line: int
    name: str
    kind: str
    parent: str
    region_code: str
    email: str
    title: str = ""
    category_id: int | None = None
    group_id: int | None = None
    category_key: str = ""
    group_key: str | None = None
    innovators: str = ""
    started_on: dt.date | None = None


def parse_registry(
    stream: IO[bytes], *, filename: str, organiser: Organiser, edition: Edition | None = None
) -> tuple[list[_Row], bool]:
    """Read and check every row; returns the rows and whether they carry entries.

    Raises RegistryImportError with every problem found (file, line, column, value).
    """
    problems = Problems(filename, COLUMN_LABELS)
    rows_iter = read_rows(stream, filename)
    header: list[Any] | None = None
    header_line = 0
    for number, cells in rows_iter:
        if any(str(cell).strip() for cell in cells):
            header, header_line = cells, number
            break
    if header is None:
        raise RegistryImportError([ImportProblem(
            filename, None, None, None,
            _("The file is empty. The first row must name the columns: name, type, parent, "
              "region code, e-mail."),
        )])
    columns = map_columns(header, INSTITUTION_COLUMNS)
    missing = [column for column in INSTITUTION_COLUMNS if column not in columns]
    for column in missing:
        problems.add(header_line, None, None, _(
            "The column “%(column)s” is missing. The first row must name the columns: name, "
            "type, parent, region code, e-mail (empty cells are allowed for parent, region "
            "code and e-mail)."
        ) % {"column": COLUMN_LABELS[column]})
    entry_columns = map_columns(header, ENTRY_COLUMNS)
    with_entries = "title" in entry_columns
    if with_entries and "category" not in entry_columns:
        problems.add(header_line, None, None, _(
            "The file has a “title” column but no “category” column; each entry needs its "
            "category."))
    if with_entries and edition is None:
        problems.add(header_line, None, None, _(
            "The file has entries (a “title” column); choose the edition to import them into."))
    problems.raise_if_any()
    columns.update(entry_columns)

    categories: dict[str, tuple[int, str]] = {}
    groups: dict[str, tuple[int, str]] = {}
    if with_entries and edition is not None:
        for pk, key, name in edition.categories.values_list("pk", "key", "name"):
            categories[key.casefold()] = categories[name.casefold()] = (pk, key)
        for pk, key, name in edition.groups.values_list("pk", "key", "name"):
            groups[key.casefold()] = groups[name.casefold()] = (pk, key)
    template = template_of(edition) if edition is not None else None
    # The edition's institution types, written as the template's id or its name.
    types: dict[str, str] = {}
    for declared in template.institution_types if template is not None else ():
        types[declared.id.casefold()] = types[declared.name.casefold()] = declared.id

    def value(cells: list[Any], column: str) -> Any:
        index = columns.get(column)
        if index is None or index >= len(cells):
            return ""
        return cells[index]

    rows: list[_Row] = []
    seen_institution: dict[str, _Row] = {}
    seen_entry: dict[tuple[str, str], int] = {}
    for number, cells in rows_iter:
        if not any(str(cell).strip() for cell in cells):
            continue
        name = str(value(cells, "name")).strip()
        raw_kind = str(value(cells, "type")).strip()
        kind = raw_kind.lower().replace(" ", "_").replace("-", "_")
        parent = str(value(cells, "parent")).strip()
        region_code = str(value(cells, "region_code")).strip()
        email = str(value(cells, "email")).strip()
        if not name:
            problems.add(number, "name", "", _("The name is empty; every row needs the "
                                               "institution's name."))
            continue
        key = name.casefold()
        earlier = seen_institution.get(key)
        # An institution's details are checked on its first row; later rows must repeat them.
        if earlier is None and not kind:
            problems.add(number, "type", "", _("The type is empty. Write the kind of "
                                               "institution, e.g. perangkat_daerah or desa."))
        elif earlier is None and template is not None:
            if kind in types or raw_kind.casefold() in types:
                kind = types.get(kind) or types[raw_kind.casefold()]
            else:
                problems.add(number, "type", raw_kind, _(
                    "“%(value)s” is not an institution type of %(edition)s; write one of: "
                    "%(choices)s.") % {"value": raw_kind, "edition": edition, "choices": ", ".join(
                        declared.name for declared in template.institution_types)})
        elif earlier is None and not is_institution_kind(kind):
            problems.add(number, "type", raw_kind, _(
                "“%(value)s” is not a type; use lower-case words joined by underscores, e.g. "
                "perangkat_daerah, kelurahan, desa, bumd.") % {"value": raw_kind})
        elif earlier is not None and template is not None:
            kind = types.get(kind) or types.get(raw_kind.casefold()) or kind
        if earlier is None and region_code and not is_region_code(region_code):
            problems.add(number, "region_code", region_code, _(
                "“%(value)s” is not a Kemendagri region code; write it as 51, 51.03, 51.03.01 "
                "or 51.03.01.2001 (format the column as text so Excel keeps the dots and "
                "leading zeros).") % {"value": region_code})
        if earlier is None and email:
            try:
                validate_email(email)
            except ValidationError:
                problems.add(number, "email", email, _(
                    "“%(value)s” is not an e-mail address.") % {"value": email})
        if parent and parent.casefold() == name.casefold():
            problems.add(number, "parent", parent, _("An institution cannot be its own "
                                                     "parent."))
        row = _Row(line=number, name=name, kind=kind, parent=parent, region_code=region_code,
                   email=email.lower())
        if with_entries:
            row.title = str(value(cells, "title")).strip()
            category = str(value(cells, "category")).strip()
            group = str(value(cells, "group")).strip()
            row.innovators = str(value(cells, "innovators")).strip()
            started = value(cells, "started_on")
            if not row.title:
                problems.add(number, "title", "", _("The title is empty; every entry needs "
                                                    "one."))
            found = categories.get(category.casefold())
            if found is None:
                problems.add(number, "category", category, _(
                    "“%(value)s” is not a category of %(edition)s; use one of: %(choices)s."
                ) % {"value": category, "edition": edition,
                     "choices": ", ".join(edition.categories.values_list("name", flat=True))})
            else:
                row.category_id, row.category_key = found
            if group:
                found = groups.get(group.casefold())
                if found is None:
                    problems.add(number, "group", group, _(
                        "“%(value)s” is not a group of %(edition)s; use one of: %(choices)s."
                    ) % {"value": group, "edition": edition,
                         "choices": ", ".join(edition.groups.values_list("name", flat=True))})
                else:
                    row.group_id, row.group_key = found
            if started not in ("", None):
                try:
                    row.started_on = parse_date(started)
                except ValueError:
                    problems.add(number, "started_on", started, _(
                        "“%(value)s” is not a date; write it as 2023-07-31 or 31/07/2023.")
                        % {"value": started})
            entry_key = (key, row.title.casefold())
            if row.title and entry_key in seen_entry:
                problems.add(number, "title", row.title, _(
                    "This row repeats line %(line)s (same institution and title). Remove one "
                    "of them.") % {"line": seen_entry[entry_key]})
            else:
                seen_entry[entry_key] = number
            if earlier is not None:
                for column, mine, theirs in (
                    ("type", row.kind, earlier.kind), ("parent", row.parent, earlier.parent),
                    ("region_code", row.region_code, earlier.region_code),
                    ("email", row.email, earlier.email),
                ):
                    if mine.casefold() != theirs.casefold():
                        problems.add(number, column, mine, _(
                            "%(name)s has “%(theirs)s” here on line %(line)s; one institution "
                            "must have the same details on every row.")
                            % {"name": name, "theirs": theirs or _("(empty)"),
                               "line": earlier.line})
        elif earlier is not None:
            problems.add(number, "name", name, _(
                "This row repeats the institution of line %(line)s. Remove one of them.")
                % {"line": earlier.line})
        if earlier is None:
            seen_institution[key] = row
        rows.append(row)

    if not rows and not problems.items:
        problems.add(header_line, None, None, _("The file has a heading row but no "
                                                "institutions under it."))
    registry = {
        name.casefold(): pk
        for pk, name in Institution.objects.filter(organiser=organiser).values_list("pk", "name")
    }
    for row in seen_institution.values():
        if row.parent and row.parent.casefold() not in seen_institution \
                and row.parent.casefold() not in registry:
            problems.add(row.line, "parent", row.parent, _(
                "No institution named “%(value)s” is in this file or in the registry. Add it "
                "as a row, or correct the name.") % {"value": row.parent})
    _check_cycles(seen_institution, problems)
    if with_entries and edition is not None and template is not None:
        _check_placements(rows, seen_institution, registry, edition, template, problems)
    problems.raise_if_any()
    return rows, with_entries


def _check_placements(rows: list[_Row], institutions: dict[str, _Row],
                      registry: dict[str, int], edition: Edition, template: Any,
                      problems: Problems) -> None:
    """May each row's institution enter its category and group (institution types, groups
    reserved for past winners)? The same rules as at submission, told row by row."""
    winners: dict[str, set[int]] = {}
    declared = {kind.id for kind in template.institution_types}
    for row in rows:
        first = institutions.get(row.name.casefold(), row)
        if row.category_id is None or first.kind not in declared:
            continue  # already reported
        for refusal in check_placement(
            template=template, edition=edition, category_key=row.category_key,
            group_key=row.group_key, winners=winners,
            applicant=Applicant(name=row.name, kind=first.kind,
                                pk=registry.get(row.name.casefold())),
        ):
            column = refusal.field if refusal.field in ("category", "group") else None
            value = {"category": row.category_key, "group": row.group_key}.get(column or "")
            problems.add(row.line, column, value, refusal.message)


def _check_cycles(rows: dict[str, _Row], problems: Problems) -> None:
    for start in rows.values():
        seen = {start.name.casefold()}
        current = start
        while current.parent:
            parent_key = current.parent.casefold()
            if parent_key in seen:
                problems.add(start.line, "parent", start.parent, _(
                    "The parents go round in a circle back to %(name)s. Correct the parent "
                    "column.") % {"name": start.name})
                break
            seen.add(parent_key)
            nxt = rows.get(parent_key)
            if nxt is None:
                break
            current = nxt


# --------------------------------------------------------------------------------------------
# Writing
# --------------------------------------------------------------------------------------------


def _insert(model: Any, rows: list[dict[str, Any]], *, batch_size: int) -> None:
    """INSERT many new rows, given as ``{attname: value}``, with one prepared statement.

    ``bulk_create`` compiles one statement per 50 rows on SQLite (its 999-parameter limit)
    and needs about 14 s for 36,700 entries; this needs a fraction of that. Columns a row
    does not give take the model's defaults (``auto_now`` times included), prepared once
    through the field's ``pre_save`` and ``get_db_prep_save`` as ``bulk_create`` would;
    given values of fields other than plain text, numbers and keys are prepared the same
    way. Primary keys are not read back: callers look the rows up by a unique key.
    """
    if not rows:
        return
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    quote = connection.ops.quote_name
    sql = "INSERT INTO {table} ({columns}) VALUES ({values})".format(
        table=quote(model._meta.db_table),
        columns=", ".join(quote(f.column) for f in fields),
        values=", ".join(["%s"] * len(fields)),
    )
    prototype = model()
    plain = (models.CharField, models.TextField, models.IntegerField, models.BooleanField,
             models.ForeignKey)
    given = set(rows[0])
    columns = []
    for f in fields:
        if f.attname not in given:
            constant = f.get_db_prep_save(f.pre_save(prototype, True), connection)
            columns.append((None, constant, None))
        elif isinstance(f, plain):
            columns.append((f.attname, None, None))
        else:
            columns.append((f.attname, None, f))

    def prepared(row: dict[str, Any]) -> tuple[Any, ...]:
        values = []
        for name, constant, prep in columns:
            if name is None:
                values.append(constant)
            elif prep is None:
                values.append(row[name])
            else:
                values.append(prep.get_db_prep_save(row[name], connection))
        return tuple(values)

    with connection.cursor() as cursor:
        for start in range(0, len(rows), batch_size):
            cursor.executemany(sql, [prepared(row) for row in rows[start:start + batch_size]])


def _update_institutions(rows: list[tuple[Any, ...]]) -> None:
    """(kind, region_code, email, parent_id, pk) for each institution that changed."""
    if not rows:
        return
    quote = connection.ops.quote_name
    sql = "UPDATE {table} SET {kind} = %s, {region} = %s, {email} = %s, {parent} = %s " \
          "WHERE {pk} = %s".format(
              table=quote(Institution._meta.db_table), kind=quote("kind"),
              region=quote("region_code"), email=quote("email"), parent=quote("parent_id"),
              pk=quote("id"))
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)


def import_registry(
    *,
    stream: IO[bytes],
    filename: str,
    organiser: Organiser,
    actor: Any,
    edition: Edition | None = None,
    commit: bool = True,
    batch_size: int = 5000,
) -> ImportSummary:
    """Check the whole file, then (with ``commit``) write it in one transaction.

    Raises RegistryImportError listing every problem; nothing is written then. Side effects
    when committed: institutions created or updated, draft entries created, the edition's
    rules frozen (entries exist), one audit event with the counts and the file's SHA-256.
    """
    digest = hashlib.sha256()
    for chunk in iter(lambda: stream.read(1024 * 1024), b""):
        digest.update(chunk)
    stream.seek(0)
    rows, with_entries = parse_registry(stream, filename=filename, organiser=organiser,
                                        edition=edition)
    summary = ImportSummary(rows=len(rows), sha256=digest.hexdigest())
    institutions: dict[str, _Row] = {}
    for row in rows:
        institutions.setdefault(row.name.casefold(), row)

    with transaction.atomic():
        pks = _registry_keys(organiser)
        existing = {
            name.casefold(): (pk, kind, region_code, email, parent_id)
            for pk, name, kind, region_code, email, parent_id in Institution.objects.filter(
                organiser=organiser
            ).values_list("pk", "name", "kind", "region_code", "email", "parent_id")
        }
        # New institutions are inserted parents first, one level of the tree at a time.
        levels: dict[int, list[_Row]] = defaultdict(list)
        depth: dict[str, int] = {}

        def depth_of(key: str) -> int:
            if key not in depth:
                row = institutions[key]
                parent = row.parent.casefold()
                depth[key] = 0 if not parent or parent not in institutions or \
                    parent in existing else depth_of(parent) + 1
            return depth[key]

        for key, row in institutions.items():
            if key not in existing:
                levels[depth_of(key)].append(row)
        for level in sorted(levels):
            _insert(Institution, [
                {"organiser_id": organiser.pk, "name": row.name, "kind": row.kind,
                 "region_code": row.region_code, "email": row.email,
                 "parent_id": pks[row.parent.casefold()] if row.parent else None}
                for row in levels[level]
            ], batch_size=batch_size)
            pks = _registry_keys(organiser)
        created = [row for level in sorted(levels) for row in levels[level]]
        summary.institutions_created = len(created)
        summary.created_names = [row.name for row in created[:50]]
        changes = []
        for key, row in institutions.items():
            if key not in existing:
                continue
            pk, kind, region_code, email, parent_id = existing[key]
            wanted = (row.kind, row.region_code, row.email,
                      pks[row.parent.casefold()] if row.parent else None)
            if wanted != (kind, region_code, email, parent_id):
                changes.append((*wanted, pk))
        _update_institutions(changes)
        summary.institutions_updated = len(changes)
        summary.institutions_unchanged = len(institutions) - len(created) - len(changes)

        if with_entries and edition is not None:
            summary.entries_created = _create_entries(
                rows=rows, institution_pks=pks, edition=edition, actor=actor,
                batch_size=batch_size, filename=filename,
            )
        record_event(
            actor=actor, action="registry.imported", obj=organiser,
            edition_id=edition.pk if edition is not None and with_entries else None,
            after={"file": filename, "sha256": summary.sha256, "rows": summary.rows,
                   "institutions_created": summary.institutions_created,
                   "institutions_updated": summary.institutions_updated,
                   "entries_created": summary.entries_created},
        )
        if not commit:
            transaction.set_rollback(True)
    summary.committed = commit
    return summary


def _registry_keys(organiser: Organiser) -> dict[str, int]:
    return {
        name.casefold(): pk
        for pk, name in Institution.objects.filter(organiser=organiser).values_list("pk", "name")
    }


def _create_entries(*, rows: list[_Row], institution_pks: dict[str, int], edition: Edition,
                    actor: Any, batch_size: int, filename: str) -> int:
    taken = set(Entry.objects.filter(edition=edition).values_list("code", flat=True))
    existing_titles = {
        (institution_id, title.casefold()): code
        for institution_id, title, code in Entry.objects.filter(edition=edition)
        .values_list("institution_id", "title", "code")
    }
    category_keys = dict(edition.categories.values_list("pk", "key"))
    names = dict(Institution.objects.filter(
        pk__in={institution_id for institution_id, _title in existing_titles}
    ).values_list("pk", "name")) if existing_titles else {}
    counters: dict[str, int] = defaultdict(int)
    problems = Problems(filename, COLUMN_LABELS)
    new: list[dict[str, Any]] = []
    user_id = actor.pk if getattr(actor, "pk", None) else None
    for row in rows:
        institution_id = institution_pks[row.name.casefold()]
        earlier = existing_titles.get((institution_id, row.title.casefold()))
        if earlier is not None:
            problems.add(row.line, "title", row.title, _(
                "%(institution)s already has the entry %(code)s with this title in "
                "%(edition)s.") % {"institution": names.get(institution_id, row.name),
                                   "code": earlier, "edition": edition})
            continue
        prefix = entry_code_prefix(category_keys[row.category_id])
        counters[prefix] += 1
        code = f"{prefix}-{counters[prefix]:03d}"
        while code in taken:
            counters[prefix] += 1
            code = f"{prefix}-{counters[prefix]:03d}"
        taken.add(code)
        new.append({
            "edition_id": edition.pk, "institution_id": institution_id,
            "category_id": row.category_id, "group_id": row.group_id, "code": code,
            "title": row.title, "innovators": row.innovators,
            "innovation_started_on": row.started_on, "state": EntryState.DRAFT.value,
            "created_by_id": user_id,
        })
    if problems.items:
        raise RegistryImportError(problems.items, problems.total)
    _insert(Entry, new, batch_size=batch_size)
    if new:
        freeze_rules(edition=edition, actor=actor, cause="entries imported")
    return len(new)
