"""staff accounts and sessions, webhook outbox

Revision ID: 0004_security
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0004_security"
down_revision = "0001"  # an independent branch, like every feature's (Database.migrate: heads)
branch_labels = None
depends_on = None

WHEN = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "staff_users",
        sa.Column("name", sa.String(64), primary_key=True),
        sa.Column("password_hash", sa.String(255), nullable=False),
        sa.Column("roles", sa.String(255), nullable=False),
        sa.Column("created_at", WHEN, nullable=False),
        sa.Column("updated_at", WHEN, nullable=False),
    )
    op.create_table(
        "staff_sessions",
        sa.Column("token_hash", sa.String(64), primary_key=True),
        sa.Column(
            "user_name",
            sa.String(64),
            sa.ForeignKey("staff_users.name", ondelete="CASCADE"),
            nullable=False,
            index=True,
        ),
        sa.Column("created_at", WHEN, nullable=False),
        sa.Column("expires_at", WHEN, nullable=False),
    )
    op.create_table(
        "webhook_outbox",
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column("url", sa.Text, nullable=False),
        sa.Column("payload", sa.JSON, nullable=False),
        sa.Column("status", sa.String(16), nullable=False, index=True),
        sa.Column("attempts", sa.Integer, nullable=False),
        sa.Column("next_attempt_at", WHEN, nullable=False),
        sa.Column("last_status", sa.Integer),
        sa.Column("created_at", WHEN, nullable=False),
        sa.Column("delivered_at", WHEN),
    )


def downgrade() -> None:
    op.drop_table("webhook_outbox")
    op.drop_table("staff_sessions")
    op.drop_table("staff_users")
