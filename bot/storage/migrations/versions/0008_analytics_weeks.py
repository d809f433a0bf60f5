"""final weeks of conversation facts summed, so a year of analytics reads few rows

Revision ID: 0008_analytics_weeks
Revises: 0007_analytics
"""

import sqlalchemy as sa
from alembic import op

revision = "0008_analytics_weeks"
down_revision = "0007_analytics"
branch_labels = None
depends_on = None

SUMS = (
    "n",
    "asked",
    "answered",
    "judged",
    "week_passed",
    "questions",
    "no_answers",
    "confirmed",
    "assumed",
    "durable",
    "recontact",
    "deflected",
)


def upgrade() -> None:
    op.create_table(
        "conversation_weeks",
        sa.Column("week", sa.String(8), primary_key=True),
        sa.Column("lang", sa.String(8), primary_key=True),
        sa.Column("channel", sa.String(64), primary_key=True),
        sa.Column("handoff_reason", sa.String(32), primary_key=True),
        *(sa.Column(name, sa.Integer, nullable=False) for name in SUMS),
    )
    with op.batch_alter_table("analytics_state") as batch:
        batch.add_column(sa.Column("summarized_before", sa.DateTime(timezone=True)))


def downgrade() -> None:
    with op.batch_alter_table("analytics_state") as batch:
        batch.drop_column("summarized_before")
    op.drop_table("conversation_weeks")
