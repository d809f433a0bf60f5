"""customers' 1-5 ratings of conversations the bot handled alone

Revision ID: 0010_ratings
Revises: 0009_audit
"""

import sqlalchemy as sa
from alembic import op

revision = "0010_ratings"
down_revision = "0009_audit"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "conversation_ratings",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("sender_id", sa.String(255), nullable=False),
        sa.Column("session_started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("score", sa.Integer, nullable=False),
        sa.Column("lang", sa.String(8)),
        sa.Column("channel", sa.String(64)),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("sender_id", "session_started_at"),
    )
    op.create_index("ix_conversation_ratings_sender_id", "conversation_ratings", ["sender_id"])
    op.create_index("ix_conversation_ratings_created_at", "conversation_ratings", ["created_at"])


def downgrade() -> None:
    op.drop_index("ix_conversation_ratings_created_at", "conversation_ratings")
    op.drop_index("ix_conversation_ratings_sender_id", "conversation_ratings")
    op.drop_table("conversation_ratings")
