"""gaps, gap occurrences and answer feedback

Revision ID: 0001
Revises:
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "gaps",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("question", sa.Text, nullable=False),
        sa.Column("normalized", sa.String(512), nullable=False, index=True),
        sa.Column("lang", sa.String(8)),
        sa.Column("faq_id", sa.String(128), index=True),
        sa.Column("status", sa.String(16), nullable=False, index=True),
        sa.Column("occurrence_count", sa.Integer, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_seen_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "gap_occurrences",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("gap_id", sa.Integer, sa.ForeignKey("gaps.id", ondelete="CASCADE"), index=True),
        sa.Column("question", sa.Text, nullable=False),
        sa.Column("lang", sa.String(8)),
        sa.Column("sender_id", sa.String(255), nullable=False, index=True),
        sa.Column("channel", sa.String(64)),
        sa.Column("candidates", sa.JSON, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "feedback",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("sender_id", sa.String(255), nullable=False, index=True),
        sa.Column("channel", sa.String(64)),
        sa.Column("faq_id", sa.String(128), nullable=False, index=True),
        sa.Column("lang", sa.String(8)),
        sa.Column("helpful", sa.Boolean, nullable=False),
        sa.Column("question", sa.Text),
        sa.Column("score", sa.Float),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("feedback")
    op.drop_table("gap_occurrences")
    op.drop_table("gaps")
