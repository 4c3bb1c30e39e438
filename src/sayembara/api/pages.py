"""Page-number pagination with bounded numbers: one count and one slice per list."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

#: No list goes further than this page (the offset stays a small number for every database).
MAX_PAGE = 100_000


def page_of(queryset: QuerySet, page: int, size: int) -> tuple[dict[str, Any], list[Any]]:
    """(``{count, page, pages}``, the items of ``page``): two queries."""
    count = queryset.count()
    pages = max(1, -(-count // size))
    start = (page - 1) * size
    items = list(queryset[start:start + size]) if start < count else []
    return {"count": count, "page": page, "pages": pages}, items
