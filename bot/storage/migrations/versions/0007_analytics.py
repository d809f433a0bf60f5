"""conversation rollup for analytics, answer drafts, indexes for time-range reads

Revision ID: 0007_analytics
Revises: 0006_privacy
"""

import sqlalchemy as sa
from alembic import op

revision = "0007_analytics"
down_revision = "0006_privacy"
branch_labels = None
depends_on = None

WHEN = sa.DateTime(timezone=True)
FLAGS = (
    "confirmed",
    "assumed",
    "judged",
    "durable",
    "recontact",
    "week_passed",
    "deflected",
)
# Time-range reads the analytics make (created_at on kb_turns is indexed by 0003).
INDEXES = (
    ("ix_tickets_created_at", "tickets", ["created_at"]),
    ("ix_feedback_created_at", "feedback", ["created_at"]),
    ("ix_gap_occurrences_created_at", "gap_occurrences", ["created_at"]),
    ("ix_contacts_sender_id", "contacts", ["sender_id"]),
)


def upgrade() -> None:
    # "clarify_abandoned" (17 characters) did not fit: PostgreSQL refused the turn.
    with op.batch_alter_table("kb_turns") as batch:
        batch.alter_column(
            "outcome", type_=sa.String(32), existing_type=sa.String(16), existing_nullable=False
        )
    op.create_table(
        "conversation_facts",
        sa.Column("id", sa.Integer, primary_key=True),
        # The purge blanks it ("") once the row is settled and past retention.
        sa.Column("sender_id", sa.String(255), nullable=False, index=True),
        sa.Column("week", sa.String(8), nullable=False, index=True),
        sa.Column("started_at", WHEN, nullable=False, index=True),
        sa.Column("ended_at", WHEN, nullable=False),
        sa.Column("lang", sa.String(8)),
        sa.Column("channel", sa.String(64)),
        sa.Column("questions", sa.Integer, nullable=False),
        sa.Column("answers", sa.Integer, nullable=False),
        sa.Column("no_answers", sa.Integer, nullable=False),
        sa.Column("handoff_reason", sa.String(32)),
        *(sa.Column(name, sa.Integer, nullable=False) for name in FLAGS),
        sa.Column("settled", sa.Integer, nullable=False, index=True),
    )
    op.create_table(
        "analytics_state",
        sa.Column("name", sa.String(32), primary_key=True),
        sa.Column("settled_until", WHEN),
        sa.Column("refreshed_at", WHEN),
        sa.Column("last_turn_id", sa.Integer, nullable=False),
    )
    # The row the rollup locks while it refreshes (one refresher at a time).
    op.execute("INSERT INTO analytics_state (name, last_turn_id) VALUES ('rollup', 0)")
    op.create_table(
        "answer_drafts",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column(
            "gap_id",
            sa.Integer,
            sa.ForeignKey("gaps.id", ondelete="CASCADE"),
            nullable=False,
            index=True,
        ),
        sa.Column("ticket_id", sa.String(32), nullable=False, index=True),
        sa.Column("lang", sa.String(8)),
        sa.Column("team", sa.String(64)),
        sa.Column("questions", sa.JSON, nullable=False),
        sa.Column("answer", sa.Text, nullable=False),
        sa.Column("agent", sa.String(255)),
        sa.Column("status", sa.String(16), nullable=False, index=True),
        sa.Column("faq_id", sa.String(128)),
        sa.Column("created_at", WHEN, nullable=False),
        sa.Column("decided_at", WHEN),
        sa.Column("decided_by", sa.String(255)),
    )
    for name, table, columns in INDEXES:
        op.create_index(name, table, columns)


def downgrade() -> None:
    for name, table, _ in INDEXES:
        op.drop_index(name, table_name=table)
    op.drop_table("answer_drafts")
    op.drop_table("analytics_state")
    op.drop_table("conversation_facts")
    with op.batch_alter_table("kb_turns") as batch:
        batch.alter_column(
            "outcome", type_=sa.String(16), existing_type=sa.String(32), existing_nullable=False
        )
