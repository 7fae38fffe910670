"""Column types of kinlink's own: what every table stores a moment in.

SQLite has no time zone type: SQLAlchemy stores a ``DateTime(timezone=True)`` there as
text and gives it back **naive**, while PostgreSQL gives it back aware. A naive time
reached the API (``/api/v1/cases``, ``/api/v1/children``: a schema violation) and
comparisons with aware ones fail. :class:`UtcDateTime` is the one place that makes every
moment read from either store an aware UTC datetime, for every reader at once.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import DateTime
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator

__all__ = ["UtcDateTime"]


class UtcDateTime(TypeDecorator[dt.datetime]):
    """``DateTime(timezone=True)`` that stores UTC and reads back aware UTC on every
    backend (SQLite's text keeps no offset: a Kyiv time stored as it is would come back
    two or three hours off). A naive time is taken to be UTC already, as kinlink's clock
    gives."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect: Dialect
                           ) -> dt.datetime | None:
        if value is None or value.tzinfo is None:
            return value
        return value.astimezone(dt.UTC)

    def process_result_value(self, value: Any, dialect: Dialect) -> dt.datetime | None:
        if value is None:
            return None
        assert isinstance(value, dt.datetime)
        if value.tzinfo is None:
            return value.replace(tzinfo=dt.UTC)
        return value.astimezone(dt.UTC)
