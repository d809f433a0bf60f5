"""gap grouping columns, KB turn log, incident notices

Revision ID: 0003_gaps
Revises: 0001
"""

from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0003_gaps"
down_revision = "0001"
branch_labels = None
depends_on = None

GAP_COLUMNS: tuple[sa.Column[Any], ...] = (
    sa.Column("vector", sa.LargeBinary),
    sa.Column("nearest_faq_id", sa.String(128)),
    sa.Column("nearest_score", sa.Float),
    sa.Column("team", sa.String(64)),
    sa.Column("handoff_count", sa.Integer, nullable=False, server_default="0"),
    sa.Column("resolution", sa.String(255)),
    sa.Column("resolved_at", sa.DateTime(timezone=True)),
)
OCCURRENCE_COLUMNS: tuple[sa.Column[Any], ...] = (
    sa.Column("kind", sa.String(32)),
    sa.Column("faq_id", sa.String(128)),
    sa.Column("vector", sa.LargeBinary),
)


def upgrade() -> None:
    with op.batch_alter_table("gaps") as batch:
        for column in GAP_COLUMNS:
            batch.add_column(column)
    with op.batch_alter_table("gap_occurrences") as batch:
        for column in OCCURRENCE_COLUMNS:
            batch.add_column(column)
    op.create_table(
        "kb_turns",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("sender_id", sa.String(255), nullable=False, index=True),
        sa.Column("channel", sa.String(64)),
        sa.Column("lang", sa.String(8)),
        sa.Column("outcome", sa.String(16), nullable=False),
        sa.Column("faq_id", sa.String(128), index=True),
        sa.Column("score", sa.Float),
        sa.Column("question", sa.Text),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False, index=True),
    )
    op.create_table(
        "notices",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("lang", sa.String(8)),
        sa.Column("keywords", sa.JSON, nullable=False),
        sa.Column("faq_ids", sa.JSON, nullable=False),
        sa.Column("starts_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ends_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(255)),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("notices")
    op.drop_table("kb_turns")
    with op.batch_alter_table("gap_occurrences") as batch:
        for column in OCCURRENCE_COLUMNS:
            batch.drop_column(column.name)
    with op.batch_alter_table("gaps") as batch:
        for column in GAP_COLUMNS:
            batch.drop_column(column.name)
