"""Alembic environment: always run on the connection `Database.migrate` passes in.

`target_metadata` must know every table, or autogenerate proposes dropping the
ones it does not: import each feature's models here.
"""

from alembic import context

import bot.gaps.models  # kb_turns
import bot.notices.models  # notices
import bot.storage.security_models  # noqa: F401  staff accounts, sessions, webhook outbox
from bot.storage.models import Base

connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=connection.dialect.name == "sqlite",
)
with context.begin_transaction():
    context.run_migrations()
