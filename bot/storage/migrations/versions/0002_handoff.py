"""handoff tickets, their messages, and customer contacts

Revision ID: 0002_handoff
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0002_handoff"
down_revision = "0001"
branch_labels = None
depends_on = None

TZ = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "tickets",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("sender_id", sa.String(255), nullable=False, index=True),
        sa.Column("channel", sa.String(64)),
        sa.Column("lang", sa.String(8), nullable=False),
        sa.Column("customer_id", sa.String(255), index=True),
        sa.Column("tier", sa.String(32)),
        sa.Column("reason", sa.String(32), nullable=False, index=True),
        sa.Column("evidence", sa.JSON, nullable=False),
        sa.Column("queue", sa.String(64), nullable=False, index=True),
        sa.Column("priority", sa.String(16), nullable=False),
        sa.Column("status", sa.String(16), nullable=False, index=True),
        sa.Column("summary", sa.Text, nullable=False),
        sa.Column("topics", sa.JSON, nullable=False),
        sa.Column("answers", sa.JSON, nullable=False),
        sa.Column("details", sa.JSON, nullable=False),
        sa.Column("out_of_hours", sa.Boolean, nullable=False),
        sa.Column("assignee", sa.String(255)),
        sa.Column("created_at", TZ, nullable=False),
        sa.Column("assigned_at", TZ),
        sa.Column("first_reply_at", TZ),
        sa.Column("resolved_at", TZ),
        sa.Column("due_at", TZ),
        sa.Column("follow_up_at", TZ),
        sa.Column("followed_up_at", TZ),
    )
    op.create_table(
        "ticket_messages",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column(
            "ticket_id",
            sa.String(32),
            sa.ForeignKey("tickets.id", ondelete="CASCADE"),
            nullable=False,
            index=True,
        ),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("author", sa.String(255)),
        sa.Column("paused", sa.Boolean, nullable=False),
        sa.Column("sent_at", TZ, nullable=False),
    )
    op.create_table(
        "contacts",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("customer_id", sa.String(255), nullable=False, index=True),
        sa.Column("topic", sa.String(128), nullable=False, index=True),
        sa.Column("sender_id", sa.String(255), nullable=False),
        sa.Column("created_at", TZ, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("contacts")
    op.drop_table("ticket_messages")
    op.drop_table("tickets")
