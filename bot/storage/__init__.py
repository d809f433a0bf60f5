"""One relational database through SQLAlchemy 2: SQLite by default, PostgreSQL by URL."""

from bot.storage.db import Database

__all__ = ["Database"]
