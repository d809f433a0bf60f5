"""Alembic environment: always run on the connection `Database.migrate` passes in.

`target_metadata` must know every table, or autogenerate proposes dropping the
ones it does not: every `models.py` and `*_models.py` under `bot/` is imported,
so a feature's new tables are known without editing this file.
"""

import importlib
from pathlib import Path

from alembic import context

from bot.storage.models import Base

PACKAGE = Path(__file__).resolve().parents[2]  # bot/
for path in sorted([*PACKAGE.rglob("models.py"), *PACKAGE.rglob("*_models.py")]):
    module = path.relative_to(PACKAGE.parent).with_suffix("")
    importlib.import_module(".".join(module.parts))

connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=connection.dialect.name == "sqlite",
)
with context.begin_transaction():
    context.run_migrations()
