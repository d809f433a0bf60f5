"""Tables other features add in their own migrations, reached only where they exist."""

from __future__ import annotations

from typing import Any, cast

from sqlalchemy import CursorResult, MetaData, Result, Table, inspect
from sqlalchemy.orm import Session


def optional_table(session: Session, name: str) -> Table | None:
    """The table as the database has it, or None on a schema without it."""
    connection = session.connection()
    if not inspect(connection).has_table(name):
        return None
    return Table(name, MetaData(), autoload_with=connection)


def changed(result: Result[Any]) -> int:
    """Rows a DELETE or UPDATE statement changed."""
    return int(cast(CursorResult[Any], result).rowcount or 0)
