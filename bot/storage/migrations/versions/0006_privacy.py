"""privacy: gap counts per week, erasure audit, purge lease

Revision ID: 0006_privacy
Revises: 0005_one_head
"""

import sqlalchemy as sa
from alembic import op

revision = "0006_privacy"
down_revision = "0005_one_head"
branch_labels = None
depends_on = None

WHEN = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "gap_weeks",
        sa.Column(
            "gap_id", sa.Integer, sa.ForeignKey("gaps.id", ondelete="CASCADE"), primary_key=True
        ),
        sa.Column("week", sa.String(10), primary_key=True),
        sa.Column("lang", sa.String(8), primary_key=True),
        sa.Column("count", sa.Integer, nullable=False),
    )
    op.create_table(
        "privacy_erasures",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("at", WHEN, nullable=False),
        sa.Column("actor", sa.String(64), nullable=False),
        sa.Column("subject", sa.String(16), nullable=False),
        sa.Column("reference", sa.String(32)),
        sa.Column("counts", sa.JSON, nullable=False),
    )
    op.create_table(
        "privacy_leases",
        sa.Column("name", sa.String(32), primary_key=True),
        sa.Column("holder", sa.String(64)),
        sa.Column("expires_at", WHEN),
        sa.Column("last_run_at", WHEN),
        sa.Column("last_result", sa.JSON),
    )
    op.execute("INSERT INTO privacy_leases (name) VALUES ('purge')")


def downgrade() -> None:
    op.drop_table("privacy_leases")
    op.drop_table("privacy_erasures")
    op.drop_table("gap_weeks")
